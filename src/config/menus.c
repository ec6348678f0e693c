// SPDX-License-Identifier: MIT
/*
 * menus.c - the menus ecmpd reads: one descriptor each in config_menus[],
 * the attributes every list menu shares (disabled=, comment=), and those
 * of the settings menus.
 *
 * A menu's row says everything the parser, the printer and config.c need
 * to handle its entries without knowing the menu: where the entries live
 * in struct config, how big one is, what a new one holds, which attribute
 * table describes it (routing.c and firewall.c hold the larger ones).
 * Most attributes are a plain value in one field (a name, a number, a
 * yes/no, an enum spelled as in a config_name table): their rows use the
 * readers and writers of values.c and record the value's place through
 * the row's loc.
 *
 * The rows of an attribute table are in the order the canonical printer
 * writes them. Required attributes are checked in that order when an
 * entry is added, and always printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/menus.h"

/* Menus keep enum fields and read them as int (values.c). */
_Static_assert(sizeof(enum check_gateway) == sizeof(int) &&
		       sizeof(enum hash_policy) == sizeof(int) &&
		       sizeof(enum nat_chain) == sizeof(int) &&
		       sizeof(enum nat_action) == sizeof(int) &&
		       sizeof(enum mangle_chain) == sizeof(int) &&
		       sizeof(enum mangle_action) == sizeof(int) &&
		       sizeof(enum rule_action) == sizeof(int) &&
		       sizeof(enum netwatch_type) == sizeof(int) &&
		       sizeof(enum dhcp_default_route) == sizeof(int),
	       "enum fields are int-sized");

/* Entries start with their entry_common, so one release serves all. */
_Static_assert(offsetof(struct ip_address, c) == 0 &&
		       offsetof(struct route, c) == 0 &&
		       offsetof(struct routing_table, c) == 0 &&
		       offsetof(struct routing_rule, c) == 0 &&
		       offsetof(struct nat_rule, c) == 0 &&
		       offsetof(struct address_list_entry, c) == 0 &&
		       offsetof(struct interface_rename, c) == 0 &&
		       offsetof(struct interface_bridge, c) == 0 &&
		       offsetof(struct interface_vlan, c) == 0 &&
		       offsetof(struct bridge_port, c) == 0 &&
		       offsetof(struct interface_list, c) == 0 &&
		       offsetof(struct interface_list_member, c) == 0 &&
		       offsetof(struct dhcp_client, c) == 0 &&
		       offsetof(struct pppoe_client, c) == 0 &&
		       offsetof(struct mangle_rule, c) == 0 &&
		       offsetof(struct netwatch, c) == 0,
	       "entries start with their entry_common");

/* ---- disabled= and comment=, common to every list menu ---- */

static int read_comment(struct diag *d, const struct attr_def *def, void *value,
			const struct attr *a)
{
	char **comment = value;

	free(*comment);
	*comment = NULL;
	/* An empty comment is no comment, so the printer can omit it. */
	if (!*a->value)
		return 0;
	*comment = strdup(a->value);
	return *comment ? 0 : -ENOMEM;
}

static void write_comment(struct attr_out *o, const struct attr_def *def,
			  const void *value, const void *dflt)
{
	const char *comment = *(char *const *)value;

	if (comment && comment[0])
		attr_text(o, def->key, comment);
}

static const struct attr_def entry_common_attrs[] = {
	{ "disabled", attr_read_bool, attr_write_bool,
	  .offset = offsetof(struct entry_common, disabled) },
	{ "comment", read_comment, write_comment,
	  .offset = offsetof(struct entry_common, comment) },
	{ .key = NULL },
};

/* ---- /ip settings and /routing settings ---- */

#define PROBE(f) offsetof(struct probe_settings, f)

static const struct attr_def ip_settings_attrs[] = {
	{ "ipv4-multipath-hash-policy", attr_read_enum, attr_write_enum,
	  .offset = offsetof(struct ip_settings, hash_policy),
	  .loc = offsetof(struct ip_settings, hash_policy_loc),
	  .names = config_hash_policy_names },
	{ .key = NULL },
};

