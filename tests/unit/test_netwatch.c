// SPDX-License-Identifier: MIT
/*
 * test_netwatch.c - /tool netwatch: the script idiom in its v6 and v7
 * spellings (statements by ';', by line, in a '{ }' block), the places of
 * skipped statements, the routes that follow a netwatch, and the uplink a
 * netwatch probes through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/parser.h"
#include "plan/plan.h"

struct run {
	struct config *cfg;
	char *msgs;
	int errors, warnings;
};

static struct run parse(const char *text)
{
	struct run r = { 0 };
	size_t size;
	FILE *out = open_memstream(&r.msgs, &size);
	struct diag *d;

	assert_non_null(out);
	d = diag_new("t.rsc", text, strlen(text), out, false);
	assert_non_null(d);
	r.cfg = parse_buffer("t.rsc", text, strlen(text), d);
	assert_non_null(r.cfg);
	if (!diag_errors(d))
		config_validate(r.cfg, d);
	r.errors = diag_errors(d);
	r.warnings = diag_warnings(d);
	diag_free(d);
	fclose(out);
	return r;
}

static void done(struct run *r)
{
	config_free(r->cfg);
	free(r->msgs);
}

#define BASE                                                            \
	"/ip address\n"                                                 \
	"add address=10.1.0.2/24 interface=ether1\n"                    \
	"add address=10.2.0.2/24 interface=ether2\n"                    \
	"/ip route\n"                                                   \
	"add comment=ISP1 gateway=10.1.0.1\n"                           \
	"add comment=ISP2 gateway=10.2.0.1 distance=2\n"                \
	"add comment=backup gateway=10.2.0.1 dst-address=10.9.0.0/16\n" \
	"add dst-address=8.8.8.8/32 gateway=10.1.0.1\n"

static void test_spellings(void **state)
{
	static const char *const scripts[] = {
		"down-script=\"/ip route set [find comment=\\\"ISP1\\\"] "
		"disabled=yes\"",
		"down-script=\"/ip route disable [find comment=ISP1]\"",
		"down-script=\"/ip/route/disable [ find where comment=ISP1 ]\"",
		"down-script=\"/ ip route set [/ip route find comment=ISP1] "
		"disabled=true\"",
		"down-script={ /ip/route/set [find comment=\"ISP1\"] "
		"disabled=yes }",
		"up-script=\"/ip route enable [find comment=ISP1]\"",
		"up-script=\"/ip route set [find comment=ISP1] disabled=no\"",
	};

	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		char text[1024];
		struct run r;
		const struct netwatch *nw;
		const struct netwatch_script *s;

		snprintf(text, sizeof(text),
			 BASE "/tool netwatch\nadd "
			      "host=8.8.8.8 %s\n",
			 scripts[i]);
		r = parse(text);
		assert_int_equal(r.errors, 0);
		assert_int_equal(r.warnings, 0);
		assert_int_equal(r.cfg->n_netwatches, 1);
		nw = &r.cfg->netwatches[0];
		s = nw->down.n ? &nw->down : &nw->up;
		assert_int_equal(s->n, 1);
		assert_string_equal(s->actions[0].comment, "ISP1");
		assert_int_equal(s->actions[0].disable, s == &nw->down);
		/* Either way: ISP1 is disabled while the netwatch is down. */
		{
			bool down = true;

			assert_true(config_route_enabled(
				r.cfg, &r.cfg->routes[0], NULL));
			assert_false(config_route_enabled(
				r.cfg, &r.cfg->routes[0], &down));
			assert_true(config_route_enabled(
				r.cfg, &r.cfg->routes[1], &down));
		}
		done(&r);
	}
}

/* Several statements, by ';' and by line; others warned at their place. */
static void test_statements(void **state)
{
	struct run r = parse(BASE "/tool netwatch\n"
				  "add host=8.8.8.8 down-script={\n"
				  "  /ip route disable [find comment=ISP1]; "
				  "/ip route enable [find comment=backup]\n"
				  "  :log info \"ISP1 down\"\n"
				  "} up-script=\"/ip route enable [find "
				  "comment=ISP1]; /system reboot\"\n");
	const struct netwatch *nw;
	bool down = true;

	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 2);
	assert_non_null(strstr(r.msgs, "t.rsc:12:3: warning: statement of "
				       "down-script skipped"));
	assert_non_null(strstr(r.msgs, "t.rsc:13:52: warning: statement of "
				       "up-script skipped"));
	nw = &r.cfg->netwatches[0];
	assert_int_equal(nw->down.n, 2);
	assert_int_equal(nw->down.actions[1].loc.line, 11);
	assert_int_equal(nw->down.actions[1].loc.col, 42);
	assert_int_equal(nw->up.n, 1);
	/* backup: enabled while down, disabled while up (whatever it says) */
	assert_false(config_route_enabled(r.cfg, &r.cfg->routes[2], NULL));
	assert_true(config_route_enabled(r.cfg, &r.cfg->routes[2], &down));
	done(&r);
}

