#!/bin/bash
# SPDX-License-Identifier: MIT
# t_metrics.sh - `ecmpctl metrics`, the --metrics-listen HTTP endpoint and
# the RouterOS-style print, in the seed's lab.
#
# The metrics are checked with a real parser: `promtool check metrics`
# when Debian's prometheus package is installed, and always with the strict
# parser of the text exposition format below. Their values follow the
# lab: both gateways up, probes counted, pinned connections and their
# traffic (nf_conntrack_acct=1); after ISP1's blackout 10.111.0.1 is down,
# a failover and the state changes are counted; reloads count by result.
# `print /ip route` shows 10.111.0.1 unreachable, `print /ip firewall nat`
# lists the masquerade rules, both also as JSON.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

lab_require_root
lab_require_ecmpd
if ! "$ECMPD" --help 2>&1 | grep -q -- --metrics-listen; then
	echo "skipped: $ECMPD has no --metrics-listen yet"
	exit 77
fi
lab_up
PORT=9187

# The strict parser: exit 1 with the reasons on stderr.
PARSER=$LAB_TMP/expo.py
cat >"$PARSER" <<'EOF2'
import math, re, sys
NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LNAME = r'[a-zA-Z_][a-zA-Z0-9_]*'
LVAL = r'"(?:[^"\\\n]|\\\\|\\"|\\n)*"'
SAMPLE = re.compile(r'^(%s)(?:\{((?:%s=%s)(?:,%s=%s)*)?,?\})? (\S+)(?: (-?\d+))?$'
                    % (NAME, LNAME, LVAL, LNAME, LVAL))
LABEL = re.compile(r'(%s)=(%s)' % (LNAME, LVAL))
text = sys.stdin.read()
errs = []
if not text.endswith('\n'):
    errs.append('does not end with a newline')
types, helps, series, done = {}, {}, set(), set()
current = None
for n, line in enumerate(text.split('\n')[:-1], 1):
    if line.startswith('#'):
        m = re.match(r'^# (HELP|TYPE) (%s) (.*)$' % NAME, line)
        if not m:
            if line.startswith('# HELP') or line.startswith('# TYPE'):
                errs.append('%d: bad %s' % (n, line))
            continue
        kind, name, rest = m.groups()
        if kind == 'TYPE':
            if rest not in ('counter', 'gauge', 'histogram', 'summary', 'untyped'):
                errs.append('%d: bad type %s' % (n, rest))
            if name in types:
                errs.append('%d: second TYPE for %s' % (n, name))
            types[name] = rest
        else:
            if name in helps:
                errs.append('%d: second HELP for %s' % (n, name))
            helps[name] = rest
        if current and current != name:
            done.add(current)
        if name in done:
            errs.append('%d: family %s is not contiguous' % (n, name))
        current = name
        continue
    if not line.strip():
        errs.append('%d: empty line' % n)
        continue
    m = SAMPLE.match(line)
    if not m:
        errs.append('%d: not a sample: %r' % (n, line))
        continue
    name, labels, value = m.group(1), m.group(2) or '', m.group(3)
    fam = name
    for suf in ('_bucket', '_sum', '_count'):
        if name.endswith(suf) and name[:-len(suf)] in types and types[name[:-len(suf)]] in ('histogram', 'summary'):
            fam = name[:-len(suf)]
    if fam not in types:
        errs.append('%d: sample %s before its TYPE' % (n, name))
    if fam != current:
        errs.append('%d: sample %s outside its family block' % (n, name))
    ls = LABEL.findall(labels)
    keys = [k for k, _ in ls]
    if len(keys) != len(set(keys)):
        errs.append('%d: repeated label' % n)
    key = (name, tuple(sorted(ls)))
    if key in series:
        errs.append('%d: duplicate series %s' % (n, line))
    series.add(key)
    try:
        v = float(value)
    except ValueError:
        errs.append('%d: bad value %r' % (n, value)); continue
    if types.get(fam) == 'counter':
        if not name.endswith('_total'):
            errs.append('%d: counter %s without _total' % (n, name))
        if v < 0 or math.isnan(v):
            errs.append('%d: counter %s is %s' % (n, name, value))
for name in types:
    if name not in helps:
        errs.append('no HELP for %s' % name)
for e in errs:
    print('exposition: ' + e, file=sys.stderr)
sys.exit(1 if errs else 0)
EOF2

# metric FILE NAME [LABEL=VALUE...]: the value of one sample ("" if none)
metric() {
	"$PYTHON" - "$@" <<'EOF2'
import re, sys
f, name, want = sys.argv[1], sys.argv[2], sys.argv[3:]
for line in open(f):
    if line.startswith('#'):
        continue
    m = re.match(r'^(\S+?)(?:\{(.*)\})? (\S+)$', line.strip())
    if not m or m.group(1) != name:
        continue
    labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ''))
    if all(labels.get(k) == v for k, v in (w.split('=', 1) for w in want)):
        print(m.group(3)); break
EOF2
}

# valid FILE DESC: both parsers accept FILE
valid() {
	check "$2: strict exposition parser" "$PYTHON" "$PARSER" <"$1"
	# PROMTOOL: set by `make check`, which unpacks it from Debian's
	# prometheus package without installing (and starting) the server.
	local promtool=${PROMTOOL:-$(command -v promtool)}
	if [ -n "$promtool" ] && [ -x "$promtool" ]; then
		local out
		out=$("$promtool" check metrics <"$1" 2>&1)
		[ -n "$out" ] && echo "$out"
		check "$2: promtool check metrics" test -z "$out"
	else
		echo "note: promtool not available (Debian package prometheus); strict parser only"
	fi
}

