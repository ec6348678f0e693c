// SPDX-License-Identifier: MIT
/*
 * syscheck.c - the devices a config expects the box to have: bridges,
 * VLANs, bridge ports and renamed ports.
 *
 * ecmpd creates no interfaces (docs/config.md, "Interfaces"). A config's
 * /interface bridge, /interface vlan and /interface bridge port lines say
 * what the box must have made (ip link, systemd-networkd). Two checks:
 *
 *   config_check_devices(): within the config, while validating: a
 *   port's bridge is declared, no two devices share a name;
 *   config_check_links(): against the links Linux has, when the daemon
 *   loads the config: each device exists, is of its kind, a VLAN has its
 *   id and parent, a port its bridge. A mismatch is a warning at the
 *   line (an error under --strict): the routes over such a device go
 *   nowhere, and the line is where the user fixes it.
 *
 * Pure: the daemon reads the links (src/kernel/link.c) and passes them.
 */
#include <string.h>

#include "config/config.h"
#include "config/diag.h"

void config_check_devices(const struct config *cfg, struct diag *d)
{
	size_t i, j;

	for (i = 0; i < cfg->n_bridge_ports; i++) {
		const struct bridge_port *p = &cfg->bridge_ports[i];

		if (!entry_enabled(&p->c))
			continue;
		if (!config_has_named(cfg, CONFIG_MENU_INTERFACE_BRIDGE,
				      offsetof(struct interface_bridge, name),
				      p->bridge))
			diag_error(d, p->bridge_loc,
				   "bridge %s is not declared in /interface "
				   "bridge",
				   p->bridge);
	}
	for (i = 0; i < cfg->n_vlans; i++) {
		const struct interface_vlan *v = &cfg->vlans[i];

		if (!entry_enabled(&v->c))
			continue;
		if (!strcmp(v->name, v->interface))
			diag_error(d, v->interface_loc,
				   "VLAN %s cannot be its own parent", v->name);
		if (config_has_named(cfg, CONFIG_MENU_INTERFACE_BRIDGE,
				     offsetof(struct interface_bridge, name),
				     v->name))
			diag_error(d, v->name_loc,
				   "VLAN %s has the name of a bridge", v->name);
		for (j = 0; j < i; j++) {
			const struct interface_vlan *w = &cfg->vlans[j];

			if (entry_enabled(&w->c) && !strcmp(w->name, v->name))
				diag_error(d, v->name_loc,
					   "VLAN %s is declared twice (line "
					   "%d)",
					   v->name, w->c.loc.line);
		}
	}
}

static const struct system_link *find_link(const struct system_link *links,
					   size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(links[i].name, name))
			return &links[i];
	return NULL;
}

/*
 * The Linux link for script name rsc, or a warning at loc that Linux lacks
 * it, saying how to make one (how; NULL for a port, which no command
 * makes).
 */
static const struct system_link *expect_link(const struct config *cfg,
					     const struct system_link *links,
					     size_t n, struct diag *d,
					     const char *rsc, struct loc loc,
					     const char *what, const char *how)
{
	const char *name = config_linux_name(cfg, rsc);
	const struct system_link *l = find_link(links, n, name);

	if (!l && how)
		diag_warning(d, loc,
			     "%s %s: Linux has no interface %s; ecmpd creates "
			     "none (make it with %s, or map it with --map "
			     "%s=NAME)",
			     what, rsc, name, how, rsc);
	else if (!l)
		diag_warning(d, loc,
			     "%s %s: Linux has no interface %s (map it with "
			     "--map %s=NAME)",
			     what, rsc, name, rsc);
	return l;
}

static void check_vlan(const struct config *cfg,
		       const struct system_link *links, size_t n,
		       struct diag *d, const struct interface_vlan *v)
{
	const char *parent = config_linux_name(cfg, v->interface);
	const struct system_link *l;

	l = expect_link(cfg, links, n, d, v->name, v->name_loc, "VLAN",
			"ip link add link PARENT name NAME type vlan id ID");
	if (!l)
		return;
	if (strcmp(l->kind, "vlan")) {
		diag_warning(d, v->name_loc,
			     "VLAN %s: Linux interface %s is %s%s, not a VLAN",
			     v->name, l->name, l->kind[0] ? "a " : "",
			     l->kind[0] ? l->kind : "a plain device");
		return;
	}
	if (l->vlan_id != v->vlan_id)
		diag_warning(d, v->vlan_id_loc,
			     "VLAN %s: Linux interface %s has VLAN id %u, not "
			     "%u",
			     v->name, l->name, l->vlan_id, v->vlan_id);
	if (strcmp(l->parent, parent))
		diag_warning(d, v->interface_loc,
			     "VLAN %s: Linux interface %s sits on %s, not on "
			     "%s",
			     v->name, l->name, l->parent[0] ? l->parent : "?",
			     parent);
}

void config_check_links(const struct config *cfg,
			const struct system_link *links, size_t n,
			struct diag *d)
{
	const struct system_link *l;
	size_t i;

	for (i = 0; i < cfg->n_renames; i++) {
		const struct interface_rename *r = &cfg->renames[i];

		if (entry_enabled(&r->c))
			expect_link(cfg, links, n, d, r->default_name,
				    r->default_name_loc, "port", NULL);
	}
	for (i = 0; i < cfg->n_bridges; i++) {
		const struct interface_bridge *b = &cfg->bridges[i];

		if (!entry_enabled(&b->c))
			continue;
		l = expect_link(cfg, links, n, d, b->name, b->name_loc,
				"bridge", "ip link add NAME type bridge");
		if (l && strcmp(l->kind, "bridge"))
			diag_warning(d, b->name_loc,
				     "bridge %s: Linux interface %s is %s%s, "
				     "not a bridge",
				     b->name, l->name, l->kind[0] ? "a " : "",
				     l->kind[0] ? l->kind : "a plain device");
	}
	for (i = 0; i < cfg->n_vlans; i++)
		if (entry_enabled(&cfg->vlans[i].c))
			check_vlan(cfg, links, n, d, &cfg->vlans[i]);
	for (i = 0; i < cfg->n_bridge_ports; i++) {
		const struct bridge_port *p = &cfg->bridge_ports[i];
		const char *bridge = config_linux_name(cfg, p->bridge);

		if (!entry_enabled(&p->c))
			continue;
		l = expect_link(cfg, links, n, d, p->interface,
				p->interface_loc, "bridge port", NULL);
		if (l && !l->master[0])
			diag_warning(d, p->interface_loc,
				     "bridge port %s: Linux interface %s is in "
				     "no bridge, not in %s",
				     p->interface, l->name, bridge);
		else if (l && strcmp(l->master, bridge))
			diag_warning(d, p->interface_loc,
				     "bridge port %s: Linux interface %s is a "
				     "port of %s, not of %s",
				     p->interface, l->name, l->master, bridge);
	}
}
