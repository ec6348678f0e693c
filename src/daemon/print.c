// SPDX-License-Identifier: MIT
/*
 * print.c - RouterOS-style "print" for the control socket.
 *
 * A RouterOS user checks a router with `/ip route print` and `/ip firewall
 * nat print stats`; ecmpctl answers the same questions in the same shape.
 * Routes come from the config, their state from the status snapshot:
 * RouterOS's "active" is computed the way RouterOS does (a reachable
 * gateway, the lowest distance per destination and table), and the
 * connected routes of /ip address are listed as dynamic ones. Each
 * firewall rule is printed by the config's canonical printer
 * (config_print_entry(), so attributes read exactly as in the script) with
 * the packets and bytes of the named counter the ruleset gave it
 * (ruleset_counter_name()), read from the kernel by name, never by
 * position.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "base/json.h"
#include "config/config.h"
#include "daemon/print.h"
#include "daemon/status.h"
#include "kernel/fw.h"
#include "plan/plan.h"
#include "plan/ruleset.h"

#define CELL_MAX 512
#define PRINT_REQUEST_MAX 512

/* ---- /ip route ---- */

/* The state of a gateway of a route, NULL when the daemon has none. */
static const struct status_uplink *find_state(const struct config *cfg,
					      const struct gateway *g,
					      const struct status_uplink *st,
					      size_t n)
{
	const char *ifname =
		g->interface[0] ? config_linux_name(cfg, g->interface) : NULL;

	for (size_t i = 0; i < n; i++) {
		if (g->has_addr != st[i].has_gateway)
			continue;
		if (g->has_addr && g->addr != st[i].gateway)
			continue;
		if (ifname && strcmp(ifname, st[i].interface))
			continue;
		return &st[i];
	}
	return NULL;
}

/* The interface a gateway goes through, "" when nobody knows. */
static const char *gateway_ifname(const struct config *cfg,
				  const struct plan *plan,
				  const struct gateway *g,
				  const struct status_uplink *s)
{
	if (s)
		return s->interface;
	if (g->interface[0])
		return config_linux_name(cfg, g->interface);
	for (size_t i = 0; plan && i < plan->n_uplinks; i++)
		if (plan->uplinks[i].has_gateway &&
		    plan->uplinks[i].gateway == g->addr)
			return plan->uplinks[i].interface;
	return "";
}

static bool route_reachable(const struct config *cfg, const struct route *r,
			    const struct status_uplink *st, size_t n)
{
	if (!entry_enabled(&r->c))
		return false;
	if (r->blackhole)
		return true;
	for (size_t i = 0; i < r->n_gateways; i++) {
		const struct status_uplink *s =
			find_state(cfg, &r->gateways[i], st, n);

		/* No state: not probed and not an uplink; trust it. */
		if (!s || health_usable(&s->health))
			return true;
	}
	return false;
}

static bool route_active(const struct config *cfg, size_t idx,
			 const struct status_uplink *st, size_t n)
{
	const struct route *r = &cfg->routes[idx];

	if (!route_reachable(cfg, r, st, n))
		return false;
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct route *o = &cfg->routes[i];

		if (i == idx || o->dst != r->dst || o->dst_len != r->dst_len ||
		    strcmp(o->table, r->table) ||
		    !route_reachable(cfg, o, st, n))
			continue;
		/* The kernel keeps the first of equal distances. */
		if (o->distance < r->distance ||
		    (o->distance == r->distance && i < idx))
			return false;
	}
	return true;
}

/* "10.111.0.1 reachable wlan1" for one gateway, into buf. */
static void gateway_cell(char *buf, size_t len, const struct config *cfg,
			 const struct plan *plan, const struct route *r,
			 const struct gateway *g,
			 const struct status_uplink *st, size_t n)
{
	const struct status_uplink *s = find_state(cfg, g, st, n);
	const char *ifname = gateway_ifname(cfg, plan, g, s);
	const char *state = !s			      ? "" :
			    health_usable(&s->health) ? "reachable" :
							"unreachable";
	char a[INET_ADDRSTRLEN];

	if (!entry_enabled(&r->c))
		state = "";
	if (!g->has_addr)
		snprintf(buf, len, "%s%s%s", ifname, *state ? " " : "", state);
	else if (s && !health_usable(&s->health))
		snprintf(buf, len, "%s unreachable", ipv4_str(g->addr, a));
	else
		snprintf(buf, len, "%s%s%s%s%s", ipv4_str(g->addr, a),
			 *state ? " " : "", state, *ifname ? " " : "", ifname);
}

