/* SPDX-License-Identifier: MIT */
/*
 * plan.h - the desired kernel state, computed from a config and the
 * current state of each gateway. Pure: no I/O, no root, no clock.
 *
 * The data path (docs/design.md):
 *   - every gateway named in an enabled route is an uplink, identified by
 *     (Linux interface, gateway address) and given a small id 1..255 that
 *     stays the same for the uplink's life (across reloads and restarts:
 *     the caller passes the previous ids in);
 *   - a connection is pinned to its uplink in the conntrack mark, field
 *     PLAN_PIN_MASK, value id << PLAN_PIN_SHIFT: in prerouting when it
 *     arrives on an uplink, in postrouting by the interface and nexthop it
 *     actually left through (so a more specific route wins the first
 *     packet, and the pin then records it);
 *   - prerouting (and the output route chain, except for packets that
 *     already carry a pin such as ecmpd's probes) copies the pin into the
 *     packet mark; ip rules send pinned packets to the uplink's own table;
 *   - new connections follow the kernel's multipath route in ecmpd's main
 *     table (the config's main-table routes, weights from repeated
 *     gateways, fib_multipath_hash_policy from the hash policy);
 *   - the config's connection marks live in the conntrack mark field
 *     PLAN_CONNMARK_MASK; its routing marks in the packet mark field
 *     PLAN_ROUTEMARK_MASK, each selecting its own table.
 */
#ifndef ECMPD_PLAN_H
#define ECMPD_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

#define PLAN_PIN_SHIFT 8
#define PLAN_PIN_MASK 0x0000ff00u
#define PLAN_CONNMARK_SHIFT 16
#define PLAN_CONNMARK_MASK 0x00ff0000u
#define PLAN_ROUTEMARK_SHIFT 24
#define PLAN_ROUTEMARK_MASK 0xff000000u
#define PLAN_ID_MAX 255

/* Routing tables ecmpd owns. */
#define PLAN_TABLE_MAIN 1000 /* the config's main-table routes */
#define PLAN_TABLE_UPLINK_BASE 1000 /* + uplink id: 1001..1255 */
#define PLAN_TABLE_MARK_BASE 2000 /* + routing mark id: 2001..2255 */

/*
 * ip rule priorities ecmpd owns: PLAN_PRIO_FIRST..PLAN_PRIO_LAST, in the
 * order RouterOS decides (docs/design.md "The data path"): the config's
 * policy rules (up to three ip rules each) in the order written, then its
 * routing marks, all before anything of ecmpd's own (an explicit mark-routing
 * wins over the pin), the kernel main table's connected networks before
 * the pins (replies to the LAN stay on the LAN, pinned or not), the pins
 * before ecmpd's main table.
 */
#define PLAN_PRIO_FIRST 10000
#define PLAN_PRIO_POLICY_BASE 10000 /* + 3 x rule index + 1..3 */
#define PLAN_PRIO_MARK_BASE 10300 /* + routing mark id */
#define PLAN_PRIO_SUPPRESS 10900 /* lookup main suppress_prefixlength 0 */
#define PLAN_PRIO_PIN_BASE 11000 /* + uplink id */
#define PLAN_PRIO_MAIN 13000 /* lookup PLAN_TABLE_MAIN */
#define PLAN_PRIO_LAST 13999

/* The route protocol number ecmpd stamps on its routes. */
#define PLAN_RTPROT 77

/* The nft table ecmpd owns. */
#define PLAN_NFT_FAMILY "ip"
#define PLAN_NFT_TABLE "ecmpd"

/* Where an uplink's interface gets its address (ecmpctl status). */
enum plan_source {
	PLAN_SOURCE_STATIC = 0, /* /ip address, or an interface gateway */
	PLAN_SOURCE_KERNEL, /* a kernel network (struct plan_connected) */
	PLAN_SOURCE_DHCP, /* the interface of a /ip dhcp-client */
	PLAN_SOURCE_PPPOE, /* the name of a /interface pppoe-client */
};

/* "static", "kernel", "dhcp", "pppoe". */
const char *plan_source_name(enum plan_source s);

/* One uplink: a gateway reached through an interface. */
struct plan_uplink {
	unsigned id; /* 1..PLAN_ID_MAX */
	char interface[LINUX_IFNAME_MAX];
	bool has_gateway; /* false for "gateway=wlan1" */
	uint32_t gateway;
	enum check_gateway check; /* strongest check any route asks for */
	bool alive; /* from the input */
	uint32_t mark; /* id << PLAN_PIN_SHIFT */
	uint32_t table; /* PLAN_TABLE_UPLINK_BASE + id */
	enum plan_source source;
};

