#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_kernel_refuses.sh - fault matrix 9 (issue 4): the kernel refuses
# one of ecmpd's writes because of an object made by hand. A process in
# the router's namespace (nft -i, kept open) takes over `table ip ecmpd`:
# in one transaction it deletes ecmpd's table and creates an identical one
# with `flags owner`, which only that process may change or delete. The
# state in force is the same, traffic keeps flowing. Then a reload with a
# config whose ruleset differs: the kernel refuses the replacement (EPERM).
# Expected: `ecmpctl reload` fails, the error is logged with the kernel's
# text, the previous state stays in force (status, routes, rules, traffic,
# live connections). The conflict removed (the holder gives the table
# back, identical, without the flag), the next reload succeeds and the new
# rule is in force. Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

CFG=$LAB_TMP/router.rsc
cp "$SRCDIR/examples/seed.rsc" "$CFG"
mx_start "$CFG"
status_sig() {
	ctl -j status | "$PYTHON" "$LAB_DIR_SELF/status.py" signature id,interface,gateway,state,table
}
# nft list output as one line (nft -i reads a command per line): each
# line trimmed, comments dropped, a "; " after each but an opening brace
flat_table() {
	rt nft list table ip ecmpd | awk '{ sub(/^[ \t]+/, ""); sub(/[ \t]+$/, "") }
		$0 == "" || /^#/ { next }
		{ printf "%s%s", $0, (/\{$/ ? " " : "; ") } END { print "" }'
}
routes_rules() { rt ip route show table all | grep -E 'table (1[0-9]{3}|2[0-9]{3})'; rt ip rule; }

sig0=$(status_sig)
t=$(flat_table)
owned=${t/table ip ecmpd \{ /table ip ecmpd \{ flags owner; }
mkfifo "$LAB_TMP/nft.fifo"
lab_bg "$NS_RT" "$LAB_TMP/holder.log" sh -c "exec nft -i < '$LAB_TMP/nft.fifo'"
exec 9>"$LAB_TMP/nft.fifo"
echo "delete table ip ecmpd; $owned" >&9
owner_flag() { rt nft list table ip ecmpd | grep -q 'flags owner'; }
check "conflict: table ip ecmpd now owned by another process" wait_for 10 owner_flag
check "conflict: sanity: nobody else may delete it" bash -c "! ip netns exec $NS_RT nft delete table ip ecmpd 2>/dev/null"
routes_rules >"$LAB_TMP/rr.before"
lf_batch "$MX_BATCH"
check_num "conflict: traffic still flows over both uplinks ($B_OK of $B_TOTAL; $B_UP1 wlan1, $B_UP2 wlan2)" \
	"$B_OK == $B_TOTAL > 0 and $B_UP1 > 0 and $B_UP2 > 0"

# a config whose ruleset differs: one more masquerade rule
printf '\n/ip firewall nat\nadd chain=srcnat out-interface=wlan1 action=masquerade comment="second"\n' >>"$CFG"
nlog0=$(wc -l <"$ECMPD_LOG")
out=$(ctl reload 2>&1)
rc=$?
echo "reload: rc $rc: $out"
check "refused: ecmpctl reload fails (rc $rc)" [ "$rc" -ne 0 ]
tail -n +"$nlog0" "$ECMPD_LOG" | grep -v debug | head -n 12
check "refused: ecmpd logs the kernel's text (Operation not permitted)" \
	bash -c "tail -n +$nlog0 '$ECMPD_LOG' | grep -v debug | grep -q 'Operation not permitted'"
check "refused: ecmpd still running and answering" ctl status
check_eq "refused: status unchanged" "$sig0" "$(status_sig)"
routes_rules >"$LAB_TMP/rr.after"
check "refused: ecmpd's routes and rules unchanged" cmp -s "$LAB_TMP/rr.before" "$LAB_TMP/rr.after"
check "refused: the previous table still in force" owner_flag
lf_batch "$MX_BATCH"
check_num "refused: traffic still flows over both uplinks ($B_OK of $B_TOTAL; $B_UP1 wlan1, $B_UP2 wlan2)" \
	"$B_OK == $B_TOTAL > 0 and $B_UP1 > 0 and $B_UP2 > 0"
mx_flows_check "refused"

# the conflict removed: the holder gives back an identical table, no flag
echo "delete table ip ecmpd; $t" >&9
exec 9>&-
check "conflict removed: no owner flag" wait_for 10 bash -c "! ip netns exec $NS_RT nft list table ip ecmpd | grep -q 'flags owner'"
out=$(ctl reload 2>&1)
rc=$?
check_eq "recovered: the next reload succeeds ($out)" 0 "$rc"
n=$(rt nft list table ip ecmpd | grep -c 'masquerade')
check "recovered: the new config's rule is in force ($n masquerade rules)" [ "$n" -ge 3 ]
mx_flows_check "recovered"
mx_final_check "recovered"
mx_finish
