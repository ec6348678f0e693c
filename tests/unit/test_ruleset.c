// SPDX-License-Identifier: MIT
/*
 * test_ruleset.c - the nft text for ecmpd's own chains and for every
 * mangle and NAT matcher and action, on configs built by hand. The text
 * itself is checked against nft by tests/nft-check.sh; here we check that
 * each piece of the config turns into the expected words.
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
#include "plan/ruleset.h"
#include "model.h"

/*
 * Two uplinks (wlan1 10.111.0.1, wlan2 10.112.0.1) and a LAN, no rules:
 * each test adds the rules it is about.
 */
static struct config *base(void)
{
	static const char *const ifs[] = { "Local", "wlan1", "wlan2" };
	static const char *const addrs[] = { "192.168.0.1", "10.111.0.2",
					     "10.112.0.2" };
	struct config *c = calloc(1, sizeof(*c));
	struct route *r;
	size_t i;

	assert_non_null(c);
	c->addresses = calloc(3, sizeof(*c->addresses));
	assert_non_null(c->addresses);
	for (i = 0; i < 3; i++) {
		c->addresses[i].addr = ip(addrs[i]);
		c->addresses[i].len = 24;
		strcpy(c->addresses[i].interface, ifs[i]);
	}
	c->n_addresses = 3;
	c->routes = calloc(1, sizeof(*c->routes));
	assert_non_null(c->routes);
	r = &c->routes[0];
	r->gateways = calloc(2, sizeof(*r->gateways));
	assert_non_null(r->gateways);
	r->gateways[0].has_addr = true;
	r->gateways[0].addr = ip("10.111.0.1");
	r->gateways[1].has_addr = true;
	r->gateways[1].addr = ip("10.112.0.1");
	r->n_gateways = 2;
	r->distance = 1;
	r->check_gateway = CHECK_PING;
	c->n_routes = 1;
	return c;
}

static struct mangle_rule *mangle(struct config *c, enum mangle_chain ch,
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

static struct nat_rule *nat(struct config *c, enum nat_chain ch,
			    enum nat_action act)
{
	struct nat_rule *n;

	c->nat = grow(c->nat, c->n_nat, sizeof(*n));
	n = &c->nat[c->n_nat++];
	n->chain = ch;
	n->action = act;
	return n;
}

/*
 * The ruleset of c without its counters, the objects and the statements
 * (every config rule has one; test_counters checks them); the caller
 * frees it.
 */
static char *text(const struct config *c)
{
	struct plan *p = plan_build(c, NULL);
	char *s, *at, *end;

	assert_non_null(p);
	s = strdup(p->ruleset);
	assert_non_null(s);
	plan_free(p);
	/* " counter name \"x\"", or "counter name \"x\" " first in a rule. */
	while ((at = strstr(s, "counter name \"")) != NULL) {
		end = strchr(at + strlen("counter name \""), '"') + 1;
		if (at[-1] == ' ')
			at--;
		else if (*end == ' ')
			end++;
		memmove(at, end, strlen(end) + 1);
	}
	while ((at = strstr(s, "\tcounter ")) != NULL) {
		end = strstr(at, "\t}\n") + 3;
		memmove(at, end, strlen(end) + 1);
	}
	return s;
}

/* Asserts that s contains line as a whole line (after its indentation). */
static void assert_line(const char *s, const char *line)
{
	char *want;

	assert_int_not_equal(asprintf(&want, "\t%s\n", line), -1);
	if (!strstr(s, want))
		fail_msg("missing line \"%s\" in:\n%s", line, s);
	free(want);
}

static void assert_has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("missing \"%s\" in:\n%s", part, s);
}

static int count(const char *s, const char *part)
{
	int n = 0;

	while ((s = strstr(s, part))) {
		n++;
		s += strlen(part);
	}
	return n;
}

