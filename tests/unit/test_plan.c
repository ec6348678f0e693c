// SPDX-License-Identifier: MIT
/*
 * test_plan.c - the planner's decisions, on configs built by hand (so the
 * tests do not depend on the parser): uplinks and their ids, route
 * selection with weights, dead gateways and distances, rules, tables,
 * sysctls, addresses and the printed plan.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "plan/plan.h"
#include "model.h"

static struct config *cfg_new(void)
{
	struct config *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->ip_settings.hash_policy = HASH_L3;
	return c;
}

/* "192.168.0.1/24" on iface. */
static void cfg_addr(struct config *c, const char *cidr, const char *iface)
{
	char buf[32];
	char *slash;
	struct ip_address *a;

	c->addresses = grow(c->addresses, c->n_addresses, sizeof(*a));
	a = &c->addresses[c->n_addresses++];
	strcpy(buf, cidr);
	slash = strchr(buf, '/');
	assert_non_null(slash);
	*slash = '\0';
	a->addr = ip(buf);
	a->len = (uint8_t)atoi(slash + 1);
	strcpy(a->interface, iface);
}

/*
 * A route to dst ("0.0.0.0/0") via a comma-separated gateway list as
 * RouterOS writes it ("10.1.0.1,10.2.0.1%wlan2,wlan3"), in table ("" for
 * main).
 */
static struct route *cfg_route(struct config *c, const char *dst,
			       const char *gws, enum check_gateway check,
			       unsigned distance, const char *table)
{
	char buf[32], *tok, *save = NULL, *list;
	struct route *r;

	c->routes = grow(c->routes, c->n_routes, sizeof(*r));
	r = &c->routes[c->n_routes++];
	strcpy(buf, dst);
	tok = strchr(buf, '/');
	*tok = '\0';
	r->dst = ip(buf);
	r->dst_len = (uint8_t)atoi(tok + 1);
	r->check_gateway = check;
	r->distance = distance;
	strcpy(r->table, table);
	if (!gws)
		return r;
	list = strdup(gws);
	assert_non_null(list);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct gateway *g;
		char *pct = strchr(tok, '%');

		r->gateways = grow(r->gateways, r->n_gateways, sizeof(*g));
		g = &r->gateways[r->n_gateways++];
		if (pct) {
			*pct = '\0';
			strcpy(g->interface, pct + 1);
		}
		if (strchr(tok, '.')) {
			g->has_addr = true;
			g->addr = ip(tok);
		} else {
			strcpy(g->interface, tok);
		}
	}
	free(list);
	return r;
}

static struct mangle_rule *cfg_mangle(struct config *c, enum mangle_chain ch,
				      enum mangle_action act)
{
	struct mangle_rule *m;

	c->mangle = grow(c->mangle, c->n_mangle, sizeof(*m));
	m = &c->mangle[c->n_mangle++];
	m->chain = ch;
	m->action = act;
	m->passthrough = true;
	return m;
}

static void cfg_table(struct config *c, const char *name)
{
	struct routing_table *t;

	c->tables = grow(c->tables, c->n_tables, sizeof(*t));
	t = &c->tables[c->n_tables++];
	strcpy(t->name, name);
	t->fib = true;
}

/* The seed: ECMP over two ISPs, marks for connections to the router. */
static struct config *seed(const char *gws)
{
	struct config *c = cfg_new();
	struct mangle_rule *m;

	cfg_addr(c, "192.168.0.1/24", "Local");
	cfg_addr(c, "10.111.0.2/24", "wlan1");
	cfg_addr(c, "10.112.0.2/24", "wlan2");
	cfg_route(c, "0.0.0.0/0", gws, CHECK_PING, 1, "");
	m = cfg_mangle(c, MANGLE_INPUT, MANGLE_MARK_CONNECTION);
	strcpy(m->match.in_interface.name, "wlan1");
	strcpy(m->new_connection_mark, "wlan1_conn");
	m = cfg_mangle(c, MANGLE_INPUT, MANGLE_MARK_CONNECTION);
	strcpy(m->match.in_interface.name, "wlan2");
	strcpy(m->new_connection_mark, "wlan2_conn");
	m = cfg_mangle(c, MANGLE_OUTPUT, MANGLE_MARK_ROUTING);
	strcpy(m->match.connection_mark.name, "wlan1_conn");
	strcpy(m->new_routing_mark, "to_wlan1");
	m = cfg_mangle(c, MANGLE_OUTPUT, MANGLE_MARK_ROUTING);
	strcpy(m->match.connection_mark.name, "wlan2_conn");
	strcpy(m->new_routing_mark, "to_wlan2");
	cfg_route(c, "0.0.0.0/0", "10.111.0.1", CHECK_NONE, 1, "to_wlan1");
	cfg_route(c, "0.0.0.0/0", "10.112.0.1", CHECK_NONE, 1, "to_wlan2");
	return c;
}

