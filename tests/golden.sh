#!/bin/bash
# SPDX-License-Identifier: MIT
#
# golden.sh - config compiler golden tests, in the manner of bgpd's.
#
# For each tests/config/NAME.rsc, run from inside tests/config with
# relative file names so diagnostics name the file as the case does:
#   NAME.out   stdout of `ecmpd -nv -f NAME.rsc`; that output must also
#              parse back to itself (printed to a temp file, run again);
#   NAME.err   stderr of `ecmpd -n -f NAME.rsc`; the exit status must be
#              1 when it holds an error line, else 0 (an empty .err says
#              "no diagnostics at all");
#   NAME.plan  stdout of `ecmpd --plan -f NAME.rsc $(cat NAME.args)`;
#   NAME.explain  stdout of `ecmpd -n --explain -f NAME.rsc`.
# tests/config/corpus/ holds published multi-WAN configurations (see its
# README.md): each has a .err; one that `ecmpd -n` accepts has a .out, a
# .plan and a .explain too (UPDATE=1 writes them, and removes them from a file that is
# no longer accepted). The run ends with how many of them are accepted.
# UPDATE=1 rewrites the expected files from what ecmpd prints now; a case
# with no expected file at all then gets a .out when it is clean, else a
# .err.
#
# Env: ECMPD (the binary; required), SRCDIR (the source root; defaults to
# this script's parent). Prints one line per check and a summary
# (tests/lib.sh); exits 1 on any failure, or without a binary.

. "$(dirname "$0")/lib.sh"

ECMPD=${ECMPD:-}
UPDATE=${UPDATE:-0}

[ -n "$ECMPD" ] || bail "ECMPD names the ecmpd binary"
need "$ECMPD"
case "$ECMPD" in
/*) ;;
*) ECMPD=$(pwd)/$ECMPD ;;
esac

cd "$SRCDIR/tests/config" || bail "cd $SRCDIR/tests/config"

tmp=$T_TMP

# Compares expected file $1 with actual file $2 for check $3.
compare() {
	if [ "$UPDATE" = 1 ]; then
		cp "$2" "$1"
		pass "$3 (updated)"
	elif cmp -s "$1" "$2"; then
		pass "$3"
	else
		fail "$3: output differs"
		diff -u "$1" "$2" | head -40 | sed 's/^/    /'
	fi
}

check_out() {
	local name=$1 rc

	"$ECMPD" -nv -f "$name.rsc" >"$tmp/out" 2>"$tmp/out.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name.out: ecmpd -nv exited $rc"
		sed 's/^/    /' "$tmp/out.err" | head -20
		return
	fi
	compare "$name.out" "$tmp/out" "$name.out"
	# The canonical text must read back to itself.
	cp "$tmp/out" "$tmp/canonical.rsc"
	if ! "$ECMPD" -nv -f "$tmp/canonical.rsc" >"$tmp/again" 2>"$tmp/again.err"; then
		fail "$name.out round trip: canonical output does not parse"
		sed 's/^/    /' "$tmp/again.err" | head -20
	elif cmp -s "$tmp/out" "$tmp/again"; then
		pass "$name.out round trip"
	else
		fail "$name.out round trip: printing is not idempotent"
		diff -u "$tmp/out" "$tmp/again" | head -40 | sed 's/^/    /'
	fi
}

check_err() {
	local name=$1 rc want=0

	"$ECMPD" -n -f "$name.rsc" >/dev/null 2>"$tmp/err"
	rc=$?
	compare "$name.err" "$tmp/err" "$name.err"
	if grep -q ': error: ' "$tmp/err"; then
		want=1
	fi
	if [ $rc -eq $want ]; then
		pass "$name.err exit $rc"
	else
		fail "$name.err exit: status $rc, expected $want"
	fi
}

check_plan() {
	local name=$1 args=() rc

	if [ -f "$name.args" ]; then
		read -r -a args <"$name.args"
	fi
	"$ECMPD" --plan -f "$name.rsc" "${args[@]}" >"$tmp/plan" 2>"$tmp/plan.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name.plan: ecmpd --plan exited $rc"
		sed 's/^/    /' "$tmp/plan.err" | head -20
		return
	fi
	compare "$name.plan" "$tmp/plan" "$name.plan"
}

check_explain() {
	local name=$1 rc

	"$ECMPD" -n --explain -f "$name.rsc" >"$tmp/explain" 2>"$tmp/explain.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name.explain: ecmpd -n --explain exited $rc"
		sed 's/^/    /' "$tmp/explain.err" | head -20
		return
	fi
	compare "$name.explain" "$tmp/explain" "$name.explain"
}

for rsc in *.rsc; do
	[ -e "$rsc" ] || continue
	name=${rsc%.rsc}
	checked=0
	if [ -f "$name.explain" ]; then
		check_explain "$name"
		checked=1
	fi
	if [ -f "$name.out" ]; then
		check_out "$name"
		checked=1
	fi
	if [ -f "$name.err" ]; then
		check_err "$name"
		checked=1
	fi
	if [ -f "$name.plan" ]; then
		check_plan "$name"
		checked=1
	fi
	if [ $checked -eq 0 ]; then
		if [ "$UPDATE" = 1 ]; then
			if "$ECMPD" -n -f "$rsc" >/dev/null 2>"$tmp/err" &&
				[ ! -s "$tmp/err" ]; then
				: >"$name.out"
				check_out "$name"
			else
				: >"$name.err"
				check_err "$name"
			fi
		else
			fail "$name: no .out, .err or .plan to compare with"
		fi
	fi
done

# The corpus: every file is checked with -n; an accepted one with -nv and
# --plan as well.
cd corpus || bail "cd tests/config/corpus"
total=0
accepted=0
for rsc in *.rsc; do
	[ -e "$rsc" ] || continue
	name=${rsc%.rsc}
	total=$((total + 1))
	ok=0
	if "$ECMPD" -n -f "$rsc" >/dev/null 2>&1; then
		ok=1
		accepted=$((accepted + 1))
	fi
	if [ "$UPDATE" = 1 ]; then
		: >>"$name.err"
		if [ $ok = 1 ]; then
			: >>"$name.out"
			: >>"$name.plan"
			: >>"$name.explain"
		else
			rm -f "$name.out" "$name.plan" "$name.explain"
		fi
	fi
	if [ ! -f "$name.err" ]; then
		fail "corpus/$name: no .err to compare with"
		continue
	fi
	check_err "$name"
	if [ $ok = 1 ] && [ ! -f "$name.out" ]; then
		fail "corpus/$name: accepted but has no .out and .plan"
		continue
	fi
	if [ -f "$name.out" ]; then
		check_out "$name"
	fi
	if [ -f "$name.plan" ]; then
		check_plan "$name"
	fi
	if [ -f "$name.explain" ]; then
		check_explain "$name"
	fi
done
echo "corpus: $accepted of $total files accepted by ecmpd -n"
[ $total -ge 15 ] || fail "corpus: $total files, at least 15 expected"

finish
