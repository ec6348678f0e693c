#!/bin/bash
# SPDX-License-Identifier: MIT
# t_arp_failover.sh - check-gateway=arp failover (3e).
#
# The seed's config with check-gateway=arp. ISP1's gateway stops answering
# ARP, in two ways: an nft "arp" family table dropping ARP requests in
# ISP1 (IP still flows while the router's neighbour entry lasts: only an
# ARP check sees it), and "ip link set cust arp off" in ISP1. Each time
# 10.111.0.1 must go down (time printed), new connections must all leave
# by ISP2; back, it must come up and take new connections again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

BATCH=${BATCH:-30}

lab_require_root
lab_require_ecmpd
lab_up
lan_extra_addresses

CFG=$LAB_TMP/seed-arp.rsc
sed -e 's/check-gateway=ping/check-gateway=arp/' "$SRCDIR/examples/seed.rsc" >"$CFG"
check "the config asks for check-gateway=arp" grep -q 'check-gateway=arp' "$CFG"

check "ecmpd starts with check-gateway=arp" start_ecmpd "$CFG" || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]
check_eq "status reports check arp for 10.111.0.1" arp "$(ecmpd_uplink_field "$GW1" check)"
check_eq "status reports check arp for 10.112.0.1" arp "$(ecmpd_uplink_field "$GW2" check)"

arp_drop() {
	nsx "$NS_ISP1" nft -f - <<-'EOF'
	table arp noarp {
		chain in { type filter hook input priority 0; policy drop; }
	}
	EOF
}
arp_undrop() { nsx "$NS_ISP1" nft delete table arp noarp; }
arp_off() { nsx "$NS_ISP1" ip link set dev cust arp off; }
arp_on() { nsx "$NS_ISP1" ip link set dev cust arp on; }

fault() { # LABEL BREAK-FN MEND-FN
	local label=$1 t
	log "--- $label"
	t=$(lf_timed "$GW1=down" 10 "$2")
	echo "MEASURE: $label -> 10.111.0.1 down: $t ms"
	check "$label: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
	# probe defaults: 100 ms interval, 300 ms timeout, 5 losses
	check_num "$label:   ... within 3 s" "$t <= 3000"
	check_eq "$label: 10.112.0.1 stays up" up "$(lf_state "$GW2")"
	check "$label: multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"
	lf_batch "$BATCH"
	check_num "$label: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
	check_num "$label:   ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"

	t=$(lf_timed "$GW1=up" 20 "$3")
	echo "MEASURE: $label mended -> 10.111.0.1 up: $t ms"
	check "$label mended: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
	check "$label mended: multipath route with both gateways" wait_for 10 lf_multipath_has "$GW1" "$GW2"
	lf_batch "$BATCH"
	check_num "$label mended: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
	check_num "$label mended:   ... over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_UP1 > 0 and $B_UP2 > 0"
}

fault "ISP1 drops ARP (nft arp table)" arp_drop arp_undrop
fault "ISP1's cust arp off" arp_off arp_on
check "ecmpd still running" lf_ecmpd_alive

finish
