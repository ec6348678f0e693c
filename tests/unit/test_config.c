// SPDX-License-Identifier: MIT
/*
 * test_config.c - the config model: every config_validate() check, the
 * canonical printer's round trip, interface maps and config_load().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/menus.h"
#include "config/parser.h"

/* Two uplinks and a LAN, addressed; most cases build on this. */
#define BASE                                           \
	"/ip address\n"                                \
	"add address=192.168.0.1/24 interface=Local\n" \
	"add address=10.111.0.2/24 interface=wlan1\n"  \
	"add address=10.112.0.2/24 interface=wlan2\n"

struct run {
	char *msgs;
	int errors;
	int warnings;
};

/* Parses and validates text; the diagnostics land in r.msgs. */
static struct run check(const char *text)
{
	struct run r = { 0 };
	size_t size;
	FILE *out = open_memstream(&r.msgs, &size);
	struct config *cfg;
	struct diag *d;

	assert_non_null(out);
	d = diag_new("t.rsc", text, strlen(text), out, false);
	assert_non_null(d);
	cfg = parse_buffer("t.rsc", text, strlen(text), d);
	assert_non_null(cfg);
	assert_int_equal(diag_errors(d), 0);
	r.errors = config_validate(cfg, d);
	r.warnings = diag_warnings(d);
	diag_free(d);
	config_free(cfg);
	fclose(out);
	return r;
}

/* Expects msg (a substring of the output) and the error/warning counts. */
static void expect(const char *text, int errors, int warnings, const char *msg)
{
	struct run r = check(text);

	if (!msg[0])
		assert_string_equal(r.msgs, "");
	else if (!strstr(r.msgs, msg))
		fail_msg("expected \"%s\" in:\n%s", msg, r.msgs);
	assert_int_equal(r.errors, errors);
	assert_int_equal(r.warnings, warnings);
	free(r.msgs);
}

static void test_clean(void **state)
{
	expect(BASE
	       "/ip route\n"
	       "add gateway=10.111.0.1,10.112.0.1%wlan2 check-gateway=ping\n"
	       "/ip firewall nat\n"
	       "add chain=srcnat out-interface=wlan1 action=masquerade\n",
	       0, 0, "");
}

static void test_interfaces(void **state)
{
	expect(BASE "/ip firewall nat\n"
		    "add chain=srcnat out-interface=wlan3 action=masquerade\n",
	       0, 1,
	       "t.rsc:6:32: warning: interface wlan3 has no address in /ip "
	       "address and is not mapped with --map: ecmpd takes it as the "
	       "Linux interface wlan3, whose address the box sets (DHCP, "
	       "PPPoE)\n");
	expect(BASE "/ip route\nadd gateway=pppoe-out1\n", 0, 1,
	       "t.rsc:6:13: warning: interface pppoe-out1 has no address");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting in-interface=!ether9\n",
	       0, 1, "t.rsc:6:35: warning: interface ether9 has no address");
	expect(BASE "/ip route\nadd gateway=10.111.0.1%wlan7\n", 0, 1,
	       "t.rsc:6:13: warning: interface wlan7 has no address");
	/* Once per interface, not once per use. */
	expect(BASE "/ip route\nadd gateway=ppp0\nadd gateway=ppp0 "
		    "routing-mark=x\n",
	       0, 2, "warning: routing-mark x is never set");
	expect("/ip address\n"
	       "add address=10.0.0.2/24 interface=a-very-long-interface\n"
	       "/ip route\nadd gateway=10.0.0.1%a-very-long-interface\n",
	       2, 0,
	       "t.rsc:4:13: error: interface name a-very-long-interface is "
	       "longer than 15 characters");
	/* The address alone goes to the kernel with that name too. */
	expect("/ip address\n"
	       "add address=10.0.0.2/24 interface=a-very-long-interface\n"
	       "add address=10.1.0.2/24 interface=wlan1\n"
	       "/ip route\nadd gateway=10.1.0.1\n",
	       1, 0,
	       "t.rsc:2:35: error: interface name a-very-long-interface is "
	       "longer than 15 characters");
	/* Disabled entries are not cross-checked. */
	expect(BASE "/ip firewall nat\n"
		    "add chain=srcnat out-interface=wlan3 action=masquerade "
		    "disabled=yes\n",
	       0, 0, "");
}

