#!/bin/bash
# SPDX-License-Identifier: MIT
# t_ha_pair.sh - two ecmpd routers as a pair (docs/ha.md): keepalived and
# conntrackd from examples/ha in each router namespace, ecmpd --ha on
# examples/ha/ha.rsc in both.
#
#   h0 192.168.0.10, default via 192.168.0.1 (virtual)
#    |
#   sw (bridge)  ---------------------------------+
#    | Local 192.168.0.2                          | Local 192.168.0.3
#   r1 ------------- sync 10.255.0.1/.2 -------- r2
#    | wlan1 10.111.0.2  wlan2 10.112.0.2         | wlan1 .3, wlan2 .3
#   isp1: bridge "cust", 10.111.0.1, virtual 10.111.0.10 on the master
#   isp2: bridge "cust", 10.112.0.1, virtual 10.112.0.10 on the master
#    | upstream                                   | upstream
#   inet: 198.51.100.1-8, the lab's TCP echo server
#
# The ISPs forward from their customers only what comes from the virtual
# address (counter "spoofed" counts the rest; multicast - VRRP, IGMP - is
# the segment's own business). Checks: r1 becomes master,
# the config hashes match; long-lived connections through r1, replicated
# by conntrackd; r1's links all cut: r2 becomes master, every connection
# lives on, on the uplink it had (r2's pins), no packet dropped at an ISP
# for a wrong source; r1 fails `ecmpctl check`, goes to fault and deletes
# no connection; a peer hash that differs is reported (status, metric,
# log).
. "$(dirname "$0")/lib.sh"

lab_require_root
lab_require_ecmpd
need keepalived conntrackd

HA=$SRCDIR/examples/ha
NS_R=("${LAB}r1" "${LAB}r2")
NS_H=${LAB}h0
FLOWS=16

r() { # N CMD...: run CMD in router N (1, 2)
	local n=$1
	shift
	ip netns exec "${NS_R[$((n - 1))]}" "$@"
}
ctlr() { # N ARGS...: ecmpctl of router N
	local n=$1
	shift
	r "$n" "$ECMPCTL" -s "$T_TMP/r$n/ecmpd.sock" "$@"
}
role_of() { ctlr "$1" -j status | jq -r .role; }
role_is() { [ "$(role_of "$1")" = "$2" ]; }

