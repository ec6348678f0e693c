/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what the planner's files share and nobody else needs:
 * plan.c (uplinks, ids, names, sysctls, addresses, the build), select.c
 * (route selection and recursive gateways), rules.c (the ip rules).
 */
#ifndef ECMPD_PLAN_INTERNAL_H
#define ECMPD_PLAN_INTERNAL_H

#include "plan/plan.h"

/*
 * Copies a Linux interface name; a name that does not fit IFNAMSIZ can
 * never match a Linux interface, so it is -EINVAL, not a truncation.
 */
int plan_copy_ifname(char dst[LINUX_IFNAME_MAX], const char *src);

/*
 * The uplink key of a gateway that needs no recursion: its Linux
 * interface (given with %iface, or that of the connected network
 * containing it: the config's, else the kernel's in p->connected) and
 * address. Returns 1 when resolved, 0 when the gateway is on no connected
 * network (a recursive gateway, select.c), -EINVAL for a name too long
 * for Linux.
 */
int plan_resolve_gateway(const struct config *cfg, const struct plan *p,
			 const struct gateway *gw, struct plan_uplink *key);

/*
 * Where uplink key's interface gets its address: a client of the config
 * that provides it, else the kernel when gw was placed on a kernel
 * network, else static (connected.c).
 */
enum plan_source plan_uplink_source(const struct config *cfg,
				    const struct gateway *gw,
				    const struct plan_uplink *key);

/* Copies in's connected networks, normalized, to p (connected.c). */
int plan_copy_connected(struct plan *p, const struct plan_input *in);

/* qsort that may be handed an empty array. */
void plan_sort(void *base, size_t n, size_t size,
	       int (*cmp)(const void *, const void *));

/* The table of route r: PLAN_TABLE_MAIN or its routing mark's table. */
uint32_t plan_route_table(const struct plan *p, const struct route *r);

/*
 * The enabled routes sorted by (table, destination, config order), built
 * once per plan after the routing marks have their ids (select.c). NULL
 * with errno on failure.
 */
struct plan_index;
struct plan_index *plan_index_new(const struct config *cfg, struct plan *p);
void plan_index_free(struct plan_index *ix);

/*
 * The recursive gateways checked by ping, each through every uplink a
 * chain of routes could resolve it to (select.c). Needs the uplinks with
 * their ids; sets p->targets, sorted by uplink id and target. 0 or
 * -ENOMEM.
 */
int plan_collect_targets(const struct config *cfg, struct plan *p,
			 const struct plan_index *ix);

/*
 * The routes: per (table, destination) the one RouterOS would use, with
 * recursive gateways resolved to their uplinks, plus each uplink's own
 * table (select.c). Needs the uplinks' and targets' states; sets
 * p->routes, sorted. 0 or -ENOMEM.
 */
int plan_build_routes(const struct config *cfg, struct plan *p,
		      const struct plan_index *ix);

/* The ip rules and the tables ecmpd owns (rules.c). 0 or -ENOMEM. */
int plan_build_rules(const struct config *cfg, struct plan *p);

#endif
