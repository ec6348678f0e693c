#!/bin/bash
# SPDX-License-Identifier: MIT
# bench/run.sh - `make bench`: ecmpd against plain Linux and the peers, in
# the namespace lab of tests/lab/lib.sh (one lab per run, torn down on
# exit). See bench/README.md. Writes the table to bench/results.md.
#
# Environment: PARTS (default "failover kept data flush ctl scale apply
# routes ctscale ha"), CYCLES (20 blackouts per setting), REPS (6 alternating data-path rounds), DUR (3 s
# per wrk/iperf3 run), FLUSH_REPS (3), IDLE_SECS (60), OUT (results file).
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$BENCH_DIR/.." && pwd)
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
ECMPD=${ECMPD:-$BUILDDIR/ecmpd}
ECMPCTL=${ECMPCTL:-$BUILDDIR/ecmpctl}
PARTS=${PARTS:-"failover kept data flush ctl scale apply routes ctscale ha"}
CYCLES=${CYCLES:-20}
REPS=${REPS:-6}
DUR=${DUR:-3}
FLUSH_REPS=${FLUSH_REPS:-3}
HA_ROUNDS=${HA_ROUNDS:-5}
HA_FAST_ADVERT=${HA_FAST_ADVERT:-0.2}
IDLE_SECS=${IDLE_SECS:-60}
OUT=${OUT:-$BENCH_DIR/results.md}
BENCH_T0=$(date +%s)

# ---------------------------------------------------------------- deps
bench_deps() {
	local need=() c p
	for c in nginx:nginx-light wrk:wrk iperf3:iperf3 conntrack:conntrack \
		nft:nftables ip:iproute2 python3:python3 gcc:gcc pkg-config:pkg-config; do
		command -v "${c%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${c%%:*}" ] || need+=("${c#*:}")
	done
	dpkg-query -W -f='${Status}\n' libmnl-dev 2>/dev/null | grep -q 'install ok installed' ||
		need+=(libmnl-dev)
	if [ ${#need[@]} -gt 0 ]; then
		echo "bench: installing Debian packages: ${need[*]}"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || exit 1
	fi
}
section() { log "==== $* (t+$(($(date +%s) - BENCH_T0)) s)"; }

# median_ms REPS CMD...: runs CMD (output dropped) REPS times and prints the
# median wall time in ms, process start included
median_ms() {
	local reps=$1 i t0 t1
	shift
	for i in $(seq 1 "$reps"); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>&1
		t1=$EPOCHREALTIME
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", (b - a) * 1000 }'
	done | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "nan" }'
}

# plain_teardown: undoes plain_linux_setup / setup_single
plain_teardown() {
	rt nft delete table ip plain 2>/dev/null
	rt ip route del default 2>/dev/null
	local d
	for d in Local wlan1 wlan2; do rt ip addr flush dev "$d"; done
	ct_flush
}

# (a): plain forwarding, one uplink, one masquerade
setup_single() {
	router_addresses
	_sysctl "$NS_RT" net.ipv4.ip_forward 1
	rt ip route add default via 10.111.0.1 dev wlan1
	rt nft -f - <<-'EOF'
	table ip plain {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wlan1" masquerade
		}
	}
	EOF
}

ecmpd_up() { # CONFIG: start and wait until both gateways are up
	start_ecmpd "$1" || return 1
	[ "$(lf_wait_state "$GW1=up,$GW2=up" 15 2>/dev/null)" != timeout ]
}

