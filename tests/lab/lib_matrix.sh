# SPDX-License-Identifier: MIT
# tests/lab/lib_matrix.sh - the invariants every test of the fault matrix
# (issue 4, t_fault_*.sh) checks. Source it instead of lib.sh; it sources
# lib.sh and lib_faults.sh:
#
#   . "$(dirname "$0")/lib_matrix.sh"
#   mx_start                       # lab, OS addresses, BEFORE snapshot,
#                                  # ecmpd, live flows, status poller
#   ... the fault ...
#   mx_flows_check "after X" "$WAN1"   # flows not on WAN1 all alive
#   mx_final_check "after X"       # both up, multipath, new conns both ways
#   mx_finish                      # poller, drops, clean stop, summary
#
# The invariants (issue 4, parts 2 and 3):
#  1. no live connection pinned to a healthy uplink is lost: 2 x 16
#     long-lived TCP flows (hosts 0 and 1, traffic every 100 ms, dead on an
#     error or after a 10 s stall - long enough that a busy machine's
#     delays never pass for a loss; keepalive probes make a flow whose
#     conntrack entry was flushed draw its reset within a second, see
#     longflow.py); each flow's uplink is the address the server saw;
#  2. no packet with a private source reaches an ISP: the ISPs' BCP38
#     counters stay 0;
#  3. ecmpd answers `ecmpctl -j status` throughout: a poller in the
#     router's namespace asks every 200 ms (2 s timeout each); failures = 0;
#  4. the final state is right: both gateways up, table 1000's multipath
#     route with both nexthops, new short connections succeed over both;
#  5. clean stop: after SIGTERM the router's state (lab_dump_state) equals
#     the snapshot taken before ecmpd started.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib_faults.sh"

MX_BEFORE=""
MX_CONFIG=""
# How the before/after states are compared: lab_dump_state, or
# lf_state_dump when an interface is re-created (ifindex, MAC, nexthop ids).
MX_DUMP=${MX_DUMP:-lab_dump_state}
MX_FLOWS=16
MX_POLL_PID=""
MX_POLL_FILE=""
MX_POLL_TOTAL_FAIL=0
MX_POLL_TOTAL_OK=0
MX_BATCH=${MX_BATCH:-30}

# destinations of the two flow sets: 198.51.100.1-32 and .33-64
MX_DST_A=$(inet_addrs 32)
MX_DST_B=$(inet_addrs 64 | tr ',' '\n' | sed -n '33,64p' | paste -sd,)

