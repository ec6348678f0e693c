#!/bin/bash
# SPDX-License-Identifier: MIT
# t_route_churn.sh - issue 14: ecmpd's cost does not depend on routes it
# does not own. The router's main table carries 100 000 routes (a box
# that is also an edge router), and 120 000 route changes churn through
# main and two tables ecmpd does not own (100, below 256, and 5000, above:
# the kernel reports the two kinds differently). ecmpd must not re-sync
# for any of them (its log's "route sync" lines count its syncs), must
# still notice and repair a change in its own table at once, and must
# have its route filter in the kernel. Its CPU time during the churn and
# a reload's time with the full main table are printed as MEASURE lines
# (judged by `make bench`).
. "$(dirname "$0")/lib.sh"
lab_require_root
lab_require_ecmpd
lab_up
N_MAIN=${N_MAIN:-100000}
N_CHURN=${N_CHURN:-20000}
TABLE_MAIN=1000

burst() { # add|del N TABLE
	rt "$PYTHON" "$LAB_DIR_SELF/routeburst.py" "$1" "$2" churn0 "$3" >/dev/null
}
syncs() { grep -c 'route sync:' "$ECMPD_LOG"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$ECMPD_PID/stat"; }
multipath_back() {
	rt ip route show table "$TABLE_MAIN" 0.0.0.0/0 | grep -q 'nexthop'
}

# the routes go through an interface of their own (a route dies with its
# interface's last address, and ecmpd removes Local's at stop)
check "an interface for the routes" rt ip link add churn0 type veth peer name churn1
check "it is up" rt ip link set churn0 up && rt ip link set churn1 up
check "main filled with $N_MAIN routes" burst add "$N_MAIN" 254
n=$(rt ip -o route show table main | wc -l)
check_num "main holds at least $N_MAIN routes ($n)" "$n >= $N_MAIN"
check "ecmpd starts" start_ecmpd "$SRCDIR/examples/seed.rsc" || finish
check "ecmpd's multipath route is in place" wait_for 10 multipath_back
check "ecmpd filters route messages in the kernel" \
	bash -c "! grep -q 'no kernel filter' '$ECMPD_LOG'"

s0=$(syncs)
c0=$(cpu_ticks)
t0=$(now_ms)
ok=0
burst del "$N_CHURN" 254 && burst add "$N_CHURN" 254 && ok=$((ok + 1))
burst add "$N_CHURN" 100 && burst del "$N_CHURN" 100 && ok=$((ok + 1))
burst add "$N_CHURN" 5000 && burst del "$N_CHURN" 5000 && ok=$((ok + 1))
t1=$(now_ms)
c1=$(cpu_ticks)
check_eq "every churn burst taken by the kernel" 3 "$ok"
hz=$(getconf CLK_TCK)
echo "MEASURE: $((6 * N_CHURN)) route changes in $((t1 - t0)) ms beside $N_MAIN routes in main; ecmpd used $(((c1 - c0) * 1000 / hz)) ms of CPU"

# A change in ecmpd's own table is still seen and repaired.
rt ip route del default table "$TABLE_MAIN"
check "ecmpd repairs its own table after a change there" wait_for 10 multipath_back
s1=$(syncs)
echo "MEASURE: route syncs during the churn and the repair: $((s1 - s0))"
check_num "no re-sync for routes of other tables (syncs: $((s1 - s0)), the repair's included)" \
	"$s1 - $s0 <= 2"

t0=$(now_ms)
check "a reload with $N_MAIN routes in main" ctl reload
echo "MEASURE: ecmpctl reload with $N_MAIN routes in main: $(($(now_ms) - t0)) ms"
check "ecmpd stops" stop_ecmpd
n=$(rt ip -o route show table main | wc -l)
check_num "main's routes untouched by ecmpd ($n)" "$n >= $N_MAIN"
finish
