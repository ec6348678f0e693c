# Blocks as scripts and exports write them: a menu inside braces, nested
# blocks, relative menus, commands on the brace's lines.
{
/ip address
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
}
/ip {
    address add address=192.168.0.1/24 interface=Local
    firewall {
        nat {
            add chain=srcnat out-interface=wlan1 action=masquerade
            add chain=srcnat out-interface=wlan2 action=masquerade
        }
        mangle add chain=input in-interface=wlan1 action=mark-connection new-connection-mark=c1
    }
    dns set servers=1.1.1.1
}
/ip route { add gateway=10.111.0.1,10.112.0.1 check-gateway=ping; add dst-address=10.9.0.0/16 gateway=10.111.0.1 }
:do {
    /ip route add gateway=10.111.0.1 comment="inside a script: skipped"
} on-error={ :log info "no" }
/system { identity set name=gw; clock set time-zone-name=UTC }
