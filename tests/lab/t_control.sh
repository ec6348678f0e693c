#!/bin/bash
# SPDX-License-Identifier: MIT
# t_control.sh - ecmpctl and the control socket against a running ecmpd.
#
# status (text and JSON with the keys the contract names); reload of an
# invalid config (exit 1, diagnostics as file:line:col, nothing changes:
# status, kernel state and balancing as before; the same through SIGHUP);
# reload of a valid changed config (exit 0, the change applied, live
# connections untouched); malformed, oversized and unfinished requests on
# the socket get an error line or are waited for without blocking others;
# the socket is mode 0600.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

BATCH=${BATCH:-30}

lab_require_root
lab_require_ecmpd
lab_up
lan_extra_addresses

CFG=$LAB_TMP/control.rsc
cp "$SRCDIR/examples/seed.rsc" "$CFG"
ORIG=$LAB_TMP/control.orig.rsc
cp "$CFG" "$ORIG"

if ! start_ecmpd "$CFG"; then
	check "ecmpd starts with a copy of examples/seed.rsc" false
	lab_finish
fi
t=$(lf_wait_state "$GW1=up,$GW2=up" 10)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]

# ---------------------------------------------------------------- socket
check_eq "control socket mode" 600 "$(stat -c %a "$ECMPD_SOCK")"
check_eq "control socket is a socket" socket "$(stat -c %F "$ECMPD_SOCK" | awk '{ print $NF }')"

# ---------------------------------------------------------------- status
ctl status >"$LAB_TMP/status.txt" 2>&1
rc=$?
cat "$LAB_TMP/status.txt"
check_eq "ecmpctl status exits 0" 0 "$rc"
for w in 10.111.0.1 10.112.0.1 wlan1 wlan2; do
	check "ecmpctl status names $w" grep -qw "$w" "$LAB_TMP/status.txt"
done

