# SPDX-License-Identifier: MIT
# tests/kernel/lib_ns.sh - sourced by the kernel tests that run ecmpd in a
# throw-away namespace: ns_up NS DEV... creates NS with lo up and each DEV
# up, a dummy where the kernel has the driver, else one end of a veth pair
# inside NS. The test deletes NS in its own clean-up at exit.
ns_up() {
	local ns=$1 dev i=0
	shift
	ip netns add "$ns" || bail "creating namespace $ns"
	ip -n "$ns" link set lo up
	for dev in "$@"; do
		if ! ip -n "$ns" link add "$dev" type dummy 2>/dev/null; then
			i=$((i + 1))
			ip -n "$ns" link add "$dev" type veth peer name "peer$i" ||
				bail "interface $dev"
			ip -n "$ns" link set "peer$i" up
		fi
		ip -n "$ns" link set "$dev" up
	done
}
