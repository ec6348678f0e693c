#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_admin_down.sh - fault matrix 3 (issue 4): `ip link set wlan1
# down` in the router, then up. 10.111.0.1 must go down at once, new
# connections leave by ISP2, connections pinned to wlan2 live on; link up:
# the kernel dropped every route via wlan1 (docs/kernel-facts.md, fact 6), ecmpd must put them
# back and 10.111.0.1 rejoin. Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

mx_start
admin_down() { rt ip link set dev wlan1 down; }
admin_up() { rt ip link set dev wlan1 up; }

t=$(lf_timed "$GW1=down" 10 admin_down)
echo "MEASURE: wlan1 admin down -> 10.111.0.1 down: $t ms"
check "admin down: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
check_eq "admin down: 10.112.0.1 stays up" up "$(lf_state "$GW2")"
check "admin down: multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"
lf_batch "$MX_BATCH"
check_num "admin down: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "admin down:   ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
mx_flows_check "admin down" "$WAN1"

t=$(lf_timed "$GW1=up" 20 admin_up)
echo "MEASURE: wlan1 up -> 10.111.0.1 up: $t ms"
check "admin up: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
check "admin up: wlan1's own table (pins) has its default route again" \
	wait_for 10 sh -c "ip netns exec $NS_RT ip route show table $((1000 + $(ecmpd_uplink_id "$GW1"))) | grep -q 'default via $GW1 dev wlan1'"
mx_flows_check "admin up" "$WAN1"
mx_final_check "admin up"
mx_finish
