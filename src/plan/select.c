// SPDX-License-Identifier: MIT
/*
 * select.c - which route is in force, as RouterOS decides it, and where
 * its gateways lead.
 *
 * Per (table, destination), among enabled routes: a route is active if it
 * is a blackhole or at least one of its gateways is usable; the active
 * route with the lowest distance wins (ties: the first in config order,
 * and in a RouterOS v7 config all of them, as one ECMP route); its
 * nexthops are its usable gateways, weighted by repetition.
 *
 * A gateway on a connected network (or with %interface, or an interface)
 * is an uplink. Any other gateway address is recursive, as in RouterOS:
 * it is resolved like a packet to it would be, through the active
 * main-table route with the longest prefix among those whose scope is at
 * most the route's target-scope; that route's gateways may be recursive
 * in turn (RESOLVE_DEPTH_MAX routes at most). A recursive gateway becomes
 * the nexthops of the route it resolves through (the kernel has no
 * recursive nexthops: the routes ecmpd writes name first hops), each
 * counting only while the gateway itself answers through that uplink
 * (a plan_target, when its route checks it with ping).
 *
 * All routes are indexed once, sorted by (table, destination, config
 * order): selection is one pass over the groups and each recursive lookup
 * is at most 33 binary searches, so the plan grows linearly (n log n)
 * with the number of routes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/ipv4.h"
#include "plan/internal.h"

/* One enabled route in the index. */
struct indexed {
	uint32_t table, dst;
	uint8_t len;
	size_t route; /* index in cfg->routes */
};

/* Nexthops being gathered: a route's, before it goes to the plan's pool. */
struct hops {
	size_t n;
	struct plan_nexthop v[PLAN_NEXTHOPS_MAX];
};

struct select {
	const struct config *cfg;
	bool v7; /* RouterOS v7 spelling: equal distances make ECMP */
	struct plan *p;
	struct indexed *v;
	size_t n;
};

struct plan_index {
	struct select s;
};

static int cmp_indexed(const void *a, const void *b)
{
	const struct indexed *x = a, *y = b;

	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	if (x->len != y->len)
		return (int)x->len - (int)y->len;
	return x->route < y->route ? -1 : x->route > y->route;
}

static int index_routes(struct select *s)
{
	const struct config *cfg = s->cfg;

	s->v = calloc(cfg->n_routes + 1, sizeof(*s->v));
	if (!s->v)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		if (!entry_enabled(&r->c) || r->dst_len > 32)
			continue;
		s->v[s->n++] = (struct indexed){
			.table = plan_route_table(s->p, r),
			.dst = r->dst & ipv4_mask(r->dst_len),
			.len = r->dst_len,
			.route = i,
		};
	}
	plan_sort(s->v, s->n, sizeof(*s->v), cmp_indexed);
	return 0;
}

