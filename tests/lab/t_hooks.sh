#!/bin/bash
# SPDX-License-Identifier: MIT
# t_hooks.sh - the hooks directory in the seed's lab.
#
# A recording hook sees every gateway event (argv and environment) and
# every reload (ok and failed). A hook that hangs is killed (with its
# children) at --hook-timeout, and while it hangs ISP1's blackout still
# takes 10.111.0.1 down, before the hook's timeout: hooks never block
# probing or failover.
# The kill takes the hook's whole process tree, also what it started in
# sessions of its own (setsid), directly and through a parent that exited.
# Hooks whose names are full of shell metacharacters run as the files they
# name: no "pwned" file appears anywhere.
# Issue 11, item 6: a hook file, or the hooks directory, that is not
# root's or that others than root can write is refused with a log line,
# as cron and sudo do; a hook that is behind during flapping gets the
# latest state of the gateway, not the queue of stale changes; every
# descriptor of ecmpd is close-on-exec.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_faults.sh"

# The hanging hook's timeout: the blackout and its failover must come
# before it, and the set-up in between takes seconds on a busy machine.
# Which came first is read from ecmpd's log, which is in order.
HOOK_TIMEOUT_MS=${HOOK_TIMEOUT_MS:-20000}

lab_require_root
lab_require_ecmpd
lab_up

HOOKS=$LAB_TMP/hooks.d
EVENTS=$LAB_TMP/events
META=$LAB_TMP/meta
mkdir -p "$HOOKS"
cat >"$HOOKS/10-record" <<-EOF2
#!/bin/sh
echo "\$1|\$ECMPD_EVENT|\$ECMPD_INTERFACE|\$ECMPD_GATEWAY|\$ECMPD_OLD_STATE|\$ECMPD_NEW_STATE|\$ECMPD_RTT_MS|\$ECMPD_LOSS_PCT|\$ECMPD_RELOAD_RESULT" >>'$EVENTS'
EOF2
# Hangs once, on the first event it sees, with a child in the background.
cat >"$HOOKS/20-hang" <<-EOF2
#!/bin/sh
[ -e '$LAB_TMP/hung' ] && exit 0
echo \$\$ >'$LAB_TMP/hung'
sleep 1000 &
echo \$! >'$LAB_TMP/hung-child'
setsid sh -c 'echo \$\$ >$LAB_TMP/hung-setsid; exec sleep 1000' &
( setsid sh -c 'echo \$\$ >$LAB_TMP/hung-orphan; exec sleep 1000' & )
exec sleep 1000
EOF2
# Holds the queue while the gate file exists (18 s at most, below the
# timeout), on any event.
cat >"$HOOKS/05-gate" <<-EOF2
#!/bin/sh
[ -e '$LAB_TMP/gate' ] || exit 0
echo \$\$ >'$LAB_TMP/gated'
i=0
while [ -e '$LAB_TMP/gate' ]; do
	i=\$((i + 1))
	[ \$i -gt 180 ] && { echo deadline >'$LAB_TMP/gate-deadline'; exit 0; }
	sleep 0.1
done
EOF2
for name in 'a;touch pwned' '$(touch pwned2)' '`touch pwned3`' '30 x|touch pwned4'; do
	printf '#!/bin/sh\necho "$0" >>%s\n' "'$META'" >"$HOOKS/$name"
done
printf '#!/bin/sh\necho dotfile >>%s\n' "'$META'" >"$HOOKS/.hidden"
printf '#!/bin/sh\necho noexec >>%s\n' "'$META'" >"$HOOKS/40-noexec"
# Not root's, or writable by others than root: never run.
for name in 50-foreign 55-groupw 57-worldw; do
	printf '#!/bin/sh\necho %s >>%s\n' "$name" "'$META'" >"$HOOKS/$name"
