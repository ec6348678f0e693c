/ip address
add address=10.111.0.2/24 network=10.111.1.0 broadcast=10.111.0.127 interface=wlan1
