/* SPDX-License-Identifier: MIT */
/*
 * connected.h - the kernel's networks the daemon plans against
 * (docs/design.md "Uplinks with dynamic addresses").
 */
#ifndef ECMPD_CONNECTED_H
#define ECMPD_CONNECTED_H

#include <stddef.h>

struct netlink;
struct plan;
struct plan_connected;

/*
 * The networks the kernel has now, for plan_input (a malloc'd array the
 * caller frees; *n its length). When the kernel cannot be read, the ones
 * the previous plan prev used (NULL: none), so a failed dump never takes
 * a leased uplink out of the balance. NULL (with *n 0) only without
 * memory.
 */
struct plan_connected *connected_now(struct netlink *nl,
				     const struct plan *prev, size_t *n);

#endif
