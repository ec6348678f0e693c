// SPDX-License-Identifier: MIT
/*
 * config.c - the configuration model: its lifetime, the names of its
 * enumerations, interface maps, and the questions every layer asks of it
 * (a route's weighted gateways, is this the main table).
 *
 * A config is created with every settings menu at its defaults and no
 * entries; what each menu's entries own (comments, gateway lists) is
 * freed through the menu table, so a new menu needs no code here. The
 * semantic checks are validate.c's, the canonical printer is canon.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/menus.h"

const struct config_name config_check_gateway_names[] = {
	{ "ping", CHECK_PING },
	{ "arp", CHECK_ARP },
	{ "none", CHECK_NONE },
	{ NULL, 0 },
};

const struct config_name config_rule_action_names[] = {
	{ "lookup", RULE_LOOKUP },
	{ "lookup-only-in-table", RULE_LOOKUP_ONLY },
	{ "drop", RULE_DROP },
	{ "unreachable", RULE_UNREACHABLE },
	{ NULL, 0 },
};

const struct config_name config_hash_policy_names[] = {
	{ "l3", HASH_L3 },
	{ "l4", HASH_L4 },
	{ NULL, 0 },
};

const struct config_name config_dhcp_default_route_names[] = {
	{ "yes", DHCP_ROUTE_YES },
	{ "no", DHCP_ROUTE_NO },
	{ "special-classless", DHCP_ROUTE_SPECIAL_CLASSLESS },
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
	size_t i;

	if (!cfg)
		return NULL;
	cfg->file = strdup(file ? file : "<input>");
	if (!cfg->file) {
		free(cfg);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < CONFIG_MENUS; i++) {
		const struct menu *m = &config_menus[i];

		if (m->settings)
			memcpy(menu_entry(m, cfg, 0), m->defaults, m->size);
	}
	return cfg;
}

/* Frees a config and everything it owns; NULL is a no-op. */
void config_free(struct config *cfg)
{
	size_t i, k;

	if (!cfg)
		return;
	for (i = 0; i < CONFIG_MENUS; i++) {
		const struct menu *m = &config_menus[i];

		if (m->settings)
			continue;
		for (k = 0; k < menu_count(m, cfg); k++)
			menu_release(m, menu_entry(m, cfg, k));
		free(*(void **)((char *)cfg + m->at));
	}
	for (i = 0; i < cfg->n_lines; i++)
		free(cfg->lines[i].path);
	free(cfg->lines);
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

bool config_interface_mapped(const struct config *cfg, const char *rsc_name)
{
	return find_map(cfg, rsc_name) != NULL;
}

/* The Linux name for a script interface name (itself when not mapped). */
const char *config_linux_name(const struct config *cfg, const char *rsc_name)
{
	const struct interface_map *m = find_map(cfg, rsc_name);
	size_t i;

	if (m)
		return m->linux_name;
	/* A renamed port is its default name on the box, or that's map. */
	for (i = 0; i < cfg->n_renames; i++) {
		const struct interface_rename *r = &cfg->renames[i];

		if (!entry_enabled(&r->c) || strcmp(r->name, rsc_name))
			continue;
		m = find_map(cfg, r->default_name);
		return m ? m->linux_name : r->default_name;
	}
	return rsc_name;
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

const char *config_menu_name(enum config_menu menu)
{
	return (unsigned)menu < CONFIG_MENUS ? config_menus[menu].name : NULL;
}

size_t config_menu_size(const struct config *cfg, enum config_menu menu)
{
	return (unsigned)menu < CONFIG_MENUS ?
		       menu_count(&config_menus[menu], cfg) :
		       0;
}

const struct entry_common *config_entry(const struct config *cfg,
					enum config_menu menu, size_t index)
{
	const struct menu *m;

	if ((unsigned)menu >= CONFIG_MENUS)
		return NULL;
	m = &config_menus[menu];
	if (m->settings || index >= menu_count(m, cfg))
		return NULL;
	/* Every entry starts with its entry_common. */
	return menu_entry(m, cfg, index);
}

bool config_is_main_table(const char *name)
{
	return !name[0] || !strcmp(name, "main");
}

bool config_is_no_mark(const char *name)
{
	return !strcmp(name, "no-mark");
}

bool config_has_named(const struct config *cfg, enum config_menu menu,
		      size_t field, const char *name)
{
	const struct menu *m = &config_menus[menu];
	size_t i;

	for (i = 0; !m->settings && i < menu_count(m, cfg); i++) {
		const char *entry = menu_entry(m, cfg, i);

		if (entry_enabled((const struct entry_common *)entry) &&
		    !strcmp(entry + field, name))
			return true;
	}
	return false;
}

const struct rule_match *config_rule_match(const struct config *cfg,
					   enum config_menu menu, size_t index)
{
	const struct menu *m;

	if ((unsigned)menu >= CONFIG_MENUS)
		return NULL;
	m = &config_menus[menu];
	if (!m->match || m->settings || index >= menu_count(m, cfg))
		return NULL;
	return (const void *)((const char *)menu_entry(m, cfg, index) +
			      m->match);
}

bool config_member_is_list(const struct config *cfg,
			   const struct interface_list_member *m)
{
	if (!strcmp(m->interface, m->list) ||
	    !config_has_named(cfg, CONFIG_MENU_INTERFACE_LIST,
			      offsetof(struct interface_list, name),
			      m->interface))
		return false;
	return !config_has_named(cfg, CONFIG_MENU_INTERFACE_ETHERNET,
				 offsetof(struct interface_rename, name),
				 m->interface) &&
	       !config_has_named(cfg, CONFIG_MENU_INTERFACE_BRIDGE,
				 offsetof(struct interface_bridge, name),
				 m->interface) &&
	       !config_has_named(cfg, CONFIG_MENU_INTERFACE_VLAN,
				 offsetof(struct interface_vlan, name),
				 m->interface) &&
	       !config_has_named(cfg, CONFIG_MENU_IP_ADDRESS,
				 offsetof(struct ip_address, interface),
				 m->interface);
}

bool config_table_declared(const struct config *cfg, const char *name)
{
	return config_is_main_table(name) ||
	       config_has_named(cfg, CONFIG_MENU_ROUTING_TABLE,
				offsetof(struct routing_table, name), name);
}

bool config_is_v7(const struct config *cfg)
{
	size_t i;

	if (cfg->slash_paths || cfg->n_tables > 0 || cfg->n_routing_rules > 0)
		return true;
	for (i = 0; i < cfg->n_routes; i++)
		if (cfg->routes[i].table_v7)
			return true;
	return false;
}
