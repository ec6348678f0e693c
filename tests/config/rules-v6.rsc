# Policy rules, RouterOS v6 (/ip route rule), as forum configs write them:
# one LAN half always leaves by ISP1's table, the other may only use
# ISP2's (lookup-only-in-table: dropped when ISP2's table has no route),
# a guest network gets unreachable for the management net, a bad source
# is dropped, and packets marked for ISP1 look up main first for the
# LAN's own destinations. The rules become ip rules in this order,
# before the routing marks and the pins.
/ip address
add address=192.168.0.1/24 interface=Local
add address=192.168.88.1/24 interface=Guest
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=10.111.0.1 routing-mark=to_isp1
add dst-address=0.0.0.0/0 gateway=10.112.0.1 routing-mark=to_isp2

/ip route rule
add dst-address=192.168.0.0/24 routing-mark=to_isp1 action=lookup table=main comment="LAN stays on the LAN"
add src-address=192.168.0.0/25 action=lookup table=to_isp1
add src-address=192.168.0.128/25 action=lookup-only-in-table table=to_isp2
add src-address=192.168.88.0/24 dst-address=10.0.0.0/8 interface=Guest action=unreachable
add src-address=203.0.113.0/24 action=drop
add src-address=198.51.100.0/24 action=drop disabled=yes

/ip firewall mangle
add chain=prerouting in-interface=Local connection-mark=no-mark per-connection-classifier=both-addresses:2/0 action=mark-routing new-routing-mark=to_isp1
