# Ports renamed the way exports write it (later lines use the new names;
# the Linux interface is the default name, or --map's), interface lists
# with a nested list, in-interface-list= and out-interface-list= as nft
# sets; a port's link settings are ignored with one warning each.
/interface ethernet
set [ find default-name=ether1 ] name=WAN1 comment="fibre" mtu=1500 advertise=1000M-full
set [ find default-name=ether2 ] name=WAN2 mtu=1492 disable-running-check=no
/interface set [ find default-name=ether3 ] name=LAN
/interface list
add name=WAN
add name=LAN
add name=ALL-LOCAL
/interface list member
add interface=WAN1 list=WAN
add interface=WAN2 list=WAN
add interface=LAN list=LAN
add interface=LAN list=ALL-LOCAL
add interface=wg0 list=ALL-LOCAL
/ip address
add address=10.111.0.2/24 interface=WAN1
add address=10.112.0.2/24 interface=WAN2
add address=192.168.0.1/24 interface=LAN
add address=10.9.0.1/24 interface=wg0
/ip route
add gateway=10.111.0.1,10.112.0.1 check-gateway=ping
/ip firewall nat
add chain=srcnat out-interface-list=WAN action=masquerade
/ip firewall mangle
add chain=prerouting in-interface-list=ALL-LOCAL dst-address=192.168.0.0/16 action=accept
add chain=prerouting in-interface-list=!WAN connection-mark=no-mark action=mark-connection new-connection-mark=lan