# The topology, one `ip -batch` per namespace (a busy machine spends a
# second on a dozen separate ip commands).
ha_up() {
	at_exit lab_teardown
	local ns n i
	for ns in "$NS_SW" "$NS_H" "${NS_R[@]}" "$NS_ISP1" "$NS_ISP2" "$NS_INET"; do
		ip netns add "$ns" || bail "lab: cannot create namespace $ns"
		LAB_NAMESPACES+=("$ns")
	done
	# the routers' ends come first: the switches' batches move them in
	ip -n "${NS_R[0]}" -batch - <<-EOF || bail "lab: router 1"
	link set lo up
	link add sync type veth peer name sync netns ${NS_R[1]}
	addr add 10.255.0.1/30 dev sync
	link set sync up
	EOF
	{
		echo "link set lo up"
		echo "link add lanbr type bridge"
		echo "link set lanbr up"
		echo "link add porth type veth peer name eth0 netns $NS_H"
		echo "link set porth master lanbr"
		echo "link set porth up"
		for n in 1 2; do
			echo "link add portr$n type veth peer name Local netns ${NS_R[$((n - 1))]}"
			echo "link set portr$n master lanbr"
			echo "link set portr$n up"
		done
	} | ip -n "$NS_SW" -batch - || bail "lab: the LAN switch"
	for n in 1 2; do
		{
			echo "link set lo up"
			echo "link add cust type bridge"
			echo "link set cust up"
			echo "addr add 10.11$n.0.1/24 dev cust"
			echo "link add upstream type veth peer name isp$n netns $NS_INET"
			echo "addr add 100.64.$n.1/30 dev upstream"
			echo "link set upstream up"
			echo "route add default via 100.64.$n.2"
			for i in 1 2; do
				echo "link add r$i type veth peer name wlan$n netns ${NS_R[$((i - 1))]}"
				echo "link set r$i master cust"
				echo "link set r$i up"
			done
		} | ip -n "${LAB}isp$n" -batch - || bail "lab: ISP $n"
		ip netns exec "${LAB}isp$n" sysctl -qw net.ipv4.ip_forward=1
		ip netns exec "${LAB}isp$n" nft -f - <<-EOF
		table inet isp {
			counter spoofed { packets 0 bytes 0 }
			set spoofers { type ipv4_addr . ipv4_addr . inet_proto; size 256; }
			chain isp_fwd {
				type filter hook forward priority 0; policy accept;
				iifname "cust" ip daddr != 224.0.0.0/4 ip saddr != 10.11$n.0.10 add @spoofers { ip saddr . ip daddr . ip protocol } counter name "spoofed" drop
			}
		}
		EOF
	done
	for n in 1 2; do
		ip -n "${NS_R[$((n - 1))]}" -batch - <<-EOF || bail "lab: router $n"
		link set lo up
		addr add 192.168.0.$((n + 1))/24 dev Local
		addr add 10.111.0.$((n + 1))/24 dev wlan1
		addr add 10.112.0.$((n + 1))/24 dev wlan2
		link set Local up
		link set wlan1 up
		link set wlan2 up
		EOF
	done
	ip -n "${NS_R[1]}" -batch - <<-EOF || bail "lab: router 2's sync link"
	addr add 10.255.0.2/30 dev sync
	link set sync up
	EOF
	ip -n "$NS_H" -batch - <<-EOF || bail "lab: the LAN host"
	link set lo up
	addr add 192.168.0.10/24 dev eth0
	link set eth0 up
	route add default via 192.168.0.1
	EOF
	{
		echo "link set lo up"
		for n in 1 2; do
			echo "addr add 100.64.$n.2/30 dev isp$n"
			echo "link set isp$n up"
			echo "route add 10.11$n.0.0/24 via 100.64.$n.1"
		done
		for i in $(seq 1 8); do
			echo "addr add 198.51.100.$i/32 dev lo"
		done
	} | ip -n "$NS_INET" -batch - || bail "lab: the internet host"
	lab_bg "$NS_INET" "$T_TMP/server-inet.log" "$PYTHON" "$LAB_DIR_SELF/server.py" --port 8000
	wait_for 20 grep -q listening "$T_TMP/server-inet.log" || bail "lab: the server starts"
}

# The example files, with this run's paths, addresses and priorities.
configure() { # N
	local n=$1 d=$T_TMP/r$1 own peer prio state
	mkdir -p "$d"
	if [ "$n" = 1 ]; then own=10.255.0.1 peer=10.255.0.2 prio=150; else own=10.255.0.2 peer=10.255.0.1 prio=100; fi
	sed -e "s#IPv4_address 10.255.0.1\$#IPv4_address $own#" \
		-e "s#IPv4_Destination_Address 10.255.0.2#IPv4_Destination_Address $peer#" \
		-e "s#/var/log/conntrackd.log#$d/conntrackd.log#" \
		-e "s#/run/conntrackd.lock#$d/conntrackd.lock#" \
		-e "s#/run/conntrackd.ctl#$d/conntrackd.ctl#" \
		"$HA/conntrackd.conf" >"$d/conntrackd.conf"
	cat >"$d/notify.sh" <<-EOF
	#!/bin/sh
	ECMPCTL=$ECMPCTL ECMPD_SOCKET=$d/ecmpd.sock ECMPD_NOTIFY_LOG=$d/notify.log exec $HA/notify.sh "\$@"
	EOF
	chmod 755 "$d/notify.sh"
	# Router 1 claims master at once instead of after three silent
	# adverts (the example leaves both to the election).
	[ "$n" = 1 ] && state=MASTER || state=BACKUP
	sed -e "s#router_id ecmpd-a#router_id ecmpd-$n#" \
		-e "s#state BACKUP#state $state#" \
		-e "s#priority 150#priority $prio#" \
		-e "s#/usr/sbin/ecmpctl -t 2000 check#$ECMPCTL -s $d/ecmpd.sock -t 2000 check#" \
		-e "s#/etc/ecmpd/notify.sh#$d/notify.sh#" \
		"$HA/keepalived.conf" >"$d/keepalived.conf"
}

