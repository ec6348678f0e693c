#!/bin/bash
# SPDX-License-Identifier: MIT
# Lab test: an uplink whose address comes from DHCP (issue 10 item 6,
# issue 12). ISP1 serves wlan1's address with dnsmasq; the config has no
# /ip address for wlan1, as an export of such a router has none. ecmpd
# places gateway 10.111.0.1 on wlan1 only once the lease's network is in
# the kernel, and follows it when it changes.
#
# Here the test runs dhclient itself (with scripts/dhclient-hook,
# which sets the address and no default route): ecmpd only follows what
# the client installs. ecmpd does not start DHCP clients yet.
#
# Checks: before the lease the uplink is not in the plan (no route via
# its gateway); the lease arrives -> the uplink joins and connections
# leave by wlan1 with the leased address (ISP1 drops foreign sources); the
# lease goes (client stopped, address removed) -> the uplink leaves and
# everything leaves by wlan2; a new lease with another address -> it
# joins again with the new address; a renewal that changes the address
# and keeps the gateway -> the uplink stays, only the connections
# masqueraded to the old address are deleted (by the kernel), new ones
# use the new address.
. "$(dirname "$0")/lib.sh"
lab_require_root
lab_require_ecmpd
need dnsmasq dhclient
lab_up
CFG=$LAB_TMP/ecmpd.rsc
HOOK=$SRCDIR/scripts/dhclient-hook

# the seed without wlan1's address
seed_config "$CFG" 10.111.0.1,10.112.0.1
sed -i '/interface=wlan1$/d' "$CFG"

# DHCP to ISP1's server comes from 0.0.0.0: its input accepts it (the
# forward chain still drops every foreign source)
ip netns exec "$NS_ISP1" nft insert rule inet isp isp_in udp dport 67 accept ||
	bail "ISP1 accepts DHCP"
# what ISP1 drops, by source, destination, protocol and port (shown when
# it drops anything)
ip netns exec "$NS_ISP1" nft add set inet isp seen '{ type ipv4_addr . ipv4_addr . inet_proto . inet_service; flags dynamic; }'
ip netns exec "$NS_ISP1" nft insert rule inet isp isp_fwd iifname cust ip saddr != 10.111.0.0/24 add @seen { ip saddr . ip daddr . meta l4proto . th dport }
ip netns exec "$NS_ISP1" nft insert rule inet isp isp_in iifname cust ip saddr != 10.111.0.0/24 add @seen { ip saddr . ip daddr . meta l4proto . th dport }

DNSMASQ_PID=
DHCLIENT_PID=
# dnsmasq_start FIRST LAST: ISP1 serves FIRST..LAST on cust, 2 min leases
dnsmasq_start() {
	rm -f "$LAB_TMP/dnsmasq.leases"
	ip netns exec "$NS_ISP1" dnsmasq --no-daemon --port=0 --no-ping \
		--interface=cust --bind-interfaces --dhcp-authoritative \
		--dhcp-range="$1,$2,255.255.255.0,2m" \
		--dhcp-leasefile="$LAB_TMP/dnsmasq.leases" \
		--pid-file="$LAB_TMP/dnsmasq.pid" >>"$LAB_TMP/dnsmasq.log" 2>&1 &
	DNSMASQ_PID=$!
	LAB_PIDS+=("$DNSMASQ_PID")
}
dnsmasq_stop() {
	[ -n "$DNSMASQ_PID" ] && kill "$DNSMASQ_PID" 2>/dev/null
	wait "$DNSMASQ_PID" 2>/dev/null
	DNSMASQ_PID=
}
dhclient_start() {
	rm -f "$LAB_TMP/dhclient.leases"
	ip netns exec "$NS_RT" dhclient -d -v -sf "$HOOK" \
		-pf "$LAB_TMP/dhclient.pid" -lf "$LAB_TMP/dhclient.leases" \
		wlan1 >>"$LAB_TMP/dhclient.log" 2>&1 &
	DHCLIENT_PID=$!
	LAB_PIDS+=("$DHCLIENT_PID")
}
# dhclient_stop: stops the client without a release, and removes the
# address as the lease's expiry would
dhclient_stop() {
	[ -n "$DHCLIENT_PID" ] && kill "$DHCLIENT_PID" 2>/dev/null
	wait "$DHCLIENT_PID" 2>/dev/null
	DHCLIENT_PID=
	rt ip -4 addr flush dev wlan1
}
at_exit dhclient_stop
at_exit dnsmasq_stop

has_lease() { [ -n "$(wlan1_addr)" ]; }
wlan1_addr() { rt ip -4 -o addr show dev wlan1 | awk '{print $4}' | cut -d/ -f1 | head -1; }
in_plan() { [ -n "$(ecmpd_uplink_id 10.111.0.1)" ]; }
not_in_plan() { ! in_plan; }
share_of() { jq --arg a "$2" '.share[$a] // 0' "$1"; }

