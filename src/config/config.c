// SPDX-License-Identifier: MIT
/*
 * config.c - the configuration model: lifetime, semantic checks and the
 * canonical printer.
 *
 * config_validate() is where every rule lives that needs more than one
 * value: required combinations inside an entry (dst-nat needs a target,
 * mark-routing only in prerouting and output), ranges the model can hold
 * but RouterOS forbids (distance 0), and cross-references between menus
 * (a gateway must sit in a connected network, a v7 routing table must be
 * declared). It works on the model alone, so configs built in tests get
 * the same checks as parsed ones. Disabled entries get the per-entry
 * checks but are left out of every cross-reference, as RouterOS ignores
 * them.
 *
 * config_print() writes the one canonical spelling of a model: fixed
 * menu order, fixed attribute order, defaults left out, values quoted only
 * when the lexer would otherwise split or reinterpret them. The parser
 * reads that text back into an equal model, which the unit tests and the
 * fuzzer check by printing twice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "config/config.h"
#include "config/diag.h"

const struct config_name config_check_gateway_names[] = {
	{ "ping", CHECK_PING },
	{ "arp", CHECK_ARP },
	{ "none", CHECK_NONE },
	{ NULL, 0 },
};

const struct config_name config_hash_policy_names[] = {
	{ "l3", HASH_L3 },
	{ "l4", HASH_L4 },
	{ NULL, 0 },
};

const struct config_name config_nat_chain_names[] = {
	{ "srcnat", NAT_SRCNAT },
	{ "dstnat", NAT_DSTNAT },
	{ NULL, 0 },
};

const struct config_name config_nat_action_names[] = {
	{ "masquerade", NAT_MASQUERADE },
	{ "src-nat", NAT_SRC_NAT },
	{ "dst-nat", NAT_DST_NAT },
	{ "accept", NAT_ACCEPT },
	{ NULL, 0 },
};

const struct config_name config_mangle_chain_names[] = {
	{ "prerouting", MANGLE_PREROUTING },   { "input", MANGLE_INPUT },
	{ "forward", MANGLE_FORWARD },	       { "output", MANGLE_OUTPUT },
	{ "postrouting", MANGLE_POSTROUTING }, { NULL, 0 },
};

const struct config_name config_mangle_action_names[] = {
	{ "mark-connection", MANGLE_MARK_CONNECTION },
	{ "mark-routing", MANGLE_MARK_ROUTING },
	{ "accept", MANGLE_ACCEPT },
	{ NULL, 0 },
};

const struct config_name config_conn_state_names[] = {
	{ "new", CONN_NEW },
	{ "established", CONN_ESTABLISHED },
	{ "related", CONN_RELATED },
	{ "invalid", CONN_INVALID },
	{ "untracked", CONN_UNTRACKED },
	{ NULL, 0 },
};

const struct config_name config_addr_type_names[] = {
	{ "unicast", ADDR_TYPE_UNICAST },
	{ "local", ADDR_TYPE_LOCAL },
	{ "broadcast", ADDR_TYPE_BROADCAST },
	{ "multicast", ADDR_TYPE_MULTICAST },
	{ "blackhole", ADDR_TYPE_BLACKHOLE },
	{ "unreachable", ADDR_TYPE_UNREACHABLE },
	{ "prohibit", ADDR_TYPE_PROHIBIT },
	{ NULL, 0 },
};

const struct config_name config_pcc_names[] = {
	{ "src-address", PCC_SRC_ADDRESS },
	{ "dst-address", PCC_DST_ADDRESS },
	{ "both-addresses", PCC_BOTH_ADDRESSES },
	{ "both-ports", PCC_BOTH_PORTS },
	{ "both-addresses-and-ports", PCC_BOTH_ADDRESSES_AND_PORTS },
	{ "src-address-and-port", PCC_SRC_ADDRESS_AND_PORT },
	{ "dst-address-and-port", PCC_DST_ADDRESS_AND_PORT },
	{ NULL, 0 },
};

/* RouterOS's protocol names, the ones a multi-WAN setup plausibly uses. */
const struct config_name config_protocol_names[] = {
	{ "icmp", 1 },	   { "igmp", 2 },	 { "ipencap", 4 },
	{ "tcp", 6 },	   { "egp", 8 },	 { "udp", 17 },
	{ "dccp", 33 },	   { "ipv6-encap", 41 }, { "rsvp", 46 },
	{ "gre", 47 },	   { "ipsec-esp", 50 },	 { "ipsec-ah", 51 },
	{ "icmpv6", 58 },  { "ospf", 89 },	 { "ipip", 94 },
	{ "etherip", 97 }, { "pim", 103 },	 { "vrrp", 112 },
	{ "l2tp", 115 },   { "sctp", 132 },	 { "udp-lite", 136 },
	{ NULL, 0 },
};

