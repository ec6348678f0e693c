# Source: "How to configure load balancing on Mikrotik routers using Per
#   Connection Classifier (PCC)", timigate.com, February 2018,
#   https://timigate.com/2018/02/how-to-configure-load-balancing-of.html
# Reconstructed after the post (RouterOS v6: "/ ip address" with blanks,
# connections marked in the input chain per ISP, routing marks in output,
# an ECMP default with check-gateway=ping). The post's typographic quotes
# around comments (a copy from a blog) are kept as such; not a verbatim
# copy.
/ ip address
add address=192.168.88.1/24 network=192.168.88.0 broadcast=192.168.88.255 interface=ether3
add address=41.58.10.2/29 network=41.58.10.0 broadcast=41.58.10.7 interface=ether1
add address=105.112.20.2/29 network=105.112.20.0 broadcast=105.112.20.7 interface=ether2

/ip route
add dst-address=0.0.0.0/0 check-gateway=ping gateway=41.58.10.1,105.112.20.1

/ip firewall nat
add action=masquerade chain=srcnat comment=”ISP1″ out-interface=ether1
add action=masquerade chain=srcnat comment=”ISP2″ out-interface=ether2

/ip firewall mangle
add action=mark-connection chain=input comment=”ISP1_Inbound” in-interface=ether1 new-connection-mark=”ISP1_Inbound”
add action=mark-connection chain=input comment=”ISP2_Inbound” in-interface=ether2 new-connection-mark=”ISP2_Inbound”
add action=mark-routing chain=output comment=”ISP1_Outbound” connection-mark=”ISP1_Inbound” new-routing-mark=”ISP1_Outbound”
add action=mark-routing chain=output comment=”ISP2_Outbound” connection-mark=”ISP2_Inbound” new-routing-mark=”ISP2_Outbound”

/ip route
add check-gateway=ping distance=1 gateway=41.58.10.1 routing-mark=”ISP1_Outbound”
add check-gateway=ping distance=1 gateway=105.112.20.1 routing-mark=”ISP2_Outbound”
