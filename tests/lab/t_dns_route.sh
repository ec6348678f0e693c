#!/bin/bash
# SPDX-License-Identifier: MIT
# Lab test 3h: the page's "DNS issues" advice. ISP1's DNS server
# (100.64.53.53) is reachable only through ISP1. With the seed's config
# alone, connections to it are balanced and those sent by wlan2 fail (a
# control: the lab can tell). With the seed plus
#   /ip route add dst-address=100.64.53.53/32 gateway=10.111.0.1
# every connection to it, from every LAN host and source, TCP and UDP,
# succeeds and leaves by wlan1, pinned to wlan1's uplink, whatever the
# balance says; other traffic is still balanced.
# BASELINE=1: the same with the plain-Linux translation and a /32 route.
. "$(dirname "$0")/lib.sh"
lab_require_root
[ "${BASELINE:-0}" = 1 ] || lab_require_ecmpd
lab_up
lan_extra_addresses
CFG=$LAB_TMP/ecmpd.rsc

share_of() { # SUMMARY ADDR
	jq --arg a "$2" '.share[$a] // 0' "$1"
}

# control: the seed alone
echo "--- control: seed.rsc, no route for the DNS server"
if [ "${BASELINE:-0}" = 1 ]; then
	plain_linux_setup
else
	check "control: ecmpd starts with seed.rsc" start_ecmpd "$SRCDIR/examples/seed.rsc" || finish
fi
short_conns "$LAB_TMP/ctl.json" --dst "$DNS_ADDR" --port 53 --proto both --timeout 2
analyze_conns "$LAB_TMP/ctl.sum" "$LAB_TMP/ctl.json" 1=10.111.0.2 2=10.112.0.2
n=$(jget "$LAB_TMP/ctl.sum" total)
f=$(jget "$LAB_TMP/ctl.sum" failed)
echo "control: $f of $n connections to the DNS server failed"
check "control: without the route some DNS connections go by wlan2 and fail ($f of $n)" [ "$f" -gt 0 ]
if [ "${BASELINE:-0}" = 1 ]; then
	rt ip route add "$DNS_ADDR/32" via 10.111.0.1 dev wlan1
else
	check "control: ecmpd stops" stop_ecmpd
	ct_flush
	seed_config "$CFG" 10.111.0.1,10.112.0.1 "add dst-address=$DNS_ADDR/32 gateway=10.111.0.1"
	echo "--- config:"; cat "$CFG"; echo "---"
	check "ecmpd starts with the DNS route" start_ecmpd "$CFG" || finish
fi
ct_flush

t0=$(now_ms)
short_conns "$LAB_TMP/dns.json" --dst "$DNS_ADDR" --port 53 --proto both --per-pair 5 --timeout 15
log "DNS connections done in $(($(now_ms) - t0)) ms"
if [ "${BASELINE:-0}" = 1 ]; then
	id1=1
else
	id1=$(ecmpd_uplink_id 10.111.0.1)
fi
analyze_conns "$LAB_TMP/dns.sum" "$LAB_TMP/dns.json" "$id1=10.111.0.2"
s=$LAB_TMP/dns.sum
log "summary: $(cut -c1-500 "$s")"
n=$(jget "$s" total)
echo "DNS: $n connections (40 sources x 5, TCP and UDP), $(jget "$s" failed) failed, by source seen: $(jget "$s" by_seen)"
check "DNS: at least 400 connections made" [ "$n" -ge 400 ]
check_eq "DNS: every connection succeeds" 0 "$(jget "$s" failed)"
check_num "DNS: every connection left by wlan1 (10.111.0.2)" "$(share_of "$s" 10.111.0.2) == 100"
check_eq "DNS: conntrack entry for every connection" 0 "$(jget "$s" ct_missing)"
if [ "${BASELINE:-0}" != 1 ]; then
	check_eq "DNS: every connection pinned to wlan1's uplink ($id1)" 0 "$(jget "$s" pin_mismatch)"
fi
hosts=$("$PYTHON" "$LAB_DIR_SELF/analyze.py" sources "$LAB_TMP/dns.json")
check_eq "DNS: all 40 LAN sources (4 hosts) got through" 40 "$hosts"

# the rest is still balanced
short_conns "$LAB_TMP/bal.json" --proto tcp --timeout 15
analyze_conns "$LAB_TMP/bal.sum" "$LAB_TMP/bal.json" 1=10.111.0.2 2=10.112.0.2
s1=$(share_of "$LAB_TMP/bal.sum" 10.111.0.2)
echo "other traffic: wlan1 $s1 %, $(jget "$LAB_TMP/bal.sum" failed) failed"
check_eq "other traffic: every connection succeeds" 0 "$(jget "$LAB_TMP/bal.sum" failed)"
check_num "other traffic: still balanced (wlan1 $s1 %)" "30 <= $s1 <= 70"

check_eq "ISP1 dropped no foreign source" 0 "$(isp_drops 1)"
check_eq "ISP2 dropped no foreign source" 0 "$(isp_drops 2)"
finish
