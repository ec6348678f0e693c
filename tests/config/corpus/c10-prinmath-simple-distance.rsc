# Source: "Route Failover for Mikrotik Routers", John Maxwell W0VG and
#   Willem Schreuder AC0KQ, http://www.prinmath.com/ham/mikrotik-failover.htm
# Reconstructed after the page's "Simple Failover" section (RouterOS v6:
# primary at distance 1 with check-gateway=ping, secondary at distance 2,
# aligned columns of blanks); not a verbatim copy.
/ip address
add address=10.0.1.2/24 interface=ether1
add address=10.0.2.2/24 interface=ether2
add address=192.168.10.1/24 interface=ether5
/ip route
add gateway=10.0.1.1 distance=1 check-gateway=ping  comment=Primary
add gateway=10.0.2.1 distance=2                     comment=Secondary
/ip firewall nat
add chain=srcnat action=masquerade out-interface=ether1
add chain=srcnat action=masquerade out-interface=ether2
