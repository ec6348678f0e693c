// SPDX-License-Identifier: MIT
/*
 * print.c - RouterOS-style "print" for the control socket.
 *
 * A RouterOS user checks a router with `/ip route print` and `/ip firewall
 * nat print stats`; ecmpctl answers the same questions in the same shape.
 * Routes come from the config, their state from the daemon's gateways:
 * RouterOS's "active" is computed the way RouterOS does (a reachable
 * gateway, the lowest distance per destination and table), and the
 * connected routes of /ip address are listed as dynamic ones. Firewall
 * rules are printed from the config's canonical form (config_print(), so
 * attributes read exactly as in the script) with the counters the kernel
 * keeps for the nft rule each one became. Those come from libnftables'
 * JSON listing, read with a small scanner that knows only the shape of
 * that listing: pulling in a JSON library for one nested lookup is not
 * worth a dependency.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <nftables/libnftables.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "base/json.h"
#include "config/config.h"
#include "plan/plan.h"
#include "daemon/print.h"
#include "daemon/status.h"

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

/* ---- a scanner for libnftables' JSON listing ---- */

struct jscan {
	const char *p;
	bool bad;
};

static void js_ws(struct jscan *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

/* A string into buf (truncated; escapes reduced to their character). */
static bool js_string(struct jscan *j, char *buf, size_t len)
{
	size_t o = 0;

	js_ws(j);
	if (*j->p != '"')
		return !(j->bad = true);
	j->p++;
	while (*j->p && *j->p != '"') {
		char c = *j->p++;

		if (c == '\\') {
			c = *j->p ? *j->p++ : '\0';
			/* \uXXXX: not in names we look for; keep a mark. */
			if (c == 'u') {
				for (int k = 0; k < 4 && *j->p; k++)
					j->p++;
				c = '?';
			}
		}
		if (buf && o + 1 < len)
			buf[o++] = c;
	}
	if (buf && len)
		buf[o] = '\0';
	if (*j->p != '"')
		return !(j->bad = true);
	j->p++;
	return true;
}

static bool js_skip(struct jscan *j, int depth);

/*
 * Iterating a container: js_next() returns true with the scanner at the
 * next member's value (its key in key, for objects) and false at the end.
 * first is true before the first member.
 */
static bool js_next(struct jscan *j, char close, bool *first, char *key,
		    size_t klen)
{
	js_ws(j);
	if (*j->p == close) {
		j->p++;
		return false;
	}
	if (!*first) {
		if (*j->p != ',')
			return !(j->bad = true) && false;
		j->p++;
	}
	*first = false;
	if (close == '}') {
		if (!js_string(j, key, klen))
			return false;
		js_ws(j);
		if (*j->p != ':')
			return (j->bad = true) && false;
		j->p++;
	}
	js_ws(j);
	return !j->bad;
}

static bool js_open(struct jscan *j, char open)
{
	js_ws(j);
	if (*j->p != open)
		return false;
	j->p++;
	return true;
}

static bool js_skip(struct jscan *j, int depth)
{
	bool first = true;
	char key[8];

	js_ws(j);
	if (depth > 64)
		return !(j->bad = true);
	if (*j->p == '"')
		return js_string(j, NULL, 0);
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';

		j->p++;
		while (js_next(j, close, &first, key, sizeof(key)))
			if (!js_skip(j, depth + 1))
				return false;
		return !j->bad;
	}
	/* A number, true, false or null. */
	if (!*j->p || strchr(",}]", *j->p))
		return !(j->bad = true);
	while (*j->p && !strchr(",}] \t\r\n", *j->p))
		j->p++;
	return true;
}

static uint64_t js_u64(struct jscan *j)
{
	char *end;
	unsigned long long v;

	js_ws(j);
	v = strtoull(j->p, &end, 10);
	if (end == j->p) {
		js_skip(j, 0);
		return 0;
	}
	j->p = end;
	return v;
}

struct fw_counter {
	bool valid;
	uint64_t packets, bytes;
};

/* Reads one "counter": {"packets": N, "bytes": N} value. */
static void js_counter(struct jscan *j, struct fw_counter *c)
{
	bool first = true;
	char key[16];

	if (!js_open(j, '{')) {
		js_skip(j, 0);
		return;
	}
	c->valid = true;
	while (js_next(j, '}', &first, key, sizeof(key))) {
		if (!strcmp(key, "packets"))
			c->packets = js_u64(j);
		else if (!strcmp(key, "bytes"))
			c->bytes = js_u64(j);
		else
			js_skip(j, 1);
	}
}

/* Reads a {"rule": {...}} value: its chain and its counter, if any. */
static void js_rule(struct jscan *j, char *chain, size_t clen,
		    struct fw_counter *c)
{
	bool first = true, efirst, ofirst;
	char key[16];

