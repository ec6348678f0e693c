// SPDX-License-Identifier: MIT
/*
 * plan.c - the planner: config plus gateway states in, desired kernel
 * state out. Pure: no I/O, no clock, no globals.
 *
 * A masqueraded connection dies if it ever changes interface, and a plain
 * multipath route re-hashes live flows whenever its gateway set changes.
 * So the plan chooses an uplink once per connection and pins it: every
 * distinct gateway of an enabled route becomes an uplink with a small id
 * that lasts across rebuilds (the caller hands the previous ids back in),
 * its own routing table and its own ip rule on the pin bits of the packet
 * mark; the nft ruleset (ruleset.c) stores the pin in the conntrack mark
 * and copies it to the packet mark. New connections follow ecmpd's main
 * table, which holds the config's main-table routes as RouterOS would
 * select them: the active route with the lowest distance per destination,
 * its alive gateways as weighted nexthops. Everything in the plan is
 * sorted so two builds of the same input compare equal and print the same
 * text.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "base/array.h"
#include "plan/plan.h"
#include "plan/ruleset.h"

/* route_gateways() output per route; RouterOS caps ECMP lists far lower. */
#define GATEWAYS_MAX 256

/*
 * Copies a Linux interface name; a name that does not fit IFNAMSIZ can
 * never match a Linux interface, so it is an error, not a truncation.
 */
static int copy_ifname(char dst[LINUX_IFNAME_MAX], const char *src)
{
	size_t len = strlen(src);

	if (len >= LINUX_IFNAME_MAX)
		return -EINVAL;
	memcpy(dst, src, len + 1);
	return 0;
}

/* The strength order of checks: ping beats arp beats none. */
static int check_rank(enum check_gateway c)
{
	switch (c) {
	case CHECK_PING:
		return 2;
	case CHECK_ARP:
		return 1;
	default:
		return 0;
	}
}

/*
 * The uplink key of a gateway: its Linux interface (given with %iface, or
 * that of the enabled address with the longest prefix containing the
 * gateway) and address. Returns 1 when resolved, 0 when the gateway is on
 * no connected network (such a gateway is never usable), -EINVAL for a
 * name too long for Linux.
 */
static int resolve_gateway(const struct config *cfg, const struct gateway *gw,
			   struct plan_uplink *key)
{
	const char *rsc = NULL;
	int best = -1;
	size_t i;

	memset(key, 0, sizeof(*key));
	key->has_gateway = gw->has_addr;
	key->gateway = gw->has_addr ? gw->addr : 0;
	if (gw->interface[0]) {
		rsc = gw->interface;
	} else if (gw->has_addr) {
		for (i = 0; i < cfg->n_addresses; i++) {
			const struct ip_address *a = &cfg->addresses[i];
			uint32_t m = ipv4_mask(a->len);

			if (!entry_enabled(&a->c) ||
			    (a->addr & m) != (gw->addr & m))
				continue;
			if ((int)a->len > best) {
				best = a->len;
				rsc = a->interface;
			}
		}
	}
	if (!rsc || !rsc[0])
		return 0;
	if (copy_ifname(key->interface, config_linux_name(cfg, rsc)) < 0)
		return -EINVAL;
	return 1;
}

static bool uplink_same(const struct plan_uplink *a,
			const struct plan_uplink *b)
{
	return a->has_gateway == b->has_gateway && a->gateway == b->gateway &&
	       !strcmp(a->interface, b->interface);
}

static struct plan_uplink *find_uplink(struct plan_uplink *v, size_t n,
				       const struct plan_uplink *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (uplink_same(&v[i], key))
			return &v[i];
	return NULL;
}

static bool dead_matches(const struct plan_dead *d, const struct plan_uplink *u)
{
	if (d->interface[0] && strcmp(d->interface, u->interface))
		return false;
	if (d->has_gateway != u->has_gateway)
		return false;
	return !d->has_gateway || d->gateway == u->gateway;
}

/* Hands out ids: used[id] marks the taken ones; 0 when all are taken. */
static unsigned lowest_free(const bool used[PLAN_ID_MAX + 1])
{
	unsigned id;

	for (id = 1; id <= PLAN_ID_MAX; id++)
		if (!used[id])
			return id;
	return 0;
}

/*
 * Collects every uplink in order of first appearance (routes in config
 * order, gateways in list order), with the strongest check.
 */
