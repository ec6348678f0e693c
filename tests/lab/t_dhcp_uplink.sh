#!/bin/bash
# SPDX-License-Identifier: MIT
# Lab test: an uplink whose address comes from DHCP (issue 10 item 6,
# issue 12). ISP1 serves wlan1's address with dnsmasq; the config has no
# /ip address for wlan1, as an export of such a router has none. ecmpd
# places gateway 10.111.0.1 on wlan1 only once the lease's network is in
# the kernel, and follows it when it changes.
#
# ecmpd starts dhclient itself (src/daemon/clients.c, with
# scripts/dhclient-hook, which sets the address and no default route) and
# follows what it installs in the kernel.
#
# Checks: before the lease the uplink is not in the plan (no route via
# its gateway); the lease arrives -> the uplink joins and connections
# leave by wlan1 with the leased address (ISP1 drops foreign sources); the
# lease goes (client stopped, address removed) -> the uplink leaves and
# everything leaves by wlan2; a new lease with another address -> it
# joins again with the new address; a renewal that changes the address
# and keeps the gateway -> the uplink stays, only the connections
# masqueraded to the old address are deleted (by the kernel), new ones
# use the new address. Supervision: dhclient killed -> ecmpd starts it
# again (1 s, then 2 s back-off); status shows it; a reload without its
# entry stops it, with it starts it; ecmpd's exit leaves no dhclient.
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
# and, as its export has, wlan1's DHCP client, which ecmpd runs
printf '/ip dhcp-client\nadd interface=wlan1 add-default-route=no\n' >>"$CFG"

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
# the dhclient ecmpd started: its pid, found by its lease file (in this
# namespace's directory of ecmpd's, clients.h)
NS_INO=$(ip netns exec "$NS_RT" stat -L -c %i /proc/self/ns/net)
LEASES=/run/ecmpd/netns-$NS_INO/dhclient-wlan1.leases
dhclient_pid() { pgrep -f -- "-lf $LEASES" | head -1; }
dhclient_running() { [ -n "$(dhclient_pid)" ]; }
dhclient_gone() { ! dhclient_running; }
# a dhclient left by an ecmpd that crashed: killed by its pid
dhclient_leftover() {
	local p
	for p in $(pgrep -f -- "-lf $LEASES"); do kill -KILL "$p"; done
	# this run's namespace directory (pid and lease files) goes with it
	rm -rf "/run/ecmpd/netns-$NS_INO"
}
at_exit dhclient_leftover
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

rm -f "$LEASES"
export ECMPD_DHCLIENT_HOOK=$HOOK
check "ecmpd starts before any lease" \
	start_ecmpd "$CFG" --dhclient "$(command -v dhclient)" || finish
check "ecmpd started dhclient on wlan1" wait_for 5 dhclient_running
check "the log says so" grep -q "DHCP client on wlan1: started" "$ECMPD_LOG"
check "before the lease: 10.111.0.1 is not in the plan" not_in_plan
check "before the lease: 10.112.0.1 is" [ -n "$(ecmpd_uplink_id 10.112.0.1)" ]
check "before the lease: no route via 10.111.0.1" \
	bash -c "! ip netns exec $NS_RT ip route show table all | grep -q 'via 10.111.0.1'"

# ISP1's server comes; dhclient is killed, so that ecmpd's restart (1 s
# back-off) asks at once rather than at dhclient's next retransmission
dnsmasq_start 10.111.0.100 10.111.0.150
t0=$(now_ms)
p0=$(dhclient_pid)
kill -KILL "$p0"
restarted() { local p; p=$(dhclient_pid); [ -n "$p" ] && [ "$p" != "$1" ]; }
check "dhclient killed (pid $p0): ecmpd starts it again" wait_for 5 restarted "$p0"
check "the log says it restarts it after 1 s" \
	grep -q "DHCP client on wlan1: killed by signal 9.*restarting in 1000 ms" "$ECMPD_LOG"
check "the lease arrives on wlan1" wait_for 20 has_lease
a1=$(wlan1_addr)
check "10.111.0.1 joins the plan once $a1 is on wlan1" wait_for 5 in_plan
log "lease $a1; uplink joined $(($(now_ms) - t0)) ms after dnsmasq started"
check_eq "status: 10.111.0.1's address source" dhcp "$(ecmpd_uplink_field 10.111.0.1 source)"
check_eq "status: 10.112.0.1's address source" static "$(ecmpd_uplink_field 10.112.0.1 source)"
check_eq "status: wlan1's uplink shows its client running" "running $(dhclient_pid)" \
	"$(ctl -j status | jq -r '.uplinks[] | select(.interface == "wlan1") | "\(.client.state) \(.client.pid)"')"
check "the log says it joined" grep -q "gateway 10.111.0.1 (wlan1) joined the plan" "$ECMPD_LOG"
read -r f s1 s2 <<<"$(conns leased "$a1")"
check_num "leased: every connection succeeds ($f failed)" "$f == 0"
check_num "leased: connections leave by wlan1 with $a1 ($s1 %)" "$s1 >= 20"
check_num "leased: and by wlan2 ($s2 %)" "$s2 >= 20"

# the server goes, and the address as the lease's expiry would take it
dnsmasq_stop
rt ip -4 addr flush dev wlan1
check "lease gone: 10.111.0.1 leaves the plan" wait_for 5 not_in_plan
check "lease gone: no route via 10.111.0.1" \
	bash -c "! ip netns exec $NS_RT ip route show table all | grep -q 'via 10.111.0.1'"

# another server, another range; dhclient killed again and its lease
# forgotten: ecmpd restarts it after 2 s (the back-off doubles), and it
# asks for a new lease
dnsmasq_start 10.111.0.200 10.111.0.210
p1=$(dhclient_pid)
kill -KILL "$p1"
rm -f "$LEASES"
client_is() { [ "$(ctl -j status | jq -r '.clients[0] | "\(.state) \(.failures)"')" = "$1" ]; }
check "status: the client is restarting (2 exits in a row)" wait_for 2 client_is "restarting 2"
check "dhclient killed again (pid $p1): ecmpd starts it again" wait_for 8 restarted "$p1"
check "the log says it restarts it after 2 s" \
	grep -q "DHCP client on wlan1: killed by signal 9.*restarting in 2000 ms" "$ECMPD_LOG"
check "a new lease arrives" wait_for 20 has_lease
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

# a reload without the entry stops its client; with it again, starts one
p2=$(dhclient_pid)
cp "$CFG" "$LAB_TMP/with-client.rsc"
sed -i '/^\/ip dhcp-client$/,$d' "$CFG"
check "reload without /ip dhcp-client" ctl reload
check "the reload stops dhclient (pid $p2)" wait_for 3 dhclient_gone
check "the log says why" grep -q "DHCP client on wlan1: gone from the config" "$ECMPD_LOG"
cp "$LAB_TMP/with-client.rsc" "$CFG"
check "reload with it again" ctl reload
check "the reload starts dhclient again" wait_for 3 dhclient_running

p2=$(dhclient_pid)
check "ecmpd stops" stop_ecmpd
check "ecmpd's exit leaves no dhclient (pid $p2) running" wait_for 3 dhclient_gone
check "the log says it stopped it" grep -q "DHCP client on wlan1: stopped" "$ECMPD_LOG"
check "the lease's address stays on wlan1 (a restart keeps the uplink)" has_lease
finish
