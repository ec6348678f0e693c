// SPDX-License-Identifier: MIT
/*
 * rules.c - policy rules: /ip route rule (RouterOS v6) and /routing rule
 * (v7), one model (struct routing_rule), two menus with the same
 * attributes (v7 adds min-prefix), and their checks.
 *
 * A rule selects packets by source and destination prefix, routing mark
 * and incoming interface, and then looks up a table (action=lookup: on a
 * miss the next rule decides), looks up only that table
 * (lookup-only-in-table: on a miss the packet is dropped), drops it or
 * answers unreachable. The planner makes them ip rules in the order
 * written, before anything of ecmpd's own (src/plan/rules.c).
 */
#include <string.h>

#include "base/ipv4.h"
#include "config/menus.h"

#define RULE(f) offsetof(struct routing_rule, f)

static int read_src(struct diag *d, const struct attr_def *def, void *value,
		    const struct attr *a)
{
	struct routing_rule *r = value;

	r->src_loc = a->value_loc;
	return attr_network(d, a, a->value, &r->src, &r->src_len);
}

static int read_dst(struct diag *d, const struct attr_def *def, void *value,
		    const struct attr *a)
{
	struct routing_rule *r = value;

	r->dst_loc = a->value_loc;
	return attr_network(d, a, a->value, &r->dst, &r->dst_len);
}

static void write_prefix(struct attr_out *o, const char *key, bool has,
			 uint32_t addr, uint8_t len)
{
	char a[IPV4_STR_MAX];

	if (has)
		attr_printf(o, key, "%s/%u", ipv4_str(addr, a), len);
}

static void write_src(struct attr_out *o, const struct attr_def *def,
		      const void *value, const void *dflt)
{
	const struct routing_rule *r = value;

	write_prefix(o, def->key, r->has_src, r->src, r->src_len);
}

static void write_dst(struct attr_out *o, const struct attr_def *def,
		      const void *value, const void *dflt)
{
	const struct routing_rule *r = value;

	write_prefix(o, def->key, r->has_dst, r->dst, r->dst_len);
}

/* v6 and v7 share these rows; v7 adds min-prefix. */
/* clang-format off */
#define RULE_ATTRS							\
	{ "src-address", read_src, write_src, .offset = WHOLE_ENTRY,	\
	  .given = RULE(has_src) },					\
	{ "dst-address", read_dst, write_dst, .offset = WHOLE_ENTRY,	\
	  .given = RULE(has_dst) },					\
	{ "routing-mark", attr_read_name, attr_write_name,		\
	  .offset = RULE(routing_mark), .loc = RULE(routing_mark_loc) }, \
	{ "interface", attr_read_name, attr_write_name,			\
	  .offset = RULE(interface), .loc = RULE(interface_loc) },	\
	{ "action", attr_read_enum, attr_write_enum,			\
	  .offset = RULE(action), .loc = RULE(action_loc),		\
	  .names = config_rule_action_names },				\
	{ "table", attr_read_name, attr_write_name,			\
	  .offset = RULE(table), .loc = RULE(table_loc) }
/* clang-format on */

const struct attr_def route_rule_attrs[] = {
	RULE_ATTRS,
	{ .key = NULL },
};

const struct attr_def routing_rule_attrs[] = {
	RULE_ATTRS,
	{ "min-prefix", attr_read_uint, attr_write_uint,
	  .offset = RULE(min_prefix), .loc = RULE(min_prefix_loc),
	  .given = RULE(has_min_prefix) },
	{ .key = NULL },
};

/* The interface must be one ecmpd can name on Linux (as validate.c asks). */
static void check_rule_interface(const struct config *cfg, struct diag *d,
				 const struct routing_rule *r)
{
	if (!r->interface[0] || config_interface_mapped(cfg, r->interface))
		return;
	if (!config_has_named(cfg, CONFIG_MENU_IP_ADDRESS,
			      offsetof(struct ip_address, interface),
			      r->interface))
		diag_error(d, r->interface_loc,
			   "interface %s has no address in /ip address and "
			   "is not mapped with --map",
			   r->interface);
	else if (strlen(r->interface) >= LINUX_IFNAME_MAX)
		diag_error(d, r->interface_loc,
			   "interface name %s is longer than %d characters, "
			   "too long for Linux; map it with --map %s=NAME",
			   r->interface, LINUX_IFNAME_MAX - 1, r->interface);
}

static void check_rule(const struct config *cfg, struct diag *d,
		       const struct routing_rule *r, bool v7, bool cross)
{
	bool lookup = r->action == RULE_LOOKUP || r->action == RULE_LOOKUP_ONLY;

	if (!lookup && r->table[0])
		diag_error(d, r->table_loc,
			   "table= needs action=lookup or "
			   "lookup-only-in-table");
	if (lookup && !r->table[0])
		diag_error(d, r->action_loc.line ? r->action_loc : r->c.loc,
			   "action=%s needs table=",
			   config_name_of(config_rule_action_names, r->action));
	if (r->has_min_prefix && r->min_prefix > 32)
		diag_error(d, r->min_prefix_loc,
			   "min-prefix %u is out of range 0..32",
			   r->min_prefix);
	if (!cross || !entry_enabled(&r->c))
		return;
	check_rule_interface(cfg, d, r);
	if (v7 && r->table[0] && !config_table_declared(cfg, r->table))
		diag_error(d, r->table_loc,
			   "routing table %s is not declared in /routing table",
			   r->table);
	if (v7 && r->routing_mark[0] &&
	    !config_table_declared(cfg, r->routing_mark))
		diag_error(d, r->routing_mark_loc,
			   "routing table %s is not declared in /routing table",
			   r->routing_mark);
}

void config_check_rules(const struct config *cfg, struct diag *d, bool v7,
			bool cross)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->n_route_rules; i++) {
		const struct routing_rule *r = &cfg->route_rules[i];

		check_rule(cfg, d, r, v7, cross);
		if (entry_enabled(&r->c) && ++n == CONFIG_RULES_MAX + 1)
			diag_error(d, r->c.loc,
				   "more than %d policy rules; ecmpd's ip rule "
				   "priorities for them run out here",
				   CONFIG_RULES_MAX);
	}
	for (size_t i = 0; i < cfg->n_routing_rules; i++) {
		const struct routing_rule *r = &cfg->routing_rules[i];

		check_rule(cfg, d, r, true, cross);
		if (entry_enabled(&r->c) && ++n == CONFIG_RULES_MAX + 1)
			diag_error(d, r->c.loc,
				   "more than %d policy rules; ecmpd's ip rule "
				   "priorities for them run out here",
				   CONFIG_RULES_MAX);
	}
}
