# Recursive failover, as MikroTik's "Failover (WAN Backup)" help page and
# countless forum posts write it: the default route's gateway 8.8.8.8 is
# no neighbour; a host route with scope=10 says it lies behind ISP1, and
# target-scope=11 lets the default resolve through that host route (not
# through the default via ISP2, whose scope is 30). check-gateway=ping
# pings 8.8.8.8 through ISP1, so a failure behind ISP1's first hop moves
# the default to ISP2 (distance 2).
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=8.8.8.8 gateway=10.111.0.1 scope=10
add dst-address=0.0.0.0/0 gateway=8.8.8.8 check-gateway=ping distance=1 target-scope=11
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=2

/ip firewall nat
add chain=srcnat out-interface=wlan1 action=masquerade
add chain=srcnat out-interface=wlan2 action=masquerade
