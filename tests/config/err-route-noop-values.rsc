# A malformed pref-src=; suppress-hw-offload= takes yes or no even though
# it changes nothing on Linux.
/ip address
add address=10.111.0.2/24 interface=wlan1
/ip route
add dst-address=10.9.0.0/16 gateway=10.111.0.1 pref-src=10.111.0
add dst-address=10.8.0.0/16 gateway=10.111.0.1 suppress-hw-offload=maybe
