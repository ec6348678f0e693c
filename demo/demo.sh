#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# demo/demo.sh - the seed's network, live, in network namespaces.
#
# Builds the lab of tests/lab/lib.sh (four LAN hosts, the router with
# Local/wlan1/wlan2, ISP1 and ISP2 that drop spoofed sources, an internet
# host), runs ecmpd on examples/seed.rsc verbatim, and tells the story:
# balance, ISP1 going dark, ISP1 returning, a reload to the 1:5 weights,
# and a summary of what was measured. Everything is torn down at the end,
# also on Ctrl-C or failure; --keep leaves the lab up to look around.
#
# Usage: demo/demo.sh [--keep]   (as root; ECMPD/ECMPCTL override the
# binaries, default build/ecmpd and build/ecmpctl)
#        demo/demo.sh --ha        a pair of routers instead (demo/ha.sh)

set -u
DEMO_DIR=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$DEMO_DIR/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
TEST_NAME=demo
for arg in "$@"; do
	case $arg in
	--keep) export KEEP=1 ;;
	--ha) exec bash "$DEMO_DIR/ha.sh" ;;
	-h | --help)
		sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "demo: unknown argument $arg" >&2
		exit 2
		;;
	esac
done

# shellcheck source=../tests/lab/lib.sh
. "$SRCDIR/tests/lab/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "demo: the live lab needs root (network namespaces)."
	echo "Without it, here is the check and the kernel plan for examples/seed.rsc:"
	"$ECMPD" -n -f "$SRCDIR/examples/seed.rsc" && echo "examples/seed.rsc: ok"
	exec "$ECMPD" --plan -f "$SRCDIR/examples/seed.rsc"
fi
lab_require_root

BOLD=$'\033[1m'
DIM=$'\033[2m'
RESET=$'\033[0m'
TTY=0
if [ -t 1 ]; then TTY=1; else BOLD="" DIM="" RESET=""; fi

step() { printf '\n%s== %s ==%s\n' "$BOLD" "$*" "$RESET"; }
say() { printf '   %s\n' "$*"; }

# tx_bytes IF: bytes sent by the router on IF
tx_bytes() {
	rt ip -s -j link show dev "$1" | "$PYTHON" -c \
		'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["bytes"])'
}

