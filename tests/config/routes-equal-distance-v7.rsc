# RouterOS v7 (slash spelling): two routes to one destination at equal
# distance are one ECMP route; the v6 twin routes-equal-distance-v6.rsc
# keeps only the first.
/ip/address
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip/route
add dst-address=0.0.0.0/0 gateway=10.111.0.1 distance=1
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=1
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=2
