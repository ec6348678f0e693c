# SPDX-License-Identifier: MIT
# tests/lab/lib_faults.sh - helpers for the lab's failure tests
# (t_ping_failover, t_arp_failover, t_link_events, t_inbound, t_all_dead,
# t_control, the fault matrix). Source it after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/lib_faults.sh"
#
# Gateways are named by address (10.111.0.1 = ISP1 on wlan1, 10.112.0.1 =
# ISP2 on wlan2), states by ecmpd's JSON status ("up", "down", "unknown").
# Times are measured in the router's namespace by one python loop
# (status.py) that runs ecmpctl every 100 ms; the moment of a change is
# ecmpd's own (its status says how long a gateway has been in its state),
# so a slow ecmpctl on a busy machine delays seeing it, not the time
# measured. Tests print times (MEASURE lines) and bound them by deadlines
# only, generous ones: the speed goals are make bench's.

GW1=10.111.0.1
GW2=10.112.0.1
WAN1=10.111.0.2
WAN2=10.112.0.2
# PLAN_TABLE_MAIN in src/plan/plan.h: the table with the multipath route
ECMPD_TABLE_MAIN=1000

# lf_t0: the current time, seconds since the epoch with microseconds; pass
# it to lf_wait_state right after causing an event.
lf_t0() { echo "$EPOCHREALTIME"; }

# lf_wait_state GW=STATE[,GW=STATE...] TIMEOUT [T0]: polls ecmpd's JSON
# status until every named gateway has its state; prints the milliseconds
# from T0 (default: now) to the moment ecmpd changed the last of them, or
# "timeout" (status 1).
lf_wait_state() {
	local t0=${3:-$EPOCHREALTIME}
	rt "$PYTHON" "$LAB_DIR_SELF/status.py" wait "$ECMPCTL" "$ECMPD_SOCK" "$1" "$2" "$t0"
}

# lf_timed GW=STATE[,...] TIMEOUT CMD...: starts watching ecmpd's status,
# then runs CMD, and prints the milliseconds from just before CMD to the
# moment ecmpd put every named gateway in its state, or "timeout" (status
# 1). The watcher is running before the event, so its start-up does not
# count.
lf_timed() {
	local spec=$1 timeout=$2
	shift 2
	local out="$LAB_TMP/watch.$RANDOM"
	rt "$PYTHON" "$LAB_DIR_SELF/status.py" watch "$ECMPCTL" "$ECMPD_SOCK" "$spec" "$timeout" "$out" &
	local pid=$!
	if ! wait_for 20 test -e "$out.ready"; then
		log "lf_timed: the status watcher did not start; $* not run"
		kill "$pid" 2>/dev/null
		echo timeout
		return 1
	fi
	local t0=$EPOCHREALTIME
	"$@"
	wait "$pid"
	local r
	r=$(cat "$out" 2>/dev/null)
	case $r in
	"" | timeout) echo timeout; return 1 ;;
	esac
	awk -v a="$t0" -v b="$r" 'BEGIN { d = (b - a) * 1000; if (d < 0) d = 0; printf "%d\n", d }'
}

# lf_ms_since T0: milliseconds from T0 (lf_t0) to now
lf_ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d\n", (b - a) * 1000 }'; }

# lf_state GW: the gateway's state now
lf_state() { ecmpd_uplink_field "$1" state; }

# lf_ct_lan_pinned ID: how many conntrack entries of LAN clients
# (192.168.0.0/24) are pinned to uplink ID (ecmpd's own probes excluded)
lf_ct_lan_pinned() {
	rt conntrack -L -m "$(($1 << 8))/0xff00" 2>/dev/null | grep -c '^[a-z].* src=192\.168\.0\.'
}

# lf_batch LIMIT [shortconn options]: new TCP connections from every LAN
# host (LIMIT (source, destination) pairs each, see short_conns); sets
# B_TOTAL, B_OK, B_UP1, B_UP2 (successful ones that left by wlan1/wlan2;
# all empty when the results cannot be read) and logs them.
lf_batch() {
	local limit=$1
	shift
	local f="$LAB_TMP/batch.$RANDOM"
	short_conns "$f" --limit "$limit" --timeout 15 "$@"
	B_TOTAL="" B_OK="" B_UP1="" B_UP2=""
	read -r B_TOTAL B_OK B_UP1 B_UP2 < <("$PYTHON" "$LAB_DIR_SELF/analyze.py" batch "$f")
	log "batch: $B_TOTAL connections, $B_OK ok, $B_UP1 via wlan1, $B_UP2 via wlan2"
}

