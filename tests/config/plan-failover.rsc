# Failover by distance (ecmpd planner case): the primary line is used
# while its gateway answers pings; the backup takes over when it does not.
# The ISP's DNS server is routed to its own gateway, and a third uplink
# is interface-only (a PPP-style link with no gateway address).
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
add address=10.113.0.2/30 interface=ppp1

/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1 distance=1 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=10.112.0.1,ppp1 distance=2 check-gateway=arp
add dst-address=9.9.9.9/32 gateway=10.112.0.1

/ip firewall nat
add chain=srcnat out-interface=wlan1 action=masquerade
add chain=srcnat out-interface=wlan2 action=masquerade
add chain=srcnat out-interface=ppp1 action=masquerade
