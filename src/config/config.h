/* SPDX-License-Identifier: MIT */
/*
 * config.h - the RouterOS configuration model ecmpd understands.
 *
 * A config is built by the parser from .rsc text, checked by
 * config_validate(), and printed back by config_print() in one canonical
 * form. It never touches the kernel. Addresses are IPv4 in host byte order.
 * Interface names are the names written in the script; config_linux_name()
 * maps them to the Linux names given with --map (the one place where a
 * config's names can differ from the box's).
 */
#ifndef ECMPD_CONFIG_H
#define ECMPD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/diag.h"

#define CONFIG_NAME_MAX 64
#define LINUX_IFNAME_MAX 16 /* IFNAMSIZ, with the terminating NUL */

/* An address match: a prefix (a.b.c.d/len) or a range (a.b.c.d-e.f.g.h). */
struct addr_match {
	bool set;
	bool negate; /* written with a leading '!' */
	bool is_range;
	uint32_t lo; /* the prefix's network address, or the range's start */
	uint32_t hi; /* the range's end (is_range only) */
	uint8_t len; /* prefix length (prefix only) */
	struct loc loc;
};

/* A port list such as "80,443,8000-8080". */
#define PORT_SPANS_MAX 16
struct port_match {
	bool set;
	size_t n;
	struct {
		uint16_t lo, hi;
	} spans[PORT_SPANS_MAX];
	struct loc loc;
};

/* Common to every entry made with "add": RouterOS's disabled= and comment=. */
struct entry_common {
	struct loc loc; /* of the "add" (or "set") command */
	bool disabled;
	char *comment; /* NULL when none; owned by the config */
};

/* /ip address */
struct ip_address {
	struct entry_common c;
	uint32_t addr;
	uint8_t len;
	struct loc addr_loc;
	bool has_network;
	uint32_t network;
	struct loc network_loc;
	bool has_broadcast;
	uint32_t broadcast;
	struct loc broadcast_loc;
	char interface[CONFIG_NAME_MAX];
	struct loc interface_loc;
};

enum check_gateway {
	CHECK_NONE = 0,
	CHECK_PING,
	CHECK_ARP,
};

/*
 * One element of a route's gateway list: "10.111.0.1", "10.111.0.1%wlan1"
 * or "wlan1". A gateway written n times in the list has weight n; the
 * parser keeps the list as written (for the canonical printer) and
 * route_gateways() folds it into distinct gateways with weights.
 */
struct gateway {
	bool has_addr;
	uint32_t addr;
	char interface[CONFIG_NAME_MAX]; /* "" when not given */
	struct loc loc;
};

/* /ip route */
struct route {
	struct entry_common c;
	uint32_t dst; /* default 0.0.0.0/0 */
	uint8_t dst_len;
	struct loc dst_loc;
	struct gateway *gateways; /* as written, repeats included */
	size_t n_gateways;
	struct loc gateway_loc;
	bool blackhole; /* type=blackhole, no gateway */
	enum check_gateway check_gateway;
	struct loc check_gateway_loc;
	unsigned distance; /* 1..255, default 1 */
	struct loc distance_loc;
	/*
	 * The routing table: "" means main. Written as routing-mark= (v6)
	 * or routing-table= (v7); table_v7 says which, for the printer.
	 */
	char table[CONFIG_NAME_MAX];
	bool table_v7;
	struct loc table_loc;
	/* RouterOS's scopes; route_scope(), route_target_scope() */
	bool has_scope, has_target_scope;
	unsigned scope, target_scope; /* 0..255 */
	bool has_pref_src; /* pref-src=: the source of locally sent packets */
	uint32_t pref_src;
	struct loc pref_src_loc;
};

/* ---- policy rules: /ip route rule (v6), /routing rule (v7) ---- */

enum rule_action {
	RULE_LOOKUP = 0, /* look up table; on a miss, go on to the next rule */
	RULE_LOOKUP_ONLY, /* lookup-only-in-table: on a miss, drop */
	RULE_DROP,
	RULE_UNREACHABLE,
};

