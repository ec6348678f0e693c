// SPDX-License-Identifier: MIT
/*
 * validate.c - the semantic checks of a config: every rule that needs more
 * than one value.
 *
 * Required combinations inside an entry (dst-nat needs a target,
 * mark-routing only in prerouting and output), ranges the model can hold
 * but RouterOS forbids (distance 0), and cross-references between menus
 * (a gateway must sit in a connected network, a v7 routing table must be
 * declared). The checks work on the model alone, so configs built in
 * tests get the same checks as parsed ones. Disabled entries get the
 * per-entry checks but are left out of every cross-reference, as RouterOS
 * ignores them. The rule matcher has its checks once, for every firewall
 * menu: its values, what its chain offers, and its references.
 */
#include <string.h>

#include "base/ipv4.h"
#include "config/config.h"
#include "config/diag.h"
#include "config/limits.h"
#include "config/menus.h"

static bool in_network(const struct ip_address *ia, uint32_t addr)
{
	uint32_t m = ipv4_mask(ia->len);

	return (ia->addr & m) == (addr & m);
}

/* An interface used somewhere must exist: addressed here or mapped. */
static void check_interface(const struct config *cfg, struct diag *d,
			    const char *name, struct loc loc)
{
	if (!name[0])
		return;
	if (config_interface_mapped(cfg, name))
		return;
	if (!config_has_named(cfg, CONFIG_MENU_IP_ADDRESS,
			      offsetof(struct ip_address, interface), name) &&
	    !config_client_provides(cfg, name)) {
		/*
		 * Exports leave DHCP and PPPoE addresses out: a warning, as
		 * -n on another machine cannot know (--strict refuses it).
		 */
		char key[CONFIG_NAME_MAX + 16];

		snprintf(key, sizeof(key), "unplaced-if %s", name);
		if (diag_first(d, key))
			diag_warning(d, loc,
				     "interface %s has no address in /ip "
				     "address and is not mapped with --map: "
				     "ecmpd takes it as the Linux interface "
				     "%s, whose address the box sets (DHCP, "
				     "PPPoE)",
				     name, name);
		if (strlen(config_linux_name(cfg, name)) >= LINUX_IFNAME_MAX)
			diag_error(d, loc,
				   "interface name %s is longer than %d "
				   "characters, too long for Linux; map it "
				   "with --map %s=NAME",
				   name, LINUX_IFNAME_MAX - 1, name);
		return;
	}
	if (strlen(config_linux_name(cfg, name)) >= LINUX_IFNAME_MAX)
		diag_error(d, loc,
			   "interface name %s is longer than %d characters, "
			   "too long for Linux; map it with --map %s=NAME",
			   name, LINUX_IFNAME_MAX - 1, name);
}

/* network= and broadcast= must be what the address implies, if given. */
static void check_implied(struct diag *d, const struct ip_address *a,
			  const char *what, bool given, uint32_t value,
			  struct loc loc, uint32_t implied)
{
	char x[IPV4_STR_MAX], y[IPV4_STR_MAX], z[IPV4_STR_MAX];

	if (given && value != implied)
		diag_error(d, loc,
			   "%s %s does not match address %s/%u (expected %s)",
			   what, ipv4_str(value, x), ipv4_str(a->addr, y),
			   a->len, ipv4_str(implied, z));
}

