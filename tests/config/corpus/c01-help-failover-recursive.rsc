# Source: MikroTik documentation, "Failover (WAN Backup)", RouterOS v7,
#   https://help.mikrotik.com/docs/spaces/ROS/pages/26476608/Failover+WAN+Backup
# Reconstructed after the page's "Basic failover" section (two uplinks on
# ether1/ether2, host routes to 8.8.8.8 and 8.8.4.4 with scope=10, recursive
# defaults with target-scope=11); not a verbatim copy. Like the page, it
# gives no /ip address: the WAN addresses come from elsewhere.
/ip/firewall/nat
add chain=srcnat action=masquerade out-interface=ether1
add chain=srcnat action=masquerade out-interface=ether2

/ip/route
add dst-address=8.8.8.8 scope=10 gateway=10.111.0.1
add dst-address=8.8.4.4 scope=10 gateway=10.112.0.1

/ip/route
add distance=1 gateway=8.8.8.8 target-scope=11 check-gateway=ping
add distance=2 gateway=8.8.4.4 target-scope=11 check-gateway=ping
