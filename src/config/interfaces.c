// SPDX-License-Identifier: MIT
/*
 * interfaces.c - the attributes of the /interface menus ecmpd reads:
 * ethernet renames ("set [ find default-name=ether1 ] name=WAN1"), the
 * interface lists and their members.
 *
 * ecmpd creates no interfaces. A rename only says which name later lines
 * use for a port (config_linux_name() follows it back to the default name
 * or a --map); a list is the set of Linux interfaces that in-interface-
 * list= and out-interface-list= match (an nft set, src/plan/ruleset.c).
 * The other attributes of an ethernet port (mtu, speed, advertise, ...)
 * are the box's link settings: the parser ignores them with one warning
 * each (menus.c, the menu's lenient text).
 */
#include "config/menus.h"

#define RENAME(f) offsetof(struct interface_rename, f)
#define IFLIST(f) offsetof(struct interface_list, f)
#define MEMBER(f) offsetof(struct interface_list_member, f)

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
