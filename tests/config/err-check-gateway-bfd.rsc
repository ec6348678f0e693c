# check-gateway=bfd (RouterOS v7): not supported, said at the value.
/ip/address
add address=10.1.0.2/24 interface=ether1
/ip/route
add dst-address=0.0.0.0/0 gateway=10.1.0.1 check-gateway=bfd
