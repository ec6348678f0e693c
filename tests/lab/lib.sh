# SPDX-License-Identifier: MIT
# tests/lab/lib.sh - the namespace lab of the seed's network, for ecmpd's
# lab tests. It sources tests/lib.sh (checks, wait_for, finish, at_exit).
# Source it from a bash test script:
#
#   . "$(dirname "$0")/lib.sh"
#   lab_require_root          # root (else skip), the tools (else fail)
#   lab_require_ecmpd         # ecmpd and ecmpctl built (else fail)
#   lab_up                    # build the lab; torn down at exit, always
#   start_ecmpd "$SRCDIR/examples/seed.rsc" || bail "ecmpd starts"
#   ...
#   check "both uplinks used" [ "$n1" -gt 0 ]
#   finish                    # prints "NAME: N passed, N failed", exits
#
# Topology (every name below is inside namespaces whose names start with
# $LAB, a prefix unique to this run, "e<pid>x-"):
#
#   h0..h3 (192.168.0.10-13/24, eth0, default via 192.168.0.1)
#     |  veth eth0 <-> portN
#   sw (bridge "lanbr")
#     |  veth portrt <-> Local
#   rt  Local, wlan1, wlan2: up, NO addresses (ecmpd adds them)
#     | wlan1 <-> cust (isp1)          | wlan2 <-> cust (isp2)
#   isp1 cust 10.111.0.1/24            isp2 cust 10.112.0.1/24
#        upstream 100.64.1.1/30             upstream 100.64.2.1/30
#        lo 100.64.53.53 ("ISP1's DNS")
#     | upstream <-> isp1 (inet)       | upstream <-> isp2 (inet)
#   inet  isp1 100.64.1.2/30, isp2 100.64.2.2/30,
#         lo 198.51.100.1-64/32; servers on port 8000:
#         TCP answers "<peer-ip> <peer-port>\n" then echoes, UDP echoes
#         with "<peer-ip> <peer-port> " prepended.
#
# The ISPs filter sources (BCP38): packets from "cust" whose source is not
# the customer subnet are dropped and counted in the named counter
# "spoofed" (table inet isp). isp_drops N prints that count.
#
# Environment: ECMPD, ECMPCTL, SRCDIR, BUILDDIR, PYTHON (meson sets them);
# KEEP=1 leaves the lab up at exit and prints how to enter it.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

LAB_DIR_SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
ECMPD=${ECMPD:-$BUILDDIR/ecmpd}
ECMPCTL=${ECMPCTL:-$BUILDDIR/ecmpctl}

LAB="e$$x-"
NS_SW=${LAB}sw
NS_RT=${LAB}rt
NS_ISP1=${LAB}isp1
NS_ISP2=${LAB}isp2
NS_INET=${LAB}inet
NS_HOSTS=("${LAB}h0" "${LAB}h1" "${LAB}h2" "${LAB}h3")
# The internet host's addresses: 198.51.100.1 .. 198.51.100.$INET_N
INET_N=${INET_N:-64}
DNS_ADDR=100.64.53.53

LAB_TMP=$T_TMP
LAB_PIDS=()       # background processes we started (killed at teardown)
LAB_NAMESPACES=() # namespaces we created
ECMPD_PID=""
ECMPD_SOCK=$LAB_TMP/ecmpd.sock
ECMPD_LOG=$LAB_TMP/ecmpd.log
ECMPD_CONFIG=""

# ---------------------------------------------------------------- guards

# lab_require_root: root (else the test is skipped), the lab's tools and
# network namespaces (else it fails).
lab_require_root() {
	require_root
	need ip nft conntrack jq "$PYTHON"
	ip netns add "${LAB}probe" || bail "cannot create network namespaces"
	ip netns del "${LAB}probe"
}

# lab_require_ecmpd: ecmpd and ecmpctl are built (else the test fails).
lab_require_ecmpd() {
	need "$ECMPD" "$ECMPCTL"
}

# ---------------------------------------------------------------- netns

# nsx NS CMD...: run CMD inside namespace NS
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# host N CMD...: run CMD in LAN host N (0..3)
host() {
	local n=$1
	shift
	ip netns exec "${NS_HOSTS[$n]}" "$@"
}

rt() { ip netns exec "$NS_RT" "$@"; }

