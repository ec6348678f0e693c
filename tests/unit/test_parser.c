// SPDX-License-Identifier: MIT
/*
 * test_parser.c - RouterOS script to config: every menu and attribute,
 * every menu spelling, gateway weights, skipped menus, and syntax errors
 * with their exact line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/parser.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

struct run {
	struct config *cfg;
	char *msgs; /* everything the diag wrote */
	int errors;
	int warnings;
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

/* Parses text expecting exactly the given diagnostics output. */
static void expect(const char *text, const char *msgs)
{
	struct run r = parse(text);

	assert_string_equal(r.msgs, msgs);
	done(&r);
}

static void test_menu_spellings(void **state)
{
	static const char *const texts[] = {
		"/ip route\nadd gateway=10.0.0.1\n",
		"/ ip route\nadd gateway=10.0.0.1\n",
		"/ip/route\nadd gateway=10.0.0.1\n",
		"/ip/route/add gateway=10.0.0.1\n",
		"/ip route add gateway=10.0.0.1\n",
		"/ ip route add gateway=10.0.0.1\n",
		"/ip route   \n  add   gateway=10.0.0.1   \n",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct run r = parse(texts[i]);

		assert_string_equal(r.msgs, "");
		assert_int_equal(r.cfg->n_routes, 1);
		assert_int_equal(r.cfg->routes[0].gateways[0].addr,
				 IP(10, 0, 0, 1));
		done(&r);
	}
}

static void test_ip_address(void **state)
{
	struct run r = parse("/ip address\n"
			     "add address=192.168.0.1/24 network=192.168.0.0 "
			     "broadcast=192.168.0.255 interface=Local "
			     "comment=\"LAN side\" disabled=yes\n"
			     "add address=10.0.0.1 interface=lo\n");
	const struct ip_address *a = r.cfg->addresses;

	assert_string_equal(r.msgs, "");
	assert_int_equal(r.cfg->n_addresses, 2);
	assert_int_equal(a[0].addr, IP(192, 168, 0, 1));
	assert_int_equal(a[0].len, 24);
	assert_true(a[0].has_network);
	assert_int_equal(a[0].network, IP(192, 168, 0, 0));
	assert_true(a[0].has_broadcast);
	assert_int_equal(a[0].broadcast, IP(192, 168, 0, 255));
	assert_string_equal(a[0].interface, "Local");
	assert_string_equal(a[0].c.comment, "LAN side");
	assert_true(a[0].c.disabled);
	assert_int_equal(a[0].c.loc.line, 2);
	assert_int_equal(a[0].c.loc.col, 1);
	assert_int_equal(a[0].addr_loc.col, 13);
	assert_int_equal(a[1].len, 32);
	assert_false(a[1].has_network);
	done(&r);
}

static void test_ip_route(void **state)
{
	struct run r = parse(
		"/ip route\n"
		"add dst-address=10.0.0.0/8 gateway=10.111.0.1,10.112.0.1%wlan2,"
		"pppoe-out1 check-gateway=arp distance=3 routing-mark=to_a "
		"scope=30 target-scope=10\n"
		"add dst-address=192.0.2.0/24 type=blackhole\n"
		"add dst-address=198.51.100.0/24 blackhole routing-table=t7\n"
		"add gateway=1.1.1.1 routing-table=main check-gateway=\"\"\n");
	const struct route *rt = r.cfg->routes;

	assert_string_equal(r.msgs, "");
	assert_int_equal(r.cfg->n_routes, 4);
	assert_int_equal(rt[0].dst, IP(10, 0, 0, 0));
	assert_int_equal(rt[0].dst_len, 8);
	assert_int_equal(rt[0].n_gateways, 3);
	assert_true(rt[0].gateways[0].has_addr);
	assert_string_equal(rt[0].gateways[0].interface, "");
	assert_int_equal(rt[0].gateways[1].addr, IP(10, 112, 0, 1));
	assert_string_equal(rt[0].gateways[1].interface, "wlan2");
	assert_int_equal(rt[0].gateways[1].loc.col, 47);
	assert_false(rt[0].gateways[2].has_addr);
	assert_string_equal(rt[0].gateways[2].interface, "pppoe-out1");
	assert_int_equal(rt[0].check_gateway, CHECK_ARP);
	assert_int_equal(rt[0].distance, 3);
	assert_string_equal(rt[0].table, "to_a");
	assert_false(rt[0].table_v7);
	assert_true(rt[0].has_scope);
	assert_int_equal(rt[0].scope, 30);
	assert_int_equal(rt[0].target_scope, 10);
	assert_true(rt[1].blackhole);
	assert_int_equal(rt[1].distance, 1);
	assert_true(rt[2].blackhole);
	assert_true(rt[2].table_v7);
	assert_string_equal(rt[2].table, "t7");
	assert_int_equal(rt[3].dst_len, 0);
	assert_string_equal(rt[3].table, "");
	assert_int_equal(rt[3].check_gateway, CHECK_NONE);
	done(&r);
}