static void check_addresses(const struct config *cfg, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];
		uint32_t m = ipv4_mask(a->len), net = a->addr & m,
			 bcast = net | ~m;
		char x[IPV4_STR_MAX], y[IPV4_STR_MAX];

		if (a->len > 32) {
			diag_error(d, a->addr_loc,
				   "prefix length %u is out of range 0..32",
				   a->len);
			continue;
		}
		check_implied(d, a, "network", a->has_network, a->network,
			      a->network_loc, net);
		/* /31 and /32 have no broadcast address (RFC 3021). */
		check_implied(d, a, "broadcast",
			      a->has_broadcast && a->len < 31, a->broadcast,
			      a->broadcast_loc, bcast);
		if (a->len < 31 && a->addr == net)
			diag_error(
				d, a->addr_loc,
				"address %s/%u is the network address of its "
				"subnet; use a host address",
				ipv4_str(a->addr, x), a->len);
		else if (a->len < 31 && a->addr == bcast)
			diag_error(d, a->addr_loc,
				   "address %s/%u is the broadcast address of "
				   "its subnet; use a host address",
				   ipv4_str(a->addr, x), a->len);
		if (!entry_enabled(&a->c))
			continue;
		for (j = 0; j < i; j++) {
			const struct ip_address *b = &cfg->addresses[j];
			uint32_t mm;

			if (!entry_enabled(&b->c) || b->len > 32)
				continue;
			if (a->addr == b->addr) {
				diag_error(d, a->addr_loc,
					   "address %s is already assigned on "
					   "line %d",
					   ipv4_str(a->addr, x), b->c.loc.line);
				break;
			}
			mm = ipv4_mask(a->len < b->len ? a->len : b->len);
			if ((a->addr & mm) == (b->addr & mm) &&
			    strcmp(a->interface, b->interface)) {
				diag_warning(d, a->addr_loc,
					     "network of %s/%u overlaps that "
					     "of %s/%u on %s (line %d)",
					     ipv4_str(a->addr, x), a->len,
					     ipv4_str(b->addr, y), b->len,
					     b->interface, b->c.loc.line);
				break;
			}
		}
	}
}

/* v7 spelling: routing-table= anywhere, or any /routing table entry. */
/*
 * Does an enabled mangle rule set the mark name with action (a connection
 * mark with mark-connection, a routing mark with mark-routing)?
 */
static bool mangle_sets(const struct config *cfg, enum mangle_action action,
			const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_mangle; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];
		const char *set = action == MANGLE_MARK_CONNECTION ?
					  m->new_connection_mark :
					  m->new_routing_mark;

		if (entry_enabled(&m->c) && m->action == action &&
		    !strcmp(set, name))
			return true;
	}
	return false;
}

static void check_gateway_addr(const struct config *cfg, struct diag *d,
			       const struct route *r, const struct gateway *gw)
{
	bool found = false, iface_known = false;
	char x[IPV4_STR_MAX];
	size_t i;

	ipv4_str(gw->addr, x);
	for (i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];

		if (!entry_enabled(&a->c) || a->len > 32)
			continue;
		if (a->addr == gw->addr) {
			diag_error(d, gw->loc,
				   "gateway %s is this router's own address "
				   "(line %d)",
				   x, a->c.loc.line);
			return;
		}
		if (gw->interface[0] && strcmp(a->interface, gw->interface))
			continue;
		iface_known = true;
		if (in_network(a, gw->addr))
			found = true;
	}
	if (found)
		return;
	/* Beyond the connected networks: a recursive gateway (resolve.c). */
	if (!gw->interface[0] && config_gateway_reachable(cfg, r, gw->addr))
		return;
	/* A route covers it, but its scope is above our target-scope. */
	for (i = 0; !gw->interface[0] && i < cfg->n_routes; i++) {
		const struct route *via = &cfg->routes[i];
		char y[IPV4_STR_MAX];

		if (!entry_enabled(&via->c) || !via->dst_len ||
		    (via->dst ^ gw->addr) & ipv4_mask(via->dst_len) ||
		    route_scope(via) <= route_target_scope(r))
			continue;
		diag_error(d, gw->loc,
			   "gateway %s is in no connected network, and the "
			   "route to %s/%u (line %d) that reaches it has scope "
			   "%u, above this route's target-scope %u: RouterOS "
			   "does not resolve it (write scope=10 there, or a "
			   "larger target-scope here)",
			   x, ipv4_str(via->dst, y), via->dst_len,
			   via->c.loc.line, route_scope(via),
			   route_target_scope(r));
		return;
	}
	if (!gw->interface[0]) {
		if (diag_first(d, x))
			diag_warning(
				d, gw->loc,
				"gateway %s is in no connected network of "
				"/ip address: the running daemon places it "
				"on the interface whose address (from DHCP "
				"or PPPoE) holds it, and leaves it out of "
				"the plan until one does (--plan "
				"--address IF=A/LEN shows that plan; or "
				"write %s%%INTERFACE, or add the address)",
				x, x);
	} else if (iface_known) {
		diag_error(d, gw->loc,
			   "gateway %s is not in the network of interface %s",
			   x, gw->interface);
	}
}

static bool proto_has_ports(uint8_t protocol)
{
	/* tcp, udp, dccp, sctp, udp-lite: the ones with port numbers. */
	return protocol == 6 || protocol == 17 || protocol == 33 ||
	       protocol == 132 || protocol == 136;
}