# ---------------------------------------------------------------- 1. failover
fo_run() { # NAME CONFIG DOWN_WINDOW UP_WINDOW
	local name=$1 cfg=$2 dw=$3 uw=$4 i pids=() ev=$RES/fo-$1.events
	if ! ecmpd_up "$cfg"; then
		echo '{"error": "ecmpd did not start or gateways not up"}' >"$RES/failover-$name.json"
		stop_ecmpd
		return
	fi
	: >"$ev"
	for i in 0 1 2 3; do
		lab_bg "${NS_HOSTS[$i]}" "$RES/fo-$name.p$i.log" "$PYTHON" "$BENCH_DIR/prober.py" \
			--src "$(lan_sources "$i" | tr ' ' ',' | sed 's/,$//')" --dst "$(inet_addrs)" \
			--interval 0.02 --timeout 0.5 --seed "$i" --out "$RES/fo-$name.p$i"
		pids+=("$LAB_LAST_PID")
	done
	sleep 2
	for i in $(seq 1 "$CYCLES"); do
		sleep "0.$((RANDOM % 10))" # any phase of the probe interval
		isp_blackout 1
		echo "blackout $EPOCHREALTIME" >>"$ev"
		sleep "$dw"
		isp_restore 1
		echo "restore $EPOCHREALTIME" >>"$ev"
		sleep "$uw"
	done
	for i in "${pids[@]}"; do kill "$i" 2>/dev/null; done
	for i in "${pids[@]}"; do _wait_gone "$i" 5; done
	grep -c 'up -> down' "$ECMPD_LOG" >"$RES/fo-$name.downs" 2>/dev/null
	stop_ecmpd
	"$PYTHON" "$BENCH_DIR/failover.py" "$ev" "$RES"/fo-"$name".p[0-3] >"$RES/failover-$name.json"
	log "failover $name: $("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["failover"], d["recovery"])' "$RES/failover-$name.json")"
}

part_failover() {
	section "1. failover: $CYCLES blackouts of ISP1, default probes"
	cp "$SRCDIR/examples/seed.rsc" "$CFG"
	# up for longer than the flap window (6 x 5 x 100 ms = 3 s): each
	# blackout is an outage, not a flap
	fo_run default "$CFG" 2.5 4
	section "1. failover: $CYCLES blackouts of ISP1, tuned probes"
	printf '%s\n\n/routing settings\nset check-gateway-interval=30ms check-gateway-timeout=100ms check-gateway-down-count=3\n' \
		"$(cat "$SRCDIR/examples/seed.rsc")" >"$LAB_TMP/tuned.rsc"
	fo_run tuned "$LAB_TMP/tuned.rsc" 1.5 2
	ct_flush
}

# ---------------------------------------------------------------- 2. connections kept
kept_settle() { # NAME
	longflow_settle "$1" 8
	longflow_settle "$1" 8
}

_gw_state() { [ "$(ecmpd_uplink_field "$1" state)" = "$2" ]; }
_gw_gone() { [ -z "$(ecmpd_uplink_id "$1")" ]; }

# kept_change IMPL CHANGE: applies CHANGE to IMPL (ecmpd or plain)
kept_change() {
	case $1/$2 in
	ecmpd/reversed) seed_config "$CFG" 10.112.0.1,10.111.0.1 && ctl reload ;;
	ecmpd/weights) seed_config "$CFG" "10.111.0.1,$GW2x5" && ctl reload ;;
	ecmpd/added)
		seed_config "$CFG" 10.111.0.1,10.112.0.1,10.112.0.3 && ctl reload &&
			wait_for 5 _gw_state 10.112.0.3 up
		;;
	ecmpd/reload) ctl reload ;;
	ecmpd/restart) stop_ecmpd && start_ecmpd "$CFG" ;;
	plain/reversed)
		rt ip route replace default nexthop via 10.112.0.1 dev wlan2 weight 1 \
			nexthop via 10.111.0.1 dev wlan1 weight 1
		;;
	plain/weights) plain_linux_weights 1 5 ;;
	plain/added)
		rt ip route replace default nexthop via 10.111.0.1 dev wlan1 weight 1 \
			nexthop via 10.112.0.1 dev wlan2 weight 1 nexthop via 10.112.0.3 dev wlan2 weight 1
		;;
	plain/reload | plain/restart) plain_linux_weights 1 1 ;; # the same route again
	esac
}

kept_base() { # IMPL: back to the seed's 1:1 route
	case $1 in
	ecmpd)
		seed_config "$CFG" 10.111.0.1,10.112.0.1
		ctl reload >/dev/null
		wait_for 5 _gw_gone 10.112.0.3
		;;
	plain) plain_linux_weights 1 1 ;;
	esac
	ct_flush
}