/* The group of routes for (table, dst/len): *lo is its first entry. */
static size_t find_group(const struct select *s, uint32_t table, uint32_t dst,
			 uint8_t len, size_t *lo)
{
	const struct indexed key = { table, dst, len, 0 };
	size_t a = 0, b = s->n, end;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (cmp_indexed(&s->v[mid], &key) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	for (end = a; end < s->n && s->v[end].table == table &&
		      s->v[end].dst == dst && s->v[end].len == len;
	     end++)
		;
	*lo = a;
	return end - a;
}

static const struct route *route_at(const struct select *s, size_t k)
{
	return &s->cfg->routes[s->v[k].route];
}

/* Adds weight to the nexthop (gateway, interface) in out, or a new one. */
static void add_hop(struct hops *out, bool has_gateway, uint32_t gateway,
		    const char *interface, unsigned weight)
{
	struct plan_nexthop *nh;

	for (size_t i = 0; i < out->n; i++) {
		nh = &out->v[i];
		if (nh->has_gateway == has_gateway && nh->gateway == gateway &&
		    !strcmp(nh->interface, interface)) {
			nh->weight += weight;
			return;
		}
	}
	if (out->n >= PLAN_NEXTHOPS_MAX)
		return;
	nh = &out->v[out->n++];
	nh->has_gateway = has_gateway;
	nh->gateway = gateway;
	snprintf(nh->interface, sizeof(nh->interface), "%s", interface);
	nh->weight = weight;
}

/* Adds weight to uplink u's nexthop in out, or a new nexthop. */
static void add_nexthop(struct hops *out, const struct plan_uplink *u,
			unsigned weight)
{
	add_hop(out, u->has_gateway, u->gateway, u->interface, weight);
}

/* RouterOS v7: routes of equal distance to one destination are ECMP. */
static void merge_hops(struct hops *into, const struct hops *from)
{
	for (size_t i = 0; i < from->n; i++)
		add_hop(into, from->v[i].has_gateway, from->v[i].gateway,
			from->v[i].interface, from->v[i].weight);
}

static const struct plan_target *find_target(const struct plan *p,
					     uint32_t target, unsigned uplink)
{
	for (size_t i = 0; i < p->n_targets; i++)
		if (p->targets[i].target == target &&
		    p->targets[i].uplink == uplink)
			return &p->targets[i];
	return NULL;
}

static bool resolve_addr(const struct select *s, uint32_t addr, unsigned scope,
			 unsigned depth, struct hops *out);

/*
 * The usable nexthops of route r, recursive gateways resolved (depth:
 * routes still allowed below this one). Returns the count; 0 means the
 * route is inactive.
 */
static size_t expand(const struct select *s, const struct route *r,
		     unsigned depth, struct hops *out)
{
	out->n = 0;
	for (size_t i = 0; i < r->n_gateways; i++) {
		const struct gateway *gw = &r->gateways[i];
		const struct plan_uplink *u;
		struct plan_uplink key;
		struct hops sub;
		int rc = plan_resolve_gateway(s->cfg, s->p, gw, &key);

		if (rc > 0) {
			u = plan_find_uplink(s->p, key.interface,
					     key.has_gateway, key.gateway);
			if (u && u->alive)
				add_nexthop(out, u, 1);
			continue;
		}
		if (rc < 0 || !gw->has_addr || !depth ||
		    !resolve_addr(s, gw->addr, route_target_scope(r), depth - 1,
				  &sub))
			continue;
		for (size_t j = 0; j < sub.n; j++) {
			const struct plan_nexthop *nh = &sub.v[j];
			const struct plan_target *t;

			u = plan_find_uplink(s->p, nh->interface,
					     nh->has_gateway, nh->gateway);
			if (!u)
				continue;
			t = find_target(s->p, gw->addr, u->id);
			if (!t || t->alive)
				add_nexthop(out, u, nh->weight);
		}
	}
	/* The kernel's nexthop weight is a u8 holding weight - 1. */
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].weight > 256)
			out->v[i].weight = 256;
	return out->n;
}

/*
 * The route a recursive gateway addr resolves through: the active
 * main-table route with the longest prefix containing addr, among those
 * of scope at most scope (the lowest distance per prefix, the first on a
 * tie); its nexthops go to out. False when there is none.
 */
static bool resolve_addr(const struct select *s, uint32_t addr, unsigned scope,
			 unsigned depth, struct hops *out)
{
	for (int len = 32; len >= 0; len--) {
		const struct route *best = NULL;
		struct hops cand;
		size_t lo, n;

		n = find_group(s, PLAN_TABLE_MAIN, addr & ipv4_mask(len),
			       (uint8_t)len, &lo);
		for (size_t k = lo; k < lo + n; k++) {
			const struct route *r = route_at(s, k);

			if (!route_resolves(r, addr, scope) ||
			    (best && r->distance >= best->distance))
				continue;
			if (expand(s, r, depth, &cand)) {
				best = r;
				*out = cand;
			}
		}
		if (best)
			return true;
	}
	return false;
}

/* ---- targets: the recursive gateways the daemon probes ---- */

struct target_list {
	struct plan_target *v;
	size_t n, cap;
};

static int add_target(struct plan *p, struct target_list *l, uint32_t addr,
		      const struct plan_uplink *u)
{
	struct plan_target *t;
	int ret;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].target == addr && l->v[i].uplink == u->id)
			return 0;
	ret = array_grow(&l->v, &l->cap, l->n, sizeof(*l->v));
	if (ret < 0)
		return ret;
	t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	t->target = addr;
	t->uplink = u->id;
	memcpy(t->interface, u->interface, sizeof(t->interface));
	t->has_gateway = u->has_gateway;
	t->gateway = u->gateway;
	t->check = CHECK_PING;
	t->alive = true;
	return 0;
}

/*
 * Every uplink a chain of routes could resolve addr to, whatever is in
 * force now: a probe through each is running before it is needed.
 */
