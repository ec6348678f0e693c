# Two WANs whose addresses the box gets at run time, as an export shows
# them: no /ip address for ether1 (DHCP) nor for pppoe-out1 (PPPoE). The
# .args give the plan the kernel's networks then: a lease 100.64.1.37/24
# on ether1 and the PPP peer 10.0.0.1/32 on pppoe-out1. 100.64.1.1 and
# 10.0.0.1 are placed on them; 8.8.8.8 is a recursive gateway through
# 100.64.1.1; 172.16.9.1 is on no network the kernel has: left out.
/ip address
add address=192.168.88.1/24 interface=bridge
/ip route
add dst-address=8.8.8.8/32 gateway=100.64.1.1 scope=10
add gateway=8.8.8.8 check-gateway=ping target-scope=11
add gateway=10.0.0.1 distance=2
add gateway=172.16.9.1 distance=3
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=pppoe-out1
