# /tool netwatch: a host no route reaches has no uplink to probe it through.
/ip address
add address=10.1.0.2/24 interface=ether1
/ip route
add dst-address=10.9.0.0/16 gateway=10.1.0.1
/tool netwatch
add host=8.8.8.8
