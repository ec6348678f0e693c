#!/bin/bash
# SPDX-License-Identifier: MIT
# t_ping_failover.sh - check-gateway=ping failover with the seed's config.
#
# ISP1 is blacked out (it stops forwarding and answering on the customer
# side; the link stays up). ecmpd must take 10.111.0.1 out, new connections
# must all succeed through ISP2, the connections pinned to ISP2 (and the
# LAN's own) must not be touched, the ones pinned to ISP1 must be deleted
# from conntrack so their clients learn it at once (a reset, not a TCP
# timeout). ISP1 back: it rejoins after the up hysteresis and no live
# connection moves. Then CYCLES (default 4) shorter blackouts measure the
# blackout -> down time; the median is printed (goal: <= 1000 ms, judged
# by make bench).
#
# A client learns of the flush with the reset its next packet draws, so
# when it learns is its TCP's business: a client with data in flight
# sends at its next retransmission, whose timer doubled at each loss
# during the blackout (the longer the detection took - a busy machine -
# the later); a client whose message the server acknowledged before the
# blackout, waiting for the echo, sends nothing at all - the server's
# delayed ACK beats its echo when the server is slow - and would hang to
# its stall. So ISP1's clients keep TCP keepalive probes going (every
# 1 s of silence), the deadline for all of them is generous (30 s), and
# what tells a reset from a hang is each connection's reason of death: an
# error, not the stall (--stall 60 s, which only a hang reaches).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

CYCLES=${CYCLES:-4}
BATCH=${BATCH:-40} # (source, destination) pairs per LAN host per batch

lab_require_root
lab_require_ecmpd
lab_up
lan_extra_addresses

check "ecmpd starts with examples/seed.rsc" start_ecmpd "$SRCDIR/examples/seed.rsc" || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]
ID1=$(ecmpd_uplink_id "$GW1")
ID2=$(ecmpd_uplink_id "$GW2")
check "uplink ids known (wlan1: '$ID1', wlan2: '$ID2')" [ -n "$ID1" -a -n "$ID2" -a "$ID1" != "$ID2" ]
: "${ID1:=1}" "${ID2:=2}"

# A LAN-only connection (host 1 to the router itself): not pinned, must
# survive every failover untouched.
lab_bg "$NS_RT" "$LAB_TMP/server-rt.log" "$PYTHON" "$LAB_DIR_SELF/server.py" --port 8001 --bind 192.168.0.1
check "a server in the router listens" wait_for 20 grep -q listening "$LAB_TMP/server-rt.log"
longflow_start local 1 2 --src 192.168.0.11 --dst 192.168.0.1 --port 8001 --stall 60 --duration 600
check "LAN connections to the router up" [ "$(lf_flows local count all alive)" = 2 ]

# Long-lived connections through both uplinks. --stall 60: a connection
# only counts as dead on an error (reset), never on a mere pause.
longflow_start lf 0 40 --src "$(lan_sources 0 | tr ' ' ',')" --stall 60 --keepalive 1 --duration 600
N1=$(lf_flows lf count "$WAN1" alive)
N2=$(lf_flows lf count "$WAN2" alive)
log "long flows: $N1 via wlan1, $N2 via wlan2"
check_num "long-lived connections on both uplinks ($N1 via wlan1, $N2 via wlan2)" "$N1 > 0 and $N2 > 0"
S2="$(lf_flows lf sports "$WAN2") $(lf_flows local sports all)"
PINS_BEFORE=$(lf_pins_of "$S2")
check "ISP2's and the LAN's connections are in conntrack" [ "$(echo "$PINS_BEFORE" | wc -w)" -eq $((N2 + 2)) ]
check "ISP1's connections are pinned to uplink $ID1" [ "$(lf_ct_lan_pinned "$ID1")" -ge "$N1" ]

_no_lan_pins() { [ "$(lf_ct_lan_pinned "$1")" -eq 0 ]; }
_flows_dead() { [ "$(lf_flows "$1" count "$2" alive)" -eq 0 ]; }

# ---------------------------------------------------------------- blackout
log "blackout ISP1"
DOWN_MS=$(lf_timed "$GW1=down" 10 isp_blackout 1)
TD=$EPOCHREALTIME
echo "MEASURE: blackout -> 10.111.0.1 down: $DOWN_MS ms"
check "ISP1 blackout: 10.111.0.1 down ($DOWN_MS ms)" [ "$DOWN_MS" != timeout ]
check "10.112.0.1 stays up" [ "$(lf_state "$GW2")" = up ]
check "multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"

lf_batch "$BATCH"
check_num "first batch right after down: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "  ... all through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
for i in 1 2; do
	lf_batch "$BATCH"
	check_num "batch $((i + 1)) after down: every new connection succeeds via ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
done

