#!/bin/bash
# SPDX-License-Identifier: MIT
# Lab test: ecmpd leaves no trace. The router's addresses, routes of all
# tables, rules, nexthops, nft ruleset and net.ipv4/net.netfilter sysctls
# are dumped before ecmpd starts and after it stops (SIGTERM, then SIGINT
# in a second round with non-default sysctls set beforehand and a reload
# in between; a third with the seed's addresses configured beforehand),
# with traffic and live connections through it meanwhile; the dumps must
# be identical.
. "$(dirname "$0")/lib.sh"
lab_require_root
lab_require_ecmpd
lab_up
CFG=$LAB_TMP/ecmpd.rsc

# round NAME CONFIG SIGNAL [RELOAD_CONFIG]
round() {
	local name=$1 config=$2 sig=$3 reload=${4:-}
	echo "--- $name: $(basename "$config"), stop with SIG$sig"
	lab_dump_state "$LAB_TMP/$name.before"
	cp "$config" "$CFG"
	check "$name: ecmpd starts" start_ecmpd "$CFG" || finish
	lab_dump_state "$LAB_TMP/$name.running"
	check "$name: sanity: the state differs while ecmpd runs" \
		bash -c "! cmp -s '$LAB_TMP/$name.before' '$LAB_TMP/$name.running'"
	longflow_start "lf$name" 0 20 --duration 300 --stall 10
	check_eq "$name: 20 live connections through ecmpd" 20 "$(longflow_get "lf$name" connected)"
	short_conns "$LAB_TMP/$name.json" --proto both --limit 32 --timeout 15
	local n f
	local ok
	read -r n ok < <("$PYTHON" "$LAB_DIR_SELF/analyze.py" count "$LAB_TMP/$name.json")
	check_eq "$name: $n short connections succeed" "$n" "$ok"
	if [ -n "$reload" ]; then
		cp "$reload" "$CFG"
		check "$name: ecmpctl reload to $(basename "$reload")" ctl reload
		kill -HUP "$ECMPD_PID"
		check "$name: still answering after SIGHUP" wait_for 10 ctl status
		longflow_settle "lf$name"
	fi
	local rc=0
	stop_ecmpd "$sig" || rc=$?
	check_eq "$name: ecmpd exits with status 0 on SIG$sig" 0 "$rc"
	longflow_stop "lf$name"
	lab_dump_state "$LAB_TMP/$name.after"
	if diff -u "$LAB_TMP/$name.before" "$LAB_TMP/$name.after" >"$LAB_TMP/$name.diff"; then
		pass "$name: state after stop = state before start"
	else
		echo "differences (- before, + after):"
		grep '^[-+][^-+]' "$LAB_TMP/$name.diff" | cut -c1-300 | head -40
		fail "$name: state after stop = state before start"
	fi
}

round term "$SRCDIR/examples/seed.rsc" TERM

# round 2: non-default sysctls that ecmpd is likely to change, set before
for kv in net.ipv4.fib_multipath_hash_policy=1 net.ipv4.conf.all.rp_filter=1 \
	net.ipv4.conf.wlan1.rp_filter=2 net.ipv4.conf.default.rp_filter=1; do
	rt sysctl -qw "$kv"
done
ct_flush
round int "$SRCDIR/examples/seed-v7.rsc" INT "$SRCDIR/examples/seed-weighted.rsc"
check_eq "net.ipv4.fib_multipath_hash_policy restored to 1" 1 "$(rt sysctl -n net.ipv4.fib_multipath_hash_policy)"
check_eq "net.ipv4.ip_forward restored to 0" 0 "$(rt sysctl -n net.ipv4.ip_forward)"

# round 3: the seed's addresses already configured (by the OS): ecmpd did
# not install them, so they must still be there after it stops
router_addresses
ct_flush
round preset "$SRCDIR/examples/seed.rsc" TERM
check_eq "addresses configured before ecmpd are still there" 3 \
	"$(rt ip -4 -o addr show | grep -cE '192\.168\.0\.1/24|10\.111\.0\.2/24|10\.112\.0\.2/24')"
finish