/* A renamed port is its default name on Linux, or that name's map. */
static void test_renames(void **state)
{
	const char *text = "/interface ethernet\n"
			   "set [ find default-name=ether1 ] name=WAN1\n"
			   /* quoted, as the printer writes odd names */
			   "set [ find default-name=\"ether2\" ] name=WAN2\n"
			   "set [ find default-name=ether3 ] comment=spare\n"
			   "/interface list\nadd name=WAN\nadd name=ALL\n"
			   "/interface list member\n"
			   "add interface=WAN1 list=WAN\n"
			   "add interface=WAN list=ALL\n"
			   "add interface=ALL list=ALL\n";
	struct diag *d = diag_new("t.rsc", text, strlen(text), NULL, false);
	struct config *cfg;

	assert_non_null(d);
	cfg = parse_buffer("t.rsc", text, strlen(text), d);
	assert_non_null(cfg);
	assert_int_equal(diag_errors(d), 0);
	assert_int_equal(cfg->n_renames, 3);
	assert_int_equal(config_add_map(cfg, "ether2=enp3s0"), 0);
	assert_int_equal(config_add_map(cfg, "WAN1=enp1s0"), 0);
	assert_string_equal(config_linux_name(cfg, "WAN1"), "enp1s0");
	assert_string_equal(config_linux_name(cfg, "WAN2"), "enp3s0");
	assert_string_equal(config_linux_name(cfg, "ether3"), "ether3");
	/* A list in a list adds its members; a list in itself is a name. */
	assert_true(config_member_is_list(cfg, &cfg->iflist_members[1]));
	assert_false(config_member_is_list(cfg, &cfg->iflist_members[0]));
	assert_false(config_member_is_list(cfg, &cfg->iflist_members[2]));
	diag_free(d);
	config_free(cfg);
}

static void test_maps(void **state)
{
	const char *text = BASE "/ip route\nadd gateway=pppoe-out1\n";
	struct config *cfg = config_new("t.rsc");
	struct diag *d;

	assert_non_null(cfg);
	assert_int_equal(config_add_map(cfg, "wlan1=wlp2s0"), 0);
	assert_int_equal(config_add_map(cfg, "wlan1=eth0"), -EINVAL);
	assert_int_equal(config_add_map(cfg, "noequals"), -EINVAL);
	assert_int_equal(config_add_map(cfg, "=eth0"), -EINVAL);
	assert_int_equal(config_add_map(cfg, "x="), -EINVAL);
	assert_int_equal(config_add_map(cfg, "x=sixteen-chars-xx"), -EINVAL);
	assert_int_equal(config_add_map(cfg, "x=a/b"), -EINVAL);
	assert_int_equal(config_add_map(cfg, "x=fifteen-chars"), 0);
	assert_int_equal(config_add_map(cfg, "y=fifteen-chars-x"), 0);
	assert_string_equal(config_linux_name(cfg, "wlan1"), "wlp2s0");
	assert_string_equal(config_linux_name(cfg, "wlan2"), "wlan2");
	config_free(cfg);

	d = diag_new("t.rsc", text, strlen(text), NULL, false);
	assert_non_null(d);
	cfg = parse_buffer("t.rsc", text, strlen(text), d);
	assert_non_null(cfg);
	assert_int_equal(config_add_map(cfg, "pppoe-out1=ppp0"), 0);
	assert_int_equal(config_validate(cfg, d), 0);
	diag_free(d);
	config_free(cfg);
}

static void test_gateways(void **state)
{
	expect(BASE "/ip route\nadd gateway=10.113.0.1\n", 0, 1,
	       "t.rsc:6:13: warning: gateway 10.113.0.1 is in no connected "
	       "network of /ip address: the running daemon places it");
	/* Once per gateway, and no error for its second use. */
	expect(BASE "/ip route\nadd gateway=10.113.0.1\n"
		    "add gateway=10.113.0.1 distance=2\n",
	       0, 1, "warning: gateway 10.113.0.1 is in no connected");
	/* Reached through another route, but not within target-scope. */
	expect(BASE "/ip route\nadd dst-address=8.8.8.8 gateway=10.111.0.1\n"
		    "add gateway=8.8.8.8\n",
	       1, 0,
	       "t.rsc:7:13: error: gateway 8.8.8.8 is in no connected network, "
	       "and the route to 8.8.8.8/32 (line 6) that reaches it has scope "
	       "30, above this route's target-scope 10");
	/* Within it: a recursive gateway, resolved. */
	expect(BASE "/ip route\nadd dst-address=8.8.8.8 gateway=10.111.0.1 "
		    "scope=10\nadd gateway=8.8.8.8\n",
	       0, 0, "");
	expect(BASE "/ip route\nadd gateway=10.111.0.1,10.112.0.1%wlan1\n", 1,
	       0,
	       "t.rsc:6:24: error: gateway 10.112.0.1 is not in the network "
	       "of interface wlan1\n");
	expect(BASE "/ip route\nadd gateway=10.111.0.2\n", 1, 0,
	       "error: gateway 10.111.0.2 is this router's own address");
	expect(BASE "/ip route\nadd dst-address=10.0.0.0/8\n", 1, 0,
	       "t.rsc:6:1: error: route has no gateway");
	expect(BASE "/ip route\nadd dst-address=10.0.0.0/8 type=blackhole\n", 0,
	       0, "");
	expect(BASE "/ip route\nadd gateway=10.111.0.1 type=blackhole\n", 1, 0,
	       "error: a blackhole route takes no gateway");
}

