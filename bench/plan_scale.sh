#!/bin/bash
# SPDX-License-Identifier: MIT
# bench/plan_scale.sh - how the config compiler and the planner scale with
# the number of routes: generates configs of N routes (default 10000 and
# 100000), times `ecmpd -n` and `ecmpd --plan` on each (best of REPS runs,
# wall clock) and prints one line per size in the results table's format.
# The goal (issue 10): 100 000 routes plan in under 1 s.
#
# The routes are what a big table looks like: /32 and /24 destinations
# spread over the address space, on two gateways, every tenth one with a
# distance-2 backup on the other gateway and every fiftieth in a routing
# mark's table.
#
# Usage: bench/plan_scale.sh [N...]
# Env: ECMPD (default build/ecmpd; use a release build), REPS (3), OUT
# (a file to append the table lines to; default: stdout only).
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$BENCH_DIR/.." && pwd)
ECMPD=${ECMPD:-$SRCDIR/build/ecmpd}
REPS=${REPS:-3}
OUT=${OUT:-}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000)
[ -x "$ECMPD" ] || { echo "plan_scale: no ecmpd at $ECMPD (set ECMPD)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/ecmpd-plan-scale.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

. "$BENCH_DIR/gen_routes.sh"

# best_ms CMD...: the fastest of REPS runs, in milliseconds
best_ms() {
	local best="" r t0 t1 ms
	for r in $(seq 1 "$REPS"); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; echo nan; return 1; }
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
	done
	echo "$best"
}

for n in "${SIZES[@]}"; do
	f=$TMP/routes-$n.rsc
	gen "$n" "$f"
	check=$(best_ms "$ECMPD" -n -f "$f")
	plan=$(best_ms "$ECMPD" --plan -f "$f")
	goal="—"
	met="—"
	if [ "$n" -ge 100000 ]; then
		goal="--plan < 1000 ms"
		met=$([ "$plan" != nan ] && [ "$plan" -lt 1000 ] && echo met || echo "**MISSED**")
	fi
	line="| 6. Config and plan, $n routes | \`ecmpd -n\`: $check ms, \`ecmpd --plan\`: $plan ms (best of $REPS, $(wc -l <"$f") lines) | — | $goal | $met |"
	echo "$line"
	[ -n "$OUT" ] && echo "$line" >>"$OUT"
done
exit 0
