#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_recreate.sh - fault matrix 4 (issue 4): wlan1 deleted and
# created again with the same name (a new ifindex), re-attached to ISP1
# and set up. 10.111.0.1 must go down at once; after the re-creation ecmpd
# must restore its routes (table 1000's nexthop, wlan1's own table) and
# probe through the new interface (10.111.0.1 up again).
#
# The OS owns the uplink addresses (lib_matrix.sh), so the re-created
# wlan1 gets 10.111.0.2 the way hotplug configuration would give it: on
# the new interface before it appears under its name (created as wlan1new,
# address added, renamed to wlan1, set up). The before/after comparison
# leaves out what a re-created interface legitimately changes (ifindex,
# MAC, nexthop object ids: lf_state_dump). Invariants: lib_matrix.sh.
MX_DUMP=lf_state_dump
. "$(dirname "$0")/lib_matrix.sh"

mx_start
delete_wlan1() { rt ip link del dev wlan1; }
recreate_wlan1() {
	ip -n "$NS_RT" link add wlan1new type veth peer name cust netns "$NS_ISP1" &&
		ip -n "$NS_RT" addr add 10.111.0.2/24 broadcast 10.111.0.255 dev wlan1new &&
		ip -n "$NS_RT" link set dev wlan1new name wlan1 &&
		ip -n "$NS_ISP1" addr add 10.111.0.1/24 dev cust &&
		ip -n "$NS_ISP1" link set dev cust up &&
		ip -n "$NS_RT" link set dev wlan1 up
}
idx0=$(rt cat /sys/class/net/wlan1/ifindex)
t=$(lf_timed "$GW1=down" 10 delete_wlan1)
echo "MEASURE: wlan1 deleted -> 10.111.0.1 down: $t ms"
check "deleted: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
check_eq "deleted: 10.112.0.1 stays up" up "$(lf_state "$GW2")"
check "deleted: multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"
lf_batch "$MX_BATCH"
check_num "deleted: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "deleted:   ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
mx_flows_check "deleted" "$WAN1"

sent0=$(ecmpd_uplink_field "$GW1" probes_sent)
t=$(lf_timed "$GW1=up" 20 recreate_wlan1)
idx1=$(rt cat /sys/class/net/wlan1/ifindex)
echo "MEASURE: wlan1 re-created (ifindex $idx0 -> $idx1) -> 10.111.0.1 up: $t ms"
check "re-created: a new ifindex ($idx0 -> $idx1)" [ "$idx0" != "$idx1" ]
check "re-created: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
check "re-created: wlan1's own table (pins) has its default route again" \
	wait_for 10 sh -c "ip netns exec $NS_RT ip route show table $((1000 + $(ecmpd_uplink_id "$GW1"))) | grep -q 'default via $GW1 dev wlan1'"
sent1=$(ecmpd_uplink_field "$GW1" probes_sent)
lost1=$(ecmpd_uplink_field "$GW1" probes_lost)
# five probes sent after the re-creation was seen (each decided within its
# 300 ms timeout by the time the next five are out)
probes_since() { [ "$(ecmpd_uplink_field "$GW1" probes_sent)" -ge $(($1 + $2)) ]; }
check "re-created: probes go out on the new interface" wait_for 10 probes_since "${sent1:-0}" 10
sent2=$(ecmpd_uplink_field "$GW1" probes_sent)
lost2=$(ecmpd_uplink_field "$GW1" probes_lost)
echo "MEASURE: probes of 10.111.0.1 after re-creation: $((sent2 - sent1)) sent, $((lost2 - lost1)) lost"
check_num "re-created: probing runs on the new interface ($((sent2 - sent1)) sent, $((lost2 - lost1)) lost)" \
	"$((sent2 - sent1)) >= 10 and $((lost2 - lost1)) == 0"
mx_flows_check "re-created" "$WAN1"
mx_final_check "re-created"
mx_finish