static int collect_uplinks(const struct config *cfg, struct plan *p)
{
	struct weighted_gateway *wg;
	size_t cap = 0, i, j, n;
	int ret = 0;

	wg = calloc(GATEWAYS_MAX, sizeof(*wg));
	if (!wg)
		return -ENOMEM;
	for (i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		if (!entry_enabled(&r->c) || r->blackhole)
			continue;
		n = route_gateways(r, wg, GATEWAYS_MAX);
		for (j = 0; j < n; j++) {
			struct plan_uplink key, *u;

			ret = resolve_gateway(cfg, &wg[j].gw, &key);
			if (ret < 0)
				goto out;
			if (!ret)
				continue;
			ret = 0;
			u = find_uplink(p->uplinks, p->n_uplinks, &key);
			if (!u) {
				ret = array_grow(&p->uplinks, &cap,
						 p->n_uplinks,
						 sizeof(*p->uplinks));
				if (ret < 0)
					goto out;
				u = &p->uplinks[p->n_uplinks++];
				*u = key;
			}
			if (check_rank(r->check_gateway) > check_rank(u->check))
				u->check = r->check_gateway;
		}
	}
out:
	free(wg);
	return ret;
}

/*
 * Gives every uplink its id: the previous one when the uplink existed
 * before (matched on interface and gateway), else the lowest free id, in
 * order of first appearance. A previous id already claimed by an earlier
 * uplink (a corrupt input) counts as absent.
 */
static int assign_uplink_ids(struct plan *p, const struct plan_ids *old)
{
	bool used[PLAN_ID_MAX + 1] = { false };
	size_t i, j;

	for (i = 0; old && i < p->n_uplinks; i++) {
		struct plan_uplink *u = &p->uplinks[i];

		for (j = 0; j < old->n_uplinks; j++) {
			const struct plan_uplink *o = &old->uplinks[j];

			if (o->gateway != u->gateway ||
			    strcmp(o->interface, u->interface))
				continue;
			if (o->id >= 1 && o->id <= PLAN_ID_MAX &&
			    !used[o->id]) {
				u->id = o->id;
				used[o->id] = true;
			}
			break;
		}
	}
	for (i = 0; i < p->n_uplinks; i++) {
		struct plan_uplink *u = &p->uplinks[i];

		if (!u->id) {
			u->id = lowest_free(used);
			if (!u->id)
				return -ENOSPC;
			used[u->id] = true;
		}
		u->mark = u->id << PLAN_PIN_SHIFT;
		u->table = PLAN_TABLE_UPLINK_BASE + u->id;
	}
	return 0;
}

/* Appends name to a name list unless it is there already. */
static int add_name(struct plan_name **v, size_t *n, size_t *cap,
		    const char *name)
{
	size_t i, len = strlen(name);
	int ret;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name))
			return 0;
	if (len >= CONFIG_NAME_MAX)
		return -EINVAL;
	ret = array_grow(v, cap, *n, sizeof(**v));
	if (ret < 0)
		return ret;
	memcpy((*v)[*n].name, name, len + 1);
	(*v)[*n].id = 0;
	(*n)++;
	return 0;
}

/* Like assign_uplink_ids(), for connection marks or routing tables. */
static int assign_name_ids(struct plan_name *v, size_t n,
			   const struct plan_name *old, size_t n_old)
{
	bool used[PLAN_ID_MAX + 1] = { false };
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n_old; j++) {
			unsigned id = old[j].id;

			if (strcmp(old[j].name, v[i].name))
				continue;
			if (id >= 1 && id <= PLAN_ID_MAX && !used[id]) {
				v[i].id = id;
				used[id] = true;
			}
			break;
		}
	}
	for (i = 0; i < n; i++) {
		if (v[i].id)
			continue;
		v[i].id = lowest_free(used);
		if (!v[i].id)
			return -ENOSPC;
		used[v[i].id] = true;
	}
	return 0;
}

/*
 * Collects connection-mark names (set or tested, "no-mark" aside) and
 * routing-table names (/routing table, route tables, set or tested
 * routing marks; "main" is the main table, not a mark), then their ids.
 */
static int collect_names(const struct config *cfg, const struct plan_ids *old,
			 struct plan_ids *ids)
{
	size_t ccap = 0, rcap = 0, i;
	int ret = 0;