_ns_add() {
	ip netns add "$1" || return 1
	LAB_NAMESPACES+=("$1")
	ip -n "$1" link set lo up
	# no IPv6: keeps dumps stable (no DAD, no link-local churn)
	ip netns exec "$1" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6;
		echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true
}

# _veth NS_A NAME_A NS_B NAME_B: a veth pair between two namespaces; it is
# created inside NS_A, never in the host's namespace.
_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

_sysctl() { # NS KEY VALUE
	local path=/proc/sys/${2//.//}
	ip netns exec "$1" sh -c "echo '$3' > '$path'"
}

lab_up() {
	at_exit lab_teardown
	local i ns

	for ns in "$NS_SW" "$NS_RT" "$NS_ISP1" "$NS_ISP2" "$NS_INET" "${NS_HOSTS[@]}"; do
		_ns_add "$ns" || bail "lab: cannot create namespace $ns"
	done

	# LAN switch
	ip -n "$NS_SW" link add lanbr type bridge
	ip -n "$NS_SW" link set lanbr up
	for i in 0 1 2 3; do
		_veth "${NS_HOSTS[$i]}" eth0 "$NS_SW" "port$i"
		ip -n "$NS_SW" link set "port$i" master lanbr
		ip -n "${NS_HOSTS[$i]}" addr add "192.168.0.1$i/24" dev eth0
		ip -n "${NS_HOSTS[$i]}" route add default via 192.168.0.1
	done
	_veth "$NS_RT" Local "$NS_SW" portrt
	ip -n "$NS_SW" link set portrt master lanbr

	# router <-> ISPs
	_veth "$NS_RT" wlan1 "$NS_ISP1" cust
	_veth "$NS_RT" wlan2 "$NS_ISP2" cust
	ip -n "$NS_ISP1" addr add 10.111.0.1/24 dev cust
	ip -n "$NS_ISP2" addr add 10.112.0.1/24 dev cust

	# ISPs <-> internet host
	_veth "$NS_ISP1" upstream "$NS_INET" isp1
	_veth "$NS_ISP2" upstream "$NS_INET" isp2
	ip -n "$NS_ISP1" addr add 100.64.1.1/30 dev upstream
	ip -n "$NS_INET" addr add 100.64.1.2/30 dev isp1
	ip -n "$NS_ISP2" addr add 100.64.2.1/30 dev upstream
	ip -n "$NS_INET" addr add 100.64.2.2/30 dev isp2
	ip -n "$NS_ISP1" route add default via 100.64.1.2
	ip -n "$NS_ISP2" route add default via 100.64.2.2
	ip -n "$NS_ISP1" addr add "$DNS_ADDR/32" dev lo
	_sysctl "$NS_ISP1" net.ipv4.ip_forward 1
	_sysctl "$NS_ISP2" net.ipv4.ip_forward 1

	# Results are joined with the router's conntrack table once a batch of
	# connections is over, which on a busy machine can take minutes: keep
	# finished and closing entries 10 minutes (the defaults go down to 10 s
	# after a reset, 30 s in LAST_ACK or for UDP), so that none has expired
	# before it is looked up.
	[ -e /proc/sys/net/netfilter/nf_conntrack_udp_timeout ] || modprobe nf_conntrack
	local t
	for t in udp_timeout udp_timeout_stream tcp_timeout_syn_sent tcp_timeout_syn_recv \
		tcp_timeout_fin_wait tcp_timeout_close_wait tcp_timeout_last_ack \
		tcp_timeout_time_wait tcp_timeout_close; do
		_sysctl "$NS_RT" "net.netfilter.nf_conntrack_$t" 600 ||
			bail "lab: set nf_conntrack_$t in the router"
	done

	# internet host: many addresses, routes back to the customers
	# (on lo, /32 each: the dummy module may not be loadable)
	{
		for i in $(seq 1 "$INET_N"); do
			echo "addr add 198.51.100.$i/32 dev lo"
		done
	} | ip -n "$NS_INET" -batch -
	ip -n "$NS_INET" route add 10.111.0.0/24 via 100.64.1.1
	ip -n "$NS_INET" route add 10.112.0.0/24 via 100.64.2.1

	# BCP38 in each ISP, and an empty blackout table
	local n sub
	for n in 1 2; do
		sub=10.11$n.0.0/24
		ip netns exec "${LAB}isp$n" nft -f - <<-EOF
		table inet isp {
			counter spoofed {
			packets 0 bytes 0
		}
			chain isp_fwd {
				type filter hook forward priority 0; policy accept;
				iifname "cust" ip saddr != $sub counter name "spoofed" drop
			}
			chain isp_in {
				type filter hook input priority 0; policy accept;
				iifname "cust" ip saddr != $sub counter name "spoofed" drop
			}
		}
		EOF
	done

	# servers on the internet host and ISP1's DNS address
	lab_bg "$NS_INET" "$LAB_TMP/server-inet.log" "$PYTHON" "$LAB_DIR_SELF/server.py" --port 8000
	lab_bg "$NS_ISP1" "$LAB_TMP/server-dns.log" "$PYTHON" "$LAB_DIR_SELF/server.py" --port 53 --bind "$DNS_ADDR"
	if ! wait_for 20 _servers_ready; then
		cat "$LAB_TMP"/server-*.log >&2
		bail "lab: the servers start"
	fi
	log "lab up: prefix $LAB, temp dir $LAB_TMP"
}

_servers_ready() {
	grep -q listening "$LAB_TMP/server-inet.log" && grep -q listening "$LAB_TMP/server-dns.log"
}

# lab_bg NS LOGFILE CMD...: starts CMD in NS in the background, remembers
# its pid for teardown; the pid is in $LAB_LAST_PID.
lab_bg() {
	local ns=$1 logf=$2
	shift 2
	ip netns exec "$ns" "$@" >"$logf" 2>&1 &
	LAB_LAST_PID=$!
	LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_teardown: stops what the lab started and deletes its namespaces
# (at exit, registered by lab_up); with KEEP=1 leaves them and says how to
# enter them.
lab_teardown() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "KEEP=1: lab left up (prefix $LAB, files in $LAB_TMP)."
		echo "  namespaces: ${LAB_NAMESPACES[*]}"
		echo "  enter the router:  ip netns exec $NS_RT bash"
		echo "  a LAN host:        ip netns exec ${NS_HOSTS[0]} bash"
		[ -n "$ECMPD_PID" ] && echo "  ecmpd pid $ECMPD_PID, socket $ECMPD_SOCK, log $ECMPD_LOG"
		echo "  tear down:         for n in ${LAB_NAMESPACES[*]}; do ip netns pids \$n | xargs -r kill; ip netns del \$n; done"
		return 0
	fi
	local p ns
	for p in "${LAB_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${LAB_PIDS[@]}"; do
		_wait_gone "$p" 3 || kill -9 "$p" 2>/dev/null
	done
	for ns in "${LAB_NAMESPACES[@]}"; do
		# anything still running in our own namespaces, by pid
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	if [ "$T_STATUS" -ne 0 ] && [ -s "$ECMPD_LOG" ]; then
		echo "--- last 40 lines of the ecmpd log ($ECMPD_LOG) ---" >&2
		tail -n 40 "$ECMPD_LOG" >&2
	fi
}

_wait_gone() { # PID TIMEOUT
	wait_for "$2" _pid_gone "$1"
}
_pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# ---------------------------------------------------------------- ISPs

# isp_drops N: the number of packets ISP N dropped for a wrong source
isp_drops() {
	ip netns exec "${LAB}isp$1" nft -j list counter inet isp spoofed |
		jq '.nftables[] | select(.counter) | .counter.packets'
}

# isp_blackout N: ISP N stops forwarding and answering on its customer
# side (everything in or out of "cust" except ARP is dropped); link stays up
isp_blackout() {
	isp_blackout_ruleset | ip netns exec "${LAB}isp$1" nft -f -
}

# isp_blackout_ruleset: the nft ruleset isp_blackout loads (table inet
# blackout), e.g. for flapper.py
isp_blackout_ruleset() {
	cat <<-EOF
	table inet blackout {
		chain bo_pre { type filter hook prerouting priority -300; policy accept; iifname "cust" drop; }
		chain bo_out { type filter hook output priority -300; policy accept; oifname "cust" drop; }
		chain bo_post { type filter hook postrouting priority -300; policy accept; oifname "cust" drop; }
	}
	EOF
}

# isp_restore N: ends ISP N's blackout
isp_restore() {
	ip netns exec "${LAB}isp$1" nft delete table inet blackout 2>/dev/null || true
}

# ---------------------------------------------------------------- LAN

# lan_extra_addresses: adds 192.168.0.14-49 to the LAN hosts (host n gets
# the addresses whose last octet % 4 == n), for many distinct sources.
lan_extra_addresses() {
	local a n
	for a in $(seq 14 49); do
		n=$(((a - 10) % 4))
		ip -n "${NS_HOSTS[$n]}" addr add "192.168.0.$a/24" dev eth0
	done
}

# lan_sources N: the source addresses of host N (space separated)
lan_sources() {
	ip -n "${NS_HOSTS[$1]}" -4 -o addr show dev eth0 | awk '{ split($4, a, "/"); print a[1] }' | tr '\n' ' '
}

# inet_addrs [N]: 198.51.100.1..N, comma separated (default $INET_N)
inet_addrs() {
	local n=${1:-$INET_N} i out=""
	for i in $(seq 1 "$n"); do out="$out${out:+,}198.51.100.$i"; done
	echo "$out"
}

# ---------------------------------------------------------------- traffic

# short_conns OUT [shortconn.py options]: runs shortconn.py in every LAN
# host at once with that host's source addresses (all of them) and
# --dst "$(inet_addrs)" unless given; merges the JSON lists into OUT.
short_conns() {
	local out=$1
	shift
	local i pids=() files=()
	for i in 0 1 2 3; do
		host "$i" "$PYTHON" "$LAB_DIR_SELF/shortconn.py" \
			--src "$(lan_sources "$i" | tr ' ' ',' | sed 's/,$//')" \
			--dst "$(inet_addrs)" "$@" >"$out.$i" 2>"$out.$i.err" &
		pids+=($!)
		files+=("$out.$i")
	done
	local rc=0
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	"$PYTHON" "$LAB_DIR_SELF/analyze.py" merge "$out" "${files[@]}"
	return $rc
}

# uplink_of ADDR: 1 for 10.111.0.2, 2 for 10.112.0.2, ? otherwise
uplink_of() {
	case $1 in
	10.111.0.2) echo 1 ;;
	10.112.0.2) echo 2 ;;
	*) echo "?" ;;
	esac
}

