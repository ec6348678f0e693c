// SPDX-License-Identifier: MIT
/*
 * netwatch.c - the uplink a /tool netwatch probes its host through
 * (docs/config.md "/tool netwatch").
 *
 * RouterOS sends a netwatch's pings as the router sends any packet: by
 * the routing table, from src-address when one is given. ecmpd probes
 * through one uplink (its pin in SO_MARK, bound to its interface), so the
 * choice is made here from the plan: the uplink of the first nexthop of
 * the most specific route to the host in ecmpd's main table, or the first
 * uplink on the interface that owns src-address. A host on a connected
 * network or one no route in force reaches has no uplink.
 */
#include <string.h>

#include "base/ipv4.h"
#include "plan/plan.h"

static const struct plan_uplink *by_route(const struct plan *p, uint32_t host)
{
	const struct plan_route *best = NULL;

	for (size_t i = 0; i < p->n_routes; i++) {
		const struct plan_route *r = &p->routes[i];

		if (r->table != PLAN_TABLE_MAIN ||
		    (host & ipv4_mask(r->dst_len)) != r->dst)
			continue;
		if (!best || r->dst_len > best->dst_len)
			best = r;
	}
	if (!best || best->type != PLAN_ROUTE_UNICAST || !best->n_nexthops)
		return NULL;
	return plan_find_uplink(p, best->nexthops[0].interface,
				best->nexthops[0].has_gateway,
				best->nexthops[0].gateway);
}

const struct plan_uplink *plan_netwatch_uplink(const struct config *cfg,
					       const struct plan *p,
					       const struct netwatch *nw)
{
	if (!nw->has_src_address)
		return by_route(p, nw->host);
	for (size_t i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *ia = &cfg->addresses[i];
		const char *ifname;

		if (!entry_enabled(&ia->c) || ia->addr != nw->src_address)
			continue;
		ifname = config_linux_name(cfg, ia->interface);
		for (size_t j = 0; j < p->n_uplinks; j++)
			if (!strcmp(p->uplinks[j].interface, ifname))
				return &p->uplinks[j];
	}
	return NULL;
}
