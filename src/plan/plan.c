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
#include "plan/internal.h"
#include "plan/ruleset.h"

/* route_gateways() output per route; RouterOS caps ECMP lists far lower. */
#define GATEWAYS_MAX 256

int plan_copy_ifname(char dst[LINUX_IFNAME_MAX], const char *src)
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

int plan_resolve_gateway(const struct config *cfg, const struct plan *p,
			 const struct gateway *gw, struct plan_uplink *key)
{
	const char *rsc = NULL, *linux_name;

	memset(key, 0, sizeof(*key));
	key->has_gateway = gw->has_addr;
	key->gateway = gw->has_addr ? gw->addr : 0;
	if (gw->interface[0])
		rsc = gw->interface;
	else if (gw->has_addr)
		rsc = config_connected_interface(cfg, gw->addr);
	if (rsc && rsc[0])
		linux_name = config_linux_name(cfg, rsc);
	else if (gw->has_addr)
		linux_name = plan_connected_interface(p->connected,
						      p->n_connected, gw->addr);
	else
		linux_name = NULL;
	if (!linux_name)
		return 0;
	if (plan_copy_ifname(key->interface, linux_name) < 0)
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

			ret = plan_resolve_gateway(cfg, p, &wg[j].gw, &key);
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
				u->source =
					plan_uplink_source(cfg, &wg[j].gw, u);
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
	for (i = 0; i < cfg->n_route_rules + cfg->n_routing_rules && !ret;
	     i++) {
		const struct routing_rule *pr =
			i < cfg->n_route_rules ?
				&cfg->route_rules[i] :
				&cfg->routing_rules[i - cfg->n_route_rules];

		if (!entry_enabled(&pr->c))
			continue;
		if (pr->table[0] && !config_is_main_table(pr->table))
			ret = add_name(&ids->routemarks, &ids->n_routemarks,
				       &rcap, pr->table);
		if (!ret && pr->routing_mark[0] &&
		    !config_is_main_table(pr->routing_mark))
			ret = add_name(&ids->routemarks, &ids->n_routemarks,
				       &rcap, pr->routing_mark);
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

uint32_t plan_route_table(const struct plan *p, const struct route *r)
{
	if (config_is_main_table(r->table))
		return PLAN_TABLE_MAIN;
	return PLAN_TABLE_MARK_BASE + plan_routemark_id(&p->ids, r->table);
}

void plan_sort(void *base, size_t n, size_t size,
	       int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int cmp_sysctl(const void *a, const void *b)
{
	const struct plan_sysctl *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static int cmp_uplink(const void *a, const void *b)
{
	const struct plan_uplink *x = a, *y = b;

	return (int)x->id - (int)y->id;
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
	plan_sort(p->sysctls, p->n_sysctls, sizeof(*s), cmp_sysctl);
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
		ret = plan_copy_ifname(pa->interface,
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
 * Then each target's, the same way (a dead-list entry names a target by
 * its address as the gateway).
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
	for (size_t i = 0; i < p->n_targets; i++) {
		struct plan_target *t = &p->targets[i];

		t->alive = !in || !in->target_usable ||
			   in->target_usable(in->ctx, t);
		for (size_t k = 0; in && k < in->n_dead; k++) {
			const struct plan_dead *d = &in->dead[k];

			if (d->has_gateway && d->gateway == t->target &&
			    (!d->interface[0] ||
			     !strcmp(d->interface, t->interface)))
				t->alive = false;
		}
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

static struct plan *build(const struct config *cfg, const struct plan_input *in)
{
	const struct plan_ids *old = in ? in->ids : NULL;
	struct plan_index *ix;
	struct plan *p;
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	ret = plan_copy_connected(p, in);
	if (!ret)
		ret = collect_uplinks(cfg, p);
	if (!ret)
		ret = assign_uplink_ids(p, old);
	if (!ret)
		ret = collect_names(cfg, old, &p->ids);
	if (!ret)
		ret = copy_uplink_ids(p);
	if (ret < 0)
		goto out_free;
	plan_sort(p->uplinks, p->n_uplinks, sizeof(*p->uplinks), cmp_uplink);
	plan_sort(p->ids.uplinks, p->ids.n_uplinks, sizeof(*p->uplinks),
		  cmp_uplink);
	ix = plan_index_new(cfg, p);
	ret = ix ? plan_collect_targets(cfg, p, ix) : -ENOMEM;
	if (!ret) {
		decide_alive(p, in);
		ret = plan_build_routes(cfg, p, ix);
	}
	plan_index_free(ix);
	if (!ret)
		ret = plan_build_rules(cfg, p);
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

/*
 * The planner reads a route's disabled=; a route that follows a netwatch
 * is planned from a view of the config whose routes carry the state the
 * netwatches give them (docs/config.md "/tool netwatch").
 */
struct plan *plan_build(const struct config *cfg, const struct plan_input *in)
{
	struct config view;
	struct route *routes;
	struct plan *p;

	if (!cfg->n_netwatches || !cfg->n_routes)
		return build(cfg, in);
	routes = malloc(cfg->n_routes * sizeof(*routes));
	if (!routes)
		return NULL;
	memcpy(routes, cfg->routes, cfg->n_routes * sizeof(*routes));
	for (size_t i = 0; i < cfg->n_routes; i++)
		routes[i].c.disabled = !config_route_enabled(
			cfg, &cfg->routes[i], in ? in->netwatch_down : NULL);
	view = *cfg;
	view.routes = routes;
	p = build(&view, in);
	free(routes);
	return p;
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
	free(p->targets);
	free(p->connected);
	free(p->addresses);
	free(p->rules);
	free(p->routes);
	free(p->nexthops);
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
