#!/bin/bash
# SPDX-License-Identifier: MIT
# t_all_dead.sh - every gateway dead, then one back (seed.rsc).
#
# Both ISPs blacked out: both gateways down, ecmpd's table holds an
# unreachable default, and a LAN client's new connection fails at once
# ("Network is unreachable" or "No route to host" from the router's ICMP)
# instead of hanging in SYN_SENT. One ISP back: service returns by itself,
# no restart; then the other.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

lab_require_root
lab_require_ecmpd
lab_up
lan_extra_addresses

check "ecmpd starts with examples/seed.rsc" start_ecmpd "$SRCDIR/examples/seed.rsc" || finish
PID0=$ECMPD_PID
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]
lf_batch 20
check_num "before: new connections succeed ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"

_unreachable_default() {
	rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0 | grep -q '^unreachable default'
}

log "blackout ISP1 and ISP2"
blackout_both() { isp_blackout 1 && isp_blackout 2; }
t=$(lf_timed "$GW1=down,$GW2=down" 10 blackout_both)
echo "MEASURE: both blacked out -> both down: $t ms"
check "both gateways down ($t ms)" [ "$t" != timeout ]
check "ecmpd's table has an unreachable default" wait_for 10 _unreachable_default
rt ip route show table "$ECMPD_TABLE_MAIN"

# Each attempt from another LAN host: the kernel rate-limits the router's
# "unreachable" errors per client address (ip_error() and icmp_send()
# share one token bucket per peer: about two at once, then one per 2 s),
# so a third connect from the same address would time out whatever ecmpd
# does.
for i in 0 1 2; do
	read -r err ms < <(lf_connect_err "$i" "198.51.100.$((i + 1))" 8000 5)
	echo "MEASURE: connect from host $i with both down: $err after $ms ms"
	check "connect from host $i fails with unreachable, not a hang ($err, $ms ms)" \
		[ "$err" = ENETUNREACH -o "$err" = EHOSTUNREACH ]
	check_num "  ... at once, not after the 5 s a hang takes ($ms ms <= 3000)" "$ms <= 3000"
done
host 3 ping -c 1 -W 2 198.51.100.9 >"$LAB_TMP/ping.out" 2>&1
cat "$LAB_TMP/ping.out"
check "ping reports the network unreachable" grep -qiE "unreachable" "$LAB_TMP/ping.out"

log "restore ISP2"
T0=$(lf_t0)
t=$(lf_timed "$GW2=up" 20 isp_restore 2)
echo "MEASURE: ISP2 restored -> 10.112.0.1 up: $t ms"
check "10.112.0.1 up again by itself ($t ms)" [ "$t" != timeout ]
check "new connections succeed again within 40 s of ISP2's return" wait_for 40 lf_batch_ok 10
echo "MEASURE: ISP2 restored -> a batch of new connections all succeeded: $(lf_ms_since "$T0") ms (upper bound)"
lf_batch 20
check_num "every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "  ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
check_eq "10.111.0.1 still down" down "$(lf_state "$GW1")"
check "no restart: the same ecmpd process" [ "$ECMPD_PID" = "$PID0" ]
check "ecmpd still running" lf_ecmpd_alive

log "restore ISP1"
isp_restore 1
t=$(lf_wait_state "$GW1=up" 20)
check "10.111.0.1 up again ($t ms)" [ "$t" != timeout ]
check "multipath route with both gateways" wait_for 10 lf_multipath_has "$GW1" "$GW2"
lf_batch 40
check_num "every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "  ... over both uplinks ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_UP1 > 0 and $B_UP2 > 0"

finish
