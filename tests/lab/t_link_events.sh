#!/bin/bash
# SPDX-License-Identifier: MIT
# t_link_events.sh - link events on wlan1 (3f), with the seed's config.
#
# Three events: carrier loss (ISP1's end of the link set down), admin down
# of wlan1 in the router, and wlan1 deleted and created again with the
# same name (a new ifindex; re-attached to ISP1 and set up). Each must take
# 10.111.0.1 down at once from the netlink event, not after the ~800 ms
# that lost probes need: ecmpd's log gives each transition's cause ("link
# down", or "after N lost probes"), which tells the two apart on a busy
# machine as well as on a quiet one. After the link is back everything must be
# as before: addresses, ecmpd's routes and rules, the nft ruleset and the
# sysctls (compared with a snapshot taken before), the multipath route
# with both gateways, new connections over both uplinks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

BATCH=${BATCH:-30}

lab_require_root
lab_require_ecmpd
lab_up
lan_extra_addresses

check "ecmpd starts with examples/seed.rsc" start_ecmpd "$SRCDIR/examples/seed.rsc" || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]
check "multipath route with both gateways" wait_for 10 lf_multipath_has "$GW1" "$GW2"
lf_batch "$BATCH"
check_num "before: new connections over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_OK == $B_TOTAL > 0 and $B_UP1 > 0 and $B_UP2 > 0"
BASE=$LAB_TMP/state.base
lf_state_dump "$BASE"
log "baseline: $(grep -c . "$BASE") lines of state"

# gw1_downs: how many times ecmpd logged 10.111.0.1 going down
gw1_downs() { grep -cE "gateway $GW1 \(wlan1\): [a-z]+ -> down" "$ECMPD_LOG"; }
# down_by_link N: ecmpd logged more than N downs of 10.111.0.1, the last
# one caused by the link
down_by_link() {
	[ "$(gw1_downs)" -gt "$1" ] &&
		grep -E "gateway $GW1 \(wlan1\): [a-z]+ -> down" "$ECMPD_LOG" | tail -n 1 | grep -q -- "-> down link down"
}

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
	local idx0 n0
	idx0=$(rt cat /sys/class/net/wlan1/ifindex 2>/dev/null)
	n0=$(gw1_downs)
	t=$(lf_timed "$GW1=down" 10 "$2")
	echo "MEASURE: $label -> 10.111.0.1 down: $t ms"
	check "$label: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
	check "$label:   ... at once, from the link event, not after lost probes" \
		wait_for 10 down_by_link "$n0"
	grep -E "gateway $GW1 \(wlan1\): [a-z]+ -> down" "$ECMPD_LOG" | tail -n 1
	check_eq "$label: 10.112.0.1 stays up" up "$(lf_state "$GW2")"
	check "$label: multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"
	lf_batch "$BATCH"
	check_num "$label: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
	check_num "$label:   ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"

	t=$(lf_timed "$GW1=up" 20 "$3")
	echo "MEASURE: $label, link back -> 10.111.0.1 up: $t ms"
	check "$label, link back: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
	if [ "$label" = "wlan1 re-created" ]; then
		local idx1
		idx1=$(rt cat /sys/class/net/wlan1/ifindex 2>/dev/null)
		check "$label: a new ifindex ($idx0 -> $idx1)" [ "$idx0" != "$idx1" ]
	fi
	check "$label, link back: addresses, routes, rules, nft, sysctls as before" wait_for 10 lf_same_state "$BASE" || lf_state_diff "$BASE"
	check "$label, link back: multipath route with both gateways" wait_for 10 lf_multipath_has "$GW1" "$GW2"
	rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0
	lf_batch "$BATCH"
	check_num "$label, link back: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
	check_num "$label, link back:   ... over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_UP1 > 0 and $B_UP2 > 0"
}

event "carrier loss" carrier_off carrier_on
event "admin down" admin_down admin_up
event "wlan1 re-created" delete_wlan1 recreate_wlan1
check "ecmpd still running" lf_ecmpd_alive
# Not asserted (a link being re-created is a window where a probe may go
# out before the address is back), but worth seeing.
echo "INFO: ISP drop counters (packets with a wrong source): ISP1 $(isp_drops 1), ISP2 $(isp_drops 2)"

finish