part_kept() {
	local impl ch n conn died d0 d1 rc
	: >"$RES/kept.txt"
	for impl in ecmpd plain; do
		section "2. connections kept: $impl"
		if [ $impl = ecmpd ]; then
			seed_config "$CFG" 10.111.0.1,10.112.0.1
			# The OS owns the uplink addresses, as on a real router:
			# a stop removes only what ecmpd added, and the kernel
			# drops the connections masqueraded to an address that
			# goes (docs/design.md, "Stop and restart").
			router_addresses
			if ! ecmpd_up "$CFG"; then
				for ch in reversed weights added reload restart; do
					echo "ecmpd $ch 0 0 0 error:start" >>"$RES/kept.txt"
				done
				stop_ecmpd
				continue
			fi
		else
			plain_linux_setup 1 1
		fi
		n=0
		for ch in reversed weights added reload restart; do
			n=$((n + 1))
			kept_base $impl
			longflow_start "k$impl$n" 0 40 --src "$SRC0" --duration 90 --stall 3
			conn=$(longflow_get "k$impl$n" connected)
			kept_settle "k$impl$n"
			d0=$(($(isp_drops 1) + $(isp_drops 2)))
			kept_change $impl $ch >>"$RES/kept-$impl.log" 2>&1
			rc=$?
			kept_settle "k$impl$n"
			sleep 1
			kept_settle "k$impl$n"
			died=$(longflow_get "k$impl$n" died)
			d1=$(($(isp_drops 1) + $(isp_drops 2)))
			longflow_stop "k$impl$n"
			log "kept: $impl $ch: connected $conn, died $died, ISP drops $((d1 - d0)), change rc $rc"
			echo "$impl $ch ${conn:-0} ${died:-0} $((d1 - d0)) rc:$rc" >>"$RES/kept.txt"
		done
		if [ $impl = ecmpd ]; then stop_ecmpd; fi
		plain_teardown
	done
	ct_flush
}

# ---------------------------------------------------------------- 3. data path
data_servers() {
	mkdir -p "$LAB_TMP/www" "$LAB_TMP/nginx-tmp"
	echo ok >"$LAB_TMP/www/x"
	cat >"$LAB_TMP/nginx.conf" <<-EOF
	user root;
	worker_processes 1;
	pid $LAB_TMP/nginx.pid;
	error_log $LAB_TMP/nginx-error.log;
	daemon off;
	events { worker_connections 8192; }
	http {
		access_log off;
		client_body_temp_path $LAB_TMP/nginx-tmp/body;
		proxy_temp_path $LAB_TMP/nginx-tmp/proxy;
		fastcgi_temp_path $LAB_TMP/nginx-tmp/fcgi;
		uwsgi_temp_path $LAB_TMP/nginx-tmp/uwsgi;
		scgi_temp_path $LAB_TMP/nginx-tmp/scgi;
		keepalive_timeout 0;
		server { listen 198.51.100.1:80 backlog=8192 reuseport; root $LAB_TMP/www; }
	}
	EOF
	_sysctl "$NS_INET" net.core.somaxconn 8192
	_sysctl "$NS_INET" net.ipv4.tcp_max_syn_backlog 8192
	_sysctl "${NS_HOSTS[0]}" net.ipv4.ip_local_port_range "1024 65000"
	_sysctl "${NS_HOSTS[0]}" net.ipv4.tcp_tw_reuse 1
	lab_bg "$NS_INET" "$LAB_TMP/nginx.log" nginx -c "$LAB_TMP/nginx.conf" -e "$LAB_TMP/nginx-error.log"
	lab_bg "$NS_INET" "$LAB_TMP/iperf3.log" iperf3 -s -B 198.51.100.1
	sleep 1
}

data_setup() { # a|b|c
	case $1 in
	a) setup_single ;;
	b) plain_linux_setup 1 1 ;;
	c) ecmpd_up "$SRCDIR/examples/seed.rsc" ;;
	esac
}
data_teardown() {
	case $1 in
	a | b) plain_teardown ;;
	c) stop_ecmpd; ct_flush ;;
	esac
}

