#!/bin/bash
# SPDX-License-Identifier: MIT
# t_netwatch.sh - /tool netwatch (docs/config.md "/tool netwatch"): the
# classic RouterOS v7 failover.
#
# A netwatch watches a monitor host beyond ISP1 (reached by a host route on
# ISP1's gateway); its down-script disables the default route with comment
# ISP1 and its up-script enables it; the default via ISP2 has distance 2.
# ISP1's upstream is cut one hop BEHIND its gateway (the gateway still
# answers): the netwatch goes down, ISP1's default leaves the plan and
# traffic moves to ISP2. Mended: the netwatch comes back after its
# hold-down, the default returns to ISP1. A hook sees both events. Three
# netwatches (three monitors) name ISP1: one dead monitor of three moves
# nothing (the quorum is more than half). A reload keeps their states.
# The third netwatch is type=tcp-conn (the internet host's server on
# port 8000), connecting through ISP1's uplink like the pings.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

MON=100.64.100.1
MON2=100.64.100.2
MON3=100.64.100.3

# mon2_block / mon2_unblock: the internet host stops (resumes) answering MON2
mon2_block() {
	ip netns exec "$NS_INET" nft -f - <<-EOF2
	table inet mon2 {
		chain in { type filter hook input priority -300; policy accept; ip daddr $MON2 drop; }
	}
	EOF2
}
mon2_unblock() { ip netns exec "$NS_INET" nft delete table inet mon2 2>/dev/null || true; }

isp1_cut_upstream() {
	ip netns exec "${LAB}isp1" nft -f - <<-EOF2
	table inet upcut {
		chain f { type filter hook forward priority -300; policy accept; oifname "upstream" drop; iifname "upstream" drop; }
	}
	EOF2
}
isp1_mend_upstream() {
	ip netns exec "${LAB}isp1" nft delete table inet upcut 2>/dev/null || true
}

default_via() {
	local r
	r=$(rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0)
	case $r in "default via $1 "*) return 0 ;; esac
	return 1
}

netwatch_is() { # STATE [HOST]
	ctl status 2>/dev/null | grep -q "^netwatch ${2:-$MON} via wlan1: $1,"
}
all_netwatches_are() { # STATE
	netwatch_is "$1" "$MON" && netwatch_is "$1" "$MON2" && netwatch_is "$1" "$MON3"
}

lab_require_root
lab_require_ecmpd
lab_up
for m in "$MON" "$MON2" "$MON3"; do
	ip -n "$NS_INET" addr add "$m/32" dev lo || bail "monitor address $m on the internet host"
done

HOOKS=$LAB_TMP/hooks.d
HOOK_OUT=$LAB_TMP/hook.out
mkdir -p "$HOOKS"
cat >"$HOOKS/10-log" <<EOF
#!/bin/sh
[ "\$1" = netwatch ] && echo "\$ECMPD_HOST \$ECMPD_INTERFACE \$ECMPD_OLD_STATE->\$ECMPD_NEW_STATE" >>"$HOOK_OUT"
exit 0
EOF
chmod 755 "$HOOKS/10-log"

CONF=$LAB_TMP/netwatch.rsc
cat >"$CONF" <<EOF
/ip/address
add address=192.168.0.1/24 interface=Local
add address=10.111.0.2/24 interface=wlan1
add address=10.112.0.2/24 interface=wlan2
/ip/route
add comment=ISP1 dst-address=0.0.0.0/0 gateway=$GW1
add comment=ISP2 distance=2 dst-address=0.0.0.0/0 gateway=$GW2
add dst-address=$MON/32 gateway=$GW1 scope=10
add dst-address=$MON2/32 gateway=$GW1 scope=10
add dst-address=$MON3/32 gateway=$GW1 scope=10
/ip/firewall/nat
add chain=srcnat out-interface=wlan1 action=masquerade
add chain=srcnat out-interface=wlan2 action=masquerade
/tool/netwatch
add comment=ISP1 host=$MON interval=500ms timeout=300ms type=simple \\
    down-script="/ip/route/set [find comment=\"ISP1\"] disabled=yes" \\
    up-script="/ip/route/set [find comment=\"ISP1\"] disabled=no"
