// SPDX-License-Identifier: MIT
/*
 * test_syscheck.c - a config's bridges, VLANs and bridge ports against the
 * links of a box (config_check_links(), src/config/syscheck.c), with the
 * box given as rows: a VLAN's id and parent, a port's bridge, a device of
 * the wrong kind, a missing one, and renamed or mapped names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "config/diag.h"
#include "config/parser.h"

#define DEVICES                                        \
	"/interface bridge\n"                          \
	"add name=bridge-lan\n"                        \
	"/interface ethernet\n"                        \
	"set [ find default-name=ether1 ] name=WAN1\n" \
	"/interface vlan\n"                            \
	"add interface=WAN1 name=vlan35 vlan-id=35\n"  \
	"/interface bridge port\n"                     \
	"add bridge=bridge-lan interface=ether3\n"     \
	"/ip address\n"                                \
	"add address=10.0.35.2/24 interface=vlan35\n"  \
	"/ip route\n"                                  \
	"add gateway=10.0.35.1\n"

/* The box as the config expects it. */
static const struct system_link good[] = {
	{ .name = "bridge-lan", .kind = "bridge" },
	{ .name = "ether1" },
	{ .name = "vlan35", .kind = "vlan", .vlan_id = 35, .parent = "ether1" },
	{ .name = "ether3", .master = "bridge-lan" },
};

/* The diagnostics of checking text (with maps) against links. */
static char *run(const char *text, const char *map,
		 const struct system_link *links, size_t n, int *warnings)
{
	char *msgs = NULL;
	size_t size;
	FILE *out = open_memstream(&msgs, &size);
	struct config *cfg;
	struct diag *d;

	assert_non_null(out);
	d = diag_new("t.rsc", text, strlen(text), out, false);
	assert_non_null(d);
	cfg = parse_buffer("t.rsc", text, strlen(text), d);
	assert_non_null(cfg);
	if (map)
		assert_int_equal(config_add_map(cfg, map), 0);
	assert_int_equal(config_validate(cfg, d), 0);
	config_check_links(cfg, links, n, d);
	*warnings = diag_warnings(d);
	diag_free(d);
	config_free(cfg);
	fclose(out);
	return msgs;
}

static void expect_one(const struct system_link *links, size_t n,
		       const char *msg)
{
	int warnings;
	char *msgs = run(DEVICES, NULL, links, n, &warnings);

	if (!strstr(msgs, msg))
		fail_msg("expected \"%s\" in:\n%s", msg, msgs);
	assert_int_equal(warnings, 1);
	free(msgs);
}

static void test_box_as_written(void **state)
{
	int warnings;
	char *msgs = run(DEVICES, NULL, good, 4, &warnings);

	assert_string_equal(msgs, "");
	assert_int_equal(warnings, 0);
	free(msgs);
}

static void test_vlan_id_and_parent(void **state)
{
	struct system_link l[4];

	memcpy(l, good, sizeof(l));
	l[2].vlan_id = 36;
	expect_one(l, 4,
		   "t.rsc:6:40: warning: VLAN vlan35: Linux interface "
		   "vlan35 has VLAN id 36, not 35");
	memcpy(l, good, sizeof(l));
	strcpy(l[2].parent, "ether2");
	expect_one(l, 4,
		   "t.rsc:6:15: warning: VLAN vlan35: Linux interface "
		   "vlan35 sits on ether2, not on ether1");
	memcpy(l, good, sizeof(l));
	strcpy(l[2].kind, "macvlan");
	expect_one(l, 4, "vlan35 is a macvlan, not a VLAN");
}

static void test_missing_and_kinds(void **state)
{
	struct system_link l[4];

	memcpy(l, good, sizeof(l));
	expect_one(l + 1, 3,
		   "t.rsc:2:10: warning: bridge bridge-lan: Linux "
		   "has no interface bridge-lan");
	l[0].kind[0] = '\0';
	expect_one(l, 4, "bridge-lan is a plain device, not a bridge");
	memcpy(l, good, sizeof(l));
	strcpy(l[1].name, "eth0");
	expect_one(l, 4,
		   "t.rsc:4:25: warning: port ether1: Linux has no "
		   "interface ether1 (map it with --map ether1=NAME)");
	memcpy(l, good, sizeof(l));
	l[3].master[0] = '\0';
	expect_one(l, 4,
		   "bridge port ether3: Linux interface ether3 is in "
		   "no bridge, not in bridge-lan");
	strcpy(l[3].master, "br9");
	expect_one(l, 4, "ether3 is a port of br9, not of bridge-lan");
}

/* --map ether1=eth0: the renamed port and the VLAN's parent are eth0. */
static void test_mapped_names(void **state)
{
	struct system_link l[4];
	int warnings;
	char *msgs;

	memcpy(l, good, sizeof(l));
	strcpy(l[1].name, "eth0");
	strcpy(l[2].parent, "eth0");
	msgs = run(DEVICES, "ether1=eth0", l, 4, &warnings);
	assert_string_equal(msgs, "");
	assert_int_equal(warnings, 0);
	free(msgs);
}

/* A disabled device is not expected. */
static void test_disabled(void **state)
{
	static const char text[] = "/interface vlan\n"
				   "add disabled=yes interface=ether1 "
				   "name=vlan9 vlan-id=9\n"
				   "/ip address\n"
				   "add address=10.0.9.2/24 interface=ether1\n"
				   "/ip route\n"
				   "add gateway=10.0.9.1\n";
	int warnings;
	char *msgs = run(text, NULL, good, 4, &warnings);

	assert_string_equal(msgs, "");
	assert_int_equal(warnings, 0);
	free(msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_box_as_written),
		cmocka_unit_test(test_vlan_id_and_parent),
		cmocka_unit_test(test_missing_and_kinds),
		cmocka_unit_test(test_mapped_names),
		cmocka_unit_test(test_disabled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