/* The name for value in t, or NULL when it has none. */
const char *config_name_of(const struct config_name *t, int value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}

/* Looks name up in t; true with *value set when found. */
bool config_value_of(const struct config_name *t, const char *name, int *value)
{
	for (; t->name; t++) {
		if (!strcmp(t->name, name)) {
			*value = t->value;
			return true;
		}
	}
	return false;
}

/* Allocates an empty config with the defaults; NULL with errno. */
struct config *config_new(const char *file)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	cfg->file = strdup(file ? file : "<input>");
	if (!cfg->file) {
		free(cfg);
		errno = ENOMEM;
		return NULL;
	}
	cfg->hash_policy = HASH_L3;
	cfg->probe.interval_ms = 100;
	cfg->probe.timeout_ms = 300;
	cfg->probe.down_count = 5;
	cfg->probe.up_count = 5;
	return cfg;
}

/* Frees a config and everything it owns; NULL is a no-op. */
void config_free(struct config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->n_addresses; i++)
		free(cfg->addresses[i].c.comment);
	for (i = 0; i < cfg->n_routes; i++) {
		free(cfg->routes[i].c.comment);
		free(cfg->routes[i].gateways);
	}
	for (i = 0; i < cfg->n_tables; i++)
		free(cfg->tables[i].c.comment);
	for (i = 0; i < cfg->n_nat; i++)
		free(cfg->nat[i].c.comment);
	for (i = 0; i < cfg->n_mangle; i++)
		free(cfg->mangle[i].c.comment);
	free(cfg->addresses);
	free(cfg->routes);
	free(cfg->tables);
	free(cfg->nat);
	free(cfg->mangle);
	free(cfg->maps);
	free(cfg->file);
	free(cfg);
}

/*
 * Adds a --map "rsc=linux". Returns 0, -EINVAL when malformed, too long,
 * or when rsc is already mapped, -ENOMEM.
 */
