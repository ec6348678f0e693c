#!/bin/bash
# SPDX-License-Identifier: MIT
# Lab test 3a + 3b: new connections are balanced over the uplinks as the
# seed says (1:1 for examples/seed.rsc, 1:5 for examples/seed-weighted.rsc,
# per source/destination address pair), and every connection leaves with
# the address of the uplink it took (masquerade) and is pinned to it in
# conntrack; the ISPs never see a foreign source.
#
# BASELINE=1 runs the same traffic through the plain-Linux translation
# (plain_linux_setup) instead of ecmpd and skips the pin checks: a check
# of the lab itself.
. "$(dirname "$0")/lib.sh"
lab_require_root
[ "${BASELINE:-0}" = 1 ] || lab_require_ecmpd
lab_up
lan_extra_addresses   # 40 LAN sources (192.168.0.10-49) x 64 destinations

# run_round NAME CONFIG EXPECTED_SHARE_WLAN1 TOLERANCE W1 W2
run_round() {
	local name=$1 config=$2 expect=$3 tol=$4
	echo "--- $name: $(basename "$config")"
	ct_flush
	local t0
	t0=$(now_ms)
	if [ "${BASELINE:-0}" = 1 ]; then
		plain_linux_setup "$5" "$6"
	else
		check "$name: ecmpd starts with $(basename "$config")" start_ecmpd "$config" || finish
	fi
	short_conns "$LAB_TMP/$name.json" --proto both --timeout 15
	log "$name: connections done in $(($(now_ms) - t0)) ms"
	local s=$LAB_TMP/$name.sum
	if [ "${BASELINE:-0}" = 1 ]; then
		analyze_conns "$s" "$LAB_TMP/$name.json" 1=10.111.0.2 2=10.112.0.2
	else
		analyze_conns "$s" "$LAB_TMP/$name.json"
	fi
	log "$name: summary $(cut -c1-600 "$s")"
	local total ok failed pairs share1
	total=$(jget "$s" total)
	failed=$(jget "$s" failed)
	pairs=$(jget "$s" pairs)
	share1=$(jq '.share["10.111.0.2"] // 0' "$s")
	share2=$(jq '.share["10.112.0.2"] // 0' "$s")
	echo "$name: $total connections (TCP+UDP) over $pairs distinct pairs: wlan1 $share1 %, wlan2 $share2 %, $failed failed"
	check_eq "$name: every connection succeeds" 0 "$failed"
	check_num "$name: at least 600 distinct source/destination pairs ($pairs)" "$pairs >= 600"
	check_num "$name: wlan1 used ($share1 %)" "$share1 > 0"
	check_num "$name: wlan2 used ($share2 %)" "$share2 > 0"
	check_num "$name: wlan1 share $share1 % is $expect % +- $tol" "abs($share1 - $expect) <= $tol"
	check_eq "$name: every connection arrives from 10.111.0.2 or 10.112.0.2" 0 "$(jget "$s" unknown_seen)"
	check_eq "$name: conntrack entry found for every connection" 0 "$(jget "$s" ct_missing)"
	check_eq "$name: NAT address in conntrack = address the server saw" 0 "$(jget "$s" nat_mismatch)"
	if [ "${BASELINE:-0}" != 1 ]; then
		check_eq "$name: conntrack pin = uplink the connection left by" 0 "$(jget "$s" pin_mismatch)"
	fi
	check_eq "$name: ISP1 dropped no foreign source" 0 "$(isp_drops 1)"
	check_eq "$name: ISP2 dropped no foreign source" 0 "$(isp_drops 2)"
	if [ "${BASELINE:-0}" = 1 ]; then
		rt ip route del default
		rt nft delete table ip plain
		rt ip addr flush dev Local; rt ip addr flush dev wlan1; rt ip addr flush dev wlan2
	else
		check "$name: ecmpd stops on SIGTERM" stop_ecmpd
	fi
}

run_round seed "$SRCDIR/examples/seed.rsc" 50 10 1 1
run_round weighted "$SRCDIR/examples/seed-weighted.rsc" 16.67 5 1 5
finish