static void test_gateway_limits(void **state)
{
	char *text = malloc(16384);
	size_t used, i;

	assert_non_null(text);
	used = (size_t)sprintf(text, "/ip address\nadd address=10.0.0.1/16 "
				     "interface=e\n/ip route\nadd gateway=");
	for (i = 0; i < 65; i++)
		used += (size_t)sprintf(text + used, "%s10.0.%zu.2",
					i ? "," : "", i + 1);
	strcpy(text + used, "\n");
	expect(text, 1, 0,
	       "error: gateway list has more than 64 distinct gateways");

	used = (size_t)sprintf(text, "/ip address\nadd address=10.0.0.1/16 "
				     "interface=e\n/ip route\nadd gateway=");
	for (i = 0; i < 256; i++)
		used += (size_t)sprintf(text + used, "%s10.0.0.2",
					i ? "," : "");
	strcpy(text + used, "\n");
	expect(text, 1, 0, "error: gateway list has 256 entries; at most 255");
	free(text);
}

static void test_numbers(void **state)
{
	expect(BASE "/ip route\nadd gateway=10.111.0.1 distance=0\n", 1, 0,
	       "t.rsc:6:33: error: distance 0 is out of range 1..255");
	expect(BASE "/ip route\nadd gateway=10.111.0.1 distance=256\n", 1, 0,
	       "error: distance 256 is out of range 1..255");
	expect(BASE "/ip route\nadd gateway=10.111.0.1 target-scope=300\n", 1,
	       0, "error: target-scope 300 is out of range 0..255");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting per-connection-classifier="
		    "both-addresses:3/3 action=mark-connection "
		    "new-connection-mark=c\n",
	       1, 0,
	       "t.rsc:6:48: error: per-connection-classifier remainder 3 "
	       "must be below the denominator 3");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting per-connection-classifier="
		    "src-address:0/0\n",
	       1, 0,
	       "error: per-connection-classifier denominator must be at "
	       "least 1");
	expect("/routing settings\nset check-gateway-interval=5ms "
	       "check-gateway-up-count=0\n",
	       2, 0, "error: check-gateway-interval 5ms is below the minimum");
	expect("/routing settings\nset check-gateway-timeout=0s "
	       "check-gateway-down-count=101\n",
	       2, 0, "error: check-gateway-down-count 101 is out of range");
}

static void test_address_checks(void **state)
{
	expect("/ip address\nadd address=10.0.0.1/24 network=10.0.1.0 "
	       "interface=e\n",
	       1, 0,
	       "t.rsc:2:33: error: network 10.0.1.0 does not match address "
	       "10.0.0.1/24 (expected 10.0.0.0)\n");
	expect("/ip address\nadd address=10.0.0.1/24 broadcast=10.0.0.127 "
	       "interface=e\n",
	       1, 0,
	       "error: broadcast 10.0.0.127 does not match address "
	       "10.0.0.1/24 (expected 10.0.0.255)");
	expect("/ip address\nadd address=10.0.0.0/24 interface=e\n", 1, 0,
	       "t.rsc:2:13: error: address 10.0.0.0/24 is the network address");
	expect("/ip address\nadd address=10.0.0.255/24 interface=e\n", 1, 0,
	       "error: address 10.0.0.255/24 is the broadcast address");
	expect("/ip address\nadd address=10.0.0.0/31 interface=e\n", 0, 0, "");
	expect("/ip address\nadd address=10.0.0.1/24 interface=e\n"
	       "add address=10.0.0.1/24 interface=f\n",
	       1, 0,
	       "t.rsc:3:13: error: address 10.0.0.1 is already assigned on "
	       "line 2");
	expect("/ip address\nadd address=10.0.0.1/24 interface=e\n"
	       "add address=10.0.0.2/16 interface=f\n",
	       0, 1,
	       "t.rsc:3:13: warning: network of 10.0.0.2/16 overlaps that of "
	       "10.0.0.1/24 on e (line 2)");
	expect("/ip address\nadd address=10.0.0.1/24 interface=e\n"
	       "add address=10.0.0.2/24 interface=e\n",
	       0, 0, "");
}

