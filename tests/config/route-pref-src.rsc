# pref-src= (the source address of packets the router itself sends by the
# route) and attributes that change nothing on Linux.
/ip address
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
add address=192.168.0.1/24 interface=Local
/ip route
add gateway=10.111.0.1,10.112.0.1 check-gateway=ping pref-src=192.168.0.1 suppress-hw-offload=yes
add dst-address=10.200.0.0/16 gateway=10.112.0.1 pref-src=10.112.0.2 suppress-hw-offload=no comment="to the branch"
