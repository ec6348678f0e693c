# SPDX-License-Identifier: MIT
# tests/lib.sh - the one library of every shell test (golden, nft-check,
# kernel, lab, install, service): checks, counting, polling with a
# deadline, clean-up at exit and the summary. Source it first:
#
#   . "$(dirname "$0")/lib.sh"         # or ../lib.sh from a subfolder
#   require_root                       # the only skip: exit 77 without root
#   need ip nft                        # a missing tool fails the test
#   at_exit my_cleanup                 # runs at exit, even on failure
#   check "both uplinks used" [ "$n1" -gt 0 ]
#   check_eq "table 1000's default" "$want" "$(routes)"
#   check_num "share within 5 points" "abs($share - 83.3) <= 5"
#   check "down within 5 s" wait_for 5 gateway_is down
#   finish                             # "NAME: N passed, N failed", exit
#
# Rules every test keeps:
#   - a test that ran no check fails (finish, and the exit trap when a
#     script ends without finish);
#   - nothing turns a regression into a skip: a missing tool, file,
#     option or program is a failure (the Makefile's deps install the
#     tools); exit 77 only from require_root;
#   - a decision waits for a condition (wait_for, polled with a deadline),
#     never for a sleep; a deadline may be generous, it only bounds a
#     failing run.
#
# Output: one "PASS: DESC" or "FAIL: DESC" line per check, then the summary
# line "NAME: N passed, N failed" (tests/summary.py adds them up).
#
# A script outside tests/ (demo/demo.sh, bench/run.sh) that uses the lab
# as a tool gets the helpers and the clean-up at exit, but is no test: it
# need not call finish.
#
# Environment: TEST_NAME (default: the script's name without .sh), KEEP=1
# (the exit trap leaves T_TMP, and what at_exit hooks choose to keep).