/*
 * A recursive gateway through one uplink (docs/design.md "Recursive
 * gateways"): a gateway address on no connected network, checked with
 * ping, that a chain of main-table routes can resolve to uplink. The
 * uplink (its first hop) carries the packets; the target's health is its
 * own: the daemon pings target through the uplink (its pin in SO_MARK,
 * bound to its interface), and a route's nexthop through the uplink
 * counts only while the target answers.
 */
struct plan_target {
	uint32_t target; /* the route's gateway: the address probed */
	unsigned uplink; /* the id of the uplink it is reached through */
	char interface[LINUX_IFNAME_MAX]; /* the uplink's */
	bool has_gateway; /* the uplink's first hop */
	uint32_t gateway;
	enum check_gateway check; /* CHECK_PING */
	bool alive; /* from the input */
};

/*
 * A network the kernel has on an interface: a DHCP lease's subnet, a PPP
 * link's peer (/32). A gateway address on no connected network of the
 * config is placed on the interface of the longest such network holding
 * it, as RouterOS places gateways on its dynamic addresses (docs/design.md
 * "Uplinks with dynamic addresses"). The daemon reads them from the
 * kernel; --plan takes them from --address.
 */
struct plan_connected {
	char interface[LINUX_IFNAME_MAX]; /* a Linux name */
	uint32_t network; /* masked to len */
	uint8_t len;
};

struct plan_address {
	char interface[LINUX_IFNAME_MAX];
	uint32_t addr;
	uint8_t len;
	uint32_t broadcast;
};

enum plan_rule_action {
	PLAN_RULE_LOOKUP = 0, /* look up table */
	PLAN_RULE_BLACKHOLE, /* drop silently */
	PLAN_RULE_UNREACHABLE, /* drop with ICMP unreachable */
};

struct plan_rule {
	uint32_t priority;
	uint32_t fwmark, fwmask; /* fwmask 0: no fwmark match */
	uint32_t table; /* 254 = main; PLAN_RULE_LOOKUP only */
	int suppress_prefixlen; /* -1: none */
	/* The selectors and actions only the config's policy rules use: */
	uint32_t src, dst; /* with src_len, dst_len; a length 0 is any */
	uint8_t src_len, dst_len;
	char iif[LINUX_IFNAME_MAX]; /* the incoming interface; "" any */
	enum plan_rule_action action;
};

struct plan_nexthop {
	bool has_gateway;
	uint32_t gateway;
	char interface[LINUX_IFNAME_MAX];
	unsigned weight; /* 1..256 */
};

enum plan_route_type {
	PLAN_ROUTE_UNICAST,
	PLAN_ROUTE_UNREACHABLE, /* every route to this destination is down */
	PLAN_ROUTE_BLACKHOLE,
};

#define PLAN_NEXTHOPS_MAX 64
struct plan_route {
	uint32_t table;
	uint32_t dst;
	uint8_t dst_len;
	enum plan_route_type type;
	uint32_t src; /* the preferred source (pref-src=), 0: none */
	size_t n_nexthops; /* at most PLAN_NEXTHOPS_MAX */
	/* n_nexthops of them, in the plan's pool (struct plan's nexthops) */
	struct plan_nexthop *nexthops;
};

struct plan_sysctl {
	char key[96]; /* "net.ipv4.ip_forward", "net.ipv4.conf.wlan1.rp_filter" */
	char value[16];
};

/* A name from the config (connection mark or routing table) and its id. */
struct plan_name {
	char name[CONFIG_NAME_MAX];
	unsigned id; /* 1..PLAN_ID_MAX */
};

/*
 * Ids handed out so far. The planner keeps every id it is given for an
 * uplink or name that still exists and hands new ones the lowest free id,
 * so live connections keep meaning the same thing across reloads.
 */
struct plan_ids {
	struct plan_uplink *uplinks; /* only interface, gateway, id are read */
	size_t n_uplinks;
	struct plan_name *connmarks;
	size_t n_connmarks;
	struct plan_name *routemarks;
	size_t n_routemarks;
};

/* A gateway the caller considers dead. */
struct plan_dead {
	char interface[LINUX_IFNAME_MAX]; /* "" matches any interface */
	bool has_gateway;
	uint32_t gateway;
};

