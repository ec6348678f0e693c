#!/bin/bash
# SPDX-License-Identifier: MIT
# t_policy_rules.sh - the config's policy rules land in the kernel in
# RouterOS's order: ecmpd runs tests/config/rules-v6.rsc in a throw-away
# namespace (dummy or veth interfaces; the gateways need not answer), and the
# rules in ecmpd's priority range must be exactly the plan's, in its
# order, with their selectors and actions (docs/config.md "Policy rules").
# A reload with the rules reordered rewrites them in the new order;
# SIGTERM removes them all. The host's interfaces and rules are never
# touched.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_ns.sh"

require_root
[ -n "${ECMPD:-}" ] || bail "ECMPD names the ecmpd binary"
need ip jq "$ECMPD"

NS=ecmpd-rules-$$
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
at_exit cleanup

ns_up "$NS" Local Guest wlan1 wlan2

CONF=$T_TMP/rules.rsc
cp "$SRCDIR/tests/config/rules-v6.rsc" "$CONF"

# ecmpd's rules of the namespace, one line each, in the kernel's order
rules_now() {
	ip -n "$NS" -j rule show | jq -r '.[] | select(.priority >= 10000 and .priority <= 10299)
		| "\(.priority) \(.src // "all")/\(.srclen // 0) \(.dst // "all")/\(.dstlen // 0) \(.fwmark // "-")/\(.fwmask // "-") \(.iif // "-") \(.action // .table)"'
}
# the same rules as the plan says them
rules_planned() {
	"$ECMPD" --plan -f "$CONF" | awk '$1 == "rule" && $4 >= 10000 && $4 <= 10299' |
		sed 's/^rule add priority //'
}
rules_match() { [ "$(rules_now | wc -l)" -eq "$1" ]; }

"$ECMPD" -n -f "$CONF" || bail "ecmpd -n refuses $CONF"
PLANNED=$(rules_planned)
N=$(echo "$PLANNED" | wc -l)
ip netns exec "$NS" "$ECMPD" -f "$CONF" -s "$T_TMP/ecmpd.sock" >"$T_TMP/ecmpd.log" 2>&1 &
PID=$!
check "ecmpd installs the $N ip rules of the policy rules" wait_for 20 rules_match "$N"
NOW=$(rules_now)
echo "$NOW" | sed 's/^/    /'
check_eq "the rules' priorities are the plan's, in order" \
	"$(echo "$PLANNED" | awk '{ print $1 }' | tr '\n' ' ')" \
	"$(echo "$NOW" | awk '{ print $1 }' | tr '\n' ' ')"
check "rule 1 (dst LAN, mark to_isp1): main, connected first" \
	grep -qE '^10001 all/0 192\.168\.0\.0/24 0x1000000/0xff000000 - main$' <<<"$NOW"
check "rule 2 (src 192.168.0.0/25): ISP1's table" \
	grep -qE '^10004 192\.168\.0\.0/25 all/0 -/- - 2001$' <<<"$NOW"
check "rule 3 (lookup-only-in-table): ISP2's table, then blackhole" \
	grep -qE '^10007 192\.168\.0\.128/25 all/0 -/- - 2002$' <<<"$NOW"
check "  ... the blackhole right after it" \
	grep -qE '^10008 192\.168\.0\.128/25 all/0 -/- - blackhole$' <<<"$NOW"
check "rule 4 (guest to 10/8 from Guest): unreachable" \
	grep -qE '^10010 192\.168\.88\.0/24 10\.0\.0\.0/8 -/- Guest unreachable$' <<<"$NOW"
check "rule 5 (drop): blackhole" \
	grep -qE '^10013 203\.0\.113\.0/24 all/0 -/- - blackhole$' <<<"$NOW"
check "the disabled rule is not installed" \
	bash -c "! grep -q 198.51.100 <<<\"\$0\"" "$NOW"
check "the routing marks come after the rules (10301, 10302)" \
	bash -c "ip -n $NS rule show | grep -qE '^10301:.*lookup 2001' && ip -n $NS rule show | grep -qE '^10302:.*lookup 2002'"

# Reordered: the drop rule first. RouterOS's order is the file's.
awk '/^\/ip route rule/ { print; print "add src-address=203.0.113.0/24 action=drop"; next }
	/^add src-address=203.0.113.0\/24 action=drop$/ { next } { print }' \
	"$SRCDIR/tests/config/rules-v6.rsc" >"$CONF"
kill -HUP "$PID"
_drop_first() { rules_now | head -n 1 | grep -qE '^10001 203\.0\.113\.0/24 .* blackhole$'; }
check "after a reload with the drop rule first, it is the first rule" wait_for 20 _drop_first
check_eq "the rules are the new plan's, in order" \
	"$(rules_planned | awk '{ print $1 }' | tr '\n' ' ')" \
	"$(rules_now | awk '{ print $1 }' | tr '\n' ' ')"

kill "$PID"
check "ecmpd stops" wait_for 20 bash -c "! kill -0 $PID 2>/dev/null"
PID=""
check "SIGTERM removed every rule" rules_match 0

finish
