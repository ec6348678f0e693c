#!/bin/bash
# SPDX-License-Identifier: MIT
# t_crash_restart.sh - fault matrix 16 (issue 11, item 3): ecmpd killed
# (SIGKILL) and restarted the way systemd runs systemd/ecmpd.service, then
# stopped: the router is as it was before the first start - the sysctl
# values ecmpd changed are back to their ORIGINAL values, the addresses it
# added are gone. That works only if the state file survives what systemd
# does between the crash and the restart.
#
# No systemd runs here (not PID 1 in a container), so this emulates, from
# the unit file itself, what systemd does with it:
#  - RuntimeDirectory=, RuntimeDirectoryMode=: the directory exists with
#    that mode before ExecStartPre; it is removed when the unit stops -
#    between an automatic restart's stop and start too - unless
#    RuntimeDirectoryPreserve= is yes (or restart, for a restart). /run/X
#    is a tmpfs of this test's own mount namespace (unshare -m), so the
#    host's /run/ecmpd is never touched; emptying it stands for removing
#    and creating it again.
#  - ExecStartPre=, ExecStart=: the unit's command lines (only the config
#    path /etc/ecmpd/ecmpd.rsc and @SBINDIR@ pointed at the lab's config and
#    the build), $ECMPD_OPTS from Environment=, the socket in the unit's
#    RuntimeDirectory; a clean environment (PATH, RUNTIME_DIRECTORY,
#    NOTIFY_SOCKET and the sanitizer's options only), UMask=, the
#    capability bounding set of CapabilityBoundingSet= and NoNewPrivileges=
#    (setpriv).
#  - Type=notify: started means READY=1 arrived on $NOTIFY_SOCKET.
#  - Restart=on-failure after SIGKILL; SIGTERM to stop (KillMode=mixed).
# What it does not emulate: the file system protections (ProtectSystem=
# and the like), the system call filter.
if [ -z "${T_CRASH_MOUNT_NS:-}" ] && [ "$(id -u)" = 0 ]; then
	mkdir -p /run/ecmpd
	exec env T_CRASH_MOUNT_NS=1 unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"
lab_require_root
lab_require_ecmpd
need setpriv unshare

UNIT_FILE=$SRCDIR/systemd/ecmpd.service
# unit_value KEY: the last KEY= line's value in the unit ("" when none)
unit_value() { sed -n "s/^$1=//p" "$UNIT_FILE" | tail -1; }

RT_NAME=$(unit_value RuntimeDirectory)
RT_MODE=$(unit_value RuntimeDirectoryMode)
RT_PRESERVE=$(unit_value RuntimeDirectoryPreserve)
RT_DIR=/run/$RT_NAME
UMASK=$(unit_value UMask)
OPTS=$(unit_value Environment | sed -n 's/^ECMPD_OPTS=//p')
CAPS=$(unit_value CapabilityBoundingSet)
NNP=$(unit_value NoNewPrivileges)
log "unit: RuntimeDirectory=$RT_NAME (mode $RT_MODE, preserve '${RT_PRESERVE:-no}'), UMask=$UMASK, caps '$CAPS', NoNewPrivileges=$NNP"
check "the unit names its runtime directory" test -n "$RT_NAME"
check "its runtime directory is a tmpfs of this test's own mount namespace" \
	mount -t tmpfs -o "mode=${RT_MODE:-0755},size=4m" ecmpd-test "$RT_DIR" || finish