int config_add_map(struct config *cfg, const char *spec)
{
	const char *eq = strchr(spec, '=');
	struct interface_map m = { 0 }, *maps;
	size_t rsc_len, linux_len, i;

	if (!eq)
		return -EINVAL;
	rsc_len = (size_t)(eq - spec);
	linux_len = strlen(eq + 1);
	if (rsc_len == 0 || rsc_len >= sizeof(m.rsc) || linux_len == 0 ||
	    linux_len >= sizeof(m.linux_name))
		return -EINVAL;
	/* Linux refuses these in device names. */
	if (strpbrk(eq + 1, "/: \t\n=") || !strcmp(eq + 1, ".") ||
	    !strcmp(eq + 1, ".."))
		return -EINVAL;
	memcpy(m.rsc, spec, rsc_len);
	memcpy(m.linux_name, eq + 1, linux_len);
	for (i = 0; i < cfg->n_maps; i++)
		if (!strcmp(cfg->maps[i].rsc, m.rsc))
			return -EINVAL;
	maps = realloc(cfg->maps, (cfg->n_maps + 1) * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	cfg->maps = maps;
	cfg->maps[cfg->n_maps++] = m;
	return 0;
}

static const struct interface_map *find_map(const struct config *cfg,
					    const char *rsc_name)
{
	size_t i;

	for (i = 0; i < cfg->n_maps; i++)
		if (!strcmp(cfg->maps[i].rsc, rsc_name))
			return &cfg->maps[i];
	return NULL;
}

/* The Linux name for a script interface name (itself when not mapped). */
const char *config_linux_name(const struct config *cfg, const char *rsc_name)
{
	const struct interface_map *m = find_map(cfg, rsc_name);

	return m ? m->linux_name : rsc_name;
}

static bool same_gateway(const struct gateway *a, const struct gateway *b)
{
	return a->has_addr == b->has_addr &&
	       (!a->has_addr || a->addr == b->addr) &&
	       !strcmp(a->interface, b->interface);
}

/*
 * Folds r's gateway list into distinct gateways with weights, in order of
 * first appearance. Returns how many were written to out (at most max).
 */
size_t route_gateways(const struct route *r, struct weighted_gateway *out,
		      size_t max)
{
	size_t n = 0, i, j;

	for (i = 0; i < r->n_gateways; i++) {
		for (j = 0; j < n; j++) {
			if (same_gateway(&out[j].gw, &r->gateways[i])) {
				out[j].weight++;
				break;
			}
		}
		if (j < n)
			continue;
		if (n == max)
			continue;
		out[n].gw = r->gateways[i];
		out[n].weight = 1;
		n++;
	}
	return n;
}

/* ---- validation ---- */

#define IPQ(a) (a) >> 24, ((a) >> 16) & 255, ((a) >> 8) & 255, (a)&255
#define IPF "%u.%u.%u.%u"

static bool in_network(const struct ip_address *ia, uint32_t addr)
{
	uint32_t m = ipv4_mask(ia->len);

	return (ia->addr & m) == (addr & m);
}

static bool interface_addressed(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_addresses; i++)
		if (entry_enabled(&cfg->addresses[i].c) &&
		    !strcmp(cfg->addresses[i].interface, name))
			return true;
	return false;
}

/* An interface used somewhere must exist: addressed here or mapped. */
static void check_interface(const struct config *cfg, struct diag *d,
			    const char *name, struct loc loc)
{
	if (!name[0])
		return;
	if (find_map(cfg, name))
		return;
	if (!interface_addressed(cfg, name)) {
		diag_error(d, loc,
			   "interface %s has no address in /ip address and "
			   "is not mapped with --map",
			   name);
		return;
	}
	if (strlen(name) >= LINUX_IFNAME_MAX)
		diag_error(d, loc,
			   "interface name %s is longer than %d characters, "
			   "too long for Linux; map it with --map %s=NAME",
			   name, LINUX_IFNAME_MAX - 1, name);
}

