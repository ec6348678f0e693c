// SPDX-License-Identifier: MIT
/*
 * firewall.c - the attributes of the firewall menus: /ip firewall nat and
 * /ip firewall mangle.
 *
 * What a rule tests is the rule matcher's (match.c): a firewall menu lists
 * the matcher attributes it takes, at their place in its printing order,
 * as MATCH_ATTR() rows. Here are the rest: the chain, the action and what
 * the action needs (NAT targets, new marks).
 */
#include <string.h>

#include "base/ipv4.h"
#include "config/menus.h"

#define NAT(f) offsetof(struct nat_rule, f)
#define MANGLE(f) offsetof(struct mangle_rule, f)

/* ---- /ip firewall nat ---- */

static int read_to_addresses(struct diag *d, const struct attr_def *def,
			     void *value, const struct attr *a)
{
	struct nat_rule *n = value;
	const char *s = a->value, *why = scan_ipv4(&s, &n->to_addr_lo);

	n->to_addr_hi = n->to_addr_lo;
	if (!why && *s == '-') {
		s++;
		why = scan_ipv4(&s, &n->to_addr_hi);
		if (!why && n->to_addr_lo > n->to_addr_hi)
			why = "the range's start is above its end";
	}
	if (!why && *s)
		why = "expected an address or a range a.b.c.d-e.f.g.h";
	return why ? attr_bad_value(d, a, why) : 0;
}

static void write_to_addresses(struct attr_out *o, const struct attr_def *def,
			       const void *value, const void *dflt)
{
	const struct nat_rule *n = value;
	char lo[IPV4_STR_MAX], hi[IPV4_STR_MAX];

	attr_span(o, def->key, ipv4_str(n->to_addr_lo, lo),
		  ipv4_str(n->to_addr_hi, hi));
}

static int read_to_ports(struct diag *d, const struct attr_def *def,
			 void *value, const struct attr *a)
{
	struct nat_rule *n = value;
	const char *s = a->value,
		   *why = scan_port_span(&s, &n->to_port_lo, &n->to_port_hi);

	if (!why && *s)
		why = "expected a port or a range lo-hi";
	return why ? attr_bad_value(d, a, why) : 0;
}

static void write_to_ports(struct attr_out *o, const struct attr_def *def,
			   const void *value, const void *dflt)
{
	const struct nat_rule *n = value;
	char lo[8], hi[8];

	snprintf(lo, sizeof(lo), "%u", n->to_port_lo);
	snprintf(hi, sizeof(hi), "%u", n->to_port_hi);
	attr_span(o, def->key, lo, hi);
}

/* ---- /ip firewall address-list ---- */

#define ADDRESS_LIST(f) offsetof(struct address_list_entry, f)

/* An address, a prefix or a range, as src-address= takes it, without '!'. */
static int read_list_address(struct diag *d, const struct attr_def *def,
			     void *value, const struct attr *a)
{
	const struct attr_def *m = &rule_match_attrs[MATCH_SRC_ADDRESS];

	if (a->value[0] == '!')
		return attr_bad_value(
			d, a, "an address list entry cannot be negated");
	if (a->value[0] && !strpbrk(a->value, "0123456789"))
		return attr_bad_value(d, a,
				      "expected an address, a prefix or a "
				      "range (ecmpd does not resolve DNS "
				      "names)");
	return m->read(d, m, value, a);
}

static void write_list_address(struct attr_out *o, const struct attr_def *def,
			       const void *value, const void *dflt)
{
	const struct attr_def *m = &rule_match_attrs[MATCH_SRC_ADDRESS];
	const struct addr_match *am = value;
	char a[IPV4_STR_MAX];

	/* A host prints as the bare address, as RouterOS exports it. */
	if (!am->is_range && am->len == 32)
		attr_printf(o, def->key, "%s", ipv4_str(am->lo, a));
	else
		m->write(o, def, value, dflt);
}

const struct attr_def address_list_attrs[] = {
	{ "address", read_list_address, write_list_address,
	  .offset = ADDRESS_LIST(address), .required = true },
	{ "list", attr_read_name, attr_write_name, .offset = ADDRESS_LIST(list),
	  .loc = ADDRESS_LIST(list_loc), .required = true },
	{ .key = NULL },
};

const struct attr_def nat_rule_attrs[] = {
	{ "chain", attr_read_enum, attr_write_enum, .offset = NAT(chain),
	  .names = config_nat_chain_names, .required = true },
	MATCH_ATTR(SRC_ADDRESS),
	MATCH_ATTR(DST_ADDRESS),
	MATCH_ATTR(SRC_ADDRESS_LIST),
	MATCH_ATTR(DST_ADDRESS_LIST),
	MATCH_ATTR(PROTOCOL),
	MATCH_ATTR(DST_PORT),
	MATCH_ATTR(IN_INTERFACE),
	MATCH_ATTR(OUT_INTERFACE),
	MATCH_ATTR(IN_INTERFACE_LIST),
	MATCH_ATTR(OUT_INTERFACE_LIST),
	{ "action", attr_read_enum, attr_write_enum, .offset = NAT(action),
	  .loc = NAT(action_loc), .names = config_nat_action_names },
	{ "to-addresses", read_to_addresses, write_to_addresses,
	  .offset = WHOLE_ENTRY, .loc = NAT(to_addresses_loc),
	  .given = NAT(has_to_addresses) },
	{ "to-ports", read_to_ports, write_to_ports, .offset = WHOLE_ENTRY,
	  .loc = NAT(to_ports_loc), .given = NAT(has_to_ports) },
	{ .key = NULL },
};

/* ---- /ip firewall mangle ---- */

const struct attr_def mangle_rule_attrs[] = {
	{ "chain", attr_read_enum, attr_write_enum, .offset = MANGLE(chain),
	  .loc = MANGLE(chain_loc), .names = config_mangle_chain_names,
	  .required = true },
	MATCH_ATTR(IN_INTERFACE),
	MATCH_ATTR(OUT_INTERFACE),
	MATCH_ATTR(IN_INTERFACE_LIST),
	MATCH_ATTR(OUT_INTERFACE_LIST),
	MATCH_ATTR(SRC_ADDRESS),
	MATCH_ATTR(DST_ADDRESS),
	MATCH_ATTR(SRC_ADDRESS_LIST),
	MATCH_ATTR(DST_ADDRESS_LIST),
	MATCH_ATTR(DST_ADDRESS_TYPE),
	MATCH_ATTR(PROTOCOL),
	MATCH_ATTR(DST_PORT),
	MATCH_ATTR(CONNECTION_STATE),
	MATCH_ATTR(CONNECTION_MARK),
	MATCH_ATTR(ROUTING_MARK),
	MATCH_ATTR(PCC),
	{ "action", attr_read_enum, attr_write_enum, .offset = MANGLE(action),
	  .loc = MANGLE(action_loc), .names = config_mangle_action_names },
	{ "new-connection-mark", attr_read_name, attr_write_name,
	  .offset = MANGLE(new_connection_mark),
	  .loc = MANGLE(new_connection_mark_loc) },
	{ "new-routing-mark", attr_read_name, attr_write_name,
	  .offset = MANGLE(new_routing_mark),
	  .loc = MANGLE(new_routing_mark_loc) },
	{ "passthrough", attr_read_bool, attr_write_bool,
	  .offset = MANGLE(passthrough) },
	{ .key = NULL },
};
