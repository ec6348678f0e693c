# An export's other menus: one warning per menu (not per line), naming
# what on Linux does that menu's job; -n --explain shows each line's fate.
/system identity set name=gw
/system clock set time-zone-name=Europe/Riga
/ip dns set servers=1.1.1.1
/ip dhcp-server add interface=Local address-pool=lan name=lan
/ip dhcp-server add interface=Guest address-pool=guest name=guest
/ip pool add name=lan ranges=192.168.0.10-192.168.0.254
/interface wireless set [ find default-name=wlan3 ] ssid=home
/user add name=admin2 group=full
/snmp set enabled=yes
/ip service set telnet disabled=yes
/queue simple add target=192.168.0.0/24 max-limit=10M/10M
/routing ospf instance add name=default
/frobnicate add x=1
:global x 1
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip route
add gateway=10.111.0.1,10.112.0.1 check-gateway=ping
add gateway=10.111.0.1 distance=2 disabled=yes
/ip firewall nat
add chain=srcnat out-interface=wlan1 action=masquerade
