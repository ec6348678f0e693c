/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip firewall mangle
add chain=output connection-mark=wlan1_conn action=mark-routing new-routing-mark=to_wlan1
/ip route
add gateway=10.111.0.1 routing-mark=to_wlan1