static void test_tables(void **state)
{
	expect(BASE "/ip route\nadd gateway=10.111.0.1 routing-table=to_a\n", 1,
	       0,
	       "t.rsc:6:38: error: routing table to_a is not declared in "
	       "/routing table");
	expect(BASE
	       "/routing table\nadd name=to_a fib\n"
	       "/ip firewall mangle\n"
	       "add chain=output action=mark-routing new-routing-mark=to_b\n",
	       1, 0, "error: routing table to_b is not declared");
	/* v6 spelling needs no declaration, only a mangle rule setting it. */
	expect(BASE "/ip route\nadd gateway=10.111.0.1 routing-mark=to_a\n", 0,
	       1,
	       "warning: routing-mark to_a is never set by /ip firewall "
	       "mangle");
	expect(BASE
	       "/ip route\nadd gateway=10.111.0.1 routing-mark=to_a\n"
	       "/ip firewall mangle\n"
	       "add chain=output action=mark-routing new-routing-mark=to_a\n",
	       0, 0, "");
	expect("/routing table\nadd name=t fib\nadd name=t fib\n", 1, 0,
	       "t.rsc:3:10: error: routing table t is already declared on "
	       "line 2");
	expect("/routing table\nadd name=t\n", 0, 1,
	       "warning: routing table t has no fib flag");
	expect("/routing table\nadd name=main fib\n", 1, 0,
	       "error: table main is predefined");
}

static void test_nat_checks(void **state)
{
	expect(BASE "/ip firewall nat\nadd chain=srcnat dst-port=80\n", 1, 0,
	       "t.rsc:6:27: error: dst-port needs protocol=tcp or "
	       "protocol=udp");
	expect(BASE "/ip firewall nat\nadd chain=dstnat action=dst-nat\n", 1, 0,
	       "t.rsc:6:25: error: action dst-nat needs to-addresses= or "
	       "to-ports=");
	expect(BASE "/ip firewall nat\nadd chain=srcnat action=src-nat\n", 1, 0,
	       "error: action src-nat needs to-addresses=");
	expect(BASE "/ip firewall nat\nadd chain=dstnat action=masquerade\n", 1,
	       0, "error: action masquerade is only valid in chain srcnat");
	expect(BASE "/ip firewall nat\n"
		    "add chain=srcnat action=dst-nat to-addresses=1.1.1.1\n",
	       1, 0, "error: action dst-nat is only valid in chain dstnat");
	expect(BASE
	       "/ip firewall nat\n"
	       "add chain=dstnat protocol=tcp dst-port=80 in-interface=wlan1 "
	       "action=dst-nat to-addresses=192.168.0.10 to-ports=8080\n",
	       0, 0, "");
	expect(BASE "/ip firewall nat\n"
		    "add chain=dstnat action=dst-nat to-ports=8080\n",
	       1, 0, "error: to-ports needs protocol=tcp or protocol=udp");
}

static void test_mangle_checks(void **state)
{
	expect(BASE
	       "/ip firewall mangle\n"
	       "add chain=forward action=mark-routing new-routing-mark=x\n",
	       1, 0,
	       "t.rsc:6:26: error: action mark-routing is only valid in chains "
	       "prerouting and output, not forward");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting action=mark-connection\n",
	       1, 0,
	       "error: action mark-connection needs new-connection-mark=");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting action=mark-routing\n",
	       1, 0, "error: action mark-routing needs new-routing-mark=");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting new-connection-mark=x\n",
	       1, 0, "error: new-connection-mark needs action=mark-connection");
	expect(BASE
	       "/ip firewall mangle\n"
	       "add chain=prerouting connection-mark=ghost action=accept\n",
	       0, 1,
	       "t.rsc:6:38: warning: connection-mark ghost is tested but "
	       "never set");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting connection-mark=no-mark\n",
	       0, 0, "");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting routing-mark=r\n",
	       0, 1, "warning: routing-mark r is tested but never set");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=prerouting protocol=icmp dst-port=1\n",
	       1, 0, "error: dst-port needs protocol=tcp");
	expect(BASE "/ip firewall mangle\n"
		    "add chain=input out-interface=wlan1\n",
	       1, 0, "error: out-interface is not available in chain input");
}

