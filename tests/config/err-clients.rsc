# Bad client entries: a DHCP client on an interface with a static
# address, two DHCP clients on one interface, two PPPoE clients with one
# name, a distance out of range.
/ip address
add address=10.1.0.2/24 interface=ether1
/ip dhcp-client
add interface=ether1
add interface=ether2
add interface=ether2 default-route-distance=300
/interface pppoe-client
add interface=ether5 name=pppoe-out1 user=a password=b
add interface=ether6 name=pppoe-out1 user=c password=d
/ip route
add gateway=pppoe-out1