add host=$MON2 interval=500ms timeout=300ms \\
    down-script="/ip route disable [find comment=ISP1]"
add host=$MON3 interval=500ms timeout=300ms type=tcp-conn port=8000 \\
    down-script="/ip route disable [find comment=ISP1]"
EOF
check "ecmpd -n accepts the netwatch config" "$ECMPD" -n -f "$CONF"
check "ecmpd starts" start_ecmpd "$CONF" --hooks-dir "$HOOKS" || finish
check "the netwatch is up through ISP1's uplink" wait_for 10 netwatch_is up
check "the default leaves by ISP1" wait_for 10 default_via "$GW1"
check "ecmpd's netwatch ping of $MON leaves by wlan1" \
	wait_for 10 sh -c "ip netns exec '$NS_RT' conntrack -L -p icmp -d $MON 2>/dev/null | grep -q 'src=10\.111\.0\.2 '"

check "all three netwatches up" wait_for 10 all_netwatches_are up
check "ecmpd's tcp-conn netwatch connects to $MON3:8000 by wlan1" \
	wait_for 10 sh -c "ip netns exec '$NS_RT' conntrack -L -p tcp -d $MON3 --dport 8000 2>/dev/null | grep -q 'src=10\.111\.0\.2 '"

log "one monitor of three stops answering"
mon2_block
check "its netwatch goes down" wait_for 10 netwatch_is down "$MON2"
# logged once the plan that follows the change is in force
check "ecmpd logs it" wait_for 10 grep -q "netwatch $MON2 (through wlan1): up -> down" "$ECMPD_LOG"
check "the default stays on ISP1 (1 of 3 down is no quorum)" default_via "$GW1"
mon2_unblock
check "its netwatch comes back" wait_for 10 netwatch_is up "$MON2"

log "cut ISP1's upstream (its gateway still answers)"
T0=$(date +%s%N)
isp1_cut_upstream
check "the netwatches go down" wait_for 10 all_netwatches_are down
check "the default moves to ISP2" wait_for 10 default_via "$GW2"
echo "MEASURE: upstream cut behind ISP1 -> default via ISP2: $((($(date +%s%N) - T0) / 1000000)) ms"
check "the host route to $MON stays on ISP1" \
	sh -c "ip netns exec '$NS_RT' ip route show table $ECMPD_TABLE_MAIN $MON | grep -q 'via $GW1 '"
lf_batch 10
check_num "new connections all succeed through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
check "status says why (1 of 1 probes lost)" sh -c "ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' status | grep -q '1 of 1 probes lost'"
check "ecmpd logs the netwatch going down" grep -q "netwatch $MON (through wlan1): up -> down" "$ECMPD_LOG"
check "the hook saw it" wait_for 10 grep -q "$MON wlan1 up->down" "$HOOK_OUT"
check "a reload of the same config" ctl reload
check "keeps the netwatches down and the default on ISP2" sh -c "ip netns exec '$NS_RT' ip route show table $ECMPD_TABLE_MAIN 0.0.0.0/0 | grep -q '^default via $GW2 '"
check "  ... as status says" netwatch_is down

log "mend ISP1's upstream"
T0=$(date +%s%N)
isp1_mend_upstream
check "the netwatches come back after their hold-down" wait_for 10 all_netwatches_are up
check "the default returns to ISP1" wait_for 10 default_via "$GW1"
echo "MEASURE: upstream mended -> default via ISP1: $((($(date +%s%N) - T0) / 1000000)) ms"
check "ecmpd logs the return with its hold-down" grep -q "netwatch $MON (through wlan1): down -> up: within the thresholds for the hold-down" "$ECMPD_LOG"
check "the hook saw it" wait_for 10 grep -q "$MON wlan1 down->up" "$HOOK_OUT"
check "ecmpd still running" lf_ecmpd_alive

finish
