// SPDX-License-Identifier: MIT
/*
 * test_clients.c - the DHCP client supervisor's pure parts (clients.h):
 * the restart back-off and dhclient's command line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/clients.h"

/* 1 s, doubling, never past 60 s, however many failures. */
static void test_backoff(void **state)
{
	assert_int_equal(client_backoff_ms(0), 1000);
	assert_int_equal(client_backoff_ms(1), 1000);
	assert_int_equal(client_backoff_ms(2), 2000);
	assert_int_equal(client_backoff_ms(3), 4000);
	assert_int_equal(client_backoff_ms(6), 32000);
	assert_int_equal(client_backoff_ms(7), 60000);
	assert_int_equal(client_backoff_ms(64), 60000);
	assert_int_equal(client_backoff_ms(4000000000u), 60000);
}

/* A crash loop counts up; a client that held on a minute starts over. */
static void test_failures(void **state)
{
	assert_int_equal(client_failures_after(0, 10), 1);
	assert_int_equal(client_failures_after(3, 59999), 4);
	assert_int_equal(client_failures_after(6, CLIENT_STABLE_MS), 1);
	assert_int_equal(client_failures_after(64, 5), 64);
}

/*
 * Foreground, the hook, files of its own per interface under the
 * namespace's directory; the interface last.
 */
static void test_dhclient_argv(void **state)
{
	const char *want[] = { "/sbin/dhclient",
			       "-d",
			       "-q",
			       "-sf",
			       "/usr/libexec/ecmpd/dhclient-hook",
			       "-pf",
			       "/run/ecmpd/netns-7/dhclient-wan0.pid",
			       "-lf",
			       "/run/ecmpd/netns-7/dhclient-wan0.leases",
			       "wan0",
			       NULL };
	char **argv = client_dhclient_argv("/sbin/dhclient",
					   "/usr/libexec/ecmpd/dhclient-hook",
					   "/run/ecmpd/netns-7", "wan0");
	size_t i;

	assert_non_null(argv);
	for (i = 0; want[i]; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[i]);
	clients_argv_free(argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_dhclient_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
