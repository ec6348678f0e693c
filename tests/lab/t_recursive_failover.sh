#!/bin/bash
# SPDX-License-Identifier: MIT
# t_recursive_failover.sh - recursive gateways (docs/config.md "Recursive
# gateways"): the classic failover of MikroTik's "Failover (WAN Backup)".
#
# The default route's gateway is a "monitor" address on the internet host
# (100.64.100.1, beyond ISP1), resolved through a host route on ISP1's
# first hop (scope=10, target-scope=11); the default via ISP2 has distance
# 2. A /27 of the internet host is routed by ISP2 directly, so some
# connections are pinned to ISP2 from the start.
#
# ISP1's upstream is cut one hop BEHIND its gateway: 10.111.0.1 still
# answers its pings (and stays up), but nothing passes it. ecmpd pings the
# monitor through ISP1's uplink, so the monitor goes down within the probe
# settings, the default moves to ISP2 and new connections all succeed
# there; the connections pinned to ISP2 are untouched, ISP1's are
# flushed. ISP1's upstream back: the monitor comes up, the default returns
# to ISP1, ISP2's connections still untouched.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

BATCH=${BATCH:-20} # (source, destination) pairs per LAN host per batch
MON=100.64.100.1

# isp_cut_upstream N / isp_mend_upstream N: ISP N stops (resumes)
# forwarding to and from its upstream; its own address still answers.
isp_cut_upstream() {
	ip netns exec "${LAB}isp$1" nft -f - <<-EOF2
	table inet upcut {
		chain f { type filter hook forward priority -300; policy accept; oifname "upstream" drop; iifname "upstream" drop; }
	}
	EOF2
}
isp_mend_upstream() {
	ip netns exec "${LAB}isp$1" nft delete table inet upcut 2>/dev/null || true
}

# default_via GW: ecmpd's main table's default route leaves by GW only
default_via() {
	local r
	r=$(rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0)
	case $r in "default via $1 "*) return 0 ;; esac
	return 1
}

lab_require_root
lab_require_ecmpd
lab_up
lan_extra_addresses
ip -n "$NS_INET" addr add "$MON/32" dev lo || bail "the monitor address on the internet host"

CONF=$LAB_TMP/recursive.rsc
cat >"$CONF" <<EOF
/ip address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip route
add dst-address=$MON gateway=$GW1 scope=10 check-gateway=ping
add dst-address=0.0.0.0/0 gateway=$MON check-gateway=ping distance=1 target-scope=11
add dst-address=0.0.0.0/0 gateway=$GW2 distance=2
add dst-address=198.51.100.32/27 gateway=$GW2
/ip firewall nat
add chain=srcnat out-interface=wlan1 action=masquerade
add chain=srcnat out-interface=wlan2 action=masquerade
EOF
check "ecmpd -n accepts the recursive config" "$ECMPD" -n -f "$CONF"
check "ecmpd starts" start_ecmpd "$CONF" || finish
t=$(lf_wait_state "$GW1=up,$MON=up" 20)
check "first hop and monitor up after start ($t ms)" [ "$t" != timeout ]
ID1=$(ecmpd_uplink_id "$GW1")
ID2=$(ecmpd_uplink_id "$GW2")
check "uplink ids known (wlan1: '$ID1', wlan2: '$ID2')" [ -n "$ID1" -a -n "$ID2" -a "$ID1" != "$ID2" ]
check_eq "the monitor is probed through ISP1's uplink (its id)" "$ID1" "$(ecmpd_uplink_id "$MON")"
: "${ID1:=1}" "${ID2:=2}"
check "the default leaves by ISP1's first hop" wait_for 10 default_via "$GW1"
_probe_by_wlan1() {
	rt conntrack -L -p icmp -d "$MON" 2>/dev/null | grep -q 'src=10\.111\.0\.2 '
}
check "ecmpd's probe of the monitor leaves by wlan1" wait_for 10 _probe_by_wlan1

