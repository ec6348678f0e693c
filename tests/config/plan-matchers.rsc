# Every mangle and NAT matcher and action the planner translates to nft
# (ecmpd planner case; tests/nft-check.sh applies the result).
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1,10.112.0.1 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=10.111.0.1 routing-mark=via1
add dst-address=0.0.0.0/0 gateway=10.112.0.1 routing-mark=via2

/ip firewall mangle
add chain=prerouting connection-state=invalid action=accept comment="leave \"invalid\" alone"
add chain=prerouting in-interface=!Local connection-state=!established,related action=accept
add chain=prerouting in-interface=Local src-address=192.168.0.0/25 dst-address=!10.0.0.0/8 \
    dst-address-type=!local connection-mark=no-mark protocol=tcp dst-port=80,443,8000-8080 \
    per-connection-classifier=both-addresses-and-ports:2/0 action=mark-connection new-connection-mark=c1
add chain=prerouting in-interface=Local src-address=192.168.0.10-192.168.0.20 connection-mark=no-mark \
    protocol=udp per-connection-classifier=src-address-and-port:2/1 action=mark-connection new-connection-mark=c2
add chain=prerouting in-interface=Local connection-mark=c1 action=mark-routing new-routing-mark=via1 passthrough=no
add chain=prerouting in-interface=Local connection-mark=c2 action=mark-routing new-routing-mark=via2 passthrough=no
add chain=forward out-interface=wlan2 routing-mark=!via2 protocol=icmp action=mark-connection new-connection-mark=c2
add chain=postrouting out-interface=wlan1 connection-mark=!c1 action=mark-connection new-connection-mark=c1
add chain=output dst-address-type=local action=accept disabled=yes
add chain=output connection-mark=c2 action=mark-routing new-routing-mark=via2

/ip firewall nat
add chain=dstnat in-interface=wlan1 protocol=tcp dst-port=8080 action=dst-nat to-addresses=192.168.0.10 to-ports=80
add chain=dstnat in-interface=wlan2 protocol=udp dst-port=53,100-200 action=dst-nat to-addresses=192.168.0.10
add chain=dstnat in-interface=wlan2 protocol=tcp dst-port=2222 action=dst-nat to-ports=22
add chain=srcnat dst-address=10.8.0.0/16 action=accept
add chain=srcnat out-interface=wlan1 action=masquerade
add chain=srcnat out-interface=wlan2 protocol=tcp action=src-nat to-addresses=10.112.0.2 to-ports=1024-65535
add chain=srcnat out-interface=wlan2 action=src-nat to-addresses=10.112.0.2