	for (i = 0; i < cfg->n_tables && !ret; i++) {
		const struct routing_table *t = &cfg->tables[i];

		if (entry_enabled(&t->c) && !config_is_main_table(t->name))
			ret = add_name(&ids->routemarks, &ids->n_routemarks,
				       &rcap, t->name);
	}
	for (i = 0; i < cfg->n_routes && !ret; i++) {
		const struct route *r = &cfg->routes[i];

		if (entry_enabled(&r->c) && !config_is_main_table(r->table))
			ret = add_name(&ids->routemarks, &ids->n_routemarks,
				       &rcap, r->table);
	}
	for (i = 0; i < cfg->n_mangle && !ret; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];

		if (!entry_enabled(&m->c))
			continue;
		if (m->match.connection_mark.name[0] &&
		    !config_is_no_mark(m->match.connection_mark.name))
			ret = add_name(&ids->connmarks, &ids->n_connmarks,
				       &ccap, m->match.connection_mark.name);
		if (!ret && m->action == MANGLE_MARK_CONNECTION &&
		    m->new_connection_mark[0] &&
		    !config_is_no_mark(m->new_connection_mark))
			ret = add_name(&ids->connmarks, &ids->n_connmarks,
				       &ccap, m->new_connection_mark);
		if (!ret && m->match.routing_mark.name[0] &&
		    !config_is_main_table(m->match.routing_mark.name))
			ret = add_name(&ids->routemarks, &ids->n_routemarks,
				       &rcap, m->match.routing_mark.name);
		if (!ret && m->action == MANGLE_MARK_ROUTING &&
		    !config_is_main_table(m->new_routing_mark))
			ret = add_name(&ids->routemarks, &ids->n_routemarks,
				       &rcap, m->new_routing_mark);
	}
	if (ret < 0)
		return ret;
	ret = assign_name_ids(ids->connmarks, ids->n_connmarks,
			      old ? old->connmarks : NULL,
			      old ? old->n_connmarks : 0);
	if (ret < 0)
		return ret;
	return assign_name_ids(ids->routemarks, ids->n_routemarks,
			       old ? old->routemarks : NULL,
			       old ? old->n_routemarks : 0);
}

static unsigned name_id(const struct plan_name *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return v[i].id;
	return 0;
}

unsigned plan_connmark_id(const struct plan_ids *ids, const char *name)
{
	return name_id(ids->connmarks, ids->n_connmarks, name);
}

unsigned plan_routemark_id(const struct plan_ids *ids, const char *name)
{
	return name_id(ids->routemarks, ids->n_routemarks, name);
}

static uint32_t route_table(const struct plan *p, const struct route *r)
{
	if (config_is_main_table(r->table))
		return PLAN_TABLE_MAIN;
	return PLAN_TABLE_MARK_BASE + plan_routemark_id(&p->ids, r->table);
}

struct route_list {
	struct plan_route *v;
	size_t n, cap;
};

static struct plan_route *add_route(struct route_list *l)
{
	struct plan_route *r;

