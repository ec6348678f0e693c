#!/bin/bash
# SPDX-License-Identifier: MIT
# t_devices.sh - the daemon checks a config's bridges, VLANs and bridge
# ports against the links Linux has (src/config/syscheck.c): ecmpd runs
# tests/config/interface-devices.rsc in a throw-away namespace where
# bridge-lan exists with port ether3, ether1 (the renamed WAN1) exists,
# vlan35 is a veth instead of a VLAN, vlan36 is missing and ether4 is in
# no bridge. Each mismatch is a warning at its line; after the box is
# fixed, a reload no longer reports it; --strict refuses to start on one.
# (This machine's kernel has no 802.1Q module, so a real VLAN's id and
# parent are checked by tests/unit/test_config.c, not here.) The host's
# interfaces are never touched.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_ns.sh"

require_root
[ -n "${ECMPD:-}" ] && [ -n "${ECMPCTL:-}" ] || bail "ECMPD and ECMPCTL name the binaries"
need ip "$ECMPD" "$ECMPCTL"

NS=ecmpd-devices-$$
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
at_exit cleanup

ns_up "$NS" ether1 ether3 ether4 vlan35
ip -n "$NS" link add bridge-lan type bridge || bail "bridge"
ip -n "$NS" link set bridge-lan up
ip -n "$NS" link set ether3 master bridge-lan || bail "bridge port"

cd "$SRCDIR/tests/config" || bail "cd tests/config"
CONF=interface-devices.rsc
SOCK=$T_TMP/ecmpd.sock
LOG=$T_TMP/ecmpd.log

check "--strict refuses the config while the box lacks its devices" \
	bash -c "! ip netns exec $NS '$ECMPD' --strict -f $CONF -s $SOCK >$T_TMP/strict.log 2>&1"
check "--strict names the missing VLAN at its line" \
	grep -q "^$CONF:10:25: warning: VLAN vlan36: Linux has no interface vlan36" "$T_TMP/strict.log"
check "--strict installed nothing" \
	bash -c "[ -z \"\$(ip -n $NS rule show | grep -v -e 'lookup local' -e 'lookup main' -e 'lookup default')\" ]"

ip netns exec "$NS" "$ECMPD" -f "$CONF" -s "$SOCK" -v >"$LOG" 2>&1 &
PID=$!
running() { ip netns exec "$NS" "$ECMPCTL" -s "$SOCK" status >/dev/null 2>&1; }
check "ecmpd runs on a box that differs from its config" wait_for 20 running
check "a veth named as a VLAN: a warning at the VLAN's name" \
	grep -q "^$CONF:9:25: warning: VLAN vlan35: Linux interface vlan35 is a veth, not a VLAN" "$LOG"
check "a missing VLAN: a warning at its line" \
	grep -q "^$CONF:10:25: warning: VLAN vlan36: Linux has no interface vlan36" "$LOG"
check "a port in no bridge: a warning at its interface" \
	grep -q "^$CONF:13:33: warning: bridge port ether4: Linux interface ether4 is in no bridge, not in bridge-lan" "$LOG"
check_eq "nothing said of the bridge, its port ether3 or WAN1 (ether1)" "" \
	"$(grep -E 'warning: (bridge bridge-lan|bridge port ether3|port WAN1|port ether1)' "$LOG")"

# the box is fixed: ether4 joins the bridge; the reload says so
ip -n "$NS" link set ether4 master bridge-lan
ip netns exec "$NS" "$ECMPCTL" -s "$SOCK" reload >"$T_TMP/reload.out" 2>&1
check "the reload still reports the missing VLAN" grep -q "10:25: warning: VLAN vlan36" "$T_TMP/reload.out"
check "the reload no longer reports ether4" bash -c "! grep -q 'ether4' $T_TMP/reload.out"

kill "$PID"
check "ecmpd stops" wait_for 20 bash -c "! kill -0 $PID 2>/dev/null"
PID=""
finish