static int targets_of(const struct select *s, struct target_list *l,
		      uint32_t target, uint32_t addr, unsigned scope,
		      unsigned depth)
{
	for (int len = 32; len >= 0; len--) {
		size_t lo, n;

		n = find_group(s, PLAN_TABLE_MAIN, addr & ipv4_mask(len),
			       (uint8_t)len, &lo);
		for (size_t k = lo; k < lo + n; k++) {
			const struct route *r = route_at(s, k);

			if (!route_resolves(r, addr, scope))
				continue;
			for (size_t j = 0; j < r->n_gateways; j++) {
				const struct gateway *gw = &r->gateways[j];
				const struct plan_uplink *u;
				struct plan_uplink key;
				int rc = plan_resolve_gateway(s->cfg, s->p, gw,
							      &key);
				int ret = 0;

				if (rc > 0) {
					u = plan_find_uplink(s->p,
							     key.interface,
							     key.has_gateway,
							     key.gateway);
					if (u)
						ret = add_target(s->p, l,
								 target, u);
				} else if (!rc && gw->has_addr && depth) {
					ret = targets_of(s, l, target, gw->addr,
							 route_target_scope(r),
							 depth - 1);
				}
				if (ret < 0)
					return ret;
			}
		}
	}
	return 0;
}

static int cmp_target(const void *a, const void *b)
{
	const struct plan_target *x = a, *y = b;

	if (x->uplink != y->uplink)
		return x->uplink < y->uplink ? -1 : 1;
	return x->target < y->target ? -1 : x->target > y->target;
}

int plan_collect_targets(const struct config *cfg, struct plan *p,
			 const struct plan_index *ix)
{
	const struct select *s = &ix->s;
	struct target_list l = { 0 };
	int ret = 0;

	for (size_t i = 0; !ret && i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		if (!entry_enabled(&r->c) || r->blackhole ||
		    r->check_gateway != CHECK_PING)
			continue;
		for (size_t j = 0; !ret && j < r->n_gateways; j++) {
			const struct gateway *gw = &r->gateways[j];
			struct plan_uplink key;

			if (!gw->has_addr ||
			    plan_resolve_gateway(cfg, p, gw, &key) != 0)
				continue;
			ret = targets_of(s, &l, gw->addr, gw->addr,
					 route_target_scope(r),
					 RESOLVE_DEPTH_MAX - 1);
		}
	}
	if (ret < 0) {
		free(l.v);
		return ret;
	}
	if (!l.v)
		l.v = calloc(1, sizeof(*l.v));
	if (!l.v)
		return -ENOMEM;
	plan_sort(l.v, l.n, sizeof(*l.v), cmp_target);
	p->targets = l.v;
	p->n_targets = l.n;
	return 0;
}

/*
 * The routes being built, in order, and their nexthops in one pool (a
 * route's nexthops follow the previous route's), so a plan of 100 000
 * routes is a few megabytes, not a plan_route's worth of room for
 * PLAN_NEXTHOPS_MAX nexthops each. The pointers into the pool are set
 * once it stops moving (route_list_finish()).
 */
struct route_list {
	struct plan_route *v;
	size_t n, cap;
	struct plan_nexthop *pool;
	size_t n_pool, cap_pool;
};

