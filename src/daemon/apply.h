/* SPDX-License-Identifier: MIT */
/*
 * apply.h - making the kernel match a plan, and undoing it. The steps run
 * in a fixed order (addresses, routes, rules, the nft table, sysctls);
 * each is idempotent and diff-based, so applying the same plan twice
 * writes nothing the second time and applying the previous plan undoes a
 * half-applied new one. A step that fails does not stop the others: a
 * refused sysctl or nft write must never keep a failover's route change
 * from the kernel (the caller retries the failed steps).
 */
#ifndef ECMPD_APPLY_H
#define ECMPD_APPLY_H

#include <stdbool.h>
#include <stddef.h>

struct netlink;
struct fw;
struct plan;
struct state;

enum apply_step {
	APPLY_ADDRESSES,
	APPLY_ROUTES,
	APPLY_RULES,
	APPLY_NFT,
	APPLY_SYSCTLS,
	APPLY_STEPS,
};

/* Steps whose failure means the plan's own changes were refused. */
#define APPLY_PLAN_STEPS                                  \
	((1u << APPLY_ADDRESSES) | (1u << APPLY_ROUTES) | \
	 (1u << APPLY_RULES) | (1u << APPLY_NFT))

struct applier {
	struct netlink *nl;
	struct fw *fw;
	struct state *state; /* what was added or replaced, to undo */
	/* the steps that failed in the last apply_plan(): 1 << step bits */
	unsigned failed;
	/* what the kernel said about the first of them, or "" */
	char error[600];
};

/* "addresses", "routes", "rules", "nft table", "sysctls". */
const char *apply_step_name(enum apply_step step);

/*
 * Makes the kernel match p. applied is the plan now in force (NULL before
 * the first apply): the nft table is replaced only when its text differs
 * or the table is missing, unless force_fw. Addresses added and original
 * sysctl values are recorded in the state (and its file). Every step runs
 * even when an earlier one failed. Returns 0, or the -errno of the first
 * step that failed, with a->failed naming the failed steps and the
 * kernel's words about the first in a->error.
 */
int apply_plan(struct applier *a, const struct plan *p,
	       const struct plan *applied, bool force_fw)
	__attribute__((warn_unused_result));

/*
 * After apply_plan() failed: puts previous back in force (NULL: none) and
 * removes the addresses the failed attempt added (the state's addresses
 * from index n_added_before on) that previous does not have, so nothing of
 * the attempt is left behind.
 */
void apply_rollback(struct applier *a, const struct plan *previous,
		    size_t n_added_before);

/*
 * Removes everything ecmpd installed and restores what it changed, then
 * deletes the state file. Rules and routes go first: a pinned packet then
 * finds no route and is dropped at the router, rather than leaving by
 * another uplink while the nft table (masquerade, pins) is being removed.
 */
void apply_remove_all(struct applier *a);

#endif
