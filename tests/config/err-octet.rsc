/ip address
add address=10.111.0.256/24 interface=wlan1
