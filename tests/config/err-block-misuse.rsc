# A '}' without its '{', a command before a '{', a command in a menu
# directory.
/ip address
add address=10.111.0.2/24 interface=wlan1
}
/ip route add gateway=10.111.0.1 {
}
/ip firewall
add chain=srcnat action=masquerade
