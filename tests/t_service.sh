#!/bin/bash
# SPDX-License-Identifier: MIT
# t_service.sh - the installed systemd unit passes `systemd-analyze verify`
# (its commands exist, its man pages resolve, every directive is known),
# it carries the hardening it promises, and every man page renders with
# `man --warnings` without a single warning.
. "$(dirname "$0")/lib.sh"

BUILDDIR=${BUILDDIR:-$SRCDIR/build}
need meson man systemd-analyze

TMP=$T_TMP
DEST=$TMP/dest
check "meson install into $DEST" meson install -C "$BUILDDIR" --no-rebuild --destdir "$DEST" \
	>"$TMP/install.log" 2>&1 || { cat "$TMP/install.log"; finish; }
UNIT=$(find "$DEST" -name ecmpd.service | head -1)
MANDIR=$(find "$DEST" -type d -name man -path '*/share/man' | head -1)
check "the unit and the man pages are installed" test -n "$UNIT" -a -n "$MANDIR"

# ---------------------------------------------------------------- man pages
for page in "$SRCDIR"/man/*.[0-9]; do
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -n "$out" ] && echo "$out"
	check "man --warnings $(basename "$page"): no warnings" test -z "$out"
done

# ---------------------------------------------------------------- the unit
for d in 'Type=notify' 'ExecStartPre=.*/ecmpd -n ' 'ExecReload=.*/ecmpd -n ' \
	'ExecReload=.*/ecmpctl .*reload' \
	'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW$' 'NoNewPrivileges=yes' \
	'ProtectSystem=strict' 'RuntimeDirectory=ecmpd' 'ReadWritePaths=/proc/sys/net' \
	'RestrictAddressFamilies=' 'PrivateTmp=yes' 'ProtectHome=yes'; do
	check "unit has $d" grep -q "^$d" "$UNIT"
done
check "ExecStartPre checks the config before ExecStart runs it" \
	bash -c "[ \$(grep -n '^ExecStartPre=' '$UNIT' | cut -d: -f1) -lt \$(grep -n '^ExecStart=' '$UNIT' | cut -d: -f1) ]"
check "the first ExecReload checks, the second reloads" \
	bash -c "grep '^ExecReload=' '$UNIT' | head -1 | grep -q ' -n ' && grep '^ExecReload=' '$UNIT' | tail -1 | grep -q 'reload\$'"

# verify checks that the commands exist: point them into DESTDIR.
prefix=$(sed -n 's|^ExecStart=\(.*\)/sbin/ecmpd .*|\1|p' "$UNIT")
sed "s|$prefix/sbin/|$DEST$prefix/sbin/|g" "$UNIT" >"$TMP/ecmpd.service"
out=$(MANPATH=$MANDIR SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$TMP/ecmpd.service" 2>&1)
rc=$?
[ -n "$out" ] && echo "$out"
check "systemd-analyze verify: clean (rc $rc)" test "$rc" -eq 0 -a -z "$out"
score=$(systemd-analyze security --offline=yes "$TMP/ecmpd.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for ecmpd.service: \([0-9.]*\).*/\1/p')
echo "MEASURE: systemd-analyze security exposure: ${score:-?}"
check_num "systemd-analyze security: exposure below 4.0 (${score:-?})" "$score < 4.0"

finish
