# Double recursion: the default's gateway 1.1.1.1 is reached through a
# host route whose own gateway 8.8.8.8 is reached through a host route on
# ISP1's first hop. Each route's target-scope admits the next one's scope.
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2

/ip route
add dst-address=8.8.8.8 gateway=10.111.0.1 scope=10
add dst-address=1.1.1.1 gateway=8.8.8.8 scope=11 target-scope=11
add dst-address=0.0.0.0/0 gateway=1.1.1.1 check-gateway=ping target-scope=12
add dst-address=0.0.0.0/0 gateway=10.112.0.1 distance=2
