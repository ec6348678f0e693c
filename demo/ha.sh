#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# demo/ha.sh - `make demo ARGS=--ha`: a pair of ecmpd routers, live, through
# a router failure and back (docs/ha.md).
#
# Builds the pair of tests/lab/lib_ha.sh (a LAN host, two routers on the
# LAN switch and on both ISPs' switches, a sync link between them), runs
# keepalived, conntrackd and ecmpd --ha on examples/ha in each router,
# opens long-lived TCP connections from the LAN, says who is master, cuts
# the master's links, shows the backup taking over with the connections
# alive and on the uplinks they had, restores the links and shows the
# failback. Everything is torn down at the end, also on Ctrl-C or failure.
#
# Usage: demo/ha.sh   (as root; demo/demo.sh --ha calls it; ECMPD and
# ECMPCTL override the binaries, default build/ecmpd and build/ecmpctl)

set -u
DEMO_DIR=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$DEMO_DIR/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
TEST_NAME=demo-ha
FLOWS=40
# Router 1 waits 6 s before it takes back over, for conntrackd to resync
# it first (docs/ha.md, failback); HA_PREEMPT_DELAY= (empty) shows the
# failback without the wait.
export HA_PREEMPT_DELAY=${HA_PREEMPT_DELAY-6}

# shellcheck source=../tests/lab/lib.sh
. "$SRCDIR/tests/lab/lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "demo: the pair needs root (network namespaces)."
	exit 1
fi
lab_require_root
need keepalived conntrackd
# shellcheck source=../tests/lab/lib_ha.sh
. "$SRCDIR/tests/lab/lib_ha.sh"

BOLD=$'\033[1m'
RESET=$'\033[0m'
[ -t 1 ] || BOLD="" RESET=""
step() { printf '\n%s== %s ==%s\n' "$BOLD" "$*" "$RESET"; }
say() { printf '   %s\n' "$*"; }

FLOWFILE=$LAB_TMP/flows.json
flows() { "$PYTHON" "$LAB_DIR_SELF/flows.py" "$@"; }
alive() { flows get "$FLOWFILE" alive; }
# per_uplink: "n1 n2", live connections the server saw from ISP1's and
# ISP2's virtual address
per_uplink() {
	"$PYTHON" -c 'import collections, json, sys
n = collections.Counter(c["seen"] for c in json.load(open(sys.argv[1]))["conns"] if c["alive"])
print(n.get("10.111.0.10", 0), n.get("10.112.0.10", 0))' "$FLOWFILE"
}
roles() { echo "router 1: $(role_of 1), router 2: $(role_of 2)"; }
# pin_names N: router N's conntrack pins by uplink name
pin_names() {
	pins "$1" | sed -e 's/\b1:/wlan1 (ISP1): /g' -e 's/\b2:/wlan2 (ISP2): /g'
}
replicated() {
	[ "$(r 2 conntrackd -C "$LAB_TMP/r2/conntrackd.conf" -e ct 2>/dev/null |
		grep -c 'dport=8000')" -ge "$FLOWS" ]
}
connect_ok() {
	ip netns exec "$NS_H" "$PYTHON" "$LAB_DIR_SELF/tcpconnect.py" 198.51.100.8 8000 0.3 |
		grep -q '^OK'
}

step "Building the pair in namespaces (prefix $LAB)"
ha_up
configure 1
configure 2
say "h0 192.168.0.10 -- LAN switch -- r1 (priority 150) and r2 (priority 100)"
say "  r1, r2 -- ISP1's switch (virtual 10.111.0.10) and ISP2's (virtual 10.112.0.10)"
say "  r1 == sync link 10.255.0.0/30 == r2 (conntrackd FTFW)"
say "ISPs drop anything from their customers not from the virtual address"
say "ecmpd -n --ha: $("$ECMPD" -n --ha -f "$HA/ha.rsc" 2>/dev/null)"
start_daemons 1
start_daemons 2
start_keepalived 1 || { echo "demo: router 1's daemons did not start" >&2; exit 1; }
start_keepalived 2 || { echo "demo: router 2's daemons did not start" >&2; exit 1; }
wait_for 20 role_is 1 master || { echo "demo: no master" >&2; exit 1; }
ctlr 1 peer-hash "$(ctlr 2 hash)" >/dev/null
ctlr 2 peer-hash "$(ctlr 1 hash)" >/dev/null
say "$(roles)"
say "config hashes: r1 $(ctlr 1 hash), r2 $(ctlr 2 hash); mismatch: $(ctlr 2 -j status | jq -r .config_mismatch)"

