#!/bin/bash
# SPDX-License-Identifier: MIT
# t_second_instance.sh - fault matrix 14 and 15 (issue 11, item 1): a
# second ecmpd never takes the router from the running one.
#
# 14. While ecmpd runs under traffic, a second ecmpd is started in the
#     same namespace: with the same control socket, with another socket,
#     and by hand (`ecmpd -f FILE -v`, the default socket). Each exits by
#     itself with "another ecmpd (pid N) runs in this network namespace";
#     the router's rules, routes, nft table, addresses and sysctls
#     (lab_dump_state) are exactly those of the running one, which had
#     nothing to repair (its log shows no kernel write: it would put back
#     a wipe within a second, but the connections would be gone), its live
#     connections and their pins stay, and it still answers.
# 15. The first ecmpd is killed (SIGKILL) and a second one starts whose
#     metrics port is taken: it exits, and the state the first one left
#     stays in place and working (the dump is unchanged, the live
#     connections echo, their pins are there, new connections succeed).
#     15b: the same when the start's first apply is refused (the nft table
#     held by another process, `flags owner`). A normal start then adopts
#     it, and a clean stop removes everything.
# Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

# A second instance gets this long to exit by itself; then SIGINT (the
# Ctrl-C of someone who ran it by hand), which before the fix made it
# remove the running router's state.
SECOND_TIMEOUT=${SECOND_TIMEOUT:-20}

mx_start
id1=$(ecmpd_uplink_id "$GW1")
id2=$(ecmpd_uplink_id "$GW2")
RUNNING=$LAB_TMP/state.running
lab_dump_state "$RUNNING"
pins1=$(lf_ct_lan_pinned "$id1")
pins2=$(lf_ct_lan_pinned "$id2")
echo "MEASURE: connections of the LAN pinned to uplink $id1: $pins1, to uplink $id2: $pins2"

# unchanged DESC: the router's state is still the running one's
unchanged() {
	local now=$LAB_TMP/state.now
	lab_dump_state "$now"
	if diff -u "$RUNNING" "$now" >"$LAB_TMP/state.now.diff"; then
		pass "$1: rules, routes, nft table, addresses, sysctls unchanged"
	else
		fail "$1: rules, routes, nft table, addresses, sysctls unchanged"
		grep '^[-+][^-+]' "$LAB_TMP/state.now.diff" | cut -c1-200 | head -20
	fi
}

# pins_kept DESC: the LAN's connections are still pinned as before
pins_kept() {
	local p1 p2
	p1=$(lf_ct_lan_pinned "$id1")
	p2=$(lf_ct_lan_pinned "$id2")
	check_num "$1: the LAN's pins are there ($p1 on $id1, $p2 on $id2; before $pins1, $pins2)" \
		"$p1 >= $pins1 > 0 and $p2 >= $pins2 > 0"
}

# second DESC ARGS...: runs a second ecmpd in the router's namespace;
# sets SECOND_RC (124 or 130: it had to be stopped) and SECOND_OUT
second() {
	local desc=$1
	shift
	SECOND_OUT=$LAB_TMP/second.$RANDOM.log
	log "second instance ($desc): ecmpd $*"
	SECOND_RC=0
	NLOG=$(wc -l <"$ECMPD_LOG")
	rt timeout -s INT -k 10 "$SECOND_TIMEOUT" "$ECMPD" "$@" >"$SECOND_OUT" 2>&1 ||
		SECOND_RC=$?
	sed 's/^/    | /' "$SECOND_OUT" | head -8
}

for variant in same other hand; do
	case $variant in
	same) second "same socket" -f "$MX_CONFIG" -s "$ECMPD_SOCK" -v ;;
	other) second "another socket" -f "$MX_CONFIG" -s "$LAB_TMP/other.sock" -v ;;
	hand) second "by hand" -f "$MX_CONFIG" -v ;;
	esac
	check_num "$variant: the second ecmpd exits by itself with an error (status $SECOND_RC)" \
		"$SECOND_RC == 1"
	check "$variant: it says another ecmpd (pid $ECMPD_PID) runs in this network namespace" \
		grep -q "another ecmpd (pid $ECMPD_PID) runs in this network namespace" "$SECOND_OUT"
	check "$variant: it touched nothing (no plan applied, nothing removed)" \
		bash -c "! grep -qE 'adopt|removed|running .*uplinks' '$SECOND_OUT'"
	unchanged "$variant"
	# The first ecmpd repairs a wipe within a second (its monitor sees the
	# routes go): that its log shows no write is what proves none happened.
	check "$variant: the first ecmpd had nothing to repair (no kernel write logged)" \
		bash -c "! tail -n +$((NLOG + 1)) '$ECMPD_LOG' | grep -E 'sync: [1-9][0-9]* writes|sysctl .* -> |re-reading'"
	pins_kept "$variant"
	check "$variant: the first ecmpd still answers" ctl status
	check "$variant: the first ecmpd's socket is still there" test -S "$ECMPD_SOCK"
