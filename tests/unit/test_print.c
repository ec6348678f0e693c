// SPDX-License-Identifier: MIT
/*
 * test_print.c - RouterOS-style print without a daemon: firewall rules
 * with the counters the kernel keeps under each rule's name (so a disabled
 * rule or another rule's counter can never be shown against the wrong
 * entry), and routes with the gateways' states from a status snapshot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/diag.h"
#include "config/parser.h"
#include "daemon/print.h"
#include "daemon/status.h"
#include "kernel/fw.h"
#include "plan/ruleset.h"

static const char script[] =
	"/ip address\n"
	"add address=192.168.0.1/24 interface=Local\n"
	"add address=10.111.0.2/24 interface=wlan1\n"
	"add address=10.112.0.2/24 interface=wlan2\n"
	"/ip route\n"
	"add gateway=10.111.0.1,10.112.0.1 check-gateway=ping\n"
	"/ip firewall nat\n"
	"add chain=srcnat out-interface=wlan1 action=masquerade\n"
	"add chain=srcnat out-interface=wlan2 action=masquerade "
	"disabled=yes comment=\"spare line\"\n"
	"add chain=srcnat out-interface=wlan2 action=masquerade\n";

static struct config *load(void)
{
	struct diag *d =
		diag_new("test.rsc", script, strlen(script), stderr, false);
	struct config *cfg;

	assert_non_null(d);
	cfg = parse_buffer("test.rsc", script, strlen(script), d);
	assert_non_null(cfg);
	assert_int_equal(diag_errors(d), 0);
	diag_free(d);
	return cfg;
}

static char *render(const struct config *cfg, const struct fw_counter *c,
		    size_t n, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	print_firewall(f, cfg, CONFIG_MENU_FIREWALL_NAT, c, n, json);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_counters_by_name(void **state)
{
	struct config *cfg = load();
	struct fw_counter c[2] = { 0 };
	char *out;

	/* The kernel lists them in its own order; only names tie them. */
	assert_int_equal(ruleset_counter_name(c[0].name, sizeof(c[0].name),
					      CONFIG_MENU_FIREWALL_NAT, 2),
			 0);
	c[0].packets = 7;
	c[0].bytes = 700;
	assert_int_equal(ruleset_counter_name(c[1].name, sizeof(c[1].name),
					      CONFIG_MENU_FIREWALL_NAT, 0),
			 0);
	c[1].packets = 3;
	c[1].bytes = 300;
	out = render(cfg, c, 2, false);
	assert_non_null(strstr(out, " 0    srcnat       masquerade         "
				    "           300            3\n"
				    "      out-interface=wlan1\n"));
	/* The disabled rule has no counter: "-", never a neighbour's. */
	assert_non_null(strstr(out, " 1    ;;; spare line\n   X  srcnat"));
	assert_non_null(strstr(out, "masquerade                      -     "
				    "       -\n      out-interface=wlan2\n"));
	assert_non_null(strstr(out, " 2    srcnat       masquerade         "
				    "           700            7\n"));
	free(out);
	out = render(cfg, c, 2, true);
	assert_non_null(strstr(out, "{\".id\":\"*0\",\"chain\":\"srcnat\","
				    "\"action\":\"masquerade\",\"attributes\":"
				    "\"out-interface=wlan1\",\"disabled\":"
				    "false,\"bytes\":300,\"packets\":3}"));
	assert_non_null(strstr(out, "\"disabled\":true,\"comment\":\"spare "
				    "line\"}"));
	free(out);
	config_free(cfg);
}

static void test_no_counters(void **state)
{
	struct config *cfg = load();
	char *out = render(cfg, NULL, 0, false);

	assert_non_null(strstr(out, " 0    srcnat       masquerade         "
				    "             -            -\n"));
	free(out);
	config_free(cfg);
}

static void test_routes_states(void **state)
{
	struct config *cfg = load();
	struct status_uplink ups[2] = {
		{ .interface = "wlan1",
		  .has_gateway = true,
		  .gateway = 0x0a6f0001 },
		{ .interface = "wlan2",
		  .has_gateway = true,
		  .gateway = 0x0a700001 },
	};
	struct status s = { .uplinks = ups, .n_uplinks = 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	health_init(&ups[0].health, 0);
	health_init(&ups[1].health, 0);
	health_link(&ups[1].health, &(struct health_params){ 0 }, false, true,
		    1);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	print_routes(f, cfg, NULL, &s, false);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "10.111.0.1 reachable wlan1"));
	assert_non_null(strstr(buf, "10.112.0.1 unreachable"));
	/* One gateway reachable: the route is active. */
	assert_non_null(strstr(buf, " 0 A S  0.0.0.0/0"));
	free(buf);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters_by_name),
		cmocka_unit_test(test_no_counters),
		cmocka_unit_test(test_routes_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
