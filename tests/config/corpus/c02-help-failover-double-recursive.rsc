# Source: MikroTik documentation, "Failover (WAN Backup)", section "Improve
#   detection" (two probe hosts per uplink, virtual hops, per-table routes),
#   https://help.mikrotik.com/docs/spaces/ROS/pages/26476608/Failover+WAN+Backup
# Reconstructed after the section's design; not a verbatim copy. Double
# recursion: the defaults go through 10.1.1.1/10.2.2.2, which resolve through
# the probe hosts, which resolve through the ISPs' first hops.
/routing/table
add name=to_ISP1 fib
add name=to_ISP2 fib

/ip/address
add address=10.111.0.2/24 interface=ether1
add address=10.112.0.2/24 interface=ether2
add address=192.168.88.1/24 interface=ether3

/ip/route
add dst-address=8.8.8.8 gateway=10.111.0.1 scope=10
add dst-address=208.67.222.222 gateway=10.111.0.1 scope=10
add dst-address=8.8.4.4 gateway=10.112.0.1 scope=10
add dst-address=208.67.220.220 gateway=10.112.0.1 scope=10

/ip/route
add dst-address=10.1.1.1 gateway=8.8.8.8 scope=10 target-scope=11 check-gateway=ping
add dst-address=10.1.1.1 gateway=208.67.222.222 scope=10 target-scope=11 check-gateway=ping
add dst-address=10.2.2.2 gateway=8.8.4.4 scope=10 target-scope=11 check-gateway=ping
add dst-address=10.2.2.2 gateway=208.67.220.220 scope=10 target-scope=11 check-gateway=ping

/ip/route
add distance=1 gateway=10.1.1.1 target-scope=12 routing-table=to_ISP1
add distance=2 gateway=10.2.2.2 target-scope=12 routing-table=to_ISP1
add distance=1 gateway=10.2.2.2 target-scope=12 routing-table=to_ISP2
add distance=2 gateway=10.1.1.1 target-scope=12 routing-table=to_ISP2

/ip/firewall/mangle
add chain=prerouting src-address=192.168.88.0/25 action=mark-routing new-routing-mark=to_ISP1 passthrough=no
add chain=prerouting src-address=192.168.88.128/25 action=mark-routing new-routing-mark=to_ISP2 passthrough=no

/ip/firewall/nat
add chain=srcnat out-interface=ether1 action=masquerade
add chain=srcnat out-interface=ether2 action=masquerade
