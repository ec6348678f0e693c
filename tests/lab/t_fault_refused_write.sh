#!/bin/bash
# SPDX-License-Identifier: MIT
# t_fault_refused_write.sh - fault matrix (issue 11, item 2): a kernel
# write that keeps failing must not block a failover. ecmpd runs in a
# mount namespace of its own; once it is up, a read-only file saying "0"
# is bound over /proc/sys/net/ipv4/fwmark_reflect in that namespace only,
# so every apply reads "0", wants "1" and has its write refused (EROFS),
# while the kernel's real value stays 1 and the data path is untouched.
# Then ISP1 goes dark. Expected: 10.111.0.1 leaves the balance within the
# usual time, its connections are flushed, the refused write is logged
# and counted, and once the file is unbound the write succeeds again.
# Before this was fixed, the refused sysctl made every replan restore the
# previous plan, which put the dead gateway back. Invariants: lib_matrix.sh.
. "$(dirname "$0")/lib_matrix.sh"

REAL_ECMPD=$ECMPD
ECMPD=$LAB_TMP/ecmpd-own-mounts
cat >"$ECMPD" <<EOF2
#!/bin/sh
exec unshare --mount --propagation private "$REAL_ECMPD" "\$@"
EOF2
chmod +x "$ECMPD"
need unshare nsenter

KEY=/proc/sys/net/ipv4/fwmark_reflect
mx_start
check_eq "start: the kernel's fwmark_reflect is ecmpd's 1" 1 "$(rt cat "$KEY")"
echo 0 >"$LAB_TMP/ro-value"
held() { nsenter -t "$ECMPD_PID" -m -n sh -c "grep -q '^0' $KEY"; }
check "a read-only 0 is bound over $KEY in ecmpd's mount namespace" \
	nsenter -t "$ECMPD_PID" -m -n mount --bind -o ro "$LAB_TMP/ro-value" "$KEY"
check "ecmpd now reads 0 there" held
errors0=$(ecmpd_status_field kernel_errors)

t=$(lf_timed "$GW1=down" 10 isp_blackout 1)
echo "MEASURE: ISP1 blacked out, sysctl write refused -> 10.111.0.1 down: $t ms"
check "blackout: 10.111.0.1 down although a sysctl write is refused ($t ms)" [ "$t" != timeout ]
check "blackout: multipath route without 10.111.0.1" wait_for 10 lf_multipath_lacks "$GW1"
check "blackout: ... and it stays without it (no restore of the old plan)" \
	bash -c "! ip netns exec $NS_RT ip route show table 1000 | grep -q 'via $GW1'"
refused() { grep -q 'kernel write failed (sysctls: ' "$ECMPD_LOG"; }
check "the refused write is logged with its step" wait_for 10 refused
check_num "the refused write is counted ($errors0 -> $(ecmpd_status_field kernel_errors))" \
	"$(ecmpd_status_field kernel_errors) > $errors0"
lf_batch "$MX_BATCH"
check_num "blackout: every new connection succeeds ($B_OK of $B_TOTAL)" "$B_OK == $B_TOTAL > 0"
check_num "blackout:   ... through ISP2 ($B_UP2 of $B_TOTAL)" "$B_UP2 == $B_TOTAL > 0"
mx_flows_check "blackout" "$WAN1"

check "the file is unbound" nsenter -t "$ECMPD_PID" -m -n umount "$KEY"
again() { grep -q 'kernel writes succeed again' "$ECMPD_LOG"; }
check "the write succeeds again once it may (retried)" wait_for 10 again

t=$(lf_timed "$GW1=up" 20 isp_restore 1)
echo "MEASURE: ISP1 restored -> 10.111.0.1 up: $t ms"
check "restore: 10.111.0.1 up ($t ms)" [ "$t" != timeout ]
mx_flows_check "restore" "$WAN1"
mx_final_check "restore"
mx_finish
