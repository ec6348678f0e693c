# pref-src= must be one of the router's addresses: Linux refuses the route
# otherwise.
/ip address
add address=10.111.0.2/24 interface=wlan1
/ip route
add gateway=10.111.0.1 pref-src=10.111.0.9
add dst-address=10.9.0.0/16 gateway=10.111.0.1 pref-src=10.111.0.2
