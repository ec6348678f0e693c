# Bridges, VLANs and bridge ports: devices the box makes; ecmpd checks
# them against Linux when the daemon loads the config
# (tests/kernel/t_devices.sh runs it in a namespace).
/interface bridge
add name=bridge-lan protocol-mode=none
/interface ethernet
set [ find default-name=ether1 ] name=WAN1
/interface vlan
add interface=WAN1 name=vlan35 vlan-id=35
add interface=WAN1 name=vlan36 vlan-id=36
/interface bridge port
add bridge=bridge-lan interface=ether3
add bridge=bridge-lan interface=ether4
/ip address
add address=192.168.88.1/24 interface=bridge-lan
add address=10.0.35.2/24 interface=vlan35
add address=10.0.36.2/24 interface=vlan36
/ip route
add gateway=10.0.35.1,10.0.36.1