static struct plan *build(const struct config *c, const struct plan_ids *ids,
			  const struct plan_dead *dead, size_t n_dead)
{
	struct plan_input in = { .ids = ids, .dead = dead, .n_dead = n_dead };
	struct plan *p = plan_build(c, &in);

	assert_non_null(p);
	return p;
}

static const struct plan_route *find_route(const struct plan *p, uint32_t table,
					   const char *dst, unsigned len)
{
	size_t i;

	for (i = 0; i < p->n_routes; i++)
		if (p->routes[i].table == table &&
		    p->routes[i].dst == ip(dst) && p->routes[i].dst_len == len)
			return &p->routes[i];
	return NULL;
}

static const struct plan_rule *find_rule(const struct plan *p, uint32_t prio)
{
	size_t i;

	for (i = 0; i < p->n_rules; i++)
		if (p->rules[i].priority == prio)
			return &p->rules[i];
	return NULL;
}

static void assert_nexthop(const struct plan_nexthop *nh, const char *gw,
			   const char *iface, unsigned weight)
{
	assert_true(nh->has_gateway);
	assert_int_equal(nh->gateway, ip(gw));
	assert_string_equal(nh->interface, iface);
	assert_int_equal(nh->weight, weight);
}

static void test_seed_uplinks(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1");
	struct plan *p = build(c, NULL, NULL, 0);

	assert_int_equal(p->n_uplinks, 2);
	assert_int_equal(p->uplinks[0].id, 1);
	assert_string_equal(p->uplinks[0].interface, "wlan1");
	assert_true(p->uplinks[0].has_gateway);
	assert_int_equal(p->uplinks[0].gateway, ip("10.111.0.1"));
	assert_int_equal(p->uplinks[0].check, CHECK_PING);
	assert_true(p->uplinks[0].alive);
	assert_int_equal(p->uplinks[0].mark, 0x100);
	assert_int_equal(p->uplinks[0].table, 1001);
	assert_int_equal(p->uplinks[1].id, 2);
	assert_string_equal(p->uplinks[1].interface, "wlan2");
	assert_int_equal(p->uplinks[1].gateway, ip("10.112.0.1"));
	assert_int_equal(p->uplinks[1].mark, 0x200);
	assert_int_equal(p->uplinks[1].table, 1002);
	assert_ptr_equal(plan_find_uplink(p, "wlan2", true, ip("10.112.0.1")),
			 &p->uplinks[1]);
	assert_ptr_equal(plan_find_uplink(p, "", true, ip("10.112.0.1")),
			 &p->uplinks[1]);
	assert_null(plan_find_uplink(p, "wlan1", true, ip("10.112.0.1")));
	assert_null(plan_find_uplink(p, NULL, false, 0));
	assert_int_equal(p->ids.n_uplinks, 2);
	plan_free(p);
	config_free(c);
}

