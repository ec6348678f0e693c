#!/bin/bash
# SPDX-License-Identifier: MIT
# t_install.sh - `make install PREFIX=/usr DESTDIR=...` on a temporary
# DESTDIR installs exactly the expected files (programs in sbin, man pages,
# the systemd unit, the examples), the installed programs run, and nothing
# is written outside DESTDIR and the temporary build directory.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PASSED=0
FAILED=0
check() {
	local desc=$1
	shift
	if "$@"; then
		PASSED=$((PASSED + 1))
		echo "PASS: $desc"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $desc"
	fi
}

for t in make meson ninja; do
	command -v "$t" >/dev/null || { echo "skipped: $t not found"; exit 77; }
done

TMP=$(mktemp -d /tmp/ecmpd-install.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DEST=$TMP/dest
STAMP=$TMP/stamp
touch "$STAMP"
# File times have a granularity; anything written after this is newer.
sleep 1.1

if ! make -s -C "$SRCDIR" install PREFIX=/usr DESTDIR="$DEST" \
	INSTALL_BUILD="$TMP/build" >"$TMP/make.log" 2>&1; then
	cat "$TMP/make.log"
	check "make install succeeds" false
	echo "t_install: $PASSED passed, $FAILED failed"
	exit 1
fi
check "make install succeeds" true

(cd "$DEST" && find . -type f -o -type l | sed 's|^\./||' | sort) >"$TMP/got"
# Everything in examples/ is installed, whatever it holds.
{
	printf '%s\n' usr/sbin/ecmpd usr/sbin/ecmpctl \
		usr/share/man/man8/ecmpd.8 usr/share/man/man8/ecmpctl.8 \
		usr/share/man/man5/ecmpd.rsc.5 \
		usr/lib/systemd/system/ecmpd.service
	(cd "$SRCDIR/examples" && find . -type f | sed 's|^\./|usr/share/doc/ecmpd/examples/|')
} | sort >"$TMP/want"
if ! diff -u "$TMP/want" "$TMP/got"; then
	check "installed files are exactly the expected ones" false
else
	check "installed files are exactly the expected ones" true
fi

check "installed ecmpd runs (-n on the installed seed example)" \
	"$DEST/usr/sbin/ecmpd" -n -f "$DEST/usr/share/doc/ecmpd/examples/seed.rsc"
check "installed ecmpctl runs (-h)" "$DEST/usr/sbin/ecmpctl" -h >/dev/null
check "the unit runs the installed path" \
	grep -q '^ExecStart=/usr/sbin/ecmpd ' "$DEST/usr/lib/systemd/system/ecmpd.service"
check "programs are executable, pages are not" \
	bash -c "[ -x '$DEST/usr/sbin/ecmpd' ] && [ ! -x '$DEST/usr/share/man/man8/ecmpd.8' ]"

# Where an install could stray: the system's own prefixes and /etc.
find /usr /etc /opt /lib /sbin /bin /root/.local -xdev -newer "$STAMP" \
	\( -type f -o -type l \) 2>/dev/null | grep -v '^/usr/lib/python3.*__pycache__' >"$TMP/outside"
if [ -s "$TMP/outside" ]; then
	head -20 "$TMP/outside"
	check "nothing written outside DESTDIR" false
else
	check "nothing written outside DESTDIR" true
fi
check "the source tree has no build-install directory from this run" \
	bash -c "[ ! -e '$SRCDIR/build-install' ] || [ '$SRCDIR/build-install' -ot '$STAMP' ]"

echo "t_install: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
