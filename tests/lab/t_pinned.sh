#!/bin/bash
# SPDX-License-Identifier: MIT
# Lab test 3c: live connections stay on their uplink. 40 long-lived TCP
# connections (traffic every 100 ms, echo expected within 10 s) must all
# survive: a reload 1:1 -> 1:5, a reload with the gateway order reversed,
# a gateway added; when a gateway is removed only the connections pinned
# to it may end; then ecmpd stopped (SIGTERM) and started again, and
# killed (SIGKILL) and started again. The ISPs never see a foreign source.
#
# The router's addresses are configured before ecmpd starts, as the OS
# does on a real router: ecmpd never removes an address it did not add.
# A stop must remove the addresses ecmpd did add (t_stop_clean), and the
# kernel drops every connection masqueraded to an address when the address
# goes, so a connection can only survive a SIGTERM + start when the OS, not
# ecmpd, owns the uplink addresses (docs/design.md).
#
# The traffic falls quiet across the SIGTERM + start: a stop removes the
# nft table and with it the NAT hooks, so a reply that reaches the router
# while no ecmpd runs is not translated back, is taken for the router's
# own and reset by its TCP stack. Whether one does was a race with the
# server's echo and the length of the gap (seconds on a busy machine);
# what the test asks is that the connections' pins and translations are
# there again after the start. So before the stop the flows pause, and
# the stop waits until no message and no acknowledgement is in flight.
#
# BASELINE=1: the first two changes done to the plain-Linux translation
# (a check of the lab: unpinned routing must lose connections where ecmpd
# loses none; docs/kernel-facts.md, fact 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"
lab_require_root
[ "${BASELINE:-0}" = 1 ] || lab_require_ecmpd
lab_up
[ "${BASELINE:-0}" = 1 ] || router_addresses
CFG=$LAB_TMP/ecmpd.rsc
GW2x5=10.112.0.1,10.112.0.1,10.112.0.1,10.112.0.1,10.112.0.1

# the second flow's destinations: 198.51.100.41-64
DST2=$(inet_addrs 64 | tr ',' '\n' | sed -n '41,64p' | paste -sd,)

flow_died() { longflow_get "$1" died; }

# settle: every live connection echoed twice after this moment (a broken
# one is declared dead after its 10 s stall)
settle() {
	longflow_settle lf1
	longflow_settle lf1
	if [ -n "${LF2:-}" ]; then longflow_settle lf2; longflow_settle lf2; fi
}

# dead_report NAME: "idx(dst,seen,reason) ..." of the dead connections
dead_report() { lf_flows "$1" dead; }

# drops_step DESC: the ISPs dropped nothing with a foreign source since
# the previous step (localises a leak to a step)
DROPS_PREV=0
drops_step() {
	local now
	now=$(($(isp_drops 1) + $(isp_drops 2)))
	check_eq "$1: ISPs dropped no foreign source during this step" 0 $((now - DROPS_PREV))
	DROPS_PREV=$now
}

# reload_to GATEWAYS DESC: rewrite the config, ecmpctl reload
reload_to() {
	seed_config "$CFG" "$1"
	local t0 out rc
	t0=$(now_ms)
	out=$(ctl reload 2>&1)
	rc=$?
	log "reload ($2): rc $rc in $(($(now_ms) - t0)) ms: $out"
	check_eq "reload ($2): ecmpctl reload succeeds" 0 "$rc"
}

seed_config "$CFG" 10.111.0.1,10.112.0.1
if [ "${BASELINE:-0}" = 1 ]; then
	plain_linux_setup 1 1
else
	check "ecmpd starts with the seed's config" start_ecmpd "$CFG" || finish
fi

PAUSE=$LAB_TMP/pause
longflow_start lf1 0 40 --duration 300 --stall 10 --pause-file "$PAUSE"
check_eq "40 long-lived connections established" 40 "$(longflow_get lf1 connected)"
s1=$(lf_flows lf1 per-uplink)
echo "long-lived connections per uplink (wlan1 wlan2): $s1"
check "the connections use both uplinks" [ "${s1% *}" -gt 0 -a "${s1#* }" -gt 0 ]
settle

if [ "${BASELINE:-0}" = 1 ]; then
	plain_linux_weights 1 5
	settle
	echo "baseline: weights 1:1 -> 1:5 killed $(flow_died lf1) of 40: $(dead_report lf1)"
	rt ip route replace default nexthop via 10.112.0.1 dev wlan2 weight 5 nexthop via 10.111.0.1 dev wlan1 weight 1
	settle
	echo "baseline: + order reversed: $(flow_died lf1) of 40 dead"
	echo "baseline: ISP drops $(isp_drops 1) $(isp_drops 2)"
	check "baseline: unpinned routing loses connections where ecmpd loses none ($(flow_died lf1) of 40)" \
		[ "$(flow_died lf1)" -gt 0 ]
	finish
fi

# 1. weights 1:1 -> 1:5
reload_to "10.111.0.1,$GW2x5" "weights 1:1 -> 1:5"
settle
check_eq "weights 1:1 -> 1:5: no connection died [$(dead_report lf1)]" 0 "$(flow_died lf1)"
drops_step "weights 1:1 -> 1:5"

