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

# gen N FILE: a config with N routes
gen() {
	awk -v n="$1" 'BEGIN {
		print "/ip address"
		print "add address=192.168.0.1/24 interface=Local"
		print "add address=10.111.0.2/24 interface=wlan1"
		print "add address=10.112.0.2/24 interface=wlan2"
		print "/ip firewall mangle"
		print "add chain=prerouting in-interface=Local action=mark-routing new-routing-mark=to_wlan2"
		print "/ip route"
		print "add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1 check-gateway=ping"
		for (i = 1; i < n; i++) {
			h = i * 2654435761 % 4294967296   # spread, deterministic
			a = int(h / 16777216) % 223 + 1; b = int(h / 65536) % 256
			c = int(h / 256) % 256; d = h % 256
			gw = (i % 2) ? "10.111.0.1" : "10.112.0.1"
			other = (i % 2) ? "10.112.0.1" : "10.111.0.1"
			mark = (i % 50 == 0) ? " routing-mark=to_wlan2" : ""
			if (i % 3 == 0)
				dst = a "." b "." c ".0/24"
			else
				dst = a "." b "." c "." d
			print "add dst-address=" dst " gateway=" gw mark
			if (i % 10 == 0 && i + 1 < n) {
				print "add dst-address=" dst " gateway=" other " distance=2" mark
				i++
			}
		}
	}' >"$2"
}

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