	if (array_grow(&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return NULL;
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

/*
 * Fills out with the alive nexthops of r (weights from repeats, capped at
 * what the kernel takes). Returns the nexthop count; 0 means inactive.
 */
static size_t alive_nexthops(const struct config *cfg, const struct plan *p,
			     const struct route *r, struct weighted_gateway *wg,
			     struct plan_route *out)
{
	size_t i, n;

	out->n_nexthops = 0;
	n = route_gateways(r, wg, GATEWAYS_MAX);
	for (i = 0; i < n && out->n_nexthops < PLAN_NEXTHOPS_MAX; i++) {
		struct plan_nexthop *nh;
		struct plan_uplink key;
		const struct plan_uplink *u;

		if (resolve_gateway(cfg, &wg[i].gw, &key) <= 0)
			continue;
		u = plan_find_uplink(p, key.interface, key.has_gateway,
				     key.gateway);
		if (!u || !u->alive)
			continue;
		nh = &out->nexthops[out->n_nexthops++];
		nh->has_gateway = u->has_gateway;
		nh->gateway = u->gateway;
		memcpy(nh->interface, u->interface, sizeof(nh->interface));
		/* The kernel's nexthop weight is a u8 holding weight - 1. */
		nh->weight = wg[i].weight > 256 ? 256 : wg[i].weight;
		if (!nh->weight)
			nh->weight = 1;
	}
	return out->n_nexthops;
}

/*
 * Selects, per (table, destination), the route RouterOS would use: the
 * active one (a blackhole, or one with an alive gateway) of lowest
 * distance, the first in config order on a tie. A main-table default
 * with nothing active becomes unreachable, so clients fail fast instead
 * of leaking out a route the kernel's own main table might have.
 */
static int select_routes(const struct config *cfg, struct plan *p,
			 struct route_list *l)
{
	struct weighted_gateway *wg;
	bool *done;
	size_t i, j;
	int ret = 0;

	wg = calloc(GATEWAYS_MAX, sizeof(*wg));
	done = calloc(cfg->n_routes + 1, sizeof(*done));
	if (!wg || !done) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < cfg->n_routes; i++) {
		const struct route *ri = &cfg->routes[i];
		uint32_t table = route_table(p, ri);
		uint32_t dst = ri->dst & ipv4_mask(ri->dst_len);
		const struct route *best = NULL;
		struct plan_route cand, *pr;

		if (done[i] || !entry_enabled(&ri->c))
			continue;
		for (j = i; j < cfg->n_routes; j++) {
			const struct route *rj = &cfg->routes[j];

			if (done[j] || !entry_enabled(&rj->c) ||
			    route_table(p, rj) != table ||
			    rj->dst_len != ri->dst_len ||
			    (rj->dst & ipv4_mask(rj->dst_len)) != dst)
				continue;
			done[j] = true;
			if (best && rj->distance >= best->distance)
				continue;
			if (rj->blackhole ||
			    alive_nexthops(cfg, p, rj, wg, &cand))
				best = rj;
		}
		if (!best && (table != PLAN_TABLE_MAIN || ri->dst_len))
			continue;
		pr = add_route(l);
		if (!pr) {
			ret = -ENOMEM;
			goto out;
		}
		pr->table = table;
		pr->dst = dst;
		pr->dst_len = ri->dst_len;
		if (!best)
			pr->type = PLAN_ROUTE_UNREACHABLE;
		else if (best->blackhole)
			pr->type = PLAN_ROUTE_BLACKHOLE;
		else
			alive_nexthops(cfg, p, best, wg, pr);
		if (best && best->has_pref_src)
			pr->src = best->pref_src;
	}
out:
	free(done);
	free(wg);
	return ret;
}

/* Each uplink's own table: its default route, dead or alive. */
static int uplink_routes(struct plan *p, struct route_list *l)
{
	size_t i;

	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];
		struct plan_route *r = add_route(l);

		if (!r)
			return -ENOMEM;
		r->table = u->table;
		r->n_nexthops = 1;
		r->nexthops[0].has_gateway = u->has_gateway;
		r->nexthops[0].gateway = u->gateway;
		memcpy(r->nexthops[0].interface, u->interface,
		       sizeof(u->interface));
		r->nexthops[0].weight = 1;
	}
	return 0;
}