/* One policy rule; rules act in the order written (docs/config.md). */
struct routing_rule {
	struct entry_common c;
	bool has_src, has_dst;
	uint32_t src, dst;
	uint8_t src_len, dst_len;
	struct loc src_loc, dst_loc;
	char routing_mark[CONFIG_NAME_MAX]; /* "" when not tested */
	struct loc routing_mark_loc;
	char interface[CONFIG_NAME_MAX]; /* the incoming interface, or "" */
	struct loc interface_loc;
	enum rule_action action; /* default lookup */
	struct loc action_loc;
	char table[CONFIG_NAME_MAX]; /* "" when not given */
	struct loc table_loc;
	bool has_min_prefix; /* v7: suppress routes of this length or less */
	unsigned min_prefix;
	struct loc min_prefix_loc;
};

/* /routing table (v7) */
struct routing_table {
	struct entry_common c;
	char name[CONFIG_NAME_MAX];
	struct loc name_loc;
	bool fib;
};

enum hash_policy {
	HASH_L3 = 0, /* source and destination address: RouterOS's default */
	HASH_L4, /* plus protocol and ports */
};

/* /ip settings */
struct ip_settings {
	enum hash_policy hash_policy;
	struct loc hash_policy_loc; /* line 0 when left at the default */
};

/*
 * Probe settings: ecmpd's extension, written in /routing settings as
 * check-gateway-interval, check-gateway-timeout, check-gateway-down-count
 * and check-gateway-up-count. Times are milliseconds.
 */
struct probe_settings {
	unsigned interval_ms; /* default 100 */
	unsigned timeout_ms; /* default 300 */
	unsigned down_count; /* default 5 consecutive losses */
	unsigned up_count; /* default 5 consecutive replies */
};

/* connection-state= flags */
enum conn_state {
	CONN_NEW = 1 << 0,
	CONN_ESTABLISHED = 1 << 1,
	CONN_RELATED = 1 << 2,
	CONN_INVALID = 1 << 3,
	CONN_UNTRACKED = 1 << 4,
};

/* dst-address-type= */
enum addr_type {
	ADDR_TYPE_NONE = 0,
	ADDR_TYPE_UNICAST,
	ADDR_TYPE_LOCAL,
	ADDR_TYPE_BROADCAST,
	ADDR_TYPE_MULTICAST,
	ADDR_TYPE_BLACKHOLE,
	ADDR_TYPE_UNREACHABLE,
	ADDR_TYPE_PROHIBIT,
};

/* per-connection-classifier= fields */
enum pcc_fields {
	PCC_NONE = 0,
	PCC_SRC_ADDRESS,
	PCC_DST_ADDRESS,
	PCC_BOTH_ADDRESSES,
	PCC_BOTH_PORTS,
	PCC_BOTH_ADDRESSES_AND_PORTS,
	PCC_SRC_ADDRESS_AND_PORT,
	PCC_DST_ADDRESS_AND_PORT,
};

/*
 * A name to match, "wlan1" or "!wlan1": an interface, a connection mark or
 * a routing mark. name is "" when the rule does not test it.
 */
struct name_match {
	char name[CONFIG_NAME_MAX];
	bool negate;
	struct loc loc;
};

/* protocol=: 0 means any; otherwise an IP protocol number (tcp 6, udp 17). */
struct protocol_match {
	uint8_t number;
	struct loc loc;
};

/* connection-state=: a set of enum conn_state bits, 0 = any. */
struct state_match {
	unsigned states;
	bool negate;
	struct loc loc;
};

/* dst-address-type= */
struct addr_type_match {
	enum addr_type type; /* ADDR_TYPE_NONE = any */
	bool negate;
	struct loc loc;
};

/* per-connection-classifier=FIELDS:DENOMINATOR/REMAINDER */
struct pcc_match {
	enum pcc_fields fields; /* PCC_NONE = not tested */
	unsigned denominator, remainder;
	struct loc loc;
};