# One dashboard line per uplink: state, RTT, loss, pinned connections and
# the bytes per second it carried since the last call.
declare -A LAST_TX
dashboard() {
	local now status
	now=$(now_ms)
	status=$(ctl -j status) || return
	local ifc
	for ifc in wlan1 wlan2; do
		local tx rate=0
		tx=$(tx_bytes "$ifc")
		if [ -n "${LAST_TX[$ifc]:-}" ]; then
			rate=$(((tx - ${LAST_TX[$ifc]%:*}) * 1000 / (now - ${LAST_TX[$ifc]#*:} + 1)))
		fi
		LAST_TX[$ifc]="$tx:$now"
		"$PYTHON" -c 'import json,sys
s = json.loads(sys.argv[1])
for u in s["uplinks"]:
    if u["interface"] == sys.argv[2]:
        print("   %-6s %-11s %-8s rtt %6.2f ms  loss %5.1f%%  connections %4d  %8.1f KB/s" % (
            u["interface"], u["gateway"], u["state"], u["rtt_ms"], u["loss_pct"],
            u["connections"], int(sys.argv[3]) / 1000.0))' "$status" "$ifc" "$rate"
	done
}

# watch SECONDS: the dashboard, refreshed every second
watch_dashboard() {
	local i
	for i in $(seq 1 "$1"); do
		[ "$TTY" = 1 ] && [ "$i" -gt 1 ] && printf '\033[2A'
		dashboard
		[ "$TTY" = 0 ] && [ "$i" -lt "$1" ] && echo "   ${DIM}--${RESET}"
		sleep 1
	done
}

# split FILE: "<n ok> <n via ISP1> <n via ISP2> <n failed>" of a short_conns run
split() {
	"$PYTHON" -c 'import json,sys
r = json.load(open(sys.argv[1]))
ok = [c for c in r if c["ok"]]
print(len(ok), sum(c["seen"] == "10.111.0.2" for c in ok),
      sum(c["seen"] == "10.112.0.2" for c in ok), len(r) - len(ok))' "$1"
}

alive_total() {
	local n=0 f v
	for f in lf0 lf1 lf2 lf3; do
		v=$(longflow_get "$f" alive)
		n=$((n + ${v:-0}))
	done
	echo "$n"
}

# alive_via ADDR: long-lived connections alive that the server saw from ADDR
alive_via() {
	local n=0 f v
	for f in lf0 lf1 lf2 lf3; do
		v=$("$PYTHON" -c 'import json,sys
s = json.load(open(sys.argv[1]))
print(sum(1 for c in s["conns"] if c["alive"] and c["seen"] == sys.argv[2]))' \
			"$(longflow_file "$f")" "$1" 2>/dev/null)
		n=$((n + ${v:-0}))
	done
	echo "$n"
}

gateway_state() { ecmpd_uplink_field "$1" state; }

# changed_at GATEWAY: when (now_ms clock) the gateway entered its state,
# from ecmpd's own "since", so polling does not add to the measurement
changed_at() {
	local since
	since=$(ecmpd_uplink_field "$1" since_s)
	"$PYTHON" -c "print($(now_ms) - int(float('$since') * 1000))"
}
is_state() { [ "$(gateway_state "$1")" = "$2" ]; }

step "Building the seed's network in namespaces (prefix $LAB)"
lab_up
lan_extra_addresses
CONFIG=$LAB_TMP/router.rsc
cp "$SRCDIR/examples/seed.rsc" "$CONFIG"
say "LAN hosts 192.168.0.10-49 -- Local -- router -- wlan1/wlan2 -- ISP1/ISP2 (drop spoofed sources) -- internet 198.51.100.1-64"
say "ecmpd -f router.rsc   (examples/seed.rsc, verbatim:)"
sed 's/^/      /' "$CONFIG"
start_ecmpd "$CONFIG" || { echo "demo: ecmpd did not start" >&2; exit 1; }
wait_for 5 is_state 10.111.0.1 up
wait_for 5 is_state 10.112.0.1 up

step "1. Traffic from the LAN spreads over both uplinks"
for h in 0 1 2 3; do
	longflow_start "lf$h" "$h" 10 --duration 600 >/dev/null
done
say "40 long-lived TCP connections from the LAN hosts, and a burst of short ones:"
short_conns "$LAB_TMP/burst1.json" --per-pair 1 >/dev/null 2>&1
read -r ok1 via1 via2 fail1 < <(split "$LAB_TMP/burst1.json")
say "short connections: $ok1 ok ($via1 via ISP1, $via2 via ISP2), $fail1 failed"
say "long-lived: $(alive_via 10.111.0.2) via ISP1, $(alive_via 10.112.0.2) via ISP2"
kept1=$(alive_via 10.111.0.2)
watch_dashboard 5

step "2. ISP1 goes dark (its link stays up)"
t0=$(now_ms)
isp_blackout 1
wait_for 10 is_state 10.111.0.1 down
t_down=$(($(changed_at 10.111.0.1) - t0))
say "ecmpd took 10.111.0.1 out of the balance after ${BOLD}${t_down} ms${RESET}"
say "$(grep -a 'up -> down' "$ECMPD_LOG" | tail -n 1 | sed 's/^ecmpd: //')"
wait_for 5 grep -aq '10.111.0.1 (wlan1): flushed' "$ECMPD_LOG"
say "$(grep -a '10.111.0.1 (wlan1): flushed' "$ECMPD_LOG" | tail -n 1 | sed 's/^ecmpd: //')"
short_conns "$LAB_TMP/burst2.json" --per-pair 1 >/dev/null 2>&1
read -r ok2 via1b via2b fail2 < <(split "$LAB_TMP/burst2.json")
say "new connections: $ok2 ok, all via ISP2: $via2b; via ISP1: $via1b; failed: $fail2"
kept2=$(alive_via 10.112.0.2)
say "long-lived connections on ISP2 still running: $kept2; the $kept1 pinned to ISP1 were"
say "deleted from conntrack at once: their clients get an error now, not a hang"
watch_dashboard 3

step "3. ISP1 comes back"
t0=$(now_ms)
isp_restore 1
wait_for 15 is_state 10.111.0.1 up
t_up=$(($(changed_at 10.111.0.1) - t0))
say "10.111.0.1 rejoined for new connections after ${BOLD}${t_up} ms${RESET} (5 replies in a row)"
short_conns "$LAB_TMP/burst3.json" --per-pair 1 >/dev/null 2>&1
read -r ok3 via1c via2c fail3 < <(split "$LAB_TMP/burst3.json")
say "new connections: $ok3 ok ($via1c via ISP1, $via2c via ISP2), $fail3 failed"
kept3=$(alive_via 10.112.0.2)
say "long-lived connections that stayed on ISP2 the whole time: $kept3 of $kept2 (none moved)"
watch_dashboard 3

step "4. Reload to the seed's 1:5 weights (examples/seed-weighted.rsc)"
before4=$(alive_total)
cp "$SRCDIR/examples/seed-weighted.rsc" "$CONFIG"
ctl reload | sed 's/^/   /'
short_conns "$LAB_TMP/burst4.json" --per-pair 1 >/dev/null 2>&1
read -r ok4 via1d via2d fail4 < <(split "$LAB_TMP/burst4.json")
pct2=$("$PYTHON" -c "print(round(100.0 * $via2d / max(1, $ok4), 1))")
say "new connections: $ok4 ok, $via1d via ISP1, $via2d via ISP2 = ${BOLD}${pct2}%${RESET} via ISP2 (1:5 is 83.3%)"
longflow_settle lf0 5 >/dev/null 2>&1 || true
after4=$(alive_total)
say "long-lived connections alive: $before4 before the reload, $after4 after"
watch_dashboard 3

drops1=$(isp_drops 1)
drops2=$(isp_drops 2)
step "5. Summary"
printf '   %-52s %s\n' "what" "measured"
printf '   %-52s %s\n' "balance: new connections via ISP1 / ISP2" "$via1 / $via2 of $ok1"
printf '   %-52s %s\n' "ISP1 dark -> out of the balance" "$t_down ms"
printf '   %-52s %s\n' "new connections while ISP1 dark (ok, via ISP2)" "$ok2 ok, $via2b via ISP2, $fail2 failed"
printf '   %-52s %s\n' "ISP1 back -> in the balance again" "$t_up ms"
printf '   %-52s %s\n' "long-lived on ISP2 kept through failover and return" "$kept3 of $kept2"
printf '   %-52s %s\n' "reload to 1:5: share via ISP2" "$pct2% (goal 83.3%)"
printf '   %-52s %s\n' "long-lived kept through the reload" "$after4 of $before4"
printf '   %-52s %s\n' "packets the ISPs dropped for a wrong source" "$drops1 + $drops2"
echo
if [ "${KEEP:-0}" = 1 ]; then
	say "The lab stays up (--keep). Look around:"
	say "  ip netns exec $NS_RT $ECMPCTL -s $ECMPD_SOCK status"
	say "  ip netns exec $NS_RT nft list table ip ecmpd"
	say "  ip netns exec $NS_RT ip rule; ip netns exec $NS_RT ip route show table all"
	say "Remove it with: for n in \$(ip netns list | awk '/^$LAB/{print \$1}'); do ip netns del \$n; done"
fi
stop_ecmpd
say "ecmpd stopped; tearing the lab down."
