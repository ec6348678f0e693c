/* SPDX-License-Identifier: MIT */
/*
 * print.h - RouterOS-style "print" of the running configuration, with the
 * daemon's live state: `ecmpctl print /ip route` shows each route's flags
 * and each gateway's reachability, `print /ip firewall mangle` and `nat`
 * show each rule with its packet and byte counters from the kernel.
 */
#ifndef ECMPD_PRINT_H
#define ECMPD_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

struct config;
struct fw;
struct fw_counter;
struct plan;
struct status;

/*
 * Prints cfg's routes like RouterOS's `/ip route print`: flags (X
 * disabled, A active, D dynamic, C connect, S static, B blackhole), number,
 * dst-address, pref-src, each gateway with its state ("10.111.0.1
 * reachable wlan1", "10.111.0.1 unreachable"), distance, routing mark or
 * table; the connected routes of /ip address follow as dynamic ones. A
 * route is active when a gateway is reachable and no other route to the
 * same destination in the same table with a reachable gateway has a lower
 * distance. plan (may be NULL) names the interface of gateways given
 * without one. json: a JSON array of objects instead, keys spelled as
 * RouterOS's REST API does.
 */
void print_routes(FILE *out, const struct config *cfg, const struct plan *plan,
		  const struct status *status, bool json);

/*
 * Prints the rules of a firewall menu (CONFIG_MENU_FIREWALL_NAT or
 * _MANGLE) like RouterOS's `print stats`: number, flags (X disabled),
 * chain, action, bytes, packets, then the rule's other attributes. Each
 * enabled rule's counters are the named counter the ruleset gave it
 * (ruleset_counter_name()), looked up in counters[0..n_counters) ("-"
 * when missing). json: a JSON array instead.
 */
void print_firewall(FILE *out, const struct config *cfg, enum config_menu menu,
		    const struct fw_counter *counters, size_t n_counters,
		    bool json);

/*
 * What the daemon has for a print request; strings and arrays are the
 * caller's.
 */
struct print_context {
	const struct config *cfg;
	const struct plan *plan;
	const struct status *status; /* the uplinks' states: status.h */
	struct fw *fw; /* to read the rules' counters; NULL: none */
};

/*
 * Handles the words after "print" of a control request: a menu (/ip
 * route, /ip firewall mangle, /ip firewall nat; also written /ip/route,
 * ip route) and an optional "json" or "-j". Writes the answer (or the
 * error text) to reply. Returns 0, or -ENOENT for an unknown menu.
 */
int print_request(FILE *reply, const char *args,
		  const struct print_context *ctx)
	__attribute__((warn_unused_result));

#endif