static void test_seed_routes_rules(void **state)
{
	static const uint32_t tables[] = { 1000, 1001, 1002, 2001, 2002 };
	struct config *c = seed("10.111.0.1,10.112.0.1");
	struct plan *p = build(c, NULL, NULL, 0);
	const struct plan_route *r;
	const struct plan_rule *rule;
	size_t i;

	r = find_route(p, 1000, "0.0.0.0", 0);
	assert_non_null(r);
	assert_int_equal(r->type, PLAN_ROUTE_UNICAST);
	assert_int_equal(r->n_nexthops, 2);
	assert_nexthop(&r->nexthops[0], "10.111.0.1", "wlan1", 1);
	assert_nexthop(&r->nexthops[1], "10.112.0.1", "wlan2", 1);
	r = find_route(p, 1001, "0.0.0.0", 0);
	assert_non_null(r);
	assert_int_equal(r->n_nexthops, 1);
	assert_nexthop(&r->nexthops[0], "10.111.0.1", "wlan1", 1);
	r = find_route(p, 2002, "0.0.0.0", 0);
	assert_non_null(r);
	assert_nexthop(&r->nexthops[0], "10.112.0.1", "wlan2", 1);
	assert_int_equal(p->n_routes, 5);
	for (i = 1; i < p->n_routes; i++)
		assert_true(p->routes[i - 1].table < p->routes[i].table);

	/*
	 * In RouterOS's order: the config's routing marks first (an explicit
	 * mark-routing wins over the pin), then main's connected networks,
	 * then the pins, then ecmpd's main table.
	 */
	assert_int_equal(p->n_rules, 6);
	assert_int_equal(p->rules[0].priority, 10301);
	assert_int_equal(p->rules[1].priority, 10302);
	rule = &p->rules[2];
	assert_int_equal(rule->priority, PLAN_PRIO_SUPPRESS);
	assert_int_equal(rule->table, 254);
	assert_int_equal(rule->suppress_prefixlen, 0);
	assert_int_equal(rule->fwmask, 0);
	rule = find_rule(p, 11002);
	assert_non_null(rule);
	assert_int_equal(rule->fwmark, 0x200);
	assert_int_equal(rule->fwmask, 0xff00);
	assert_int_equal(rule->table, 1002);
	assert_int_equal(rule->suppress_prefixlen, -1);
	rule = find_rule(p, 10301);
	assert_non_null(rule);
	assert_int_equal(rule->fwmark, 0x1000000);
	assert_int_equal(rule->fwmask, 0xff000000);
	assert_int_equal(rule->table, 2001);
	rule = &p->rules[5];
	assert_int_equal(rule->priority, PLAN_PRIO_MAIN);
	assert_int_equal(rule->table, PLAN_TABLE_MAIN);
	assert_int_equal(rule->fwmask, 0);

	assert_int_equal(p->n_tables, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(p->tables[i], tables[i]);
	plan_free(p);
	config_free(c);
}

static void test_weighted(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1,10.112.0.1,10.112.0.1,"
				"10.112.0.1,10.112.0.1");
	struct plan *p = build(c, NULL, NULL, 0);
	const struct plan_route *r = find_route(p, 1000, "0.0.0.0", 0);

	assert_int_equal(p->n_uplinks, 2);
	assert_non_null(r);
	assert_int_equal(r->n_nexthops, 2);
	assert_nexthop(&r->nexthops[0], "10.111.0.1", "wlan1", 1);
	assert_nexthop(&r->nexthops[1], "10.112.0.1", "wlan2", 5);
	plan_free(p);
	config_free(c);
}

static void test_dead_gateway(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1,10.112.0.1");
	struct plan_dead dead = { .has_gateway = true,
				  .gateway = ip("10.111.0.1") };
	struct plan *p = build(c, NULL, &dead, 1);
	const struct plan_route *r = find_route(p, 1000, "0.0.0.0", 0);

	assert_false(p->uplinks[0].alive);
	assert_true(p->uplinks[1].alive);
	assert_non_null(r);
	assert_int_equal(r->type, PLAN_ROUTE_UNICAST);
	assert_int_equal(r->n_nexthops, 1);
	assert_nexthop(&r->nexthops[0], "10.112.0.1", "wlan2", 2);
	/* The dead uplink keeps its own table and rule (its pin). */
	r = find_route(p, 1001, "0.0.0.0", 0);
	assert_non_null(r);
	assert_nexthop(&r->nexthops[0], "10.111.0.1", "wlan1", 1);
	assert_non_null(find_rule(p, 11001));
	/* Its mark route is inactive: the mark falls through to main. */
	assert_null(find_route(p, 2001, "0.0.0.0", 0));
	assert_non_null(find_rule(p, 10301));
	assert_non_null(find_route(p, 2002, "0.0.0.0", 0));
	plan_free(p);
	config_free(c);
}

static void test_dead_match(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1");
	struct plan_dead wrong_if = { .interface = "wlan2",
				      .has_gateway = true,
				      .gateway = ip("10.111.0.1") };
	struct plan_dead right_if = { .interface = "wlan1",
				      .has_gateway = true,
				      .gateway = ip("10.111.0.1") };
	struct plan *p = build(c, NULL, &wrong_if, 1);

	assert_true(p->uplinks[0].alive);
	plan_free(p);
	p = build(c, NULL, &right_if, 1);
	assert_false(p->uplinks[0].alive);
	assert_true(p->uplinks[1].alive);
	plan_free(p);
	config_free(c);
}