set -u

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$TESTS_DIR/.." && pwd)}
PYTHON=${PYTHON:-python3}
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
case "$(cd "$(dirname "$0")" && pwd)/" in
"$TESTS_DIR"/*) T_IS_TEST=1 ;;
*) T_IS_TEST=0 ;;
esac
T_PASSED=0
T_FAILED=0
T_FINISHED=0
T_SKIPPED=0
T_AT_EXIT=()
T_STATUS=0
# A scratch directory of the test's own, removed at exit.
T_TMP=$(mktemp -d "/tmp/ecmpd-$TEST_NAME.XXXXXX") || exit 1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S.%N | cut -c1-12)" "$*" >&2; }

# now_ms: the wall clock in milliseconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---------------------------------------------------------------- checks

# pass DESC, fail DESC: count one check whose outcome the caller decided.
pass() {
	T_PASSED=$((T_PASSED + 1))
	echo "PASS: $1"
}

fail() {
	T_FAILED=$((T_FAILED + 1))
	echo "FAIL: $1"
}

# check DESC CMD...: passes when CMD exits 0. Returns CMD's verdict, so
# `check "ecmpd starts" start_ecmpd X || finish` stops at a fatal step.
check() {
	local desc=$1
	shift
	if [ $# -eq 0 ]; then
		fail "$desc [check without a command]"
		return 1
	fi
	if "$@"; then
		pass "$desc"
	else
		fail "$desc"
		return 1
	fi
}

# check_eq DESC EXPECTED ACTUAL: passes when the two strings are equal;
# multi-line values are shown as a diff on failure.
check_eq() {
	if [ "$2" = "$3" ]; then
		case $3 in
		*$'\n'*) pass "$1" ;;
		*) pass "$1 ($3)" ;;
		esac
		return 0
	fi
	case $2$3 in
	*$'\n'*)
		fail "$1"
		diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") |
			tail -n +3 | head -n 40 | sed 's/^/    /'
		;;
	*) fail "$1 (expected '$2', got '$3')" ;;
	esac
	return 1
}

# check_num DESC EXPR: passes when the arithmetic comparison EXPR holds
# (numexpr.py: numbers, + - * /, abs, min, max, comparisons, and, or,
# not). A term that is not a number - "timeout", "" - fails the check.
check_num() {
	local why
	if why=$("$PYTHON" "$TESTS_DIR/numexpr.py" "$2" 2>&1); then
		pass "$1"
	else
		fail "$1 [$2${why:+: $why}]"
		return 1
	fi
}

# wait_for SECONDS CMD...: runs CMD (output discarded) until it succeeds
# (0) or SECONDS (may be fractional) have passed (1). CMD runs at least
# once, and once more at the deadline; the polls start 50 ms apart and
# slow down to 0.4 s, so a long wait costs little CPU.
wait_for() {
	local timeout=$1
	shift
	local deadline sec frac=0 pause=50
	sec=${timeout%.*}
	case $timeout in *.*)
		frac=${timeout#*.}000
		frac=$((10#${frac:0:3}))
		;;
	esac
	deadline=$(($(now_ms) + ${sec:-0} * 1000 + frac))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(now_ms)" -ge "$deadline" ] && break
		sleep "0.$(printf '%03d' "$pause")"
		[ "$pause" -lt 400 ] && pause=$((pause * 2))
	done
	"$@" >/dev/null 2>&1
}

# sleep_until_ms MS: returns once the wall clock (now_ms) reaches MS. For
# a fault's own timing (how long it lasts, how often it is looked at),
# never for a decision: decisions wait_for their condition.
sleep_until_ms() {
	local rest=$(($1 - $(now_ms)))
	[ "$rest" -gt 0 ] && sleep "$((rest / 1000)).$(printf '%03d' $((rest % 1000)))"
	return 0
}

# ---------------------------------------------------------------- guards

# require_root: the one reason to skip (exit 77): the test needs root.
require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "$TEST_NAME: skipped: needs root"
		T_SKIPPED=1
		exit 77
	fi
}

# need TOOL...: each TOOL is a command on PATH (or an executable path);
# otherwise the test fails at once.
need() {
	local t missing=""
	for t in "$@"; do
		case $t in
		*/*) [ -x "$t" ] || missing="$missing $t" ;;
		*) command -v "$t" >/dev/null 2>&1 || missing="$missing $t" ;;
		esac
	done
	[ -z "$missing" ] || bail "needed but missing:$missing (make deps installs the tools)"
}

# bail DESC: a failure the test cannot go on after: counts it, finishes.
bail() {
	fail "$1"
	finish
}

# ---------------------------------------------------------------- exit

# at_exit CMD...: run CMD when the script exits, whatever the reason (the
# last registered runs first). CMD sees the exit status in T_STATUS.
at_exit() {
	local q
	printf -v q '%q ' "$@"
	T_AT_EXIT+=("$q")
}

# finish: prints the summary and exits: 1 when a check failed or none ran.
finish() {
	T_FINISHED=1
	if [ $((T_PASSED + T_FAILED)) -eq 0 ]; then
		echo "$TEST_NAME: no check ran"
		exit 1
	fi
	echo "$TEST_NAME: $T_PASSED passed, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ] && exit 0
	exit 1
}

_t_exit() {
	local rc=$? i
	trap - EXIT INT TERM
	if [ "$T_IS_TEST" = 1 ] && [ "$T_FINISHED" = 0 ] && [ "$T_SKIPPED" = 0 ]; then
		echo "FAIL: $TEST_NAME ended before finish (status $rc)"
		echo "$TEST_NAME: $T_PASSED passed, $((T_FAILED + 1)) failed"
		[ "$rc" -eq 0 ] && rc=1
	fi
	T_STATUS=$rc
	for ((i = ${#T_AT_EXIT[@]} - 1; i >= 0; i--)); do
		eval "${T_AT_EXIT[$i]}" || true
	done
	if [ "${KEEP:-0}" = 1 ]; then
		echo "KEEP=1: files left in $T_TMP"
	else
		rm -rf "$T_TMP"
	fi
	exit "$rc"
}
trap _t_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
