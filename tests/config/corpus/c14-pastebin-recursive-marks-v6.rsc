# Source: pastebin paste G0GEPr0s (an /ip route export, RouterOS v6: two
#   routing marks "dialog" and "etype" each failing over to the other ISP
#   through recursive check hosts 8.8.8.8 and 8.8.4.4, many disabled
#   experiments, a comment about a RouterOS bug), https://pastebin.com/G0GEPr0s
# Reconstructed after the paste's design; not a verbatim copy. The paste
# is only the /ip route section, so no addresses are given.
/ip route
add disabled=yes distance=1 gateway=8.8.8.8 routing-mark=dialog
add disabled=yes distance=2 gateway=8.8.4.4 routing-mark=dialog
add check-gateway=ping distance=1 gateway=8.8.8.8 routing-mark=dialog-route
add distance=2 gateway=8.8.4.4 routing-mark=dialog-route
add check-gateway=ping distance=1 gateway=8.8.4.4 routing-mark=etype-route
add distance=2 gateway=8.8.8.8 routing-mark=etype-route
add check-gateway=ping comment="cause routeros bug (checking gateway by ping doesn't work with routing balancing)" disabled=yes distance=1 gateway=8.8.8.8
add check-gateway=ping disabled=yes distance=1 gateway=8.8.8.8,8.8.4.4
add distance=1 dst-address=8.8.4.4/32 gateway=109.237.2.73 scope=10
add disabled=yes distance=1 dst-address=8.8.4.4/32 gateway=109.237.2.73 scope=10
add distance=1 dst-address=8.8.8.8/32 gateway=83.219.140.209 scope=10
add comment=web.telegram.org distance=1 dst-address=149.154.167.0/24 gateway=83.219.140.209
