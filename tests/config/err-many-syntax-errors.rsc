/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2 /24 interface=wlan1
/ip route
add gateway=10.111.0.1 check-gateway=pong
add gateway=10.111.0.1 = x
add gateway=10.111.0.1 distance=two
/ip firewall mangle
add chain=forwarding action=mark-connection
add chain=prerouting connection-state=new,bogus
add chain=prerouting dst-address-type=anycast