struct plan_input {
	const struct plan_ids *ids; /* NULL: none handed out yet */
	const struct plan_dead *dead;
	size_t n_dead;
	/*
	 * Optional: asked once per uplink, with its id, interface, gateway
	 * and check set, whether it may carry traffic (false: dead). The
	 * daemon answers from its health records and link states, so one
	 * plan_build() serves a start or a reload. NULL: every uplink the
	 * dead list does not name is alive.
	 */
	bool (*usable)(void *ctx, const struct plan_uplink *u);
	/*
	 * Optional, the same for each recursive gateway (target), asked
	 * after every uplink. NULL: every target the dead list does not
	 * name (by its address as gateway) is alive.
	 */
	bool (*target_usable)(void *ctx, const struct plan_target *t);
	void *ctx;
	/*
	 * Optional: netwatch_down[i] says cfg->netwatches[i] is down; the
	 * routes its scripts name follow it (config_route_enabled()).
	 * NULL: every netwatch up.
	 */
	const bool *netwatch_down;
	/* The kernel's networks (any order, duplicates allowed); NULL: none. */
	const struct plan_connected *connected;
	size_t n_connected;
};

struct plan {
	struct plan_uplink *uplinks; /* sorted by id */
	size_t n_uplinks;
	struct plan_target *targets; /* sorted by uplink id, target */
	size_t n_targets;
	/* the input's connected networks, plan_connected_normalize()d */
	struct plan_connected *connected;
	size_t n_connected;
	struct plan_address *addresses;
	size_t n_addresses;
	struct plan_rule *rules; /* sorted by priority */
	size_t n_rules;
	struct plan_route *routes; /* sorted by table, dst, dst_len */
	size_t n_routes;
	struct plan_nexthop *nexthops; /* every route's, one allocation */
	size_t n_nexthops;
	struct plan_sysctl *sysctls; /* sorted by key */
	size_t n_sysctls;
	/* every table ecmpd owns in this plan, sorted */
	uint32_t *tables;
	size_t n_tables;
	/* the ids this plan uses; pass them to the next plan_build() */
	struct plan_ids ids;
	/*
	 * The complete nft table, "table ip ecmpd { ... }", text that
	 * `nft -f` accepts. Atomic replacement is the fw module's business.
	 */
	char *ruleset;
};

/*
 * Computes the desired kernel state for a validated config. Returns a new
 * plan or NULL with errno (ENOMEM; ENOSPC when ids run out).
 */
struct plan *plan_build(const struct config *cfg, const struct plan_input *in);

void plan_free(struct plan *p);

/* Frees what a plan_ids owns (not the struct itself). */
void plan_ids_clear(struct plan_ids *ids);

/*
 * Deep-copies src into dst (dst's old contents are not freed).
 * Returns 0 or -ENOMEM.
 */
int plan_ids_copy(struct plan_ids *dst, const struct plan_ids *src)
	__attribute__((warn_unused_result));

/*
 * Prints the plan deterministically: sysctls as "sysctl key=value", then
 * "address add ...", "rule add ...", "route add ..." lines in the syntax
 * of ip(8) (so `ip -batch` accepts the non-sysctl lines), then the nft
 * ruleset.
 */
void plan_print(const struct plan *p, FILE *out);

/*
 * The id a plan gave connection mark name (the mark's value is id <<
 * PLAN_CONNMARK_SHIFT); 0 for "no-mark" and names the plan does not use.
 */
unsigned plan_connmark_id(const struct plan_ids *ids, const char *name);

/*
 * The id a plan gave routing mark (table) name (mark id <<
 * PLAN_ROUTEMARK_SHIFT, table PLAN_TABLE_MARK_BASE + id); 0 for the main
 * table and names the plan does not use.
 */
unsigned plan_routemark_id(const struct plan_ids *ids, const char *name);

/*
 * Masks each network to its length, sorts v by (interface, network, len)
 * and drops duplicates and lengths above 32. Returns the new count.
 */
size_t plan_connected_normalize(struct plan_connected *v, size_t n);

/* Whether two normalized lists are the same. */
bool plan_connected_equal(const struct plan_connected *a, size_t na,
			  const struct plan_connected *b, size_t nb);

/*
 * The interface of the longest network in v (normalized or not) holding
 * addr; NULL when none does.
 */
const char *plan_connected_interface(const struct plan_connected *v, size_t n,
				     uint32_t addr);

/* Finds the uplink for (interface, gateway); NULL when none. */
const struct plan_uplink *plan_find_uplink(const struct plan *p,
					   const char *interface,
					   bool has_gateway, uint32_t gateway);

/*
 * The uplink netwatch nw probes its host through in plan p (plan's
 * netwatch.c): the one owning its src-address's interface, else the first
 * nexthop of the most specific route to the host in ecmpd's main table.
 * NULL: none (a connected host, or no route in force).
 */
const struct plan_uplink *plan_netwatch_uplink(const struct config *cfg,
					       const struct plan *p,
					       const struct netwatch *nw);

#endif
