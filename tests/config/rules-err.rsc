# Policy rules the checker refuses: a table with drop, lookup without a
# table, an undeclared v7 table, an unknown interface.
/routing table
add name=to_isp1 fib

/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1

/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1 routing-table=to_isp1

/routing rule
add src-address=192.168.0.0/24 action=drop table=to_isp1
add src-address=192.168.0.0/24 action=lookup
add src-address=192.168.0.0/24 action=lookup table=to_isp9
add interface=ether9 action=lookup table=to_isp1