/*
 * What a firewall rule tests, the same for every firewall menu (each menu
 * accepts the attributes that RouterOS offers there; an attribute a menu
 * does not take stays at "any"). Everything at zero matches every packet.
 */
struct rule_match {
	struct name_match in_interface, out_interface;
	struct addr_match src_address, dst_address;
	/* src-address-list=, dst-address-list=: /ip firewall address-list */
	struct name_match src_address_list, dst_address_list;
	/* in-interface-list=, out-interface-list=: /interface list */
	struct name_match in_interface_list, out_interface_list;
	struct addr_type_match dst_address_type;
	struct protocol_match protocol;
	struct port_match dst_port;
	struct state_match connection_state;
	struct name_match connection_mark; /* "no-mark": no mark at all */
	struct name_match routing_mark;
	struct pcc_match pcc;
};

/*
 * /interface ethernet "set [ find default-name=ether1 ] name=WAN1": the
 * port RouterOS calls ether1 is WAN1 in the lines that follow. The Linux
 * interface is --map's for WAN1, else --map's for ether1, else ether1.
 */
struct interface_rename {
	struct entry_common c;
	char default_name[CONFIG_NAME_MAX];
	struct loc default_name_loc;
	char name[CONFIG_NAME_MAX]; /* "" when the set changes no name */
	struct loc name_loc;
};

/*
 * /interface bridge, /interface vlan and /interface bridge port: devices
 * the box makes (ip link, systemd-networkd). ecmpd creates none of them;
 * the daemon checks that Linux has them as written (config_check_links).
 */
struct interface_bridge {
	struct entry_common c;
	char name[CONFIG_NAME_MAX];
	struct loc name_loc;
};

struct interface_vlan {
	struct entry_common c;
	char name[CONFIG_NAME_MAX];
	struct loc name_loc;
	unsigned int vlan_id; /* 1..4094 */
	struct loc vlan_id_loc;
	char interface[CONFIG_NAME_MAX]; /* the parent */
	struct loc interface_loc;
};

struct bridge_port {
	struct entry_common c;
	char bridge[CONFIG_NAME_MAX];
	struct loc bridge_loc;
	char interface[CONFIG_NAME_MAX];
	struct loc interface_loc;
};

/* /interface list */
struct interface_list {
	struct entry_common c;
	char name[CONFIG_NAME_MAX];
	struct loc name_loc;
};

/* /interface list member: an interface (or another list) in a list. */
struct interface_list_member {
	struct entry_common c;
	char list[CONFIG_NAME_MAX];
	struct loc list_loc;
	char interface[CONFIG_NAME_MAX];
	struct loc interface_loc;
};

/* add-default-route= of /ip dhcp-client. */
enum dhcp_default_route {
	DHCP_ROUTE_YES = 0, /* RouterOS's default */
	DHCP_ROUTE_NO,
	DHCP_ROUTE_SPECIAL_CLASSLESS,
};

/*
 * /ip dhcp-client: the interface's address (and, with add-default-route,
 * a default route via the lease's gateway) comes from DHCP (clients.c).
 */
struct dhcp_client {
	struct entry_common c;
	char interface[CONFIG_NAME_MAX];
	struct loc interface_loc;
	enum dhcp_default_route add_default_route;
	unsigned default_route_distance; /* 1 */
	struct loc default_route_distance_loc;
	bool use_peer_dns; /* yes */
	char default_route_tables[CONFIG_NAME_MAX]; /* v7; "" = main */
	struct loc default_route_tables_loc;
};

/*
 * /interface pppoe-client: a PPP interface name over ethernet interface
 * interface, its addresses from the PPPoE server (clients.c).
 */
struct pppoe_client {
	struct entry_common c;
	char name[CONFIG_NAME_MAX]; /* pppoe-out1 */
	struct loc name_loc;
	char interface[CONFIG_NAME_MAX];
	struct loc interface_loc;
	char user[CONFIG_NAME_MAX];
	char password[CONFIG_NAME_MAX];
	bool add_default_route; /* no */
	unsigned default_route_distance; /* 1 */
	struct loc default_route_distance_loc;
	bool use_peer_dns; /* no */
};