# longflow_start NAME HOST_N N [longflow.py options]: N long-lived TCP
# connections from LAN host HOST_N to as many internet addresses; status
# JSON in $LAB_TMP/NAME.json (see longflow_get). Returns once all are
# connected (1 when they are not within 20 s).
longflow_start() {
	local name=$1 n=$2 count=$3
	shift 3
	lab_bg "${NS_HOSTS[$n]}" "$LAB_TMP/$name.log" "$PYTHON" "$LAB_DIR_SELF/longflow.py" \
		--count "$count" --dst "$(inet_addrs)" --status "$LAB_TMP/$name.json" "$@"
	eval "LONGFLOW_PID_$name=$LAB_LAST_PID"
	wait_for 20 longflow_connected "$name" "$count"
}

longflow_connected() { # NAME COUNT
	[ "$(longflow_get "$1" connected)" = "$2" ]
}

# longflow_get NAME FIELD: a top-level field of the status file
# (alive, died, connected, finished, ...)
longflow_get() {
	"$PYTHON" "$LAB_DIR_SELF/flows.py" get "$LAB_TMP/$1.json" "$2"
}

# longflow_file NAME: the status file's path
longflow_file() { echo "$LAB_TMP/$1.json"; }

# longflow_settle NAME [TIMEOUT]: waits until every live connection got an
# echo after this moment (default deadline 20 s: a connection that cannot
# echo is declared dead by its --stall, 10 s at most, first)
longflow_settle() {
	wait_for "${2:-20}" "$PYTHON" "$LAB_DIR_SELF/flows.py" settled \
		"$LAB_TMP/$1.json" "$EPOCHREALTIME"
}

