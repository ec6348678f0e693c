#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_sigkill.sh - fault matrix 10 (issue 4): ecmpd killed with SIGKILL
# under traffic (32 live connections, a batch of new ones right after),
# then started again. No connection lost, no leak (the kernel state after
# the restart equals the state before the kill: no duplicate rules, routes
# or tables), the state adopted (the log says it adopted the uplink ids,
# which stay the same). The status poller pauses while no ecmpd runs.
# Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

mx_start
id1=$(ecmpd_uplink_id "$GW1")
id2=$(ecmpd_uplink_id "$GW2")
lab_dump_state "$LAB_TMP/state.running"
mx_poll_stop "before SIGKILL"
nlog0=$(wc -l <"$ECMPD_LOG")
kill_ecmpd
lf_batch "$MX_BATCH"
check_num "killed: new connections still succeed (the kernel state stays) ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check "restart: ecmpd starts again" start_ecmpd "$MX_CONFIG"
mx_poll_start
grep -v debug "$ECMPD_LOG" | tail -n +"$nlog0" | grep -iE 'adopt' | head
check "restart: the log says it adopted the uplink ids" \
	bash -c "tail -n +$nlog0 '$ECMPD_LOG' | grep -qE 'adopting [0-9]+ uplink ids'"
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "restart: both gateways up ($t ms)" [ "$t" != timeout ]
check_eq "restart: the same uplink ids" "$id1 $id2" "$(ecmpd_uplink_id "$GW1") $(ecmpd_uplink_id "$GW2")"
leak() { lab_dump_state "$LAB_TMP/state.again" && cmp -s "$LAB_TMP/state.running" "$LAB_TMP/state.again"; }
if wait_for 10 leak; then
	pass "restart: no leak: the kernel state equals the state before the kill"
else
	diff "$LAB_TMP/state.running" "$LAB_TMP/state.again" | head -20
	fail "restart: no leak: the kernel state equals the state before the kill"
fi
mx_flows_check "SIGKILL + restart"
mx_final_check "SIGKILL + restart"
mx_finish