/* Parses text, prints it, and returns the printed text. */
static char *print_of(const char *text, int *errors)
{
	struct diag *d = diag_new("t.rsc", text, strlen(text), NULL, false);
	struct config *cfg;
	char *buf = NULL;
	size_t size;
	FILE *out;

	assert_non_null(d);
	cfg = parse_buffer("t.rsc", text, strlen(text), d);
	assert_non_null(cfg);
	*errors = diag_errors(d);
	out = open_memstream(&buf, &size);
	assert_non_null(out);
	config_print(cfg, out);
	fclose(out);
	diag_free(d);
	config_free(cfg);
	return buf;
}

static void test_round_trip(void **state)
{
	const char *text =
		"# a config using every attribute\n"
		"/ip firewall mangle\n"
		"add chain=prerouting in-interface=!Local "
		"dst-address-type=!local connection-state=related,new "
		"per-connection-classifier=both-addresses-and-ports:3/1 "
		"action=mark-connection new-connection-mark=\"c 1\" "
		"passthrough=no src-address=!10.0.0.0/8 "
		"dst-address=1.1.1.1-1.1.1.9 protocol=tcp dst-port=80,8000-8080 "
		"connection-mark=no-mark routing-mark=!x comment=\"q\\\"\\$\\?\\n\""
		" disabled=yes\n"
		"/ip firewall nat\n"
		"add chain=dstnat protocol=99 in-interface=wlan1 "
		"action=dst-nat to-addresses=192.168.0.2-192.168.0.3 "
		"to-ports=80-81\n"
		"add chain=srcnat action=src-nat to-addresses=10.111.0.2\n"
		"/ip route\n"
		"add gateway=10.111.0.1,10.111.0.1,10.112.0.1%wlan2,pppoe-out1 "
		"check-gateway=arp distance=200 scope=30 target-scope=11 "
		"routing-mark=m comment=x\n"
		"add dst-address=192.0.2.0/24 blackhole routing-table=t\n"
		"add gateway=\"ether 1\" routing-table=main\n"
		"/ip address\n"
		"add address=10.111.0.2/24 interface=wlan1 network=10.111.0.0 "
		"broadcast=10.111.0.255\n"
		"/routing settings set check-gateway-interval=1m30s "
		"check-gateway-timeout=1500ms check-gateway-down-count=3 "
		"check-gateway-up-count=2\n"
		"/ip settings set ipv4-multipath-hash-policy=l4\n"
		"/routing table\nadd name=t fib\nadd name=u comment=\"\"\n";
	const char *expected =
		"/routing table\n"
		"add name=t fib\n"
		"add name=u\n"
		"\n"
		"/ip settings\n"
		"set ipv4-multipath-hash-policy=l4\n"
		"\n"
		"/routing settings\n"
		"set check-gateway-interval=1m30s check-gateway-timeout=1s500ms "
		"check-gateway-down-count=3 check-gateway-up-count=2\n"
		"\n"
		"/ip address\n"
		"add address=10.111.0.2/24 network=10.111.0.0 "
		"broadcast=10.111.0.255 interface=wlan1\n"
		"\n"
		"/ip route\n"
		"add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.111.0.1,"
		"10.112.0.1%wlan2,pppoe-out1 check-gateway=arp distance=200 "
		"scope=30 target-scope=11 routing-mark=m comment=x\n"
		"add dst-address=192.0.2.0/24 routing-table=t type=blackhole\n"
		"add dst-address=0.0.0.0/0 gateway=\"ether 1\"\n"
		"\n"
		"/ip firewall nat\n"
		"add chain=dstnat protocol=99 in-interface=wlan1 action=dst-nat "
		"to-addresses=192.168.0.2-192.168.0.3 to-ports=80-81\n"
		"add chain=srcnat action=src-nat to-addresses=10.111.0.2\n"
		"\n"
		"/ip firewall mangle\n"
		"add chain=prerouting in-interface=!Local "
		"src-address=!10.0.0.0/8 dst-address=1.1.1.1-1.1.1.9 "
		"dst-address-type=!local protocol=tcp dst-port=80,8000-8080 "
		"connection-state=new,related connection-mark=no-mark "
		"routing-mark=!x "
		"per-connection-classifier=both-addresses-and-ports:3/1 "
		"action=mark-connection new-connection-mark=\"c 1\" "
		"passthrough=no disabled=yes comment=\"q\\\"\\$\\?\\n\"\n";
	char *first, *second;
	int errors;

	first = print_of(text, &errors);
	assert_int_equal(errors, 0);
	assert_string_equal(first, expected);
	second = print_of(first, &errors);
	assert_int_equal(errors, 0);
	assert_string_equal(second, first);
	free(first);
	free(second);
}