longflow_stop() { # NAME
	local v="LONGFLOW_PID_$1"
	[ -n "${!v:-}" ] && kill "${!v}" 2>/dev/null && _wait_gone "${!v}" 5
}

# ---------------------------------------------------------------- ecmpd

# start_ecmpd CONFIG [ARGS...]: ecmpd in the router namespace, waits until
# `ecmpctl status` answers (20 s). Returns 1 when it does not.
start_ecmpd() {
	ECMPD_CONFIG=$1
	shift
	echo "=== start $(date +%T.%N) $ECMPD -f $ECMPD_CONFIG -s $ECMPD_SOCK -v $*" >>"$ECMPD_LOG"
	# with the signal dispositions of a terminal (see exec_dfl.py); the
	# exec keeps the pid
	ip netns exec "$NS_RT" "$PYTHON" "$LAB_DIR_SELF/exec_dfl.py" \
		"$ECMPD" -f "$ECMPD_CONFIG" -s "$ECMPD_SOCK" -v "$@" >>"$ECMPD_LOG" 2>&1 &
	ECMPD_PID=$!
	LAB_PIDS+=("$ECMPD_PID")
	if ! wait_for 20 _ecmpd_ready; then
		log "ecmpd did not answer within 20 s"
		tail -n 20 "$ECMPD_LOG" >&2
		return 1
	fi
	log "ecmpd up (pid $ECMPD_PID)"
}

