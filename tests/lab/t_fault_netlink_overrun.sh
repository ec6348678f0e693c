#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_netlink_overrun.sh - fault matrix 12 (issue 4): the netlink
# monitor overruns. In the router's namespace, bursts of thousands of
# route changes in a scratch table (ip -batch, as fast as possible) while
# ecmpd runs; during a burst one of ecmpd's own routes (table 1000's
# multipath default) is deleted by hand. ecmpd must re-read the kernel
# state and end correct: the route back, everything else as it was, and
# answering all along. Whether the overrun warning shows in these rounds
# is reported, not asserted (ecmpd's 8 MB receive buffer may absorb them).
# A last round is made while ecmpd is stopped (SIGSTOP; the status poller
# pauses), so the events surely overflow its socket: after SIGCONT the
# log must show the overrun warning and the deleted route must come back.
# Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

N=${N:-20000}
ROUNDS=${ROUNDS:-3}
mx_start
lab_dump_state "$LAB_TMP/state.running"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "route add 10.%d.%d.%d/32 dev Local table 77\n", 200 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$LAB_TMP/add.batch"
sed 's/^route add/route del/' "$LAB_TMP/add.batch" >"$LAB_TMP/del.batch"
T=$(now_ms)
for r in $(seq 1 "$ROUNDS"); do
	rt ip -batch "$LAB_TMP/add.batch"
	[ "$r" = 2 ] && rt ip route del default table "$ECMPD_TABLE_MAIN"
	rt ip -batch "$LAB_TMP/del.batch"
done
echo "MEASURE: $((2 * N * ROUNDS)) route changes in $(($(now_ms) - T)) ms"
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
	rt ip -batch "$LAB_TMP/add.batch"
	[ "$r" = 2 ] && rt ip route del default table "$ECMPD_TABLE_MAIN"
	rt ip -batch "$LAB_TMP/del.batch"
done
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
