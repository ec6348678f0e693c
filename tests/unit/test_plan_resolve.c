// SPDX-License-Identifier: MIT
/*
 * test_plan_resolve.c - recursive gateways (docs/config.md "Recursive
 * gateways"): resolution through main-table routes by scope and
 * target-scope, the targets the daemon probes, failover when a target is
 * silent behind a live first hop, double recursion, ECMP over recursive
 * gateways, recursion inside a routing mark's table, and the checker's
 * question (config_gateway_reachable).
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

/* Local, ISP1 on wlan1 (10.111.0.1), ISP2 on wlan2 (10.112.0.1). */
static struct config *two_isps(void)
{
	static const struct {
		const char *addr, *iface;
		uint8_t len;
	} a[] = { { "192.168.0.1", "Local", 24 },
		  { "10.111.0.2", "wlan1", 24 },
		  { "10.112.0.2", "wlan2", 24 } };
	struct config *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	for (size_t i = 0; i < 3; i++) {
		c->addresses = grow(c->addresses, c->n_addresses,
				    sizeof(*c->addresses));
		c->addresses[i].addr = ip(a[i].addr);
		c->addresses[i].len = a[i].len;
		strcpy(c->addresses[i].interface, a[i].iface);
		c->n_addresses++;
	}
	return c;
}

/*
 * A route to dst/len via gateway addresses gws ("8.8.8.8,8.8.4.4"), with
 * scope and target-scope (0: RouterOS's defaults), check and distance.
 */
static struct route *route(struct config *c, const char *dst, unsigned len,
			   const char *gws, unsigned scope,
			   unsigned target_scope, enum check_gateway check,
			   unsigned distance)
{
	char *list = strdup(gws), *tok, *save = NULL;
	struct route *r;

	assert_non_null(list);
	c->routes = grow(c->routes, c->n_routes, sizeof(*r));
	r = &c->routes[c->n_routes++];
	r->dst = ip(dst);
	r->dst_len = (uint8_t)len;
	r->has_scope = scope != 0;
	r->scope = scope;
	r->has_target_scope = target_scope != 0;
	r->target_scope = target_scope;
	r->check_gateway = check;
	r->distance = distance;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		r->gateways =
			grow(r->gateways, r->n_gateways, sizeof(*r->gateways));
		r->gateways[r->n_gateways].has_addr = true;
		r->gateways[r->n_gateways++].addr = ip(tok);
	}
	free(list);
	return r;
}

/* The classic: 8.8.8.8 behind ISP1, the default through it, ISP2 backup. */
static struct config *classic(void)
{
	struct config *c = two_isps();

	route(c, "8.8.8.8", 32, "10.111.0.1", 10, 0, CHECK_NONE, 1);
	route(c, "0.0.0.0", 0, "8.8.8.8", 0, 11, CHECK_PING, 1);
	route(c, "0.0.0.0", 0, "10.112.0.1", 0, 0, CHECK_NONE, 2);
	return c;
}

static struct plan *build(const struct config *c, const char *dead)
{
	struct plan_dead d = { .has_gateway = true };
	struct plan_input in = { 0 };
	struct plan *p;

	if (dead) {
		d.gateway = ip(dead);
		in.dead = &d;
		in.n_dead = 1;
	}
	p = plan_build(c, &in);
	assert_non_null(p);
	return p;
}

static const struct plan_route *find_route(const struct plan *p, uint32_t table,
					   const char *dst, unsigned len)
{
	for (size_t i = 0; i < p->n_routes; i++)
		if (p->routes[i].table == table &&
		    p->routes[i].dst == ip(dst) && p->routes[i].dst_len == len)
			return &p->routes[i];
	return NULL;
}