static void test_all_dead(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1");
	struct plan_dead dead[] = {
		{ .has_gateway = true, .gateway = ip("10.111.0.1") },
		{ .has_gateway = true, .gateway = ip("10.112.0.1") },
	};
	struct plan *p = build(c, NULL, dead, 2);
	const struct plan_route *r = find_route(p, 1000, "0.0.0.0", 0);

	assert_non_null(r);
	assert_int_equal(r->type, PLAN_ROUTE_UNREACHABLE);
	assert_int_equal(r->n_nexthops, 0);
	assert_null(find_route(p, 2001, "0.0.0.0", 0));
	assert_null(find_route(p, 2002, "0.0.0.0", 0));
	assert_non_null(find_route(p, 1001, "0.0.0.0", 0));
	assert_non_null(find_route(p, 1002, "0.0.0.0", 0));
	plan_free(p);
	config_free(c);
}

static void test_distance_failover(void **state)
{
	struct config *c = cfg_new();
	struct plan_dead dead = { .has_gateway = true,
				  .gateway = ip("10.111.0.1") };
	const struct plan_route *r;
	struct plan *p;

	cfg_addr(c, "10.111.0.2/24", "wlan1");
	cfg_addr(c, "10.112.0.2/24", "wlan2");
	cfg_route(c, "0.0.0.0/0", "10.112.0.1", CHECK_NONE, 2, "");
	cfg_route(c, "0.0.0.0/0", "10.111.0.1", CHECK_PING, 1, "");
	/* Another destination, another selection. */
	cfg_route(c, "8.8.8.0/24", "10.112.0.1", CHECK_NONE, 1, "");

	p = build(c, NULL, NULL, 0);
	assert_int_equal(p->uplinks[0].id, 1);
	assert_int_equal(p->uplinks[0].gateway, ip("10.112.0.1"));
	assert_int_equal(p->uplinks[0].check, CHECK_NONE);
	r = find_route(p, 1000, "0.0.0.0", 0);
	assert_non_null(r);
	assert_int_equal(r->n_nexthops, 1);
	assert_nexthop(&r->nexthops[0], "10.111.0.1", "wlan1", 1);
	r = find_route(p, 1000, "8.8.8.0", 24);
	assert_non_null(r);
	assert_nexthop(&r->nexthops[0], "10.112.0.1", "wlan2", 1);
	plan_free(p);

	p = build(c, NULL, &dead, 1);
	r = find_route(p, 1000, "0.0.0.0", 0);
	assert_non_null(r);
	assert_int_equal(r->type, PLAN_ROUTE_UNICAST);
	assert_int_equal(r->n_nexthops, 1);
	assert_nexthop(&r->nexthops[0], "10.112.0.1", "wlan2", 1);
	plan_free(p);

	/* A tie goes to the first route in config order. */
	c->routes[1].distance = 2;
	p = build(c, NULL, NULL, 0);
	r = find_route(p, 1000, "0.0.0.0", 0);
	assert_nexthop(&r->nexthops[0], "10.112.0.1", "wlan2", 1);
	plan_free(p);
	config_free(c);
}

static void test_not_main_default_dead(void **state)
{
	struct config *c = cfg_new();
	struct plan_dead dead = { .has_gateway = true,
				  .gateway = ip("10.111.0.1") };
	struct plan *p;

	cfg_addr(c, "10.111.0.2/24", "wlan1");
	cfg_route(c, "0.0.0.0/0", "10.111.0.1", CHECK_PING, 1, "");
	cfg_route(c, "8.8.8.8/32", "10.111.0.1", CHECK_PING, 1, "");
	cfg_route(c, "10.9.0.0/16", NULL, CHECK_NONE, 1, "")->blackhole = true;
	p = build(c, NULL, &dead, 1);
	assert_int_equal(find_route(p, 1000, "0.0.0.0", 0)->type,
			 PLAN_ROUTE_UNREACHABLE);
	assert_null(find_route(p, 1000, "8.8.8.8", 32));
	assert_int_equal(find_route(p, 1000, "10.9.0.0", 16)->type,
			 PLAN_ROUTE_BLACKHOLE);
	plan_free(p);
	config_free(c);
}

static void test_ids_kept_reversed(void **state)
{
	struct config *a = seed("10.111.0.1,10.112.0.1");
	struct config *b = seed("10.112.0.1,10.111.0.1");
	struct plan *p = build(a, NULL, NULL, 0);
	struct plan *q = build(b, &p->ids, NULL, 0);
	struct plan *fresh = build(b, NULL, NULL, 0);

	assert_int_equal(
		plan_find_uplink(q, "wlan1", true, ip("10.111.0.1"))->id, 1);
	assert_int_equal(
		plan_find_uplink(q, "wlan2", true, ip("10.112.0.1"))->id, 2);
	/* Without the old ids the order of appearance decides. */
	assert_int_equal(
		plan_find_uplink(fresh, "wlan2", true, ip("10.112.0.1"))->id,
		1);
	/* Uplinks stay sorted by id. */
	assert_int_equal(q->uplinks[0].id, 1);
	assert_int_equal(q->uplinks[1].id, 2);
	plan_free(fresh);
	plan_free(q);
	plan_free(p);
	config_free(b);
	config_free(a);
}