/* qsort, which must not be handed a NULL array even for no elements. */
static void sort(void *base, size_t n, size_t size,
		 int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
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

static int cmp_uplink(const void *a, const void *b)
{
	const struct plan_uplink *x = a, *y = b;

	return (int)x->id - (int)y->id;
}

static int cmp_rule(const void *a, const void *b)
{
	const struct plan_rule *x = a, *y = b;

	return x->priority < y->priority ? -1 : x->priority > y->priority;
}

static int cmp_sysctl(const void *a, const void *b)
{
	const struct plan_sysctl *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static int cmp_u32(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* Is the table of routing mark name declared, or has it an enabled route? */
static bool mark_has_table(const struct config *cfg, const char *name)
{
	return config_table_declared(cfg, name) ||
	       config_has_named(cfg, CONFIG_MENU_IP_ROUTE,
				offsetof(struct route, table), name);
}

/*
 * The rules, and the list of tables that goes with them. A routing mark
 * with no table of its own gets no rule: its packets fall through to
 * ecmpd's main table, as RouterOS v6 falls back to main.
 */
static int build_rules(const struct config *cfg, struct plan *p)
{
	size_t n = 3 + p->n_uplinks + p->ids.n_routemarks, i;
	struct plan_rule *r;
	uint32_t *t;

	p->rules = calloc(n, sizeof(*p->rules));
	p->tables = calloc(n, sizeof(*p->tables));
	if (!p->rules || !p->tables)
		return -ENOMEM;
	r = p->rules;
	t = p->tables;
	*r++ = (struct plan_rule){ .priority = PLAN_PRIO_SUPPRESS,
				   .table = 254,
				   .suppress_prefixlen = 0 };
	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];

		*r++ = (struct plan_rule){ .priority =
						   PLAN_PRIO_PIN_BASE + u->id,
					   .fwmark = u->mark,
					   .fwmask = PLAN_PIN_MASK,
					   .table = u->table,
					   .suppress_prefixlen = -1 };
		*t++ = u->table;
	}
	for (i = 0; i < p->ids.n_routemarks; i++) {
		const struct plan_name *m = &p->ids.routemarks[i];

		if (!mark_has_table(cfg, m->name))
			continue;
		*r++ = (struct plan_rule){
			.priority = PLAN_PRIO_MARK_BASE + m->id,
			.fwmark = (uint32_t)m->id << PLAN_ROUTEMARK_SHIFT,
			.fwmask = PLAN_ROUTEMARK_MASK,
			.table = PLAN_TABLE_MARK_BASE + m->id,
			.suppress_prefixlen = -1
		};
		*t++ = PLAN_TABLE_MARK_BASE + m->id;
	}
	*r++ = (struct plan_rule){ .priority = PLAN_PRIO_MAIN,
				   .table = PLAN_TABLE_MAIN,
				   .suppress_prefixlen = -1 };
	*t++ = PLAN_TABLE_MAIN;
	p->n_rules = (size_t)(r - p->rules);
	p->n_tables = (size_t)(t - p->tables);
	sort(p->rules, p->n_rules, sizeof(*p->rules), cmp_rule);
	sort(p->tables, p->n_tables, sizeof(*p->tables), cmp_u32);
	return 0;
}

/*
 * The sysctls the data path depends on (docs/design.md): forwarding,
 * marks honoured by rp_filter, replies and accepted sockets inheriting the
 * mark, nexthops with failed neighbours skipped, the hash policy, and
 * conntrack accounting for the per-uplink packet and byte counts of
 * `ecmpctl status` and the metrics.
 */
static int build_sysctls(const struct config *cfg, struct plan *p)
{
	static const struct plan_sysctl fixed[] = {
		{ "net.ipv4.conf.all.src_valid_mark", "1" },
		{ "net.ipv4.fib_multipath_use_neigh", "1" },
		{ "net.ipv4.fwmark_reflect", "1" },
		{ "net.ipv4.ip_forward", "1" },
		{ "net.ipv4.tcp_fwmark_accept", "1" },
		{ "net.netfilter.nf_conntrack_acct", "1" },
	};
	size_t n = sizeof(fixed) / sizeof(fixed[0]);
	struct plan_sysctl *s;

	s = calloc(n + 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, fixed, sizeof(fixed));
	strcpy(s[n].key, "net.ipv4.fib_multipath_hash_policy");
	strcpy(s[n].value, cfg->ip_settings.hash_policy == HASH_L4 ? "1" : "0");
	p->sysctls = s;
	p->n_sysctls = n + 1;
	sort(p->sysctls, p->n_sysctls, sizeof(*s), cmp_sysctl);
	return 0;
}

static int build_addresses(const struct config *cfg, struct plan *p)
{
	size_t i;
	int ret;

	p->addresses = calloc(cfg->n_addresses + 1, sizeof(*p->addresses));
	if (!p->addresses)
		return -ENOMEM;
	for (i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];
		struct plan_address *pa = &p->addresses[p->n_addresses];

		if (!entry_enabled(&a->c))
			continue;
		ret = copy_ifname(pa->interface,
				  config_linux_name(cfg, a->interface));
		if (ret < 0)
			return ret;
		pa->addr = a->addr;
		pa->len = a->len;
		/* /31 and /32 have no broadcast address (RFC 3021). */
		if (a->has_broadcast)
			pa->broadcast = a->broadcast;
		else if (a->len < 31)
			pa->broadcast = a->addr | ~ipv4_mask(a->len);
		p->n_addresses++;
	}
	return 0;
}