	chain[0] = '\0';
	if (!js_open(j, '{')) {
		js_skip(j, 0);
		return;
	}
	while (js_next(j, '}', &first, key, sizeof(key))) {
		if (!strcmp(key, "chain")) {
			js_string(j, chain, clen);
		} else if (!strcmp(key, "expr") && js_open(j, '[')) {
			efirst = true;
			while (js_next(j, ']', &efirst, NULL, 0)) {
				if (!js_open(j, '{')) {
					js_skip(j, 1);
					continue;
				}
				ofirst = true;
				while (js_next(j, '}', &ofirst, key,
					       sizeof(key))) {
					if (!strcmp(key, "counter"))
						js_counter(j, c);
					else
						js_skip(j, 2);
				}
			}
		} else {
			js_skip(j, 1);
		}
	}
}

/*
 * Fills counters[k] for the k-th counted rule of chain from the listing.
 * Returns how many were found.
 */
static size_t nft_counters(const char *json, const char *chain,
			   struct fw_counter *counters, size_t max)
{
	struct jscan j = { .p = json };
	bool first = true, afirst = true, rfirst;
	char key[16], rchain[64];
	size_t n = 0;

	if (!json || !js_open(&j, '{'))
		return 0;
	while (js_next(&j, '}', &first, key, sizeof(key))) {
		if (strcmp(key, "nftables") || !js_open(&j, '[')) {
			js_skip(&j, 0);
			continue;
		}
		while (js_next(&j, ']', &afirst, NULL, 0)) {
			if (!js_open(&j, '{')) {
				js_skip(&j, 1);
				continue;
			}
			rfirst = true;
			while (js_next(&j, '}', &rfirst, key, sizeof(key))) {
				struct fw_counter c = { 0 };

				if (strcmp(key, "rule")) {
					js_skip(&j, 2);
					continue;
				}
				js_rule(&j, rchain, sizeof(rchain), &c);
				if (c.valid && !strcmp(rchain, chain) &&
				    n < max)
					counters[n++] = c;
			}
		}
	}
	return j.bad ? 0 : n;
}

/* ---- /ip firewall ---- */

/*
 * The attribute text of each entry of a menu in the canonical config, in
 * order: lines[k] is the "add ..." line of the k-th entry, without "add ".
 * Returns the count (the buffer *text owns the lines), or -errno.
 */
static int menu_lines(const struct config *cfg, const char *header, char **text,
		      char ***lines)
{
	size_t len = 0, n = 0;
	char *buf = NULL, *p, *save = NULL;
	char **v;
	bool in = false;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	config_print(cfg, f);
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	v = calloc(cfg->n_mangle + cfg->n_nat + 1, sizeof(*v));
	if (!v) {
		free(buf);
		return -ENOMEM;
	}
	for (p = strtok_r(buf, "\n", &save); p;
	     p = strtok_r(NULL, "\n", &save)) {
		if (p[0] == '/')
			in = !strcmp(p, header);
		else if (in && !strncmp(p, "add ", 4) &&
			 n < cfg->n_mangle + cfg->n_nat)
			v[n++] = p + 4;
	}
	*text = buf;
	*lines = v;
	return (int)n;
}

/*
 * Splits attribute text into the value of chain=, action= and the rest
 * without disabled= and comment= (each shown elsewhere). Values may be
 * quoted with spaces inside.
 */
static void split_attrs(const char *line, char *chain, char *action, char *rest,
			size_t len)
{
	const char *p = line;
	size_t o = 0;

	chain[0] = action[0] = rest[0] = '\0';
	while (*p) {
		const char *start = p;
		bool quoted = false;
		size_t tl;

		while (*p && (quoted || *p != ' ')) {
			if (*p == '\\' && quoted && p[1])
				p++;
			else if (*p == '"')
				quoted = !quoted;
			p++;
		}
		tl = (size_t)(p - start);
		if (!strncmp(start, "chain=", 6))
			snprintf(chain, len, "%.*s", (int)(tl - 6), start + 6);
		else if (!strncmp(start, "action=", 7))
			snprintf(action, len, "%.*s", (int)(tl - 7), start + 7);
		else if (strncmp(start, "disabled=", 9) &&
			 strncmp(start, "comment=", 8) && tl &&
			 o + tl + 2 < len) {
			if (o)
				rest[o++] = ' ';
			memcpy(rest + o, start, tl);
			o += tl;
			rest[o] = '\0';
		}
		while (*p == ' ')
			p++;
	}
}

/* The nft chain the rules of a config chain live in. */
static void nft_chain_of(enum print_fw_menu menu, const char *chain, char *buf,
			 size_t len)
{
	if (menu == PRINT_FW_MANGLE)
		snprintf(buf, len, "mangle_%s", chain);
	else
		snprintf(buf, len, "%s", chain);
}

void print_firewall(FILE *out, const struct config *cfg,
		    enum print_fw_menu menu, const char *nft_json, bool json)
{
	const char *header = menu == PRINT_FW_MANGLE ? "/ip firewall mangle" :
						       "/ip firewall nat";
	size_t n_entries = menu == PRINT_FW_MANGLE ? cfg->n_mangle : cfg->n_nat;
	char chain[CONFIG_NAME_MAX], action[CONFIG_NAME_MAX], rest[CELL_MAX];
	char nchain[CONFIG_NAME_MAX + 8];
	struct fw_counter *counters;
	char *text = NULL, **lines = NULL;
	int n;

