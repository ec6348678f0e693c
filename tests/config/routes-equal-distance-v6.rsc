# RouterOS v6: of two routes to one destination at equal distance only
# the first is in force (the v7 twin routes-equal-distance-v7.rsc makes
# them one ECMP route).
/ip address
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1 distance=1
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=1
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=2
