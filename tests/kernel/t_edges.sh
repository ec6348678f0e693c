#!/bin/bash
# SPDX-License-Identifier: MIT
#
# t_edges.sh - the kernel edge (netlink, fw, conntrack, sysctl) against a
# real kernel, in one throw-away network namespace.
#
# The namespace has veth pairs wlan1/isp1 (10.111.0.2/24 on wlan1) and
# wlan2/isp2 (10.112.0.2/24 on wlan2). edge_driver (KERNEL_DRIVERS) applies
# a hand-built plan (see edge_driver.c); this script checks the result with
# ip -j, nft and conntrack. The namespace is deleted on exit, whatever
# happens. Never touches the host's own network state.
#
# Prints "t_edges: N passed, N failed" (tests/lib.sh); exits 1 on failure,
# 77 only without root.

. "$(dirname "$0")/../lib.sh"

require_root
DRIVER=${KERNEL_DRIVERS:-$(dirname "$0")}/edge_driver
need ip nft conntrack jq ping "$DRIVER"

NS=ecmpd-edges-$$-$RANDOM
TMP=$T_TMP
MONITOR_PID=
cleanup() {
	[ -n "$MONITOR_PID" ] && kill "$MONITOR_PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
at_exit cleanup

# The driver is built with ASan; libnftables' caches look like leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

in_ns() {
	ip netns exec "$NS" "$@"
}
drv() {
	in_ns "$DRIVER" "$@"
}

# ecmpd's routes (tables 1000..2255), one line each, sorted.
routes() {
	in_ns ip -4 -j route show table all | jq -r '
		.[] | select((.table // "") | test("^[0-9]+$"))
		| select((.table | tonumber) >= 1000 and (.table | tonumber) <= 2255)
		| [.table, (.type // "unicast"), .dst, .protocol,
		   ((.nexthops // [{gateway: .gateway, dev: .dev}])
		    | map("\(.gateway // "-")@\(.dev // "-")*\(.weight // 1)")
		    | join(","))]
		| join(" ")' | sort
}

# ecmpd's rules (priorities 10000..13999), one line each.
rules() {
	in_ns ip -4 -j rule | jq -r '
		.[] | select(.priority >= 10000 and .priority <= 13999)
		| "\(.priority) \(.fwmark // "-")/\(.fwmask // "-") \(.table) \(.suppress_prefixlen // "-") \(.protocol // "-")"'
}

# Everything IPv4 the namespace has, for before/after comparisons.
snapshot() {
	in_ns ip -4 -j addr
	in_ns ip -4 -j route show table all
	in_ns ip -4 -j rule
	in_ns nft list ruleset
}

setup_link() {
	local n=$1
	in_ns ip link add "wlan$n" type veth peer name "isp$n"
	in_ns ip link set "isp$n" up
	in_ns ip link set "wlan$n" up
	in_ns ip addr add "10.11$n.0.2/24" dev "wlan$n"
}

ip netns add "$NS" || bail "cannot create a namespace"
in_ns ip link set lo up
setup_link 1
setup_link 2

ROUTES_ALL_UP="1000 blackhole 192.0.2.0/24 77 -@-*1
1000 unicast 8.8.8.0/24 77 10.111.0.1@wlan1*1
1000 unicast default 77 10.111.0.1@wlan1*1,10.112.0.1@wlan2*5
1001 unicast default 77 10.111.0.1@wlan1*1
1002 unicast default 77 10.112.0.1@wlan2*1
2001 unreachable default 77 -@-*1"
ROUTES_DOWN2="1000 blackhole 192.0.2.0/24 77 -@-*1
1000 unicast 8.8.8.0/24 77 10.111.0.1@wlan1*1
1000 unicast default 77 10.111.0.1@wlan1*1
1001 unicast default 77 10.111.0.1@wlan1*1
1002 unreachable default 77 -@-*1
2001 unreachable default 77 -@-*1"
RULES="10900 -/- main 0 77
11001 0x100/0xff00 1001 - 77
11002 0x200/0xff00 1002 - 77
13000 -/- 1000 - 77"

before=$(snapshot)

# --- netlink: sync applies exactly the plan ---------------------------
# Things that must go: a foreign route and a duplicate with a metric in
# ecmpd's table, a foreign rule in its priority range.
in_ns ip route add 10.99.0.0/16 dev wlan1 table 1000
in_ns ip route add default via 10.111.0.1 dev wlan1 table 1000 metric 5
in_ns ip rule add priority 12500 lookup 2001
# And things that must be replaced: another default in an uplink table, a
# rule that differs only in its protocol.
in_ns ip route add default via 10.112.0.1 dev wlan2 table 1001
in_ns ip rule add priority 13000 lookup 1000
out=$(drv sync 2>"$TMP/err")
rc=$?
check_eq "sync succeeds" 0 "$rc"
check_eq "sync adds the missing address only" \
	"added 10.111.0.3/24 dev wlan1" "$(grep ^added <<<"$out")"
check_eq "sync routes" "$ROUTES_ALL_UP" "$(routes)"
check_eq "sync rules" "$RULES" "$(rules)"
check_eq "sync keeps the existing addresses" \
	"10.111.0.2/24 10.111.0.3/24" \
	"$(in_ns ip -4 -j addr show dev wlan1 | jq -r '[.[].addr_info[] | "\(.local)/\(.prefixlen)"] | join(" ")')"
check_eq "a second sync makes no writes" "writes 0" "$(drv sync 2>&1)"

# --- a dead uplink leaves the multipath route in one replace ----------
out=$(drv sync-down2 2>&1)
check_eq "sync-down2 makes 2 writes (two replaces, no delete)" "writes 2" "$out"
check_eq "sync-down2 routes" "$ROUTES_DOWN2" "$(routes)"
check_eq "back to all up: 2 writes" "writes 2" "$(drv sync 2>&1)"
check_eq "all up again" "$ROUTES_ALL_UP" "$(routes)"
out=$(drv sync-dead 2>&1)
check_eq "all dead: unreachable default in table 1000" \
	"1000 unreachable default 77 -@-*1" \
	"$(routes | grep '^1000 .* default ')"
drv sync >/dev/null 2>&1

# --- ids of a previous run --------------------------------------------
check_eq "read-ids" "id 1 wlan1 10.111.0.1
id 2 wlan2 10.112.0.1" "$(drv read-ids 2>&1)"

# --- a failed write logs what ecmpd did and what the kernel said ------
in_ns ip addr flush dev wlan2
drv sync-routes >/dev/null 2>"$TMP/err"
rc=$?
cat "$TMP/err"
check_eq "a route the kernel refuses fails the sync" 1 "$rc"
if grep -q "replacing route default table 1002 via 10.112.0.1 dev wlan2: .*(E[A-Z]*)" "$TMP/err"; then
	pass "the refusal is logged with the kernel's text"
else
	fail "the refusal is logged with the kernel's text"
	cat "$TMP/err"
fi
check_eq "the rest still applies" \
	"1000 unicast 8.8.8.0/24 77 10.111.0.1@wlan1*1" \
	"$(routes | grep 8.8.8.0)"

# --- each step reports its own failure, and only its own ----------------
# One struct kernel_error, filled with junk, goes from step to step: the
# route sync must clear it and report the refused route, the rule sync
# that follows must leave it empty, the refused nft table must replace
# the route's text with its own, and the removal after it must clear it.
cat >"$TMP/refused.nft" <<'EOF'
table ip ecmpd {
	chain output {
		type route hook output priority mangle; policy accept;
		jump nosuchchain
	}
}
EOF
steps=$(drv steps "$TMP/refused.nft" 2>/dev/null)
echo "$steps"
if grep -q "^routes: failed (E[A-Z]*): replacing route default table 1002 via 10.112.0.1 dev wlan2: .*(E[A-Z]*)$" <<<"$steps"; then
	pass "steps: the route sync reports the refused route"
else
	fail "steps: the route sync reports the refused route"
fi
check_eq "steps: the rule sync after it reports nothing" "rules: ok" \
	"$(grep ^rules: <<<"$steps")"
if grep -q "^fw: failed (EINVAL): replacing nft table ip ecmpd: .*Could not process rule" <<<"$steps" &&
	! grep "^fw:" <<<"$steps" | grep -q "route"; then
	pass "steps: the refused nft table reports libnftables' text, not the route's"
else
	fail "steps: the refused nft table reports libnftables' text, not the route's"
fi
check_eq "steps: the nft removal after it reports nothing" "fw-remove: ok" \
	"$(grep ^fw-remove: <<<"$steps")"

in_ns ip addr add 10.112.0.2/24 dev wlan2
drv sync >/dev/null 2>&1
check_eq "restored after the address is back" "$ROUTES_ALL_UP" "$(routes)"

# --- a down interface: its nexthops are left out, with a warning ------
in_ns ip link set wlan2 down
drv sync >/dev/null 2>"$TMP/err"
check_eq "sync with wlan2 down succeeds" 0 $?
if grep -q "warning: .*wlan2.*down" "$TMP/err"; then
	pass "wlan2 down is warned about"
else
	fail "wlan2 down is warned about"
	cat "$TMP/err"
fi
check_eq "multipath without wlan2" \
	"1000 unicast default 77 10.111.0.1@wlan1*1" \
	"$(routes | grep '^1000 unicast default')"
in_ns ip link set wlan2 up
drv sync >/dev/null 2>&1
check_eq "wlan2 back in the balance" "$ROUTES_ALL_UP" "$(routes)"

# --- fw ---------------------------------------------------------------
cat >"$TMP/good.nft" <<'EOF'
table ip ecmpd {
	chain prerouting {
		type filter hook prerouting priority mangle; policy accept;
		meta mark set ct mark and 0xff00
	}
}
EOF
# Parses fine, refused by the kernel: only atomicity saves the old table.
cat >"$TMP/bad.nft" <<'EOF'
table ip ecmpd {
	chain prerouting {
		type filter hook prerouting priority mangle; policy accept;
		counter
	}
	chain output {
		type route hook output priority mangle; policy accept;
		jump nosuchchain
	}
}
EOF
check_eq "fw absent at first" absent "$(drv fw-present 2>&1)"
drv fw-check "$TMP/good.nft" 2>"$TMP/err"
check_eq "fw-check accepts a good ruleset" 0 $?
check_eq "fw-check applies nothing" absent "$(drv fw-present 2>&1)"
drv fw-apply "$TMP/good.nft" 2>"$TMP/err"
check_eq "fw-apply" 0 $?
table1=$(in_ns nft list table ip ecmpd)
drv fw-apply "$TMP/good.nft" 2>"$TMP/err"
check_eq "fw-apply over an existing table" 0 $?
check_eq "the same table after re-applying" "$table1" \
	"$(in_ns nft list table ip ecmpd)"
drv fw-apply "$TMP/bad.nft" 2>"$TMP/err"
check_eq "fw-apply refuses a bad ruleset" 1 $?
check_eq "a refused ruleset changes nothing" "$table1" \
	"$(in_ns nft list table ip ecmpd)"
if grep -q "error: replacing nft table ip ecmpd" "$TMP/err" &&
	grep -q "Could not process rule" "$TMP/err"; then
	pass "the refusal is logged with libnftables' text"
else
	fail "the refusal is logged with libnftables' text"
	cat "$TMP/err"
fi
drv fw-check "$TMP/bad.nft" 2>/dev/null
check_eq "fw-check refuses a bad ruleset" 1 $?

# Named counters, as the config's rules carry them: read back by name.
check_eq "fw-counters of a table without counters" "" "$(drv fw-counters 2>&1)"
cat >"$TMP/counters.nft" <<'EOF'
table ip ecmpd {
	counter mangle_4 {
	}
	counter nat_1 {
		packets 18446744073709551615 bytes 3
	}
	chain output {
		type filter hook output priority mangle; policy accept;
		ip daddr 10.111.0.2 counter name "mangle_4"
	}
}
EOF
drv fw-apply "$TMP/counters.nft" 2>"$TMP/err"
check_eq "fw-apply of a table with named counters" 0 $?
# Requests and replies both leave through output: 6 x 84 bytes.
in_ns ping -c 3 -i 0.01 -q 10.111.0.2 >/dev/null
mangle="mangle_4 6 504"
check_eq "fw-counters reads each named counter (to 2^64 - 1)" "$mangle
nat_1 18446744073709551615 3" "$(drv fw-counters 2>&1)"
drv fw-remove 2>&1
out=$(drv fw-counters 2>&1)
check_eq "fw-counters of a missing table: none, no error" "0 " "$? $out"
drv fw-remove 2>&1
check_eq "fw-remove" absent "$(drv fw-present 2>&1)"
drv fw-remove 2>&1
check_eq "fw-remove of a missing table" 0 $?

# --- conntrack ----------------------------------------------------------
# Two entries per mark: pin 1, pin 2, pin 1 with a connection mark on top,
# and none.
port=2000
for mark in 0x100 0x200 0x10100 0x0; do
	for src in 10.0.0.1 10.0.0.2; do
		port=$((port + 1))
		in_ns conntrack -I -p udp -s $src -d 10.9.9.9 --sport 1000 \
			--dport $port -t 120 --mark $mark >/dev/null 2>&1
	done
done
ct_count() {
	in_ns conntrack -L -m "$1" 2>/dev/null | grep -c .
}
check_eq "conntrack has the 8 test entries" 8 \
	"$(in_ns conntrack -L 2>/dev/null | grep -c .)"
check_eq "count by mark (kernel-filtered dump)" 4 "$(drv count 0x100 0xff00)"
check_eq "count agrees with conntrack -L" "$(ct_count 0x200/0xff00)" \
	"$(drv count 0x200 0xff00)"
check_eq "stats" "entries 2 packets 0 bytes 0" "$(drv stats 0x200 0xffffffff)"
check_eq "flush pin 1" "flushed 4" "$(drv flush 0x100 0xff00 2>&1)"
check_eq "pin 1 gone" 0 "$(ct_count 0x100/0xff00)"
check_eq "pin 2 stays" 2 "$(ct_count 0x200/0xff00)"
check_eq "unmarked stay" 2 "$(ct_count 0x0/0xffffffff)"
check_eq "flush of nothing" "flushed 0" "$(drv flush 0x300 0xff00 2>&1)"
check_eq "nothing else went" 4 "$(in_ns conntrack -L 2>/dev/null | grep -c .)"

# Per-mark totals from real traffic: local pings marked by an output chain
# (which also makes the namespace track connections at all).
cat >"$TMP/acct.nft" <<'EOF'
table ip ecmpd {
	chain output {
		type filter hook output priority mangle; policy accept;
		ip daddr 10.111.0.2 ct mark set 0x300
	}
}
EOF
in_ns sysctl -qw net.netfilter.nf_conntrack_acct=1
drv fw-apply "$TMP/acct.nft"
in_ns ping -c 3 -i 0.01 -q 10.111.0.2 >/dev/null
check_eq "per-mark packet and byte totals" \
	"entries 1 packets 6 bytes 504" "$(drv stats 0x300 0xff00)"
drv fw-remove
in_ns conntrack -D -m 0x300/0xff00 >/dev/null 2>&1

# --- sysctl -------------------------------------------------------------
check_eq "sysctl-read" "$(in_ns cat /proc/sys/net/ipv4/ip_forward)" \
	"$(drv sysctl-read net.ipv4.ip_forward 2>&1)"
drv sysctl-write net.ipv4.conf.wlan1.rp_filter 2 2>&1
check_eq "sysctl-write (in the namespace)" 2 \
	"$(in_ns cat /proc/sys/net/ipv4/conf/wlan1/rp_filter)"
drv sysctl-read net.ipv4.conf.../../etc/passwd >/dev/null 2>&1
check_eq "sysctl refuses a key leaving /proc/sys" 1 $?

# --- remove leaves what was there before ---------------------------------
drv fw-apply "$TMP/good.nft"
drv remove >/dev/null 2>&1
check_eq "remove" 0 $?
drv fw-remove
drv addr-del 2>&1
check_eq "remove leaves addresses, routes and rules as before" "$before" \
	"$(snapshot)"
check_eq "remove leaves no ids" "" "$(drv read-ids 2>&1)"

# --- link events and the routes the kernel deletes silently ------------
drv sync >/dev/null 2>&1
drv monitor 1000 edgestop >"$TMP/mon" 2>&1 &
MONITOR_PID=$!
if wait_for 10 grep -q -- ready "$TMP/mon"; then
	in_ns ip link set wlan1 down
	in_ns ip link set wlan1 up
	# The kernel dropped the routes through wlan1 without a word.
	check_eq "link down deleted table 1001's route" "" \
		"$(routes | grep '^1001 ')"
	in_ns ip link del wlan1
	setup_link 1
	in_ns ip link add edgestop type veth peer name edgestop1
	wait_for 10 grep -q -- "link edgestop " "$TMP/mon" || true
	wait "$MONITOR_PID" 2>/dev/null
	MONITOR_PID=
	events=$(grep '^link wlan1 ' "$TMP/mon" | uniq)
	# Carrier comes a little after IFF_UP: accept repeated states.
	expect='link wlan1 exists down
link wlan1 exists up
link wlan1 exists down
link wlan1 deleted down
link wlan1 exists down
link wlan1 exists up'
	check_eq "link events: down, up, delete, re-create" "$expect" "$events"
	if grep -q '^changed' "$TMP/mon"; then
		pass "route/address changes are reported"
	else
		fail "route/address changes are reported"
	fi
else
	fail "monitor did not start"
	cat "$TMP/mon"
fi
# A burst read into 2 slots: the latest state per interface, and overrun
# for the interface that found no slot.
drv monitor-batch 2 edgestop2 >"$TMP/batch" 2>&1 &
MONITOR_PID=$!
if wait_for 10 grep -q -- ready "$TMP/batch"; then
	in_ns ip link set wlan1 down
	in_ns ip link set wlan1 up
	in_ns ip link set wlan1 down
	in_ns ip link set wlan1 up
	in_ns ip link add edgestop2 type veth peer name edgestop3
	wait "$MONITOR_PID"
	MONITOR_PID=
	# wlan1 takes a slot, its later events replace it; edgestop2 and 3
	# find none. (isp1's carrier events come late from linkwatch, so its
	# slot and state are not checked.)
	batch=$(cat "$TMP/batch")
	if grep -qx "link wlan1 exists up" <<<"$batch" &&
		grep -qx overrun <<<"$batch" &&
		[ "$(grep -c '^link ' <<<"$batch")" -le 2 ]; then
		pass "a burst is coalesced per interface"
	else
		fail "a burst is coalesced per interface"
		echo "$batch"
	fi
else
	fail "monitor-batch did not start"
fi
check_eq "link-state of the new wlan1" "exists up" "$(drv link-state wlan1 2>&1)"
check_eq "link-state of a missing link" "missing down" \
	"$(drv link-state nosuch0 2>&1)"
out=$(drv sync 2>&1)
if [ "$out" != "writes 0" ] && [ "$(routes)" = "$ROUTES_ALL_UP" ]; then
	pass "re-sync after link down/up and re-create restores the routes"
else
	fail "re-sync after link down/up and re-create restores the routes"
	echo "$out"
	routes
fi
check_eq "and the next sync makes no writes" "writes 0" "$(drv sync 2>&1)"

drv remove >/dev/null 2>&1
check_eq "final remove leaves no routes" "" "$(routes)"
check_eq "final remove leaves no rules" "" "$(rules)"

finish
