# /tool netwatch: the classic failover, written as RouterOS v6 and v7 do.
# The down-script disables the default route through ISP1 (comment ISP1),
# the up-script enables it again; a second netwatch enables a backup route
# while its host is down. Each route follows its netwatch's state.
/ip address
add address=10.1.0.2/24 interface=ether1
add address=10.2.0.2/24 interface=ether2
/ip route
add comment=ISP1 dst-address=0.0.0.0/0 gateway=10.1.0.1
add comment=ISP2 distance=2 dst-address=0.0.0.0/0 gateway=10.2.0.1
add comment=backup disabled=yes dst-address=192.0.2.0/24 gateway=10.2.0.1
add dst-address=8.8.8.8/32 gateway=10.1.0.1 scope=10
add dst-address=8.8.4.4/32 gateway=10.1.0.1 scope=10
add dst-address=9.9.9.9/32 gateway=10.1.0.1 scope=10
add dst-address=1.1.1.1/32 gateway=10.2.0.1 scope=10
/tool netwatch
# v6: quoted scripts, disable/enable by find
add down-script="/ip route disable [find comment=\"ISP1\"]" host=8.8.8.8 \
    interval=5s timeout=1s up-script="/ip route enable [find comment=\"ISP1\"]"
# v7: a block, set ... disabled=, ';' between statements, a :log skipped
/tool/netwatch
add comment=backup disabled=no down-script={
    /ip/route/set [find where comment="backup"] disabled=no; :log info "down"
} host=1.1.1.1 interval=3s packet-count=5 packet-interval=100ms \
    thr-avg=80ms thr-loss-percent=20% thr-loss-count=3 thr-max=500ms \
    thr-jitter=300ms timeout=1s type=icmp \
    up-script="/ip route set [ find comment=backup ] disabled=yes" \
    src-address=10.2.0.2 test-script="" start-delay=3s startup-delay=5m
add disabled=yes host=9.9.9.9
# Three targets behind ISP1: its default leaves while 2 of 3 are down.
add host=8.8.4.4 down-script="/ip route disable [find comment=\"ISP1\"]" \
    up-script="/ip route enable [find comment=\"ISP1\"]"
add host=9.9.9.9 down-script="/ip route disable [find comment=\"ISP1\"]" \
    type=tcp-conn port=443 interval=5s timeout=2s
