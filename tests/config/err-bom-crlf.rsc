# A byte order mark and CRLF line ends, as Notepad saves a file.
/ip address
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip route
add gateway=10.111.0.1,10.112.0.1 check-gateway=ping
add gateway=10.111.0.1 bogus=1
