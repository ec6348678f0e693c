# SPDX-License-Identifier: MIT
# bench/routes.sh - part "routes" of `make bench` (sourced by run.sh):
# ecmpd beside routes it does not own (bench/README.md, 7). For each size
# in ROUTE_SIZES, main gets that many routes (through an interface of
# their own); then, with ecmpd on the seed's config:
#   - a resync (`ecmpctl reload` re-reads ecmpd's tables and rules), median
#     of RELOADS, against what a full dump of every table costs on the same
#     box (`ip -o route show table all`, the read ecmpd did before);
#   - ecmpd's CPU share while main churns at CHURN_RATE changes/s for
#     CHURN_SECS;
#   - at the largest size, failover (CHURN_CYCLES blackouts, default
#     probes) with the churn running, against part 1's figure.
# Appends "N reload_ms dump_ms cpu_pct changes" lines to routes.txt.

ROUTE_SIZES=${ROUTE_SIZES:-"1000 100000 900000"}
CHURN_RATE=${CHURN_RATE:-1000}
CHURN_SECS=${CHURN_SECS:-20}
CHURN_CYCLES=${CHURN_CYCLES:-5}
RELOADS=${RELOADS:-10}

# routes_fill N: main holds exactly N routes 10.200.0.0/32 ... dev churn0
# (a new churn0: deleting the interface takes all its routes at once)
routes_fill() {
	rt ip link del churn0 2>/dev/null
	rt ip link add churn0 type veth peer name churn1 && rt ip link set churn0 up &&
		rt ip link set churn1 up &&
		rt "$PYTHON" "$SRCDIR/tests/lab/routeburst.py" add "$1" churn0 254 >/dev/null
}

routes_one() { # N
	local n=$1 t0 t1 reload dump cpu e0 e1 out changes
	routes_fill "$n" || { log "routes: filling $n failed"; return 1; }
	ecmpd_up "$CFG" || { stop_ecmpd; return 1; }
	reload=$(median_ms "$RELOADS" ctl reload)
	dump=$(median_ms 3 rt ip -o route show table all)
	e0=$(_ticks "$ECMPD_PID")
	t0=$EPOCHREALTIME
	out=$(rt "$PYTHON" "$BENCH_DIR/routechurn.py" "$CHURN_RATE" "$CHURN_SECS" churn0 254 "$n")
	t1=$EPOCHREALTIME
	e1=$(_ticks "$ECMPD_PID")
	changes=$(echo "$out" | awk '{ print $1 }')
	cpu=$(awk -v t=$((e1 - e0)) -v hz="$(getconf CLK_TCK)" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.2f", 100 * t / hz / (b - a) }')
	log "routes $n: reload median $reload ms, full dump $dump ms; churn: $out; ecmpd CPU $cpu %"
	echo "$n $reload $dump $cpu ${changes:-0}" >>"$RES/routes.txt"
	stop_ecmpd
}

part_routes() {
	section "7. routes ecmpd does not own: main at $ROUTE_SIZES routes"
	cp "$SRCDIR/examples/seed.rsc" "$CFG"
	: >"$RES/routes.txt"
	local n last
	for n in $ROUTE_SIZES; do
		routes_one "$n"
		last=$n
	done
	section "7. failover with $last routes in main churning at $CHURN_RATE/s"
	local pid cycles=$CYCLES
	lab_bg "$NS_RT" "$RES/routes-churn.log" "$PYTHON" "$BENCH_DIR/routechurn.py" \
		"$CHURN_RATE" 3600 churn0 254 "$last"
	pid=$LAB_LAST_PID
	CYCLES=$CHURN_CYCLES
	fo_run churn "$CFG" 2.5 4
	CYCLES=$cycles
	kill "$pid" 2>/dev/null
	_wait_gone "$pid" 5
	rt ip link del churn0
}

# ---------------------------------------------------------------- apply
# part_apply: ecmpd applying a config of APPLY_SIZES routes (gen_routes.sh,
# the configs of part 6) in the lab's router: start -> control socket
# answers (the first apply writes every route), then `ecmpctl reload` with
# the config unchanged (a sync that compares every route and writes none),
# median of RELOADS. Appends "N start_ms reload_ms routes_in_kernel" to
# apply.txt.
APPLY_SIZES=${APPLY_SIZES:-"10000 100000"}
. "$BENCH_DIR/gen_routes.sh"

part_apply() {
	section "6. apply: $APPLY_SIZES routes in the config"
	: >"$RES/apply.txt"
	local n t0 t1 start reload k
	for n in $APPLY_SIZES; do
		gen "$n" "$LAB_TMP/apply-$n.rsc"
		t0=$EPOCHREALTIME
		start_ecmpd "$LAB_TMP/apply-$n.rsc" || { stop_ecmpd; continue; }
		t1=$EPOCHREALTIME
		start=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
		k=$(rt ip -o route show table all proto 77 | wc -l)
		reload=$(median_ms "$RELOADS" ctl reload)
		log "apply $n routes: start $start ms ($k routes in the kernel), reload median $reload ms"
		echo "$n $start $reload $k" >>"$RES/apply.txt"
		stop_ecmpd
	done
}
