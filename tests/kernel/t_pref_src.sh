#!/bin/bash
# SPDX-License-Identifier: MIT
# t_pref_src.sh - a route's pref-src= reaches the kernel as the route's
# preferred source: ecmpd runs tests/config/route-pref-src.rsc in a
# throw-away namespace (dummy or veth interfaces; the gateways need not
# answer, so its check-gateway is left out). The multipath default in table 1000 must carry src 192.168.0.1
# and 10.200.0.0/16 src 10.112.0.2, as `ecmpd --plan` says; a resync after
# a reload must find them equal (no route written); a route whose source
# was changed by hand is put back. SIGTERM removes them. The host's
# interfaces and routes are never touched.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_ns.sh"

require_root
[ -n "${ECMPD:-}" ] && [ -n "${ECMPCTL:-}" ] || bail "ECMPD and ECMPCTL name the binaries"
need ip "$ECMPD" "$ECMPCTL"

NS=ecmpd-prefsrc-$$
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
at_exit cleanup

ns_up "$NS" Local wlan1 wlan2

# without check-gateway: the gateways do not answer here, and a dead
# default would lose its source to an unreachable route
CONF=$T_TMP/pref-src.rsc
sed 's/ check-gateway=ping//' "$SRCDIR/tests/config/route-pref-src.rsc" >"$CONF"
SOCK=$T_TMP/ecmpd.sock
check "the plan gives the default its source" \
	bash -c "'$ECMPD' --plan -f '$CONF' | grep -q '^route add default src 192.168.0.1 table 1000 '"
ip netns exec "$NS" "$ECMPD" -f "$CONF" -s "$SOCK" -v >"$T_TMP/ecmpd.log" 2>&1 &
PID=$!
default_src() { ip -n "$NS" route show table 1000 default | grep -q "src 192.168.0.1"; }
branch_src() { ip -n "$NS" route show table 1000 10.200.0.0/16 | grep -q "src 10.112.0.2"; }
check "the default route of table 1000 has src 192.168.0.1" wait_for 20 default_src
check "10.200.0.0/16 has src 10.112.0.2" branch_src

syncs() { grep -c 'route sync: 0 writes' "$T_TMP/ecmpd.log"; }
s0=$(syncs)
check "a reload" ip netns exec "$NS" "$ECMPCTL" -s "$SOCK" reload
check_num "its route sync found the routes equal (no write)" "$(syncs) > $s0"

# by hand: the same route without the source; ecmpd's resync puts it back
ip -n "$NS" route replace 10.200.0.0/16 via 10.112.0.1 dev wlan2 table 1000 proto 77
check "a route whose source was removed by hand gets it back" wait_for 20 branch_src

kill "$PID"
check "ecmpd stops" wait_for 20 bash -c "! kill -0 $PID 2>/dev/null"
PID=""
check "SIGTERM removed the routes" bash -c "[ -z \"\$(ip -n $NS route show table 1000)\" ]"
finish
