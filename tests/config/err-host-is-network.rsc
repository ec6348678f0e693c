/ip address
add address=10.111.0.0/24 interface=wlan1
add address=10.112.0.255/24 interface=wlan2