static void test_weights(void **state)
{
	struct run r = parse(
		"/ ip route\n"
		"add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1,"
		"10.112.0.1,10.112.0.1,10.112.0.1,10.112.0.1 check-gateway=ping\n");
	struct weighted_gateway wg[4];
	size_t n;

	assert_string_equal(r.msgs, "");
	assert_int_equal(r.cfg->routes[0].n_gateways, 6);
	n = route_gateways(&r.cfg->routes[0], wg, 4);
	assert_int_equal(n, 2);
	assert_int_equal(wg[0].gw.addr, IP(10, 111, 0, 1));
	assert_int_equal(wg[0].weight, 1);
	assert_int_equal(wg[1].gw.addr, IP(10, 112, 0, 1));
	assert_int_equal(wg[1].weight, 5);
	/* At most max distinct gateways are written; repeats still count. */
	n = route_gateways(&r.cfg->routes[0], wg, 1);
	assert_int_equal(n, 1);
	assert_int_equal(wg[0].weight, 1);
	done(&r);
}

static void test_routing_table_and_settings(void **state)
{
	struct run r =
		parse("/routing table\n"
		      "add name=to_wlan1 fib\n"
		      "add name=other fib=no comment=x\n"
		      "/ip settings\n"
		      "set ipv4-multipath-hash-policy=l4 rp-filter=loose\n"
		      "/routing settings\n"
		      "set check-gateway-interval=1m30s "
		      "check-gateway-timeout=00:00:10\n"
		      "set check-gateway-down-count=3 "
		      "check-gateway-up-count=7\n");

	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 1);
	assert_string_equal(
		r.msgs, "t.rsc:5:35: warning: attribute rp-filter of /ip "
			"settings is not supported by ecmpd; ignored\n"
			"set ipv4-multipath-hash-policy=l4 rp-filter=loose\n"
			"                                  ^\n");
	assert_int_equal(r.cfg->n_tables, 2);
	assert_string_equal(r.cfg->tables[0].name, "to_wlan1");
	assert_true(r.cfg->tables[0].fib);
	assert_false(r.cfg->tables[1].fib);
	assert_int_equal(r.cfg->ip_settings.hash_policy, HASH_L4);
	assert_int_equal(r.cfg->ip_settings.hash_policy_loc.line, 5);
	assert_int_equal(r.cfg->probe.interval_ms, 90000);
	assert_int_equal(r.cfg->probe.timeout_ms, 10000);
	assert_int_equal(r.cfg->probe.down_count, 3);
	assert_int_equal(r.cfg->probe.up_count, 7);
	assert_int_equal(r.cfg->probe_loc.line, 8);
	done(&r);
}

