# Source: "PCC Load Balancing (2 WAN PPPoE).txt", GitHub repository
#   misterkrittin/Scripts-MikroTik,
#   https://github.com/misterkrittin/Scripts-MikroTik/blob/main/PCC%20Load%20Balancing%20(2%20WAN%20PPPoE).txt
# Reconstructed after the file's configuration (RouterOS v7: LANs on VLAN10
# and VLAN20 in an address list, tables via-ISP1/via-ISP2, PCC marking the
# routing directly with both-addresses-and-ports:2/x and dst-address-list=
# !LAN, PPPoE uplinks as interface gateways); not a verbatim copy. The
# file's Winbox click-through steps are left out.
/interface vlan
add interface=ether5 name=VLAN10 vlan-id=10
add interface=ether5 name=VLAN20 vlan-id=20
/interface pppoe-client
add disabled=no interface=ether1 name=pppoe-out1 user=isp1user password=x
add disabled=no interface=ether2 name=pppoe-out2 user=isp2user password=x
/ip address
add address=10.10.10.1/24 interface=VLAN10
add address=10.20.20.1/24 interface=VLAN20
/ip firewall address-list
add address=10.10.10.0/24 list=LAN
add address=10.20.20.0/24 list=LAN
/routing table
add disabled=no fib name=via-ISP1
add disabled=no fib name=via-ISP2
/ip firewall mangle
add action=mark-routing chain=prerouting dst-address-list=!LAN new-routing-mark=via-ISP1 passthrough=yes per-connection-classifier=both-addresses-and-ports:2/0 src-address-list=LAN
add action=mark-routing chain=prerouting dst-address-list=!LAN new-routing-mark=via-ISP2 passthrough=yes per-connection-classifier=both-addresses-and-ports:2/1 src-address-list=LAN
/ip route
add disabled=no dst-address=0.0.0.0/0 gateway=pppoe-out1 routing-table=via-ISP1 suppress-hw-offload=no
add disabled=no dst-address=0.0.0.0/0 gateway=pppoe-out2 routing-table=via-ISP2 suppress-hw-offload=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=masquerade chain=srcnat out-interface=pppoe-out2
