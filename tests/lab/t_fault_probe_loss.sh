#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_probe_loss.sh - fault matrix 6 (issue 4): 5 % random loss on the
# probe path for 2 minutes, on both ISPs (each drops 5 % of the echo
# replies it sends on its customer side: nft numgen). Five losses in a
# row are needed to take a gateway down; at 5 % that is ~3e-7 per probe,
# so no failover may happen: both gateways stay up the whole time (no
# state change logged, every status poll says up), no connection is lost.
# Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

DURATION=${DURATION:-120}
LOSS=${LOSS:-5}

mx_start
tr0=$(($(mx_transitions "$GW1") + $(mx_transitions "$GW2")))
s1=$(ecmpd_uplink_field "$GW1" probes_sent); l1=$(ecmpd_uplink_field "$GW1" probes_lost)
s2=$(ecmpd_uplink_field "$GW2" probes_sent); l2=$(ecmpd_uplink_field "$GW2" probes_lost)
for n in 1 2; do
	nsx "${LAB}isp$n" nft -f - <<-EOF
	table inet probeloss {
		chain out { type filter hook output priority 0; policy accept;
			oifname "cust" icmp type echo-reply numgen random mod 100 < $LOSS counter drop; }
	}
	EOF
done
log "probe loss $LOSS % on both ISPs for $DURATION s"
not_up=0
looks=0
T=$(now_ms)
# the fault lasts DURATION s by the clock; meanwhile a look every 2 s (or
# as often as a busy machine allows)
while [ "$(now_ms)" -lt $((T + DURATION * 1000)) ]; do
	for gw in "$GW1" "$GW2"; do
		st=$(lf_state "$gw")
		[ "$st" = up ] || { not_up=$((not_up + 1)); log "$gw is $st"; }
	done
	looks=$((looks + 1))
	sleep_until_ms $((T + looks * 2000))
done
for n in 1 2; do nsx "${LAB}isp$n" nft delete table inet probeloss; done
d1=$(($(ecmpd_uplink_field "$GW1" probes_sent) - s1)); x1=$(($(ecmpd_uplink_field "$GW1" probes_lost) - l1))
d2=$(($(ecmpd_uplink_field "$GW2" probes_sent) - s2)); x2=$(($(ecmpd_uplink_field "$GW2" probes_lost) - l2))
tr1=$(($(mx_transitions "$GW1") + $(mx_transitions "$GW2")))
echo "MEASURE: $DURATION s of $LOSS % loss: 10.111.0.1 $x1 of $d1 probes lost, 10.112.0.1 $x2 of $d2; state changes $((tr1 - tr0)); $looks looks, not up: $not_up"
check_num "the loss was real: 2-10 % of the probes lost on each gateway" \
	"$d1 > 0 and $d2 > 0 and 0.02 <= $x1 / $d1 <= 0.10 and 0.02 <= $x2 / $d2 <= 0.10"
check_eq "no failover: no gateway state change during the loss" 0 $((tr1 - tr0))
check_num "no failover: every look saw both gateways up ($not_up of $looks did not)" "$not_up == 0 and $looks > 0"
mx_flows_check "probe loss"
mx_final_check "probe loss over"
mx_finish