# conns NAME: a batch of TCP connections; prints "failed share1 share2"
# for the addresses of wlan1 ($1) and wlan2
conns() {
	log "connections: $1"
	local ups=("$(ecmpd_uplink_id 10.112.0.1)=10.112.0.2") id1
	id1=$(ecmpd_uplink_id 10.111.0.1)
	[ -n "$id1" ] && ups+=("$id1=$2")
	short_conns "$LAB_TMP/$1.json" --proto tcp --timeout 5 --limit 10 >/dev/null 2>&1
	analyze_conns "$LAB_TMP/$1.sum" "$LAB_TMP/$1.json" "${ups[@]}"
	echo "$(jget "$LAB_TMP/$1.sum" failed) $(share_of "$LAB_TMP/$1.sum" "$2") $(share_of "$LAB_TMP/$1.sum" 10.112.0.2)"
}

check "ecmpd starts before any lease" start_ecmpd "$CFG" || finish
check "before the lease: 10.111.0.1 is not in the plan" not_in_plan
check "before the lease: 10.112.0.1 is" [ -n "$(ecmpd_uplink_id 10.112.0.1)" ]
check "before the lease: no route via 10.111.0.1" \
	bash -c "! ip netns exec $NS_RT ip route show table all | grep -q 'via 10.111.0.1'"

dnsmasq_start 10.111.0.100 10.111.0.150
dhclient_start
t0=$(now_ms)
check "the lease arrives on wlan1" wait_for 15 has_lease
a1=$(wlan1_addr)
check "10.111.0.1 joins the plan once $a1 is on wlan1" wait_for 5 in_plan
log "lease $a1; uplink joined $(($(now_ms) - t0)) ms after dhclient started"
check_eq "status: 10.111.0.1's address source" kernel "$(ecmpd_uplink_field 10.111.0.1 source)"
check_eq "status: 10.112.0.1's address source" static "$(ecmpd_uplink_field 10.112.0.1 source)"
check "the log says it joined" grep -q "gateway 10.111.0.1 (wlan1) joined the plan" "$ECMPD_LOG"
read -r f s1 s2 <<<"$(conns leased "$a1")"
check_num "leased: every connection succeeds ($f failed)" "$f == 0"
check_num "leased: connections leave by wlan1 with $a1 ($s1 %)" "$s1 >= 20"
check_num "leased: and by wlan2 ($s2 %)" "$s2 >= 20"

dnsmasq_stop
dhclient_stop
check "lease gone: 10.111.0.1 leaves the plan" wait_for 5 not_in_plan
check "lease gone: no route via 10.111.0.1" \
	bash -c "! ip netns exec $NS_RT ip route show table all | grep -q 'via 10.111.0.1'"

dnsmasq_start 10.111.0.200 10.111.0.210
dhclient_start
check "a new lease arrives" wait_for 15 has_lease
a2=$(wlan1_addr)
check "the new lease has another address ($a1 -> $a2)" [ "$a1" != "$a2" ]
check "10.111.0.1 joins again" wait_for 5 in_plan
read -r f s1 s2 <<<"$(conns new "$a2")"
check_num "new lease: every connection succeeds ($f failed)" "$f == 0"
check_num "new lease: connections leave by wlan1 with $a2 ($s1 %)" "$s1 >= 20"

[ "$(isp_drops 1)" = 0 ] || ip netns exec "$NS_ISP1" nft list set inet isp seen >&2
# A renewal with another address and the same gateway, through the hook
# (add the new, delete the old): the uplink stays (same id); the
# kernel's masquerade clean-up deletes exactly the entries whose replies
# went to the old address; wlan2's are kept.
ct_reply() { rt conntrack -L -q "$1" 2>/dev/null | grep -c '^'; }
id_before=$(ecmpd_uplink_id 10.111.0.1)
old_n=$(ct_reply "$a2")
wlan2_n=$(ct_reply 10.112.0.2)
check_num "renewal: entries masqueraded to $a2 before ($old_n)" "$old_n > 0"
check_num "renewal: entries masqueraded to 10.112.0.2 before ($wlan2_n)" "$wlan2_n > 0"
rt env reason=RENEW interface=wlan1 \
	old_ip_address="$a2" old_subnet_mask=255.255.255.0 \
	new_ip_address=10.111.0.220 new_subnet_mask=255.255.255.0 sh "$HOOK"
old_gone() { [ "$(ct_reply "$a2")" = 0 ]; }
check "renewal: the entries masqueraded to $a2 are gone" wait_for 5 old_gone
check_eq "renewal: wlan2's entries are kept" "$wlan2_n" "$(ct_reply 10.112.0.2)"
check_eq "renewal: 10.111.0.1 keeps its uplink id" "$id_before" "$(ecmpd_uplink_id 10.111.0.1)"
read -r f s1 s2 <<<"$(conns renewed 10.111.0.220)"
check_num "renewal: every connection succeeds ($f failed)" "$f == 0"
check_num "renewal: connections leave by wlan1 with 10.111.0.220 ($s1 %)" "$s1 >= 20"

check_eq "ISP1 dropped no foreign source" 0 "$(isp_drops 1)"
check_eq "ISP2 dropped no foreign source" 0 "$(isp_drops 2)"
finish
