#!/bin/sh
# SPDX-License-Identifier: MIT
# dhclient-hook.sh - the -sf script t_dhcp_uplink.sh gives dhclient: it
# sets (and removes) the leased address and nothing else. No default
# route: the gateway is the config's route, which ecmpd places on the
# interface once the lease's network is there (docs/design.md "Uplinks
# with dynamic addresses").
#
# A new address is added before the old one goes, with
# promote_secondaries set: the new one (a secondary in the same subnet)
# survives the old primary's removal, the gateway stays placed, and the
# kernel deletes only the connections masqueraded to the old address.
case $reason in
BOUND | RENEW | REBIND | REBOOT)
	sysctl -qw "net.ipv4.conf.$interface.promote_secondaries=1"
	ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface"
	if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
		ip addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
	fi
	;;
EXPIRE | FAIL | RELEASE | STOP)
	if [ -n "$old_ip_address" ]; then
		ip addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
	fi
	;;
esac
exit 0
