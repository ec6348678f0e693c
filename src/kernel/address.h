/* SPDX-License-Identifier: MIT */
/*
 * address.h - the IPv4 addresses a plan puts on interfaces, through
 * rtnetlink. ecmpd adds the ones that are missing and, at stop, deletes
 * exactly the ones it added; addresses it did not add are never touched.
 */
#ifndef ECMPD_ADDRESS_H
#define ECMPD_ADDRESS_H

#include <stddef.h>

struct netlink;
struct plan;
struct plan_address;
struct plan_connected;
struct kernel_error;

/*
 * Adds each plan address missing on its interface (a missing interface is
 * a warning). *added receives a malloc'd array, owned by the caller, of
 * exactly the addresses this call added (NULL when none), *n_added its
 * length, even when an error is returned. why is cleared, then receives
 * the first failure. Returns 0 or the first -errno.
 */
int address_add_missing(struct netlink *nl, const struct plan *p,
			struct plan_address **added, size_t *n_added,
			struct kernel_error *why)
	__attribute__((warn_unused_result));

/*
 * Deletes the n addresses a; ones already gone (or whose interface is
 * gone) are not an error. why as for address_add_missing(). Returns 0 or
 * the first -errno.
 */
int address_delete(struct netlink *nl, const struct plan_address *a, size_t n,
		   struct kernel_error *why);

/*
 * The networks the kernel has on its interfaces, as planner input
 * (plan.h, struct plan_connected): per IPv4 address of scope below host,
 * its network (the peer's on a point-to-point link). *out receives a
 * malloc'd array owned by the caller (never NULL on success). why as for
 * address_add_missing(). Returns 0 or -errno.
 */
int address_connected(struct netlink *nl, struct plan_connected **out,
		      size_t *n, struct kernel_error *why)
	__attribute__((warn_unused_result));

#endif