# _ticks PID: utime+stime of PID in clock ticks
_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# data_one REP CFG: wrk, then iperf3; appends "REP CFG conn/s errors bit/s
# loadavg ecmpd-ticks" to data.txt (ecmpd's CPU ticks during both, for c)
data_one() { # REP CFG
	local r=$1 c=$2 w ip cps errs bps load e0=0 e1=0
	load=$(cut -d' ' -f1 /proc/loadavg)
	[ "$c" = c ] && [ -n "$ECMPD_PID" ] && e0=$(_ticks "$ECMPD_PID")
	w=$(host 0 wrk -t1 -c32 -d"${DUR}s" -H 'Connection: close' http://198.51.100.1/x 2>&1)
	echo "$w" >"$RES/wrk-$r-$c.txt"
	cps=$(echo "$w" | awk '/Requests\/sec/ { print $2 }')
	errs=$(echo "$w" | awk '/Socket errors/ { gsub(",", ""); e += $4 + $6 + $8 + $10 } /Non-2xx/ { e += $NF } END { print e + 0 }')
	rt conntrack -F >/dev/null 2>&1
	sleep 0.5
	ip=$(host 0 iperf3 -c 198.51.100.1 -t "$DUR" -O 1 -J 2>&1)
	echo "$ip" >"$RES/iperf-$r-$c.json"
	bps=$(echo "$ip" | "$PYTHON" -c 'import json,sys
try: print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])
except Exception: print(0)')
	[ "$c" = c ] && [ -n "$ECMPD_PID" ] && e1=$(_ticks "$ECMPD_PID")
	log "data: round $r ($c): ${cps:-0} conn/s (errors ${errs:-0}), $(awk -v b="$bps" 'BEGIN{printf "%.2f", b/1e9}') Gbit/s, load $load, ecmpd ticks $((e1 - e0))"
	echo "$r $c ${cps:-0} ${errs:-0} ${bps:-0} $load $((e1 - e0))" >>"$RES/data.txt"
}

part_data() {
	section "3. data path: $REPS rounds of a b c, ${DUR} s each"
	data_servers
	: >"$RES/data.txt"
	local r c
	for r in $(seq 1 "$REPS"); do
		for c in a b c; do
			if data_setup $c; then
				ct_flush
				data_one "$r" $c
			else
				echo "$r $c 0 setup-failed 0" >>"$RES/data.txt"
			fi
			data_teardown $c
		done
	done
}

# ---------------------------------------------------------------- 4. flush
part_flush() {
	section "4. flush: 100 000 conntrack entries, $FLUSH_REPS rounds"
	: >"$RES/flush.txt"
	local r m t0 t1 res b1 b2 a1 a2 bad
	for r in $(seq 1 "$FLUSH_REPS"); do
		for m in ecmpd conntrack-D; do
			ct_flush
			bad=$(( $(rt "$PYTHON" "$BENCH_DIR/ctfill.py" 50000 0x100 1) + $(rt "$PYTHON" "$BENCH_DIR/ctfill.py" 50000 0x200 2) ))
			b1=$(rt "$LAB_TMP/ctflush" count 0x100 0xff00)
			b2=$(rt "$LAB_TMP/ctflush" count 0x200 0xff00)
			t0=$EPOCHREALTIME
			if [ $m = ecmpd ]; then
				res=$(rt "$LAB_TMP/ctflush" flush 0x100 0xff00)
			else
				rt conntrack -D -m 0x100/0xff00 >/dev/null 2>&1
				res="- -"
			fi
			t1=$EPOCHREALTIME
			a1=$(rt "$LAB_TMP/ctflush" count 0x100 0xff00)
			a2=$(rt "$LAB_TMP/ctflush" count 0x200 0xff00)
			local ext
			ext=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
			log "flush $r $m: wall $ext ms (inside: $res); 0x100 $b1 -> $a1, 0x200 $b2 -> $a2; fill errors $bad"
			echo "$r $m $ext $res $b1 $b2 $a1 $a2 $bad" >>"$RES/flush.txt"
		done
	done
	ct_flush
}

# ---------------------------------------------------------------- 5. control plane
CP_MAX=64
cp_lab() {
	CP_RT=${LAB}cprt
	CP_GW=${LAB}cpgw
	_ns_add "$CP_RT" && _ns_add "$CP_GW" || return 1
	local i
	{
		for i in $(seq 1 $CP_MAX); do
			echo "link add wan$i type veth peer name gw$i netns $CP_GW"
			echo "link set wan$i up"
		done
	} | ip -n "$CP_RT" -batch - || return 1
	{
		for i in $(seq 1 $CP_MAX); do
			echo "link set gw$i up"
			echo "addr add 10.200.$i.1/24 dev gw$i"
		done
	} | ip -n "$CP_GW" -batch - || return 1
}