static void check_addresses(const struct config *cfg, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];
		uint32_t m = ipv4_mask(a->len), net = a->addr & m,
			 bcast = net | ~m;

		if (a->len > 32) {
			diag_error(d, a->addr_loc,
				   "prefix length %u is out of range 0..32",
				   a->len);
			continue;
		}
		if (a->has_network && a->network != net)
			diag_error(d, a->network_loc,
				   "network " IPF " does not match address " IPF
				   "/%u (expected " IPF ")",
				   IPQ(a->network), IPQ(a->addr), a->len,
				   IPQ(net));
		if (a->has_broadcast && a->len < 31 && a->broadcast != bcast)
			diag_error(d, a->broadcast_loc,
				   "broadcast " IPF
				   " does not match address " IPF
				   "/%u (expected " IPF ")",
				   IPQ(a->broadcast), IPQ(a->addr), a->len,
				   IPQ(bcast));
		if (a->len < 31 && a->addr == net)
			diag_error(d, a->addr_loc,
				   "address " IPF "/%u is the network address "
				   "of its subnet; use a host address",
				   IPQ(a->addr), a->len);
		else if (a->len < 31 && a->addr == bcast)
			diag_error(d, a->addr_loc,
				   "address " IPF "/%u is the broadcast "
				   "address of its subnet; use a host address",
				   IPQ(a->addr), a->len);
		if (!entry_enabled(&a->c))
			continue;
		for (j = 0; j < i; j++) {
			const struct ip_address *b = &cfg->addresses[j];
			uint32_t mm;

			if (!entry_enabled(&b->c) || b->len > 32)
				continue;
			if (a->addr == b->addr) {
				diag_error(d, a->addr_loc,
					   "address " IPF
					   " is already assigned on line %d",
					   IPQ(a->addr), b->c.loc.line);
				break;
			}
			mm = ipv4_mask(a->len < b->len ? a->len : b->len);
			if ((a->addr & mm) == (b->addr & mm) &&
			    strcmp(a->interface, b->interface)) {
				diag_warning(d, a->addr_loc,
					     "network of " IPF "/%u overlaps "
					     "that of " IPF
					     "/%u on %s (line %d)",
					     IPQ(a->addr), a->len, IPQ(b->addr),
					     b->len, b->interface,
					     b->c.loc.line);
				break;
			}
		}
	}
}

static bool table_declared(const struct config *cfg, const char *name)
{
	size_t i;

	if (!name[0] || !strcmp(name, "main"))
		return true;
	for (i = 0; i < cfg->n_tables; i++)
		if (entry_enabled(&cfg->tables[i].c) &&
		    !strcmp(cfg->tables[i].name, name))
			return true;
	return false;
}

/* v7 spelling: routing-table= anywhere, or any /routing table entry. */
static bool uses_v7(const struct config *cfg)
{
	size_t i;

	if (cfg->n_tables > 0)
		return true;
	for (i = 0; i < cfg->n_routes; i++)
		if (cfg->routes[i].table_v7)
			return true;
	return false;
}

static bool routing_mark_set(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_mangle; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];

		if (entry_enabled(&m->c) && m->action == MANGLE_MARK_ROUTING &&
		    !strcmp(m->new_routing_mark, name))
			return true;
	}
	return false;
}

static bool connection_mark_set(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_mangle; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];

		if (entry_enabled(&m->c) &&
		    m->action == MANGLE_MARK_CONNECTION &&
		    !strcmp(m->new_connection_mark, name))
			return true;
	}
	return false;
}

static void check_gateway_addr(const struct config *cfg, struct diag *d,
			       const struct gateway *gw)
{
	bool found = false, iface_known = false;
	size_t i;

	for (i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];

		if (!entry_enabled(&a->c) || a->len > 32)
			continue;
		if (a->addr == gw->addr) {
			diag_error(d, gw->loc,
				   "gateway " IPF " is this router's own "
				   "address (line %d)",
				   IPQ(gw->addr), a->c.loc.line);
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
	if (!gw->interface[0])
		diag_error(d, gw->loc,
			   "gateway " IPF " is not in any connected network "
			   "of /ip address (write " IPF "%%INTERFACE for a "
			   "gateway outside them)",
			   IPQ(gw->addr), IPQ(gw->addr));
	else if (iface_known)
		diag_error(d, gw->loc,
			   "gateway " IPF " is not in the network of "
			   "interface %s",
			   IPQ(gw->addr), gw->interface);
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
				check_gateway_addr(cfg, d, gw);
		}
		if (r->table[0] && (r->table_v7 || v7) &&
		    !table_declared(cfg, r->table))
			diag_error(d, r->table_loc,
				   "routing table %s is not declared in "
				   "/routing table",
				   r->table);
		if (r->table[0] && !r->table_v7 && !v7 &&
		    !routing_mark_set(cfg, r->table))
			diag_warning(d, r->table_loc,
				     "routing-mark %s is never set by "
				     "/ip firewall mangle action=mark-routing",
				     r->table);
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
		if (n->dst_port.set && !proto_has_ports(n->protocol))
			diag_error(d, n->dst_port.loc,
				   "dst-port needs protocol=tcp or "
				   "protocol=udp");
		if (n->has_to_ports && !proto_has_ports(n->protocol))
			diag_error(d, n->to_ports_loc,
				   "to-ports needs protocol=tcp or "
				   "protocol=udp");
		if (n->chain == NAT_SRCNAT && n->in_interface[0])
			diag_error(d, n->in_interface_loc,
				   "in-interface is not available in chain "
				   "srcnat");
		if (n->chain == NAT_DSTNAT && n->out_interface[0])
			diag_error(d, n->out_interface_loc,
				   "out-interface is not available in chain "
				   "dstnat");
		if (!cross || !entry_enabled(&n->c))
			continue;
		check_interface(cfg, d, n->in_interface, n->in_interface_loc);
		check_interface(cfg, d, n->out_interface, n->out_interface_loc);
	}
}

