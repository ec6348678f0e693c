# An address list entry takes an address, a prefix or a range: no '!', no
# DNS name, no host bits in a prefix; list= is required.
/ip firewall address-list
add address=!10.0.0.0/8 list=a
add address=example.com list=a
add address=10.0.0.1/8 list=a
add address=10.0.0.9-10.0.0.1 list=a
add address=10.0.0.1
