# VLAN ids out of 802.1Q's range.
/interface vlan
add interface=ether1 name=vlan13 vlan-id=0
add interface=ether1 name=vlan14 vlan-id=4095
add interface=ether1 name=vlan15 vlan-id=ten
/ip address
add address=10.0.10.2/24 interface=ether1
/ip route
add gateway=10.0.10.1