static const char *table_key(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_routes; i++)
		if (cfg->routes[i].table_v7)
			return "routing-table";
	return "routing-mark";
}

static void routes_text(FILE *out, const struct config *cfg,
			const struct plan *plan, const struct status_uplink *st,
			size_t n)
{
	char cell[CELL_MAX], dst[INET_ADDRSTRLEN + 4], a[INET_ADDRSTRLEN];
	unsigned num = 0;

	fprintf(out, "Flags: X - disabled, A - active, D - dynamic, "
		     "C - connect, S - static, B - blackhole\n");
	fprintf(out, " #      %-18s %-15s %-30s %8s %s\n", "DST-ADDRESS",
		"PREF-SRC", "GATEWAY", "DISTANCE",
		!strcmp(table_key(cfg), "routing-table") ? "ROUTING-TABLE" :
							   "ROUTING-MARK");
	for (size_t i = 0; i < cfg->n_routes; i++, num++) {
		const struct route *r = &cfg->routes[i];
		bool enabled = entry_enabled(&r->c);
		bool active = route_active(cfg, i, st, n);

		if (r->c.comment)
			fprintf(out, "%2u    ;;; %s\n", num, r->c.comment);
		snprintf(dst, sizeof(dst), "%s/%u", ipv4_str(r->dst, a),
			 r->dst_len);
		if (r->blackhole || !r->n_gateways)
			cell[0] = '\0';
		else
			gateway_cell(cell, sizeof(cell), cfg, plan, r,
				     &r->gateways[0], st, n);
		/* A commented entry has its number on the comment line. */
		if (r->c.comment)
			fputs("  ", out);
		else
			fprintf(out, "%2u", num);
		/* Flag slots: X or A, D, C or S, B. */
		fprintf(out, " %c %c%c %-18s %-15s %-30s %8u%s%s\n",
			!enabled ? 'X' :
			active	 ? 'A' :
				   ' ',
			'S', r->blackhole ? 'B' : ' ', dst, "", cell,
			r->distance, r->table[0] ? " " : "", r->table);
		for (size_t k = 1; !r->blackhole && k < r->n_gateways; k++) {
			gateway_cell(cell, sizeof(cell), cfg, plan, r,
				     &r->gateways[k], st, n);
			fprintf(out, "        %-18s %-15s %s\n", "", "", cell);
		}
	}
	for (size_t i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *ad = &cfg->addresses[i];
		uint32_t mask = ad->len ? ~0u << (32 - ad->len) : 0;

		if (!entry_enabled(&ad->c))
			continue;
		snprintf(dst, sizeof(dst), "%s/%u",
			 ipv4_str(ad->addr & mask, a), ad->len);
		snprintf(cell, sizeof(cell), "%s reachable",
			 config_linux_name(cfg, ad->interface));
		fprintf(out, "%2u ADC  %-18s %-15s %-30s %8u\n", num++, dst,
			ipv4_str(ad->addr, a), cell, 0u);
	}
}

