/* SPDX-License-Identifier: MIT */
/*
 * route.h - ecmpd's IPv4 routes through rtnetlink: the routes of every
 * table ecmpd owns ([PLAN_TABLE_MAIN, PLAN_TABLE_MARK_BASE + PLAN_ID_MAX])
 * made equal to a plan, writing only what differs.
 */
#ifndef ECMPD_ROUTE_H
#define ECMPD_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/link.h"

struct netlink;
struct plan;
struct kernel_error;

/*
 * Whether table t is one ecmpd may have routes in (plan.h's numbering:
 * its main table, one per uplink, one per routing mark).
 */
bool route_table_owned(uint32_t t);

/*
 * Makes the IPv4 routes of ecmpd's tables equal to the plan: replaces
 * each desired route that is missing or different in one request (so a
 * multipath route changes atomically) and deletes every other route in
 * those tables. Interface names are resolved at call time; a nexthop
 * whose interface is missing or not up is left out with a warning, and a
 * route left without nexthops is skipped with a warning. why is cleared,
 * then receives the first failure. Returns 0 or the first -errno (the
 * remaining routes are still applied).
 */
int route_sync(struct netlink *nl, const struct plan *p,
	       struct kernel_error *why) __attribute__((warn_unused_result));

/*
 * Deletes every IPv4 route in ecmpd's tables. why as for route_sync().
 * Returns 0 or the first -errno.
 */
int route_remove_all(struct netlink *nl, struct kernel_error *why)
	__attribute__((warn_unused_result));

/* A table's default route through exactly one nexthop. */
struct default_route {
	uint32_t table;
	char interface[LINK_NAME_MAX]; /* "?" when the index is unknown */
	bool has_gateway;
	uint32_t gateway; /* host order */
};

/*
 * Reads the unicast default routes with exactly one nexthop of the tables
 * in [first, last], in the kernel's order (a table may have several).
 * *out receives a malloc'd array owned by the caller (NULL when none), *n
 * its length. Returns 0 or -errno.
 */
int route_read_defaults(struct netlink *nl, uint32_t first, uint32_t last,
			struct default_route **out, size_t *n)
	__attribute__((warn_unused_result));

#endif
