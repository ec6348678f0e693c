#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_netlink_overrun.sh - fault matrix 12 (issue 4): the netlink
# monitor overruns. In the router's namespace, bursts of thousands of
# route changes in a scratch table (as fast as the kernel takes them)
# while ecmpd runs; during a burst one of ecmpd's own routes (table
# 1000's multipath default) is deleted by hand. ecmpd must re-read the kernel
# state and end correct: the route back, everything else as it was, and
# answering all along. Whether the overrun warning shows in these rounds
# is reported, not asserted (ecmpd's 8 MB receive buffer may absorb them).
# A last round is made while ecmpd is stopped (SIGSTOP; the status poller
# pauses), so the events surely overflow its socket: after SIGCONT the
# log must show the overrun warning and the deleted route must come back.
# Invariants: lib_matrix.sh.
#
# The bursts are written 256 requests at a time without waiting for an
# acknowledgement each (routeburst.py): `ip -batch` waits for one per
# route, and on a busy machine every such round trip waits for a core
# (7 ms a change beside seven other tests: 120000 changes took minutes).
. "$(dirname "$0")/lib_matrix.sh"

N=${N:-20000}
ROUNDS=${ROUNDS:-3}
mx_start
lab_dump_state "$LAB_TMP/state.running"
# burst add|del: N route changes in table 3077; counts the failed ones.
# Not ecmpd's table, but one above 255: the kernel filter on ecmpd's
# monitor socket passes those (it drops messages of main and the other
# small tables, see src/kernel/monitor.c), so they still fill its buffer.
BURSTS_FAILED=0
burst() {
	rt "$PYTHON" "$LAB_DIR_SELF/routeburst.py" "$1" "$N" Local 3077 >/dev/null ||
		BURSTS_FAILED=$((BURSTS_FAILED + 1))
}
T=$(now_ms)
for r in $(seq 1 "$ROUNDS"); do
	burst add
	[ "$r" = 2 ] && rt ip route del default table "$ECMPD_TABLE_MAIN"
	burst del
done
echo "MEASURE: $((2 * N * ROUNDS)) route changes in $(($(now_ms) - T)) ms"
check_eq "the bursts while running: every route change taken" 0 "$BURSTS_FAILED"
n=$(grep -c 'netlink monitor overrun' "$ECMPD_LOG")
echo "MEASURE: overrun warnings in ecmpd's log: $n"
check "ecmpd still running" lf_ecmpd_alive
check "table 1000's multipath route back with both gateways" wait_for 10 lf_multipath_has "$GW1" "$GW2"
same() { lab_dump_state "$LAB_TMP/state.now" && cmp -s "$LAB_TMP/state.running" "$LAB_TMP/state.now"; }
if wait_for 10 same; then
	pass "the kernel state equals the state before the bursts"
else
	diff "$LAB_TMP/state.running" "$LAB_TMP/state.now" | head -20
	fail "the kernel state equals the state before the bursts"
fi

mx_poll_stop "bursts while running"
nlog0=$(wc -l <"$ECMPD_LOG")
kill -STOP "$ECMPD_PID"
for r in 1 2; do
	burst add
	[ "$r" = 2 ] && rt ip route del default table "$ECMPD_TABLE_MAIN"
	burst del
done
check_eq "the bursts while stopped: every route change taken" 0 "$BURSTS_FAILED"
kill -CONT "$ECMPD_PID"
mx_poll_start
check "stopped round: ecmpd logs the overrun" \
	wait_for 10 bash -c "tail -n +$nlog0 '$ECMPD_LOG' | grep -q 'netlink monitor overrun'"
check "stopped round: table 1000's multipath route back with both gateways" wait_for 10 lf_multipath_has "$GW1" "$GW2"
if wait_for 10 same; then
	pass "stopped round: the kernel state equals the state before the bursts"
else
	diff "$LAB_TMP/state.running" "$LAB_TMP/state.now" | head -20
	fail "stopped round: the kernel state equals the state before the bursts"
fi
mx_flows_check "overrun"
mx_final_check "overrun"
mx_finish
