# Renames and interface lists: one set per port and per name, a declared
# list for every member and match, interface lists only where the chain
# has that interface.
/interface ethernet
set [ find default-name=ether1 ] name=WAN1
set [ find default-name=ether1 ] name=WAN9
set [ find default-name=ether2 ] name=WAN1
/interface list
add name=WAN
/interface list member
add interface=WAN1 list=WANS
/ip address
add address=10.111.0.2/24 interface=WAN1
/ip route
add gateway=10.111.0.1
/ip firewall nat
add chain=srcnat out-interface-list=UPLINKS action=masquerade
add chain=srcnat in-interface-list=WAN action=masquerade