static void routes_json(FILE *out, const struct config *cfg,
			const struct plan *plan, const struct status_uplink *st,
			size_t n)
{
	char cell[CELL_MAX], buf[INET_ADDRSTRLEN + 4], a[INET_ADDRSTRLEN];
	const char *tk = table_key(cfg);
	unsigned num = 0;

	fputc('[', out);
	for (size_t i = 0; i < cfg->n_routes; i++, num++) {
		const struct route *r = &cfg->routes[i];
		bool enabled = entry_enabled(&r->c);
		bool active = route_active(cfg, i, st, n);
		const char *check = config_name_of(config_check_gateway_names,
						   (int)r->check_gateway);

		fprintf(out, "%s{\".id\":\"*%u\",\"flags\":\"%s%s%s\"",
			i ? "," : "", num,
			!enabled ? "X" :
			active	 ? "A" :
				   "",
			"S", r->blackhole ? "B" : "");
		snprintf(buf, sizeof(buf), "%s/%u", ipv4_str(r->dst, a),
			 r->dst_len);
		fputs(",\"dst-address\":", out);
		json_string(out, buf);
		fputs(",\"gateway\":[", out);
		for (size_t k = 0; k < r->n_gateways; k++) {
			const struct gateway *g = &r->gateways[k];

			if (k)
				fputc(',', out);
			if (g->has_addr && g->interface[0]) {
				snprintf(cell, sizeof(cell), "%s%%%s",
					 ipv4_str(g->addr, a), g->interface);
				json_string(out, cell);
			} else {
				json_string(out, g->has_addr ?
							 ipv4_str(g->addr, a) :
							 g->interface);
			}
		}
		fputs("],\"gateway-status\":[", out);
		for (size_t k = 0; k < r->n_gateways; k++) {
			gateway_cell(cell, sizeof(cell), cfg, plan, r,
				     &r->gateways[k], st, n);
			if (k)
				fputc(',', out);
			json_string(out, cell);
		}
		fprintf(out, "],\"distance\":%u,\"%s\":", r->distance, tk);
		json_string(out, r->table[0] ? r->table : "main");
		fputs(",\"check-gateway\":", out);
		json_string(out, check ? check : "none");
		fprintf(out,
			",\"type\":\"%s\",\"active\":%s,\"static\":true,"
			"\"dynamic\":false,\"connect\":false,\"disabled\":%s",
			r->blackhole ? "blackhole" : "unicast",
			active ? "true" : "false", enabled ? "false" : "true");
		if (r->c.comment) {
			fputs(",\"comment\":", out);
			json_string(out, r->c.comment);
		}
		fputc('}', out);
	}
	for (size_t i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *ad = &cfg->addresses[i];
		uint32_t mask = ad->len ? ~0u << (32 - ad->len) : 0;
		const char *ifname = config_linux_name(cfg, ad->interface);

		if (!entry_enabled(&ad->c))
			continue;
		snprintf(buf, sizeof(buf), "%s/%u",
			 ipv4_str(ad->addr & mask, a), ad->len);
		fprintf(out,
			"%s{\".id\":\"*%u\",\"flags\":\"ADC\","
			"\"dst-address\":",
			num ? "," : "", num);
		num++;
		json_string(out, buf);
		fputs(",\"pref-src\":", out);
		json_string(out, ipv4_str(ad->addr, a));
		fputs(",\"gateway\":[", out);
		json_string(out, ifname);
		snprintf(cell, sizeof(cell), "%s reachable", ifname);
		fputs("],\"gateway-status\":[", out);
		json_string(out, cell);
		fprintf(out,
			"],\"distance\":0,\"%s\":\"main\","
			"\"type\":\"unicast\",\"active\":true,"
			"\"static\":false,\"dynamic\":true,"
			"\"connect\":true,\"disabled\":false}",
			tk);
	}
	fputs("]\n", out);
}

void print_routes(FILE *out, const struct config *cfg, const struct plan *plan,
		  const struct status *status, bool json)
{
	const struct status_uplink *states = status ? status->uplinks : NULL;
	size_t n = status ? status->n_uplinks : 0;

	if (json)
		routes_json(out, cfg, plan, states, n);
	else
		routes_text(out, cfg, plan, states, n);
}

/* ---- /ip firewall ---- */

/* The kernel's counter for entry index of menu, NULL when it has none. */
static const struct fw_counter *find_counter(const struct fw_counter *v,
					     size_t n, enum config_menu menu,
					     size_t index)
{
	char tag[FW_COUNTER_NAME_MAX];

	if (ruleset_counter_name(tag, sizeof(tag), menu, index) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, tag))
			return &v[i];
	return NULL;
}

/* The chain and action of a firewall entry, as the script spells them. */
static void chain_action(const struct config *cfg, enum config_menu menu,
			 size_t k, const char **chain, const char **action)
{
	if (menu == CONFIG_MENU_FIREWALL_NAT) {
		const struct nat_rule *r = &cfg->nat[k];

		*chain = config_name_of(config_nat_chain_names, r->chain);
		*action = config_name_of(config_nat_action_names, r->action);
	} else {
		const struct mangle_rule *r = &cfg->mangle[k];

		*chain = config_name_of(config_mangle_chain_names, r->chain);
		*action = config_name_of(config_mangle_action_names, r->action);
	}
}