/* /ip firewall address-list: one address (prefix or range) of a list. */
struct address_list_entry {
	struct entry_common c;
	char list[CONFIG_NAME_MAX];
	struct loc list_loc;
	struct addr_match address; /* never negated */
};

enum nat_chain {
	NAT_SRCNAT,
	NAT_DSTNAT,
};

enum nat_action {
	NAT_MASQUERADE,
	NAT_SRC_NAT,
	NAT_DST_NAT,
	NAT_ACCEPT,
};

/* /ip firewall nat */
struct nat_rule {
	struct entry_common c;
	enum nat_chain chain;
	enum nat_action action;
	struct loc action_loc;
	struct rule_match match;
	bool has_to_addresses;
	uint32_t to_addr_lo, to_addr_hi; /* equal for one address */
	struct loc to_addresses_loc;
	bool has_to_ports;
	uint16_t to_port_lo, to_port_hi;
	struct loc to_ports_loc;
};

enum mangle_chain {
	MANGLE_PREROUTING,
	MANGLE_INPUT,
	MANGLE_FORWARD,
	MANGLE_OUTPUT,
	MANGLE_POSTROUTING,
};
#define MANGLE_CHAINS 5

enum mangle_action {
	MANGLE_MARK_CONNECTION,
	MANGLE_MARK_ROUTING,
	MANGLE_ACCEPT,
};

/* /ip firewall mangle */
struct mangle_rule {
	struct entry_common c;
	enum mangle_chain chain;
	struct loc chain_loc;
	enum mangle_action action;
	struct loc action_loc;
	bool passthrough; /* default yes */
	struct rule_match match;
	char new_connection_mark[CONFIG_NAME_MAX];
	struct loc new_connection_mark_loc;
	char new_routing_mark[CONFIG_NAME_MAX];
	struct loc new_routing_mark_loc;
};

/* /tool netwatch type= (RouterOS v7; v6 has only simple). */
enum netwatch_type {
	NETWATCH_SIMPLE = 0, /* one ping per interval: RouterOS's default */
	NETWATCH_ICMP, /* packet-count pings per interval, thresholds */
	NETWATCH_TCP_CONN,
	NETWATCH_HTTP_GET,
	NETWATCH_HTTPS_GET,
	NETWATCH_DNS,
};

/*
 * One statement of an up-script or down-script that ecmpd understands:
 * "/ip route set [find comment=X] disabled=yes|no", "/ip route
 * disable|enable [find comment=X]" (netwatch.c). The routes with comment
 * X follow the netwatch's state (config_route_enabled()).
 */
struct netwatch_action {
	char *comment; /* owned */
	bool disable; /* disables the routes (else enables them) */
	struct loc loc; /* of the statement */
};

/* An up-script= or down-script=: the statements ecmpd keeps. */
struct netwatch_script {
	struct netwatch_action *actions; /* owned */
	size_t n;
};

/*
 * /tool netwatch: a host probed through the uplink it is routed through
 * (or the one src-address belongs to). Times are milliseconds; a given
 * flag is set when the script writes the attribute. Percentages are in
 * tenths (thr-loss-percent=12.5% is 125).
 */