/* The route's nexthops, "10.111.0.1*1 10.112.0.1*2", for short asserts. */
static const char *hops(const struct plan_route *r)
{
	static char buf[256];
	char a[INET_ADDRSTRLEN];
	size_t n = 0;

	buf[0] = '\0';
	if (!r)
		return "(none)";
	if (r->type == PLAN_ROUTE_UNREACHABLE)
		return "unreachable";
	for (size_t i = 0; i < r->n_nexthops; i++) {
		struct in_addr in = { htonl(r->nexthops[i].gateway) };

		inet_ntop(AF_INET, &in, a, sizeof(a));
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s*%u",
				      i ? " " : "", a, r->nexthops[i].weight);
	}
	return buf;
}

static void test_classic(void **state)
{
	struct config *c = classic();
	struct plan *p = build(c, NULL);

	/* The recursive gateway is no uplink: the first hops are. */
	assert_int_equal(p->n_uplinks, 2);
	assert_int_equal(p->uplinks[0].gateway, ip("10.111.0.1"));
	assert_int_equal(p->uplinks[0].check, CHECK_NONE);
	/* It is a target, probed through ISP1's uplink. */
	assert_int_equal(p->n_targets, 1);
	assert_int_equal(p->targets[0].target, ip("8.8.8.8"));
	assert_int_equal(p->targets[0].uplink, p->uplinks[0].id);
	assert_string_equal(p->targets[0].interface, "wlan1");
	assert_int_equal(p->targets[0].gateway, ip("10.111.0.1"));
	assert_int_equal(p->targets[0].check, CHECK_PING);
	assert_true(p->targets[0].alive);
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.111.0.1*1");
	assert_string_equal(hops(find_route(p, 1000, "8.8.8.8", 32)),
			    "10.111.0.1*1");
	plan_free(p);

	/* Silent behind a live first hop: distance 2 takes over. */
	p = build(c, "8.8.8.8");
	assert_false(p->targets[0].alive);
	assert_true(p->uplinks[0].alive);
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	/* The host route is not checked: it stays, so the probe can see. */
	assert_string_equal(hops(find_route(p, 1000, "8.8.8.8", 32)),
			    "10.111.0.1*1");
	plan_free(p);

	/* The first hop itself dead: nothing resolves 8.8.8.8. */
	p = build(c, "10.111.0.1");
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	assert_null(find_route(p, 1000, "8.8.8.8", 32));
	plan_free(p);
	config_free(c);
}

/* Scope and target-scope decide which routes may resolve a gateway. */
static void test_scope(void **state)
{
	struct config *c = classic();
	struct plan *p;

	/* The host route at RouterOS's default scope 30: out of reach. */
	c->routes[0].has_scope = false;
	assert_false(config_gateway_reachable(c, &c->routes[1], ip("8.8.8.8")));
	p = build(c, NULL);
	assert_int_equal(p->n_targets, 0);
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	plan_free(p);

	/* Scope 10 reaches the default target-scope 10 too. */
	c->routes[0].has_scope = true;
	c->routes[1].has_target_scope = false;
	assert_true(config_gateway_reachable(c, &c->routes[1], ip("8.8.8.8")));
	/*
	 * The default via ISP2 (scope 30) never resolves 8.8.8.8, even with
	 * the host route's first hop dead.
	 */
	c->routes[1].has_target_scope = true;
	p = build(c, "10.111.0.1");
	assert_int_equal(p->n_targets, 1);
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	plan_free(p);
	config_free(c);
}

/* A shorter prefix resolves when the longer one has no active route. */
static void test_longest_prefix_fallback(void **state)
{
	struct config *c = two_isps();
	struct plan *p;

	route(c, "8.8.8.8", 32, "10.111.0.1", 10, 0, CHECK_PING, 1);
	route(c, "8.8.8.0", 24, "10.112.0.1", 10, 0, CHECK_NONE, 1);
	route(c, "0.0.0.0", 0, "8.8.8.8", 0, 10, CHECK_PING, 1);
	p = build(c, NULL);
	/* Probed through both: the one in force and the one in reserve. */
	assert_int_equal(p->n_targets, 2);
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.111.0.1*1");
	plan_free(p);
	p = build(c, "10.111.0.1");
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	plan_free(p);
	config_free(c);
}

