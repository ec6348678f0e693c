# Source: "Failover Methods" (method 2: route rules), kb.kintoyyy.com,
#   https://kb.kintoyyy.com/docs/Mikrotik/Routing/failover-methods-comparison
# Reconstructed after the guide's route-rule method (RouterOS v6.45+: two
# ISPs 192.168.1.1 and 192.168.2.1, tables per ISP, "/ip route rule" with
# src-address and lookup); not a verbatim copy.
/ip address
add address=192.168.1.2/24 interface=ether1
add address=192.168.2.2/24 interface=ether2
add address=10.0.10.1/24 interface=ether3
add address=10.0.20.1/24 interface=ether4
/ip route
add gateway=192.168.1.1 routing-mark=ISP1 check-gateway=ping
add gateway=192.168.2.1 routing-mark=ISP2 check-gateway=ping
add gateway=192.168.1.1 distance=1 check-gateway=ping
add gateway=192.168.2.1 distance=2
/ip route rule
add src-address=10.0.10.0/24 action=lookup table=ISP1
add src-address=10.0.20.0/24 action=lookup table=ISP2
/ip firewall nat
add chain=srcnat out-interface=ether1 action=masquerade
add chain=srcnat out-interface=ether2 action=masquerade