static void test_times(void **state)
{
	static const struct {
		const char *text;
		unsigned ms;
	} cases[] = {
		{ "100ms", 100 },      { "10s", 10000 },   { "1m30s", 90000 },
		{ "00:00:10", 10000 }, { "2", 2000 },	   { "1h", 3600000 },
		{ "1s500ms", 1500 },   { "1d", 86400000 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		struct run r;

		snprintf(text, sizeof(text),
			 "/routing settings set check-gateway-interval=%s\n",
			 cases[i].text);
		r = parse(text);
		assert_string_equal(r.msgs, "");
		assert_int_equal(r.cfg->probe.interval_ms, cases[i].ms);
		done(&r);
	}
	expect("/routing settings set check-gateway-timeout=10x\n",
	       "t.rsc:1:45: error: invalid check-gateway-timeout '10x': "
	       "expected a time such as 100ms, 10s, 1m30s or 00:00:10\n"
	       "/routing settings set check-gateway-timeout=10x\n"
	       "                                            ^\n");
}

static void test_nat(void **state)
{
	struct run r = parse(
		"/ip firewall nat\n"
		"add chain=srcnat out-interface=!wlan1 action=masquerade\n"
		"add chain=dstnat in-interface=wlan1 protocol=tcp "
		"dst-port=80,443,8000-8080 dst-address=!10.111.0.2/32 "
		"src-address=1.2.3.4-1.2.3.9 action=dst-nat "
		"to-addresses=192.168.0.10-192.168.0.12 to-ports=8080-8081\n"
		"add chain=srcnat protocol=47 action=src-nat "
		"to-addresses=10.111.0.2\n"
		"add chain=srcnat\n");
	const struct nat_rule *n = r.cfg->nat;

	assert_string_equal(r.msgs, "");
	assert_int_equal(r.cfg->n_nat, 4);
	assert_int_equal(n[0].chain, NAT_SRCNAT);
	assert_int_equal(n[0].action, NAT_MASQUERADE);
	assert_true(n[0].match.out_interface.negate);
	assert_string_equal(n[0].match.out_interface.name, "wlan1");
	assert_int_equal(n[1].chain, NAT_DSTNAT);
	assert_int_equal(n[1].match.protocol.number, 6);
	assert_int_equal(n[1].match.dst_port.n, 3);
	assert_int_equal(n[1].match.dst_port.spans[2].lo, 8000);
	assert_int_equal(n[1].match.dst_port.spans[2].hi, 8080);
	assert_true(n[1].match.dst_address.negate);
	assert_int_equal(n[1].match.dst_address.len, 32);
	assert_true(n[1].match.src_address.is_range);
	assert_int_equal(n[1].match.src_address.hi, IP(1, 2, 3, 9));
	assert_int_equal(n[1].to_addr_lo, IP(192, 168, 0, 10));
	assert_int_equal(n[1].to_addr_hi, IP(192, 168, 0, 12));
	assert_int_equal(n[1].to_port_lo, 8080);
	assert_int_equal(n[1].to_port_hi, 8081);
	assert_int_equal(n[2].match.protocol.number, 47);
	assert_int_equal(n[2].to_addr_hi, n[2].to_addr_lo);
	assert_int_equal(n[3].action, NAT_ACCEPT);
	done(&r);
}

static void test_mangle(void **state)
{
	struct run r =
		parse("/ip firewall mangle\n"
		      "add chain=prerouting in-interface=Local "
		      "dst-address-type=!local connection-mark=no-mark "
		      "connection-state=new,related per-connection-classifier="
		      "both-addresses:3/2 action=mark-connection "
		      "new-connection-mark=c3 passthrough=yes\n"
		      "add chain=prerouting connection-mark=c3 "
		      "action=mark-routing new-routing-mark=r3 passthrough=no "
		      "src-address=192.168.0.0/24 protocol=udp dst-port=53\n"
		      "add chain=forward connection-state=!invalid "
		      "routing-mark=!r3 out-interface=wlan1\n");
	const struct mangle_rule *m = r.cfg->mangle;

	assert_string_equal(r.msgs, "");
	assert_int_equal(r.cfg->n_mangle, 3);
	assert_int_equal(m[0].chain, MANGLE_PREROUTING);
	assert_string_equal(m[0].match.in_interface.name, "Local");
	assert_int_equal(m[0].match.dst_address_type.type, ADDR_TYPE_LOCAL);
	assert_true(m[0].match.dst_address_type.negate);
	assert_string_equal(m[0].match.connection_mark.name, "no-mark");
	assert_int_equal(m[0].match.connection_state.states,
			 CONN_NEW | CONN_RELATED);
	assert_int_equal(m[0].match.pcc.fields, PCC_BOTH_ADDRESSES);
	assert_int_equal(m[0].match.pcc.denominator, 3);
	assert_int_equal(m[0].match.pcc.remainder, 2);
	assert_int_equal(m[0].action, MANGLE_MARK_CONNECTION);
	assert_string_equal(m[0].new_connection_mark, "c3");
	assert_true(m[0].passthrough);
	assert_int_equal(m[1].action, MANGLE_MARK_ROUTING);
	assert_false(m[1].passthrough);
	assert_int_equal(m[1].match.protocol.number, 17);
	assert_int_equal(m[1].match.dst_port.spans[0].lo, 53);
	assert_int_equal(m[1].match.src_address.len, 24);
	assert_int_equal(m[2].action, MANGLE_ACCEPT);
	assert_true(m[2].passthrough);
	assert_true(m[2].match.connection_state.negate);
	assert_int_equal(m[2].match.connection_state.states, CONN_INVALID);
	assert_true(m[2].match.routing_mark.negate);
	done(&r);
}

static void test_pcc_spellings(void **state)
{
	static const char *const fields[] = {
		"src-address",
		"dst-address",
		"both-addresses",
		"both-ports",
		"both-addresses-and-ports",
		"src-address-and-port",
		"dst-address-and-port",
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char text[200];
		struct run r;

		snprintf(text, sizeof(text),
			 "/ip firewall mangle add chain=prerouting "
			 "per-connection-classifier=%s:2/1\n",
			 fields[i]);
		r = parse(text);
		assert_string_equal(r.msgs, "");
		assert_int_equal(r.cfg->mangle[0].match.pcc.fields, (int)i + 1);
		done(&r);
	}
}

static void test_skipped_menus(void **state)
{
	struct run r = parse("# jan/02/1970 00:00:00 by RouterOS 6.48.6\n"
			     "/interface wireless\n"
			     "set [ find default-name=wlan1 ] ssid=home\n"
			     "/system identity\n"
			     "set name=\"gw 1\"\n"
			     "/tool sniffer set filter-ip-address=1.1.1.1\n"
			     "/ip address\n"
			     "add address=10.0.0.1/24 interface=ether1\n");

	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 3);
	assert_non_null(strstr(r.msgs,
			       "t.rsc:2:1: warning: menu /interface wireless "
			       "is not supported by ecmpd; skipped (on Linux: "
			       "hostapd (access point) or wpa_supplicant "
			       "(client))\n"));
	assert_non_null(strstr(r.msgs, "t.rsc:4:1: warning: menu /system "
				       "identity is not supported"));
	assert_non_null(strstr(r.msgs, "t.rsc:6:1: warning: menu /tool "
				       "sniffer is not supported"));
	assert_int_equal(r.cfg->n_addresses, 1);
	done(&r);
}