step "1. $FLOWS long-lived connections from the LAN, through router 1"
lab_bg "$NS_H" "$LAB_TMP/flows.log" "$PYTHON" "$LAB_DIR_SELF/longflow.py" --count "$FLOWS" \
	--dst "$(seq -s, -f '198.51.100.%g' 1 8)" --status "$FLOWFILE" \
	--interval 0.2 --stall 15 --keepalive 1 --duration 600
wait_for 20 longflow_connected flows "$FLOWS" || { echo "demo: the connections did not open" >&2; exit 1; }
wait_for 10 replicated
read -r n1 n2 < <(per_uplink)
say "alive: $(alive) of $FLOWS; the server sees $n1 from ISP1's and $n2 from ISP2's virtual address"
say "router 1 pins (conntrack marks): $(pin_names 1)"
say "conntrackd replicated them to router 2's external cache"
D1=$(isp_spoofed 1) D2=$(isp_spoofed 2)

step "2. Router 1 dies: its links are cut"
t0=$(now_ms)
set_links 1 down
wait_for 20 role_is 2 master
t_master=$(($(now_ms) - t0))
wait_for 20 connect_ok
t_new=$(($(now_ms) - t0))
T_AFTER=$EPOCHREALTIME
wait_for 25 flows settled "$FLOWFILE" "$T_AFTER"
say "$(roles)"
say "router 2 master after ${BOLD}${t_master} ms${RESET}; new connections work after ${BOLD}${t_new} ms${RESET}"
read -r m1 m2 < <(per_uplink)
kept_fo=$(alive)
say "alive: ${BOLD}$kept_fo of $FLOWS${RESET}, echoing through router 2; via ISP1 $m1 (was $n1), ISP2 $m2 (was $n2)"
say "router 2 pins: $(pin_names 2)   (router 1 had: $(pin_names 1))"
say "$(grep -a 'role master' "$LAB_TMP/r2/ecmpd.log" | tail -n 1 | sed 's/^ecmpd: //' | cut -c1-110)"
wait_for 10 role_is 1 fault && say "router 1 (links cut): ecmpctl check fails, its role is fault; it flushed $(ctlr 1 -j status | jq .connections_flushed) connections"

step "3. Router 1 comes back: failback (priority 150 > 100; preempt_delay ${HA_PREEMPT_DELAY:-none})"
t0=$(now_ms)
set_links 1 up
wait_for 30 role_is 1 master
t_back=$(($(now_ms) - t0))
T_AFTER=$EPOCHREALTIME
wait_for 25 flows settled "$FLOWFILE" "$T_AFTER"
say "$(roles)"
read -r b1 b2 < <(per_uplink)
kept_fb=$(alive)
say "router 1 master again after ${BOLD}${t_back} ms${RESET}"
say "alive: ${BOLD}$kept_fb of $FLOWS${RESET}, echoing through router 1; via ISP1 $b1, ISP2 $b2"
say "router 1 pins: $(pin_names 1)"

step "4. Summary"
printf '   %-52s %s\n' "what" "measured"
printf '   %-52s %s\n' "router 1 cut -> router 2 master" "$t_master ms"
printf '   %-52s %s\n' "router 1 cut -> new connections work" "$t_new ms"
printf '   %-52s %s\n' "long-lived kept through the failover" "$kept_fo of $FLOWS (ISP1/ISP2 $m1/$m2, before $n1/$n2)"
printf '   %-52s %s\n' "router 1 back -> master again" "$t_back ms"
printf '   %-52s %s\n' "long-lived kept through the failback" "$kept_fb of $FLOWS (ISP1/ISP2 $b1/$b2)"
printf '   %-52s %s\n' "packets the ISPs dropped for a wrong source" "$(($(isp_spoofed 1) - D1)) + $(($(isp_spoofed 2) - D2))"
echo
say "Stopping keepalived, conntrackd and ecmpd; tearing the lab down."