done
chmod 755 "$HOOKS"/* "$HOOKS/.hidden"
chmod 644 "$HOOKS/40-noexec"
chown 65534 "$HOOKS/50-foreign"
chmod 775 "$HOOKS/55-groupw"
chmod 777 "$HOOKS/57-worldw"

CONF=$LAB_TMP/router.rsc
cp "$SRCDIR/examples/seed.rsc" "$CONF"
# A shell interpreting a name would create its files in the current
# directory: make that one we look at.
cd "$LAB_TMP" || exit 1
check "ecmpd starts with --hooks-dir" start_ecmpd "$CONF" --hooks-dir "$HOOKS" --hook-timeout "$HOOK_TIMEOUT_MS" || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]

refused_at=$(grep -n -m1 "hooks: $HOOKS/50-foreign is not root's" "$ECMPD_LOG" | cut -d: -f1)
running_at=$(grep -n -m1 "running .*uplinks, control socket" "$ECMPD_LOG" | cut -d: -f1)
check_num "the refused hooks are named at start (log lines: refused ${refused_at:-none}, running $running_at)" \
	"${refused_at:-none} < $running_at"

_hanging() { [ -s "$LAB_TMP/hung" ] && kill -0 "$(cat "$LAB_TMP/hung")" 2>/dev/null; }
check "20-hang is hanging on its first event" wait_for 10 _hanging
HANG_PID=$(cat "$LAB_TMP/hung" 2>/dev/null)
HANG_CHILD=$(cat "$LAB_TMP/hung-child" 2>/dev/null)

# ---------------------------------------------------------------- failover
# log_line PATTERN: the number of the first line of ecmpd's log matching
log_line() { grep -n -m1 -E "$1" "$ECMPD_LOG" | cut -d: -f1; }
DOWN_LOGGED="gateway $GW1 \(wlan1\): up -> down"
KILL_LOGGED="hook 20-hang \(gateway .*\): killed after"
log "blackout ISP1 while a hook hangs"
isp_blackout 1
T0=$(lf_t0)
DOWN_MS=$(lf_wait_state "$GW1=down" 10 "$T0")
echo "MEASURE: blackout -> 10.111.0.1 down while a hook hangs: $DOWN_MS ms"
check_num "failover while a hook hangs, before its ${HOOK_TIMEOUT_MS} ms timeout ($DOWN_MS ms)" \
	"$DOWN_MS < $HOOK_TIMEOUT_MS"
check "multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"

_down_seen() { grep -q "^gateway|gateway|wlan1|$GW1|up|down|" "$EVENTS"; }
check "the recording hook sees wlan1 up->down (after the hang is killed)" \
	wait_for $((HOOK_TIMEOUT_MS / 1000 + 10)) _down_seen
check "the hanging hook is killed at its timeout (logged)" \
	grep -q "hook 20-hang (gateway .*): killed after $HOOK_TIMEOUT_MS ms timeout" "$ECMPD_LOG"
down_at=$(log_line "$DOWN_LOGGED")
kill_at=$(log_line "$KILL_LOGGED")
check_num "the failover came while the hook hung (log lines: down $down_at, kill $kill_at)" \
	"$down_at < $kill_at"
_gone() { ! kill -0 "$1" 2>/dev/null; }
check "the hanging hook's process is gone" wait_for 10 _gone "$HANG_PID"
check "and so is the child it left in the background" wait_for 10 _gone "${HANG_CHILD:-0}"
HANG_SETSID=$(cat "$LAB_TMP/hung-setsid" 2>/dev/null)
HANG_ORPHAN=$(cat "$LAB_TMP/hung-orphan" 2>/dev/null)
check "and the one it started with setsid (pid ${HANG_SETSID:-?})" wait_for 10 _gone "${HANG_SETSID:-0}"
check "and the one a setsid'd parent left behind (pid ${HANG_ORPHAN:-?})" wait_for 10 _gone "${HANG_ORPHAN:-0}"
line=$(grep "^gateway|gateway|wlan1|$GW1|up|down|" "$EVENTS" | head -1)
log "down event: $line"
IFS='|' read -r a1 ev ifc gw old new rtt loss rl <<<"$line"
check_eq "argv[1] of the down event" gateway "$a1"
check_num "ECMPD_RTT_MS and ECMPD_LOSS_PCT are numbers ('$rtt', '$loss')" \
	"$rtt >= 0 and 0 < $loss <= 100"
check_eq "no ECMPD_RELOAD_RESULT in a gateway event" "" "$rl"
check "exit status and runtime of the recording hook are logged" \
	grep -Eq "hook 10-record \(gateway wlan1 up->down\): exit 0 after [0-9]+ ms" "$ECMPD_LOG"
# A start event still queued behind 20-hang when the blackout came is
# replaced by the later change of the same gateway: the latest state.
_start_seen() { # N GW
	grep -q "^gateway|gateway|wlan$1|$2|unknown|up|" "$EVENTS" ||
		grep -qE "hooks: [0-9]+ stale runs? for gateway wlan$1 $2 replaced by the latest \(gateway wlan$1 up->down\)" "$ECMPD_LOG"
}
check "both gateways' start (unknown->up) were seen, or replaced by a later change" \
	bash -c "$(declare -f _start_seen); EVENTS='$EVENTS' ECMPD_LOG='$ECMPD_LOG'; _start_seen 1 $GW1 && _start_seen 2 $GW2"

isp_restore 1
t=$(lf_wait_state "$GW1=up" 20)
check "10.111.0.1 back up ($t ms)" [ "$t" != timeout ]
_up_seen() { grep -q "^gateway|gateway|wlan1|$GW1|down|up|" "$EVENTS"; }
check "the recording hook sees wlan1 down->up" wait_for 10 _up_seen

# ---------------------------------------------------------------- reloads
ctl reload >/dev/null
_reload_ok() { grep -q "^reload|reload|||||||ok$" "$EVENTS"; }
check "a reload runs the hooks with ECMPD_RELOAD_RESULT=ok" wait_for 10 _reload_ok
echo "/ip route" >>"$CONF"
echo "add gateway=10.111.0.1 distance=0" >>"$CONF"
check "a bad config's reload fails" bash -c "! ip netns exec '$NS_RT' '$ECMPCTL' -s '$ECMPD_SOCK' reload >/dev/null 2>&1"
_reload_failed() { grep -q "^reload|reload|||||||failed$" "$EVENTS"; }
check "a failed reload runs the hooks with ECMPD_RELOAD_RESULT=failed" wait_for 10 _reload_failed

# ---------------------------------------------------------------- flapping
# While 05-gate holds the queue (on a reload's event), wlan1 goes down and
# up twice. Once the gate opens, the recording hook gets one wlan1 event:
# the latest (down->up), not the four stale ones. A reload after the gate
# is the barrier: once its event is recorded, every earlier one is (the
# config has an error by now: reloads fail, and run the hooks all the same).
carrier_off() { nsx "$NS_ISP1" ip link set dev cust down; }
carrier_on() { nsx "$NS_ISP1" ip link set dev cust up; }
touch "$LAB_TMP/gate"
ctl reload >/dev/null
check "the gate hook holds the queue" wait_for 10 test -s "$LAB_TMP/gated"
n0=$(grep -c "^gateway|gateway|wlan1|" "$EVENTS")
nlog=$(wc -l <"$ECMPD_LOG")
for i in 1 2; do
	t=$(lf_timed "$GW1=down" 10 carrier_off)
	check "flap $i: 10.111.0.1 down ($t ms)" [ "$t" != timeout ]
	t=$(lf_timed "$GW1=up" 20 carrier_on)
	check "flap $i: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
done
flaps=$(tail -n +"$((nlog + 1))" "$ECMPD_LOG" | grep -cE "gateway $GW1 \(wlan1\): [a-z]+ -> ")
check_num "ecmpd logged at least 4 changes of 10.111.0.1 while the gate was closed ($flaps)" "$flaps >= 4"
check "the gate was still closed when the flapping ended" test ! -e "$LAB_TMP/gate-deadline"
nrel=$(grep -c "^reload|reload|" "$EVENTS")
rm -f "$LAB_TMP/gate"
ctl reload >/dev/null
_barrier() { [ "$(grep -c "^reload|reload|" "$EVENTS")" -ge $((nrel + 2)) ]; }
check "the hooks caught up (the reload after the gate is recorded)" wait_for 30 _barrier
grep "^gateway|gateway|wlan1|" "$EVENTS" | tail -n +"$((n0 + 1))" >"$LAB_TMP/flap-events"
sed 's/^/    | /' "$LAB_TMP/flap-events"
check_eq "during the flapping the recording hook got one wlan1 event, not $flaps" 1 \
	"$(grep -c . "$LAB_TMP/flap-events")"
check "  ... the latest: 10.111.0.1 up" grep -q "^gateway|gateway|wlan1|$GW1|[a-z]*|up|" "$LAB_TMP/flap-events"
check "stale hook runs replaced by the latest are logged" \
	grep -qE "hooks: [0-9]+ stale runs? for gateway wlan1 .*replaced by the latest" "$ECMPD_LOG"

# ---------------------------------------------------------------- ownership
for name in 50-foreign 55-groupw 57-worldw; do
	check "$name (not root's, or writable by others) never ran" bash -c "! grep -qx '$name' '$META'"
	check "$name is refused with a log line" \
		grep -qE "hooks: $HOOKS/$name is not root's .* or writable by others than root .*: not run" "$ECMPD_LOG"
done
nrel=$(grep -c "^reload|reload|" "$EVENTS")
n1=$(wc -l <"$ECMPD_LOG")
chmod 777 "$HOOKS"
ctl reload >/dev/null
_dir_refused() { grep -qE "hooks: directory $HOOKS is not root's .* or writable by others than root .*: no hook runs" "$ECMPD_LOG"; }
check "a hooks directory others can write is refused with a log line" wait_for 10 _dir_refused
# A refused event queues nothing: no hook started for it, then or later.
n2=$(wc -l <"$ECMPD_LOG")
check "  ... no hook started for that reload" \
	bash -c "! sed -n '$((n1 + 1)),${n2}p' '$ECMPD_LOG' | grep -E 'hook .*: started'"
chmod 755 "$HOOKS"
ctl reload >/dev/null
_reload_seen() { [ "$(grep -c "^reload|reload|" "$EVENTS")" -gt "$nrel" ]; }
check "  ... and hooks run again once it is root's only" wait_for 10 _reload_seen

# ---------------------------------------------------------------- descriptors
# Its sockets (netlink, raw, packet, unix, tcp) and anonymous inodes
# (epoll, signalfd, pidfd); not what it inherited from whoever started it.
# O_CLOEXEC is 02000000 in fdinfo's octal flags.
_fds_cloexec() {
	local f fd flags what bad=""
	for f in /proc/"$ECMPD_PID"/fdinfo/*; do
		fd=${f##*/}
		what=$(readlink "/proc/$ECMPD_PID/fd/$fd" 2>/dev/null)
		case $what in socket:* | anon_inode:*) ;; *) continue ;; esac
		flags=$(sed -n 's/^flags:[[:space:]]*//p' "$f" 2>/dev/null) || continue
		[ -n "$flags" ] || continue
		(((8#$flags & 8#2000000) == 0)) && bad="$bad $fd->$what"
	done
	echo "${bad:-none}"
}
check_eq "every socket and anonymous inode of ecmpd is close-on-exec" none "$(_fds_cloexec)"
echo "MEASURE: ecmpd's sockets and anonymous inodes: $(ls -l /proc/"$ECMPD_PID"/fd | grep -cE 'socket:|anon_inode:')"

# ---------------------------------------------------------------- names
_meta_done() { [ "$(grep -c . "$META" 2>/dev/null)" -ge 4 ]; }
# (the meta hooks ran for many events by now)
check "the four hooks with odd names ran" wait_for 10 _meta_done
for name in 'a;touch pwned' '$(touch pwned2)' '`touch pwned3`' '30 x|touch pwned4'; do
	check "hook '$name' ran as the file it names" grep -qxF "$HOOKS/$name" "$META"
done
check "dotfiles and non-executables are skipped" bash -c "! grep -qx -e dotfile -e noexec '$META'"
pwned=$(find "$LAB_TMP" "$HOOKS" "$SRCDIR" "$BUILDDIR" / -maxdepth 1 -name 'pwned*' 2>/dev/null)
check "no shell ran: no pwned file appeared ('$pwned')" test -z "$pwned"

check "ecmpd still running" lf_ecmpd_alive
stop_ecmpd
finish