# traffic accounting, so the packet and byte counters appear
_sysctl "$NS_RT" net.netfilter.nf_conntrack_acct 1 2>/dev/null ||
	{ rt modprobe nf_conntrack 2>/dev/null; _sysctl "$NS_RT" net.netfilter.nf_conntrack_acct 1; }

if ! start_ecmpd "$SRCDIR/examples/seed.rsc" --metrics-listen "127.0.0.1:$PORT"; then
	check "ecmpd starts with --metrics-listen" false
	lab_finish
fi
t=$(lf_wait_state "$GW1=up,$GW2=up" 10)
check "both gateways up ($t ms)" [ "$t" != timeout ]
longflow_start lf 0 8 --src "$(lan_sources 0 | tr ' ' ',')" --stall 30 --duration 600
lf_batch 10 >/dev/null

M=$LAB_TMP/m1
check "ecmpctl metrics answers" bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' metrics >'$M'"
valid "$M" "ecmpctl metrics"
for gw in "$GW1" "$GW2"; do
	check_eq "ecmpd_gateway_up $gw" 1 "$(metric "$M" ecmpd_gateway_up gateway="$gw")"
	check_eq "ecmpd_gateway_state{state=up} $gw" 1 "$(metric "$M" ecmpd_gateway_state gateway="$gw" state=up)"
	check_py "probes sent to $gw counted" "int('$(metric "$M" ecmpd_probes_sent_total gateway="$gw")' or 0) > 0"
	check_py "RTT of $gw in seconds, plausible" "0 < float('$(metric "$M" ecmpd_gateway_rtt_seconds gateway="$gw")' or -1) < 0.5"
done
c1=$(metric "$M" ecmpd_connections gateway="$GW1")
c2=$(metric "$M" ecmpd_connections gateway="$GW2")
check_py "pinned connections counted ($c1 + $c2)" "int('${c1:-0}') + int('${c2:-0}') >= 8"
b=$(metric "$M" ecmpd_uplink_bytes_total gateway="$GW1")
b2=$(metric "$M" ecmpd_uplink_bytes_total gateway="$GW2")
check_py "uplink bytes counted with nf_conntrack_acct=1 ($b, $b2)" "int('${b:-0}') + int('${b2:-0}') > 0"
check_eq "interface label" 1 "$(metric "$M" ecmpd_gateway_up interface=wlan1 gateway="$GW1")"

# ---------------------------------------------------------------- HTTP
H=$LAB_TMP/http
rt "$PYTHON" - "$PORT" "$H" <<'EOF2'
import sys, urllib.request, urllib.error
port, out = sys.argv[1], sys.argv[2]
r = urllib.request.urlopen('http://127.0.0.1:%s/metrics' % port, timeout=5)
open(out, 'wb').write(r.read())
open(out + '.ctype', 'w').write(r.headers.get('Content-Type', ''))
try:
    urllib.request.urlopen('http://127.0.0.1:%s/' % port, timeout=5)
    open(out + '.404', 'w').write('200')
except urllib.error.HTTPError as e:
    open(out + '.404', 'w').write(str(e.code))
EOF2
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
check "print -j /ip route is JSON" bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' -j print /ip route | '$PYTHON' -c 'import json,sys; r=json.load(sys.stdin); assert r[0][\"dst-address\"]==\"0.0.0.0/0\" and r[0][\"active\"]'"
ctl print /ip firewall nat >"$P.nat"
cat "$P.nat"
check "print /ip firewall nat: both masquerade rules" \
	bash -c "[ \$(grep -c 'srcnat *masquerade' '$P.nat') -eq 2 ]"
check "print /ip firewall mangle lists the mangle rules" \
	bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' print /ip firewall mangle | grep -q 'mark-connection'"
check "print -j /ip firewall nat is JSON" bash -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' -j print /ip firewall nat | '$PYTHON' -c 'import json,sys; r=json.load(sys.stdin); assert len(r)==2 and r[0][\"action\"]==\"masquerade\"'"
if rt nft list table ip ecmpd 2>/dev/null | grep -q 'oifname "wlan1" .*counter'; then
	check "print /ip firewall nat: kernel counters shown" \
		bash -c "! grep -q 'masquerade *- *-' '$P.nat'"
else
	echo "note: the ruleset has no counter on config rules yet; print shows '-'"
fi
check "an unknown menu is an error" bash -c "! ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' print /system identity >/dev/null 2>&1"

# ---------------------------------------------------------------- changes
isp_blackout 1
t=$(lf_wait_state "$GW1=down" 5)
check "10.111.0.1 down after the blackout ($t ms)" [ "$t" != timeout ]
ctl metrics >"$M.2"
valid "$M.2" "metrics after failover"
check_eq "ecmpd_gateway_up 10.111.0.1 after blackout" 0 "$(metric "$M.2" ecmpd_gateway_up gateway="$GW1")"
check_eq "ecmpd_gateway_state{state=down} 10.111.0.1" 1 "$(metric "$M.2" ecmpd_gateway_state gateway="$GW1" state=down)"
check_eq "ecmpd_gateway_usable 10.111.0.1" 0 "$(metric "$M.2" ecmpd_gateway_usable gateway="$GW1")"
check_py "a failover counted" "int('$(metric "$M.2" ecmpd_failovers_total)' or 0) >= 1"
check_py "state changes counted" "int('$(metric "$M.2" ecmpd_state_changes_total)' or 0) >= 3"
check_py "lost probes counted" "int('$(metric "$M.2" ecmpd_probes_lost_total gateway="$GW1")' or 0) >= 5"
check_py "loss ratio in 0..1 and > 0" "0 < float('$(metric "$M.2" ecmpd_gateway_loss_ratio gateway="$GW1")' or 0) <= 1"
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
lab_finish
