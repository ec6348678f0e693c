#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_all_dead.sh - fault matrix 7 (issue 4): both ISPs go dark, then
# both come back. Both gateways down, table 1000 holds an unreachable
# default and a LAN client's new connection fails at once (within 3 s,
# "unreachable") rather than hanging; then service returns by itself.
# Every uplink failed, so every long-lived connection may end; ecmpd must
# keep answering and the ISPs never see a private source.
# Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

mx_start
PID0=$ECMPD_PID
blackout_both() { isp_blackout 1 && isp_blackout 2; }
restore_both() { isp_restore 1 && isp_restore 2; }
unreachable_default() {
	rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0 | grep -q '^unreachable default'
}
t=$(lf_timed "$GW1=down,$GW2=down" 10 blackout_both)
echo "MEASURE: both blacked out -> both down: $t ms"
check "all dead: both gateways down ($t ms)" [ "$t" != timeout ]
check "all dead: table 1000 has an unreachable default" wait_for 10 unreachable_default
# one attempt per host: the kernel rate-limits ICMP errors per client
for i in 2 3; do
	read -r err ms < <(lf_connect_err "$i" "198.51.100.$((i + 1))" 8000 5)
	echo "MEASURE: connect from host $i with every uplink dead: $err after $ms ms"
	check "all dead: a new connection from host $i fails with unreachable ($err)" \
		[ "$err" = ENETUNREACH -o "$err" = EHOSTUNREACH ]
	check_num "all dead:   ... promptly, not after the 5 s a hang takes ($ms ms <= 3000)" "$ms <= 3000"
done
mx_flows_check "all dead" "$WAN1" "$WAN2"

T0=$(lf_t0)
t=$(lf_timed "$GW1=up,$GW2=up" 20 restore_both)
echo "MEASURE: both restored -> both up: $t ms"
check "all back: both gateways up by themselves ($t ms)" [ "$t" != timeout ]
check "all back: new connections succeed within 40 s" wait_for 40 lf_batch_ok 10
echo "MEASURE: both restored -> a batch of new connections all succeeded: $(lf_ms_since "$T0") ms (upper bound)"
check "all back: no restart, the same ecmpd process" [ "$ECMPD_PID" = "$PID0" ] 
mx_final_check "all back"
mx_finish
