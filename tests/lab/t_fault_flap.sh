#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_flap.sh - fault matrix 5 (issue 4): ISP1 flaps at 1 Hz for 30 s
# (blacked out 0.5 s, back 0.5 s). 0.5 s of silence is at most 5 probes
# of 100 ms, the edge of the default down_count: the hysteresis must hold
# - 10.111.0.1 goes down at most twice, or better never - with no storm
# of kernel updates (route changes in table 1000 counted by `ip monitor`
# in the router's namespace, and ecmpd's "gateway ... ->" log lines). The
# end state follows the last real state: a long blackout takes it down,
# the restore brings it back. Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

CYCLES=${CYCLES:-30}
MAX_DOWNS=${MAX_DOWNS:-2}

mx_start
lab_bg "$NS_RT" "$LAB_TMP/monitor.txt" ip monitor route
MON_PID=$LAB_LAST_PID
# route changes in table 1000 seen by the monitor (a multipath route's
# nexthops are continuation lines; the first line names the table)
route_changes() { grep -c "^[^[:space:]].* table $ECMPD_TABLE_MAIN " "$LAB_TMP/monitor.txt"; }
# ecmpd's own count of route writes ("route sync: N writes", -v)
route_writes() { awk '/route sync: [0-9]+ writes/ { n += $(NF - 1) } END { print n + 0 }' "$ECMPD_LOG"; }
wait_for 10 kill -0 "$MON_PID"
rt ip route add 192.0.2.0/24 dev lo table "$ECMPD_TABLE_MAIN" proto static
rt ip route del 192.0.2.0/24 dev lo table "$ECMPD_TABLE_MAIN" proto static
route_changes_ge() { [ "$(route_changes)" -ge "$1" ]; }
check "sanity: the route monitor sees changes in table 1000" wait_for 10 route_changes_ge 2
ch0=$(route_changes)
w0=$(route_writes)
tr0=$(mx_transitions "$GW1")
dn0=$(mx_downs "$GW1")

# the fault's own timing: sleeps here make the 1 Hz square wave
log "flapping ISP1: $CYCLES cycles of 0.5 s dark / 0.5 s back"
T=$(now_ms)
for i in $(seq 1 "$CYCLES"); do
	isp_blackout 1
	sleep_until_ms $((T + i * 1000 - 500))
	isp_restore 1
	sleep_until_ms $((T + i * 1000))
done
log "flapping done after $(($(now_ms) - T)) ms"
# a second for ecmpd to act on the last cycle's probes, then count
wait_for 3 false
ch1=$(route_changes)
w1=$(route_writes)
tr1=$(mx_transitions "$GW1")
dn1=$(mx_downs "$GW1")
downs=$((dn1 - dn0))
changes=$((ch1 - ch0))
echo "MEASURE: $CYCLES flaps: 10.111.0.1 went down $downs times, $((tr1 - tr0)) state changes logged, $changes route changes in table $ECMPD_TABLE_MAIN, ecmpd wrote $((w1 - w0)) routes"
check "flap: the hysteresis holds: 10.111.0.1 down at most $MAX_DOWNS times ($downs)" [ "$downs" -le "$MAX_DOWNS" ]
# at most MAX_DOWNS down/up pairs: one table 1000 change each way, and
# ecmpd's sync writes 2 routes per state change
check "flap: no storm of kernel updates: $changes route changes in table 1000 (<= $((2 * MAX_DOWNS + 2)))" \
	[ "$changes" -le $((2 * MAX_DOWNS + 2)) ]
check "flap: no storm of kernel updates: ecmpd wrote $((w1 - w0)) routes (<= $((4 * MAX_DOWNS + 4)))" \
	[ $((w1 - w0)) -le $((4 * MAX_DOWNS + 4)) ]
t=$(lf_wait_state "$GW1=up" 20)
check "flap over (last state: back): 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
if [ "$downs" -eq 0 ]; then
	mx_flows_check "flap"
else
	mx_flows_check "flap" "$WAN1"
fi

t=$(lf_timed "$GW1=down" 10 isp_blackout 1)
echo "MEASURE: then a real blackout -> 10.111.0.1 down: $t ms"
check "a real blackout after the flapping: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
check "  ... and out of the multipath route" wait_for 10 lf_multipath_lacks "$GW1"
t=$(lf_timed "$GW1=up" 20 isp_restore 1)
echo "MEASURE: restored -> 10.111.0.1 up: $t ms"
check "restored: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
mx_flows_check "restored" "$WAN1"
mx_final_check "restored"
kill "$MON_PID" 2>/dev/null
mx_finish