cp_config() { # N OUT [INTERVAL]
	local n=$1 i gws="" every=${3:-100ms}
	{
		echo "/ip address"
		for i in $(seq 1 "$n"); do echo "add address=10.200.$i.2/24 network=10.200.$i.0 interface=wan$i"; done
		for i in $(seq 1 "$n"); do gws="$gws${gws:+,}10.200.$i.1"; done
		echo
		echo "/ip route"
		echo "add dst-address=0.0.0.0/0 gateway=$gws check-gateway=ping"
		echo
		echo "/ip firewall nat"
		for i in $(seq 1 "$n"); do echo "add chain=srcnat out-interface=wan$i action=masquerade"; done
		echo
		echo "/routing settings"
		echo "set check-gateway-interval=$every"
	} >"$2"
}

cp_plain_files() { # N PREFIX: the same by hand (baseline)
	local n=$1 p=$2 i route="route add default"
	: >"$p.up"
	: >"$p.down"
	for i in $(seq 1 "$n"); do
		echo "addr add 10.200.$i.2/24 dev wan$i" >>"$p.up"
		echo "addr del 10.200.$i.2/24 dev wan$i" >>"$p.down"
		route="$route nexthop via 10.200.$i.1 dev wan$i"
	done
	echo "$route" >>"$p.up"
	echo "route del default" >>"$p.down"
	{
		echo "table ip plainbench {"
		echo " chain post {"
		echo "  type nat hook postrouting priority srcnat; policy accept;"
		for i in $(seq 1 "$n"); do echo "  oifname \"wan$i\" masquerade"; done
		echo " }"
		echo "}"
	} >"$p.nft"
}

part_ctl() {
	section "5. control plane: apply/reload with 2, 16, 64 uplinks; 16 uplinks at 10 Hz for ${IDLE_SECS} s"
	if ! cp_lab; then
		echo '{"error": "could not build the 64-uplink namespaces"}' >"$RES/ctl-error.json"
		return
	fi
	local n
	for n in 2 16 64; do
		cp_config "$n" "$LAB_TMP/cp$n.rsc"
		cp_plain_files "$n" "$LAB_TMP/cpplain$n"
		ip netns exec "$CP_RT" "$PYTHON" "$BENCH_DIR/ctlplane.py" apply "$ECMPD" "$ECMPCTL" \
			"$LAB_TMP/cp$n.rsc" "$LAB_TMP/cp.sock" "$RES/cp-ecmpd.log" 3 5 >"$RES/ctl-apply-$n.json"
		ip netns exec "$CP_RT" "$PYTHON" "$BENCH_DIR/ctlplane.py" plain "$LAB_TMP/cpplain$n.up" \
			"$LAB_TMP/cpplain$n.nft" "$LAB_TMP/cpplain$n.down" 3 >"$RES/ctl-plain-$n.json"
		log "control plane $n uplinks: $(cat "$RES/ctl-apply-$n.json") plain: $(cat "$RES/ctl-plain-$n.json")"
	done
	ip netns exec "$CP_RT" "$PYTHON" "$BENCH_DIR/ctlplane.py" idle "$ECMPD" "$LAB_TMP/cp16.rsc" \
		"$LAB_TMP/cp.sock" "$RES/cp-ecmpd.log" 3 "$IDLE_SECS" >"$RES/ctl-idle.json"
	log "16 uplinks at 10 Hz: $(cat "$RES/ctl-idle.json")"
	# the same cost at scale: more uplinks, a faster rate (half as long)
	ip netns exec "$CP_RT" "$PYTHON" "$BENCH_DIR/ctlplane.py" idle "$ECMPD" "$LAB_TMP/cp64.rsc" \
		"$LAB_TMP/cp.sock" "$RES/cp-ecmpd.log" 3 $((IDLE_SECS / 2)) >"$RES/ctl-idle-64x10.json"
	log "64 uplinks at 10 Hz: $(cat "$RES/ctl-idle-64x10.json")"
	cp_config 16 "$LAB_TMP/cp16x50.rsc" 20ms
	ip netns exec "$CP_RT" "$PYTHON" "$BENCH_DIR/ctlplane.py" idle "$ECMPD" "$LAB_TMP/cp16x50.rsc" \
		"$LAB_TMP/cp.sock" "$RES/cp-ecmpd.log" 3 $((IDLE_SECS / 2)) >"$RES/ctl-idle-16x50.json"
	log "16 uplinks at 50 Hz: $(cat "$RES/ctl-idle-16x50.json")"
}