static void check_routes(const struct config *cfg, struct diag *d, bool v7,
			 bool cross)
{
	struct weighted_gateway wg[256];
	size_t i, j;

	for (i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];
		struct loc where = r->gateway_loc.line ? r->gateway_loc :
							 r->c.loc;
		size_t distinct;

		if (r->dst_len > 32)
			diag_error(d, r->dst_loc,
				   "prefix length %u is out of range 0..32",
				   r->dst_len);
		if (r->distance < 1 || r->distance > 255)
			diag_error(d, r->distance_loc,
				   "distance %u is out of range 1..255",
				   r->distance);
		if (r->has_scope && r->scope > 255)
			diag_error(d, r->c.loc,
				   "scope %u is out of range 0..255", r->scope);
		if (r->has_target_scope && r->target_scope > 255)
			diag_error(d, r->c.loc,
				   "target-scope %u is out of range 0..255",
				   r->target_scope);
		if (r->blackhole && r->n_gateways > 0)
			diag_error(d, where,
				   "a blackhole route takes no gateway");
		if (!r->blackhole && r->n_gateways == 0)
			diag_error(d, r->c.loc,
				   "route has no gateway (add gateway=... or "
				   "type=blackhole)");
		if (r->n_gateways > 255)
			diag_error(d, where,
				   "gateway list has %zu entries; at most 255",
				   r->n_gateways);
		distinct = route_gateways(r, wg, 65);
		if (distinct > 64)
			diag_error(d, where,
				   "gateway list has more than 64 distinct "
				   "gateways");
		/* References to other entries: only on a complete model. */
		if (!cross || !entry_enabled(&r->c))
			continue;
		for (j = 0; j < r->n_gateways; j++) {
			const struct gateway *gw = &r->gateways[j];

			if (gw->interface[0])
				check_interface(cfg, d, gw->interface, gw->loc);
			if (gw->has_addr)
				check_gateway_addr(cfg, d, r, gw);
		}
		if (r->table[0] && (r->table_v7 || v7) &&
		    !config_table_declared(cfg, r->table))
			diag_error(d, r->table_loc,
				   "routing table %s is not declared in "
				   "/routing table",
				   r->table);
		if (r->table[0] && !r->table_v7 && !v7 &&
		    !mangle_sets(cfg, MANGLE_MARK_ROUTING, r->table))
			diag_warning(d, r->table_loc,
				     "routing-mark %s is never set by "
				     "/ip firewall mangle action=mark-routing",
				     r->table);
	}
}

/*
 * pref-src= must be one of the router's own addresses: Linux refuses a
 * route whose preferred source is not local ("Invalid argument").
 */
static void check_route_sources(const struct config *cfg, struct diag *d)
{
	char a[IPV4_STR_MAX];
	size_t i, j;

	for (i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];
		bool found = false;

		if (!r->has_pref_src || !entry_enabled(&r->c))
			continue;
		for (j = 0; j < cfg->n_addresses && !found; j++)
			found = entry_enabled(&cfg->addresses[j].c) &&
				cfg->addresses[j].addr == r->pref_src;
		if (!found)
			diag_error(d, r->pref_src_loc,
				   "pref-src %s is not an address of this "
				   "router in /ip address (Linux refuses a "
				   "route whose source is not local)",
				   ipv4_str(r->pref_src, a));
	}
}

static bool address_list_declared(const struct config *cfg, const char *name)
{
	return config_has_named(cfg, CONFIG_MENU_ADDRESS_LIST,
				offsetof(struct address_list_entry, list),
				name);
}

/*
 * A rule testing an address list that has no entries never matches (or,
 * negated, always does): RouterOS allows it, as lists may be filled at
 * run time, but in a config it is usually a typo.
 */
