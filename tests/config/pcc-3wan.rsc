# Three uplinks balanced per connection with PCC (RouterOS v6 spelling).
# New connections from the LAN are split by source and destination
# address into thirds; each third is marked and routed out of its uplink.
# Connections that arrive on an uplink stay on it. The main table keeps
# an ECMP default over all three for the router's own traffic.
/ip address
add address=192.168.88.1/24 network=192.168.88.0 broadcast=192.168.88.255 interface=bridge-lan
add address=10.1.0.2/24 interface=ether1
add address=10.2.0.2/24 interface=ether2
add address=10.3.0.2/24 interface=ether3

/ip settings
set ipv4-multipath-hash-policy=l4

/routing settings
set check-gateway-interval=200ms check-gateway-timeout=1s check-gateway-down-count=3

/ip firewall mangle
add chain=prerouting in-interface=ether1 connection-mark=no-mark action=mark-connection new-connection-mark=wan1_conn
add chain=prerouting in-interface=ether2 connection-mark=no-mark action=mark-connection new-connection-mark=wan2_conn
add chain=prerouting in-interface=ether3 connection-mark=no-mark action=mark-connection new-connection-mark=wan3_conn
add chain=prerouting in-interface=bridge-lan dst-address-type=!local connection-mark=no-mark \
    per-connection-classifier=both-addresses:3/0 action=mark-connection new-connection-mark=wan1_conn
add chain=prerouting in-interface=bridge-lan dst-address-type=!local connection-mark=no-mark \
    per-connection-classifier=both-addresses:3/1 action=mark-connection new-connection-mark=wan2_conn
add chain=prerouting in-interface=bridge-lan dst-address-type=!local connection-mark=no-mark \
    per-connection-classifier=both-addresses:3/2 action=mark-connection new-connection-mark=wan3_conn
add chain=prerouting in-interface=bridge-lan connection-mark=wan1_conn action=mark-routing new-routing-mark=to_wan1 passthrough=no
add chain=prerouting in-interface=bridge-lan connection-mark=wan2_conn action=mark-routing new-routing-mark=to_wan2 passthrough=no
add chain=prerouting in-interface=bridge-lan connection-mark=wan3_conn action=mark-routing new-routing-mark=to_wan3 passthrough=no
add chain=output connection-mark=wan1_conn action=mark-routing new-routing-mark=to_wan1
add chain=output connection-mark=wan2_conn action=mark-routing new-routing-mark=to_wan2
add chain=output connection-mark=wan3_conn action=mark-routing new-routing-mark=to_wan3

/ip route
add dst-address=0.0.0.0/0 gateway=10.1.0.1 routing-mark=to_wan1 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=10.2.0.1 routing-mark=to_wan2 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=10.3.0.1 routing-mark=to_wan3 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=10.1.0.1,10.2.0.1,10.3.0.1 check-gateway=ping

/ip firewall nat
add chain=srcnat out-interface=ether1 action=masquerade
add chain=srcnat out-interface=ether2 action=masquerade
add chain=srcnat out-interface=ether3 action=masquerade
