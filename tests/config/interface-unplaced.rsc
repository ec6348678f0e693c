/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip firewall nat
add chain=srcnat out-interface=wlan3 action=masquerade
