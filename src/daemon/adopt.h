/* SPDX-License-Identifier: MIT */
/*
 * adopt.h - the uplink ids a previous run of ecmpd left in the kernel, so
 * that a restart (also after SIGKILL) keeps the meaning of the pins that
 * live connections carry.
 */
#ifndef ECMPD_ADOPT_H
#define ECMPD_ADOPT_H

struct netlink;
struct plan_ids;

/*
 * Fills ids->uplinks from ecmpd's own pin rules and uplink tables.
 * Returns 0 or -errno.
 */
int adopt_uplink_ids(struct netlink *nl, struct plan_ids *ids)
	__attribute__((warn_unused_result));

#endif
