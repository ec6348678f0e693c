# Source: "Mikrotik: Балансировка в КПСС и соблюдение скоростного режима",
#   Habr article (2018), republished at http://itnan.ru/post.php?c=1&p=331544
#   and https://asp24.ru/mikrotik/mikrotik-balansirovka-v-kpss-i-soblyudenie-skorostnogo-rezhima/
# Reconstructed after the article's scheme (RouterOS v6: an address list
# "Connected" of the router's own networks and "LAN", traffic between
# connected networks accepted before PCC, recursive check routes per ISP
# with routing marks); not a verbatim copy. Comments in Russian as in the
# article.
/ip address
add address=1.1.1.2/24 interface=ether1-isp1 comment="провайдер 1"
add address=2.2.2.2/24 interface=ether2-isp2 comment="провайдер 2"
add address=192.168.22.1/24 interface=bridge-lan comment="локальная сеть"
/ip firewall address-list
add address=1.1.1.0/24 list=Connected
add address=2.2.2.0/24 list=Connected
add address=192.168.22.0/24 list=Connected
add address=192.168.22.0/24 list=LAN
/ip firewall mangle
add chain=prerouting src-address-list=Connected dst-address-list=Connected action=accept
add chain=prerouting in-interface=ether1-isp1 connection-mark=no-mark action=mark-connection new-connection-mark=isp1
add chain=prerouting in-interface=ether2-isp2 connection-mark=no-mark action=mark-connection new-connection-mark=isp2
add chain=prerouting src-address-list=LAN connection-mark=no-mark dst-address-type=!local per-connection-classifier=both-addresses:2/0 action=mark-connection new-connection-mark=isp1
add chain=prerouting src-address-list=LAN connection-mark=no-mark dst-address-type=!local per-connection-classifier=both-addresses:2/1 action=mark-connection new-connection-mark=isp2
add chain=prerouting connection-mark=isp1 src-address-list=LAN action=mark-routing new-routing-mark=isp1
add chain=prerouting connection-mark=isp2 src-address-list=LAN action=mark-routing new-routing-mark=isp2
add chain=output connection-mark=isp1 action=mark-routing new-routing-mark=isp1
add chain=output connection-mark=isp2 action=mark-routing new-routing-mark=isp2
/ip route
add dst-address=8.8.8.8/32 gateway=1.1.1.1 scope=10
add dst-address=8.8.4.4/32 gateway=2.2.2.1 scope=10
add gateway=8.8.8.8 routing-mark=isp1 check-gateway=ping target-scope=11 distance=1
add gateway=8.8.4.4 routing-mark=isp1 check-gateway=ping target-scope=11 distance=2
add gateway=8.8.4.4 routing-mark=isp2 check-gateway=ping target-scope=11 distance=1
add gateway=8.8.8.8 routing-mark=isp2 check-gateway=ping target-scope=11 distance=2
add gateway=8.8.8.8 check-gateway=ping target-scope=11 distance=1
add gateway=8.8.4.4 check-gateway=ping target-scope=11 distance=2
/ip firewall nat
add chain=srcnat out-interface=ether1-isp1 action=masquerade
add chain=srcnat out-interface=ether2-isp2 action=masquerade