lab_up
CONF=$LAB_TMP/ecmpd.rsc
cp "$SRCDIR/examples/seed.rsc" "$CONF"
# unit_cmd KEY: the unit's command line for KEY, as words in CMD
unit_cmd() {
	local line
	line=$(sed -n "s/^$1=//p" "$UNIT_FILE" | head -1)
	line=${line//@SBINDIR@\/ecmpd/$ECMPD}
	line=${line//@SBINDIR@\/ecmpctl/$ECMPCTL}
	line=${line//\/etc\/ecmpd\/ecmpd.rsc/$CONF}
	line=${line//\$ECMPD_OPTS/$OPTS}
	read -ra CMD <<<"$line"
}
unit_cmd ExecStart
ECMPD_SOCK=$(printf '%s\n' "${CMD[@]}" | grep -A1 -x -- -s | tail -1)
log "ExecStart: ${CMD[*]} (socket $ECMPD_SOCK)"
check "the unit's control socket is in its runtime directory" test "$(dirname "$ECMPD_SOCK")" = "$RT_DIR"

# The notify socket systemd would listen on; every datagram, one a line.
NOTIFY=$LAB_TMP/notify.sock
lab_bg "$NS_RT" "$LAB_TMP/notify.log" "$PYTHON" -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('$NOTIFY')
print('listening', flush=True)
while True:
    print(s.recv(4096).decode().replace('\n', ' '), flush=True)"
check "the notify socket listens" wait_for 10 grep -q listening "$LAB_TMP/notify.log" || finish

caps_list=$(echo "$CAPS" | tr 'A-Z' 'a-z' | sed 's/cap_//g; s/ /,+/g')
# unit_run KEY: runs the unit's command KEY as systemd would, in the
# router's namespace; in the background for ExecStart (pid in ECMPD_PID)
unit_run() {
	unit_cmd "$1"
	local pre=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
		RUNTIME_DIRECTORY="$RT_DIR" NOTIFY_SOCKET="$NOTIFY" ASAN_OPTIONS="$ASAN_OPTIONS"
		setpriv --bounding-set "-all,+$caps_list")
	[ "$NNP" = yes ] && pre+=(--no-new-privs)
	echo "=== $1 $(date +%T.%N) ${CMD[*]}" >>"$ECMPD_LOG"
	if [ "$1" != ExecStart ]; then
		(umask "${UMASK:-0022}" && exec ip netns exec "$NS_RT" "${pre[@]}" -- "${CMD[@]}") >>"$ECMPD_LOG" 2>&1
		return
	fi
	(umask "${UMASK:-0022}" && exec ip netns exec "$NS_RT" "${pre[@]}" -- "${CMD[@]}") >>"$ECMPD_LOG" 2>&1 &
	ECMPD_PID=$!
	LAB_PIDS+=("$ECMPD_PID")
}

READY_SEEN=0
_ready() { [ "$(grep -c 'READY=1' "$LAB_TMP/notify.log")" -gt "$READY_SEEN" ]; }
# unit_start: what `systemctl start` (or an automatic restart) does
unit_start() {
	mkdir -p "$RT_DIR" && chmod "${RT_MODE:-0755}" "$RT_DIR"
	unit_run ExecStartPre || return 1
	unit_run ExecStart
	wait_for 30 _ready || return 1
	READY_SEEN=$(grep -c 'READY=1' "$LAB_TMP/notify.log")
}
# unit_stopped WHY: what systemd does once the unit is stopped (WHY:
# restart, an automatic restart follows; stop, it does not)
unit_stopped() {
	case "${RT_PRESERVE:-no}:$1" in
	yes:* | restart:restart) log "runtime directory $RT_DIR preserved ($1)" ;;
	*)
		log "runtime directory $RT_DIR removed ($1)"
		find "$RT_DIR" -mindepth 1 -delete
		;;
	esac
}

# Sysctls ecmpd changes, set to values that are not the ones it writes;
# ip_forward stays at the namespace's 0.
rt sysctl -qw net.ipv4.fib_multipath_hash_policy=1 net.ipv4.fwmark_reflect=0
BEFORE=$LAB_TMP/state.before
lab_dump_state "$BEFORE"

check "start as the unit: READY=1" unit_start || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up ($t ms)" [ "$t" != timeout ]
check_eq "ecmpd added the seed's 3 addresses" 3 \
	"$(rt ip -4 -o addr show | grep -cE '192\.168\.0\.1/24|10\.111\.0\.2/24|10\.112\.0\.2/24')"
check_eq "net.ipv4.ip_forward is 1 while it runs" 1 "$(rt sysctl -n net.ipv4.ip_forward)"
check_eq "net.ipv4.fib_multipath_hash_policy is 0 while it runs" 0 "$(rt sysctl -n net.ipv4.fib_multipath_hash_policy)"
STATE_FILE=$ECMPD_SOCK.state
check "the state file is in the runtime directory" test -s "$STATE_FILE"
RUNNING=$LAB_TMP/state.running
lab_dump_state "$RUNNING"

log "SIGKILL (a crash); Restart=$(unit_value Restart) after RestartSec=$(unit_value RestartSec)"
kill_ecmpd
unit_stopped restart
check "restart as the unit: READY=1" unit_start || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up again ($t ms)" [ "$t" != timeout ]
check "the restarted ecmpd adopted the state file (logged)" \
	grep -qE 'adopted state of a previous run: 3 addresses, [1-9][0-9]* sysctls' "$ECMPD_LOG"
check "it knows ip_forward's original value (0)" grep -qx 'sysctl net.ipv4.ip_forward 0' "$STATE_FILE"
check "it knows fib_multipath_hash_policy's original value (1)" \
	grep -qx 'sysctl net.ipv4.fib_multipath_hash_policy 1' "$STATE_FILE"
check_eq "it knows the 3 addresses it added" 3 "$(grep -c '^address ' "$STATE_FILE")"
same_as_running() { lab_dump_state "$LAB_TMP/state.again" && cmp -s "$RUNNING" "$LAB_TMP/state.again"; }
if wait_for 10 same_as_running; then
	pass "restart: the kernel state equals the one before the crash"
else
	fail "restart: the kernel state equals the one before the crash"
	diff "$RUNNING" "$LAB_TMP/state.again" | head -20
fi

log "systemctl stop: SIGTERM"
rc=0
stop_ecmpd || rc=$?
check_eq "ecmpd exits 0 on SIGTERM" 0 "$rc"
unit_stopped stop
AFTER=$LAB_TMP/state.after
lab_dump_state "$AFTER"
if diff -u "$BEFORE" "$AFTER" >"$LAB_TMP/state.diff"; then
	pass "after the stop: addresses, routes, rules, nft, sysctls as before the first start"
else
	fail "after the stop: addresses, routes, rules, nft, sysctls as before the first start"
	grep '^[-+][^-+]' "$LAB_TMP/state.diff" | cut -c1-200 | head -20
fi
check_eq "net.ipv4.ip_forward back to its original 0" 0 "$(rt sysctl -n net.ipv4.ip_forward)"
check_eq "net.ipv4.fib_multipath_hash_policy back to its original 1" 1 \
	"$(rt sysctl -n net.ipv4.fib_multipath_hash_policy)"
check_eq "the addresses ecmpd added are gone" 0 \
	"$(rt ip -4 -o addr show | grep -cE '192\.168\.0\.1/24|10\.111\.0\.2/24|10\.112\.0\.2/24')"
check "ecmpd's log has no sanitizer report" \
	bash -c "! grep -qE 'AddressSanitizer|runtime error:|LeakSanitizer' '$ECMPD_LOG'"
finish