static void test_double(void **state)
{
	struct config *c = two_isps();
	struct plan *p;

	route(c, "8.8.8.8", 32, "10.111.0.1", 10, 0, CHECK_NONE, 1);
	route(c, "1.1.1.1", 32, "8.8.8.8", 11, 11, CHECK_NONE, 1);
	route(c, "0.0.0.0", 0, "1.1.1.1", 0, 12, CHECK_PING, 1);
	route(c, "0.0.0.0", 0, "10.112.0.1", 0, 0, CHECK_NONE, 2);
	assert_true(config_gateway_reachable(c, &c->routes[2], ip("1.1.1.1")));
	p = build(c, NULL);
	assert_int_equal(p->n_targets, 1);
	assert_int_equal(p->targets[0].target, ip("1.1.1.1"));
	assert_int_equal(p->targets[0].gateway, ip("10.111.0.1"));
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.111.0.1*1");
	assert_string_equal(hops(find_route(p, 1000, "1.1.1.1", 32)),
			    "10.111.0.1*1");
	plan_free(p);
	p = build(c, "1.1.1.1");
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	plan_free(p);
	/* The middle route's scope above the default's target-scope. */
	c->routes[1].scope = 13;
	assert_false(config_gateway_reachable(c, &c->routes[2], ip("1.1.1.1")));
	config_free(c);
}

static void test_ecmp(void **state)
{
	struct config *c = two_isps();
	struct plan *p;

	route(c, "8.8.8.8", 32, "10.111.0.1", 10, 0, CHECK_NONE, 1);
	route(c, "8.8.4.4", 32, "10.112.0.1", 10, 0, CHECK_NONE, 1);
	route(c, "0.0.0.0", 0, "8.8.8.8,8.8.4.4,8.8.4.4", 0, 11, CHECK_PING, 1);
	p = build(c, NULL);
	assert_int_equal(p->n_targets, 2);
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.111.0.1*1 10.112.0.1*2");
	plan_free(p);
	p = build(c, "8.8.4.4");
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.111.0.1*1");
	plan_free(p);
	p = build(c, "8.8.8.8");
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*2");
	plan_free(p);
	config_free(c);
}

/* In a routing mark's table, resolved through the main table. */
static void test_table(void **state)
{
	struct config *c = two_isps();
	struct plan *p;
	uint32_t t;

	route(c, "8.8.8.8", 32, "10.111.0.1", 10, 0, CHECK_NONE, 1);
	strcpy(route(c, "0.0.0.0", 0, "8.8.8.8", 0, 11, CHECK_PING, 1)->table,
	       "to_isp1");
	strcpy(route(c, "0.0.0.0", 0, "10.112.0.1", 0, 0, CHECK_NONE, 2)->table,
	       "to_isp1");
	p = build(c, NULL);
	t = 2000 + plan_routemark_id(&p->ids, "to_isp1");
	assert_string_equal(hops(find_route(p, t, "0.0.0.0", 0)),
			    "10.111.0.1*1");
	plan_free(p);
	p = build(c, "8.8.8.8");
	assert_string_equal(hops(find_route(p, t, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	plan_free(p);
	config_free(c);
}

/* A route that would resolve through itself ends; so does a cycle. */
static void test_loop(void **state)
{
	struct config *c = two_isps();
	struct plan *p;

	route(c, "8.8.8.8", 32, "8.8.4.4", 10, 10, CHECK_PING, 1);
	route(c, "8.8.4.4", 32, "8.8.8.8", 10, 10, CHECK_PING, 1);
	route(c, "0.0.0.0", 0, "10.112.0.1", 0, 0, CHECK_NONE, 1);
	assert_false(config_gateway_reachable(c, &c->routes[0], ip("8.8.4.4")));
	p = build(c, NULL);
	assert_int_equal(p->n_targets, 0);
	assert_null(find_route(p, 1000, "8.8.8.8", 32));
	assert_string_equal(hops(find_route(p, 1000, "0.0.0.0", 0)),
			    "10.112.0.1*1");
	plan_free(p);
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_longest_prefix_fallback),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_ecmp),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
