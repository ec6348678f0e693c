# A script value whose '{' is never closed swallows the rest of the file:
# the routes below would silently vanish, so this is an error.
/ip address
add address=10.111.0.2/24 interface=wlan1
/system script
add name=failover source={
    /ip route set [ find comment=isp1 ] disabled=yes
/ip route
add gateway=10.111.0.1