static void test_own_chains(void **state)
{
	struct config *c = base();
	char *s = text(c);

	assert_has(s, "table ip ecmpd {\n\tchain prerouting {\n\t\ttype filter "
		      "hook prerouting priority mangle; policy accept;\n");
	assert_line(s, "iifname \"wlan1\" ct state new ct mark & 0xff00 == 0 "
		       "ct mark set ct mark & 0xffff00ff | 0x100");
	assert_line(s, "ct mark & 0xff00 == 0x200 meta mark set meta mark & "
		       "0xffff00ff | 0x200");
	assert_has(s, "type route hook output priority mangle; policy accept;");
	assert_line(s, "meta mark & 0xff00 == 0 ct mark & 0xff00 == 0x100 "
		       "meta mark set meta mark & 0xffff00ff | 0x100");
	assert_line(s, "ct mark & 0xff00 == 0 oifname \"wlan2\" rt ip nexthop "
		       "10.112.0.1 ct mark set ct mark & 0xffff00ff | 0x200");
	assert_has(s,
		   "chain forward {\n\t\ttype filter hook forward priority "
		   "mangle; policy accept;\n\t\tct state invalid drop\n\t}\n");
	/* No rules: no input chain, no jumps, no NAT chains. */
	assert_null(strstr(s, "chain input"));
	assert_null(strstr(s, "jump"));
	assert_null(strstr(s, "nat"));
	assert_has(s, "\t}\n}\n");
	free(s);
	config_free(c);
}

static void test_shared_interface(void **state)
{
	struct config *c = base();
	char *s;

	/* A second gateway on wlan1, and an interface-only gateway. */
	c->routes[0].gateways[1].addr = ip("10.111.0.9");
	c->routes[0].gateways = realloc(c->routes[0].gateways,
					3 * sizeof(*c->routes[0].gateways));
	assert_non_null(c->routes[0].gateways);
	memset(&c->routes[0].gateways[2], 0, sizeof(struct gateway));
	strcpy(c->routes[0].gateways[2].interface, "ppp0");
	c->routes[0].n_gateways = 3;
	s = text(c);
	assert_line(s, "iifname \"wlan1\" ct state new ct mark & 0xff00 == 0 "
		       "ct mark set ct mark & 0xffff00ff | 0x100");
	/* Only the first uplink on wlan1 takes wlan1's arrivals. */
	assert_int_equal(count(s, "iifname \"wlan1\""), 1);
	assert_int_equal(count(s, "ct state new"), 2);
	assert_line(s, "iifname \"ppp0\" ct state new ct mark & 0xff00 == 0 "
		       "ct mark set ct mark & 0xffff00ff | 0x300");
	assert_line(s, "ct mark & 0xff00 == 0 oifname \"wlan1\" rt ip nexthop "
		       "10.111.0.9 ct mark set ct mark & 0xffff00ff | 0x200");
	assert_line(s, "ct mark & 0xff00 == 0 oifname \"ppp0\" ct mark set "
		       "ct mark & 0xffff00ff | 0x300");
	free(s);
	config_free(c);
}

static void test_mangle_seed(void **state)
{
	struct config *c = base();
	struct mangle_rule *m;
	char *s;

	m = mangle(c, MANGLE_INPUT, MANGLE_MARK_CONNECTION);
	strcpy(m->match.in_interface.name, "wlan1");
	strcpy(m->new_connection_mark, "wlan1_conn");
	m = mangle(c, MANGLE_OUTPUT, MANGLE_MARK_ROUTING);
	strcpy(m->match.connection_mark.name, "wlan1_conn");
	strcpy(m->new_routing_mark, "to_wlan1");
	s = text(c);
	assert_has(s, "\tchain input {\n\t\ttype filter hook input priority "
		      "mangle; policy accept;\n\t\tjump mangle_input\n\t}\n");
	assert_line(s, "jump mangle_output");
	assert_has(s, "\tchain mangle_input {\n\t\tiifname \"wlan1\" ct mark "
		      "set ct mark & 0xff00ffff | 0x10000\n\t}\n");
	assert_has(s, "\tchain mangle_output {\n\t\tct mark & 0xff0000 == "
		      "0x10000 meta mark set meta mark & 0xffffff | "
		      "0x1000000\n\t}\n");
	assert_null(strstr(s, "mangle_prerouting"));
	free(s);
	config_free(c);
}

/*
 * Every enabled config rule counts into a counter object named after its
 * menu and its index in the config, for ecmpctl print.
 */
