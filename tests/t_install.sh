#!/bin/bash
# SPDX-License-Identifier: MIT
# t_install.sh - `make install PREFIX=/usr DESTDIR=...` on a temporary
# DESTDIR installs exactly the expected files (programs in sbin, man pages,
# the systemd unit, the examples), the installed programs run, and nothing
# is written outside DESTDIR and the temporary build directory.
. "$(dirname "$0")/lib.sh"

need make meson ninja

TMP=$T_TMP
DEST=$TMP/dest
STAMP=$TMP/stamp
touch "$STAMP"
# File times have a granularity; anything written after this is newer
# (a wait for the clock, not for an event).
sleep_until_ms $(($(now_ms) + 1100))

check "make install succeeds" make -s -C "$SRCDIR" install PREFIX=/usr DESTDIR="$DEST" \
	INSTALL_BUILD="$TMP/build" >"$TMP/make.log" 2>&1 || { cat "$TMP/make.log"; finish; }

(cd "$DEST" && find . -type f -o -type l | sed 's|^\./||' | sort) >"$TMP/got"
# Everything in examples/ is installed, whatever it holds.
{
	printf '%s\n' usr/sbin/ecmpd usr/sbin/ecmpctl \
		usr/share/man/man8/ecmpd.8 usr/share/man/man8/ecmpctl.8 \
		usr/share/man/man5/ecmpd.rsc.5 \
		usr/lib/systemd/system/ecmpd.service \
		usr/libexec/ecmpd/dhclient-hook
	(cd "$SRCDIR/examples" && find . -type f | sed 's|^\./|usr/share/doc/ecmpd/examples/|')
} | sort >"$TMP/want"
check "installed files are exactly the expected ones" diff -u "$TMP/want" "$TMP/got"

check "installed ecmpd runs (-n on the installed seed example)" \
	"$DEST/usr/sbin/ecmpd" -n -f "$DEST/usr/share/doc/ecmpd/examples/seed.rsc"
check "installed ecmpctl runs (-h)" "$DEST/usr/sbin/ecmpctl" -h >/dev/null
check "the unit runs the installed path" \
	grep -q '^ExecStart=/usr/sbin/ecmpd ' "$DEST/usr/lib/systemd/system/ecmpd.service"
check "programs are executable, pages are not" \
	bash -c "[ -x '$DEST/usr/sbin/ecmpd' ] && [ -x '$DEST/usr/libexec/ecmpd/dhclient-hook' ] && [ ! -x '$DEST/usr/share/man/man8/ecmpd.8' ]"

# Where an install could stray: the system's own prefixes and /etc.
find /usr /etc /opt /lib /sbin /bin /root/.local -xdev -newer "$STAMP" \
	\( -type f -o -type l \) 2>/dev/null | grep -v '^/usr/lib/python3.*__pycache__' >"$TMP/outside"
check "nothing written outside DESTDIR" test ! -s "$TMP/outside" || head -20 "$TMP/outside"
check "the source tree has no build-install directory from this run" \
	bash -c "[ ! -e '$SRCDIR/build-install' ] || [ '$SRCDIR/build-install' -ot '$STAMP' ]"

finish
