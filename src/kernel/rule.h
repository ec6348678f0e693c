/* SPDX-License-Identifier: MIT */
/*
 * rule.h - ecmpd's IPv4 policy routing rules through rtnetlink: the rules
 * in its priority range ([PLAN_PRIO_FIRST, PLAN_PRIO_LAST]) made equal to
 * a plan, writing only what differs.
 */
#ifndef ECMPD_RULE_H
#define ECMPD_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netlink;
struct plan;
struct kernel_error;

/*
 * Makes the IPv4 rules in ecmpd's priority range equal to the plan: adds
 * the missing ones first, then deletes the extra or different ones, so no
 * packet sees a gap. why is cleared, then receives the first failure.
 * Returns 0 or the first -errno.
 */
int rule_sync(struct netlink *nl, const struct plan *p,
	      struct kernel_error *why) __attribute__((warn_unused_result));

/*
 * Deletes every IPv4 rule in ecmpd's priority range. why as for
 * rule_sync(). Returns 0 or the first -errno.
 */
int rule_remove_all(struct netlink *nl, struct kernel_error *why)
	__attribute__((warn_unused_result));

/* An IPv4 rule as the kernel has it. */
struct kernel_rule {
	uint32_t priority;
	uint32_t fwmark, fwmask; /* 0/0 without an fwmark match */
	uint32_t table;
	int suppress_prefixlen; /* -1: none */
	uint8_t action; /* FR_ACT_* */
	uint8_t protocol; /* who made it: RTPROT_*, PLAN_RTPROT for ecmpd */
	/* the selectors of the config's policy rules */
	uint32_t src, dst;
	uint8_t src_len, dst_len;
	char iif[16]; /* IFNAMSIZ */
	/* a selector ecmpd never sets: output interface, port, uid... */
	bool other;
};

/*
 * Reads the IPv4 rules with priority in [first, last], in the kernel's
 * order. *out receives a malloc'd array owned by the caller (NULL when
 * none), *n its length. Returns 0 or -errno.
 */
int rule_read(struct netlink *nl, uint32_t first, uint32_t last,
	      struct kernel_rule **out, size_t *n)
	__attribute__((warn_unused_result));

#endif