static void test_print_quoting(void **state)
{
	char *first, *second;
	int errors;

	first = print_of("/ip route add gateway=1.1.1.1 comment=\"a\\01b\\tc "
			 "d=e[f]#g\\\\h\"\n",
			 &errors);
	assert_int_equal(errors, 0);
	assert_string_equal(first, "/ip route\n"
				   "add dst-address=0.0.0.0/0 gateway=1.1.1.1 "
				   "comment=\"a\\01b\\tc d=e[f]#g\\\\h\"\n");
	second = print_of(first, &errors);
	assert_string_equal(second, first);
	free(first);
	free(second);
}

static void test_load(void **state)
{
	char path[] = "/tmp/test_config_XXXXXX";
	const char *maps[] = { "pppoe-out1=ppp0" };
	char *msgs = NULL;
	size_t size;
	struct config *cfg;
	FILE *out, *f;
	int fd = mkstemp(path), errors;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(BASE "/ip route\nadd gateway=pppoe-out1\n", f);
	fclose(f);

	out = open_memstream(&msgs, &size);
	assert_non_null(out);
	cfg = config_load(path, maps, 1, false, out, &errors);
	assert_non_null(cfg);
	assert_int_equal(errors, 0);
	assert_string_equal(config_linux_name(cfg, "pppoe-out1"), "ppp0");
	config_free(cfg);

	/*
	 * Without the map, the interface is taken as a Linux name whose
	 * address the box sets: a warning, an error under --strict.
	 */
	cfg = config_load(path, NULL, 0, false, out, &errors);
	assert_non_null(cfg);
	assert_int_equal(errors, 0);
	config_free(cfg);
	cfg = config_load(path, NULL, 0, true, out, &errors);
	assert_null(cfg);
	assert_int_equal(errors, 1);

	/* A bad map is an error of its own; cross-checks then wait. */
	maps[0] = "nonsense";
	cfg = config_load(path, maps, 1, false, out, &errors);
	assert_null(cfg);
	assert_int_equal(errors, 1);
	unlink(path);

	cfg = config_load(path, NULL, 0, false, out, &errors);
	assert_null(cfg);
	assert_int_equal(errors, -1);
	fclose(out);
	assert_non_null(strstr(msgs, "No such file or directory"));
	free(msgs);
}

static void test_strict(void **state)
{
	char path[] = "/tmp/test_config_XXXXXX";
	struct config *cfg;
	FILE *f;
	int fd = mkstemp(path), errors;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("/system identity set name=x\n" BASE, f);
	fclose(f);
	cfg = config_load(path, NULL, 0, false, NULL, &errors);
	assert_non_null(cfg);
	config_free(cfg);
	cfg = config_load(path, NULL, 0, true, NULL, &errors);
	assert_null(cfg);
	assert_int_equal(errors, 1);
	unlink(path);
}

/* Parses text that must be clean; the caller frees the config. */
static struct config *parse_clean(const char *text)
{
	struct diag *d = diag_new("t.rsc", text, strlen(text), NULL, false);
	struct config *cfg;

	assert_non_null(d);
	cfg = parse_buffer("t.rsc", text, strlen(text), d);
	assert_non_null(cfg);
	assert_int_equal(diag_errors(d), 0);
	diag_free(d);
	return cfg;
}

/* config_print_entry() of one entry, as a string the caller frees. */
static char *entry_text(const struct config *cfg, enum config_menu menu,
			size_t index, const char *const *skip)
{
	char *buf = NULL;
	size_t size;
	FILE *out = open_memstream(&buf, &size);

	assert_non_null(out);
	config_print_entry(out, cfg, menu, index, skip);
	fclose(out);
	return buf;
}

