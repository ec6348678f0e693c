# Source: a public GitHub repository's RouterOS v6 export with four PPPoE
#   uplinks and PCC both-addresses:4/x by an address list "lanip" (found
#   through the project's code search; repository not named there)
# Reconstructed after that export's design (a 4-way PCC, routing marks
# 1r..4r, one default per mark through pppoe-out1..4, masquerade per
# uplink, a backup default per distance); not a verbatim copy.
# jan/02/1970 00:00:00 by RouterOS 6.48.6
# software id = ABCD-EFGH
/interface pppoe-client
add add-default-route=no disabled=no interface=ether1 name=pppoe-out1 password=p1 user=u1
add add-default-route=no disabled=no interface=ether2 name=pppoe-out2 password=p2 user=u2
add add-default-route=no disabled=no interface=ether3 name=pppoe-out3 password=p3 user=u3
add add-default-route=no disabled=no interface=ether4 name=pppoe-out4 password=p4 user=u4
/ip pool
add name=dhcp_pool0 ranges=192.168.100.2-192.168.100.254
/ip dhcp-server
add address-pool=dhcp_pool0 disabled=no interface=ether5 name=dhcp1
/ip address
add address=192.168.100.1/24 interface=ether5 network=192.168.100.0
/ip dhcp-server network
add address=192.168.100.0/24 dns-server=8.8.8.8,8.8.4.4 gateway=192.168.100.1
/ip dns
set allow-remote-requests=yes servers=8.8.8.8,8.8.4.4
/ip firewall address-list
add address=192.168.100.0/24 list=lanip
/ip firewall mangle
add action=mark-connection chain=prerouting comment=pcc1 dst-address-type=!local new-connection-mark=1 per-connection-classifier=both-addresses:4/0 src-address-list=lanip
add action=mark-routing chain=prerouting comment=pcc1 connection-mark=1 new-routing-mark=1r src-address-list=lanip
add action=mark-connection chain=prerouting comment=pcc2 dst-address-type=!local new-connection-mark=2 per-connection-classifier=both-addresses:4/1 src-address-list=lanip
add action=mark-routing chain=prerouting comment=pcc2 connection-mark=2 new-routing-mark=2r src-address-list=lanip
add action=mark-connection chain=prerouting comment=pcc3 dst-address-type=!local new-connection-mark=3 per-connection-classifier=both-addresses:4/2 src-address-list=lanip
add action=mark-routing chain=prerouting comment=pcc3 connection-mark=3 new-routing-mark=3r src-address-list=lanip
add action=mark-connection chain=prerouting comment=pcc4 dst-address-type=!local new-connection-mark=4 per-connection-classifier=both-addresses:4/3 src-address-list=lanip
add action=mark-routing chain=prerouting comment=pcc4 connection-mark=4 new-routing-mark=4r src-address-list=lanip
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=masquerade chain=srcnat out-interface=pppoe-out2
add action=masquerade chain=srcnat out-interface=pppoe-out3
add action=masquerade chain=srcnat out-interface=pppoe-out4
/ip route
add check-gateway=ping distance=1 gateway=pppoe-out1 routing-mark=1r
add check-gateway=ping distance=1 gateway=pppoe-out2 routing-mark=2r
add check-gateway=ping distance=1 gateway=pppoe-out3 routing-mark=3r
add check-gateway=ping distance=1 gateway=pppoe-out4 routing-mark=4r
add check-gateway=ping distance=1 gateway=pppoe-out1
add check-gateway=ping distance=2 gateway=pppoe-out2
add check-gateway=ping distance=3 gateway=pppoe-out3
add check-gateway=ping distance=4 gateway=pppoe-out4
/system clock
set time-zone-name=Asia/Jakarta
/system identity
set name=LB-4PPPOE
