/ip address
add address=10.111.0.2/33 interface=wlan1
