# /ip firewall address-list as nft named sets; src-address-list= and
# dst-address-list= (with '!') in mangle and NAT. Overlapping entries merge
# (RouterOS allows them); a list no entry fills gets a warning.
/ip firewall address-list
add address=192.168.0.0/16 list=LOCAL-IP
add address=172.16.0.0/12 list=LOCAL-IP
add address=10.0.0.0/8 list=LOCAL-IP
add address=192.168.88.0/24 list=LOCAL-IP comment="inside the /16 above"
add address=192.168.88.10-192.168.88.20 list=admins
add address=192.168.88.7 list=admins
add address=203.0.113.9 list=admins disabled=yes
/ip address
add address=192.168.88.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip route
add gateway=10.111.0.1,10.112.0.1 check-gateway=ping
add gateway=10.111.0.1 routing-mark=to_wlan1
/ip firewall mangle
add chain=prerouting src-address-list=LOCAL-IP dst-address-list=LOCAL-IP action=accept
add chain=prerouting src-address-list=admins dst-address-list=!LOCAL-IP action=mark-routing new-routing-mark=to_wlan1
add chain=prerouting src-address-list=!nobody action=accept
/ip firewall nat
add chain=srcnat out-interface=wlan1 src-address-list=LOCAL-IP action=masquerade
add chain=srcnat out-interface=wlan2 action=masquerade