# lf_batch_ok LIMIT: true when one batch of new connections all succeed
lf_batch_ok() {
	lf_batch "$@" >/dev/null 2>&1
	[ "${B_TOTAL:-0}" -gt 0 ] && [ "$B_OK" -eq "$B_TOTAL" ]
}

# lf_flows NAME CMD ARGS: questions about a longflow status file (see
# flows.py: count UPLINK [alive], sports UPLINK, deaths UPLINK T, ...)
lf_flows() {
	local name=$1
	shift
	"$PYTHON" "$LAB_DIR_SELF/flows.py" "$1" "$(longflow_file "$name")" "${@:2}"
}

# lf_pins_of "SRC:SPORT ..." : "src:sport=pin/ct-id" of the router's TCP
# entries for those LAN ends, sorted (compare two snapshots as strings;
# the kernel's entry id changes when an entry is deleted and made again)
lf_pins_of() {
	rt conntrack -L -o id 2>/dev/null | "$PYTHON" "$LAB_DIR_SELF/ctpins.py" ends "$1"
}

# lf_median N...: the median of integers
lf_median() {
	[ $# -gt 0 ] || { echo nan; return; }
	printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# lf_multipath_has GW...: ecmpd's main table's default route has a nexthop
# via each GW
lf_multipath_has() {
	local r gw
	r=$(rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0)
	for gw in "$@"; do
		case $r in *"via $gw "*) ;; *) return 1 ;; esac
	done
}

# lf_multipath_lacks GW: the default route in ecmpd's main table has no
# nexthop via GW
lf_multipath_lacks() {
	local r
	r=$(rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0)
	case $r in *"via $1 "*) return 1 ;; esac
	return 0
}

# lf_state_dump FILE: lab_dump_state without what legitimately changes when
# an interface is re-created (link lines: ifindex, MAC; nexthop object ids
# and routes' nhid): addresses, routes, rules, nft ruleset, sysctls.
lf_state_dump() {
	local raw="$1.raw"
	lab_dump_state "$raw"
	grep -v -e '^link ' -e '^nexthop ' "$raw" | sed -e 's/"nhid": [0-9]*, //g' -e 's/, "nhid": [0-9]*//g' >"$1"
}

# lf_same_state BASELINE: the router's state equals BASELINE (lf_state_dump)
lf_same_state() {
	local now="$LAB_TMP/state.now"
	lf_state_dump "$now"
	cmp -s "$1" "$now"
}

# lf_state_diff BASELINE: prints how the state differs from BASELINE
lf_state_diff() {
	local now="$LAB_TMP/state.now"
	lf_state_dump "$now"
	diff "$1" "$now" | head -n 40
}

# lf_ecmpd_alive: ecmpd is still the process start_ecmpd started
lf_ecmpd_alive() { [ -n "$ECMPD_PID" ] && kill -0 "$ECMPD_PID" 2>/dev/null; }

# lf_connect_err HOST DST PORT TIMEOUT: one TCP connect from LAN host HOST;
# prints "ERRNAME MS" (OK when it connected)
lf_connect_err() {
	host "$1" "$PYTHON" "$LAB_DIR_SELF/tcpconnect.py" "$2" "$3" "$4"
}

# lf_inet_conns DST PORT N [shortconn options]: TCP connections from the
# internet host to DST:PORT, from N of its addresses, two each; prints
# "total ok"
lf_inet_conns() {
	local dst=$1 port=$2 n=$3
	shift 3
	local f="$LAB_TMP/inet.$RANDOM"
	nsx "$NS_INET" "$PYTHON" "$LAB_DIR_SELF/shortconn.py" --src "$(inet_addrs "$n")" \
		--dst "$dst" --port "$port" --per-pair 2 --timeout 15 "$@" >"$f" 2>/dev/null
	"$PYTHON" "$LAB_DIR_SELF/analyze.py" count "$f"
}

# lf_inet_pings DST N: one echo request from each of N of the internet
# host's addresses to DST; prints how many were answered
lf_inet_pings() {
	local dst=$1 n=$2 i pids=() ok=0
	for i in $(seq 1 "$n"); do
		nsx "$NS_INET" ping -n -q -c 1 -W 10 -I "198.51.100.$i" "$dst" >/dev/null 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" && ok=$((ok + 1))
	done
	echo "$ok"
}