# 2. gateway order reversed
reload_to "$GW2x5,10.111.0.1" "order reversed"
settle
check_eq "order reversed: no connection died [$(dead_report lf1)]" 0 "$(flow_died lf1)"
drops_step "order reversed"

# 3. a gateway added: ISP2 gets a second address, 10.112.0.3
nsx "$NS_ISP2" ip addr add 10.112.0.3/24 dev cust
reload_to "10.111.0.1,10.112.0.1,10.112.0.3" "gateway 10.112.0.3 added"
settle
check_eq "gateway added: no connection died [$(dead_report lf1)]" 0 "$(flow_died lf1)"
_has_uplink() { [ -n "$(ecmpd_uplink_id "$1")" ]; }
wait_for 10 _has_uplink 10.112.0.3
id3=$(ecmpd_uplink_id 10.112.0.3)
check "gateway added: ecmpd reports an uplink for 10.112.0.3 (id '$id3')" [ -n "$id3" ]
# new connections, some of which take the new gateway
longflow_start lf2 1 24 --duration 300 --stall 10 --pause-file "$PAUSE" --dst "$DST2"
LF2=1
check_eq "24 more connections established" 24 "$(longflow_get lf2 connected)"
id1=$(ecmpd_uplink_id 10.111.0.1)
id2=$(ecmpd_uplink_id 10.112.0.1)
analyze_conns "$LAB_TMP/lf2.sum" "$(longflow_file lf2)" "$id1=10.111.0.2" "$id2=10.112.0.2" "${id3:-99}=10.112.0.2"
analyze_conns "$LAB_TMP/lf1.sum" "$(longflow_file lf1)" "$id1=10.111.0.2" "$id2=10.112.0.2" "${id3:-99}=10.112.0.2"
on3=$(jget "$LAB_TMP/lf2.sum" "by_pin.${id3:-99}")
echo "new connections pinned to 10.112.0.3 (uplink $id3): ${on3:-none}"
check "gateway added: some new connections are pinned to it" [ -n "$on3" ]
on3_lf1=$(jget "$LAB_TMP/lf1.sum" "by_pin.${id3:-99}")
settle
drops_step "gateway added"

# 4. that gateway removed: only its connections may end
died1=$(flow_died lf1)
reload_to "10.111.0.1,10.112.0.1" "gateway 10.112.0.3 removed"
settle
bad=$(lf_flows lf2 died-except "$on3")
check_eq "gateway removed: lf2 connections not pinned to it all alive" "" "$bad"
check_eq "gateway removed: lf1 connections all alive [$(dead_report lf1)] (pinned to it: ${on3_lf1:-none})" "$died1" "$(flow_died lf1)"
echo "gateway removed: $(flow_died lf2) of $(echo "$on3" | tr -cd ',' | wc -c | awk '{print $1+1}') connections pinned to it ended: $(dead_report lf2)"
died2=$(flow_died lf2)
died1=$(flow_died lf1)
drops_step "gateway removed"

# 5. SIGTERM, start again, with the traffic quiet (see the top): every
# echo in, and the server's end of every live connection has nothing
# unacknowledged (the client's ACK of the last echo arrived)
server_acked() {
	nsx "$NS_INET" ss -Htn state established '( sport = :8000 )' |
		awk -v peers="$(lf_flows lf1 peers) $(lf_flows lf2 peers)" '
			BEGIN { n = split(peers, p, " "); for (i = 1; i <= n; i++) live[p[i]] = 1 }
			($4 in live) && $2 != 0 { exit 1 }'
}
quiet() { lf_flows lf1 quiet && lf_flows lf2 quiet && server_acked; }
touch "$PAUSE"
check "SIGTERM: the traffic is quiet first" wait_for 20 quiet
t0=$(now_ms)
check "SIGTERM: ecmpd exits" stop_ecmpd
check "SIGTERM: ecmpd starts again" start_ecmpd "$CFG"
log "stop + start took $(($(now_ms) - t0)) ms"
rm -f "$PAUSE"
settle
check_eq "SIGTERM + start: no connection died [$(dead_report lf1)]" "$died1" "$(flow_died lf1)"
check_eq "SIGTERM + start: no second-flow connection died [$(dead_report lf2)]" "$died2" "$(flow_died lf2)"
died1=$(flow_died lf1)
died2=$(flow_died lf2)
drops_step "SIGTERM + start"

# 6. SIGKILL, start again
t0=$(now_ms)
kill_ecmpd
check "SIGKILL: ecmpd starts again" start_ecmpd "$CFG"
log "kill + start took $(($(now_ms) - t0)) ms"
settle
check_eq "SIGKILL + start: no further connection died (dead before: $died1)" "$died1" "$(flow_died lf1)"
check_eq "SIGKILL + start: no further second-flow connection died (dead before: $died2)" "$died2" "$(flow_died lf2)"
drops_step "SIGKILL + start"

check_eq "ISP1 dropped no foreign source" 0 "$(isp_drops 1)"
check_eq "ISP2 dropped no foreign source" 0 "$(isp_drops 2)"
longflow_stop lf1
longflow_stop lf2
check_eq "all 40 first-flow connections lived to the end [$(dead_report lf1)]" 0 "$(flow_died lf1)"
finish
