#!/bin/sh
# examples/ha/notify.sh - keepalived's notify script for an ecmpd pair
# (docs/ha.md): tells ecmpd the sync group's new state. keepalived calls
# it as "notify.sh GROUP|INSTANCE NAME STATE [PRIORITY]".
#
# ecmpd does the rest in order: on MASTER it runs conntrackd's takeover
# (commit the external cache into the kernel, flush the caches, resync,
# bulk-send: --on-master), deletes only the connections pinned to uplinks
# it knows dead, probes every uplink at once and runs its hooks; on
# BACKUP and FAULT it keeps the plan and deletes no connection.
#
# ECMPCTL, ECMPD_SOCKET and ECMPD_NOTIFY_LOG (a file instead of syslog)
# may be set in the environment (the lab does); the defaults are the
# installed ones.

ECMPCTL=${ECMPCTL:-/usr/sbin/ecmpctl}
SOCKET=${ECMPD_SOCKET:-/run/ecmpd/ecmpd.sock}

case "$3" in
MASTER) role=master ;;
BACKUP) role=backup ;;
FAULT) role=fault ;;
STOP) exit 0 ;;
*)
	logger -t ecmpd-notify "unknown state \"$3\" for $1 $2"
	exit 1
	;;
esac
# The takeover may wait for conntrackd's commit: allow it 15 s.
out=$("$ECMPCTL" -s "$SOCKET" -t 15000 role "$role" 2>&1)
rc=$?
if [ -n "${ECMPD_NOTIFY_LOG:-}" ]; then
	echo "$(date +%H:%M:%S.%N) $1 $2 $3: $out (exit $rc)" >>"$ECMPD_NOTIFY_LOG"
else
	logger -t ecmpd-notify "$1 $2 $3: $out (exit $rc)"
fi
exit $rc
