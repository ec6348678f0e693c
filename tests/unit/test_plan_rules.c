// SPDX-License-Identifier: MIT
/*
 * test_plan_rules.c - the ip rules of a plan (docs/design.md "The data
 * path", docs/config.md "Policy rules"): the config's policy rules first,
 * in the order written, three priorities each; then its routing marks,
 * main's connected networks, the pins and ecmpd's main table.
 */
#include <arpa/inet.h>
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

/* wlan1 10.111.0.2/24; a default via 10.111.0.1; one in table to_isp1. */
static struct config *base(void)
{
	struct config *c = calloc(1, sizeof(*c));
	struct route *r;

	assert_non_null(c);
	c->addresses = grow(NULL, 0, sizeof(*c->addresses));
	c->addresses[0].addr = ip("10.111.0.2");
	c->addresses[0].len = 24;
	strcpy(c->addresses[0].interface, "wlan1");
	c->n_addresses = 1;
	for (int i = 0; i < 2; i++) {
		c->routes = grow(c->routes, c->n_routes, sizeof(*r));
		r = &c->routes[c->n_routes++];
		r->distance = 1;
		r->gateways = grow(NULL, 0, sizeof(*r->gateways));
		r->gateways[0].has_addr = true;
		r->gateways[0].addr = ip("10.111.0.1");
		r->n_gateways = 1;
		if (i)
			strcpy(r->table, "to_isp1");
	}
	return c;
}

static struct routing_rule *rule(struct config *c, enum rule_action action,
				 const char *table)
{
	struct routing_rule *r;

	c->route_rules = grow(c->route_rules, c->n_route_rules, sizeof(*r));
	r = &c->route_rules[c->n_route_rules++];
	r->action = action;
	strcpy(r->table, table);
	return r;
}

static const struct plan_rule *find_rule(const struct plan *p, uint32_t prio)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].priority == prio)
			return &p->rules[i];
	return NULL;
}

static void test_order(void **state)
{
	struct config *c = base();
	struct routing_rule *r;
	const struct plan_rule *pr;
	struct plan *p;

	r = rule(c, RULE_LOOKUP, "to_isp1");
	r->has_src = true;
	r->src = ip("192.168.0.0");
	r->src_len = 25;
	r = rule(c, RULE_LOOKUP_ONLY, "main");
	strcpy(r->interface, "wlan1");
	rule(c, RULE_DROP, "")->c.disabled = true;
	r = rule(c, RULE_UNREACHABLE, "");
	r->has_dst = true;
	r->dst = ip("10.0.0.0");
	r->dst_len = 8;
	p = plan_build(c, NULL);
	assert_non_null(p);

	/* Rule 1: its table, with its selector. */
	pr = find_rule(p, 10001);
	assert_non_null(pr);
	assert_int_equal(pr->table, 2001);
	assert_int_equal(pr->src, ip("192.168.0.0"));
	assert_int_equal(pr->src_len, 25);
	assert_int_equal(pr->action, PLAN_RULE_LOOKUP);
	assert_null(find_rule(p, 10002));
	/* Rule 2: main = connected (default suppressed), 1000, blackhole. */
	pr = find_rule(p, 10004);
	assert_int_equal(pr->table, 254);
	assert_int_equal(pr->suppress_prefixlen, 0);
	assert_string_equal(pr->iif, "wlan1");
	pr = find_rule(p, 10005);
	assert_int_equal(pr->table, 1000);
	assert_int_equal(pr->suppress_prefixlen, -1);
	pr = find_rule(p, 10006);
	assert_int_equal(pr->action, PLAN_RULE_BLACKHOLE);
	assert_string_equal(pr->iif, "wlan1");
	/* The disabled drop takes no slot; the unreachable is rule 3. */
	pr = find_rule(p, 10007);
	assert_non_null(pr);
	assert_int_equal(pr->action, PLAN_RULE_UNREACHABLE);
	assert_int_equal(pr->dst_len, 8);
	/* Then the marks, connected networks, the pins, ecmpd's main. */
	assert_int_equal(p->rules[p->n_rules - 5].priority, 10007);
	assert_int_equal(p->rules[p->n_rules - 4].priority, 10301);
	assert_int_equal(p->rules[p->n_rules - 3].priority, PLAN_PRIO_SUPPRESS);
	assert_int_equal(p->rules[p->n_rules - 2].priority, 11001);
	assert_int_equal(p->rules[p->n_rules - 1].priority, PLAN_PRIO_MAIN);
	for (size_t i = 1; i < p->n_rules; i++)
		assert_true(p->rules[i - 1].priority < p->rules[i].priority);
	/* Each table once. */
	for (size_t i = 1; i < p->n_tables; i++)
		assert_true(p->tables[i - 1] < p->tables[i]);
	plan_free(p);
	config_free(c);
}

/* A rule's table with no routes still gets an id and is owned. */
static void test_rule_table_without_routes(void **state)
{
	struct config *c = base();
	struct routing_rule *r = rule(c, RULE_LOOKUP, "to_isp9");
	struct plan *p;
	unsigned id;

	strcpy(r->routing_mark, "to_isp1");
	p = plan_build(c, NULL);
	assert_non_null(p);
	id = plan_routemark_id(&p->ids, "to_isp9");
	assert_true(id > 0);
	assert_int_equal(find_rule(p, 10001)->table, 2000 + id);
	assert_int_equal(find_rule(p, 10001)->fwmask, PLAN_ROUTEMARK_MASK);
	assert_int_equal(find_rule(p, 10001)->fwmark,
			 plan_routemark_id(&p->ids, "to_isp1") << 24);
	/* No mark rule for to_isp9: nothing marks it, nothing routes in it. */
	assert_null(find_rule(p, 10300 + id));
	plan_free(p);
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_rule_table_without_routes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