static void test_counters(void **state)
{
	struct config *c = base();
	struct mangle_rule *m;
	struct nat_rule *n;
	struct plan *p;

	m = mangle(c, MANGLE_INPUT, MANGLE_ACCEPT);
	m->c.disabled = true;
	m = mangle(c, MANGLE_INPUT, MANGLE_MARK_CONNECTION);
	strcpy(m->match.in_interface.name, "wlan1");
	strcpy(m->new_connection_mark, "wlan1_conn");
	n = nat(c, NAT_SRCNAT, NAT_MASQUERADE);
	strcpy(n->match.out_interface.name, "wlan1");
	p = plan_build(c, NULL);
	assert_non_null(p);
	assert_has(p->ruleset, "table ip ecmpd {\n"
			       "\tcounter nat_0 {\n\t}\n"
			       "\tcounter mangle_1 {\n\t}\n"
			       "\tchain prerouting {\n");
	assert_has(p->ruleset, "\t\tiifname \"wlan1\" counter name "
			       "\"mangle_1\" ct mark set ct mark & "
			       "0xff00ffff | 0x10000\n");
	assert_has(p->ruleset,
		   "\t\toifname \"wlan1\" counter name \"nat_0\" masquerade\n");
	/* The disabled rule has neither counter nor rule. */
	assert_null(strstr(p->ruleset, "mangle_0"));
	assert_int_equal(count(p->ruleset, "counter"), 4);
	plan_free(p);
	config_free(c);
}

static void test_counter_name(void **state)
{
	char buf[16];

	assert_int_equal(ruleset_counter_name(buf, sizeof(buf),
					      CONFIG_MENU_FIREWALL_NAT, 2),
			 0);
	assert_string_equal(buf, "nat_2");
	assert_int_equal(ruleset_counter_name(buf, sizeof(buf),
					      CONFIG_MENU_FIREWALL_MANGLE, 41),
			 0);
	assert_string_equal(buf, "mangle_41");
	assert_int_equal(ruleset_counter_name(buf, sizeof(buf),
					      CONFIG_MENU_IP_ROUTE, 0),
			 -EINVAL);
	assert_int_equal(ruleset_counter_name(buf, sizeof(buf), CONFIG_MENUS,
					      0),
			 -EINVAL);
	assert_int_equal(ruleset_counter_name(buf, 6, CONFIG_MENU_FIREWALL_NAT,
					      12),
			 -ENOSPC);
}

static void test_mangle_matchers(void **state)
{
	struct config *c = base();
	struct mangle_rule *m;
	char *s;

	m = mangle(c, MANGLE_PREROUTING, MANGLE_MARK_ROUTING);
	strcpy(m->match.in_interface.name, "Local");
	m->match.in_interface.negate = true;
	strcpy(m->match.out_interface.name, "wlan2");
	m->match.src_address = (struct addr_match){ .set = true,
						    .lo = ip("1.2.3.7"),
						    .len = 24 };
	m->match.dst_address = (struct addr_match){ .set = true,
						    .negate = true,
						    .is_range = true,
						    .lo = ip("1.2.3.4"),
						    .hi = ip("1.2.3.9") };
	m->match.dst_address_type.type = ADDR_TYPE_LOCAL;
	m->match.dst_address_type.negate = true;
	m->match.protocol.number = 6;
	m->match.dst_port.set = true;
	m->match.dst_port.n = 3;
	m->match.dst_port.spans[0].lo = m->match.dst_port.spans[0].hi = 80;
	m->match.dst_port.spans[1].lo = m->match.dst_port.spans[1].hi = 443;
	m->match.dst_port.spans[2].lo = 8000;
	m->match.dst_port.spans[2].hi = 8080;
	m->match.connection_state.states = CONN_NEW | CONN_ESTABLISHED;
	strcpy(m->match.connection_mark.name, "no-mark");
	strcpy(m->match.routing_mark.name, "rm");
	m->match.routing_mark.negate = true;
	m->match.pcc.fields = PCC_BOTH_ADDRESSES;
	m->match.pcc.denominator = 3;
	m->match.pcc.remainder = 1;
	strcpy(m->new_routing_mark, "rm");
	s = text(c);
	assert_line(s,
		    "iifname != \"Local\" oifname \"wlan2\" ip saddr "
		    "1.2.3.0/24 ip daddr != 1.2.3.4-1.2.3.9 fib daddr type "
		    "!= local meta l4proto tcp th dport { 80, 443, "
		    "8000-8080 } ct state { new, established } ct mark & "
		    "0xff0000 == 0 meta mark & 0xff000000 != 0x1000000 jhash "
		    "ip saddr . ip daddr mod 3 seed 0x0 == 1 meta mark set "
		    "meta mark & 0xffffff | 0x1000000");
	assert_line(s, "jump mangle_prerouting");
	free(s);
	config_free(c);
}