/* The entry's other attributes, as the canonical printer writes them. */
static char *other_attrs(const struct config *cfg, enum config_menu menu,
			 size_t k)
{
	static const char *const skip[] = { "chain", "action", "disabled",
					    "comment", NULL };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	config_print_entry(f, cfg, menu, k, skip);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	/* One entry, one line: drop the line end. */
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

static void firewall_json(FILE *out, const struct entry_common *c, size_t k,
			  const char *chain, const char *action,
			  const char *rest, const struct fw_counter *cnt)
{
	fprintf(out, "%s{\".id\":\"*%zu\",\"chain\":", k ? "," : "", k);
	json_string(out, chain);
	fputs(",\"action\":", out);
	json_string(out, action);
	fputs(",\"attributes\":", out);
	json_string(out, rest);
	fprintf(out, ",\"disabled\":%s", entry_enabled(c) ? "false" : "true");
	if (c->comment) {
		fputs(",\"comment\":", out);
		json_string(out, c->comment);
	}
	if (cnt)
		fprintf(out, ",\"bytes\":%llu,\"packets\":%llu",
			(unsigned long long)cnt->bytes,
			(unsigned long long)cnt->packets);
	fputc('}', out);
}

static void firewall_text(FILE *out, const struct entry_common *c, size_t k,
			  const char *chain, const char *action,
			  const char *rest, const struct fw_counter *cnt)
{
	/* A commented entry has its number on the comment line. */
	if (c->comment)
		fprintf(out, "%2zu    ;;; %s\n  ", k, c->comment);
	else
		fprintf(out, "%2zu", k);
	fprintf(out, " %c  ", entry_enabled(c) ? ' ' : 'X');
	if (cnt)
		fprintf(out, "%-12s %-18s %14llu %12llu\n", chain, action,
			(unsigned long long)cnt->bytes,
			(unsigned long long)cnt->packets);
	else
		fprintf(out, "%-12s %-18s %14s %12s\n", chain, action, "-",
			"-");
	if (rest[0])
		fprintf(out, "      %s\n", rest);
}

void print_firewall(FILE *out, const struct config *cfg, enum config_menu menu,
		    const struct fw_counter *counters, size_t n_counters,
		    bool json)
{
	size_t n = config_menu_size(cfg, menu);

	if (json)
		fputc('[', out);
	else
		fprintf(out,
			"Flags: X - disabled, I - invalid, D - dynamic\n"
			" #    %-12s %-18s %14s %12s\n",
			"CHAIN", "ACTION", "BYTES", "PACKETS");
	for (size_t k = 0; k < n; k++) {
		const struct entry_common *c = config_entry(cfg, menu, k);
		const struct fw_counter *cnt =
			entry_enabled(c) ?
				find_counter(counters, n_counters, menu, k) :
				NULL;
		const char *chain, *action;
		char *rest = other_attrs(cfg, menu, k);

		chain_action(cfg, menu, k, &chain, &action);
		if (json)
			firewall_json(out, c, k, chain, action,
				      rest ? rest : "", cnt);
		else
			firewall_text(out, c, k, chain, action,
				      rest ? rest : "", cnt);
		free(rest);
	}
	if (json)
		fputs("]\n", out);
}

/* ---- the request ---- */

int print_request(FILE *reply, const char *args,
		  const struct print_context *ctx)
{
	char words[PRINT_REQUEST_MAX], menu[PRINT_REQUEST_MAX] = "";
	char *save = NULL, *w;
	bool json = false;

	snprintf(words, sizeof(words), "%s", args);
	for (w = strtok_r(words, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(w, "json") || !strcmp(w, "-j")) {
			json = true;
			continue;
		}
		/* "/ip/route", "/ip route", "ip route": one spelling. */
		for (char *c = w; *c; c++)
			if (*c == '/')
				*c = ' ';
		if (strlen(menu) + strlen(w) + 2 < sizeof(menu)) {
			if (menu[0])
				strcat(menu, " ");
			strcat(menu, w[0] == ' ' ? w + 1 : w);
		}
	}
	if (!strcmp(menu, "ip route")) {
		print_routes(reply, ctx->cfg, ctx->plan, ctx->status, json);
		return 0;
	}
	if (!strcmp(menu, "ip firewall mangle") ||
	    !strcmp(menu, "ip firewall nat")) {
		struct fw_counter *counters = NULL;
		size_t n = 0;

		/* Without the kernel's counters the rules still print. */
		if (!ctx->fw || fw_read_counters(ctx->fw, &counters, &n) < 0)
			n = 0;
		print_firewall(reply, ctx->cfg,
			       !strcmp(menu, "ip firewall nat") ?
				       CONFIG_MENU_FIREWALL_NAT :
				       CONFIG_MENU_FIREWALL_MANGLE,
			       counters, n, json);
		free(counters);
		return 0;
	}
	fprintf(reply,
		"unknown menu \"%.64s\" (try print /ip route, print /ip "
		"firewall mangle, print /ip firewall nat)\n",
		menu);
	return -ENOENT;
}
