#!/bin/bash
# SPDX-License-Identifier: MIT
# t_metrics.sh - `ecmpctl metrics`, the --metrics-listen HTTP endpoint and
# the RouterOS-style print, in the seed's lab.
#
# The metrics are checked with two real parsers: `promtool check metrics`
# (make check unpacks it from Debian's prometheus package) and the strict
# parser of the text exposition format in metrics.py. Their values follow the
# lab: both gateways up, probes counted, pinned connections and their
# traffic (nf_conntrack_acct=1); after ISP1's blackout 10.111.0.1 is down,
# a failover and the state changes are counted; reloads count by result.
# `print /ip route` shows 10.111.0.1 unreachable, `print /ip firewall nat`
# lists the masquerade rules, both also as JSON.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

# PROMTOOL: set by `make check`, which unpacks it from Debian's
# prometheus package without installing (and starting) the server.
PROMTOOL=${PROMTOOL:-promtool}

lab_require_root
lab_require_ecmpd
need "$PROMTOOL"
lab_up
PORT=9187

# metric FILE NAME [LABEL=VALUE...]: the value of one sample ("" if none)
metric() { "$PYTHON" "$LAB_DIR_SELF/metrics.py" value "$@"; }

# valid FILE DESC: both parsers accept FILE
valid() {
	check "$2: strict exposition parser" "$PYTHON" "$LAB_DIR_SELF/metrics.py" check <"$1"
	local out
	out=$("$PROMTOOL" check metrics <"$1" 2>&1)
	[ -n "$out" ] && echo "$out"
	check "$2: promtool check metrics" test -z "$out"
}

# traffic accounting, so the packet and byte counters appear
_sysctl "$NS_RT" net.netfilter.nf_conntrack_acct 1 2>/dev/null ||
	{ rt modprobe nf_conntrack 2>/dev/null; _sysctl "$NS_RT" net.netfilter.nf_conntrack_acct 1; }

check "ecmpd starts with --metrics-listen" start_ecmpd "$SRCDIR/examples/seed.rsc" --metrics-listen "127.0.0.1:$PORT" || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up ($t ms)" [ "$t" != timeout ]
longflow_start lf 0 8 --src "$(lan_sources 0 | tr ' ' ',')" --stall 30 --duration 600
lf_batch 10 >/dev/null

M=$LAB_TMP/m1
check "ecmpctl metrics answers" bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' metrics >'$M'"
valid "$M" "ecmpctl metrics"
for gw in "$GW1" "$GW2"; do
	check_eq "ecmpd_uplink_up $gw" 1 "$(metric "$M" ecmpd_uplink_up gateway="$gw")"
	check_eq "ecmpd_uplink_state{state=up} $gw" 1 "$(metric "$M" ecmpd_uplink_state gateway="$gw" state=up)"
	check_num "probes sent to $gw counted" "$(metric "$M" ecmpd_probes_sent_total gateway="$gw") > 0"
	check_num "RTT of $gw in seconds, plausible" "0 < $(metric "$M" ecmpd_uplink_rtt_seconds gateway="$gw") < 0.5"
done
c1=$(metric "$M" ecmpd_connections gateway="$GW1")
c2=$(metric "$M" ecmpd_connections gateway="$GW2")
check_num "pinned connections counted ($c1 + $c2)" "$c1 + $c2 >= 8"
b=$(metric "$M" ecmpd_uplink_bytes_total gateway="$GW1")
b2=$(metric "$M" ecmpd_uplink_bytes_total gateway="$GW2")
check_num "uplink bytes counted with nf_conntrack_acct=1 ($b, $b2)" "$b + $b2 > 0"
check_eq "interface label" 1 "$(metric "$M" ecmpd_uplink_up interface=wlan1 gateway="$GW1")"