# mx_start [CONFIG [ECMPD ARGS...]]: everything up to the fault. Ends the
# test (bail) when ecmpd does not start.
mx_start() {
	MX_CONFIG=${1:-$SRCDIR/examples/seed.rsc}
	[ $# -gt 0 ] && shift
	lab_require_root
	lab_require_ecmpd
	lab_up
	router_addresses
	MX_BEFORE=$LAB_TMP/state.before
	"$MX_DUMP" "$MX_BEFORE"
	start_ecmpd "$MX_CONFIG" "$@" || bail "ecmpd starts with $(basename "$MX_CONFIG")"
	local t
	t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
	check "start: both gateways up ($t ms)" [ "$t" != timeout ]
	check "start: table 1000 has the multipath route with both gateways" \
		wait_for 10 lf_multipath_has "$GW1" "$GW2"
	mx_flows_start
	mx_poll_start
}

# ---------------------------------------------------------------- flows

mx_flows_start() {
	longflow_start mxa 0 "$MX_FLOWS" --duration 900 --stall 10 --keepalive 1 --dst "$MX_DST_A"
	longflow_start mxb 1 "$MX_FLOWS" --duration 900 --stall 10 --keepalive 1 --dst "$MX_DST_B"
	local n=$(($(longflow_get mxa connected) + $(longflow_get mxb connected)))
	check_eq "start: $((2 * MX_FLOWS)) long-lived connections established" $((2 * MX_FLOWS)) "$n"
	MX_ON1=$(($(lf_flows mxa count "$WAN1") + $(lf_flows mxb count "$WAN1")))
	MX_ON2=$(($(lf_flows mxa count "$WAN2") + $(lf_flows mxb count "$WAN2")))
	echo "MEASURE: long-lived connections pinned to wlan1: $MX_ON1, to wlan2: $MX_ON2"
	check "start: long-lived connections on both uplinks ($MX_ON1 wlan1, $MX_ON2 wlan2)" \
		[ "$MX_ON1" -gt 0 -a "$MX_ON2" -gt 0 ]
}

# mx_flows_check DESC [FAILED-UPLINK-ADDR...]: no long-lived connection
# was lost except those pinned to the failed uplinks (10.111.0.2 = wlan1).
# Waits until every live connection echoed twice after now (a broken one
# is declared dead by its 10 s stall first).
mx_flows_check() {
	local desc=$1
	shift
	longflow_settle mxa
	longflow_settle mxb
	longflow_settle mxa
	longflow_settle mxb
	local n rest
	read -r n rest < <("$PYTHON" "$LAB_DIR_SELF/flows.py" lost "$*" "$(longflow_file mxa)" "$(longflow_file mxb)")
	local died=$(($(longflow_get mxa died) + $(longflow_get mxb died)))
	echo "MEASURE: $desc: long-lived connections ended: $died of $((2 * MX_FLOWS)) (on failed uplinks: ${*:-none})"
	check_eq "$desc: no connection pinned to a healthy uplink lost ${rest:+[$rest]}" 0 "$n"
}

mx_flows_stop() {
	longflow_stop mxa
	longflow_stop mxb
}

# ---------------------------------------------------------------- status poller

# mx_poll_start: asks ecmpd for its status every 200 ms until mx_poll_stop
mx_poll_start() {
	MX_POLL_FILE=$LAB_TMP/poll.$RANDOM.json
	lab_bg "$NS_RT" "$MX_POLL_FILE.log" "$PYTHON" "$LAB_DIR_SELF/status.py" poll \
		"$ECMPCTL" "$ECMPD_SOCK" "$MX_POLL_FILE" 0.2
	MX_POLL_PID=$LAB_LAST_PID
	wait_for 20 test -s "$MX_POLL_FILE"
}

# mx_poll_stop DESC: stops the poller; checks that every poll was answered
mx_poll_stop() {
	[ -n "$MX_POLL_PID" ] || return 0
	kill "$MX_POLL_PID" 2>/dev/null
	_wait_gone "$MX_POLL_PID" 5
	MX_POLL_PID=""
	local ok fail max errs
	ok=$(jget "$MX_POLL_FILE" ok)
	fail=$(jget "$MX_POLL_FILE" fail)
	max=$(jget "$MX_POLL_FILE" max_ms)
	errs=$(jget "$MX_POLL_FILE" errors)
	echo "MEASURE: $1: ecmpctl status polls: ${ok:-0} answered, ${fail:-?} failed, slowest ${max:-?} ms"
	check "$1: ecmpd answered every status poll (${ok:-0} polls, ${fail:-?} failed) ${errs#[]}" \
		[ "${fail:-1}" = 0 -a "${ok:-0}" -gt 0 ]
}

# ---------------------------------------------------------------- checks

# mx_drops_check DESC: the ISPs never saw a private (foreign) source
mx_drops_check() {
	check_eq "$1: ISP1 dropped no packet with a foreign source" 0 "$(isp_drops 1)"
	check_eq "$1: ISP2 dropped no packet with a foreign source" 0 "$(isp_drops 2)"
}

# mx_final_check DESC: both gateways up, the multipath route has both,
# new connections succeed over both uplinks
mx_final_check() {
	local desc=$1 t
	t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
	check "$desc: both gateways up ($t ms)" [ "$t" != timeout ]
	check "$desc: table 1000 has the multipath route with both gateways" \
		wait_for 10 lf_multipath_has "$GW1" "$GW2"
	rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0
	lf_batch "$MX_BATCH"
	check_num "$desc: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
	check_num "$desc:   ... over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" \
		"${B_UP1:-0} > 0 and ${B_UP2:-0} > 0"
}

# mx_transitions GW: how many "gateway GW (...): X -> Y" lines ecmpd logged
mx_transitions() { grep -cE "gateway $1 \([^)]*\): [a-z]+ -> " "$ECMPD_LOG"; }
# mx_downs GW: how many times ecmpd logged GW going down
mx_downs() { grep -cE "gateway $1 \([^)]*\): [a-z]+ -> down" "$ECMPD_LOG"; }

# mx_stop_clean: SIGTERM; the state equals the BEFORE snapshot
mx_stop_clean() {
	mx_flows_stop
	local rc=0
	stop_ecmpd || rc=$?
	check_eq "clean stop: ecmpd exits 0 on SIGTERM" 0 "$rc"
	local after=$LAB_TMP/state.after
	"$MX_DUMP" "$after"
	local desc="clean stop: addresses, routes, rules, nexthops, ruleset, sysctls as before ecmpd started"
	if diff -u "$MX_BEFORE" "$after" >"$LAB_TMP/state.diff"; then
		pass "$desc"
	else
		fail "$desc"
		echo "differences (- before, + after):"
		grep '^[-+][^-+]' "$LAB_TMP/state.diff" | cut -c1-300 | head -30
	fi
	if grep -qE "AddressSanitizer|runtime error:|LeakSanitizer" "$ECMPD_LOG"; then
		fail "ecmpd's log has no sanitizer report"
		grep -E -A5 "AddressSanitizer|runtime error:|LeakSanitizer" "$ECMPD_LOG" | head -20
	else
		pass "ecmpd's log has no sanitizer report"
	fi
}

# mx_finish: poller, drop counters, clean stop, the summary line
mx_finish() {
	mx_poll_stop "throughout"
	mx_drops_check "throughout"
	mx_stop_clean
	finish
}