static const struct attr_def routing_settings_attrs[] = {
	{ "check-gateway-interval", attr_read_time, attr_write_time,
	  .offset = PROBE(interval_ms) },
	{ "check-gateway-timeout", attr_read_time, attr_write_time,
	  .offset = PROBE(timeout_ms) },
	{ "check-gateway-down-count", attr_read_uint, attr_write_uint,
	  .offset = PROBE(down_count) },
	{ "check-gateway-up-count", attr_read_uint, attr_write_uint,
	  .offset = PROBE(up_count) },
	{ .key = NULL },
};

/* ---- the menus ---- */

static const struct ip_address address_defaults;
static const struct route route_defaults = { .distance = 1 };
static const struct routing_table table_defaults;
static const struct routing_rule rule_defaults = { .action = RULE_LOOKUP };
static const struct address_list_entry address_list_defaults;
static const struct interface_rename rename_defaults;
static const struct interface_bridge bridge_defaults;
static const struct interface_vlan vlan_defaults;
static const struct bridge_port bridge_port_defaults;
static const struct interface_list iflist_defaults;
static const struct interface_list_member member_defaults;
static const struct dhcp_client dhcp_client_defaults = {
	.add_default_route = DHCP_ROUTE_YES,
	.default_route_distance = 1,
	.use_peer_dns = true,
};
static const struct pppoe_client pppoe_client_defaults = {
	.name = "pppoe-out1",
	.default_route_distance = 1,
};
static const struct nat_rule nat_defaults = { .action = NAT_ACCEPT };
static const struct mangle_rule mangle_defaults = {
	.action = MANGLE_ACCEPT,
	.passthrough = true,
};
static const struct netwatch netwatch_defaults = {
	.type = NETWATCH_SIMPLE,
	.interval_ms = NETWATCH_INTERVAL_MS,
	.timeout_ms = NETWATCH_TIMEOUT_MS,
	.packet_count = NETWATCH_PACKET_COUNT,
	.packet_interval_ms = NETWATCH_PACKET_INTERVAL_MS,
	.thr_rtt_max_ms = NETWATCH_THR_RTT_MAX_MS,
	.thr_rtt_avg_ms = NETWATCH_THR_RTT_AVG_MS,
	.thr_rtt_jitter_ms = NETWATCH_THR_RTT_JITTER_MS,
	.thr_loss_permille = NETWATCH_THR_LOSS_PERMILLE,
};
static const struct ip_settings ip_settings_defaults = {
	.hash_policy = HASH_L3,
};
static const struct probe_settings probe_defaults = {
	.interval_ms = 100,
	.timeout_ms = 300,
	.down_count = 5,
	.up_count = 5,
};

#define LIST(type, array, n)                  \
	.at = offsetof(struct config, array), \
	.count = offsetof(struct config, n), .size = sizeof(type)
#define SETTINGS(type, object)                                   \
	.settings = true, .at = offsetof(struct config, object), \
	.size = sizeof(type)