# conntrackd and ecmpd of router N, in the background.
start_daemons() { # N
	local n=$1 d=$T_TMP/r$1 ct
	ct="conntrackd -C $d/conntrackd.conf"
	lab_bg "${NS_R[$((n - 1))]}" "$d/conntrackd.out" conntrackd -C "$d/conntrackd.conf"
	lab_bg "${NS_R[$((n - 1))]}" "$d/ecmpd.log" "$PYTHON" "$LAB_DIR_SELF/exec_dfl.py" \
		"$ECMPD" --ha -f "$HA/ha.rsc" -s "$d/ecmpd.sock" -v \
		--on-master "$ct -c; $ct -f; $ct -R; $ct -B" --on-backup "$ct -n"
}

# Once both answer: keepalived of router N.
start_keepalived() { # N
	local n=$1 d=$T_TMP/r$1
	wait_for 20 ctlr "$n" status >/dev/null || return 1
	wait_for 10 r "$n" conntrackd -C "$d/conntrackd.conf" -s >/dev/null || return 1
	lab_bg "${NS_R[$((n - 1))]}" "$d/keepalived.log" keepalived -n -l -D -P \
		-f "$d/keepalived.conf" -p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid"
}

isp_spoofed() { ip netns exec "${LAB}isp$1" nft -j list counter inet isp spoofed | jq '.nftables[] | select(.counter) | .counter.packets'; }
# pins N: "id:count ..." of router N's conntrack entries to 198.51.100.0/24
pins() {
	r "$1" conntrack -L -p tcp --dport 8000 --state ESTABLISHED 2>/dev/null |
		sed -n 's/.*mark=\([0-9]*\).*/\1/p' | awk '{ c[int($1 / 256) % 256]++ } END { for (k in c) printf "%s:%d ", k, c[k] }' |
		tr ' ' '\n' | sort | tr '\n' ' '
}
external_count() { r 2 conntrackd -C "$T_TMP/r2/conntrackd.conf" -e ct 2>/dev/null | grep -c 'dport=8000'; }
check_fails() { ! ctlr "$1" check >/dev/null 2>&1; }
not_in_file() { ! grep -q "$@"; }
replicated() { [ "$(external_count)" -ge "$FLOWS" ]; }
mismatch_reported() { ctlr 2 peer-hash "$1" | grep -q MISMATCH; }
mismatch_metric() { ctlr 2 metrics | grep -qx 'ecmpd_config_mismatch 1'; }
alive() { "$PYTHON" "$LAB_DIR_SELF/flows.py" get "$T_TMP/flows.json" alive; }

log "building the lab"
ha_up
log "lab up"
configure 1
configure 2
"$ECMPD" -n --ha -f "$HA/ha.rsc" >"$T_TMP/hash" 2>"$T_TMP/n.err"
check_eq "ecmpd -n --ha accepts examples/ha/ha.rsc" 0 "$?"
check "  ... with no --ha warning" not_in_file -- "--ha:" "$T_TMP/n.err"
sed 's/^/    /' "$T_TMP/n.err" >&2
HASH=$(awk '/^config hash/ { print $3 }' "$T_TMP/hash")
check_num "ecmpd -n prints a 16-digit hash ($HASH)" "${#HASH} == 16"
log "starting conntrackd and ecmpd in both routers"
start_daemons 1
start_daemons 2
check "keepalived accepts router 1's config" r 1 keepalived -t -f "$T_TMP/r1/keepalived.conf"
check "keepalived accepts router 2's config" r 2 keepalived -t -f "$T_TMP/r2/keepalived.conf"
check "router 1's ecmpd and conntrackd start" start_keepalived 1 || finish
check "router 2's ecmpd and conntrackd start" start_keepalived 2 || finish
log "keepalived started in both"
check "router 1 becomes master" wait_for 20 role_is 1 master
check "router 2 stays backup" role_is 2 backup
check_eq "router 1's status has the hash of ecmpd -n" "$HASH" "$(ctlr 1 -j status | jq -r .config_hash)"
ctlr 1 peer-hash "$(ctlr 2 hash)" >/dev/null
ctlr 2 peer-hash "$(ctlr 1 hash)" >/dev/null
check_eq "the two routers' hashes match" "false false" \
	"$(ctlr 1 -j status | jq -r .config_mismatch) $(ctlr 2 -j status | jq -r .config_mismatch)"
