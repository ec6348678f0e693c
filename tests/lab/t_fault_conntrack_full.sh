#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_conntrack_full.sh - fault matrix 11 (issue 4): the router's
# conntrack table is full: no new connection can get an entry, existing
# ones go on. ecmpd must keep running and answering, the live connections
# (both uplinks healthy) must survive, and when the table drains new
# connections succeed again, with both gateways up.
#
# How the table is filled: nf_conntrack_max is read-only outside the
# initial network namespace (nf_conntrack_standalone.c makes it 0444 for
# any other netns; the host's value must not be touched), so when the
# router's namespace refuses `nf_conntrack_max` the fault is emulated the
# way the kernel behaves when full: a packet that would need a new entry
# is dropped (`ct state new drop` in prerouting and output, right after
# conntrack), the established ones pass. Where the sysctl is writable, it
# is set to the current count + 16 and filled by short connections.
# Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

FULL_S=${FULL_S:-15}
mx_start
ctmax0=$(rt cat /proc/sys/net/netfilter/nf_conntrack_max)
count=$(rt cat /proc/sys/net/netfilter/nf_conntrack_count)
if rt sh -c "echo $((count + 16)) > /proc/sys/net/netfilter/nf_conntrack_max" 2>/dev/null; then
	MODE=sysctl
	fill() { lf_batch 200 >/dev/null 2>&1; }
	drain() { rt sh -c "echo $ctmax0 > /proc/sys/net/netfilter/nf_conntrack_max"; }
else
	MODE=emulated
	fill() {
		rt nft -f - <<-'NFT'
		table ip ctfull {
			chain pre { type filter hook prerouting priority -150; policy accept; ct state new counter drop; }
			chain out { type filter hook output priority -150; policy accept; ct state new counter drop; }
		}
		NFT
	}
	drain() { rt nft delete table ip ctfull; }
fi
echo "MEASURE: conntrack full: mode $MODE (nf_conntrack_max $ctmax0, $count entries)"
fill
T=$(now_ms)
lf_batch 10
echo "MEASURE: table full: $B_OK of $B_TOTAL new connections succeeded"
check "full: sanity: new connections fail ($B_OK of $B_TOTAL succeeded)" [ "$B_OK" -lt "$B_TOTAL" ]
# bounded: hold the fault FULL_S seconds, looking at ecmpd every second
alive=0
for i in $(seq 1 "$FULL_S"); do
	lf_ecmpd_alive && alive=$((alive + 1))
	sleep_until_ms $((T + i * 1000))
done
check_eq "full: ecmpd running the whole time" "$FULL_S" "$alive"
echo "INFO: states while full: 10.111.0.1 $(lf_state "$GW1"), 10.112.0.1 $(lf_state "$GW2")"
echo "MEASURE: state changes logged while full: 10.111.0.1 $(mx_transitions "$GW1"), 10.112.0.1 $(mx_transitions "$GW2") (1 each = the start)"
mx_flows_check "full"
drain
T0=$(lf_t0)
check "drained: new connections succeed again within 40 s" wait_for 40 lf_batch_ok 10
echo "MEASURE: drained -> a batch of new connections all succeeded: $(lf_ms_since "$T0") ms"
mx_flows_check "drained"
mx_final_check "drained"
check_eq "drained: nf_conntrack_max as before" "$ctmax0" "$(rt cat /proc/sys/net/netfilter/nf_conntrack_max)"
mx_finish