struct netwatch {
	struct entry_common c;
	uint32_t host;
	struct loc host_loc;
	enum netwatch_type type;
	struct loc type_loc;
	unsigned interval_ms; /* default 10s */
	struct loc interval_loc;
	unsigned timeout_ms; /* default 3s (v7; v6 says 1s) */
	struct loc timeout_loc;
	bool has_port;
	unsigned port;
	struct loc port_loc;
	bool has_src_address;
	uint32_t src_address;
	struct loc src_address_loc;
	/* type=icmp: pings per test and the thresholds of a test */
	bool has_packet_count, has_packet_interval;
	unsigned packet_count; /* default 10 */
	unsigned packet_interval_ms; /* default 50ms */
	struct loc packet_count_loc, packet_interval_loc;
	bool has_thr_rtt_max, has_thr_rtt_avg, has_thr_rtt_jitter;
	unsigned thr_rtt_max_ms, thr_rtt_avg_ms, thr_rtt_jitter_ms;
	struct loc thr_rtt_max_loc, thr_rtt_avg_loc, thr_rtt_jitter_loc;
	bool has_thr_loss_percent, has_thr_loss_count;
	unsigned thr_loss_permille; /* tenths of a percent */
	unsigned thr_loss_count;
	struct loc thr_loss_percent_loc, thr_loss_count_loc;
	struct netwatch_script up, down;
	struct loc up_loc, down_loc;
};

/* The defaults RouterOS v7 documents for a netwatch (docs/config.md). */
#define NETWATCH_INTERVAL_MS 10000
#define NETWATCH_TIMEOUT_MS 3000
#define NETWATCH_PACKET_COUNT 10
#define NETWATCH_PACKET_INTERVAL_MS 50
#define NETWATCH_THR_RTT_MAX_MS 1000
#define NETWATCH_THR_RTT_AVG_MS 100
#define NETWATCH_THR_RTT_JITTER_MS 1000
#define NETWATCH_THR_LOSS_PERMILLE 850
#define NETWATCH_TCP_PORT 80 /* type=tcp-conn without port= */

/* --map RSC=LINUX: a script's interface name and the box's name for it. */
struct interface_map {
	char rsc[CONFIG_NAME_MAX];
	char linux_name[LINUX_IFNAME_MAX];
};

/*
 * The menus ecmpd reads, in the order the canonical printer writes them.
 * List menus hold entries made with "add"; settings menus (/ip settings,
 * /routing settings) one object changed with "set".
 */
enum config_menu {
	CONFIG_MENU_INTERFACE_BRIDGE,
	CONFIG_MENU_INTERFACE_ETHERNET,
	CONFIG_MENU_INTERFACE_VLAN,
	CONFIG_MENU_INTERFACE_LIST,
	CONFIG_MENU_INTERFACE_LIST_MEMBER,
	CONFIG_MENU_BRIDGE_PORT,
	CONFIG_MENU_PPPOE_CLIENT,
	CONFIG_MENU_ROUTING_TABLE,
	CONFIG_MENU_IP_SETTINGS,
	CONFIG_MENU_ROUTING_SETTINGS,
	CONFIG_MENU_DHCP_CLIENT,
	CONFIG_MENU_IP_ADDRESS,
	CONFIG_MENU_IP_ROUTE,
	CONFIG_MENU_IP_ROUTE_RULE, /* policy rules, v6 */
	CONFIG_MENU_ROUTING_RULE, /* policy rules, v7 */
	CONFIG_MENU_ADDRESS_LIST,
	CONFIG_MENU_FIREWALL_NAT,
	CONFIG_MENU_FIREWALL_MANGLE,
	CONFIG_MENU_TOOL_NETWATCH,
	CONFIG_MENUS
};

/* What one logical line of the file became (ecmpd -n --explain). */
enum line_fate {
	LINE_MENU, /* a menu line or a brace: selects where lines go */
	LINE_ENTRY, /* an entry of a menu ecmpd reads: menu and index */
	LINE_SETTINGS, /* a "set" of a settings menu: menu */
	LINE_SKIPPED, /* in a menu ecmpd skips: path names it */
	LINE_SCRIPT, /* a scripting command, skipped */
	LINE_OUTSIDE, /* a command outside any menu, skipped */
	LINE_ERROR, /* reported as an error; nothing kept */
};

struct config_line {
	int line, end_line; /* the physical lines it spans */
	enum line_fate fate;
	enum config_menu menu; /* LINE_ENTRY, LINE_SETTINGS */
	size_t index; /* LINE_ENTRY: the entry in its menu */
	char *path; /* LINE_SKIPPED: the menu, "ip dns"; owned */
};

