# SPDX-License-Identifier: MIT
# bench/conntrack.sh - part "ctscale" of `make bench` (sourced by run.sh):
# ecmpd with a large conntrack table (bench/README.md, 8). For each size in
# CT_SIZES (capped at 95 % of the namespace's nf_conntrack_max, which only
# the host may raise: the cap is reported), half the entries pinned to
# ISP1's uplink and half to ISP2's (bench/ctfill.py), with ecmpd running on
# the seed's config and its metrics listener on:
#   - `ecmpctl status`, `ecmpctl -j status`, a metrics scrape and
#     `ecmpctl print /ip route`, each CT_QUERIES times (median, ms);
#   - ISP1 blacked out: ecmpd flushes ISP1's half. The flush's own time (from
#     ecmpd's log), and the slowest answer of the control socket while it
#     ran (bench/ctsampler.py asks every 20 ms for something answered
#     without kernel work: a slow answer is a loop that could not probe),
#     and whether ISP2's half is untouched.
# Appends "N capped status_ms jstatus_ms metrics_ms print_ms flush_ms
# flushed max_answer_ms isp2_before isp2_after" lines to ctscale.txt.

CT_SIZES=${CT_SIZES:-"10000 100000 1000000"}
CT_QUERIES=${CT_QUERIES:-5}
CT_METRICS=127.0.0.1:9155

# ct_scrape: one GET /metrics, read to the end (bash's /dev/tcp, in the router)
ct_scrape() {
	rt bash -c 'exec 3<>/dev/tcp/${1%:*}/${1#*:} &&
		printf "GET /metrics HTTP/1.0\r\n\r\n" >&3 && cat <&3 >/dev/null' _ "$CT_METRICS"
}

ct_one() { # N
	local n=$1 max capped=no half id1 id2 s js m p t_flush flushed stop line
	local b2 a2 maxlat
	max=$(rt cat /proc/sys/net/netfilter/nf_conntrack_max)
	if [ "$n" -gt $((max * 95 / 100)) ]; then
		n=$((max * 95 / 100))
		capped=yes
	fi
	half=$((n / 2))
	ct_flush
	rt ip link set lo up
	start_ecmpd "$CFG" --metrics-listen "$CT_METRICS" || return 1
	[ "$(lf_wait_state "$GW1=up,$GW2=up" 15 2>/dev/null)" != timeout ] || { stop_ecmpd; return 1; }
	id1=$(ecmpd_uplink_id "$GW1")
	id2=$(ecmpd_uplink_id "$GW2")
	rt "$PYTHON" "$BENCH_DIR/ctfill.py" "$half" $((id1 << 8)) 1 >/dev/null
	rt "$PYTHON" "$BENCH_DIR/ctfill.py" "$half" $((id2 << 8)) 2 >/dev/null
	s=$(median_ms "$CT_QUERIES" ctl status)
	js=$(median_ms "$CT_QUERIES" ctl -j status)
	m=$(median_ms "$CT_QUERIES" ct_scrape)
	p=$(median_ms "$CT_QUERIES" ctl print /ip route)
	b2=$(rt "$LAB_TMP/ctflush" count $((id2 << 8)) 0xff00)
	stop=$LAB_TMP/ctsampler.stop
	rm -f "$stop"
	lab_bg "$NS_RT" "$RES/ctsampler-$n.log" "$PYTHON" "$BENCH_DIR/ctsampler.py" \
		"$ECMPD_SOCK" 20 "$RES/ctscale-answers-$n.txt" "$stop"
	local sampler=$LAB_LAST_PID
	wait_for 30 test -s "$RES/ctscale-answers-$n.txt" # it runs
	local l0
	l0=$(wc -l <"$ECMPD_LOG")
	isp_blackout 1
	wait_for 60 bash -c "tail -n +$l0 '$ECMPD_LOG' | grep -q 'wlan1): flushed'"
	touch "$stop"
	_wait_gone "$sampler" 35
	isp_restore 1
	line=$(tail -n +"$l0" "$ECMPD_LOG" | grep -m1 'wlan1): flushed')
	flushed=$(echo "$line" | sed -n 's/.*flushed \([0-9]*\) connections.*/\1/p')
	t_flush=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) ms.*/\1/p')
	a2=$(rt "$LAB_TMP/ctflush" count $((id2 << 8)) 0xff00)
	maxlat=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$RES/ctscale-answers-$n.txt")
	log "ctscale $n (capped: $capped): status $s ms, -j $js ms, metrics $m ms, print $p ms; flush $t_flush ms ($flushed), slowest answer meanwhile $maxlat ms; ISP2's $b2 -> $a2"
	echo "$n $capped $s $js $m $p ${t_flush:-nan} ${flushed:-0} $maxlat ${b2:-0} ${a2:-0}" >>"$RES/ctscale.txt"
	stop_ecmpd
	ct_flush
}

part_ctscale() {
	section "8. conntrack at $CT_SIZES entries"
	cp "$SRCDIR/examples/seed.rsc" "$CFG"
	: >"$RES/ctscale.txt"
	local n
	for n in $CT_SIZES; do
		ct_one "$n"
	done
}