static void check_mangle(const struct config *cfg, struct diag *d, bool v7,
			 bool cross)
{
	size_t i;

	for (i = 0; i < cfg->n_mangle; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];
		struct loc act = m->action_loc.line ? m->action_loc : m->c.loc;

		if (m->action == MANGLE_MARK_ROUTING &&
		    m->chain != MANGLE_PREROUTING && m->chain != MANGLE_OUTPUT)
			diag_error(d, act,
				   "action mark-routing is only valid in "
				   "chains prerouting and output, not %s",
				   config_name_of(config_mangle_chain_names,
						  (int)m->chain));
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
		if (m->pcc != PCC_NONE && m->pcc_denominator == 0)
			diag_error(d, m->pcc_loc,
				   "per-connection-classifier denominator must "
				   "be at least 1");
		else if (m->pcc != PCC_NONE &&
			 m->pcc_remainder >= m->pcc_denominator)
			diag_error(d, m->pcc_loc,
				   "per-connection-classifier remainder %u "
				   "must be below the denominator %u",
				   m->pcc_remainder, m->pcc_denominator);
		if (m->dst_port.set && !proto_has_ports(m->protocol))
			diag_error(d, m->dst_port.loc,
				   "dst-port needs protocol=tcp or "
				   "protocol=udp");
		if (m->in_interface[0] && (m->chain == MANGLE_OUTPUT ||
					   m->chain == MANGLE_POSTROUTING))
			diag_error(d, m->in_interface_loc,
				   "in-interface is not available in chain %s",
				   config_name_of(config_mangle_chain_names,
						  (int)m->chain));
		if (m->out_interface[0] &&
		    (m->chain == MANGLE_PREROUTING || m->chain == MANGLE_INPUT))
			diag_error(d, m->out_interface_loc,
				   "out-interface is not available in chain %s",
				   config_name_of(config_mangle_chain_names,
						  (int)m->chain));
		if (!cross || !entry_enabled(&m->c))
			continue;
		check_interface(cfg, d, m->in_interface, m->in_interface_loc);
		check_interface(cfg, d, m->out_interface, m->out_interface_loc);
		if (m->connection_mark[0] &&
		    strcmp(m->connection_mark, "no-mark") &&
		    !connection_mark_set(cfg, m->connection_mark))
			diag_warning(d, m->connection_mark_loc,
				     "connection-mark %s is tested but never "
				     "set by action=mark-connection",
				     m->connection_mark);
		if (m->routing_mark[0] && strcmp(m->routing_mark, "no-mark") &&
		    !routing_mark_set(cfg, m->routing_mark))
			diag_warning(d, m->routing_mark_loc,
				     "routing-mark %s is tested but never set "
				     "by action=mark-routing",
				     m->routing_mark);
		if (v7 && m->action == MANGLE_MARK_ROUTING &&
		    m->new_routing_mark[0] &&
		    !table_declared(cfg, m->new_routing_mark))
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
	bool v7 = uses_v7(cfg);

	check_addresses(cfg, d);
	check_tables(cfg, d);
	check_routes(cfg, d, v7, cross);
	check_nat(cfg, d, cross);
	check_mangle(cfg, d, v7, cross);
	check_probe(cfg, d);
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

/* ---- canonical printer ---- */

/* Characters that never need quotes in a value. */
static bool plain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("._-:/!%,@+", c);
}

