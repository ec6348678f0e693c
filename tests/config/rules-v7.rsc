# Policy rules, RouterOS v7 (/routing rule): tables declared in /routing
# table; min-prefix=0 looks up main without its default route (Linux's
# suppress_prefixlength 0), the usual first rule of a v7 multi-WAN config.
/routing table
add name=to_isp1 fib
add name=to_isp2 fib

/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=10.111.0.1 routing-table=to_isp1
add dst-address=0.0.0.0/0 gateway=10.112.0.1 routing-table=to_isp2

/routing rule
add action=lookup min-prefix=0 table=main
add src-address=192.168.0.10/32 action=lookup-only-in-table table=to_isp1
add src-address=192.168.0.11/32 action=lookup table=to_isp2
add routing-mark=to_isp2 dst-address=192.168.0.0/24 action=lookup table=main