static void test_mangle_small_matchers(void **state)
{
	struct config *c = base();
	struct mangle_rule *m;
	char *s;

	m = mangle(c, MANGLE_FORWARD, MANGLE_ACCEPT);
	m->match.connection_state.states = CONN_INVALID;
	m->match.connection_state.negate = true;
	m->match.src_address = (struct addr_match){ .set = true,
						    .lo = ip("1.2.3.4"),
						    .len = 32 };
	m->match.protocol.number = 47;
	m = mangle(c, MANGLE_FORWARD, MANGLE_MARK_CONNECTION);
	m->match.dst_port.set = true;
	m->match.dst_port.n = 1;
	m->match.dst_port.spans[0].lo = m->match.dst_port.spans[0].hi = 53;
	m->match.protocol.number = 17;
	m->match.dst_address_type.type = ADDR_TYPE_BROADCAST;
	m->match.connection_state.states = CONN_RELATED | CONN_UNTRACKED;
	m->match.connection_state.negate = true;
	strcpy(m->new_connection_mark, "dns");
	m->passthrough = false;
	m = mangle(c, MANGLE_POSTROUTING, MANGLE_MARK_CONNECTION);
	strcpy(m->match.connection_mark.name, "dns");
	m->match.connection_mark.negate = true;
	strcpy(m->new_connection_mark, "no-mark");
	s = text(c);
	assert_line(s, "ip saddr 1.2.3.4 meta l4proto 47 ct state != invalid "
		       "return");
	assert_line(s, "fib daddr type broadcast meta l4proto udp th dport 53 "
		       "ct state != { related, untracked } ct mark set ct mark "
		       "& 0xff00ffff | 0x10000 return");
	assert_line(s, "ct mark & 0xff0000 != 0x10000 ct mark set ct mark & "
		       "0xff00ffff");
	assert_line(s, "jump mangle_forward");
	assert_line(s, "jump mangle_postrouting");
	free(s);
	config_free(c);
}

