#!/bin/bash
# SPDX-License-Identifier: MIT
# t_ha_pair.sh - two ecmpd routers as a pair (docs/ha.md): keepalived and
# conntrackd from examples/ha in each router namespace, ecmpd --ha on
# examples/ha/ha.rsc in both.
#
# The topology is tests/lab/lib_ha.sh's (shared with demo/ha.sh and
# bench/ha.sh). Checks: r1 becomes master,
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

. "$(dirname "$0")/lib_ha.sh"

FLOWS=16

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
set_links 1 down
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
