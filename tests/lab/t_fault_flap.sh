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
#
# The square wave must be the one meant: a dark phase stretched to 0.7 s
# is 7 lost probes and a light one stretched to 1 s lets a damped gateway
# back (10 replies), and either adds a failover that is the test's, not
# ecmpd's. A shell loop of sleeps stretches under load, so flapper.py
# runs the wave under SCHED_FIFO and reports each phase's length; the
# test checks them before it judges ecmpd. The count is taken once the
# flapping is over and settled: 10.111.0.1 up, five more probes sent, and
# a marker route seen by the monitor after every change before it.
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
# marker TABLE N: adds and deletes 192.0.2.N/32 in TABLE and waits until
# the monitor has shown the deletion: then it has shown every change made
# before
marker() {
	rt ip route add "192.0.2.$2/32" dev lo table "$1" proto static
	rt ip route del "192.0.2.$2/32" dev lo table "$1" proto static
	wait_for 10 grep -q "^Deleted 192\.0\.2\.$2 " "$LAB_TMP/monitor.txt"
}
# The monitor listens once it shows both changes of a marker (it may have
# missed the first ones while it started).
monitor_listens() {
	MARK=$((MARK + 1))
	marker "$ECMPD_TABLE_MAIN" "$MARK" &&
		[ "$(grep -c "192\.0\.2\.$MARK .*table $ECMPD_TABLE_MAIN " "$LAB_TMP/monitor.txt")" = 2 ]
}
MARK=0
check "sanity: the route monitor sees changes in table 1000" wait_for 20 monitor_listens
ch0=$(route_changes)
w0=$(route_writes)
tr0=$(mx_transitions "$GW1")
dn0=$(mx_downs "$GW1")

log "flapping ISP1: $CYCLES cycles of 0.5 s dark / 0.5 s back"
isp_blackout_ruleset >"$LAB_TMP/blackout.nft"
T=$(now_ms)
nsx "$NS_ISP1" "$PYTHON" "$LAB_DIR_SELF/flapper.py" --ruleset "$LAB_TMP/blackout.nft" \
	--table "inet blackout" --dark 0.5 --light 0.5 --cycles "$CYCLES" --out "$LAB_TMP/flap.json"
log "flapping done after $(($(now_ms) - T)) ms"
check "flap: the square wave ran" test -s "$LAB_TMP/flap.json"
sched=$(jget "$LAB_TMP/flap.json" sched)
read -r dmin dmax < <(jq -r '([.dark[][0]] | min), ([.dark[][1]] | max)' "$LAB_TMP/flap.json" | paste -sd' ')
read -r lmin lmax < <(jq -r '([.light[][0]] | min), ([.light[][1]] | max)' "$LAB_TMP/flap.json" | paste -sd' ')
echo "MEASURE: flap phases ($sched): dark $dmin-$dmax s, light $lmin-$lmax s"
check_num "flap: the fault is the one meant: every dark phase 0.5 s ($dmin-$dmax s)" \
	"0.45 <= $dmin and $dmax <= 0.55"
check_num "flap: the fault is the one meant: every light phase 0.5 s ($lmin-$lmax s)" \
	"0.45 <= $lmin and $lmax <= 0.55"

# Settled: ISP1 is back for good, so 10.111.0.1 ends up; five more probes
# (each decided within its 300 ms timeout) leave no loss of the flapping
# undecided; a marker (in a table of its own) flushes the monitor.
t=$(lf_wait_state "$GW1=up" 20)
check "flap over (last state: back): 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
sent0=$(ecmpd_uplink_field "$GW1" probes_sent)
probes_since() { [ "$(ecmpd_uplink_field "$GW1" probes_sent)" -ge $(($1 + $2)) ]; }
check "flap over: five more probes sent" wait_for 10 probes_since "${sent0:-0}" 5
w1=$(route_writes)
tr1=$(mx_transitions "$GW1")
dn1=$(mx_downs "$GW1")
check "flap over: the route monitor caught up" marker 77 100
ch1=$(route_changes)
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