/* Appends a route with the nexthops h (NULL: none). */
static int add_route(struct route_list *l, uint32_t table, uint32_t dst,
		     uint8_t len, enum plan_route_type type,
		     const struct hops *h)
{
	size_t n = h ? h->n : 0;
	struct plan_route *r;

	if (array_grow(&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return -ENOMEM;
	while (l->n_pool + n > l->cap_pool)
		if (array_grow(&l->pool, &l->cap_pool, l->cap_pool,
			       sizeof(*l->pool)) < 0)
			return -ENOMEM;
	r = &l->v[l->n++];
	*r = (struct plan_route){ .table = table,
				  .dst = dst,
				  .dst_len = len,
				  .type = type,
				  .n_nexthops = n };
	if (n)
		memcpy(l->pool + l->n_pool, h->v, n * sizeof(*l->pool));
	l->n_pool += n;
	return 0;
}

/*
 * Selects, per (table, destination), the route RouterOS would use, for
 * the groups of the index in [lo, end) (so in the index's order). A
 * main-table default with nothing active becomes unreachable, so clients
 * fail fast instead of leaking out a route the kernel's own main table
 * might have.
 */
static int select_routes(const struct select *s, size_t lo, size_t end,
			 struct route_list *l)
{
	struct hops a, b, *cand = &a, *chosen = &b, *t;

	for (size_t hi; lo < end; lo = hi) {
		const struct indexed *g = &s->v[lo];
		const struct route *best = NULL;
		enum plan_route_type type = PLAN_ROUTE_UNICAST;
		int ret;

		for (hi = lo; hi < end && s->v[hi].table == g->table &&
			      s->v[hi].dst == g->dst && s->v[hi].len == g->len;
		     hi++) {
			const struct route *r = route_at(s, hi);
			bool tie = best && r->distance == best->distance &&
				   s->v7 && !best->blackhole && !r->blackhole;

			if (best && r->distance >= best->distance && !tie)
				continue;
			if (r->blackhole) {
				best = r;
			} else if (expand(s, r, RESOLVE_DEPTH_MAX - 1, cand)) {
				if (tie) {
					merge_hops(chosen, cand);
					continue;
				}
				best = r;
				t = chosen;
				chosen = cand;
				cand = t;
			}
		}
		if (!best && (g->table != PLAN_TABLE_MAIN || g->len))
			continue;
		if (!best)
			type = PLAN_ROUTE_UNREACHABLE;
		else if (best->blackhole)
			type = PLAN_ROUTE_BLACKHOLE;
		ret = add_route(l, g->table, g->dst, g->len, type,
				type == PLAN_ROUTE_UNICAST ? chosen : NULL);
		if (ret < 0)
			return ret;
		if (best && best->has_pref_src)
			l->v[l->n - 1].src = best->pref_src;
	}
	return 0;
}

/* Each uplink's own table: its default route, dead or alive. */
static int uplink_routes(struct plan *p, struct route_list *l)
{
	struct hops h = { .n = 1 };

	for (size_t i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];
		int ret;

		h.v[0].has_gateway = u->has_gateway;
		h.v[0].gateway = u->gateway;
		memcpy(h.v[0].interface, u->interface, sizeof(u->interface));
		h.v[0].weight = 1;
		ret = add_route(l, u->table, 0, 0, PLAN_ROUTE_UNICAST, &h);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Hands the routes and their pool to p, pointers set. */
static void route_list_finish(struct route_list *l, struct plan *p)
{
	size_t at = 0;

	for (size_t i = 0; i < l->n; i++) {
		l->v[i].nexthops = l->pool ? l->pool + at : NULL;
		at += l->v[i].n_nexthops;
	}
	p->routes = l->v;
	p->n_routes = l->n;
	p->nexthops = l->pool;
	p->n_nexthops = l->n_pool;
}

static int cmp_route(const void *a, const void *b)
{
	const struct plan_route *x = a, *y = b;

	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	return (int)x->dst_len - (int)y->dst_len;
}

/* The first index entry of a table after table: the index is sorted. */
static size_t table_end(const struct select *s, size_t k, uint32_t table)
{
	while (k < s->n && s->v[k].table <= table)
		k++;
	return k;
}

static bool routes_sorted(const struct plan *p)
{
	for (size_t i = 1; i < p->n_routes; i++)
		if (cmp_route(&p->routes[i - 1], &p->routes[i]) > 0)
			return false;
	return true;
}

int plan_build_routes(const struct config *cfg, struct plan *p,
		      const struct plan_index *ix)
{
	const struct select *s = &ix->s;
	struct route_list l = { 0 };
	size_t main_end = table_end(s, 0, PLAN_TABLE_MAIN);
	int ret;

	/*
	 * Built in order, so a big table needs no sort: ecmpd's main table,
	 * the uplinks' tables (sorted by id, their tables follow), the marks'.
	 */
	ret = select_routes(s, 0, main_end, &l);
	if (!ret)
		ret = uplink_routes(p, &l);
	if (!ret)
		ret = select_routes(s, main_end, s->n, &l);
	route_list_finish(&l, p);
	if (ret < 0)
		return ret;
	/* Only a plan whose uplinks are not sorted by id needs one. */
	if (!routes_sorted(p))
		plan_sort(p->routes, p->n_routes, sizeof(*p->routes),
			  cmp_route);
	return 0;
}

struct plan_index *plan_index_new(const struct config *cfg, struct plan *p)
{
	struct plan_index *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return NULL;
	ix->s.cfg = cfg;
	ix->s.v7 = config_is_v7(cfg);
	ix->s.p = p;
	if (index_routes(&ix->s) < 0) {
		free(ix);
		return NULL;
	}
	return ix;
}

void plan_index_free(struct plan_index *ix)
{
	if (!ix)
		return;
	free(ix->s.v);
	free(ix);
}
