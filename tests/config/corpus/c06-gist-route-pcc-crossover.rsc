# Source: "ip_route_pcc", GitHub gist by yenleidong, November 20, 2014,
#   https://gist.github.com/yenleidong/28007317d370394b9acb
# Reconstructed after the gist (RouterOS v6: each PCC routing mark has its
# own ISP at distance 1 and the other ISP at distance 2); not a verbatim
# copy. The gist shows only /ip route; the addresses, NAT and the PCC
# marking are added here the way the gist's routes assume them.
/ip address
add address=192.168.1.2/24 interface=ether1
add address=192.168.2.2/24 interface=ether2
add address=10.10.0.1/16 interface=ether3

/ip firewall mangle
add action=mark-connection chain=prerouting connection-mark=no-mark \
    dst-address-type=!local in-interface=ether3 new-connection-mark=isp1 \
    per-connection-classifier=both-addresses-and-ports:2/0
add action=mark-connection chain=prerouting connection-mark=no-mark \
    dst-address-type=!local in-interface=ether3 new-connection-mark=isp2 \
    per-connection-classifier=both-addresses-and-ports:2/1
add action=mark-routing chain=prerouting connection-mark=isp1 \
    in-interface=ether3 new-routing-mark=route-to-isp1 passthrough=no
add action=mark-routing chain=prerouting connection-mark=isp2 \
    in-interface=ether3 new-routing-mark=route-to-isp2 passthrough=no

/ip route
add check-gateway=ping dst-address=0.0.0.0/0 gateway=192.168.1.1 routing-mark=route-to-isp1 distance=1
add check-gateway=ping dst-address=0.0.0.0/0 gateway=192.168.2.1 routing-mark=route-to-isp1 distance=2
add check-gateway=ping dst-address=0.0.0.0/0 gateway=192.168.2.1 routing-mark=route-to-isp2 distance=1
add check-gateway=ping dst-address=0.0.0.0/0 gateway=192.168.1.1 routing-mark=route-to-isp2 distance=2
add check-gateway=ping dst-address=0.0.0.0/0 gateway=192.168.1.1 distance=1
add check-gateway=ping dst-address=0.0.0.0/0 gateway=192.168.2.1 distance=2

/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2
