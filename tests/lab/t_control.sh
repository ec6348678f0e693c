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

check "ecmpd starts with a copy of examples/seed.rsc" start_ecmpd "$CFG" || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
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
check "ecmpctl -j status prints valid JSON" jq -e . "$LAB_TMP/status.json"
keys_ok=$("$PYTHON" "$LAB_DIR_SELF/status.py" contract <"$LAB_TMP/status.json" 2>&1)
check_eq "JSON status: two uplinks with interface, gateway, state, rtt_ms, loss_pct, connections" ok "$keys_ok"

# what must not change across a failed reload: uplinks (id, interface,
# gateway, check, state) and the kernel state
_uplinks() {
	ctl -j status | "$PYTHON" "$LAB_DIR_SELF/status.py" signature id,interface,gateway,check,state
}
balanced() { # LABEL
	lf_batch "$BATCH"
	check_num "$1: new connections balanced ($B_UP1 via wlan1, $B_UP2 via wlan2 of $B_TOTAL)" \
		"$B_OK == $B_TOTAL and $B_UP1 >= $B_TOTAL * 0.2 and $B_UP2 >= $B_TOTAL * 0.2"
}
balanced "before any reload"

# long-lived connections through both uplinks, across every reload
longflow_start lf 0 20 --src "$(lan_sources 0 | tr ' ' ',')" --stall 60 --duration 600
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
check "kernel state unchanged after the failed reload" lf_same_state "$STATE0" || lf_state_diff "$STATE0"
balanced "after the failed reload"

log "SIGHUP with the invalid config"
kill -HUP "$ECMPD_PID"
_hup_logged() { [ "$(grep -cE "$(basename "$CFG"):$BADLINE:[0-9]+" "$ECMPD_LOG")" -ge 1 ]; }
check "SIGHUP with an invalid config: diagnostic in the log" wait_for 10 _hup_logged
check "  ... ecmpd still running and answering" wait_for 10 ctl status
check_eq "  ... uplinks unchanged" "$UP0" "$(_uplinks)"
check "  ... kernel state unchanged" lf_same_state "$STATE0" || lf_state_diff "$STATE0"

# ---------------------------------------------------------------- valid
cp "$ORIG" "$CFG"
echo '/ip route add dst-address=203.0.113.0/24 gateway=10.112.0.1' >>"$CFG"
ctl reload >"$LAB_TMP/reload-good.out" 2>&1
rc=$?
cat "$LAB_TMP/reload-good.out"
check_eq "reload of a valid changed config exits 0" 0 "$rc"
_has_new_route() { rt ip route show table all | grep -q '^203\.0\.113\.0/24 via 10\.112\.0\.1'; }
check "  ... the new route is installed" wait_for 10 _has_new_route
rt ip route show table all | grep '^203\.0\.113'
check_eq "  ... uplinks unchanged" "$UP0" "$(_uplinks)"
longflow_settle lf
check_eq "  ... long-lived connections all alive" "$NLF" "$(lf_flows lf count all alive)"
check "  ... their conntrack entries untouched (ids, pins)" [ "$PINS0" = "$(lf_pins_of "$SP")" ]
balanced "after the valid reload"

cp "$ORIG" "$CFG"
ctl reload >/dev/null 2>&1
check_eq "reload back to the original exits 0" 0 "$?"
_no_new_route() { ! _has_new_route; }
check "  ... the extra route is gone" wait_for 10 _no_new_route
check "  ... kernel state as at the start" wait_for 10 lf_same_state "$STATE0" || lf_state_diff "$STATE0"

# ---------------------------------------------------------------- socket abuse
_answers() { ctl status >/dev/null 2>&1; }
for mode in garbage oversized empty; do
	first=$(rt "$PYTHON" "$LAB_DIR_SELF/ctlsock.py" send "$ECMPD_SOCK" "$mode")
	check_eq "a request ($mode) gets an error line" error "$first"
	check "  ... and ecmpd keeps answering" _answers
done

# a client that sends half a line and waits must not block anyone else:
# ecmpd serves a status request before it gives up on that client (its
# request timeout; the client itself would wait 30 s), which its log,
# written in order, tells whatever time a busy machine takes
rm -f "$LAB_TMP/half.ready"
rt "$PYTHON" "$LAB_DIR_SELF/ctlsock.py" half "$ECMPD_SOCK" "$LAB_TMP/half.ready" 30 &
HALF=$!
# ecmpd has accepted it and read the half line: its end of the connection
# holds no unread byte, and no connection waits to be accepted
_half_read() {
	test -e "$LAB_TMP/half.ready" && rt ss -xan | awk -v p="$ECMPD_SOCK" '
		$5 == p && $2 == "LISTEN" && $3 != 0 { bad = 1 }
		$5 == p && $2 == "ESTAB" { est++; if ($3 != 0) bad = 1 }
		END { exit bad || !est }'
}
check "ecmpd holds a client with half a request" wait_for 10 _half_read
nlog0=$(wc -l <"$ECMPD_LOG")
t0=$(lf_t0)
ctl -t 20000 status >/dev/null 2>&1
rc=$?
ms=$(lf_ms_since "$t0")
echo "MEASURE: status beside a half request: $ms ms"
check_eq "status answered while another client holds half a request ($ms ms)" 0 "$rc"
# what ecmpd did first after that point: served the status, or closed the
# idle half request
first=$(tail -n +$((nlog0 + 1)) "$ECMPD_LOG" | awk '
	/control: request "status"/ { print "served"; exit }
	/closing an idle client/ { print "closed"; exit }')
check_eq "  ... served before ecmpd gave up on that client" served "$first"
kill "$HALF" 2>/dev/null
wait "$HALF" 2>/dev/null

check "ecmpd still running" lf_ecmpd_alive
check_eq "uplinks as at the start" "$UP0" "$(_uplinks)"
check_eq "long-lived connections all alive at the end" "$NLF" "$(lf_flows lf count all alive)"

finish