# Long-lived connections: 198.51.100.1-31 by the default (ISP1),
# .32-.40 by the /27 (ISP2).
longflow_start lf 0 40 --src "$(lan_sources 0 | tr ' ' ',')" --stall 60 --keepalive 1 --duration 600
N1=$(lf_flows lf count "$WAN1" alive)
N2=$(lf_flows lf count "$WAN2" alive)
log "long flows: $N1 via wlan1, $N2 via wlan2"
check_num "long-lived connections on both uplinks ($N1 via wlan1, $N2 via wlan2)" "$N1 > 0 and $N2 > 0"
S2=$(lf_flows lf sports "$WAN2")
PINS_BEFORE=$(lf_pins_of "$S2")
check "ISP2's connections are in conntrack" [ "$(echo "$PINS_BEFORE" | wc -w)" -eq "$N2" ]
check "ISP1's connections are pinned to uplink $ID1" [ "$(lf_ct_lan_pinned "$ID1")" -ge "$N1" ]

_no_lan_pins() { [ "$(lf_ct_lan_pinned "$1")" -eq 0 ]; }
_host_route_on_isp1() {
	rt ip route show table "$ECMPD_TABLE_MAIN" "$MON" | grep -q "via $GW1 "
}

# ------------------------------------------------- cut behind ISP1's gateway
log "cut ISP1's upstream (its gateway still answers)"
DOWN_MS=$(lf_timed "$MON=down" 10 isp_cut_upstream 1)
echo "MEASURE: upstream cut behind ISP1 -> $MON down: $DOWN_MS ms"
check "monitor $MON down ($DOWN_MS ms)" [ "$DOWN_MS" != timeout ]
check_eq "ISP1's first hop $GW1 stays up (it still answers)" up "$(lf_state "$GW1")"
check "the default moves to ISP2 (distance 2)" wait_for 10 default_via "$GW2"
check "the host route to the monitor stays on ISP1" _host_route_on_isp1
lf_batch "$BATCH"
check_num "new connections all succeed ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "  ... all through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
check "LAN connections pinned to ISP1 deleted from conntrack" wait_for 30 _no_lan_pins "$ID1"
check "ecmpd logs the monitor's transition and that it flushes" \
	grep -qE "gateway ${MON//./\\.} \(wlan1\): up -> down.*; flushing its connections" "$ECMPD_LOG"
# the flush runs on the flusher's worker: its count is logged when it ends
check "ecmpd logs the flush's count" \
	wait_for 10 grep -qE "gateway ${MON//./\\.} \(wlan1\): flushed [0-9]+ connections in" "$ECMPD_LOG"
longflow_settle lf
check_eq "ISP2's connections all alive" "$N2" "$(lf_flows lf count "$WAN2" alive)"
check "ISP2's conntrack entries untouched (same ids, pins)" [ "$PINS_BEFORE" = "$(lf_pins_of "$S2")" ]

# ------------------------------------------------- ISP1's upstream back
log "mend ISP1's upstream"
UP_MS=$(lf_timed "$MON=up" 20 isp_mend_upstream 1)
echo "MEASURE: upstream mended -> $MON up: $UP_MS ms"
check "monitor up again ($UP_MS ms)" [ "$UP_MS" != timeout ]
check "the default returns to ISP1" wait_for 10 default_via "$GW1"
lf_batch "$BATCH"
check_num "new connections all succeed ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "  ... the default's by ISP1 again ($B_UP1 via wlan1, $B_UP2 via wlan2)" "$B_UP1 > 0"
longflow_settle lf
check_eq "ISP2's connections still alive" "$N2" "$(lf_flows lf count "$WAN2" alive)"
check "ISP2's conntrack entries still untouched" [ "$PINS_BEFORE" = "$(lf_pins_of "$S2")" ]
check "ecmpd still running" lf_ecmpd_alive

finish