# ---------------------------------------------------------------- 6. scale
# ecmpd -n and --plan on 10 000 and 100 000 generated routes (plan_scale.sh)
part_scale() {
	section "6. config and plan: 10 000 and 100 000 routes"
	ECMPD=$ECMPD OUT=$RES/scale.txt bash "$BENCH_DIR/plan_scale.sh" 10000 100000 ||
		log "plan_scale.sh failed"
}

# ---------------------------------------------------------------- 7. routes
. "$BENCH_DIR/routes.sh"

# ---------------------------------------------------------------- 8. conntrack scale
. "$BENCH_DIR/conntrack.sh"

# ---------------------------------------------------------------- 9. HA pair
# Router failover of a pair (bench/ha.sh, its own namespaces): keepalived's
# default advert interval (1 s) and a sub-second one.
part_ha() {
	local a
	for a in 1 "$HA_FAST_ADVERT"; do
		section "9. HA pair: $HA_ROUNDS rounds, advert_int $a"
		bash "$BENCH_DIR/ha.sh" "$a" "$HA_ROUNDS" "$RES/ha.txt" ||
			echo "ha $a error" >>"$RES/ha.txt"
	done
}

# ---------------------------------------------------------------- run
# Everything runs from bench_main, called on the script's last line, so bash
# has parsed the whole file before the first measurement starts.
bench_main() {
	[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (network namespaces)"; exit 1; }
	bench_deps
	export PATH=$PATH:/usr/sbin:/sbin
	[ -x "$ECMPD" ] && [ -x "$ECMPCTL" ] || { echo "bench: $ECMPD not built (make build)"; exit 1; }

	. "$SRCDIR/tests/lab/lib.sh"
	. "$SRCDIR/tests/lab/lib_faults.sh"
	lab_require_root
	RES=$LAB_TMP/res
	mkdir -p "$RES"

	# ctflush links the daemon's own conntrack code, as built by meson.
	gcc -O2 -D_GNU_SOURCE -std=gnu11 -I"$SRCDIR/src" "$BENCH_DIR/ctflush.c" \
		"$BUILDDIR/libecmpd-kernel.a" "$BUILDDIR/libecmpd-base.a" \
		$(pkg-config --cflags --libs libmnl libnftables libnetfilter_conntrack) \
		-o "$LAB_TMP/ctflush" || exit 1

	lab_up
	lan_extra_addresses
	# the third gateway of "a gateway added"
	nsx "$NS_ISP2" ip addr add 10.112.0.3/24 dev cust
	SRC0=$(lan_sources 0 | tr ' ' ',' | sed 's/,$//')
	CFG=$LAB_TMP/seed.rsc
	GW2x5=10.112.0.1,10.112.0.1,10.112.0.1,10.112.0.1,10.112.0.1

	{
		echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "kernel=$(uname -r)"
		echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
		echo "commit=$(git -C "$SRCDIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
		echo "cycles=$CYCLES"
		echo "reps=$REPS"
		echo "dur=$DUR"
		echo "idle_secs=$IDLE_SECS"
	} >"$RES/meta.txt"

	for p in $PARTS; do
		"part_$p"
	done
	echo "seconds=$(($(date +%s) - BENCH_T0))" >>"$RES/meta.txt"
	cp "$ECMPD_LOG" "$RES/ecmpd.log" 2>/dev/null
	if [ -n "${KEEP_RAW:-}" ]; then
		rm -rf "$KEEP_RAW" && cp -r "$RES" "$KEEP_RAW" && echo "raw results in $KEEP_RAW"
	fi
	"$PYTHON" "$BENCH_DIR/report.py" "$RES" "$OUT"
}

bench_main "$@"; exit $?