static void test_outside_menu(void **state)
{
	expect("add gateway=1.1.1.1\n:global x 1\n",
	       "t.rsc:1:1: warning: line outside any menu; skipped (start "
	       "with a menu such as /ip route)\n"
	       "add gateway=1.1.1.1\n"
	       "^\n"
	       "t.rsc:1:1: error: every line of the file was skipped: it "
	       "configures nothing ecmpd does\n"
	       "add gateway=1.1.1.1\n"
	       "^\n"
	       "t.rsc:2:1: warning: scripting command :global is not "
	       "supported by ecmpd; skipped\n"
	       ":global x 1\n"
	       "^\n");
}

/* Blocks keep their menu; one warning per skipped menu; line fates. */
static void test_blocks_and_fates(void **state)
{
	struct run r =
		parse("/ip {\n"
		      "  address add address=10.0.0.1/24 interface=e1\n"
		      "  dns set servers=1.1.1.1\n"
		      "  firewall { nat { add chain=srcnat } }\n"
		      "}\n"
		      "/ip dns set cache-size=1\n"
		      "/ip route { add gateway=10.0.0.2 }\n"
		      "/ip settings set ipv4-multipath-hash-policy=l4\n");
	static const enum line_fate fates[] = {
		LINE_MENU, LINE_ENTRY,	  LINE_SKIPPED, LINE_MENU,
		LINE_MENU, LINE_ENTRY,	  LINE_MENU,	LINE_MENU,
		LINE_MENU, LINE_SKIPPED,  LINE_MENU,	LINE_ENTRY,
		LINE_MENU, LINE_SETTINGS,
	};
	size_t i;

	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 1);
	assert_int_equal(r.cfg->n_addresses, 1);
	assert_int_equal(r.cfg->n_nat, 1);
	assert_int_equal(r.cfg->n_routes, 1);
	assert_int_equal(r.cfg->n_lines, sizeof(fates) / sizeof(fates[0]));
	for (i = 0; i < r.cfg->n_lines; i++)
		assert_int_equal(r.cfg->lines[i].fate, fates[i]);
	assert_string_equal(r.cfg->lines[2].path, "ip dns");
	assert_int_equal(r.cfg->lines[5].menu, CONFIG_MENU_FIREWALL_NAT);
	assert_int_equal(r.cfg->lines[11].line, 7);
	done(&r);
}

