# A router as RouterOS exports it with ISP1 on DHCP (ether1) and ISP2 on
# PPPoE (pppoe-out1 over ether2): both client menus are read and checked,
# and each says that the box's own client must run (ecmpd does not start
# them yet) and that their default routes are not planned. The routes
# name the lease's gateway and the PPP interface; .args give the plan the
# kernel's networks once both are up.
/interface pppoe-client
add add-default-route=yes default-route-distance=2 disabled=no \
    interface=ether2 name=pppoe-out1 user=alice password=s3cret \
    use-peer-dns=yes keepalive-timeout=60
/ip dhcp-client
add interface=ether1 add-default-route=special-classless use-peer-dns=no
add interface=ether3 disabled=yes
/ip address
add address=192.168.88.1/24 interface=bridge
/ip route
add gateway=100.64.1.1,pppoe-out1 check-gateway=ping
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=pppoe-out1