static void test_print_entry(void **state)
{
	static const char *const skip[] = { "chain", "action", "disabled",
					    "comment", NULL };
	struct config *cfg = parse_clean(
		"/ip firewall mangle\n"
		"add chain=prerouting in-interface=Local "
		"connection-mark=no-mark per-connection-classifier="
		"both-addresses:2/1 action=mark-connection "
		"new-connection-mark=c1 passthrough=no comment=\"a b\"\n"
		"add chain=forward action=accept disabled=yes\n"
		"/ip firewall nat\n"
		"add chain=srcnat out-interface=wlan1 action=masquerade\n"
		"/routing settings\nset check-gateway-up-count=3\n");
	char *s;

	s = entry_text(cfg, CONFIG_MENU_FIREWALL_MANGLE, 0, NULL);
	assert_string_equal(s, "chain=prerouting in-interface=Local "
			       "connection-mark=no-mark "
			       "per-connection-classifier=both-addresses:2/1 "
			       "action=mark-connection new-connection-mark=c1 "
			       "passthrough=no comment=\"a b\"");
	free(s);
	s = entry_text(cfg, CONFIG_MENU_FIREWALL_MANGLE, 0, skip);
	assert_string_equal(s, "in-interface=Local connection-mark=no-mark "
			       "per-connection-classifier=both-addresses:2/1 "
			       "new-connection-mark=c1 passthrough=no");
	free(s);
	/* Defaults are left out: an accept rule has nothing but its skips. */
	s = entry_text(cfg, CONFIG_MENU_FIREWALL_MANGLE, 1, skip);
	assert_string_equal(s, "");
	free(s);
	s = entry_text(cfg, CONFIG_MENU_FIREWALL_NAT, 0, skip);
	assert_string_equal(s, "out-interface=wlan1");
	free(s);
	s = entry_text(cfg, CONFIG_MENU_ROUTING_SETTINGS, 0, NULL);
	assert_string_equal(s, "check-gateway-up-count=3");
	free(s);
	/* Out of range: nothing. */
	s = entry_text(cfg, CONFIG_MENU_FIREWALL_NAT, 1, NULL);
	assert_string_equal(s, "");
	free(s);
	s = entry_text(cfg, CONFIG_MENUS, 0, NULL);
	assert_string_equal(s, "");
	free(s);

	assert_string_equal(config_menu_name(CONFIG_MENU_FIREWALL_NAT),
			    "/ip firewall nat");
	assert_null(config_menu_name(CONFIG_MENUS));
	assert_int_equal(config_menu_size(cfg, CONFIG_MENU_FIREWALL_MANGLE), 2);
	assert_int_equal(config_menu_size(cfg, CONFIG_MENU_IP_ROUTE), 0);
	assert_int_equal(config_menu_size(cfg, CONFIG_MENU_IP_SETTINGS), 1);
	assert_ptr_equal(config_entry(cfg, CONFIG_MENU_FIREWALL_MANGLE, 1),
			 &cfg->mangle[1].c);
	assert_true(
		config_entry(cfg, CONFIG_MENU_FIREWALL_MANGLE, 1)->disabled);
	assert_null(config_entry(cfg, CONFIG_MENU_FIREWALL_MANGLE, 2));
	assert_null(config_entry(cfg, CONFIG_MENU_IP_SETTINGS, 0));
	config_free(cfg);
}

/* Every menu row is consistent: the parser and printer rely on it. */
static void test_menu_table(void **state)
{
	size_t i, j, k, base, base2;

	for (i = 0; i < CONFIG_MENUS; i++) {
		const struct menu *m = &config_menus[i];
		const struct attr_def *def, *other;

		assert_int_equal(m->name[0], '/');
		assert_ptr_equal(menu_by_path(m->name + 1), m);
		assert_string_equal(config_menu_name((enum config_menu)i),
				    m->name);
		assert_non_null(m->defaults);
		assert_true(m->size > 0);
		for (j = 0; m->attrs[j].key || m->attrs[j].match; j++)
			if (m->attrs[j].match)
				assert_true(m->match > 0);
		for (j = 0; (def = menu_attr(m, j, &base)); j++) {
			assert_non_null(def->key);
			assert_non_null(def->read);
			assert_true(base + def->offset < m->size);
			if (def->required)
				assert_non_null(def->write);
			assert_ptr_equal(menu_find_attr(m, def->key, &base2),
					 def);
			assert_int_equal(base2, base);
			for (k = 0; k < j; k++) {
				other = menu_attr(m, k, &base2);
				assert_string_not_equal(other->key, def->key);
			}
		}
	}
	assert_null(menu_by_path("ip firewall filter"));
	assert_null(menu_by_path("/ip route"));
}