static void test_pcc_fields(void **state)
{
	static const struct {
		enum pcc_fields f;
		const char *text;
	} cases[] = {
		{ PCC_SRC_ADDRESS, "jhash ip saddr mod 2 seed 0x0 == 0" },
		{ PCC_DST_ADDRESS, "jhash ip daddr mod 2 seed 0x0 == 0" },
		{ PCC_BOTH_PORTS,
		  "jhash th sport . th dport mod 2 seed 0x0 == 0" },
		{ PCC_BOTH_ADDRESSES_AND_PORTS,
		  "jhash ip saddr . th sport . ip daddr . th dport mod 2 seed "
		  "0x0 == 0" },
		{ PCC_SRC_ADDRESS_AND_PORT,
		  "jhash ip saddr . th sport mod 2 seed 0x0 == 0" },
		{ PCC_DST_ADDRESS_AND_PORT,
		  "jhash ip daddr . th dport mod 2 seed 0x0 == 0" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config *c = base();
		struct mangle_rule *m;
		char *s;

		m = mangle(c, MANGLE_PREROUTING, MANGLE_MARK_CONNECTION);
		m->match.pcc.fields = cases[i].f;
		m->match.pcc.denominator = 2;
		strcpy(m->new_connection_mark, "a");
		s = text(c);
		assert_has(s, cases[i].text);
		free(s);
		config_free(c);
	}
}

static void test_nat(void **state)
{
	struct config *c = base();
	struct nat_rule *n;
	char *s;

	n = nat(c, NAT_SRCNAT, NAT_MASQUERADE);
	strcpy(n->match.out_interface.name, "wlan1");
	n = nat(c, NAT_SRCNAT, NAT_MASQUERADE);
	strcpy(n->match.out_interface.name, "wlan2");
	n->match.protocol.number = 17;
	n->has_to_ports = true;
	n->to_port_lo = 1024;
	n->to_port_hi = 2000;
	n = nat(c, NAT_SRCNAT, NAT_SRC_NAT);
	strcpy(n->match.out_interface.name, "wlan2");
	n->has_to_addresses = true;
	n->to_addr_lo = ip("10.0.0.1");
	n->to_addr_hi = ip("10.0.0.5");
	n = nat(c, NAT_SRCNAT, NAT_ACCEPT);
	n->match.dst_address = (struct addr_match){ .set = true,
						    .lo = ip("10.8.0.0"),
						    .len = 16 };
	n = nat(c, NAT_DSTNAT, NAT_DST_NAT);
	strcpy(n->match.in_interface.name, "wlan1");
	n->match.protocol.number = 6;
	n->match.dst_port.set = true;
	n->match.dst_port.n = 1;
	n->match.dst_port.spans[0].lo = n->match.dst_port.spans[0].hi = 8080;
	n->has_to_addresses = true;
	n->to_addr_lo = n->to_addr_hi = ip("192.168.0.10");
	n->has_to_ports = true;
	n->to_port_lo = n->to_port_hi = 80;
	n = nat(c, NAT_DSTNAT, NAT_DST_NAT);
	n->match.protocol.number = 17;
	n->match.dst_port.set = true;
	n->match.dst_port.n = 2;
	n->match.dst_port.spans[0].lo = n->match.dst_port.spans[0].hi = 53;
	n->match.dst_port.spans[1].lo = 100;
	n->match.dst_port.spans[1].hi = 200;
	n->has_to_addresses = true;
	n->to_addr_lo = n->to_addr_hi = ip("192.168.0.10");
	n = nat(c, NAT_DSTNAT, NAT_DST_NAT);
	n->match.dst_port.set = true;
	n->match.dst_port.n = 1;
	n->match.dst_port.spans[0].lo = n->match.dst_port.spans[0].hi = 22;
	n->has_to_ports = true;
	n->to_port_lo = n->to_port_hi = 2222;
	n = nat(c, NAT_DSTNAT, NAT_DST_NAT);
	n->c.disabled = true;
	s = text(c);
	assert_has(s,
		   "\tchain srcnat {\n\t\ttype nat hook postrouting priority "
		   "srcnat; policy accept;\n\t\toifname \"wlan1\" "
		   "masquerade\n");
	assert_line(s, "oifname \"wlan2\" meta l4proto udp masquerade to "
		       ":1024-2000");
	assert_line(s, "oifname \"wlan2\" snat to 10.0.0.1-10.0.0.5");
	assert_line(s, "ip daddr 10.8.0.0/16 accept");
	assert_has(s, "\tchain dstnat {\n\t\ttype nat hook prerouting priority "
		      "dstnat; policy accept;\n\t\tiifname \"wlan1\" meta "
		      "l4proto tcp th dport 8080 dnat to 192.168.0.10:80\n");
	assert_line(s, "meta l4proto udp th dport { 53, 100-200 } dnat to "
		       "192.168.0.10");
	/* A port mapping without a protocol: both TCP and UDP. */
	assert_line(s, "meta l4proto { tcp, udp } th dport 22 redirect to "
		       ":2222\n\t}");
	free(s);
	config_free(c);
}

static void test_comments(void **state)
{
	struct config *c = base();
	struct nat_rule *n;
	char *s;
	char *long_comment = malloc(301);

	assert_non_null(long_comment);
	n = nat(c, NAT_SRCNAT, NAT_MASQUERADE);
	n->c.comment = strdup("ISP \"one\"\tline\nnext");
	n = nat(c, NAT_SRCNAT, NAT_MASQUERADE);
	/* 299 bytes of two-byte characters, so the cut falls inside one. */
	memset(long_comment, 0, 301);
	for (size_t i = 0; i + 1 < 300; i += 2) {
		long_comment[i] = (char)0xc3;
		long_comment[i + 1] = (char)0xa9;
	}
	n->c.comment = long_comment;
	s = text(c);
	assert_line(s, "masquerade comment \"ISP 'one' line next\"");
	{
		const char *start = strstr(s, "masquerade comment \"\xc3\xa9");
		const char *end;

		assert_non_null(start);
		start += strlen("masquerade comment \"");
		end = strchr(start, '"');
		assert_non_null(end);
		assert_true(end - start <= 127);
		assert_int_equal((end - start) % 2, 0);
	}
	free(s);
	config_free(c);
}

static void test_bad_interface(void **state)
{
	struct config *c = base();
	struct mangle_rule *m;

	m = mangle(c, MANGLE_PREROUTING, MANGLE_ACCEPT);
	strcpy(m->match.in_interface.name, "we\"ird");
	errno = 0;
	assert_null(plan_build(c, NULL));
	assert_int_equal(errno, EINVAL);
	config_free(c);
}

static void test_direct(void **state)
{
	struct config *c = base();
	struct plan *p = plan_build(c, NULL);
	char *s;

	assert_non_null(p);
	s = ruleset_build(c, p);
	assert_non_null(s);
	assert_string_equal(s, p->ruleset);
	free(s);
	plan_free(p);
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_chains),
		cmocka_unit_test(test_shared_interface),
		cmocka_unit_test(test_mangle_seed),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_counter_name),
		cmocka_unit_test(test_mangle_matchers),
		cmocka_unit_test(test_mangle_small_matchers),
		cmocka_unit_test(test_pcc_fields),
		cmocka_unit_test(test_nat),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_bad_interface),
		cmocka_unit_test(test_direct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
