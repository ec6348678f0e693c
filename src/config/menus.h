/* SPDX-License-Identifier: MIT */
/*
 * menus.h - the menus ecmpd reads, as one table of descriptors, and the
 * attributes of each, as tables of rows. Private to src/config: the parser
 * reads commands through it, the canonical printer writes entries through
 * it, and config.c allocates and frees entries through it.
 *
 * A menu is one row of config_menus[] (indexed by enum config_menu): its
 * path, list or settings, where its entries (or its settings object) live
 * in struct config, what a new entry holds, and its attributes in the
 * order the printer writes them. The attributes of the rule matcher are
 * defined once, in rule_match_attrs[] (match.c); a firewall menu lists the
 * ones it takes, at their place in its order, as MATCH_ATTR(ID) rows.
 *
 * menus.c holds the descriptors, routing.c the attributes of /ip address,
 * /ip route and /routing table, firewall.c those of the firewall menus.
 */
#ifndef ECMPD_MENUS_H
#define ECMPD_MENUS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/attr.h"
#include "config/config.h"

/* The attributes of struct rule_match; 0 is "not a matcher attribute". */
enum match_attr {
	MATCH_IN_INTERFACE = 1,
	MATCH_OUT_INTERFACE,
	MATCH_SRC_ADDRESS,
	MATCH_DST_ADDRESS,
	MATCH_SRC_ADDRESS_LIST,
	MATCH_DST_ADDRESS_LIST,
	MATCH_IN_INTERFACE_LIST,
	MATCH_OUT_INTERFACE_LIST,
	MATCH_DST_ADDRESS_TYPE,
	MATCH_PROTOCOL,
	MATCH_DST_PORT,
	MATCH_CONNECTION_STATE,
	MATCH_CONNECTION_MARK,
	MATCH_ROUTING_MARK,
	MATCH_PCC,
	MATCH_ATTRS
};

/* The matcher's attributes, indexed by enum match_attr (match.c). */
extern const struct attr_def rule_match_attrs[MATCH_ATTRS];

/* A row of a menu's attribute table that stands for a matcher attribute. */
// clang-format off
#define MATCH_ATTR(id) { .match = MATCH_##id }
// clang-format on

/* The attribute tables of the larger menus (routing.c, firewall.c). */
extern const struct attr_def ip_address_attrs[];
extern const struct attr_def ip_route_attrs[];
extern const struct attr_def routing_table_attrs[];
extern const struct attr_def address_list_attrs[];
extern const struct attr_def interface_rename_attrs[];
extern const struct attr_def interface_list_attrs[];
extern const struct attr_def interface_bridge_attrs[];
extern const struct attr_def interface_vlan_attrs[];
extern const struct attr_def bridge_port_attrs[];
extern const struct attr_def interface_list_member_attrs[];
extern const struct attr_def dhcp_client_attrs[]; /* clients.c */
extern const struct attr_def pppoe_client_attrs[]; /* clients.c */
extern const struct attr_def route_rule_attrs[]; /* rules.c, v6 */
extern const struct attr_def routing_rule_attrs[]; /* rules.c, v7 */

/* At most this many enabled policy rules (ip rule priorities, plan.h). */
#define CONFIG_RULES_MAX 99

/*
 * The checks of the policy rules (rules.c), for validate.c: v7 when the
 * config uses RouterOS v7 spelling, cross when references to other
 * entries may be checked.
 */
void config_check_rules(const struct config *cfg, struct diag *d, bool v7,
			bool cross);
extern const struct attr_def nat_rule_attrs[];
extern const struct attr_def mangle_rule_attrs[];
extern const struct attr_def netwatch_attrs[]; /* netwatch.c */

/* test-script=: empty, or a script ecmpd skips with a warning. */
attr_reader netwatch_read_test_script;

/* Frees what a netwatch entry owns (its scripts). */
void netwatch_release(void *entry);

/* The checks of /tool netwatch (netwatch.c), for validate.c. */
void config_check_netwatch(const struct config *cfg, struct diag *d,
			   bool cross);

/* Frees a route's gateway list. */
void ip_route_release(void *entry);

/* A menu ecmpd reads. */
struct menu {
	const char *name; /* "/ip firewall nat"; see menu_by_path() */
	bool settings; /* takes "set" of one object, not "add" of entries */
	/*
	 * List menus: the entry array (a T * in struct config), its count
	 * (a size_t) and the size of an entry. Settings menus: the object
	 * in struct config and its size.
	 */
	size_t at, count, size;
	const void *defaults; /* a new entry, or a new config's settings */
	size_t set_loc; /* settings: where "set" records its place, or 0 */
	size_t match; /* list: offset of the entry's rule_match, or 0 */
	const struct attr_def *attrs; /* in printing order; ends at NULL key */
	/*
	 * List menus whose entries are written "set [ find default-name=X ]
	 * ..." (/interface ethernet): the parser turns that into an entry
	 * with default-name=X, the printer writes it back so. Attributes not
	 * in attrs are ignored with one warning each, naming what on Linux
	 * sets them (lenient).
	 */
	bool find_set;
	const char *lenient;
	void (*release)(void *entry); /* frees what an entry owns; or NULL */
};

extern const struct menu config_menus[CONFIG_MENUS];

/*
 * The menu at path, the words of a menu line joined by single blanks, as
 * the parser reads every RouterOS spelling: "/ip/firewall/nat",
 * "/ ip firewall nat" and "/ip firewall nat" are all "ip firewall nat".
 * NULL when ecmpd does not read that menu.
 */
const struct menu *menu_by_path(const char *path);

/*
 * Is path a directory above some menu ecmpd reads ("ip firewall", "ip";
 * "" is the root)? Lines there name submenus.
 */
bool menu_is_dir(const char *path);

/*
 * The i-th attribute of m in printing order: m's own rows, then for a list
 * menu disabled= and comment=; NULL past the last one. The row's offsets
 * count from *base bytes into an entry (or the settings object): 0, or
 * where the entry keeps its rule_match for a matcher attribute.
 */
const struct attr_def *menu_attr(const struct menu *m, size_t i, size_t *base);

/* The attribute of m called key, with its base as menu_attr(); or NULL. */
const struct attr_def *menu_find_attr(const struct menu *m, const char *key,
				      size_t *base);

/*
 * An attribute of m that changes nothing on Linux (suppress-hw-offload=
 * of /ip route: Linux has no route offload to suppress): the parser checks
 * its value's form with the row's reader and keeps nothing. NULL when key
 * is not one.
 */
const struct attr_def *menu_find_noop_attr(const struct menu *m,
					   const char *key);

/* Entry i of list menu m (i < count), or m's settings object. */
void *menu_entry(const struct menu *m, const struct config *cfg, size_t i);

/* How many entries list menu m holds in cfg; 1 for a settings menu. */
size_t menu_count(const struct menu *m, const struct config *cfg);

/* Frees what one entry of list menu m owns (not the entry itself). */
void menu_release(const struct menu *m, void *entry);

#endif
