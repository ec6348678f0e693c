// SPDX-License-Identifier: MIT
/*
 * test_plan_connected.c - gateways placed against the kernel's networks
 * (docs/design.md "Uplinks with dynamic addresses"): a WAN whose address
 * comes from DHCP or PPPoE has no /ip address in the config, so its
 * gateway is placed on the interface whose kernel network holds it. The
 * plan is a pure function of (config, uplink states, those networks).
 */
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

static struct plan_connected net(const char *ifname, const char *addr,
				 uint8_t len)
{
	struct plan_connected c = { .len = len };

	strcpy(c.interface, ifname);
	c.network = ip(addr);
	return c;
}

/* A LAN on bridge, then one route per gateway, distance 1, 2, ... */
static struct config *wans(const char *const *gws, size_t n)
{
	struct config *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->addresses = grow(NULL, 0, sizeof(*c->addresses));
	c->addresses[0].addr = ip("192.168.88.1");
	c->addresses[0].len = 24;
	strcpy(c->addresses[0].interface, "bridge");
	c->n_addresses = 1;
	for (size_t i = 0; i < n; i++) {
		struct route *r;

		c->routes = grow(c->routes, c->n_routes, sizeof(*r));
		r = &c->routes[c->n_routes++];
		r->distance = (unsigned)i + 1;
		r->gateways = grow(NULL, 0, sizeof(*r->gateways));
		r->gateways[0].has_addr = true;
		r->gateways[0].addr = ip(gws[i]);
		r->n_gateways = 1;
	}
	return c;
}

static struct plan *build(const struct config *c,
			  const struct plan_connected *v, size_t n)
{
	struct plan_input in = { .connected = v, .n_connected = n };
	struct plan *p = plan_build(c, &in);

	assert_non_null(p);
	return p;
}

static void test_normalize(void **state)
{
	struct plan_connected v[] = {
		net("ether2", "10.0.0.1", 32),
		net("ether1", "100.64.1.37", 24), /* masked */
		net("ether1", "100.64.1.0", 24), /* a duplicate */
		net("ether1", "1.2.3.4", 40), /* dropped */
	};
	struct plan_connected w[] = {
		net("ether1", "100.64.1.0", 24),
		net("ether2", "10.0.0.1", 32),
	};
	size_t n = plan_connected_normalize(v, 4);

	(void)state;
	assert_int_equal(n, 2);
	assert_true(plan_connected_equal(v, n, w, 2));
	assert_false(plan_connected_equal(v, n, w, 1));
	w[1].len = 31;
	assert_false(plan_connected_equal(v, n, w, 2));
	assert_int_equal(plan_connected_normalize(NULL, 0), 0);
}

static void test_longest_prefix(void **state)
{
	struct plan_connected v[] = {
		net("ether1", "100.64.0.0", 16),
		net("ether2", "100.64.1.0", 24),
	};

	(void)state;
	assert_string_equal(plan_connected_interface(v, 2, ip("100.64.1.9")),
			    "ether2");
	assert_string_equal(plan_connected_interface(v, 2, ip("100.64.2.9")),
			    "ether1");
	assert_null(plan_connected_interface(v, 2, ip("10.0.0.1")));
	assert_null(plan_connected_interface(NULL, 0, ip("10.0.0.1")));
}

/* No kernel networks: the DHCP gateway is unplaced, as with -n. */
static void test_unplaced_without_lease(void **state)
{
	static const char *const gws[] = { "100.64.1.1" };
	struct config *c = wans(gws, 1);
	struct plan *p = build(c, NULL, 0);

	(void)state;
	assert_int_equal(p->n_uplinks, 0);
	plan_free(p);
	config_free(c);
}

