# Source: a public GitHub repository's "MikroTik CCR2004 - The Ultimate
#   Config (Dual WAN PCC, VLANs, WG, Cake QoS, Netwatch)", RouterOS v7.21.3
#   (found through the project's code search; repository not named there)
# Reconstructed after that file: renamed ethernet ports, a bridge with
# VLANs, interface lists, PPPoE for WAN1 and DHCP for WAN2, pools, DHCP
# server, WireGuard, DNS, system menus, services, address lists, filter,
# NAT by interface list, PCC mangle by interface list, routing tables,
# check-host routes and a netwatch script block; not a verbatim copy (keys
# and addresses are made up).
/delay 5

/interface bridge
add igmp-snooping=yes name=BR-LAN protocol-mode=none vlan-filtering=no

/interface ethernet
set [ find default-name=ether1 ] comment="WAN1 (fibre)" name=ether1-wan
set [ find default-name=ether2 ] comment=WAN2 name=ether2-wan2
set [ find default-name=ether3 ] comment="OOB Management Port" name=ether3-oob

/interface vlan
add interface=BR-LAN name=VLAN10-LOCAL vlan-id=10
add interface=BR-LAN name=VLAN11-WIFI vlan-id=11

/interface list
add name=WAN
add name=VLANS
add name=Manage

/interface list member
add interface=pppoe-wan1 list=WAN
add interface=ether2-wan2 list=WAN
add interface=VLAN10-LOCAL list=VLANS
add interface=VLAN11-WIFI list=VLANS
add interface=ether3-oob list=Manage

/interface pppoe-client
add add-default-route=no disabled=no interface=ether1-wan max-mtu=1492 name=pppoe-wan1 password=secret user=user@isp

/ip dhcp-client
add interface=ether2-wan2 add-default-route=no disabled=no

/ip pool
add name=POOL10 ranges=192.168.10.101-192.168.10.249
add name=POOL11 ranges=192.168.11.101-192.168.11.249

/ip dhcp-server
add address-pool=POOL10 interface=VLAN10-LOCAL lease-time=1h name=dhcp-vlan10
add address-pool=POOL11 interface=VLAN11-WIFI lease-time=1h name=dhcp-vlan11

/ip dhcp-server network
add address=192.168.10.0/24 dns-server=192.168.10.1 gateway=192.168.10.1
add address=192.168.11.0/24 dns-server=192.168.11.1 gateway=192.168.11.1

/ip address
add address=192.168.10.1/24 interface=VLAN10-LOCAL network=192.168.10.0
add address=192.168.11.1/24 interface=VLAN11-WIFI network=192.168.11.0
add address=10.0.0.1/24 interface=wg-hq network=10.0.0.0
add address=192.168.99.1/24 interface=ether3-oob network=192.168.99.0

/interface wireguard
add listen-port=13231 mtu=1420 name=wg-hq private-key="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

/interface wireguard peers
add allowed-address=10.0.0.2/32 interface=wg-hq name=peer2 public-key="BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="

/ip dns
set allow-remote-requests=yes cache-max-ttl=3d servers=1.1.1.1,8.8.8.8

/system clock
set time-zone-autodetect=no time-zone-name=Asia/Bangkok
/system identity
set name=HQ
/system ntp client
set enabled=yes

/ip service
set telnet disabled=yes
set ftp disabled=yes
set ssh port=22022

/ip firewall address-list
add address=192.168.10.141 list=admin
add address=192.168.0.0/16 list=LOCAL_SUBNETS
add address=10.0.0.0/8 list=LOCAL_SUBNETS

/ip firewall filter
add action=accept chain=input comment="accept established, related, untracked" connection-state=established,related,untracked
add action=drop chain=input comment="drop invalid" connection-state=invalid
add action=accept chain=input comment="admin from VLANs" in-interface-list=VLANS src-address-list=admin
add action=drop chain=input comment="drop all else from WAN" in-interface-list=WAN
add action=accept chain=forward connection-state=established,related,untracked
add action=accept chain=forward in-interface-list=VLANS out-interface-list=WAN
add action=drop chain=forward

/ip firewall nat
add action=masquerade chain=srcnat comment="NAT for all WANs" out-interface-list=WAN

/ip firewall mangle
add action=accept chain=prerouting comment="bypass PCC for local routing" dst-address-list=LOCAL_SUBNETS in-interface-list=VLANS
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=pppoe-wan1 new-connection-mark=WAN1_conn passthrough=yes
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether2-wan2 new-connection-mark=WAN2_conn passthrough=yes
add action=mark-connection chain=prerouting comment="PCC 1/2" connection-mark=no-mark dst-address-type=!local in-interface-list=VLANS new-connection-mark=WAN1_conn passthrough=yes per-connection-classifier=both-addresses:2/0
add action=mark-connection chain=prerouting comment="PCC 2/2" connection-mark=no-mark dst-address-type=!local in-interface-list=VLANS new-connection-mark=WAN2_conn passthrough=yes per-connection-classifier=both-addresses:2/1
add action=mark-routing chain=prerouting connection-mark=WAN1_conn in-interface-list=VLANS new-routing-mark=to_WAN1 passthrough=yes
add action=mark-routing chain=prerouting connection-mark=WAN2_conn in-interface-list=VLANS new-routing-mark=to_WAN2 passthrough=yes
add action=mark-routing chain=output connection-mark=WAN1_conn new-routing-mark=to_WAN1 passthrough=yes
add action=mark-routing chain=output connection-mark=WAN2_conn new-routing-mark=to_WAN2 passthrough=yes

/routing table
add fib name=to_WAN1
add fib name=to_WAN2

/ip route
add comment=Check-Host-WAN1 dst-address=8.8.8.8 gateway=pppoe-wan1 scope=10
add comment=Check-Host-WAN2 dst-address=1.1.1.1 gateway=192.168.1.254 scope=10
add comment=PCC_WAN1 distance=1 gateway=pppoe-wan1 routing-table=to_WAN1
add comment=PCC_WAN2 distance=1 gateway=192.168.1.254 routing-table=to_WAN2
add comment=Default_WAN1 distance=1 gateway=pppoe-wan1
add comment=Default_WAN2 distance=2 gateway=192.168.1.254
add distance=1 dst-address=192.168.20.0/24 gateway=10.0.0.2 routing-table=main

/tool netwatch
add comment=WAN1 host=8.8.8.8 interval=3s timeout=1s down-script={
    /ip route set [find comment="Default_WAN1"] disabled=yes
} up-script={
    /ip route set [find comment="Default_WAN1"] disabled=no
}