static void print_value(FILE *out, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	bool plain = *s != '\0';

	for (; *s; s++)
		if (!plain_char(*s))
			plain = false;
	if (plain) {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (s = (const unsigned char *)v; *s; s++) {
		switch (*s) {
		case '"':
		case '\\':
		case '$':
		case '?':
			fputc('\\', out);
			fputc(*s, out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				fprintf(out, "\\%02X", *s);
			else
				fputc(*s, out);
		}
	}
	fputc('"', out);
}

static void print_attr(FILE *out, const char *key, const char *value)
{
	fprintf(out, " %s=", key);
	print_value(out, value);
}

static void print_name(FILE *out, const char *key, const char *name,
		       bool negate)
{
	char buf[CONFIG_NAME_MAX + 1];

	if (!name[0])
		return;
	snprintf(buf, sizeof(buf), "%s%s", negate ? "!" : "", name);
	print_attr(out, key, buf);
}

static void print_addr_match(FILE *out, const char *key,
			     const struct addr_match *m)
{
	if (!m->set)
		return;
	fprintf(out, " %s=%s" IPF, key, m->negate ? "!" : "", IPQ(m->lo));
	if (m->is_range)
		fprintf(out, "-" IPF, IPQ(m->hi));
	else
		fprintf(out, "/%u", m->len);
}

static void print_ports(FILE *out, const struct port_match *m)
{
	size_t i;

	if (!m->set)
		return;
	fputs(" dst-port=", out);
	for (i = 0; i < m->n; i++) {
		fprintf(out, "%s%u", i ? "," : "", m->spans[i].lo);
		if (m->spans[i].hi != m->spans[i].lo)
			fprintf(out, "-%u", m->spans[i].hi);
	}
}

static void print_protocol(FILE *out, uint8_t protocol)
{
	const char *name = config_name_of(config_protocol_names, protocol);

	if (!protocol)
		return;
	if (name)
		fprintf(out, " protocol=%s", name);
	else
		fprintf(out, " protocol=%u", protocol);
}

static void print_common(FILE *out, const struct entry_common *c)
{
	if (c->disabled)
		fputs(" disabled=yes", out);
	if (c->comment && c->comment[0])
		print_attr(out, "comment", c->comment);
	fputc('\n', out);
}

/* Prints a time in RouterOS units, largest first: 90000 is "1m30s". */
static void print_time(FILE *out, const char *key, unsigned ms)
{
	static const struct {
		const char *unit;
		unsigned ms;
	} units[] = {
		{ "w", 604800000u }, { "d", 86400000u }, { "h", 3600000u },
		{ "m", 60000u },     { "s", 1000u },	 { "ms", 1u },
	};
	size_t i;

	fprintf(out, " %s=", key);
	if (ms == 0) {
		fputs("0s", out);
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ms >= units[i].ms) {
			fprintf(out, "%u%s", ms / units[i].ms, units[i].unit);
			ms %= units[i].ms;
		}
	}
}

/* The gateway list as one value, so an odd interface name gets quoted. */
static void print_gateways(FILE *out, const struct route *r)
{
	char *buf, *p;
	size_t j;

	buf = malloc(r->n_gateways *
			     (sizeof("255.255.255.255%") + CONFIG_NAME_MAX) +
		     1);
	if (!buf)
		return;
	p = buf;
	for (j = 0; j < r->n_gateways; j++) {
		const struct gateway *gw = &r->gateways[j];

		if (j)
			*p++ = ',';
		if (gw->has_addr)
			p += sprintf(p, IPF "%s", IPQ(gw->addr),
				     gw->interface[0] ? "%" : "");
		p += sprintf(p, "%s", gw->interface);
	}
	print_attr(out, "gateway", buf);
	free(buf);
}

static void section(FILE *out, bool *first, const char *header)
{
	if (!*first)
		fputc('\n', out);
	*first = false;
	fprintf(out, "%s\n", header);
}

static void print_tables(const struct config *cfg, FILE *out, bool *first)
{
	size_t i;

	if (!cfg->n_tables)
		return;
	section(out, first, "/routing table");
	for (i = 0; i < cfg->n_tables; i++) {
		const struct routing_table *t = &cfg->tables[i];

		fputs("add", out);
		print_attr(out, "name", t->name);
		if (t->fib)
			fputs(" fib", out);
		print_common(out, &t->c);
	}
}

static void print_settings(const struct config *cfg, FILE *out, bool *first)
{
	const struct probe_settings *p = &cfg->probe;

	if (cfg->hash_policy != HASH_L3) {
		section(out, first, "/ip settings");
		fprintf(out, "set ipv4-multipath-hash-policy=%s\n",
			config_name_of(config_hash_policy_names,
				       (int)cfg->hash_policy));
	}
	if (p->interval_ms == 100 && p->timeout_ms == 300 &&
	    p->down_count == 5 && p->up_count == 5)
		return;
	section(out, first, "/routing settings");
	fputs("set", out);
	if (p->interval_ms != 100)
		print_time(out, "check-gateway-interval", p->interval_ms);
	if (p->timeout_ms != 300)
		print_time(out, "check-gateway-timeout", p->timeout_ms);
	if (p->down_count != 5)
		fprintf(out, " check-gateway-down-count=%u", p->down_count);
	if (p->up_count != 5)
		fprintf(out, " check-gateway-up-count=%u", p->up_count);
	fputc('\n', out);
}

static void print_addresses(const struct config *cfg, FILE *out, bool *first)
{
	size_t i;

	if (!cfg->n_addresses)
		return;
	section(out, first, "/ip address");
	for (i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];

		fprintf(out, "add address=" IPF "/%u", IPQ(a->addr), a->len);
		if (a->has_network)
			fprintf(out, " network=" IPF, IPQ(a->network));
		if (a->has_broadcast)
			fprintf(out, " broadcast=" IPF, IPQ(a->broadcast));
		print_attr(out, "interface", a->interface);
		print_common(out, &a->c);
	}
}

