# Per-table recursive failover, RouterOS v7 spelling (routing-table=,
# declared tables), with ISP1's host route given as an interface-bound
# gateway: 8.8.8.8 is pinged through ISP1 whatever the main default does.
/routing table
add name=to_isp1 fib

/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=8.8.8.8/32 gateway=10.111.0.1%wlan1 scope=10
add dst-address=0.0.0.0/0 gateway=10.112.0.1
add dst-address=0.0.0.0/0 gateway=8.8.8.8 check-gateway=ping routing-table=to_isp1 target-scope=11
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=2 routing-table=to_isp1

/ip firewall mangle
add chain=prerouting in-interface=Local src-address=192.168.0.0/25 action=mark-routing new-routing-mark=to_isp1
