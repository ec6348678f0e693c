# Source: "Mikrotik Load Balancing(ECMP Method) 2 WANs(Static IP)", pastebin
#   paste by budiana, Mar 8th, 2018, https://pastebin.com/1rxEGpVr
# Reconstructed after the paste (RouterOS v6: ECMP default with
# check-gateway=ping, replies pinned by input/output marks, /ip dns, the NAT
# section given twice); not a verbatim copy. Saved with CRLF line ends, as
# a paste downloaded on Windows is.

/ip address
add address=192.168.168.1/24 interface=bridge-LAN network=192.168.168.0
add address=198.51.100.254/30 interface=WAN2 network=198.51.100.252
add address=203.0.113.254/30 interface=WAN1 network=203.0.113.252

/ip dns
set servers=8.8.8.8,8.8.4.4

/ip firewall nat
add action=masquerade chain=srcnat out-interface=WAN1
add action=masquerade chain=srcnat out-interface=WAN2

/ip route
add check-gateway=ping distance=1 gateway=198.51.100.253,203.0.113.253

/ip firewall nat
add action=masquerade chain=srcnat out-interface=WAN1
add action=masquerade chain=srcnat out-interface=WAN2

/ip firewall mangle
add action=mark-connection chain=input in-interface=WAN1 new-connection-mark=\
    WAN1_Conn passthrough=yes
add action=mark-connection chain=input in-interface=WAN2 new-connection-mark=\
    WAN2_Conn passthrough=yes
add action=mark-routing chain=output connection-mark=WAN1_Conn \
    new-routing-mark=WAN1_Conn passthrough=no
add action=mark-routing chain=output connection-mark=WAN2_Conn \
    new-routing-mark=WAN2_Conn passthrough=no

/ip route
add check-gateway=ping distance=1 gateway=203.0.113.253 routing-mark=WAN1_Conn
add check-gateway=ping distance=1 gateway=198.51.100.253 routing-mark=WAN2_Conn