# ---------------------------------------------------------------- HTTP
H=$LAB_TMP/http
rt "$PYTHON" "$LAB_DIR_SELF/metrics.py" fetch "$PORT" "$H"
check "GET /metrics over HTTP answers" test -s "$H"
valid "$H" "GET /metrics"
check "Content-Type text/plain; version=0.0.4" grep -q 'text/plain; version=0.0.4' "$H.ctype"
check_eq "GET / is 404" 404 "$(cat "$H.404" 2>/dev/null)"
check "HTTP and ecmpctl list the same families" \
	bash -c "diff <(grep '^# TYPE' '$M') <(grep '^# TYPE' '$H')"

# ---------------------------------------------------------------- print
P=$LAB_TMP/print
ctl print /ip route >"$P.route"
cat "$P.route"
check "print /ip route: 10.111.0.1 reachable wlan1" grep -q '10.111.0.1 reachable wlan1' "$P.route"
check "print /ip route: the ECMP route is active and static" grep -Eq '^ *0 A S  0\.0\.0\.0/0' "$P.route"
check "print /ip route: connected routes are dynamic" grep -q 'ADC  10.111.0.0/24' "$P.route"
ctl -j print /ip route >"$P.route.json"
check "print -j /ip route is JSON: the ECMP route first, active" \
	jq -e '.[0]["dst-address"] == "0.0.0.0/0" and .[0].active == true' "$P.route.json"
ctl print /ip firewall nat >"$P.nat"
cat "$P.nat"
check "print /ip firewall nat: both masquerade rules" \
	bash -c "[ \$(grep -c 'srcnat *masquerade' '$P.nat') -eq 2 ]"
check "print /ip firewall mangle lists the mangle rules" \
	bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' print /ip firewall mangle | grep -q 'mark-connection'"
ctl -j print /ip firewall nat >"$P.nat.json"
check "print -j /ip firewall nat is JSON: two masquerade rules" \
	jq -e 'length == 2 and .[0].action == "masquerade"' "$P.nat.json"
check "print /ip firewall nat: kernel counters shown" \
	bash -c "! grep -q 'masquerade *- *-' '$P.nat'"
check "an unknown menu is an error" bash -c "! ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' print /system identity >/dev/null 2>&1"

# ---------------------------------------------------------------- changes
isp_blackout 1
t=$(lf_wait_state "$GW1=down" 10)
check "10.111.0.1 down after the blackout ($t ms)" [ "$t" != timeout ]
ctl metrics >"$M.2"
valid "$M.2" "metrics after failover"
check_eq "ecmpd_uplink_up 10.111.0.1 after blackout" 0 "$(metric "$M.2" ecmpd_uplink_up gateway="$GW1")"
check_eq "ecmpd_uplink_state{state=down} 10.111.0.1" 1 "$(metric "$M.2" ecmpd_uplink_state gateway="$GW1" state=down)"
check_eq "ecmpd_uplink_usable 10.111.0.1" 0 "$(metric "$M.2" ecmpd_uplink_usable gateway="$GW1")"
check_num "a failover counted" "$(metric "$M.2" ecmpd_failovers_total) >= 1"
check_num "state changes counted" "$(metric "$M.2" ecmpd_state_changes_total) >= 3"
check_num "lost probes counted" "$(metric "$M.2" ecmpd_probes_lost_total gateway="$GW1") >= 5"
check_num "loss ratio in 0..1 and > 0" "0 < $(metric "$M.2" ecmpd_uplink_loss_ratio gateway="$GW1") <= 1"
check "print /ip route: 10.111.0.1 unreachable" bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' print /ip route | grep -q '10.111.0.1 unreachable'"
check "print /ip route: the routing-mark route via 10.111.0.1 is inactive" \
	bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' print /ip route | grep -Eq '^ *1   S .*to_wlan1'"
isp_restore 1

ctl reload >/dev/null
ctl metrics >"$M.3"
check_eq "ecmpd_reloads_total{result=ok}" 1 "$(metric "$M.3" ecmpd_reloads_total result=ok)"
check_eq "ecmpd_reloads_total{result=failed}" 0 "$(metric "$M.3" ecmpd_reloads_total result=failed)"

longflow_stop lf
check "ecmpd still running" lf_ecmpd_alive
stop_ecmpd
finish
