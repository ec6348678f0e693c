// SPDX-License-Identifier: MIT
/*
 * interfaces.c - the attributes of the /interface menus ecmpd reads:
 * ethernet renames ("set [ find default-name=ether1 ] name=WAN1"), the
 * interface lists and their members, and the bridges, VLANs and bridge
 * ports the box is expected to have.
 *
 * ecmpd creates no interfaces. A rename only says which name later lines
 * use for a port (config_linux_name() follows it back to the default name
 * or a --map); a list is the set of Linux interfaces that in-interface-
 * list= and out-interface-list= match (an nft set, src/plan/ruleset.c).
 * The other attributes of an ethernet port (mtu, speed, advertise, ...)
 * are the box's link settings: the parser ignores them with one warning
 * each (menus.c, the menu's lenient text).
 *
 * A bridge, a VLAN or a bridge port is a device the box makes (ip link,
 * systemd-networkd): its name is an interface later lines may use, and
 * the daemon checks that Linux has it as written (syscheck.c).
 */
#include <errno.h>

#include "config/menus.h"

#define RENAME(f) offsetof(struct interface_rename, f)
#define IFLIST(f) offsetof(struct interface_list, f)
#define MEMBER(f) offsetof(struct interface_list_member, f)
#define BRIDGE(f) offsetof(struct interface_bridge, f)
#define VLAN(f) offsetof(struct interface_vlan, f)
#define PORT(f) offsetof(struct bridge_port, f)

/* vlan-id=: 802.1Q's 1..4094 (0 and 4095 are reserved). */
static int read_vlan_id(struct diag *d, const struct attr_def *def, void *value,
			const struct attr *a)
{
	unsigned int *id = value;
	const char *v = a->value;
	unsigned long n;

	if (!scan_uint(&v, 4094, &n) || *v || n == 0) {
		diag_error(d, a->value_loc,
			   "invalid vlan-id '%s': expected 1..4094 (0 and "
			   "4095 are reserved)",
			   a->value);
		return -EINVAL;
	}
	*id = (unsigned int)n;
	return 0;
}

const struct attr_def interface_rename_attrs[] = {
	{ "default-name", attr_read_name, attr_write_name,
	  .offset = RENAME(default_name), .loc = RENAME(default_name_loc),
	  .required = true },
	{ "name", attr_read_name, attr_write_name, .offset = RENAME(name),
	  .loc = RENAME(name_loc) },
	{ .key = NULL },
};

const struct attr_def interface_list_attrs[] = {
	{ "name", attr_read_name, attr_write_name, .offset = IFLIST(name),
	  .loc = IFLIST(name_loc), .required = true },
	{ .key = NULL },
};

const struct attr_def interface_list_member_attrs[] = {
	{ "interface", attr_read_name, attr_write_name,
	  .offset = MEMBER(interface), .loc = MEMBER(interface_loc),
	  .required = true },
	{ "list", attr_read_name, attr_write_name, .offset = MEMBER(list),
	  .loc = MEMBER(list_loc), .required = true },
	{ .key = NULL },
};

const struct attr_def interface_bridge_attrs[] = {
	{ "name", attr_read_name, attr_write_name, .offset = BRIDGE(name),
	  .loc = BRIDGE(name_loc), .required = true },
	{ .key = NULL },
};

const struct attr_def interface_vlan_attrs[] = {
	{ "name", attr_read_name, attr_write_name, .offset = VLAN(name),
	  .loc = VLAN(name_loc), .required = true },
	{ "vlan-id", read_vlan_id, attr_write_uint, .offset = VLAN(vlan_id),
	  .loc = VLAN(vlan_id_loc), .required = true },
	{ "interface", attr_read_name, attr_write_name,
	  .offset = VLAN(interface), .loc = VLAN(interface_loc),
	  .required = true },
	{ .key = NULL },
};

const struct attr_def bridge_port_attrs[] = {
	{ "bridge", attr_read_name, attr_write_name, .offset = PORT(bridge),
	  .loc = PORT(bridge_loc), .required = true },
	{ "interface", attr_read_name, attr_write_name,
	  .offset = PORT(interface), .loc = PORT(interface_loc),
	  .required = true },
	{ .key = NULL },
};