static void test_trailing_blanks_and_continuation(void **state)
{
	struct run r = parse("/ ip firewall nat \n"
			     "add chain=srcnat \\\n"
			     "    out-interface=\\\n"
			     "    wlan1 action=masquerade   \n");

	assert_string_equal(r.msgs, "");
	assert_string_equal(r.cfg->nat[0].match.out_interface.name, "wlan1");
	assert_int_equal(r.cfg->nat[0].match.out_interface.loc.line, 4);
	assert_int_equal(r.cfg->nat[0].match.out_interface.loc.col, 5);
	done(&r);
}

static void test_errors_exact(void **state)
{
	expect("/ip route\nadd gateway=10.0.0.1 check-gateway=pong\n",
	       "t.rsc:2:36: error: invalid check-gateway 'pong': expected "
	       "ping, arp or none\n"
	       "add gateway=10.0.0.1 check-gateway=pong\n"
	       "                                   ^\n");
	expect("/ip route\nadd gatway=10.0.0.1\n",
	       "t.rsc:2:5: error: unknown attribute 'gatway' in /ip route\n"
	       "add gatway=10.0.0.1\n"
	       "    ^\n");
	expect("/ip address\nadd address=10.0.0.256/24 interface=e\n",
	       "t.rsc:2:13: error: invalid address '10.0.0.256/24': an octet "
	       "is out of range 0..255\n"
	       "add address=10.0.0.256/24 interface=e\n"
	       "            ^\n");
	expect("/ip address\nadd address=10.0.0.1/33 interface=e\n",
	       "t.rsc:2:13: error: invalid address '10.0.0.1/33': the prefix "
	       "length is out of range 0..32\n"
	       "add address=10.0.0.1/33 interface=e\n"
	       "            ^\n");
	expect("/ip route\nadd gateway=10.0.0.1,,10.0.0.2\n",
	       "t.rsc:2:22: error: empty element in gateway list\n"
	       "add gateway=10.0.0.1,,10.0.0.2\n"
	       "                     ^\n");
	expect("/ip route\nadd gateway=10.0.0.1%\n",
	       "t.rsc:2:22: error: gateway '10.0.0.1%' needs an interface "
	       "after '%'\n"
	       "add gateway=10.0.0.1%\n"
	       "                     ^\n");
	expect("/ip firewall nat\nadd chain=srcnat dst-port=0\n",
	       "t.rsc:2:27: error: invalid dst-port '0': expected a port "
	       "1..65535\n"
	       "add chain=srcnat dst-port=0\n"
	       "                          ^\n");
	expect("/ip firewall nat\nadd chain=srcnat dst-port=70000\n",
	       "t.rsc:2:27: error: invalid dst-port '70000': expected a port "
	       "1..65535\n"
	       "add chain=srcnat dst-port=70000\n"
	       "                          ^\n");
	expect("/ip firewall nat\nadd action=masquerade\n",
	       "t.rsc:2:1: error: chain= is required in /ip firewall nat\n"
	       "add action=masquerade\n"
	       "^\n");
	expect("/ip route\nadd gateway=1.1.1.1 gateway=2.2.2.2\n",
	       "t.rsc:2:21: error: attribute gateway given twice\n"
	       "add gateway=1.1.1.1 gateway=2.2.2.2\n"
	       "                    ^\n");
	expect("/ip route\nset [ find ] distance=2\n",
	       "t.rsc:2:1: error: set is not supported in /ip route; write "
	       "each entry with add\n"
	       "set [ find ] distance=2\n"
	       "^\n");
	expect("/ip route\nprint\n",
	       "t.rsc:2:1: error: command print is not supported in /ip "
	       "route\n"
	       "print\n"
	       "^\n");
	expect("/ip route\nadd comment=\"abc\n",
	       "t.rsc:2:13: error: unterminated string\n"
	       "add comment=\"abc\n"
	       "            ^\n");
	expect("/ip route\nadd gateway = 1.1.1.1\n",
	       "t.rsc:2:13: error: expected an attribute name before '=' (no "
	       "blanks around '=')\n"
	       "add gateway = 1.1.1.1\n"
	       "            ^\n");
	expect("/ip route\nadd gateway\n",
	       "t.rsc:2:5: error: attribute gateway needs a value "
	       "(gateway=...)\n"
	       "add gateway\n"
	       "    ^\n");
	expect("/ip/route/add dst-address=10.0.0.1/8 gateway=1.1.1.1\n",
	       "t.rsc:1:27: error: invalid dst-address '10.0.0.1/8': host "
	       "bits are set (the network is 10.0.0.0/8)\n"
	       "/ip/route/add dst-address=10.0.0.1/8 gateway=1.1.1.1\n"
	       "                          ^\n");
	expect("/ip firewall mangle add chain=foo\n",
	       "t.rsc:1:31: error: invalid chain 'foo': expected prerouting, "
	       "input, forward, output or postrouting\n"
	       "/ip firewall mangle add chain=foo\n"
	       "                              ^\n");
	expect("/ip settings add x=1\n",
	       "t.rsc:1:14: error: /ip settings has no add; use set\n"
	       "/ip settings add x=1\n"
	       "             ^\n");
	expect("/ip route\nadd routing-mark=a routing-table=b\n",
	       "t.rsc:2:20: error: routing-mark and routing-table both given; "
	       "use one\n"
	       "add routing-mark=a routing-table=b\n"
	       "                   ^\n");
}

