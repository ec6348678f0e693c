# Source: "MikroTik RouterOS v7 dual DHCP WAN recursive failover w/ PCC
#   load-balancing; and recursive ECMP", GitHub gist by marfillaster
#   (2022, RouterOS 7.2rc3, RB5009UG+S+),
#   https://gist.github.com/marfillaster/7a136ea826815ac22f2849e099a1c6a1
# Reconstructed after the gist: a whole /export in one-line "/menu add ..."
# form, bridge and interface lists, WANs from /ip dhcp-client (so no
# /ip address for them), recursive check hosts per WAN, per-table defaults
# and a recursive ECMP main default; not a verbatim copy.
# feb/11/2022 11:00:55 by RouterOS 7.2rc3
# software id = XXXX-XXXX
#
# model = RB5009UG+S+
# serial number = XXXXXXXXXX
/ip settings set allow-fast-path=no
/interface bridge add admin-mac=02:00:00:00:00:01 auto-mac=no name=bridge
/interface bridge port add bridge=bridge ingress-filtering=no interface=ether3
/interface bridge port add bridge=bridge ingress-filtering=no interface=ether4
/interface bridge port add bridge=bridge ingress-filtering=no interface=ether5
/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=bridge list=LAN
/interface list member add interface=ether1 list=WAN
/interface list member add interface=ether2 list=WAN
/ip address add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client add add-default-route=no interface=ether1 use-peer-dns=no use-peer-ntp=no
/ip dhcp-client add add-default-route=no interface=ether2 use-peer-dns=no use-peer-ntp=no
/ip pool add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server add address-pool=dhcp interface=bridge name=defconf
/ip dhcp-server network add address=192.168.88.0/24 dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns set allow-remote-requests=yes servers=1.1.1.1,1.0.0.1
/routing table add fib name=ISP1
/routing table add fib name=ISP2
/ip firewall mangle add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether1 new-connection-mark=ISP1_conn
/ip firewall mangle add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether2 new-connection-mark=ISP2_conn
/ip firewall mangle add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface=bridge new-connection-mark=ISP1_conn per-connection-classifier=both-addresses:2/0
/ip firewall mangle add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface=bridge new-connection-mark=ISP2_conn per-connection-classifier=both-addresses:2/1
/ip firewall mangle add action=mark-routing chain=prerouting connection-mark=ISP1_conn in-interface=bridge new-routing-mark=ISP1
/ip firewall mangle add action=mark-routing chain=prerouting connection-mark=ISP2_conn in-interface=bridge new-routing-mark=ISP2
/ip firewall mangle add action=mark-routing chain=output connection-mark=ISP1_conn new-routing-mark=ISP1
/ip firewall mangle add action=mark-routing chain=output connection-mark=ISP2_conn new-routing-mark=ISP2
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip route add comment=ISP1-check distance=1 dst-address=1.0.0.1/32 gateway=192.168.1.1 scope=10
/ip route add comment=ISP2-check distance=1 dst-address=8.8.4.4/32 gateway=192.168.2.1 scope=10
/ip route add check-gateway=ping distance=1 dst-address=0.0.0.0/0 gateway=1.0.0.1 routing-table=ISP1 scope=30 target-scope=11
/ip route add check-gateway=ping distance=2 dst-address=0.0.0.0/0 gateway=8.8.4.4 routing-table=ISP1 scope=30 target-scope=11
/ip route add check-gateway=ping distance=1 dst-address=0.0.0.0/0 gateway=8.8.4.4 routing-table=ISP2 scope=30 target-scope=11
/ip route add check-gateway=ping distance=2 dst-address=0.0.0.0/0 gateway=1.0.0.1 routing-table=ISP2 scope=30 target-scope=11
/ip route add check-gateway=ping distance=1 dst-address=0.0.0.0/0 gateway=1.0.0.1,8.8.4.4 scope=30 target-scope=11
/system clock set time-zone-name=Asia/Manila
/system identity set name=gw
/tool mac-server set allowed-interface-list=LAN
/tool mac-server mac-winbox set allowed-interface-list=LAN
