# SPDX-License-Identifier: MIT
# tests/lab/lib_ha.sh - the lab of a pair of ecmpd routers (docs/ha.md),
# for t_ha_pair.sh, `make demo ARGS=--ha` (demo/ha.sh) and the failover
# benchmark (bench/ha.sh). Source it after tests/lab/lib.sh:
#
#   . "$SRCDIR/tests/lab/lib.sh"
#   . "$SRCDIR/tests/lab/lib_ha.sh"
#   ha_up                     # the topology below; torn down at exit
#   configure 1; configure 2  # examples/ha with this run's paths
#   start_daemons 1; start_daemons 2
#   start_keepalived 1; start_keepalived 2
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
# address (counter "spoofed" counts the rest, set "spoofers" says what;
# multicast - VRRP, IGMP - is the segment's own business).
#
# HA_ADVERT (default 1, examples/ha's) sets keepalived's advert_int; below
# one second keepalived needs VRRP version 3, which configure then sets.
# HA_PREEMPT_DELAY (unset: none) sets keepalived's preempt_delay.

HA=$SRCDIR/examples/ha
NS_R=("${LAB}r1" "${LAB}r2")
NS_H=${LAB}h0

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
	# HA_PREEMPT_DELAY: router 1 waits that long before it takes back
	# over (failback), time for conntrackd's resync; keepalived allows
	# it only from state BACKUP, so router 1 then starts as one.
	[ -n "${HA_PREEMPT_DELAY:-}" ] && state=BACKUP
	sed -e "s#router_id ecmpd-a#router_id ecmpd-$n#" \
		-e "s#state BACKUP#state $state#" \
		-e "s#priority 150#priority $prio#" \
		-e "s#/usr/sbin/ecmpctl -t 2000 check#$ECMPCTL -s $d/ecmpd.sock -t 2000 check#" \
		-e "s#/etc/ecmpd/notify.sh#$d/notify.sh#" \
		-e "s#advert_int 1\$#advert_int ${HA_ADVERT:-1}#" \
		"$HA/keepalived.conf" >"$d/keepalived.conf"
	[ -n "${HA_PREEMPT_DELAY:-}" ] &&
		sed -i "s#^\tpriority .*#&\n\tpreempt_delay $HA_PREEMPT_DELAY#" "$d/keepalived.conf"
	case ${HA_ADVERT:-1} in
	0.* | .*) sed -i 's#^global_defs {#&\n\tvrrp_version 3#' "$d/keepalived.conf" ;;
	esac
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

# set_links N down|up: router N's links (the LAN, both WANs, the sync link)
set_links() { # N down|up
	local l
	for l in Local wlan1 wlan2 sync; do r "$1" ip link set "$l" "$2"; done
}