/* "add" through the menu table: required keys in table order. */
static void test_required_and_menu_attrs(void **state)
{
	expect("/ip address\nadd comment=x network=10.0.0.0\n",
	       "t.rsc:2:1: error: address= is required in /ip address\n"
	       "add comment=x network=10.0.0.0\n"
	       "^\n"
	       "t.rsc:2:1: error: interface= is required in /ip address\n"
	       "add comment=x network=10.0.0.0\n"
	       "^\n");
	/* A firewall menu takes only the matcher attributes it lists. */
	expect("/ip firewall nat\nadd chain=srcnat connection-mark=x\n",
	       "t.rsc:2:18: error: unknown attribute 'connection-mark' in "
	       "/ip firewall nat\n"
	       "add chain=srcnat connection-mark=x\n"
	       "                 ^\n");
	expect("/ip firewall mangle\nadd chain=input dst-address-type\n",
	       "t.rsc:2:17: error: attribute dst-address-type needs a value "
	       "(dst-address-type=...)\n"
	       "add chain=input dst-address-type\n"
	       "                ^\n");
}

static void test_errors_keep_going(void **state)
{
	struct run r = parse("/ip route\n"
			     "add distance=x\n"
			     "add gateway=1.1.1.1\n"
			     "add check-gateway=no\n"
			     "/ip address\n"
			     "add address=1.2.3.4/24\n");

	assert_int_equal(r.errors, 3);
	/* Entries with errors are dropped; the good one stays. */
	assert_int_equal(r.cfg->n_routes, 1);
	assert_int_equal(r.cfg->n_addresses, 0);
	done(&r);
}

static void test_quoted_values(void **state)
{
	struct run r = parse("/ip firewall mangle\n"
			     "add chain=prerouting new-connection-mark=\"a b\" "
			     "action=mark-connection comment=\"x\\\"y\\_z\" "
			     "in-interface=\"ether 1\"\n");

	assert_string_equal(r.msgs, "");
	assert_string_equal(r.cfg->mangle[0].new_connection_mark, "a b");
	assert_string_equal(r.cfg->mangle[0].c.comment, "x\"y z");
	assert_string_equal(r.cfg->mangle[0].match.in_interface.name,
			    "ether 1");
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_menu_spellings),
		cmocka_unit_test(test_ip_address),
		cmocka_unit_test(test_ip_route),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_routing_table_and_settings),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_nat),
		cmocka_unit_test(test_mangle),
		cmocka_unit_test(test_pcc_spellings),
		cmocka_unit_test(test_skipped_menus),
		cmocka_unit_test(test_outside_menu),
		cmocka_unit_test(test_blocks_and_fates),
		cmocka_unit_test(test_trailing_blanks_and_continuation),
		cmocka_unit_test(test_errors_exact),
		cmocka_unit_test(test_required_and_menu_attrs),
		cmocka_unit_test(test_errors_keep_going),
		cmocka_unit_test(test_quoted_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