static void print_routes(const struct config *cfg, FILE *out, bool *first)
{
	size_t i;

	if (!cfg->n_routes)
		return;
	section(out, first, "/ip route");
	for (i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		/* dst-address is the route's key: always shown, as RouterOS does. */
		fprintf(out, "add dst-address=" IPF "/%u", IPQ(r->dst),
			r->dst_len);
		if (r->n_gateways)
			print_gateways(out, r);
		if (r->check_gateway != CHECK_NONE)
			fprintf(out, " check-gateway=%s",
				config_name_of(config_check_gateway_names,
					       (int)r->check_gateway));
		if (r->distance != 1)
			fprintf(out, " distance=%u", r->distance);
		if (r->has_scope)
			fprintf(out, " scope=%u", r->scope);
		if (r->has_target_scope)
			fprintf(out, " target-scope=%u", r->target_scope);
		if (r->table[0])
			print_attr(out,
				   r->table_v7 ? "routing-table" :
						 "routing-mark",
				   r->table);
		if (r->blackhole)
			fputs(" type=blackhole", out);
		print_common(out, &r->c);
	}
}

static void print_nat(const struct config *cfg, FILE *out, bool *first)
{
	size_t i;

	if (!cfg->n_nat)
		return;
	section(out, first, "/ip firewall nat");
	for (i = 0; i < cfg->n_nat; i++) {
		const struct nat_rule *n = &cfg->nat[i];

		fprintf(out, "add chain=%s",
			config_name_of(config_nat_chain_names, (int)n->chain));
		print_addr_match(out, "src-address", &n->src_address);
		print_addr_match(out, "dst-address", &n->dst_address);
		print_protocol(out, n->protocol);
		print_ports(out, &n->dst_port);
		print_name(out, "in-interface", n->in_interface,
			   n->in_interface_negate);
		print_name(out, "out-interface", n->out_interface,
			   n->out_interface_negate);
		if (n->action != NAT_ACCEPT)
			fprintf(out, " action=%s",
				config_name_of(config_nat_action_names,
					       (int)n->action));
		if (n->has_to_addresses) {
			fprintf(out, " to-addresses=" IPF, IPQ(n->to_addr_lo));
			if (n->to_addr_hi != n->to_addr_lo)
				fprintf(out, "-" IPF, IPQ(n->to_addr_hi));
		}
		if (n->has_to_ports) {
			fprintf(out, " to-ports=%u", n->to_port_lo);
			if (n->to_port_hi != n->to_port_lo)
				fprintf(out, "-%u", n->to_port_hi);
		}
		print_common(out, &n->c);
	}
}