/*
 * Decides each uplink's state once its id and check are known: dead when
 * an entry of the dead list matches it or the caller's usable() says no.
 */
static void decide_alive(struct plan *p, const struct plan_input *in)
{
	for (size_t i = 0; i < p->n_uplinks; i++) {
		struct plan_uplink *u = &p->uplinks[i];

		u->alive = !in || !in->usable || in->usable(in->ctx, u);
		for (size_t k = 0; in && k < in->n_dead; k++)
			if (dead_matches(&in->dead[k], u))
				u->alive = false;
	}
}

static int copy_uplink_ids(struct plan *p)
{
	p->ids.uplinks = calloc(p->n_uplinks + 1, sizeof(*p->ids.uplinks));
	if (!p->ids.uplinks)
		return -ENOMEM;
	if (p->n_uplinks)
		memcpy(p->ids.uplinks, p->uplinks,
		       p->n_uplinks * sizeof(*p->uplinks));
	p->ids.n_uplinks = p->n_uplinks;
	return 0;
}

struct plan *plan_build(const struct config *cfg, const struct plan_input *in)
{
	const struct plan_ids *old = in ? in->ids : NULL;
	struct route_list routes = { 0 };
	struct plan *p;
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	ret = collect_uplinks(cfg, p);
	if (!ret)
		ret = assign_uplink_ids(p, old);
	if (!ret) {
		decide_alive(p, in);
		ret = collect_names(cfg, old, &p->ids);
	}
	if (!ret)
		ret = copy_uplink_ids(p);
	if (!ret)
		ret = select_routes(cfg, p, &routes);
	if (!ret)
		ret = uplink_routes(p, &routes);
	p->routes = routes.v;
	p->n_routes = routes.n;
	if (ret < 0)
		goto out_free;
	sort(p->uplinks, p->n_uplinks, sizeof(*p->uplinks), cmp_uplink);
	sort(p->ids.uplinks, p->ids.n_uplinks, sizeof(*p->uplinks), cmp_uplink);
	sort(p->routes, p->n_routes, sizeof(*p->routes), cmp_route);
	ret = build_rules(cfg, p);
	if (!ret)
		ret = build_sysctls(cfg, p);
	if (!ret)
		ret = build_addresses(cfg, p);
	if (ret < 0)
		goto out_free;
	p->ruleset = ruleset_build(cfg, p);
	if (!p->ruleset) {
		ret = -errno;
		goto out_free;
	}
	return p;
out_free:
	plan_free(p);
	errno = -ret;
	return NULL;
}

void plan_ids_clear(struct plan_ids *ids)
{
	if (!ids)
		return;
	free(ids->uplinks);
	free(ids->connmarks);
	free(ids->routemarks);
	memset(ids, 0, sizeof(*ids));
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	free(p->uplinks);
	free(p->addresses);
	free(p->rules);
	free(p->routes);
	free(p->sysctls);
	free(p->tables);
	plan_ids_clear(&p->ids);
	free(p->ruleset);
	free(p);
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *dst = calloc(n + 1, size);

	if (dst && n)
		memcpy(dst, src, n * size);
	return dst;
}

int plan_ids_copy(struct plan_ids *dst, const struct plan_ids *src)
{
	struct plan_ids c = { 0 };

	c.uplinks =
		dup_array(src->uplinks, src->n_uplinks, sizeof(*src->uplinks));
	c.connmarks = dup_array(src->connmarks, src->n_connmarks,
				sizeof(*src->connmarks));
	c.routemarks = dup_array(src->routemarks, src->n_routemarks,
				 sizeof(*src->routemarks));
	if (!c.uplinks || !c.connmarks || !c.routemarks) {
		plan_ids_clear(&c);
		return -ENOMEM;
	}
	c.n_uplinks = src->n_uplinks;
	c.n_connmarks = src->n_connmarks;
	c.n_routemarks = src->n_routemarks;
	*dst = c;
	return 0;
}

const struct plan_uplink *plan_find_uplink(const struct plan *p,
					   const char *interface,
					   bool has_gateway, uint32_t gateway)
{
	size_t i;

	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];

		if (interface && interface[0] &&
		    strcmp(interface, u->interface))
			continue;
		if (u->has_gateway != has_gateway)
			continue;
		if (!has_gateway || u->gateway == gateway)
			return u;
	}
	return NULL;
}