static void test_ids_lowest_free(void **state)
{
	struct config *a = cfg_new();
	struct config *b = cfg_new();
	struct plan *p, *q;

	cfg_addr(a, "10.1.0.2/24", "eth1");
	cfg_addr(a, "10.2.0.2/24", "eth2");
	cfg_addr(a, "10.3.0.2/24", "eth3");
	cfg_addr(b, "10.1.0.2/24", "eth1");
	cfg_addr(b, "10.2.0.2/24", "eth2");
	cfg_addr(b, "10.3.0.2/24", "eth3");
	cfg_addr(b, "10.4.0.2/24", "eth4");
	cfg_route(a, "0.0.0.0/0", "10.1.0.1,10.2.0.1,10.3.0.1", CHECK_PING, 1,
		  "");
	cfg_route(b, "0.0.0.0/0", "10.4.0.1,10.3.0.1,10.2.0.1", CHECK_PING, 1,
		  "");
	p = build(a, NULL, NULL, 0);
	q = build(b, &p->ids, NULL, 0);
	assert_int_equal(q->n_uplinks, 3);
	assert_int_equal(plan_find_uplink(q, "eth4", true, ip("10.4.0.1"))->id,
			 1);
	assert_int_equal(plan_find_uplink(q, "eth2", true, ip("10.2.0.1"))->id,
			 2);
	assert_int_equal(plan_find_uplink(q, "eth3", true, ip("10.3.0.1"))->id,
			 3);
	assert_string_equal(q->uplinks[0].interface, "eth4");
	plan_free(q);
	plan_free(p);
	config_free(b);
	config_free(a);
}

static void test_ids_copy(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1");
	struct plan *p = build(c, NULL, NULL, 0);
	struct plan_ids ids;
	struct plan *q;

	assert_int_equal(plan_ids_copy(&ids, &p->ids), 0);
	plan_free(p);
	assert_int_equal(ids.n_uplinks, 2);
	assert_int_equal(ids.n_connmarks, 2);
	assert_int_equal(ids.n_routemarks, 2);
	q = build(c, &ids, NULL, 0);
	assert_int_equal(q->uplinks[1].id, 2);
	plan_ids_clear(&ids);
	assert_null(ids.uplinks);
	assert_int_equal(ids.n_uplinks, 0);
	plan_free(q);
	config_free(c);
}

static void test_hash_policy(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1");
	struct plan *p = build(c, NULL, NULL, 0);
	size_t i;
	bool found = false;

	for (i = 0; i < p->n_sysctls; i++) {
		if (i)
			assert_true(strcmp(p->sysctls[i - 1].key,
					   p->sysctls[i].key) < 0);
		if (!strcmp(p->sysctls[i].key,
			    "net.ipv4.fib_multipath_hash_policy")) {
			assert_string_equal(p->sysctls[i].value, "0");
			found = true;
		}
	}
	assert_true(found);
	assert_string_equal(p->sysctls[0].key,
			    "net.ipv4.conf.all.src_valid_mark");
	plan_free(p);
	c->ip_settings.hash_policy = HASH_L4;
	p = build(c, NULL, NULL, 0);
	found = false;
	for (i = 0; i < p->n_sysctls; i++) {
		if (!strcmp(p->sysctls[i].key,
			    "net.ipv4.fib_multipath_hash_policy")) {
			assert_string_equal(p->sysctls[i].value, "1");
			found = true;
		}
	}
	assert_true(found);
	plan_free(p);
	config_free(c);
}

/* A PCC config: three connection marks, each with its routing mark. */
static struct config *pcc(void)
{
	static const char *const names[] = { "c1", "c2", "c3" };
	static const char *const tables[] = { "t1", "t2", "t3" };
	struct config *c = cfg_new();
	struct mangle_rule *m;
	unsigned i;

