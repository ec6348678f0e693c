# Source: "Load Balancing LB PCC 3 Line ISP Failover - Mikrotik Script
#   RouterOS", GitHub gist by buananetpbun (a script generator's output,
#   2/13/2021), https://gist.github.com/buananetpbun/ec2ae68a1f74f1dfbd816c96d9f9a582
# Reconstructed after the gist (RouterOS v6, three ISPs on ether1..3, an
# address list of private ranges, quoted values, PCC both-addresses-and-
# ports:3/x, per-ISP routing marks with failover distances); not a verbatim
# copy.
################################################
# LOAD BALANCING (LB) PCC SCRIPT GENERATOR
# Load Balancing Metode -> PCC
################################################
/ip firewall address-list
add address=192.168.0.0/16 list=LOCAL-IP
add address=172.16.0.0/12 list=LOCAL-IP
add address=10.0.0.0/8 list=LOCAL-IP
/ip firewall nat
add chain=srcnat out-interface="ether1" action=masquerade
add chain=srcnat out-interface="ether2" action=masquerade
add chain=srcnat out-interface="ether3" action=masquerade
/ip route
add check-gateway=ping distance=1 gateway="192.168.1.1" routing-mark="to-ether1"
add check-gateway=ping distance=1 gateway="192.168.2.1" routing-mark="to-ether2"
add check-gateway=ping distance=1 gateway="192.168.3.1" routing-mark="to-ether3"
add check-gateway=ping distance=1 gateway="192.168.1.1"
add check-gateway=ping distance=2 gateway="192.168.2.1"
add check-gateway=ping distance=3 gateway="192.168.3.1"
/ip firewall mangle
add action=accept chain=prerouting dst-address-list=LOCAL-IP src-address-list=LOCAL-IP
add action=mark-connection chain=prerouting in-interface="ether1" new-connection-mark="cm-ether1" passthrough=yes
add action=mark-connection chain=prerouting in-interface="ether2" new-connection-mark="cm-ether2" passthrough=yes
add action=mark-connection chain=prerouting in-interface="ether3" new-connection-mark="cm-ether3" passthrough=yes
add action=mark-routing chain=output connection-mark="cm-ether1" new-routing-mark="to-ether1" passthrough=yes
add action=mark-routing chain=output connection-mark="cm-ether2" new-routing-mark="to-ether2" passthrough=yes
add action=mark-routing chain=output connection-mark="cm-ether3" new-routing-mark="to-ether3" passthrough=yes
add action=mark-connection chain=prerouting dst-address-list=!LOCAL-IP new-connection-mark="cm-ether1" passthrough=yes per-connection-classifier=both-addresses-and-ports:3/0 src-address-list=LOCAL-IP
add action=mark-connection chain=prerouting dst-address-list=!LOCAL-IP new-connection-mark="cm-ether2" passthrough=yes per-connection-classifier=both-addresses-and-ports:3/1 src-address-list=LOCAL-IP
add action=mark-connection chain=prerouting dst-address-list=!LOCAL-IP new-connection-mark="cm-ether3" passthrough=yes per-connection-classifier=both-addresses-and-ports:3/2 src-address-list=LOCAL-IP
add action=mark-routing chain=prerouting connection-mark="cm-ether1" dst-address-list=!LOCAL-IP new-routing-mark="to-ether1" passthrough=yes src-address-list=LOCAL-IP
add action=mark-routing chain=prerouting connection-mark="cm-ether2" dst-address-list=!LOCAL-IP new-routing-mark="to-ether2" passthrough=yes src-address-list=LOCAL-IP
add action=mark-routing chain=prerouting connection-mark="cm-ether3" dst-address-list=!LOCAL-IP new-routing-mark="to-ether3" passthrough=yes src-address-list=LOCAL-IP