static void check_list_refs(const struct config *cfg, struct diag *d)
{
	size_t i, k, j;

	for (i = 0; i < CONFIG_MENUS; i++) {
		const struct menu *m = &config_menus[i];

		if (!m->match)
			continue;
		for (k = 0; k < menu_count(m, cfg); k++) {
			const char *e = menu_entry(m, cfg, k);
			const struct rule_match *rm =
				(const void *)(e + m->match);
			const struct name_match *lists[] = {
				&rm->src_address_list,
				&rm->dst_address_list,
			};

			if (!entry_enabled((const struct entry_common *)e))
				continue;
			for (j = 0; j < 2; j++) {
				if (!lists[j]->name[0] ||
				    address_list_declared(cfg, lists[j]->name))
					continue;
				diag_warning(
					d, lists[j]->loc,
					"address list %s has no entries in "
					"/ip firewall address-list, so "
					"the rule %s",
					lists[j]->name,
					lists[j]->negate ?
						"matches every address" :
						"never matches");
			}
		}
	}
}

static void check_tables(const struct config *cfg, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < cfg->n_tables; i++) {
		const struct routing_table *t = &cfg->tables[i];

		if (!strcmp(t->name, "main")) {
			diag_error(d, t->name_loc,
				   "table main is predefined; do not declare "
				   "it");
			continue;
		}
		if (!t->fib)
			diag_warning(d, t->name_loc,
				     "routing table %s has no fib flag, so "
				     "RouterOS would not route with it; add "
				     "fib",
				     t->name);
		for (j = 0; j < i; j++) {
			if (!strcmp(cfg->tables[j].name, t->name)) {
				diag_error(d, t->name_loc,
					   "routing table %s is already "
					   "declared on line %d",
					   t->name, cfg->tables[j].c.loc.line);
				break;
			}
		}
	}
}

/* ---- the rule matcher, the same in every firewall menu ---- */

/* Matcher values that depend on each other. */
static void check_match_values(struct diag *d, const struct rule_match *m)
{
	const struct pcc_match *pcc = &m->pcc;

	if (pcc->fields != PCC_NONE && pcc->denominator == 0)
		diag_error(d, pcc->loc,
			   "per-connection-classifier denominator must be at "
			   "least 1");
	else if (pcc->fields != PCC_NONE && pcc->remainder >= pcc->denominator)
		diag_error(d, pcc->loc,
			   "per-connection-classifier remainder %u must be "
			   "below the denominator %u",
			   pcc->remainder, pcc->denominator);
	if (m->dst_port.set && !proto_has_ports(m->protocol.number))
		diag_error(d, m->dst_port.loc,
			   "dst-port needs protocol=tcp or protocol=udp");
}

static bool iflist_declared(const struct config *cfg, const char *name)
{
	return config_has_named(cfg, CONFIG_MENU_INTERFACE_LIST,
				offsetof(struct interface_list, name), name);
}

/* in-interface-list=, out-interface-list=: a list of /interface list. */
static void check_iflist(const struct config *cfg, struct diag *d,
			 const struct name_match *m)
{
	if (m->name[0] && !iflist_declared(cfg, m->name))
		diag_error(d, m->loc,
			   "interface list %s is not declared in /interface "
			   "list (ecmpd has no built-in lists)",
			   m->name);
}

/*
 * Renamed ports and interface lists: one rename per port and per name;
 * a member's list is declared; a member that is no list is an interface.
 */
static void check_interfaces(const struct config *cfg, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < cfg->n_renames; i++) {
		const struct interface_rename *r = &cfg->renames[i];

		for (j = 0; j < i; j++) {
			const struct interface_rename *q = &cfg->renames[j];

			if (!strcmp(q->default_name, r->default_name))
				diag_error(d, r->default_name_loc,
					   "port %s is set again (line %d); "
					   "set each port once",
					   r->default_name, q->c.loc.line);
			else if (r->name[0] && !strcmp(q->name, r->name))
				diag_error(d, r->name_loc,
					   "name %s is already port %s's "
					   "(line %d)",
					   r->name, q->default_name,
					   q->c.loc.line);
		}
	}
	for (i = 0; i < cfg->n_iflists; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->iflists[i].name, cfg->iflists[j].name))
				diag_error(d, cfg->iflists[i].name_loc,
					   "interface list %s is declared "
					   "twice",
					   cfg->iflists[i].name);
	for (i = 0; i < cfg->n_iflist_members; i++) {
		const struct interface_list_member *m = &cfg->iflist_members[i];

		if (!entry_enabled(&m->c))
			continue;
		if (!iflist_declared(cfg, m->list))
			diag_error(d, m->list_loc,
				   "interface list %s is not declared in "
				   "/interface list",
				   m->list);
		if (!config_member_is_list(cfg, m))
			check_interface(cfg, d, m->interface, m->interface_loc);
	}
}