/* A disabled netwatch drives nothing. */
static void test_disabled(void **state)
{
	struct run r = parse(BASE "/tool netwatch\n"
				  "add host=8.8.8.8 disabled=yes "
				  "down-script=\"/ip route disable [find "
				  "comment=ISP1]\"\n");
	bool down = true;

	assert_int_equal(r.errors, 0);
	assert_true(config_route_enabled(r.cfg, &r.cfg->routes[0], &down));
	assert_false(config_route_follows_netwatch(r.cfg, &r.cfg->routes[0]));
	done(&r);
}

/* The plan drops ISP1's default route while its netwatch is down. */
static void test_plan(void **state)
{
	struct run r = parse(BASE "/tool netwatch\n"
				  "add host=8.8.8.8 down-script=\"/ip route "
				  "disable [find comment=ISP1]\"\n"
				  "add host=8.8.8.8 src-address=10.2.0.2\n");
	bool down[2] = { true, false };
	struct plan_input in = { .netwatch_down = down };
	struct plan *up, *dn;
	const struct plan_uplink *u;
	size_t i;

	assert_int_equal(r.errors, 0);
	up = plan_build(r.cfg, NULL);
	dn = plan_build(r.cfg, &in);
	assert_non_null(up);
	assert_non_null(dn);
	for (i = 0; i < dn->n_routes; i++) {
		const struct plan_route *pr = &dn->routes[i];

		if (pr->table == PLAN_TABLE_MAIN && pr->dst_len == 0) {
			assert_int_equal(pr->n_nexthops, 1);
			assert_string_equal(pr->nexthops[0].interface,
					    "ether2");
		}
	}
	/* 8.8.8.8/32 via ISP1 stays: the netwatch keeps probing there. */
	u = plan_netwatch_uplink(r.cfg, dn, &r.cfg->netwatches[0]);
	assert_non_null(u);
	assert_string_equal(u->interface, "ether1");
	u = plan_netwatch_uplink(r.cfg, up, &r.cfg->netwatches[1]);
	assert_non_null(u);
	assert_string_equal(u->interface, "ether2");
	plan_free(up);
	plan_free(dn);
	done(&r);
}

/* Three netwatches on ISP1: one dead target of three changes nothing. */
static void test_quorum(void **state)
{
	struct run r = parse(BASE
			     "add dst-address=1.1.1.1/32 gateway=10.1.0.1\n"
			     "add dst-address=9.9.9.9/32 gateway=10.1.0.1\n"
			     "/tool netwatch\n"
			     "add host=8.8.8.8 down-script=\"/ip route "
			     "disable [find comment=ISP1]\"\n"
			     "add host=1.1.1.1 down-script=\"/ip route "
			     "disable [find comment=ISP1]\"\n"
			     "add host=9.9.9.9 up-script=\"/ip route "
			     "enable [find comment=ISP1]\"\n");
	bool one[3] = { false, true, false }, two[3] = { true, false, true };

	assert_int_equal(r.errors, 0);
	assert_int_equal(config_route_netwatches(r.cfg, "ISP1"), 3);
	assert_true(config_route_enabled(r.cfg, &r.cfg->routes[0], NULL));
	assert_true(config_route_enabled(r.cfg, &r.cfg->routes[0], one));
	assert_false(config_route_enabled(r.cfg, &r.cfg->routes[0], two));
	done(&r);
}

/* The canonical form parses back to the same statements. */
static void test_round_trip(void **state)
{
	struct run r = parse(BASE "/tool netwatch\n"
				  "add host=8.8.8.8 type=icmp "
				  "thr-loss-percent=12.5% thr-avg=50ms "
				  "down-script=\"/ip route disable [find "
				  "comment=ISP1]; /ip route enable [find "
				  "comment=backup]\"\n");
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);
	struct run again;

	assert_int_equal(r.errors, 0);
	config_print(r.cfg, out);
	fclose(out);
	again = parse(text);
	assert_int_equal(again.errors, 0);
	assert_int_equal(again.warnings, 0);
	assert_int_equal(again.cfg->netwatches[0].down.n, 2);
	assert_int_equal(again.cfg->netwatches[0].thr_loss_permille, 125);
	assert_int_equal(again.cfg->netwatches[0].thr_rtt_avg_ms, 50);
	assert_non_null(strstr(text, "thr-rtt-avg=50ms"));
	free(text);
	done(&again);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_disabled),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_quorum),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