struct config {
	char *file; /* the source's name, for diagnostics; owned */
	bool slash_paths; /* menu paths written /ip/route: RouterOS v7 */

	struct interface_bridge *bridges;
	size_t n_bridges;
	struct interface_rename *renames;
	size_t n_renames;
	struct interface_vlan *vlans;
	size_t n_vlans;
	struct bridge_port *bridge_ports;
	size_t n_bridge_ports;
	struct interface_list *iflists;
	size_t n_iflists;
	struct interface_list_member *iflist_members;
	size_t n_iflist_members;
	struct pppoe_client *pppoe_clients;
	size_t n_pppoe_clients;
	struct dhcp_client *dhcp_clients;
	size_t n_dhcp_clients;
	struct ip_address *addresses;
	size_t n_addresses;
	struct route *routes;
	size_t n_routes;
	struct routing_table *tables;
	size_t n_tables;
	struct address_list_entry *address_lists;
	size_t n_address_lists;
	struct nat_rule *nat;
	size_t n_nat;
	struct mangle_rule *mangle;
	size_t n_mangle;
	/* policy rules, each menu in its order (rules.c) */
	struct routing_rule *route_rules; /* /ip route rule */
	size_t n_route_rules;
	struct routing_rule *routing_rules; /* /routing rule */
	size_t n_routing_rules;
	struct netwatch *netwatches; /* /tool netwatch */
	size_t n_netwatches;

	struct ip_settings ip_settings;
	struct probe_settings probe; /* /routing settings */
	struct loc probe_loc; /* line 0 when left at the defaults */

	struct interface_map *maps;
	size_t n_maps;

	struct config_line *lines; /* every logical line, in file order */
	size_t n_lines;
};

/* A distinct gateway of a route with its weight (how often it was written). */
struct weighted_gateway {
	struct gateway gw;
	unsigned weight;
};

/* Allocates an empty config with the defaults; NULL with errno on failure. */
struct config *config_new(const char *file);

/* Frees a config and everything it owns; NULL is a no-op. */
void config_free(struct config *cfg);

/*
 * Adds an interface mapping (from --map wlan1=eth1). Returns 0 or -EINVAL
 * for a malformed or too long spec, -ENOMEM.
 */
int config_add_map(struct config *cfg, const char *spec)
	__attribute__((warn_unused_result));

/*
 * The Linux name for a script interface name: its --map, else for a port
 * renamed in /interface ethernet the --map of its default name or the
 * default name, else the name itself.
 */
const char *config_linux_name(const struct config *cfg, const char *rsc_name);

/* Was the script interface name mapped with --map? */
bool config_interface_mapped(const struct config *cfg, const char *rsc_name);

/*
 * Folds a route's gateway list into distinct gateways with weights, in
 * order of first appearance. Returns the count written to out (at most
 * max).
 */
size_t route_gateways(const struct route *r, struct weighted_gateway *out,
		      size_t max);

/*
 * Semantic checks. Reports every problem through diag (errors and
 * warnings, each with its place). Returns the number of errors.
 */
int config_validate(const struct config *cfg, struct diag *diag);

/*
 * The checks of config_validate() that look at one entry at a time (ranges,
 * consistency within the entry), for a model that lost entries to syntax
 * errors: references between entries would only report follow-on errors.
 * Returns the number of errors.
 */
int config_validate_entries(const struct config *cfg, struct diag *diag);

/*
 * Prints the config in canonical form: one menu header per section in a
 * fixed order, one "add" per entry with attributes in a fixed order and
 * defaults left out. The output parses back to an equal model.
 */
void config_print(const struct config *cfg, FILE *out);

/*
 * Prints the attributes of entry index of a list menu (of the settings
 * object, for a settings menu; index is then 0) as config_print() writes
 * them after "add " (or "set "), without a newline, leaving out every key
 * named in skip (a NULL-terminated list such as { "chain", "action",
 * "disabled", "comment", NULL }; skip may be NULL). Prints nothing for an
 * index out of range.
 */