check "ecmpctl check: router 2 has a usable uplink" ctlr 2 check
check "h0 reaches the internet through the virtual gateway" \
	wait_for 10 ip netns exec "$NS_H" "$PYTHON" "$LAB_DIR_SELF/tcpconnect.py" 198.51.100.8 8000 2

log "starting $FLOWS long-lived connections"
lab_bg "$NS_H" "$T_TMP/flows.log" "$PYTHON" "$LAB_DIR_SELF/longflow.py" --count "$FLOWS" \
	--dst "$(seq -s, -f '198.51.100.%g' 1 8)" --status "$T_TMP/flows.json" \
	--interval 0.2 --stall 15 --keepalive 1 --duration 120
check "$FLOWS long-lived connections up" wait_for 20 longflow_connected flows "$FLOWS"
check "conntrackd replicated them to router 2" wait_for 10 replicated
PINS1=$(pins 1)
log "router 1's pins: $PINS1"
check "router 1 pinned them to uplinks" [ -n "$PINS1" ]
D1=$(isp_spoofed 1) D2=$(isp_spoofed 2)

log "cutting router 1's links"
t0=$(now_ms)
for l in Local wlan1 wlan2 sync; do r 1 ip link set "$l" down; done
check "router 2 becomes master" wait_for 20 role_is 2 master
t1=$(now_ms)
echo "MEASURE: router 1 cut -> router 2 master: $((t1 - t0)) ms"
T_AFTER=$EPOCHREALTIME
check "every connection echoes again through router 2" \
	wait_for 25 "$PYTHON" "$LAB_DIR_SELF/flows.py" settled "$T_TMP/flows.json" "$T_AFTER"
check_eq "all $FLOWS connections alive" "$FLOWS" "$(alive)"
check_eq "router 2 has them on the same uplinks" "$PINS1" "$(pins 2)"
check_eq "no packet dropped at ISP1 for a wrong source" "$D1" "$(isp_spoofed 1)"
check_eq "no packet dropped at ISP2 for a wrong source" "$D2" "$(isp_spoofed 2)"
for n in 1 2; do
	log "ISP$n dropped for a wrong source: $(ip netns exec "${LAB}isp$n" nft list set inet isp spoofers | tr -d '\n\t')"
done
check "router 2 committed conntrackd's cache (its log)" grep -q 'role master: ".*-c' "$T_TMP/r2/ecmpd.log"
check "router 1, its links cut: ecmpctl check fails (track_script)" wait_for 10 check_fails 1
check "router 1 goes to fault" wait_for 10 role_is 1 fault
check_eq "router 1 deleted no connection (a handover was coming)" 0 \
	"$(ctlr 1 -j status | jq .connections_flushed)"

log "a config that differs on the other router"
sed 's/check-gateway=ping/check-gateway=arp/' "$HA/ha.rsc" >"$T_TMP/other.rsc"
OTHER=$("$ECMPD" -n -f "$T_TMP/other.rsc" 2>/dev/null | awk '{ print $3 }')
check "another config has another hash ($OTHER)" [ -n "$OTHER" -a "$OTHER" != "$HASH" ]
check "ecmpctl peer-hash reports the mismatch" mismatch_reported "$OTHER"
check_eq "status: config_mismatch" true "$(ctlr 2 -j status | jq -r .config_mismatch)"
check "metric ecmpd_config_mismatch 1" mismatch_metric
check "the log says CONFIG MISMATCH" grep -q "CONFIG MISMATCH" "$T_TMP/r2/ecmpd.log"
finish