ctl -j status >"$LAB_TMP/status.json" 2>&1
check_eq "ecmpctl -j status exits 0" 0 "$?"
check "ecmpctl -j status prints valid JSON" "$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$LAB_TMP/status.json"
keys_ok=$("$PYTHON" -c '
import json, sys
s = json.load(open(sys.argv[1]))
us = s["uplinks"]
bad = []
need = {"interface": str, "gateway": str, "state": str, "rtt_ms": (int, float),
        "loss_pct": (int, float), "connections": int, "id": int}
for u in us:
    for k, t in need.items():
        if k not in u:
            bad.append("%s: no %s" % (u.get("gateway"), k))
        elif not isinstance(u[k], t) or isinstance(u[k], bool):
            bad.append("%s: %s is %r" % (u.get("gateway"), k, u[k]))
gws = sorted((u.get("interface"), u.get("gateway")) for u in us)
if gws != [("wlan1", "10.111.0.1"), ("wlan2", "10.112.0.1")]:
    bad.append("uplinks %s" % gws)
print("; ".join(bad) or "ok")' "$LAB_TMP/status.json" 2>&1)
check_eq "JSON status: two uplinks with interface, gateway, state, rtt_ms, loss_pct, connections" ok "$keys_ok"

# what must not change across a failed reload: uplinks (id, interface,
# gateway, check, state) and the kernel state
_uplinks() {
	ctl -j status | "$PYTHON" -c '
import json, sys
for u in sorted(json.load(sys.stdin)["uplinks"], key=lambda u: u["id"]):
    print(u["id"], u["interface"], u["gateway"], u.get("check"), u["state"], end="; ")'
}
balanced() { # LABEL
	lf_batch "$BATCH"
	check_py "$1: new connections balanced ($B_UP1 via wlan1, $B_UP2 via wlan2 of $B_TOTAL)" \
		"$B_OK == $B_TOTAL and $B_UP1 >= $B_TOTAL * 0.2 and $B_UP2 >= $B_TOTAL * 0.2"
}
balanced "before any reload"

# long-lived connections through both uplinks, across every reload
longflow_start lf 0 20 --src "$(lan_sources 0 | tr ' ' ',')" --stall 30 --duration 600
NLF=$(lf_flows lf count all alive)
check_eq "long-lived connections up" 20 "$NLF"
SP=$(lf_flows lf sports all)
PINS0=$(lf_pins_of "$SP")
UP0=$(_uplinks)
STATE0=$LAB_TMP/state.0
lf_state_dump "$STATE0"

# ---------------------------------------------------------------- invalid
cp "$ORIG" "$CFG"
echo '/ip route add dst-address=0.0.0.0/0 gateway=10.111.0.1 check-gateway=bogus' >>"$CFG"
BADLINE=$(grep -n 'check-gateway=bogus' "$CFG" | cut -d: -f1)
ctl reload >"$LAB_TMP/reload-bad.out" 2>&1
rc=$?
cat "$LAB_TMP/reload-bad.out"
check_eq "reload of an invalid config exits 1" 1 "$rc"
check "  ... and prints the diagnostic as $CFG:$BADLINE:COL" grep -qE "$(basename "$CFG"):$BADLINE:[0-9]+" "$LAB_TMP/reload-bad.out"
check "ecmpd still running" lf_ecmpd_alive
check_eq "uplinks unchanged after the failed reload" "$UP0" "$(_uplinks)"
same=false
lf_same_state "$STATE0" && same=true
check "kernel state unchanged after the failed reload" $same
$same || lf_state_diff "$STATE0"
balanced "after the failed reload"

log "SIGHUP with the invalid config"
kill -HUP "$ECMPD_PID"
_hup_logged() { [ "$(grep -cE "$(basename "$CFG"):$BADLINE:[0-9]+" "$ECMPD_LOG")" -ge 1 ]; }
check "SIGHUP with an invalid config: diagnostic in the log" wait_for 3 _hup_logged
check "  ... ecmpd still running and answering" wait_for 2 ctl status
check_eq "  ... uplinks unchanged" "$UP0" "$(_uplinks)"
same=false
lf_same_state "$STATE0" && same=true
check "  ... kernel state unchanged" $same
$same || lf_state_diff "$STATE0"

# ---------------------------------------------------------------- valid
cp "$ORIG" "$CFG"
echo '/ip route add dst-address=203.0.113.0/24 gateway=10.112.0.1' >>"$CFG"
ctl reload >"$LAB_TMP/reload-good.out" 2>&1
rc=$?
cat "$LAB_TMP/reload-good.out"
check_eq "reload of a valid changed config exits 0" 0 "$rc"
_has_new_route() { rt ip route show table all | grep -q '^203\.0\.113\.0/24 via 10\.112\.0\.1'; }
check "  ... the new route is installed" wait_for 2 _has_new_route
rt ip route show table all | grep '^203\.0\.113'
check_eq "  ... uplinks unchanged" "$UP0" "$(_uplinks)"
longflow_settle lf 5
check_eq "  ... long-lived connections all alive" "$NLF" "$(lf_flows lf count all alive)"
check "  ... their conntrack entries untouched (ids, pins)" [ "$PINS0" = "$(lf_pins_of "$SP")" ]
balanced "after the valid reload"

cp "$ORIG" "$CFG"
ctl reload >/dev/null 2>&1
check_eq "reload back to the original exits 0" 0 "$?"
_no_new_route() { ! _has_new_route; }
check "  ... the extra route is gone" wait_for 2 _no_new_route
same=false
wait_for 2 lf_same_state "$STATE0" && same=true
check "  ... kernel state as at the start" $same
$same || lf_state_diff "$STATE0"

# ---------------------------------------------------------------- socket abuse
_LF_SOCK='
import socket, sys, time
path, mode = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(path)
try:
    if mode == "garbage":
        s.sendall(b"\x01\x02 no such command ??? \xff\xfe\n")
    elif mode == "oversized":
        s.sendall(b"a" * (1 << 20) + b"\n")
    elif mode == "empty":
        s.sendall(b"\n")
except (BrokenPipeError, ConnectionResetError, socket.timeout) as e:
    print("send: %s" % e, file=sys.stderr)
data = b""
try:
    while b"\n" not in data:
        d = s.recv(4096)
        if not d:
            break
        data += d
except Exception as e:
    print("recv: %s" % e, file=sys.stderr)
print(repr(data[:200]), file=sys.stderr)
print(data.split(b"\n")[0].decode(errors="replace"))
'
_answers() { ctl status >/dev/null 2>&1; }
for mode in garbage oversized empty; do
	first=$(rt "$PYTHON" -c "$_LF_SOCK" "$ECMPD_SOCK" "$mode")
	check_eq "a request ($mode) gets an error line" error "$first"
	check "  ... and ecmpd keeps answering" _answers
done

# a client that sends half a line and waits must not block anyone else
rt "$PYTHON" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"sta")
time.sleep(8)' "$ECMPD_SOCK" &
HALF=$!
sleep 0.2 # let it connect; nothing to poll for
t0=$(lf_t0)
ctl -t 3000 status >/dev/null 2>&1
rc=$?
ms=$(lf_ms_since "$t0")
check_eq "status answered while another client holds half a request ($ms ms)" 0 "$rc"
check_py "  ... promptly" "$ms < 1000"
kill "$HALF" 2>/dev/null
wait "$HALF" 2>/dev/null

check "ecmpd still running" lf_ecmpd_alive
check_eq "uplinks as at the start" "$UP0" "$(_uplinks)"
check_eq "long-lived connections all alive at the end" "$NLF" "$(lf_flows lf count all alive)"

lab_finish
