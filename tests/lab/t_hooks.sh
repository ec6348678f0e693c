#!/bin/bash
# SPDX-License-Identifier: MIT
# t_hooks.sh - the hooks directory in the seed's lab.
#
# A recording hook sees every gateway event (argv and environment) and
# every reload (ok and failed). A hook that hangs is killed (with its
# children) at --hook-timeout, and while it hangs ISP1's blackout still
# takes 10.111.0.1 down, before the hook's timeout: hooks never block
# probing or failover.
# Hooks whose names are full of shell metacharacters run as the files they
# name: no "pwned" file appears anywhere.
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
exec sleep 1000
EOF2
for name in 'a;touch pwned' '$(touch pwned2)' '`touch pwned3`' '30 x|touch pwned4'; do
	printf '#!/bin/sh\necho "$0" >>%s\n' "'$META'" >"$HOOKS/$name"
done
printf '#!/bin/sh\necho dotfile >>%s\n' "'$META'" >"$HOOKS/.hidden"
printf '#!/bin/sh\necho noexec >>%s\n' "'$META'" >"$HOOKS/40-noexec"
chmod 755 "$HOOKS"/* "$HOOKS/.hidden"
chmod 644 "$HOOKS/40-noexec"

CONF=$LAB_TMP/router.rsc
cp "$SRCDIR/examples/seed.rsc" "$CONF"
# A shell interpreting a name would create its files in the current
# directory: make that one we look at.
cd "$LAB_TMP" || exit 1
check "ecmpd starts with --hooks-dir" start_ecmpd "$CONF" --hooks-dir "$HOOKS" --hook-timeout "$HOOK_TIMEOUT_MS" || finish
t=$(lf_wait_state "$GW1=up,$GW2=up" 20)
check "both gateways up after start ($t ms)" [ "$t" != timeout ]

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
line=$(grep "^gateway|gateway|wlan1|$GW1|up|down|" "$EVENTS" | head -1)
log "down event: $line"
IFS='|' read -r a1 ev ifc gw old new rtt loss rl <<<"$line"
check_eq "argv[1] of the down event" gateway "$a1"
check_num "ECMPD_RTT_MS and ECMPD_LOSS_PCT are numbers ('$rtt', '$loss')" \
	"$rtt >= 0 and 0 < $loss <= 100"
check_eq "no ECMPD_RELOAD_RESULT in a gateway event" "" "$rl"
check "exit status and runtime of the recording hook are logged" \
	grep -Eq "hook 10-record \(gateway wlan1 up->down\): exit 0 after [0-9]+ ms" "$ECMPD_LOG"
check "both gateways' start (unknown->up) were seen" \
	bash -c "grep -q '^gateway|gateway|wlan1|$GW1|unknown|up|' '$EVENTS' && grep -q '^gateway|gateway|wlan2|$GW2|unknown|up|' '$EVENTS'"

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

# ---------------------------------------------------------------- names
_meta_done() { [ "$(grep -c . "$META" 2>/dev/null)" -ge 4 ]; }
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
