# /tool netwatch: bad input, each at its line.
/ip address
add address=10.1.0.2/24 interface=ether1
/ip route
add comment=ISP1 dst-address=0.0.0.0/0 gateway=10.1.0.1
add comment=LAN dst-address=10.9.0.0/16 gateway=10.1.0.1
/tool netwatch
add host=8.8.8.8 type=http-get port=80
add host=8.8.8.8 interval=1s timeout=2s
add host=8.8.8.8 type=icmp packet-count=5 thr-loss-count=6
add host=8.8.8.8 type=icmp timeout=1s thr-avg=2s
add host=8.8.8.8 thr-loss-percent=10%
add host=8.8.8.8 type=icmp packet-count=20 packet-interval=100ms interval=1s
add host=8.8.8.8 down-script="/ip route disable [find comment=ISP3]"
add host=8.8.8.8 down-script="/ip route disable [find comment=LAN]" \
    up-script="/ip route disable [find comment=LAN]"
add host=8.8.8.8 src-address=10.7.0.1
add host=8.8.4.4 down-script="/ip route disable [find comment=ISP1]"
add host=8.8.4.4 down-script="/ip route enable [find comment=ISP1]"
add host=8.8.8.8 up-script="/system reboot"
