// SPDX-License-Identifier: MIT
/*
 * resolve.c - where a gateway address is, as RouterOS decides it: on a
 * connected network (the networks of enabled /ip address entries, scope
 * 10), or beyond one, through main-table routes whose scope is at most the
 * route's target-scope (docs/config.md "Recursive gateways").
 *
 * These are the structural questions the checker asks (can this gateway be
 * reached at all?); which of the candidate routes is in force at a given
 * moment depends on gateway health and is the planner's business
 * (src/plan/select.c).
 */
#include "base/ipv4.h"
#include "config/config.h"

unsigned route_scope(const struct route *r)
{
	return r->has_scope ? r->scope : ROUTE_SCOPE_DEFAULT;
}

unsigned route_target_scope(const struct route *r)
{
	return r->has_target_scope ? r->target_scope :
				     ROUTE_TARGET_SCOPE_DEFAULT;
}

const char *config_connected_interface(const struct config *cfg, uint32_t addr)
{
	const char *best = NULL;
	int best_len = -1;

	for (size_t i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];
		uint32_t m = ipv4_mask(a->len);

		if (!entry_enabled(&a->c) || a->len > 32 ||
		    (a->addr & m) != (addr & m) || (int)a->len <= best_len)
			continue;
		best_len = a->len;
		best = a->interface;
	}
	return best;
}

bool route_resolves(const struct route *r, uint32_t addr, unsigned scope)
{
	uint32_t m = ipv4_mask(r->dst_len);

	return entry_enabled(&r->c) && !r->blackhole && r->dst_len <= 32 &&
	       config_is_main_table(r->table) && (r->dst & m) == (addr & m) &&
	       route_scope(r) <= scope;
}

bool gateway_is_recursive(const struct config *cfg, const struct gateway *gw)
{
	return gw->has_addr && !gw->interface[0] &&
	       !config_connected_interface(cfg, gw->addr);
}

static bool reachable(const struct config *cfg, uint32_t addr, unsigned ts,
		      unsigned depth)
{
	if (!depth)
		return false;
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		if (!route_resolves(r, addr, ts))
			continue;
		for (size_t j = 0; j < r->n_gateways; j++) {
			const struct gateway *gw = &r->gateways[j];

			if (!gateway_is_recursive(cfg, gw) ||
			    reachable(cfg, gw->addr, route_target_scope(r),
				      depth - 1))
				return true;
		}
	}
	return false;
}

bool config_gateway_reachable(const struct config *cfg, const struct route *r,
			      uint32_t addr)
{
	return reachable(cfg, addr, route_target_scope(r), RESOLVE_DEPTH_MAX);
}
