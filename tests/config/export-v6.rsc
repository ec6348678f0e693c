# nov/27/2026 12:00:00 by RouterOS 6.48.6
# software id = 4Q2K-ABCD
#
# model = RB951Ui-2HnD
# serial number = 5A1B0C2D3E4F
/interface bridge
add admin-mac=4C:5E:0C:11:22:33 auto-mac=no comment=defconf name=bridge
/interface ethernet
set [ find default-name=ether1 ] name=ether1-wan1
set [ find default-name=ether2 ] name=ether2-wan2
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
add authentication-types=wpa2-psk eap-methods="" management-protection=\
    allowed mode=dynamic-keys name=home supplicant-identity="" \
    wpa2-pre-shared-key="s3cr3t \"quoted\" key\_with\$sign"
/interface wireless
set [ find default-name=wlan1 ] band=2ghz-b/g/n channel-width=20/40mhz-XX \
    disabled=no distance=indoors frequency=auto mode=ap-bridge \
    security-profile=home ssid=office wireless-protocol=802.11
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=dhcp disabled=no interface=bridge name=defconf
/interface bridge port
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=wlan1
/ip settings
set rp-filter=loose tcp-syncookies=yes ipv4-multipath-hash-policy=l4
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=\
    192.168.88.0
add address=10.111.0.2/24 interface=ether1-wan1 network=10.111.0.0
add address=10.112.0.2/24 interface=ether2-wan2 network=10.112.0.0
/ip dhcp-server network
add address=192.168.88.0/24 comment=defconf gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes servers=1.1.1.1,9.9.9.9
/ip dns static
add address=192.168.88.1 name=router.lan
/ip firewall filter
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" \
    connection-state=invalid
/ip firewall mangle
add action=mark-connection chain=input in-interface=ether1-wan1 \
    new-connection-mark=wan1_conn passthrough=yes
add action=mark-connection chain=input in-interface=ether2-wan2 \
    new-connection-mark=wan2_conn passthrough=yes
add action=mark-routing chain=output connection-mark=wan1_conn \
    new-routing-mark=to_wan1 passthrough=yes
add action=mark-routing chain=output connection-mark=wan2_conn \
    new-routing-mark=to_wan2 passthrough=yes
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" \
    out-interface=ether1-wan1
add action=masquerade chain=srcnat out-interface=ether2-wan2
add action=dst-nat chain=dstnat dst-port=8443 in-interface=ether1-wan1 \
    protocol=tcp to-addresses=192.168.88.10 to-ports=443
/ip route
add check-gateway=ping distance=1 gateway=10.111.0.1,10.112.0.1
add distance=1 gateway=10.111.0.1 routing-mark=to_wan1
add distance=1 gateway=10.112.0.1 routing-mark=to_wan2
add comment="keep off the internet" distance=1 dst-address=192.0.2.0/24 \
    type=blackhole
/ip service
set telnet disabled=yes
set ftp disabled=yes
/system clock
set time-zone-name=Europe/Riga
/system identity
set name=gw-office
/system scheduler
add interval=1d name=reboot on-event="/system reboot" start-time=03:00:00
/system script
add name=notify source=":local gw [/ip route get [find dst-address=\"0.0.0.0/0\"] gateway]\r\
    \n:log info \"gateway \$gw\"\r\
    \n"
/tool mac-server
set allowed-interface-list=none
/tool mac-server mac-winbox
set allowed-interface-list=none