	cfg_addr(c, "192.168.0.1/24", "lan");
	cfg_addr(c, "10.1.0.2/24", "wan1");
	cfg_addr(c, "10.2.0.2/24", "wan2");
	cfg_addr(c, "10.3.0.2/24", "wan3");
	for (i = 0; i < 3; i++) {
		m = cfg_mangle(c, MANGLE_PREROUTING, MANGLE_MARK_CONNECTION);
		strcpy(m->match.in_interface.name, "lan");
		strcpy(m->match.connection_mark.name, "no-mark");
		m->match.pcc.fields = PCC_BOTH_ADDRESSES;
		m->match.pcc.denominator = 3;
		m->match.pcc.remainder = i;
		strcpy(m->new_connection_mark, names[i]);
	}
	for (i = 0; i < 3; i++) {
		m = cfg_mangle(c, MANGLE_PREROUTING, MANGLE_MARK_ROUTING);
		strcpy(m->match.connection_mark.name, names[i]);
		strcpy(m->new_routing_mark, tables[i]);
		m->passthrough = false;
	}
	cfg_route(c, "0.0.0.0/0", "10.1.0.1", CHECK_PING, 1, "t1");
	cfg_route(c, "0.0.0.0/0", "10.2.0.1", CHECK_PING, 1, "t2");
	cfg_route(c, "0.0.0.0/0", "10.3.0.1", CHECK_PING, 1, "t3");
	cfg_route(c, "0.0.0.0/0", "10.1.0.1,10.2.0.1,10.3.0.1", CHECK_PING, 1,
		  "");
	return c;
}

static void test_pcc_marks(void **state)
{
	struct config *c = pcc();
	struct plan *p = build(c, NULL, NULL, 0);
	const struct plan_route *r;
	struct plan *q;

	assert_int_equal(p->ids.n_connmarks, 3);
	assert_int_equal(plan_connmark_id(&p->ids, "c1"), 1);
	assert_int_equal(plan_connmark_id(&p->ids, "c3"), 3);
	assert_int_equal(plan_connmark_id(&p->ids, "no-mark"), 0);
	assert_int_equal(p->ids.n_routemarks, 3);
	assert_int_equal(plan_routemark_id(&p->ids, "t1"), 1);
	assert_int_equal(plan_routemark_id(&p->ids, "t3"), 3);
	r = find_route(p, 2003, "0.0.0.0", 0);
	assert_non_null(r);
	assert_nexthop(&r->nexthops[0], "10.3.0.1", "wan3", 1);
	assert_int_equal(find_rule(p, 10303)->fwmark, 0x3000000);
	assert_int_equal(find_route(p, 1000, "0.0.0.0", 0)->n_nexthops, 3);
	assert_int_equal(p->n_uplinks, 3);
	assert_int_equal(p->n_tables, 7);

	/* Renaming c1 and t1: the others keep their ids, the new get 1. */
	strcpy(c->mangle[0].new_connection_mark, "x1");
	strcpy(c->mangle[3].match.connection_mark.name, "x1");
	strcpy(c->mangle[3].new_routing_mark, "y1");
	strcpy(c->routes[0].table, "y1");
	q = build(c, &p->ids, NULL, 0);
	assert_int_equal(plan_connmark_id(&q->ids, "x1"), 1);
	assert_int_equal(plan_connmark_id(&q->ids, "c2"), 2);
	assert_int_equal(plan_connmark_id(&q->ids, "c1"), 0);
	assert_int_equal(plan_routemark_id(&q->ids, "y1"), 1);
	assert_int_equal(plan_routemark_id(&q->ids, "t3"), 3);
	plan_free(q);
	plan_free(p);
	config_free(c);
}

static void test_routing_tables_v7(void **state)
{
	struct config *c = cfg_new();
	struct mangle_rule *m;
	struct plan *p;

	cfg_table(c, "unused");
	cfg_table(c, "to_wlan1");
	cfg_addr(c, "10.111.0.2/24", "wlan1");
	cfg_route(c, "0.0.0.0/0", "10.111.0.1", CHECK_NONE, 1, "to_wlan1");
	cfg_route(c, "0.0.0.0/0", "10.111.0.1", CHECK_NONE, 1, "main");
	m = cfg_mangle(c, MANGLE_PREROUTING, MANGLE_MARK_ROUTING);
	strcpy(m->new_routing_mark, "orphan");
	p = build(c, NULL, NULL, 0);
	assert_int_equal(p->ids.n_routemarks, 3);
	assert_int_equal(plan_routemark_id(&p->ids, "unused"), 1);
	assert_int_equal(plan_routemark_id(&p->ids, "to_wlan1"), 2);
	assert_int_equal(plan_routemark_id(&p->ids, "orphan"), 3);
	/* A declared table has a rule even when empty; an orphan mark not. */
	assert_non_null(find_rule(p, 10301));
	assert_non_null(find_rule(p, 10302));
	assert_null(find_rule(p, 10303));
	assert_non_null(find_route(p, 2002, "0.0.0.0", 0));
	assert_null(find_route(p, 2001, "0.0.0.0", 0));
	/* routing-table=main is the main table. */
	assert_non_null(find_route(p, 1000, "0.0.0.0", 0));
	plan_free(p);
	config_free(c);
}