	n = menu_lines(cfg, header, &text, &lines);
	counters = calloc(n_entries + 1, sizeof(*counters));
	if (n < 0 || !counters) {
		fprintf(out, "out of memory\n");
		goto out;
	}
	if (json)
		fputc('[', out);
	else
		fprintf(out,
			"Flags: X - disabled, I - invalid, D - dynamic\n"
			" #    %-12s %-18s %14s %12s\n",
			"CHAIN", "ACTION", "BYTES", "PACKETS");
	for (int k = 0; k < n && (size_t)k < n_entries; k++) {
		const struct entry_common *c = menu == PRINT_FW_MANGLE ?
						       &cfg->mangle[k].c :
						       &cfg->nat[k].c;
		struct fw_counter cnt = { 0 };
		size_t pos = 0, got;

		split_attrs(lines[k], chain, action, rest, sizeof(rest));
		if (entry_enabled(c)) {
			/* Its position among the enabled rules of its chain. */
			for (int i = 0; i < k; i++) {
				char ch[CONFIG_NAME_MAX], ac[CONFIG_NAME_MAX];
				char rs[8];
				const struct entry_common *ci =
					menu == PRINT_FW_MANGLE ?
						&cfg->mangle[i].c :
						&cfg->nat[i].c;

				split_attrs(lines[i], ch, ac, rs, sizeof(rs));
				if (entry_enabled(ci) && !strcmp(ch, chain))
					pos++;
			}
			nft_chain_of(menu, chain, nchain, sizeof(nchain));
			got = nft_counters(nft_json, nchain, counters,
					   n_entries);
			if (pos < got)
				cnt = counters[pos];
		}
		if (json) {
			fprintf(out,
				"%s{\".id\":\"*%d\",\"chain\":", k ? "," : "",
				k);
			json_string(out, chain);
			fputs(",\"action\":", out);
			json_string(out, action);
			fputs(",\"attributes\":", out);
			json_string(out, rest);
			fprintf(out, ",\"disabled\":%s",
				entry_enabled(c) ? "false" : "true");
			if (c->comment) {
				fputs(",\"comment\":", out);
				json_string(out, c->comment);
			}
			if (cnt.valid)
				fprintf(out, ",\"bytes\":%llu,\"packets\":%llu",
					(unsigned long long)cnt.bytes,
					(unsigned long long)cnt.packets);
			fputc('}', out);
			continue;
		}
		if (c->comment)
			fprintf(out, "%2d    ;;; %s\n", k, c->comment);
		if (c->comment)
			fputs("  ", out);
		else
			fprintf(out, "%2d", k);
		fprintf(out, " %c  ", entry_enabled(c) ? ' ' : 'X');
		if (cnt.valid)
			fprintf(out, "%-12s %-18s %14llu %12llu\n", chain,
				action, (unsigned long long)cnt.bytes,
				(unsigned long long)cnt.packets);
		else
			fprintf(out, "%-12s %-18s %14s %12s\n", chain, action,
				"-", "-");
		if (rest[0])
			fprintf(out, "      %s\n", rest);
	}
	if (json)
		fputs("]\n", out);
out:
	free(counters);
	free(lines);
	free(text);
}

int print_nft_json(char **json)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *buf;
	int rc, err = 0;

	*json = NULL;
	if (!nft)
		return -ENOMEM;
	nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	if (nft_ctx_buffer_output(nft) || nft_ctx_buffer_error(nft)) {
		nft_ctx_free(nft);
		return -ENOMEM;
	}
	rc = nft_run_cmd_from_buffer(nft, "list table " PLAN_NFT_FAMILY
					  " " PLAN_NFT_TABLE);
	buf = nft_ctx_get_output_buffer(nft);
	if (rc != 0)
		err = -ENOENT;
	else if (!(*json = strdup(buf ? buf : "")))
		err = -ENOMEM;
	nft_ctx_free(nft);
	return err;
}

/* ---- the request ---- */

int print_request(FILE *reply, const char *args,
		  const struct print_context *ctx)
{
	char words[PRINT_REQUEST_MAX], menu[PRINT_REQUEST_MAX] = "";
	char *save = NULL, *w;
	bool json = false;
	char *nft = NULL;
	int err;

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
		err = print_nft_json(&nft);
		if (err)
			nft = NULL;
		print_firewall(reply, ctx->cfg,
			       !strcmp(menu, "ip firewall nat") ?
				       PRINT_FW_NAT :
				       PRINT_FW_MANGLE,
			       nft, json);
		free(nft);
		return 0;
	}
	fprintf(reply,
		"unknown menu \"%.64s\" (try print /ip route, print /ip "
		"firewall mangle, print /ip firewall nat)\n",
		menu);
	return -ENOENT;
}