const struct menu config_menus[CONFIG_MENUS] = {
	[CONFIG_MENU_INTERFACE_BRIDGE] = {
		.name = "/interface bridge",
		LIST(struct interface_bridge, bridges, n_bridges),
		.defaults = &bridge_defaults,
		.attrs = interface_bridge_attrs,
		.lenient = "the bridge's own settings (ip link, "
			   "systemd-networkd)",
	},
	[CONFIG_MENU_INTERFACE_ETHERNET] = {
		.name = "/interface ethernet",
		LIST(struct interface_rename, renames, n_renames),
		.defaults = &rename_defaults,
		.attrs = interface_rename_attrs,
		.find_set = true,
		.lenient = "the link's own settings (ip link, ethtool)",
	},
	[CONFIG_MENU_INTERFACE_VLAN] = {
		.name = "/interface vlan",
		LIST(struct interface_vlan, vlans, n_vlans),
		.defaults = &vlan_defaults,
		.attrs = interface_vlan_attrs,
		.lenient = "the VLAN device's own settings (ip link, "
			   "systemd-networkd)",
	},
	[CONFIG_MENU_INTERFACE_LIST] = {
		.name = "/interface list",
		LIST(struct interface_list, iflists, n_iflists),
		.defaults = &iflist_defaults,
		.attrs = interface_list_attrs,
	},
	[CONFIG_MENU_INTERFACE_LIST_MEMBER] = {
		.name = "/interface list member",
		LIST(struct interface_list_member, iflist_members,
		     n_iflist_members),
		.defaults = &member_defaults,
		.attrs = interface_list_member_attrs,
	},
	[CONFIG_MENU_BRIDGE_PORT] = {
		.name = "/interface bridge port",
		LIST(struct bridge_port, bridge_ports, n_bridge_ports),
		.defaults = &bridge_port_defaults,
		.attrs = bridge_port_attrs,
		.lenient = "the port's bridge settings (ip link, bridge "
			   "vlan, systemd-networkd)",
	},
	[CONFIG_MENU_PPPOE_CLIENT] = {
		.name = "/interface pppoe-client",
		LIST(struct pppoe_client, pppoe_clients, n_pppoe_clients),
		.defaults = &pppoe_client_defaults,
		.attrs = pppoe_client_attrs,
		.lenient = "pppd's own options (mtu, keepalive, service name)",
	},
	[CONFIG_MENU_ROUTING_TABLE] = {
		.name = "/routing table",
		LIST(struct routing_table, tables, n_tables),
		.defaults = &table_defaults,
		.attrs = routing_table_attrs,
	},
	[CONFIG_MENU_IP_SETTINGS] = {
		.name = "/ip settings",
		SETTINGS(struct ip_settings, ip_settings),
		.defaults = &ip_settings_defaults,
		.attrs = ip_settings_attrs,
	},
	[CONFIG_MENU_ROUTING_SETTINGS] = {
		.name = "/routing settings",
		SETTINGS(struct probe_settings, probe),
		.defaults = &probe_defaults,
		.set_loc = offsetof(struct config, probe_loc),
		.attrs = routing_settings_attrs,
	},
	[CONFIG_MENU_DHCP_CLIENT] = {
		.name = "/ip dhcp-client",
		LIST(struct dhcp_client, dhcp_clients, n_dhcp_clients),
		.defaults = &dhcp_client_defaults,
		.attrs = dhcp_client_attrs,
		.lenient = "the DHCP client's own options (dhclient.conf)",
	},
	[CONFIG_MENU_IP_ADDRESS] = {
		.name = "/ip address",
		LIST(struct ip_address, addresses, n_addresses),
		.defaults = &address_defaults,
		.attrs = ip_address_attrs,
	},
	[CONFIG_MENU_IP_ROUTE] = {
		.name = "/ip route",
		LIST(struct route, routes, n_routes),
		.defaults = &route_defaults,
		.attrs = ip_route_attrs,
		.release = ip_route_release,
	},
	[CONFIG_MENU_IP_ROUTE_RULE] = {
		.name = "/ip route rule",
		LIST(struct routing_rule, route_rules, n_route_rules),
		.defaults = &rule_defaults,
		.attrs = route_rule_attrs,
	},
	[CONFIG_MENU_ROUTING_RULE] = {
		.name = "/routing rule",
		LIST(struct routing_rule, routing_rules, n_routing_rules),
		.defaults = &rule_defaults,
		.attrs = routing_rule_attrs,
	},
	[CONFIG_MENU_ADDRESS_LIST] = {
		.name = "/ip firewall address-list",
		LIST(struct address_list_entry, address_lists,
		     n_address_lists),
		.defaults = &address_list_defaults,
		.attrs = address_list_attrs,
	},
	[CONFIG_MENU_FIREWALL_NAT] = {
		.name = "/ip firewall nat",
		LIST(struct nat_rule, nat, n_nat),
		.defaults = &nat_defaults,
		.match = offsetof(struct nat_rule, match),
		.attrs = nat_rule_attrs,
	},
	[CONFIG_MENU_FIREWALL_MANGLE] = {
		.name = "/ip firewall mangle",
		LIST(struct mangle_rule, mangle, n_mangle),
		.defaults = &mangle_defaults,
		.match = offsetof(struct mangle_rule, match),
		.attrs = mangle_rule_attrs,
	},
	[CONFIG_MENU_TOOL_NETWATCH] = {
		.name = "/tool netwatch",
		LIST(struct netwatch, netwatches, n_netwatches),
		.defaults = &netwatch_defaults,
		.attrs = netwatch_attrs,
		.release = netwatch_release,
	},
};