void config_print_entry(FILE *out, const struct config *cfg,
			enum config_menu menu, size_t index,
			const char *const *skip);

/*
 * The config's fingerprint (hash.c): 64-bit FNV-1a of config_print()'s
 * text, as CONFIG_HASH_LEN lowercase hex digits. Equal configs give equal
 * hashes on any machine; the two routers of a pair compare them. Returns 0,
 * or -1 with errno when memory runs out.
 */
#define CONFIG_HASH_LEN 16
int config_hash(const struct config *cfg, char out[CONFIG_HASH_LEN + 1])
	__attribute__((warn_unused_result));
/* The hash of len bytes of text, the number config_hash() prints. */
uint64_t config_hash_text(const char *text, size_t len);

/* The menu's path as the canonical printer writes it: "/ip firewall nat". */
const char *config_menu_name(enum config_menu menu);

/* How many entries a list menu holds (1 for a settings menu). */
size_t config_menu_size(const struct config *cfg, enum config_menu menu);

/*
 * The disabled= and comment= of entry index of a list menu; NULL for a
 * settings menu or an index out of range.
 */
const struct entry_common *config_entry(const struct config *cfg,
					enum config_menu menu, size_t index);

/*
 * The rule_match of entry index of menu, for a firewall menu (one that
 * tests packets); NULL for any other menu or index.
 */
const struct rule_match *config_rule_match(const struct config *cfg,
					   enum config_menu menu, size_t index);

/*
 * Does member m of an /interface list name another list (whose members
 * it adds), rather than an interface? A name that is also an interface
 * (a renamed port, one with an /ip address) or m's own list is an
 * interface.
 */
bool config_member_is_list(const struct config *cfg,
			   const struct interface_list_member *m);

/* A link as Linux has it, for config_check_links(). */
struct system_link {
	char name[LINUX_IFNAME_MAX];
	char kind[16]; /* IFLA_INFO_KIND: "vlan", "bridge"; "" for none */
	unsigned int vlan_id; /* a VLAN's id */
	char parent[LINUX_IFNAME_MAX]; /* a VLAN's parent; "" for none */
	char master[LINUX_IFNAME_MAX]; /* a port's bridge; "" for none */
};

/*
 * The checks of the bridges, VLANs and bridge ports within the config
 * (syscheck.c), for validate.c: a port's bridge is declared, no two
 * devices share a name.
 */
void config_check_devices(const struct config *cfg, struct diag *d);

/*
 * Checks the devices the config expects (renamed ports, bridges, VLANs
 * with their id and parent, bridge ports) against the links Linux has:
 * a warning at the line for each that is missing or differs.
 */
void config_check_links(const struct config *cfg,
			const struct system_link *links, size_t n,
			struct diag *d);

/*
 * Is the config written for RouterOS v7 (menu paths with slashes, a
 * /routing table or /routing rule, or a route with routing-table=)? Decides the v7 semantics: routes
 * of equal distance to one destination form one ECMP route.
 */
bool config_is_v7(const struct config *cfg);

/* Is name the main routing table ("" in the model, or "main")? */
bool config_is_main_table(const char *name);

/*
 * Is there an enabled entry in list menu menu whose name at offset field
 * (a char[CONFIG_NAME_MAX] in the entry, such as offsetof(struct
 * ip_address, interface)) is name?
 */
/*
 * Whether an enabled DHCP client (its interface) or PPPoE client (its
 * name) gives interface name its address at run time (clients.c).
 */
bool config_client_provides(const struct config *cfg, const char *name);

/* The checks of /ip dhcp-client and /interface pppoe-client (clients.c). */
struct diag;
void config_check_clients(const struct config *cfg, struct diag *d);

bool config_has_named(const struct config *cfg, enum config_menu menu,
		      size_t field, const char *name);

/*
 * Is name a routing table that needs no declaration (main) or one an
 * enabled /routing table entry declares?
 */
bool config_table_declared(const struct config *cfg, const char *name);