static void print_conn_state(FILE *out, const struct mangle_rule *m)
{
	const struct config_name *t;
	bool first = true;

	if (!m->connection_state)
		return;
	fprintf(out, " connection-state=%s",
		m->connection_state_negate ? "!" : "");
	for (t = config_conn_state_names; t->name; t++) {
		if (m->connection_state & (unsigned)t->value) {
			fprintf(out, "%s%s", first ? "" : ",", t->name);
			first = false;
		}
	}
}

static void print_mangle(const struct config *cfg, FILE *out, bool *first)
{
	size_t i;

	if (!cfg->n_mangle)
		return;
	section(out, first, "/ip firewall mangle");
	for (i = 0; i < cfg->n_mangle; i++) {
		const struct mangle_rule *m = &cfg->mangle[i];

		fprintf(out, "add chain=%s",
			config_name_of(config_mangle_chain_names,
				       (int)m->chain));
		print_name(out, "in-interface", m->in_interface,
			   m->in_interface_negate);
		print_name(out, "out-interface", m->out_interface,
			   m->out_interface_negate);
		print_addr_match(out, "src-address", &m->src_address);
		print_addr_match(out, "dst-address", &m->dst_address);
		if (m->dst_address_type != ADDR_TYPE_NONE)
			fprintf(out, " dst-address-type=%s%s",
				m->dst_address_type_negate ? "!" : "",
				config_name_of(config_addr_type_names,
					       (int)m->dst_address_type));
		print_protocol(out, m->protocol);
		print_ports(out, &m->dst_port);
		print_conn_state(out, m);
		print_name(out, "connection-mark", m->connection_mark,
			   m->connection_mark_negate);
		print_name(out, "routing-mark", m->routing_mark,
			   m->routing_mark_negate);
		if (m->pcc != PCC_NONE)
			fprintf(out, " per-connection-classifier=%s:%u/%u",
				config_name_of(config_pcc_names, (int)m->pcc),
				m->pcc_denominator, m->pcc_remainder);
		if (m->action != MANGLE_ACCEPT)
			fprintf(out, " action=%s",
				config_name_of(config_mangle_action_names,
					       (int)m->action));
		print_name(out, "new-connection-mark", m->new_connection_mark,
			   false);
		print_name(out, "new-routing-mark", m->new_routing_mark, false);
		if (!m->passthrough)
			fputs(" passthrough=no", out);
		print_common(out, &m->c);
	}
}

/*
 * Prints cfg canonically to out: menus in a fixed order separated by
 * blank lines, one "add" (or "set") per line, defaults left out.
 */
void config_print(const struct config *cfg, FILE *out)
{
	bool first = true;

	print_tables(cfg, out, &first);
	print_settings(cfg, out, &first);
	print_addresses(cfg, out, &first);
	print_routes(cfg, out, &first);
	print_nat(cfg, out, &first);
	print_mangle(cfg, out, &first);
}