_ecmpd_ready() {
	kill -0 "$ECMPD_PID" 2>/dev/null || return 1
	ctl status
}

# stop_ecmpd [SIGNAL]: SIGTERM (or SIGNAL, e.g. INT) and wait for exit
# (10 s); returns its exit status
stop_ecmpd() {
	[ -n "$ECMPD_PID" ] || return 0
	kill -"${1:-TERM}" "$ECMPD_PID" 2>/dev/null
	local rc=0
	if ! _wait_gone "$ECMPD_PID" 10; then
		log "ecmpd did not exit within 10 s of SIGTERM"
		kill -9 "$ECMPD_PID"
		rc=1
	fi
	wait "$ECMPD_PID" 2>/dev/null || rc=$?
	ECMPD_PID=""
	return $rc
}

# kill_ecmpd: SIGKILL, wait for it to be gone
kill_ecmpd() {
	[ -n "$ECMPD_PID" ] || return 0
	kill -KILL "$ECMPD_PID" 2>/dev/null
	_wait_gone "$ECMPD_PID" 5
	wait "$ECMPD_PID" 2>/dev/null
	ECMPD_PID=""
	return 0
}

# ctl ARGS...: ecmpctl inside the router namespace
ctl() {
	ip netns exec "$NS_RT" "$ECMPCTL" -s "$ECMPD_SOCK" "$@"
}

# ecmpd_uplink_id GATEWAY: the uplink id ecmpd gives that gateway
ecmpd_uplink_id() { ecmpd_uplink_field "$1" id; }

# ecmpd_uplink_field GATEWAY FIELD: e.g. state, connections ("" if none)
ecmpd_uplink_field() {
	ctl -j status | "$PYTHON" "$LAB_DIR_SELF/status.py" uplink "$1" "$2"
}

# ecmpd_status_field FIELD: a top-level field of the status (reloads_ok...)
ecmpd_status_field() {
	ctl -j status | "$PYTHON" "$LAB_DIR_SELF/status.py" top "$1"
}

# ---------------------------------------------------------------- conntrack

# ct_count_pin ID: the router's conntrack entries pinned to uplink ID
ct_count_pin() {
	rt conntrack -L -m "$(($1 << 8))/0xff00" 2>/dev/null | grep -c '^'
}

# ct_pins FILE: the router's conntrack table as JSON (see ctpins.py): a
# list of {proto, src, dst, sport, dport, reply_dst, mark, pin}
ct_pins() {
	rt conntrack -L 2>/dev/null | "$PYTHON" "$LAB_DIR_SELF/ctpins.py" >"$1"
}

# ct_flush: empties the router's conntrack table
ct_flush() { rt conntrack -F >/dev/null 2>&1 || true; }

# ---------------------------------------------------------------- baseline

# router_addresses: the seed's addresses, by hand
router_addresses() {
	ip -n "$NS_RT" addr add 192.168.0.1/24 broadcast 192.168.0.255 dev Local
	ip -n "$NS_RT" addr add 10.111.0.2/24 broadcast 10.111.0.255 dev wlan1
	ip -n "$NS_RT" addr add 10.112.0.2/24 broadcast 10.112.0.255 dev wlan2
}

