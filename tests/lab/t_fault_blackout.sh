#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_blackout.sh - fault matrix 1 (issue 4): ISP1 goes dark with the
# link up (it drops everything on its customer side). 10.111.0.1 must go
# down, new connections all leave by ISP2, connections pinned to wlan2
# live on; ISP1 back: it rejoins. Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

mx_start
t=$(lf_timed "$GW1=down" 10 isp_blackout 1)
echo "MEASURE: ISP1 blacked out -> 10.111.0.1 down: $t ms"
check "blackout: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
check_eq "blackout: 10.112.0.1 stays up" up "$(lf_state "$GW2")"
check "blackout: multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"
lf_batch "$MX_BATCH"
check_num "blackout: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "blackout:   ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
mx_flows_check "blackout" "$WAN1"

t=$(lf_timed "$GW1=up" 20 isp_restore 1)
echo "MEASURE: ISP1 restored -> 10.111.0.1 up: $t ms"
check "restore: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
mx_flows_check "restore" "$WAN1"
mx_final_check "restore"
mx_finish
