/* SPDX-License-Identifier: MIT */
/*
 * adopt.h - what a previous run of ecmpd left in the kernel, read back as
 * plan ids, so a daemon started again after a crash keeps the uplink ids
 * that live connections' pins refer to.
 */
#ifndef ECMPD_ADOPT_H
#define ECMPD_ADOPT_H

struct netlink;
struct plan_ids;

/*
 * Reads the uplink ids a previous run left in the kernel: for each rule
 * at PLAN_PRIO_PIN_BASE + id with fwmark id << PLAN_PIN_SHIFT looking up
 * PLAN_TABLE_UPLINK_BASE + id, the default route in that table gives the
 * interface name and gateway (an id without such a route is skipped).
 * Fills ids->uplinks (malloc'd, sorted by id, NULL when none; only id,
 * interface, has_gateway and gateway set) and ids->n_uplinks; their old
 * values are not freed, and the other fields of ids are left alone.
 * Returns 0 or -errno.
 */
int adopt_uplink_ids(struct netlink *nl, struct plan_ids *ids)
	__attribute__((warn_unused_result));

#endif