/* A lease on ether1 and a PPP peer on pppoe-out1 place both. */
static void test_lease_and_peer_place(void **state)
{
	static const char *const gws[] = { "100.64.1.1", "10.0.0.1" };
	struct plan_connected v[] = {
		net("pppoe-out1", "10.0.0.1", 32),
		net("ether1", "100.64.1.37", 24),
	};
	struct config *c = wans(gws, 2);
	struct plan *p = build(c, v, 2);

	(void)state;
	assert_int_equal(p->n_uplinks, 2);
	assert_string_equal(p->uplinks[0].interface, "ether1");
	assert_int_equal(p->uplinks[0].gateway, ip("100.64.1.1"));
	assert_string_equal(p->uplinks[1].interface, "pppoe-out1");
	assert_int_equal(p->uplinks[1].gateway, ip("10.0.0.1"));
	/* Placed on kernel networks; no client in the config names them. */
	assert_int_equal(p->uplinks[0].source, PLAN_SOURCE_KERNEL);
	assert_string_equal(plan_source_name(p->uplinks[1].source), "kernel");
	/* The main default goes through ether1 (distance 1). */
	assert_true(p->n_routes >= 1);
	assert_int_equal(p->routes[0].table, PLAN_TABLE_MAIN);
	assert_string_equal(p->routes[0].nexthops[0].interface, "ether1");
	/* The plan keeps the networks it placed against, normalized. */
	assert_int_equal(p->n_connected, 2);
	assert_string_equal(p->connected[0].interface, "ether1");
	assert_int_equal(p->connected[0].network, ip("100.64.1.0"));
	plan_free(p);
	config_free(c);
}

/* The config's own networks win over the kernel's. */
static void test_config_first(void **state)
{
	static const char *const gws[] = { "192.168.88.254" };
	struct plan_connected v[] = { net("ether9", "192.168.88.0", 24) };
	struct config *c = wans(gws, 1);
	struct plan *p = build(c, v, 1);

	(void)state;
	assert_int_equal(p->n_uplinks, 1);
	assert_string_equal(p->uplinks[0].interface, "bridge");
	assert_int_equal(p->uplinks[0].source, PLAN_SOURCE_STATIC);
	plan_free(p);
	config_free(c);
}

/*
 * A lease moving to another subnet: the uplink id stays with the gateway
 * that stays; one that left frees its id and the new gateway takes the
 * lowest free one.
 */
static void test_lease_moves(void **state)
{
	static const char *const gws[] = { "100.64.1.1", "100.64.2.1" };
	struct plan_connected a = net("ether1", "100.64.1.37", 24);
	struct plan_connected b = net("ether1", "100.64.2.37", 24);
	struct config *c = wans(gws, 2);
	struct plan *p1 = build(c, &a, 1), *p2;
	struct plan_input in = {
		.ids = &p1->ids,
		.connected = &b,
		.n_connected = 1,
	};

	(void)state;
	assert_int_equal(p1->n_uplinks, 1);
	assert_int_equal(p1->uplinks[0].gateway, ip("100.64.1.1"));
	p2 = plan_build(c, &in);
	assert_non_null(p2);
	assert_int_equal(p2->n_uplinks, 1);
	assert_int_equal(p2->uplinks[0].gateway, ip("100.64.2.1"));
	assert_string_equal(p2->uplinks[0].interface, "ether1");
	assert_int_equal(p2->routes[0].nexthops[0].gateway, ip("100.64.2.1"));
	plan_free(p1);
	plan_free(p2);
	config_free(c);
}

/* A client of the config names the source: dhcp, pppoe. */
static void test_client_sources(void **state)
{
	static const char *const gws[] = { "100.64.1.1", "10.0.0.1" };
	struct plan_connected v[] = {
		net("pppoe-out1", "10.0.0.1", 32),
		net("ether1", "100.64.1.37", 24),
	};
	struct config *c = wans(gws, 2);
	struct plan *p;

	(void)state;
	c->dhcp_clients = grow(NULL, 0, sizeof(*c->dhcp_clients));
	strcpy(c->dhcp_clients[0].interface, "ether1");
	c->n_dhcp_clients = 1;
	c->pppoe_clients = grow(NULL, 0, sizeof(*c->pppoe_clients));
	strcpy(c->pppoe_clients[0].name, "pppoe-out1");
	strcpy(c->pppoe_clients[0].interface, "ether2");
	c->n_pppoe_clients = 1;
	p = build(c, v, 2);
	assert_int_equal(p->n_uplinks, 2);
	assert_string_equal(plan_source_name(p->uplinks[0].source), "dhcp");
	assert_string_equal(plan_source_name(p->uplinks[1].source), "pppoe");
	plan_free(p);
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_longest_prefix),
		cmocka_unit_test(test_unplaced_without_lease),
		cmocka_unit_test(test_lease_and_peer_place),
		cmocka_unit_test(test_config_first),
		cmocka_unit_test(test_lease_moves),
		cmocka_unit_test(test_client_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