/*
 * Attributes that change nothing on Linux, per menu: accepted with their
 * value checked, and not kept (docs/config.md lists them).
 */
static const struct {
	const char *menu;
	struct attr_def def;
} noop_attrs[] = {
	/* RouterOS may offload a route to switch chips; Linux forwards. */
	{ "/ip route",
	  { .key = "suppress-hw-offload", .read = attr_read_bool } },
	/* A link "running" without carrier detection: the driver's say. */
	{ "/interface ethernet",
	  { .key = "disable-running-check", .read = attr_read_bool } },
	/* A netwatch's label and its start-up pauses: ecmpd probes at once. */
	{ "/tool netwatch", { .key = "name", .read = attr_read_name } },
	{ "/tool netwatch", { .key = "start-delay", .read = attr_read_time } },
	{ "/tool netwatch",
	  { .key = "startup-delay", .read = attr_read_time } },
	/* An export's empty test-script="" (a script in it: a warning). */
	{ "/tool netwatch",
	  { .key = "test-script", .read = netwatch_read_test_script } },
};

const struct attr_def *menu_find_noop_attr(const struct menu *m,
					   const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(noop_attrs) / sizeof(noop_attrs[0]); i++)
		if (!strcmp(noop_attrs[i].menu, m->name) &&
		    !strcmp(noop_attrs[i].def.key, key))
			return &noop_attrs[i].def;
	return NULL;
}

const struct menu *menu_by_path(const char *path)
{
	size_t i;

	for (i = 0; i < CONFIG_MENUS; i++)
		if (!strcmp(config_menus[i].name + 1, path))
			return &config_menus[i];
	return NULL;
}

/* Is path a menu directory above some menu ecmpd reads ("ip firewall")? */
bool menu_is_dir(const char *path)
{
	size_t i, len = strlen(path);

	if (!len)
		return true;
	for (i = 0; i < CONFIG_MENUS; i++) {
		const char *name = config_menus[i].name + 1;

		if (!strncmp(name, path, len) && name[len] == ' ')
			return true;
	}
	return false;
}

const struct attr_def *menu_attr(const struct menu *m, size_t i, size_t *base)
{
	const struct attr_def *row;
	size_t n = 0;

	while (m->attrs[n].key || m->attrs[n].match)
		n++;
	*base = 0;
	if (i < n) {
		row = &m->attrs[i];
		if (!row->match)
			return row;
		*base = m->match;
		return &rule_match_attrs[row->match];
	}
	i -= n;
	/* Every entry starts with its entry_common. */
	if (m->settings || !entry_common_attrs[i].key)
		return NULL;
	return &entry_common_attrs[i];
}

const struct attr_def *menu_find_attr(const struct menu *m, const char *key,
				      size_t *base)
{
	const struct attr_def *def;
	size_t i;

	for (i = 0; (def = menu_attr(m, i, base)); i++)
		if (!strcmp(def->key, key))
			return def;
	return NULL;
}

void *menu_entry(const struct menu *m, const struct config *cfg, size_t i)
{
	char *base = (char *)cfg + m->at, *array;

	if (m->settings)
		return base;
	array = *(char **)base;
	return array ? array + i * m->size : NULL;
}

size_t menu_count(const struct menu *m, const struct config *cfg)
{
	if (m->settings)
		return 1;
	return *(const size_t *)((const char *)cfg + m->count);
}

void menu_release(const struct menu *m, void *entry)
{
	free(((struct entry_common *)entry)->comment);
	if (m->release)
		m->release(entry);
}
