# A gateway beyond the connected networks resolves only through routes
# whose scope is at most the route's target-scope: the host route below
# has RouterOS's default scope 30, the default route the default
# target-scope 10, so 8.8.8.8 cannot be placed (as in RouterOS, where the
# route stays unreachable).
/ip address
add address=10.111.0.2/24 interface=wlan1

/ip route
add dst-address=8.8.8.8 gateway=10.111.0.1
add dst-address=0.0.0.0/0 gateway=8.8.8.8 check-gateway=ping
