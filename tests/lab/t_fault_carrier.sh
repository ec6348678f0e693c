#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_carrier.sh - fault matrix 2 (issue 4): carrier loss on wlan1
# (ISP1's end of the veth set down, then up). 10.111.0.1 must go down at
# once (from the link event), new connections leave by ISP2, connections
# pinned to wlan2 live on; carrier back: the kernel dropped the routes via
# wlan1 silently (docs/kernel-facts.md, fact 6), ecmpd must put them back and 10.111.0.1 rejoin.
# Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

mx_start
carrier_off() { nsx "$NS_ISP1" ip link set dev cust down; }
carrier_on() { nsx "$NS_ISP1" ip link set dev cust up; }

t=$(lf_timed "$GW1=down" 10 carrier_off)
echo "MEASURE: carrier lost -> 10.111.0.1 down: $t ms"
check "carrier loss: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
check_eq "carrier loss: 10.112.0.1 stays up" up "$(lf_state "$GW2")"
check "carrier loss: multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"
lf_batch "$MX_BATCH"
check_num "carrier loss: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "carrier loss:   ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
mx_flows_check "carrier loss" "$WAN1"

t=$(lf_timed "$GW1=up" 20 carrier_on)
echo "MEASURE: carrier back -> 10.111.0.1 up: $t ms"
check "carrier back: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
check "carrier back: wlan1's own table (pins) has its default route again" \
	wait_for 10 sh -c "ip netns exec $NS_RT ip route show table $((1000 + $(ecmpd_uplink_id "$GW1"))) | grep -q 'default via $GW1 dev wlan1'"
mx_flows_check "carrier back" "$WAN1"
mx_final_check "carrier back"
mx_finish
