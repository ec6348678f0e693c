#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# nft-check.sh - does the kernel accept every plan ecmpd prints?
#
# For every tests/config/*.rsc and examples/*.rsc that `ecmpd -n` accepts,
# prints the plan (`ecmpd --plan -f FILE`, plus NAME.args when present) and
# applies it inside a throw-away network namespace: the interfaces the
# plan names are created (dummy, or veth where the dummy driver is
# missing), the sysctls are written (they are per namespace), the ip lines
# go through `ip -batch` and the nft table through `nft -f`. Any refusal
# fails the file. The host's own interfaces, routes and ruleset are never
# touched.
#
# Env: ECMPD (the binary), SRCDIR (the source tree). Exit 77 without
# root; every plan accepted is one check (tests/lib.sh).

. "$(dirname "$0")/lib.sh"

require_root
[ -n "${ECMPD:-}" ] || bail "ECMPD names the ecmpd binary"
need ip nft sysctl "$ECMPD"

TMP=$T_TMP
NS=""
cleanup() {
	if [ -n "$NS" ]; then
		ip netns del "$NS" 2>/dev/null
	fi
}
at_exit cleanup

# Makes interface $2 in namespace $1, up, with carrier (routes via a
# gateway need the connected route, which needs the link up).
make_link() {
	local ns=$1 name=$2 peer
	if ! ip -n "$ns" link add "$name" type dummy 2>/dev/null; then
		peer="ecp$((++PEERS))"
		ip -n "$ns" link add "$name" type veth peer name "$peer" ||
			return 1
		ip -n "$ns" link set "$peer" up || return 1
	fi
	ip -n "$ns" link set "$name" up
}

# Applies the plan in file $1 to the new namespace $NS; prints what failed.
check_plan() {
	local plan=$1 dev line key
	PEERS=0
	ip netns add "$NS" || return 1
	ip -n "$NS" link set lo up
	# Every interface the plan names: addresses, routes, nft names.
	for dev in $(sed -n -e 's/.* dev \([^ ]*\).*/\1/p' \
		-e 's/^# uplink [0-9]*: \([^ ]*\) .*/\1/p' "$plan" | sort -u); do
		make_link "$NS" "$dev" || {
			echo "cannot create interface $dev"
			return 1
		}
	done
	while read -r line; do
		key=${line#sysctl }
		ip netns exec "$NS" sysctl -q -w "$key" || {
			echo "sysctl refused: $key"
			return 1
		}
	done < <(grep '^sysctl ' "$plan")
	# Multipath nexthops keep their own "dev"; the loop above saw them.
	sed -n '/^# ip$/,/^# nft$/{/^#/d;p}' "$plan" >"$TMP/ip"
	sed -n '/^# nft$/,${/^# nft$/d;p}' "$plan" >"$TMP/nft"
	if ! ip -n "$NS" -batch "$TMP/ip"; then
		echo "ip -batch refused the plan"
		return 1
	fi
	if ! ip netns exec "$NS" nft -f "$TMP/nft"; then
		echo "nft refused the ruleset"
		return 1
	fi
	return 0
}

N=0
SKIPPED=0
for rsc in "$SRCDIR"/tests/config/*.rsc "$SRCDIR"/examples/*.rsc; do
	[ -e "$rsc" ] || continue
	N=$((N + 1))
	args=()
	if [ -f "${rsc%.rsc}.args" ]; then
		read -r -a args <"${rsc%.rsc}.args"
	fi
	# --down goes with --plan only; the rest (--map) counts for -n too.
	nargs=()
	skip=0
	for a in "${args[@]}"; do
		if [ $skip = 1 ]; then
			skip=0
		elif [ "$a" = --down ]; then
			skip=1
		else
			nargs+=("$a")
		fi
	done
	if ! "$ECMPD" -n -f "$rsc" "${nargs[@]}" >/dev/null 2>&1; then
		SKIPPED=$((SKIPPED + 1))
		continue
	fi
	if ! "$ECMPD" --plan -f "$rsc" "${args[@]}" >"$TMP/plan" \
		2>"$TMP/err"; then
		fail "$rsc: ecmpd --plan succeeds"
		cat "$TMP/err"
		continue
	fi
	NS="ecmpdnft$$-$N"
	if out=$(check_plan "$TMP/plan" 2>&1); then
		pass "$rsc: the kernel takes the plan"
	else
		fail "$rsc: the kernel takes the plan"
		echo "$out" | sed 's/^/  /'
	fi
	ip netns del "$NS" 2>/dev/null
	NS=""
done

echo "nft-check: $SKIPPED files not accepted by ecmpd -n (their diagnostics are golden's)"
finish