static void test_interface_map(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1");
	struct plan *p;

	c->maps = calloc(1, sizeof(*c->maps));
	assert_non_null(c->maps);
	strcpy(c->maps[0].rsc, "wlan1");
	strcpy(c->maps[0].linux_name, "eth1");
	c->n_maps = 1;
	p = build(c, NULL, NULL, 0);
	assert_string_equal(p->uplinks[0].interface, "eth1");
	assert_string_equal(p->addresses[1].interface, "eth1");
	assert_string_equal(
		find_route(p, 1000, "0.0.0.0", 0)->nexthops[0].interface,
		"eth1");
	assert_non_null(strstr(p->ruleset, "iifname \"eth1\""));
	assert_null(strstr(p->ruleset, "\"wlan1\""));
	plan_free(p);
	config_free(c);
}

static void test_gateway_forms(void **state)
{
	struct config *c = cfg_new();
	struct plan_dead dead = { .interface = "", .has_gateway = false };
	struct plan *p;
	const struct plan_route *r;

	cfg_addr(c, "10.1.0.2/16", "eth1");
	cfg_addr(c, "10.1.5.2/24", "eth5");
	cfg_addr(c, "10.2.0.2/24", "eth2");
	c->addresses[2].c.disabled = true;
	/* Longest prefix wins; %iface overrides; a bare name; unroutable. */
	cfg_route(c, "0.0.0.0/0",
		  "10.1.5.1,10.1.0.1,10.1.0.1%eth9,ppp0,10.2.0.1,10.1.0.1",
		  CHECK_ARP, 1, "");
	cfg_route(c, "1.0.0.0/8", "ppp0", CHECK_PING, 1, "");
	cfg_route(c, "2.0.0.0/8", "10.3.0.1", CHECK_PING, 1, "")->c.disabled =
		true;
	p = build(c, NULL, NULL, 0);
	assert_int_equal(p->n_uplinks, 4);
	assert_string_equal(p->uplinks[0].interface, "eth5");
	assert_string_equal(p->uplinks[1].interface, "eth1");
	assert_string_equal(p->uplinks[2].interface, "eth9");
	assert_string_equal(p->uplinks[3].interface, "ppp0");
	assert_false(p->uplinks[3].has_gateway);
	assert_int_equal(p->uplinks[3].check, CHECK_PING);
	assert_int_equal(p->uplinks[0].check, CHECK_ARP);
	r = find_route(p, 1000, "0.0.0.0", 0);
	assert_int_equal(r->n_nexthops, 4);
	assert_int_equal(r->nexthops[1].weight, 2);
	assert_false(r->nexthops[3].has_gateway);
	assert_string_equal(r->nexthops[3].interface, "ppp0");
	assert_int_equal(p->n_addresses, 2);
	plan_free(p);

	/* A dead entry without a gateway kills the interface-only uplinks. */
	p = build(c, NULL, &dead, 1);
	assert_false(p->uplinks[3].alive);
	assert_true(p->uplinks[0].alive);
	assert_null(find_route(p, 1000, "1.0.0.0", 8));
	assert_int_equal(find_route(p, 1000, "0.0.0.0", 0)->n_nexthops, 3);
	plan_free(p);
	config_free(c);
}

static void test_addresses(void **state)
{
	struct config *c = cfg_new();
	struct plan *p;

	cfg_addr(c, "192.168.0.1/24", "Local");
	cfg_addr(c, "10.0.0.1/31", "p2p");
	cfg_addr(c, "10.0.1.1/32", "lo1");
	cfg_addr(c, "10.0.2.1/16", "x");
	c->addresses[3].has_broadcast = true;
	c->addresses[3].broadcast = ip("10.0.2.255");
	p = build(c, NULL, NULL, 0);
	assert_int_equal(p->n_addresses, 4);
	assert_int_equal(p->addresses[0].broadcast, ip("192.168.0.255"));
	assert_int_equal(p->addresses[0].len, 24);
	assert_int_equal(p->addresses[1].broadcast, 0);
	assert_int_equal(p->addresses[2].broadcast, 0);
	assert_int_equal(p->addresses[3].broadcast, ip("10.0.2.255"));
	/* No routes at all: still an unreachable-free, valid plan. */
	assert_int_equal(p->n_uplinks, 0);
	assert_int_equal(p->n_routes, 0);
	assert_int_equal(p->n_rules, 2);
	plan_free(p);
	config_free(c);
}