/*
 * The interfaces a packet has where the rule's chain runs: an input
 * interface before routing, an output one after (forward has both).
 */
static void check_match_chain(struct diag *d, const struct rule_match *m,
			      const char *chain, bool has_in, bool has_out)
{
	if (m->in_interface.name[0] && !has_in)
		diag_error(d, m->in_interface.loc,
			   "in-interface is not available in chain %s", chain);
	if (m->out_interface.name[0] && !has_out)
		diag_error(d, m->out_interface.loc,
			   "out-interface is not available in chain %s", chain);
	if (m->in_interface_list.name[0] && !has_in)
		diag_error(d, m->in_interface_list.loc,
			   "in-interface-list is not available in chain %s",
			   chain);
	if (m->out_interface_list.name[0] && !has_out)
		diag_error(d, m->out_interface_list.loc,
			   "out-interface-list is not available in chain %s",
			   chain);
}

/* The matcher's references to other entries: interfaces and marks. */
static void check_match_refs(const struct config *cfg, struct diag *d,
			     const struct rule_match *m)
{
	const struct name_match *cm = &m->connection_mark;
	const struct name_match *rm = &m->routing_mark;

	check_interface(cfg, d, m->in_interface.name, m->in_interface.loc);
	check_interface(cfg, d, m->out_interface.name, m->out_interface.loc);
	check_iflist(cfg, d, &m->in_interface_list);
	check_iflist(cfg, d, &m->out_interface_list);
	if (cm->name[0] && !config_is_no_mark(cm->name) &&
	    !mangle_sets(cfg, MANGLE_MARK_CONNECTION, cm->name))
		diag_warning(d, cm->loc,
			     "connection-mark %s is tested but never set by "
			     "action=mark-connection",
			     cm->name);
	if (rm->name[0] && !config_is_no_mark(rm->name) &&
	    !mangle_sets(cfg, MANGLE_MARK_ROUTING, rm->name))
		diag_warning(d, rm->loc,
			     "routing-mark %s is tested but never set by "
			     "action=mark-routing",
			     rm->name);
}

static void check_nat(const struct config *cfg, struct diag *d, bool cross)
{
	size_t i;

	for (i = 0; i < cfg->n_nat; i++) {
		const struct nat_rule *n = &cfg->nat[i];
		struct loc act = n->action_loc.line ? n->action_loc : n->c.loc;

		if (n->chain == NAT_DSTNAT &&
		    (n->action == NAT_MASQUERADE || n->action == NAT_SRC_NAT))
			diag_error(d, act,
				   "action %s is only valid in chain srcnat",
				   config_name_of(config_nat_action_names,
						  (int)n->action));
		if (n->chain == NAT_SRCNAT && n->action == NAT_DST_NAT)
			diag_error(d, act,
				   "action dst-nat is only valid in chain "
				   "dstnat");
		if (n->action == NAT_DST_NAT && !n->has_to_addresses &&
		    !n->has_to_ports)
			diag_error(d, act,
				   "action dst-nat needs to-addresses= or "
				   "to-ports=");
		if (n->action == NAT_SRC_NAT && !n->has_to_addresses)
			diag_error(d, act,
				   "action src-nat needs to-addresses=");
		if ((n->has_to_addresses || n->has_to_ports) &&
		    n->action != NAT_DST_NAT && n->action != NAT_SRC_NAT &&
		    n->action != NAT_MASQUERADE)
			diag_error(d,
				   n->has_to_addresses ? n->to_addresses_loc :
							 n->to_ports_loc,
				   "to-addresses and to-ports need action "
				   "src-nat, dst-nat or masquerade");
		if (n->has_to_addresses && n->action == NAT_MASQUERADE)
			diag_error(d, n->to_addresses_loc,
				   "masquerade takes the interface's address; "
				   "to-addresses needs action=src-nat");
		check_match_values(d, &n->match);
		if (n->has_to_ports &&
		    !proto_has_ports(n->match.protocol.number))
			diag_error(d, n->to_ports_loc,
				   "to-ports needs protocol=tcp or "
				   "protocol=udp");
		/* srcnat runs at postrouting, dstnat at prerouting. */
		check_match_chain(
			d, &n->match,
			config_name_of(config_nat_chain_names, (int)n->chain),
			n->chain == NAT_DSTNAT, n->chain == NAT_SRCNAT);
		if (cross && entry_enabled(&n->c))
			check_match_refs(cfg, d, &n->match);
	}
}

