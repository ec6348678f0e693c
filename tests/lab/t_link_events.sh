#!/bin/bash
# SPDX-License-Identifier: MIT
# t_link_events.sh - link events on wlan1 (3f), with the seed's config.
#
# Three events: carrier loss (ISP1's end of the link set down), admin down
# of wlan1 in the router, and wlan1 deleted and created again with the
# same name (a new ifindex; re-attached to ISP1 and set up). Each must take
# 10.111.0.1 down at once from the netlink event (well before the ~800 ms
# that lost probes need), and after the link is back everything must be
# as before: addresses, ecmpd's routes and rules, the nft ruleset and the
# sysctls (compared with a snapshot taken before), the multipath route
# with both gateways, new connections over both uplinks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

BATCH=${BATCH:-30}
# Probes need >= 5 x 100 ms + 300 ms to declare a gateway down; a link
# event must be seen well before that.
LINK_DOWN_MAX_MS=${LINK_DOWN_MAX_MS:-400}

lab_require_root
lab_require_ecmpd
lab_up
lan_extra_addresses

if ! start_ecmpd "$SRCDIR/examples/seed.rsc"; then
	check "ecmpd starts with examples/seed.rsc" false
	lab_finish
fi
t=$(lf_wait_state "$GW1=up,$GW2=up" 10)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]
check "multipath route with both gateways" wait_for 2 lf_multipath_has "$GW1" "$GW2"
lf_batch "$BATCH"
check_py "before: new connections over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_OK == $B_TOTAL and $B_UP1 > 0 and $B_UP2 > 0"
BASE=$LAB_TMP/state.base
lf_state_dump "$BASE"
log "baseline: $(grep -c . "$BASE") lines of state"

carrier_off() { nsx "$NS_ISP1" ip link set dev cust down; }
carrier_on() { nsx "$NS_ISP1" ip link set dev cust up; }
admin_down() { rt ip link set dev wlan1 down; }
admin_up() { rt ip link set dev wlan1 up; }
delete_wlan1() { rt ip link del dev wlan1; }
recreate_wlan1() {
	ip -n "$NS_RT" link add wlan1 type veth peer name cust netns "$NS_ISP1" &&
		ip -n "$NS_ISP1" addr add 10.111.0.1/24 dev cust &&
		ip -n "$NS_ISP1" link set dev cust up &&
		ip -n "$NS_RT" link set dev wlan1 up
}

event() { # LABEL BREAK-FN MEND-FN
	local label=$1 t
	log "--- $label"
	local idx0
	idx0=$(rt cat /sys/class/net/wlan1/ifindex 2>/dev/null)
	t=$(lf_timed "$GW1=down" 3 "$2")
	echo "MEASURE: $label -> 10.111.0.1 down: $t ms"
	check "$label: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
	check_py "$label:   ... at once (<= $LINK_DOWN_MAX_MS ms, before probes could tell)" \
		"'$t' != 'timeout' and $t <= $LINK_DOWN_MAX_MS"
	check_eq "$label: 10.112.0.1 stays up" up "$(lf_state "$GW2")"
	check "$label: multipath route without 10.111.0.1" wait_for 1 lf_multipath_lacks "$GW1"
	lf_batch "$BATCH"
	check_eq "$label: every new connection succeeds" "$B_TOTAL" "$B_OK"
	check_eq "$label:   ... through ISP2" "$B_TOTAL" "$B_UP2"

	t=$(lf_timed "$GW1=up" 10 "$3")
	echo "MEASURE: $label, link back -> 10.111.0.1 up: $t ms"
	check "$label, link back: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
	if [ "$label" = "wlan1 re-created" ]; then
		local idx1
		idx1=$(rt cat /sys/class/net/wlan1/ifindex 2>/dev/null)
		check "$label: a new ifindex ($idx0 -> $idx1)" [ "$idx0" != "$idx1" ]
	fi
	local same=false
	wait_for 5 lf_same_state "$BASE" && same=true
	check "$label, link back: addresses, routes, rules, nft, sysctls as before" $same
	$same || lf_state_diff "$BASE"
	check "$label, link back: multipath route with both gateways" wait_for 2 lf_multipath_has "$GW1" "$GW2"
	rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0
	lf_batch "$BATCH"
	check_eq "$label, link back: every new connection succeeds" "$B_TOTAL" "$B_OK"
	check_py "$label, link back:   ... over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_UP1 > 0 and $B_UP2 > 0"
}

event "carrier loss" carrier_off carrier_on
event "admin down" admin_down admin_up
event "wlan1 re-created" delete_wlan1 recreate_wlan1
check "ecmpd still running" lf_ecmpd_alive
# Not asserted (a link being re-created is a window where a probe may go
# out before the address is back), but worth seeing.
echo "INFO: ISP drop counters (packets with a wrong source): ISP1 $(isp_drops 1), ISP2 $(isp_drops 2)"

lab_finish
