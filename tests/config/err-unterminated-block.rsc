# A block never closed: what it holds is still read, but the file is an
# error (a lost '}' usually means a lost part of the config).
/ip address
add address=10.111.0.2/24 interface=wlan1
/ip route {
add gateway=10.111.0.1
