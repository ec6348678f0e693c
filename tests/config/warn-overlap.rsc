/ip address
add address=10.111.0.2/24 interface=wlan1
add address=10.111.0.3/16 interface=wlan2
