# A syntax error does not hide the other entries' own errors: one run
# reports the bad check-gateway, the out-of-range distance and the
# inconsistent network together.
/ip address
add address=10.111.0.2/24 interface=wlan1 network=10.111.1.0
/ip route
add gateway=10.111.0.1 check-gateway=pong
add gateway=10.111.0.1 distance=0
