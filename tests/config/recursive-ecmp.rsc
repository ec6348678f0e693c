# ECMP over recursive gateways: 8.8.8.8 lies behind ISP1, 8.8.4.4 behind
# ISP2 (written twice: weight 2). The default balances 1:2 over the two
# first hops while both targets answer; each target is pinged through its
# own uplink.
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=8.8.8.8 gateway=10.111.0.1 scope=10
add dst-address=8.8.4.4 gateway=10.112.0.1 scope=10
add dst-address=0.0.0.0/0 gateway=8.8.8.8,8.8.4.4,8.8.4.4 check-gateway=ping target-scope=11
