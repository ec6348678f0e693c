// SPDX-License-Identifier: MIT
/*
 * test_clients.c - the DHCP client supervisor's pure parts (clients.h):
 * the restart back-off and dhclient's command line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "daemon/clients.h"
#include "daemon/status.h"

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

/*
 * Status shows each client, and the client of an uplink's interface on
 * that uplink: running with its pid, or restarting with its wait.
 */
static void test_status(void **state)
{
	struct status_uplink up = { .id = 1, .interface = "wlan1" };
	struct status_client cl[] = {
		{ .kind = "dhcp",
		  .interface = "wlan1",
		  .running = true,
		  .pid = 42 },
		{ .kind = "dhcp",
		  .interface = "wlan3",
		  .failures = 3,
		  .restart_in_s = 3.5 },
	};
	struct status s = { .config_path = "x.rsc",
			    .uplinks = &up,
			    .n_uplinks = 1,
			    .clients = cl,
			    .n_clients = 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	status_json(f, &s);
	fclose(f);
	assert_non_null(strstr(buf, "\"source\":\"static\","));
	assert_non_null(strstr(buf, "\"client\":{"
				    "\"kind\":\"dhcp\",\"interface\":"
				    "\"wlan1\",\"state\":\"running\","
				    "\"pid\":42,"));
	assert_non_null(strstr(buf, "\"clients\":[{\"kind\":\"dhcp\""));
	assert_non_null(strstr(buf, "\"interface\":\"wlan3\",\"state\":"
				    "\"restarting\",\"pid\":0,\"failures\":3,"
				    "\"restart_in_s\":3.5}]"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	status_text(f, &s);
	fclose(f);
	assert_non_null(strstr(buf, "dhcp client on wlan1: running, pid 42\n"));
	assert_non_null(strstr(buf, "dhcp client on wlan3: restarting in "
				    "3.5s (3 exits in a row)\n"));
	free(buf);
}

/*
 * pppd gets everything from a file: the plugin, the ethernet, the link's
 * name, the credentials quoted (a quote and a backslash escaped), no
 * default route, in the foreground; argv only names the file.
 */
static void test_pppd_options(void **state)
{
	struct pppoe_client c = { .name = "pppoe-out1",
				  .user = "joe@isp",
				  .password = "se\"cr\\et",
				  .use_peer_dns = true };
	char *text = client_pppd_options(&c, "eth2");
	char **argv;

	assert_non_null(text);
	assert_string_equal(text,
			    "# written by ecmpd for /interface pppoe-client "
			    "pppoe-out1\n"
			    "plugin rp-pppoe.so\nnic-eth2\nifname pppoe-out1\n"
			    "user \"joe@isp\"\npassword \"se\\\"cr\\\\et\"\n"
			    "hide-password\nnoauth\nnodefaultroute\n"
			    "noipdefault\nnodetach\nusepeerdns\n");
	free(text);
	/* a newline would end the word and start an option of its own */
	snprintf(c.password, sizeof(c.password), "x\nplugin evil.so");
	assert_null(client_pppd_options(&c, "eth2"));
	snprintf(c.password, sizeof(c.password), "x");
	assert_null(client_pppd_options(&c, "eth2 nic-x"));

	argv = client_pppd_argv("/usr/sbin/pppd", "/run/ecmpd/n/pppoe-out1");
	assert_non_null(argv);
	assert_string_equal(argv[0], "/usr/sbin/pppd");
	assert_string_equal(argv[1], "file");
	assert_string_equal(argv[2], "/run/ecmpd/n/pppoe-out1");
	assert_null(argv[3]);
	clients_argv_free(argv);
}

/* The options file is 0600, also when one was there with another mode. */
static void test_secret_file(void **state)
{
	char dir[] = "/tmp/test_clients.XXXXXX", path[64];
	struct stat st;
	FILE *f;
	char buf[32] = "";

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/opts", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(client_write_secret_file(path, "password \"x\"\n"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "password \"x\"\n");
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_dhclient_argv),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_pppd_options),
		cmocka_unit_test(test_secret_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