# plain_linux_setup [W1 W2]: the page translated by hand to plain Linux:
# addresses, a multipath default route (l3 hash), masquerade per
# out-interface, forwarding on. No pinning: the baseline.
plain_linux_setup() {
	local w1=${1:-1} w2=${2:-1}
	router_addresses
	_sysctl "$NS_RT" net.ipv4.ip_forward 1
	_sysctl "$NS_RT" net.ipv4.fib_multipath_hash_policy 0
	ip -n "$NS_RT" route add default \
		nexthop via 10.111.0.1 dev wlan1 weight "$w1" \
		nexthop via 10.112.0.1 dev wlan2 weight "$w2"
	rt nft -f - <<-'EOF'
	table ip plain {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wlan1" masquerade
			oifname "wlan2" masquerade
		}
	}
	EOF
}

# plain_linux_weights W1 W2: replace the multipath route's weights
plain_linux_weights() {
	ip -n "$NS_RT" route replace default \
		nexthop via 10.111.0.1 dev wlan1 weight "$1" \
		nexthop via 10.112.0.1 dev wlan2 weight "$2"
}

# ---------------------------------------------------------------- state

# lab_dump_state FILE: the router's addresses, routes (all tables), rules,
# nexthops, nft ruleset and net.ipv4/net.netfilter sysctls, normalised
# (sorted; counters, lifetimes and the like removed) for comparison.
lab_dump_state() {
	local out=$1 d
	d=$(mktemp -d "$LAB_TMP/dump.XXXXXX")
	rt ip -j addr >"$d/addr" 2>/dev/null
	rt ip -j route show table all >"$d/route" 2>/dev/null
	rt ip -j rule >"$d/rule" 2>/dev/null
	rt ip -j nexthop >"$d/nexthop" 2>/dev/null || echo '[]' >"$d/nexthop"
	rt nft list ruleset >"$d/nft" 2>/dev/null
	rt "$PYTHON" "$LAB_DIR_SELF/dumpstate.py" "$d" >"$out"
}

# ---------------------------------------------------------------- analysis

# analyze_conns OUT RESULTS [ID=ADDR ...]: joins RESULTS (shortconn.py
# list or longflow.py status) with the router's conntrack table; JSON
# summary in OUT (see analyze.py). Without ID=ADDR arguments, the ids
# come from ecmpd (ecmpd_uplink_id) for 10.111.0.1 and 10.112.0.1.
analyze_conns() {
	local out=$1 res=$2
	shift 2
	local ups=()
	if [ $# -eq 0 ]; then
		ups=(--uplink "$(ecmpd_uplink_id 10.111.0.1)=10.111.0.2"
			--uplink "$(ecmpd_uplink_id 10.112.0.1)=10.112.0.2")
	else
		local u
		for u in "$@"; do ups+=(--uplink "$u"); done
	fi
	ct_pins "$out.ct"
	"$PYTHON" "$LAB_DIR_SELF/analyze.py" conns "$res" "$out.ct" "${ups[@]}" >"$out"
}

# jget FILE KEY[.KEY...]: a value from a JSON file ("" when missing; lists
# and objects as compact JSON)
jget() {
	jq -r --arg path "$2" 'getpath($path | split(".")) |
		if . == null then "" elif type == "array" or type == "object"
		then tojson else . end' "$1"
}

# seed_config OUT GATEWAYS [LINE...]: examples/seed.rsc with the ECMP
# route's gateway list replaced by GATEWAYS ("10.111.0.1,10.112.0.1,...")
# and each LINE appended after a "/ip route" header (e.g.
# "add dst-address=100.64.53.53/32 gateway=10.111.0.1").
seed_config() {
	local out=$1 gws=$2
	shift 2
	sed "s|gateway=10.111.0.1,10.112.0.1 check-gateway=ping|gateway=$gws check-gateway=ping|" \
		"$SRCDIR/examples/seed.rsc" >"$out.tmp"
	if [ $# -gt 0 ]; then
		printf '\n/ip route\n' >>"$out.tmp"
		printf '%s\n' "$@" >>"$out.tmp"
	fi
	mv "$out.tmp" "$out"
}
