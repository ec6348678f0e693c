# Source: "Route Failover for Mikrotik Routers", John Maxwell W0VG and
#   Willem Schreuder AC0KQ, http://www.prinmath.com/ham/mikrotik-failover.htm
# Reconstructed after the page's "Recursive Failover" section (RouterOS v6:
# a /32 to 8.8.8.8 through the primary with scope=10, the default through
# 8.8.8.8 with check-gateway=ping, the secondary at distance 2; the default
# route written without dst-address); not a verbatim copy. The page's
# addresses (10.0.1.1, 10.0.2.1) are kept, with an /ip address section.
/ip address
add address=10.0.1.2/24 interface=ether1 comment=Primary
add address=10.0.2.2/24 interface=ether2 comment=Secondary
add address=192.168.10.1/24 interface=ether5 comment=LAN
/ip route
add dst-address=8.8.8.8/32 gateway=10.0.1.1 scope=10 comment="Validate Primary"
add gateway=8.8.8.8  distance=1 check-gateway=ping   comment=Primary
add gateway=10.0.2.1 distance=2                      comment=Secondary
/ip firewall nat
add chain=srcnat action=masquerade out-interface=ether1
add chain=srcnat action=masquerade out-interface=ether2
