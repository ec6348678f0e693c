# A port of an undeclared bridge, a VLAN on itself, a VLAN twice, a
# VLAN with the name of a bridge.
/interface bridge
add name=br1
/interface vlan
add interface=ether1 name=vlan10 vlan-id=10
add interface=ether1 name=vlan10 vlan-id=11
add interface=vlan12 name=vlan12 vlan-id=12
add interface=ether1 name=br1 vlan-id=15
/interface bridge port
add bridge=br2 interface=ether2
/ip address
add address=10.0.10.2/24 interface=vlan10
/ip route
add gateway=10.0.10.1
