# Source: "Multi-WAN Failover with Recursive Routing", mikrotikdocs.fyi,
#   https://mikrotikdocs.fyi/tools/multi-wan-failover-recursive-routing
# Reconstructed after the guide's topology (ether1 to ISP1 203.0.113.1,
# ether2 to ISP2 198.51.100.1, LAN bridge 192.168.1.0/24) and its
# "recursive anchor" and "ECMP" sections, RouterOS v7 slash spelling; not a
# verbatim copy.
/interface/bridge
add name=bridge
/interface/bridge/port
add bridge=bridge interface=ether3
add bridge=bridge interface=ether4
/ip/address
add address=192.168.1.1/24 interface=bridge
add address=203.0.113.2/24 interface=ether1
add address=198.51.100.2/24 interface=ether2
/ip/route
add dst-address=1.1.1.1/32 gateway=203.0.113.1 scope=10 comment="anchor ISP1"
add dst-address=9.9.9.9/32 gateway=198.51.100.1 scope=10 comment="anchor ISP2"
add dst-address=0.0.0.0/0 gateway=1.1.1.1 target-scope=11 check-gateway=ping distance=1
add dst-address=0.0.0.0/0 gateway=9.9.9.9 target-scope=11 check-gateway=ping distance=1
/ip/firewall/nat
add chain=srcnat action=masquerade out-interface=ether1
add chain=srcnat action=masquerade out-interface=ether2
