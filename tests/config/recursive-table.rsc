# Per-table recursive failover, RouterOS v6 spelling: connections marked
# for ISP1 leave by ISP1 while 8.8.8.8 answers through it, else by ISP2;
# and the other way round for ISP2 with 8.8.4.4. Recursive gateways are
# resolved through the main table's host routes.
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=8.8.8.8 gateway=10.111.0.1 scope=10
add dst-address=8.8.4.4 gateway=10.112.0.1 scope=10
add dst-address=0.0.0.0/0 gateway=8.8.8.8 check-gateway=ping routing-mark=to_isp1 target-scope=11
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=2 routing-mark=to_isp1
add dst-address=0.0.0.0/0 gateway=8.8.4.4 check-gateway=ping routing-mark=to_isp2 target-scope=11
add dst-address=0.0.0.0/0 gateway=10.111.0.1 distance=2 routing-mark=to_isp2

/ip firewall mangle
add chain=prerouting in-interface=Local connection-mark=no-mark per-connection-classifier=both-addresses:2/0 action=mark-connection new-connection-mark=isp1_conn
add chain=prerouting in-interface=Local connection-mark=no-mark per-connection-classifier=both-addresses:2/1 action=mark-connection new-connection-mark=isp2_conn
add chain=prerouting in-interface=Local connection-mark=isp1_conn action=mark-routing new-routing-mark=to_isp1
add chain=prerouting in-interface=Local connection-mark=isp2_conn action=mark-routing new-routing-mark=to_isp2