/* "add" through the descriptors: defaults, required keys, no half entry. */
static void test_add_entry(void **state)
{
	struct config *cfg;
	char *text = malloc(100 * 40 + 32), *p;
	size_t i;

	cfg = parse_clean("/ip route\nadd gateway=1.1.1.1\n"
			  "/ip firewall nat\nadd chain=srcnat\n"
			  "/ip firewall mangle\nadd chain=input\n");
	assert_int_equal(cfg->routes[0].distance, 1);
	assert_int_equal(cfg->nat[0].action, NAT_ACCEPT);
	assert_int_equal(cfg->mangle[0].action, MANGLE_ACCEPT);
	assert_true(cfg->mangle[0].passthrough);
	assert_int_equal(cfg->mangle[0].c.loc.line, 6);
	config_free(cfg);

	/* Many entries: the arrays grow; each keeps its own comment. */
	assert_non_null(text);
	p = text + sprintf(text, "/ip route\n");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "add gateway=10.0.0.%zu comment=c%zu\n", i, i);
	cfg = parse_clean(text);
	assert_int_equal(cfg->n_routes, 100);
	assert_string_equal(cfg->routes[99].c.comment, "c99");
	assert_int_equal(cfg->routes[42].gateways[0].addr, 10u << 24 | 42);
	config_free(cfg);
	free(text);
}

/* The matcher reads the same in every firewall menu. */
static void test_matcher_shared(void **state)
{
	struct config *cfg = parse_clean(
		"/ip firewall nat\n"
		"add chain=dstnat in-interface=!wlan1 src-address=10.0.0.0/8 "
		"dst-address=1.2.3.4-1.2.3.9 protocol=tcp dst-port=80,443\n"
		"/ip firewall mangle\n"
		"add chain=output in-interface=!wlan1 src-address=10.0.0.0/8 "
		"dst-address=1.2.3.4-1.2.3.9 protocol=tcp dst-port=80,443\n");
	struct rule_match a = cfg->nat[0].match, b = cfg->mangle[0].match;

	/* Only the places differ (same line offsets, other lines). */
	assert_int_equal(a.in_interface.loc.col, b.in_interface.loc.col);
	a.in_interface.loc = b.in_interface.loc;
	a.src_address.loc = b.src_address.loc;
	a.dst_address.loc = b.dst_address.loc;
	a.protocol.loc = b.protocol.loc;
	a.dst_port.loc = b.dst_port.loc;
	assert_memory_equal(&a, &b, sizeof(a));
	assert_true(a.in_interface.negate);
	assert_string_equal(a.in_interface.name, "wlan1");
	config_free(cfg);
}

/* The matcher's checks are the same in every firewall menu. */
static void test_matcher_checks(void **state)
{
	static const char *const menus[][2] = {
		{ "/ip firewall nat\nadd chain=dstnat ",
		  "/ip firewall nat\nadd chain=srcnat " },
		{ "/ip firewall mangle\nadd chain=input ",
		  "/ip firewall mangle\nadd chain=output " },
	};
	char text[512];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(text, sizeof(text), BASE "%sout-interface=wlan1\n",
			 menus[i][0]);
		expect(text, 1, 0,
		       "error: out-interface is not available in chain");
		snprintf(text, sizeof(text), BASE "%sin-interface=wlan1\n",
			 menus[i][1]);
		expect(text, 1, 0,
		       "error: in-interface is not available in chain");
		snprintf(text, sizeof(text), BASE "%sdst-port=53\n",
			 menus[i][0]);
		expect(text, 1, 0,
		       "error: dst-port needs protocol=tcp or protocol=udp");
		snprintf(text, sizeof(text), BASE "%sin-interface=!ether9\n",
			 menus[i][0]);
		expect(text, 0, 1,
		       "warning: interface ether9 has no address in /ip "
		       "address");
		snprintf(text, sizeof(text),
			 BASE
			 "%sprotocol=udp dst-port=53 src-address=10.0.0.0/8 "
			 "dst-address=!1.2.3.4-1.2.3.5\n",
			 menus[i][0]);
		expect(text, 0, 0, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_renames),
		cmocka_unit_test(test_gateways),
		cmocka_unit_test(test_gateway_limits),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_address_checks),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_nat_checks),
		cmocka_unit_test(test_mangle_checks),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_print_quoting),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_print_entry),
		cmocka_unit_test(test_menu_table),
		cmocka_unit_test(test_add_entry),
		cmocka_unit_test(test_matcher_shared),
		cmocka_unit_test(test_matcher_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