/* Is name the connection mark that means "no mark at all" ("no-mark")? */
bool config_is_no_mark(const char *name);

/*
 * The RouterOS spelling of the model's enumerations, shared by the parser
 * and the printer so the two cannot disagree. Each table ends with a
 * { NULL, 0 } entry. (Added by the config compiler; additive only.)
 */
struct config_name {
	const char *name;
	int value;
};

extern const struct config_name config_check_gateway_names[];
extern const struct config_name config_hash_policy_names[];
extern const struct config_name config_dhcp_default_route_names[];
extern const struct config_name config_nat_chain_names[];
extern const struct config_name config_nat_action_names[];
extern const struct config_name config_mangle_chain_names[];
extern const struct config_name config_mangle_action_names[];
extern const struct config_name config_conn_state_names[]; /* bit values */
extern const struct config_name config_addr_type_names[];
extern const struct config_name config_pcc_names[];
extern const struct config_name config_protocol_names[]; /* IP numbers */
extern const struct config_name config_rule_action_names[];
extern const struct config_name config_netwatch_type_names[];

/* The name for value in table t, or NULL when it has none. */
const char *config_name_of(const struct config_name *t, int value);

/* Looks name up in table t; true and *value set when found. */
bool config_value_of(const struct config_name *t, const char *name, int *value);

/* ---- recursive gateways (resolve.c; docs/config.md "Recursive gateways") ---- */

#define ROUTE_SCOPE_DEFAULT 30 /* RouterOS: a static route's scope */
#define ROUTE_TARGET_SCOPE_DEFAULT 10 /* RouterOS: a static route's */
#define RESOLVE_DEPTH_MAX 8 /* routes followed to resolve one gateway */

/* A route's scope and target-scope, RouterOS's defaults when not given. */
unsigned route_scope(const struct route *r);
unsigned route_target_scope(const struct route *r);

/*
 * The interface of the enabled /ip address whose network contains addr
 * (the longest prefix), or NULL: addr is on no connected network.
 */
const char *config_connected_interface(const struct config *cfg, uint32_t addr);

/*
 * Is gw an address to resolve recursively: one without %interface that is
 * on no connected network?
 */
bool gateway_is_recursive(const struct config *cfg, const struct gateway *gw);

/*
 * May route r resolve a gateway address addr of a route with target-scope
 * scope: r is enabled, in the main table, not a blackhole, its destination
 * contains addr and its scope is at most scope?
 */
bool route_resolves(const struct route *r, uint32_t addr, unsigned scope);

/*
 * Can gateway address addr of route r be reached at all: through a chain
 * of at most RESOLVE_DEPTH_MAX routes that may resolve it, ending on a
 * connected network or an interface? Whether one is in force at a given
 * moment is the planner's question.
 */
bool config_gateway_reachable(const struct config *cfg, const struct route *r,
			      uint32_t addr);

/* ---- netwatch (netwatch.c; docs/config.md "/tool netwatch") ---- */

/*
 * Is route r in force, given the state of each netwatch (down[i] for
 * cfg->netwatches[i]; down NULL: every netwatch up)? A route whose
 * comment enabled netwatches' scripts name follows them: with n of
 * them (several targets for one uplink), the route is in the state the
 * scripts give it for "down" while more than n/2 are down (a quorum: one
 * dead target of three changes nothing), else in the "up" state,
 * whatever its own disabled= says (an export records the state of the
 * moment). Any other route: its disabled=.
 */
bool config_route_enabled(const struct config *cfg, const struct route *r,
			  const bool *down);

/* How many enabled netwatches name comment in their scripts. */
unsigned config_route_netwatches(const struct config *cfg, const char *comment);

/* Does an enabled netwatch's script name route r's comment? */
bool config_route_follows_netwatch(const struct config *cfg,
				   const struct route *r);

/* Disabled entries are kept in the model; everything else skips them. */
static inline bool entry_enabled(const struct entry_common *c)
{
	return !c->disabled;
}

#endif
