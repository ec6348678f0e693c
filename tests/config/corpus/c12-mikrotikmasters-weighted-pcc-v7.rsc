# Source: "MikroTik Load Balancing Multiple ISPs with PCC (Per Connection
#   Classifier)", mikrotikmasters.com,
#   https://mikrotikmasters.com/mikrotik-load-balancing-multiple-isps-with-pcc-per-connection-classifier
# Reconstructed after the article's weighted example (WAN1 30 Mbit/s, WAN2
# 10 Mbit/s: both-addresses:3/x with remainders 0 and 1 to WAN1 and 2 to
# WAN2; RouterOS v7 routing tables); not a verbatim copy.
/routing table
add name=to_WAN1 fib
add name=to_WAN2 fib

/ip address
add address=100.64.1.2/30 interface=WAN1
add address=100.64.2.2/30 interface=WAN2
add address=192.168.50.1/24 interface=LAN

/ip firewall mangle
add chain=prerouting in-interface=LAN dst-address-type=!local connection-mark=no-mark per-connection-classifier=both-addresses:3/0 action=mark-connection new-connection-mark=WAN1_conn
add chain=prerouting in-interface=LAN dst-address-type=!local connection-mark=no-mark per-connection-classifier=both-addresses:3/1 action=mark-connection new-connection-mark=WAN1_conn
add chain=prerouting in-interface=LAN dst-address-type=!local connection-mark=no-mark per-connection-classifier=both-addresses:3/2 action=mark-connection new-connection-mark=WAN2_conn
add chain=prerouting in-interface=LAN connection-mark=WAN1_conn action=mark-routing new-routing-mark=to_WAN1
add chain=prerouting in-interface=LAN connection-mark=WAN2_conn action=mark-routing new-routing-mark=to_WAN2

/ip route
add dst-address=0.0.0.0/0 gateway=100.64.1.1 routing-table=to_WAN1 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=100.64.2.1 routing-table=to_WAN2 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=100.64.1.1 distance=1 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=100.64.2.1 distance=2 check-gateway=ping

/ip firewall nat
add chain=srcnat out-interface=WAN1 action=masquerade
add chain=srcnat out-interface=WAN2 action=masquerade
