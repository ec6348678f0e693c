// SPDX-License-Identifier: MIT
/*
 * limits.c - the kernel plan's limits, checked at the line that passes
 * them.
 *
 * The plan gives every distinct gateway (uplink), connection mark and
 * routing mark (table) a small id that lives in an 8-bit field of the
 * conntrack or packet mark (src/plan/plan.h): at most CONFIG_IDS_MAX of
 * each. And Linux names an interface in at most 15 bytes. A config past
 * one of these would pass -n and then fail to plan ("No space left on
 * device", "Invalid argument") with no line to look at; here each is an
 * error at the entry that goes one past the limit. The names are counted
 * the way the planner collects them (plan.c, collect_names()).
 */
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/ipv4.h"
#include "config/config.h"
#include "config/limits.h"

/* Distinct names seen so far; reports the first one past the limit. */
struct name_set {
	const char **names;
	size_t n, cap;
	bool reported;
	const char *what; /* "connection marks" */
};

static void count_name(struct name_set *s, struct diag *d, const char *name,
		       struct loc loc)
{
	size_t i;

	if (!name[0] || s->reported)
		return;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return;
	if (s->n == CONFIG_IDS_MAX) {
		diag_error(d, loc,
			   "%s is one %s too many: ecmpd keeps each in an "
			   "8-bit field of the mark, so a config has at most "
			   "%d",
			   name, s->what, CONFIG_IDS_MAX);
		s->reported = true;
		return;
	}
	if (array_grow(&s->names, &s->cap, s->n, sizeof(*s->names)) < 0) {
		s->reported = true; /* out of memory: stop counting */
		return;
	}
	s->names[s->n++] = name;
}

static void check_marks(const struct config *cfg, struct diag *d)
{
	struct name_set conn = { .what = "connection mark" };
	struct name_set route = { .what = "routing mark (table)" };
	size_t i;

	for (i = 0; i < cfg->n_tables; i++) {
		const struct routing_table *t = &cfg->tables[i];

		if (entry_enabled(&t->c) && !config_is_main_table(t->name))
			count_name(&route, d, t->name, t->name_loc);
	}
	for (i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		if (entry_enabled(&r->c) && !config_is_main_table(r->table))
			count_name(&route, d, r->table, r->table_loc);
	}
	for (i = 0; i < cfg->n_mangle; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];
		const struct name_match *cm = &m->match.connection_mark;
		const struct name_match *rm = &m->match.routing_mark;

		if (!entry_enabled(&m->c))
			continue;
		if (!config_is_no_mark(cm->name))
			count_name(&conn, d, cm->name, cm->loc);
		if (m->action == MANGLE_MARK_CONNECTION &&
		    !config_is_no_mark(m->new_connection_mark))
			count_name(&conn, d, m->new_connection_mark,
				   m->new_connection_mark_loc);
		if (!config_is_main_table(rm->name))
			count_name(&route, d, rm->name, rm->loc);
		if (m->action == MANGLE_MARK_ROUTING &&
		    !config_is_main_table(m->new_routing_mark))
			count_name(&route, d, m->new_routing_mark,
				   m->new_routing_mark_loc);
	}
	free(conn.names);
	free(route.names);
}

static bool same_gateway(const struct gateway *a, const struct gateway *b)
{
	return a->has_addr == b->has_addr &&
	       (!a->has_addr || a->addr == b->addr) &&
	       !strcmp(a->interface, b->interface);
}

/* Every distinct gateway of an enabled route becomes an uplink. */
static void check_gateways(const struct config *cfg, struct diag *d)
{
	const struct gateway **seen = NULL;
	size_t n = 0, cap = 0, i, j, k;
	char a[IPV4_STR_MAX];

	for (i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		if (!entry_enabled(&r->c))
			continue;
		for (j = 0; j < r->n_gateways; j++) {
			const struct gateway *gw = &r->gateways[j];

			for (k = 0; k < n && !same_gateway(seen[k], gw); k++)
				;
			if (k < n)
				continue;
			if (n == CONFIG_IDS_MAX) {
				diag_error(
					d, gw->loc,
					"gateway %s%s%s is one gateway too "
					"many: ecmpd keeps each uplink's id "
					"in an 8-bit field of the mark, so "
					"a config has at most %d distinct "
					"gateways",
					gw->has_addr ? ipv4_str(gw->addr, a) :
						       "",
					gw->has_addr && gw->interface[0] ? "%" :
									   "",
					gw->interface, CONFIG_IDS_MAX);
				free(seen);
				return;
			}
			if (array_grow(&seen, &cap, n, sizeof(*seen)) < 0) {
				free(seen);
				return;
			}
			seen[n++] = gw;
		}
	}
	free(seen);
}

/* Interface names of /ip address go to the kernel as they are. */
static void check_address_names(const struct config *cfg, struct diag *d)
{
	size_t i;

	for (i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *ia = &cfg->addresses[i];

		if (!entry_enabled(&ia->c) ||
		    config_interface_mapped(cfg, ia->interface) ||
		    strlen(config_linux_name(cfg, ia->interface)) <
			    LINUX_IFNAME_MAX)
			continue;
		diag_error(d, ia->interface_loc,
			   "interface name %s is longer than %d characters, "
			   "too long for Linux; map it with --map %s=NAME",
			   ia->interface, LINUX_IFNAME_MAX - 1, ia->interface);
	}
}

void config_check_limits(const struct config *cfg, struct diag *d)
{
	check_address_names(cfg, d);
	check_gateways(cfg, d);
	check_marks(cfg, d);
}
