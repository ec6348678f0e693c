#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_bad_reload.sh - fault matrix 8 (issue 4): the config file is
# replaced by an invalid one and reloaded (ecmpctl reload, then SIGHUP).
# The running config stays in force: status unchanged, the kernel state
# unchanged, traffic still balanced over both uplinks, no connection lost;
# the error is reported: `ecmpctl reload` exits 1 and names file:line:col.
# The good config back: the reload succeeds. Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

CFG=$LAB_TMP/router.rsc
status_sig() {
	ctl -j status | "$PYTHON" "$LAB_DIR_SELF/status.py" signature id,interface,gateway,check,state,table,mark
}

cp "$SRCDIR/examples/seed.rsc" "$CFG"
mx_start "$CFG"
sig0=$(status_sig)
lab_dump_state "$LAB_TMP/state.running"
failed0=$(ecmpd_status_field reloads_failed)

# line 7: a misspelt attribute; line 8: a gateway that is no address
sed -e 's|^add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1 check-gateway=ping|add dst-address=0.0.0.0/0 gatway=10.111.0.1,10.112.0.1 check-gateway=ping\nadd dst-address=0.0.0.0/0 gateway=10.111.0.300 distance=2|' \
	"$SRCDIR/examples/seed.rsc" >"$CFG"
grep -n gatway "$CFG"
out=$(ctl reload 2>&1)
rc=$?
echo "$out" | head -n 12
check_eq "bad reload: ecmpctl reload exits 1" 1 "$rc"
check "bad reload: the error names file:line:col ($(basename "$CFG"):7:N)" \
	grep -qE "$(basename "$CFG"):7:[0-9]+" <<<"$out"
check_eq "bad reload: status unchanged" "$sig0" "$(status_sig)"
failed1=$(ecmpd_status_field reloads_failed)
check_eq "bad reload: counted in reloads_failed" $((failed0 + 1)) "$failed1"
lab_dump_state "$LAB_TMP/state.bad"
check "bad reload: the kernel state unchanged" cmp -s "$LAB_TMP/state.running" "$LAB_TMP/state.bad"
lf_batch "$MX_BATCH"
check_num "bad reload: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "bad reload:   ... still over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_UP1 > 0 and $B_UP2 > 0"

kill -HUP "$ECMPD_PID"
# logged PATTERN: the log's last lines (read afresh at every poll) match
logged() { grep -v 'debug' "$ECMPD_LOG" | tail -n 40 | grep -qE "$1"; }
check "SIGHUP with the bad config: the error is logged with file:line:col" \
	wait_for 10 logged "$(basename "$CFG"):7:[0-9]+"
check "SIGHUP with the bad config: ecmpd still answers" wait_for 10 ctl status
check_eq "SIGHUP with the bad config: status unchanged" "$sig0" "$(status_sig)"
mx_flows_check "bad reload"

cp "$SRCDIR/examples/seed.rsc" "$CFG"
out=$(ctl reload 2>&1)
check_eq "the good config back: ecmpctl reload exits 0 ($out)" 0 "$?"
check_eq "the good config back: status unchanged" "$sig0" "$(status_sig)"
mx_flows_check "good reload"
mx_final_check "good reload"
mx_finish