check "LAN connections pinned to ISP1 deleted from conntrack" wait_for 10 _no_lan_pins "$ID1"
check "ISP1's clients learn it fast (all $N1 dead within 30 s)" wait_for 30 _flows_dead lf "$WAN1"
read -r n dead late reasons < <(lf_flows lf deaths "$WAN1" "$TD")
echo "MEASURE: ISP1's connections: $dead of $n dead, the last ${late} s after down was seen; reasons $reasons"
check_num "ISP1's connections died within 30 s of down (last: ${late} s)" "$late <= 30"
check "ISP1's connections died of an error, not a stall ($reasons)" [ "${reasons/stall/}" = "$reasons" ]
grep -E "gateway 10\.111\.0\.1 \(wlan1\): up -> down" "$ECMPD_LOG" | tail -n 1
check "ecmpd logs the transition and that it flushes" grep -qE "gateway 10\.111\.0\.1 \(wlan1\): up -> down.*; flushing its connections" "$ECMPD_LOG"
# the flush runs on a worker thread: its count is logged when it ends
check "ecmpd logs the flush's count" wait_for 10 grep -qE "gateway 10\.111\.0\.1 \(wlan1\): flushed [1-9][0-9]* connections in" "$ECMPD_LOG"

longflow_settle lf
longflow_settle local
check_eq "ISP2's connections all alive" "$N2" "$(lf_flows lf count "$WAN2" alive)"
check_eq "LAN connections to the router alive" 2 "$(lf_flows local count all alive)"
check "ISP2's and the LAN's conntrack entries untouched (same ids, pins; $((N2 + 2)) entries)" [ "$PINS_BEFORE" = "$(lf_pins_of "$S2")" ]

# ---------------------------------------------------------------- restore
log "restore ISP1"
UP_MS=$(lf_timed "$GW1=up" 20 isp_restore 1)
echo "MEASURE: restore -> 10.111.0.1 up: $UP_MS ms"
check "ISP1 back: 10.111.0.1 up again ($UP_MS ms)" [ "$UP_MS" != timeout ]
check_num "  ... only after the up hysteresis (5 replies, >= 300 ms)" "$UP_MS >= 300"
check "multipath route with both gateways again" wait_for 10 lf_multipath_has "$GW1" "$GW2"
lf_batch "$BATCH"
check_num "after ISP1's return every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "  ... and both uplinks take new connections ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_UP1 > 0 and $B_UP2 > 0"
longflow_settle lf
check_eq "ISP2's connections still alive" "$N2" "$(lf_flows lf count "$WAN2" alive)"
check "no live connection moved (same conntrack ids, pins)" [ "$PINS_BEFORE" = "$(lf_pins_of "$S2")" ]

# ---------------------------------------------------------------- cycles
downs=()
ups=()
missed=0
for i in $(seq 1 "$CYCLES"); do
	# ISP1 stays up longer than ecmpd's flap window (6 x 5 replies x
	# 100 ms = 3 s), so each cycle is an outage, not a flap; then the
	# blackout starts anywhere in a probe interval.
	sleep "3.$((RANDOM % 10))"
	d=$(lf_timed "$GW1=down" 10 isp_blackout 1)
	u=$(lf_timed "$GW1=up" 20 isp_restore 1)
	# a timed-out blackout is still in place
	isp_restore 1
	log "cycle $i: down after $d ms, up after $u ms"
	if [ "$d" = timeout ] || [ "$u" = timeout ]; then
		missed=$((missed + 1))
		continue
	fi
	downs+=("$d")
	ups+=("$u")
done
MED_DOWN=$(lf_median "${downs[@]}")
MED_UP=$(lf_median "${ups[@]}")
echo "MEASURE: $CYCLES blackouts, blackout -> down ms: ${downs[*]}"
echo "MEASURE: median blackout -> down: $MED_DOWN ms (max $(printf '%s\n' "${downs[@]}" | sort -n | tail -n 1) ms)"
echo "MEASURE: restore -> up ms: ${ups[*]}; median $MED_UP ms"
check_eq "every blackout detected, every restore noticed" 0 "$missed"
# The speed goal (median <= 1 s) is the bench's to judge (make bench), not
# a timed assertion here: this prints it, and asserts only that each
# blackout was detected (within the 10 s deadline) and each restore noticed.
check "a median was measured ($MED_DOWN ms)" [ "$MED_DOWN" != nan ]
check "multipath route with both gateways after the cycles" wait_for 10 lf_multipath_has "$GW1" "$GW2"
longflow_settle lf
check_eq "ISP2's connections alive through all cycles" "$N2" "$(lf_flows lf count "$WAN2" alive)"
check_eq "LAN connections to the router alive through all cycles" 2 "$(lf_flows local count all alive)"
check "ISP2's and the LAN's conntrack entries untouched through all cycles" [ "$PINS_BEFORE" = "$(lf_pins_of "$S2")" ]
check "ecmpd still running" lf_ecmpd_alive

finish