done
mx_flows_check "after three second instances"

# ---------------------------------------------------------------- 15
mx_poll_stop "before SIGKILL"
kill_ecmpd
PORT=9199
lab_bg "$NS_RT" "$LAB_TMP/port.log" "$PYTHON" -c "
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', $PORT)); s.listen(1)
print('listening', flush=True)
time.sleep(3600)"
check "the metrics port $PORT is taken" wait_for 10 grep -q listening "$LAB_TMP/port.log"
second "after SIGKILL, metrics port taken" -f "$MX_CONFIG" -s "$ECMPD_SOCK" -v \
	--metrics-listen "127.0.0.1:$PORT"
check_num "failed start: the second ecmpd exits by itself with an error (status $SECOND_RC)" \
	"$SECOND_RC == 1"
check "failed start: it says why (the metrics listener)" grep -q "metrics listener on 127.0.0.1:$PORT" "$SECOND_OUT"
unchanged "failed start"
pins_kept "failed start"
mx_flows_check "failed start after SIGKILL"
lf_batch "$MX_BATCH"
check_num "failed start: new connections still succeed ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "failed start:   ... over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" \
	"${B_UP1:-0} > 0 and ${B_UP2:-0} > 0"

# 15b. The first apply itself fails after adoption: another process took
# over table ip ecmpd with `flags owner` (as t_fault_kernel_refuses.sh
# does), so the start's forced nft replace is refused (EPERM). The start
# fails; what it adopted stays: routes, rules, addresses, sysctls, pins.
flat_table() {
	rt nft list table ip ecmpd | awk '{ sub(/^[ \t]+/, ""); sub(/[ \t]+$/, "") }
		$0 == "" || /^#/ { next }
		{ printf "%s%s", $0, (/\{$/ ? " " : "; ") } END { print "" }'
}
no_nft() { grep -v '^nft' "$1"; }
table=$(flat_table)
mkfifo "$LAB_TMP/nft.fifo"
lab_bg "$NS_RT" "$LAB_TMP/holder.log" sh -c "exec nft -i < '$LAB_TMP/nft.fifo'"
exec 9>"$LAB_TMP/nft.fifo"
echo "delete table ip ecmpd; ${table/table ip ecmpd \{ /table ip ecmpd \{ flags owner; }" >&9
owner_flag() { rt nft list table ip ecmpd | grep -q 'flags owner'; }
check "apply refused: table ip ecmpd now owned by another process" wait_for 10 owner_flag
second "after SIGKILL, nft table held" -f "$MX_CONFIG" -s "$ECMPD_SOCK" -v
check_num "apply refused: the second ecmpd exits by itself with an error (status $SECOND_RC)" \
	"$SECOND_RC == 1"
check "apply refused: it says the adopted state stays in force" \
	grep -q "the state of the previous run stays in force" "$SECOND_OUT"
lab_dump_state "$LAB_TMP/state.refused"
if diff -u <(no_nft "$RUNNING") <(no_nft "$LAB_TMP/state.refused") >"$LAB_TMP/refused.diff"; then
	pass "apply refused: rules, routes, addresses, sysctls unchanged"
else
	fail "apply refused: rules, routes, addresses, sysctls unchanged"
	grep '^[-+][^-+]' "$LAB_TMP/refused.diff" | cut -c1-200 | head -20
fi
pins_kept "apply refused"
mx_flows_check "apply refused after SIGKILL"
lf_batch "$MX_BATCH"
check_num "apply refused: new connections still succeed over both uplinks ($B_OK of $B_TOTAL; $B_UP1 wlan1, $B_UP2 wlan2)" \
	"$B_OK == $B_TOTAL > 0 and ${B_UP1:-0} > 0 and ${B_UP2:-0} > 0"
# The holder gives the table back, as it was, and goes.
echo "delete table ip ecmpd; $table" >&9
exec 9>&-
no_owner() { ! owner_flag; }
check "the table is given back" wait_for 10 no_owner

# A normal start adopts what is there; the clean stop then removes it all.
check "restart: ecmpd starts again" start_ecmpd "$MX_CONFIG" || finish
mx_poll_start
check_eq "restart: the same uplink ids" "$id1 $id2" "$(ecmpd_uplink_id "$GW1") $(ecmpd_uplink_id "$GW2")"
mx_flows_check "restart after the failed start"
mx_final_check "restart after the failed start"
mx_finish