static void check_mangle(const struct config *cfg, struct diag *d, bool v7,
			 bool cross)
{
	size_t i;

	for (i = 0; i < cfg->n_mangle; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];
		struct loc act = m->action_loc.line ? m->action_loc : m->c.loc;
		const char *chain = config_name_of(config_mangle_chain_names,
						   (int)m->chain);

		if (m->action == MANGLE_MARK_ROUTING &&
		    m->chain != MANGLE_PREROUTING && m->chain != MANGLE_OUTPUT)
			diag_error(d, act,
				   "action mark-routing is only valid in "
				   "chains prerouting and output, not %s",
				   chain);
		if (m->action == MANGLE_MARK_CONNECTION &&
		    !m->new_connection_mark[0])
			diag_error(d, act,
				   "action mark-connection needs "
				   "new-connection-mark=");
		if (m->action == MANGLE_MARK_ROUTING && !m->new_routing_mark[0])
			diag_error(
				d, act,
				"action mark-routing needs new-routing-mark=");
		if (m->action != MANGLE_MARK_CONNECTION &&
		    m->new_connection_mark[0])
			diag_error(d, m->new_connection_mark_loc,
				   "new-connection-mark needs "
				   "action=mark-connection");
		if (m->action != MANGLE_MARK_ROUTING && m->new_routing_mark[0])
			diag_error(
				d, m->new_routing_mark_loc,
				"new-routing-mark needs action=mark-routing");
		check_match_values(d, &m->match);
		check_match_chain(d, &m->match, chain,
				  m->chain != MANGLE_OUTPUT &&
					  m->chain != MANGLE_POSTROUTING,
				  m->chain != MANGLE_PREROUTING &&
					  m->chain != MANGLE_INPUT);
		if (!cross || !entry_enabled(&m->c))
			continue;
		check_match_refs(cfg, d, &m->match);
		if (v7 && m->action == MANGLE_MARK_ROUTING &&
		    m->new_routing_mark[0] &&
		    !config_table_declared(cfg, m->new_routing_mark))
			diag_error(d, m->new_routing_mark_loc,
				   "routing table %s is not declared in "
				   "/routing table",
				   m->new_routing_mark);
	}
}

static void check_probe(const struct config *cfg, struct diag *d)
{
	const struct probe_settings *p = &cfg->probe;

	if (p->interval_ms < 10)
		diag_error(d, cfg->probe_loc,
			   "check-gateway-interval %ums is below the minimum "
			   "of 10ms",
			   p->interval_ms);
	if (p->timeout_ms < 10)
		diag_error(d, cfg->probe_loc,
			   "check-gateway-timeout %ums is below the minimum "
			   "of 10ms",
			   p->timeout_ms);
	if (p->down_count < 1 || p->down_count > 100)
		diag_error(d, cfg->probe_loc,
			   "check-gateway-down-count %u is out of range 1..100",
			   p->down_count);
	if (p->up_count < 1 || p->up_count > 100)
		diag_error(d, cfg->probe_loc,
			   "check-gateway-up-count %u is out of range 1..100",
			   p->up_count);
}

/*
 * Checks the model as a whole and reports every problem through d.
 * Returns the number of errors d has counted so far.
 */
static int validate(const struct config *cfg, struct diag *d, bool cross)
{
	bool v7 = config_is_v7(cfg);

	check_addresses(cfg, d);
	check_tables(cfg, d);
	check_routes(cfg, d, v7, cross);
	if (cross) {
		check_route_sources(cfg, d);
		check_list_refs(cfg, d);
		check_interfaces(cfg, d);
		config_check_devices(cfg, d);
		config_check_clients(cfg, d);
		config_check_limits(cfg, d);
	}
	check_nat(cfg, d, cross);
	check_mangle(cfg, d, v7, cross);
	config_check_rules(cfg, d, v7, cross);
	check_probe(cfg, d);
	config_check_netwatch(cfg, d, cross);
	return diag_errors(d);
}

int config_validate(const struct config *cfg, struct diag *d)
{
	return validate(cfg, d, true);
}

int config_validate_entries(const struct config *cfg, struct diag *d)
{
	return validate(cfg, d, false);
}
