// SPDX-License-Identifier: MIT
/*
 * clients.c - /ip dhcp-client and /interface pppoe-client: the WANs whose
 * address (and gateway) a DHCP or PPPoE client gets at run time.
 *
 * The menus are read and checked (two clients on one interface, a DHCP
 * client on an interface with a static address, distances). The daemon
 * starts a dhclient per DHCP client (src/daemon/clients.c; none with
 * --dhcp=external) and places the config's gateways on the address it
 * sets (docs/design.md "Uplinks with dynamic addresses"); pppd is not
 * started yet. One warning per client says what runs it, and that the
 * default route a client would add is not planned.
 */
#include <string.h>

#include "config/config.h"
#include "config/diag.h"
#include "config/menus.h"

/* What use-peer-dns=yes becomes: the resolver's business, for now. */
#define PEER_DNS                                                        \
	"; use-peer-dns: the client hands the servers to the resolver " \
	"(resolvconf), and ecmpd plans no host routes for them yet"

#define DHCP(f) offsetof(struct dhcp_client, f)
#define PPPOE(f) offsetof(struct pppoe_client, f)

const struct attr_def dhcp_client_attrs[] = {
	{ "interface", attr_read_name, attr_write_name,
	  .offset = DHCP(interface), .loc = DHCP(interface_loc),
	  .required = true },
	{ "add-default-route", attr_read_enum, attr_write_enum,
	  .offset = DHCP(add_default_route),
	  .names = config_dhcp_default_route_names },
	{ "default-route-distance", attr_read_uint, attr_write_uint,
	  .offset = DHCP(default_route_distance),
	  .loc = DHCP(default_route_distance_loc) },
	{ "default-route-tables", attr_read_name, attr_write_name,
	  .offset = DHCP(default_route_tables),
	  .loc = DHCP(default_route_tables_loc) },
	{ "use-peer-dns", attr_read_bool, attr_write_bool,
	  .offset = DHCP(use_peer_dns) },
	{ .key = NULL },
};

const struct attr_def pppoe_client_attrs[] = {
	{ "name", attr_read_name, attr_write_name, .offset = PPPOE(name),
	  .loc = PPPOE(name_loc) },
	{ "interface", attr_read_name, attr_write_name,
	  .offset = PPPOE(interface), .loc = PPPOE(interface_loc),
	  .required = true },
	{ "user", attr_read_name, attr_write_name, .offset = PPPOE(user) },
	{ "password", attr_read_name, attr_write_name,
	  .offset = PPPOE(password) },
	{ "add-default-route", attr_read_bool, attr_write_bool,
	  .offset = PPPOE(add_default_route) },
	{ "default-route-distance", attr_read_uint, attr_write_uint,
	  .offset = PPPOE(default_route_distance),
	  .loc = PPPOE(default_route_distance_loc) },
	{ "use-peer-dns", attr_read_bool, attr_write_bool,
	  .offset = PPPOE(use_peer_dns) },
	{ .key = NULL },
};

bool config_client_provides(const struct config *cfg, const char *name)
{
	return config_has_named(cfg, CONFIG_MENU_DHCP_CLIENT,
				offsetof(struct dhcp_client, interface),
				name) ||
	       config_has_named(cfg, CONFIG_MENU_PPPOE_CLIENT,
				offsetof(struct pppoe_client, name), name);
}

static void check_distance(struct diag *d, unsigned distance, struct loc loc)
{
	if (distance > 255)
		diag_error(d, loc,
			   "default-route-distance %u is out of range 0..255",
			   distance);
}

static void check_dhcp(const struct config *cfg, struct diag *d, size_t i)
{
	const struct dhcp_client *c = &cfg->dhcp_clients[i];

	check_distance(d, c->default_route_distance,
		       c->default_route_distance_loc);
	if (!entry_enabled(&c->c))
		return;
	for (size_t j = 0; j < i; j++) {
		const struct dhcp_client *o = &cfg->dhcp_clients[j];

		if (entry_enabled(&o->c) && !strcmp(o->interface, c->interface))
			diag_error(d, c->interface_loc,
				   "interface %s has a DHCP client already "
				   "(line %d)",
				   c->interface, o->c.loc.line);
	}
	for (size_t j = 0; j < cfg->n_addresses; j++) {
		const struct ip_address *a = &cfg->addresses[j];

		if (entry_enabled(&a->c) && !strcmp(a->interface, c->interface))
			diag_error(d, c->interface_loc,
				   "interface %s has a static address (line "
				   "%d) and a DHCP client: give it one or the "
				   "other",
				   c->interface, a->c.loc.line);
	}
	diag_warning(d, c->interface_loc,
		     "ecmpd runs dhclient on %s (its hook sets the address "
		     "and adds no default route), restarts it when it exits "
		     "and stops it on exit; with --dhcp=external it starts "
		     "none and follows the box's own client; ecmpd places "
		     "the gateways of /ip route on the address it sets%s%s",
		     c->interface,
		     c->add_default_route != DHCP_ROUTE_NO ?
			     "; the lease's default route "
			     "(add-default-route) is not planned: write it "
			     "as /ip route add gateway=GATEWAY" :
			     "",
		     c->use_peer_dns ? PEER_DNS : "");
}

static void check_pppoe(const struct config *cfg, struct diag *d, size_t i)
{
	const struct pppoe_client *c = &cfg->pppoe_clients[i];

	check_distance(d, c->default_route_distance,
		       c->default_route_distance_loc);
	if (!entry_enabled(&c->c))
		return;
	for (size_t j = 0; j < i; j++) {
		const struct pppoe_client *o = &cfg->pppoe_clients[j];

		if (entry_enabled(&o->c) && !strcmp(o->name, c->name))
			diag_error(d, c->name_loc.line ? c->name_loc : c->c.loc,
				   "PPPoE client %s is defined already (line "
				   "%d)",
				   c->name, o->c.loc.line);
	}
	diag_warning(d, c->interface_loc,
		     "ecmpd does not start pppd yet: run pppd with its PPPoE "
		     "plugin on %s as interface %s (its secrets in a root-only "
		     "file); ecmpd routes over the link it brings up%s%s",
		     c->interface, c->name,
		     c->add_default_route ?
			     "; its default route (add-default-route) is not "
			     "planned: write it as /ip route add "
			     "gateway=INTERFACE distance=N" :
			     "",
		     c->use_peer_dns ? PEER_DNS : "");
}

void config_check_clients(const struct config *cfg, struct diag *d)
{
	for (size_t i = 0; i < cfg->n_dhcp_clients; i++)
		check_dhcp(cfg, d, i);
	for (size_t i = 0; i < cfg->n_pppoe_clients; i++)
		check_pppoe(cfg, d, i);
}