static void test_print(void **state)
{
	struct config *c = seed("10.111.0.1,10.112.0.1,10.112.0.1,10.112.0.1,"
				"10.112.0.1,10.112.0.1");
	struct plan_dead dead = { .has_gateway = true,
				  .gateway = ip("10.112.0.1") };
	struct plan *p = build(c, NULL, &dead, 1);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	plan_print(p, f);
	fclose(f);
	assert_non_null(strstr(buf,
			       "# uplink 1: wlan1 gateway 10.111.0.1 "
			       "check ping mark 0x100 table 1001 up\n"
			       "# uplink 2: wlan2 gateway 10.112.0.1 "
			       "check ping mark 0x200 table 1002 down\n"
			       "# sysctl\n"
			       "sysctl net.ipv4.conf.all.src_valid_mark=1\n"));
	assert_non_null(
		strstr(buf, "sysctl net.ipv4.fib_multipath_hash_policy=0\n"));
	assert_non_null(strstr(buf, "# ip\naddress add 192.168.0.1/24 "
				    "broadcast 192.168.0.255 dev Local\n"));
	assert_non_null(strstr(buf, "rule add priority 10302 fwmark "
				    "0x2000000/0xff000000 lookup 2002\n"
				    "rule add priority 10900 lookup main "
				    "suppress_prefixlength 0\n"
				    "rule add priority 11001 fwmark "
				    "0x100/0xff00 lookup 1001\n"));
	assert_non_null(strstr(buf, "rule add priority 13000 lookup 1000\n"));
	assert_non_null(strstr(buf,
			       "route add default via 10.111.0.1 dev wlan1 "
			       "table 1000 proto 77\n"));
	assert_non_null(strstr(buf,
			       "route add default via 10.112.0.1 dev wlan2 "
			       "table 1002 proto 77\n"));
	assert_non_null(strstr(buf, "# nft\ntable ip ecmpd {\n"));
	free(buf);
	plan_free(p);

	p = build(c, NULL, NULL, 0);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	plan_print(p, f);
	fclose(f);
	assert_non_null(strstr(buf,
			       "route add default table 1000 proto 77 "
			       "nexthop via 10.111.0.1 dev wlan1 weight 1 "
			       "nexthop via 10.112.0.1 dev wlan2 weight 5\n"));
	free(buf);
	plan_free(p);

	c->routes[0].gateways[0].addr = ip("10.112.0.1");
	c->routes[0].n_gateways = 1;
	c->routes[1].c.disabled = true;
	p = build(c, NULL, &dead, 1);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	plan_print(p, f);
	fclose(f);
	assert_non_null(strstr(
		buf, "route add unreachable default table 1000 proto 77\n"));
	free(buf);
	plan_free(p);
	config_free(c);
}

static void test_out_of_ids(void **state)
{
	struct config *c = cfg_new();
	char gws[300 * 16] = "";
	unsigned i;
	struct plan *p;

	cfg_addr(c, "10.0.0.2/16", "eth1");
	for (i = 0; i < 256; i++)
		sprintf(gws + strlen(gws), "%s10.0.%u.%u", i ? "," : "",
			i / 200, 1 + i % 200);
	cfg_route(c, "0.0.0.0/0", gws, CHECK_NONE, 1, "");
	errno = 0;
	p = plan_build(c, NULL);
	assert_null(p);
	assert_int_equal(errno, ENOSPC);
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_uplinks),
		cmocka_unit_test(test_seed_routes_rules),
		cmocka_unit_test(test_weighted),
		cmocka_unit_test(test_dead_gateway),
		cmocka_unit_test(test_dead_match),
		cmocka_unit_test(test_all_dead),
		cmocka_unit_test(test_distance_failover),
		cmocka_unit_test(test_not_main_default_dead),
		cmocka_unit_test(test_ids_kept_reversed),
		cmocka_unit_test(test_ids_lowest_free),
		cmocka_unit_test(test_ids_copy),
		cmocka_unit_test(test_hash_policy),
		cmocka_unit_test(test_pcc_marks),
		cmocka_unit_test(test_routing_tables_v7),
		cmocka_unit_test(test_interface_map),
		cmocka_unit_test(test_gateway_forms),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_out_of_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
