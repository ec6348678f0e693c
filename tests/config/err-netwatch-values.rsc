# /tool netwatch: values RouterOS does not take.
/ip address
add address=10.1.0.2/24 interface=ether1
/ip route
add dst-address=0.0.0.0/0 gateway=10.1.0.1
/tool netwatch
add host=8.8.8.8 type=ping
add host=8.8.8.8 type=icmp thr-loss-percent=120%
add host=example.com
add interval=10s
add host=8.8.8.8 thr-stdev=10ms
