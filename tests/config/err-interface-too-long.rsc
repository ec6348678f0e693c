/ip address
add address=10.0.0.2/24 interface=ether1-gateway-wan
/ip route
add gateway=10.0.0.1%ether1-gateway-wan
