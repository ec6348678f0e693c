#!/bin/bash
# SPDX-License-Identifier: MIT
# bench/ha.sh - router failover of an ecmpd pair (docs/ha.md), for
# bench/run.sh's part "ha" (PARTS=ha; not in make check).
#
# usage: bench/ha.sh ADVERT ROUNDS OUT
#
# The pair of tests/lab/lib_ha.sh with keepalived's advert_int ADVERT
# (1 = examples/ha's default; below 1 s keepalived needs VRRP version 3,
# which lib_ha.sh's configure sets). Each round: 40 long-lived TCP
# connections from the LAN host through router 1, replicated to router 2
# by conntrackd; a prober (bench/prober.py) opens a new connection every
# 50 ms (timeout 0.5 s); router 1's links are cut at T0; failover = T0 to
# the start of the first successful attempt after the last failed one;
# then how many of the 40 still echo, and how many left by the same
# public address (the same uplink) as before; router 1's links are
# restored, it preempts (failback) and the connections are counted again.
# Appends one line per round to OUT:
#   ha ADVERT ROUND FAILOVER_MS MASTER_MS KEPT SAME_UPLINK TOTAL FAILBACK_KEPT
# (FAILOVER_MS "nan" when new connections never worked again in 20 s).
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$BENCH_DIR/.." && pwd)
TEST_NAME=bench-ha
ADVERT=$1 ROUNDS=$2 OUT=$3
FLOWS=40
export HA_ADVERT=$ADVERT

. "$SRCDIR/tests/lab/lib.sh"
lab_require_root
need keepalived conntrackd
. "$SRCDIR/tests/lab/lib_ha.sh"

FLOWFILE=$LAB_TMP/flows.json
replicated() {
	[ "$(r 2 conntrackd -C "$LAB_TMP/r2/conntrackd.conf" -e ct 2>/dev/null |
		grep -c 'dport=8000')" -ge "$FLOWS" ]
}
# seen: "idx:seen-address" of every live connection, sorted
seen() {
	"$PYTHON" -c 'import json, sys
print(" ".join(sorted("%d:%s" % (c["idx"], c["seen"]) for c in json.load(open(sys.argv[1]))["conns"] if c["alive"])))' "$FLOWFILE"
}
alive() { "$PYTHON" "$LAB_DIR_SELF/flows.py" get "$FLOWFILE" alive; }
settled() { "$PYTHON" "$LAB_DIR_SELF/flows.py" settled "$FLOWFILE" "$1"; }
# failover_ms LOG T0: from T0 (unix s) to the start of the first successful
# attempt after the last failed attempt that started after T0 - timeout
failover_ms() {
	"$PYTHON" -c 'import sys
t0 = float(sys.argv[2])
att = sorted((float(a[0]), a[1] == "1") for a in (l.split() for l in open(sys.argv[1])) if len(a) >= 2)
att = [a for a in att if a[0] >= t0 - 0.5]
fails = [t for t, ok in att if not ok]
if not fails:
    print(0); sys.exit()
after = [t for t, ok in att if ok and t > fails[-1]]
print("%.0f" % ((after[0] - t0) * 1000) if after else "nan")' "$1" "$2"
}

ha_up
configure 1
configure 2
start_daemons 1
start_daemons 2
start_keepalived 1 || bail "router 1's daemons start"
start_keepalived 2 || bail "router 2's daemons start"
wait_for 30 role_is 1 master || bail "router 1 becomes master"
wait_for 10 role_is 2 backup || bail "router 2 is backup"

for round in $(seq 1 "$ROUNDS"); do
	log "ha advert $ADVERT round $round"
	rm -f "$FLOWFILE"
	lab_bg "$NS_H" "$LAB_TMP/flows.log" "$PYTHON" "$LAB_DIR_SELF/longflow.py" --count "$FLOWS" \
		--dst "$(seq -s, -f '198.51.100.%g' 1 8)" --status "$FLOWFILE" \
		--interval 0.2 --stall 15 --keepalive 1 --duration 300
	FLOW_PID=$LAB_LAST_PID
	wait_for 30 longflow_connected flows "$FLOWS" || bail "the connections open"
	wait_for 15 replicated || log "not all replicated to router 2"
	before=$(seen)
	lab_bg "$NS_H" "$LAB_TMP/prober.out" "$PYTHON" "$BENCH_DIR/prober.py" --src 192.168.0.10 \
		--dst "$(seq -s, -f '198.51.100.%g' 1 8)" --interval 0.05 --timeout 0.5 \
		--out "$LAB_TMP/prober.$round.log" --duration 60
	PROBER_PID=$LAB_LAST_PID
	wait_for 10 test -s "$LAB_TMP/prober.$round.log"
	sleep 1 # the prober's successes before the cut
	t0=$EPOCHREALTIME t0ms=$(now_ms)
	set_links 1 down
	wait_for 20 role_is 2 master
	master_ms=$(($(now_ms) - t0ms))
	T_AFTER=$EPOCHREALTIME
	wait_for 25 settled "$T_AFTER"
	sleep 1 # the prober's successes after the failover
	kill "$PROBER_PID" 2>/dev/null
	fo=$(failover_ms "$LAB_TMP/prober.$round.log" "$t0")
	kept=$(alive)
	after=$(seen)
	same=$(comm -12 <(tr ' ' '\n' <<<"$before" | sort) <(tr ' ' '\n' <<<"$after" | sort) | grep -c .)
	set_links 1 up
	wait_for 30 role_is 1 master || log "router 1 did not take back over"
	T_AFTER=$EPOCHREALTIME
	wait_for 25 settled "$T_AFTER"
	back=$(alive)
	log "failover ${fo} ms (master after $master_ms ms), kept $kept, same uplink $same of $FLOWS, after failback $back"
	echo "ha $ADVERT $round $fo $master_ms $kept $same $FLOWS $back" >>"$OUT"
	kill "$FLOW_PID" 2>/dev/null
	wait_for 10 _pid_gone "$FLOW_PID"
	# the old connections' entries would count as replicated next round
	for n in 1 2; do r "$n" conntrack -D -p tcp --dport 8000 >/dev/null 2>&1; done
	wait_for 30 role_is 2 backup
done
exit 0
