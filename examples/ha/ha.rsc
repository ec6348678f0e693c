# examples/ha/ha.rsc - the seed's two uplinks on a pair of routers
# (docs/ha.md). The same file on both routers: `ecmpd -n --ha -f ha.rsc`
# prints the hash they compare.
#
# No /ip address: every address here is either the router's own (set by
# the system, different on each router) or a virtual one that keepalived
# moves to the master; ecmpd must add neither. The gateways therefore name
# their interface (a.b.c.d%interface).
#
# src-nat to the virtual WAN addresses, not masquerade: masquerade would
# take the router's own address, which the other router does not have, so
# no connection would survive a failover. Only the LAN's connections are
# translated: the routers' own traffic (VRRP, conntrackd's sync, ecmpd's
# probes) keeps its own addresses.

/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1%wlan1,10.112.0.1%wlan2 check-gateway=ping

/ip firewall nat
add chain=srcnat src-address=192.168.0.0/24 out-interface=wlan1 action=src-nat to-addresses=10.111.0.10
add chain=srcnat src-address=192.168.0.0/24 out-interface=wlan2 action=src-nat to-addresses=10.112.0.10
