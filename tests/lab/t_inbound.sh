#!/bin/bash
# SPDX-License-Identifier: MIT
# t_inbound.sh - connections from the internet, through each uplink (3g).
#
# From the internet host, from many of its addresses: pings and TCP
# connections to the router's own address on wlan1 and on wlan2 (a server
# runs in the router), and a port-forward (dst-nat in-interface=wlanN
# tcp/8080 -> 192.168.0.10:8000) through each uplink to a LAN server.
# Every one must be answered, and the ISPs (which drop packets whose
# source is not their customer's subnet) must drop nothing: a reply sent
# out the wrong uplink would show as a failure and a drop.
# Twice: with the seed's config (its mangle rules for the router's own
# connections) plus the NAT lines, and without the mangle rules and
# routing-mark routes (ecmpd's own inbound pinning must suffice).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

N=${N:-16} # internet addresses per test; two connections from each

lab_require_root
lab_require_ecmpd
lab_up

NAT_LINES='
/ip firewall nat
add chain=dstnat in-interface=wlan1 protocol=tcp dst-port=8080 action=dst-nat to-addresses=192.168.0.10 to-ports=8000
add chain=dstnat in-interface=wlan2 protocol=tcp dst-port=8080 action=dst-nat to-addresses=192.168.0.10 to-ports=8000
'
CFG_SEED=$LAB_TMP/seed-portfwd.rsc
{
	cat "$SRCDIR/examples/seed.rsc"
	echo "$NAT_LINES"
} >"$CFG_SEED"
CFG_BARE=$LAB_TMP/bare-portfwd.rsc
cat >"$CFG_BARE" <<EOF
# The seed without its mangle rules and routing-mark routes.
/ip address
add address=192.168.0.1/24 network=192.168.0.0 broadcast=192.168.0.255 interface=Local
add address=10.111.0.2/24 network=10.111.0.0 broadcast=10.111.0.255 interface=wlan1
add address=10.112.0.2/24 network=10.112.0.0 broadcast=10.112.0.255 interface=wlan2

/ip route
add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1 check-gateway=ping

/ip firewall nat
add chain=srcnat out-interface=wlan1 action=masquerade
add chain=srcnat out-interface=wlan2 action=masquerade
$NAT_LINES
EOF

# a TCP server in the router (port 9000) and on LAN host 0 (port 8000)
lab_bg "$NS_RT" "$LAB_TMP/server-rt.log" "$PYTHON" "$LAB_DIR_SELF/server.py" --port 9000
lab_bg "${NS_HOSTS[0]}" "$LAB_TMP/server-h0.log" "$PYTHON" "$LAB_DIR_SELF/server.py" --port 8000
check "the server in rt listens" wait_for 20 grep -q listening "$LAB_TMP/server-rt.log"
check "the server in h0 listens" wait_for 20 grep -q listening "$LAB_TMP/server-h0.log"

run_inbound() { # LABEL CONFIG
	local label=$1 cfg=$2 addr total ok d1 d2
	log "--- $label"
	check "$label: ecmpd starts" start_ecmpd "$cfg" || return
	local t
	t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
	check "$label: both gateways up ($t ms)" [ "$t" != timeout ]
	d1=$(isp_drops 1)
	d2=$(isp_drops 2)
	for addr in "$WAN1" "$WAN2"; do
		ok=$(lf_inet_pings "$addr" "$N")
		check_eq "$label: pings to $addr from $N addresses all answered" "$N" "$ok"
		read -r total ok < <(lf_inet_conns "$addr" 9000 "$N")
		check_num "$label: TCP to the router at $addr:9000, all $total answered" "$ok == $total > 0"
		read -r total ok < <(lf_inet_conns "$addr" 8080 "$N")
		check_num "$label: port-forward $addr:8080 -> 192.168.0.10:8000, all $total answered" "$ok == $total > 0"
	done
	check_eq "$label: ISP1 dropped no packet with a wrong source" "$d1" "$(isp_drops 1)"
	check_eq "$label: ISP2 dropped no packet with a wrong source" "$d2" "$(isp_drops 2)"
	echo "conntrack pins of inbound connections ($label):"
	rt conntrack -L 2>/dev/null | grep -E 'src=198\.51\.100\.' | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(dport|mark)=/) printf "%s ", $i; print "" }' | sort | uniq -c | sort -rn | head -n 8
	check "$label: ecmpd stops cleanly" stop_ecmpd
}

run_inbound "seed + port-forward" "$CFG_SEED"
ct_flush
run_inbound "no mangle rules + port-forward" "$CFG_BARE"
check_eq "ISP1's drop counter is 0" 0 "$(isp_drops 1)"
check_eq "ISP2's drop counter is 0" 0 "$(isp_drops 2)"

finish
