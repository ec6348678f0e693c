/* SPDX-License-Identifier: MIT */
/*
 * netlink.h - ecmpd's routes, rules and addresses through rtnetlink, and
 * the link monitor. Each sync makes the kernel's state in ecmpd's tables
 * and rule priorities equal to a plan, writing only what differs.
 */
#ifndef ECMPD_NETLINK_H
#define ECMPD_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "plan/plan.h"

struct netlink;

/* A NETLINK_ROUTE socket with extended acks on; NULL with errno. */
struct netlink *netlink_open(void);

/* Closes the socket; NULL is a no-op. */
void netlink_close(struct netlink *nl);

/*
 * The number of kernel writes (requests that change state) made through
 * nl since it was opened, successful or not. A sync with nothing to change
 * leaves it unchanged.
 */
unsigned long netlink_writes(const struct netlink *nl);

/*
 * Makes the IPv4 routes of every table ecmpd owns
 * ([PLAN_TABLE_MAIN, PLAN_TABLE_MARK_BASE + PLAN_ID_MAX]) equal to the
 * plan: replaces each desired route that is missing or different in one
 * request (so a multipath route changes atomically) and deletes every
 * other route in those tables. Interface names are resolved at call time;
 * a nexthop whose interface is missing or not up is left out with a
 * warning, and a route left without nexthops is skipped with a warning.
 * Returns 0 or the first -errno (the remaining routes are still applied).
 */
int netlink_sync_routes(struct netlink *nl, const struct plan *p)
	__attribute__((warn_unused_result));

/*
 * Makes the IPv4 rules with priority in [PLAN_PRIO_FIRST, PLAN_PRIO_LAST]
 * equal to the plan: adds the missing ones first, then deletes the extra
 * or different ones, so no packet sees a gap. Returns 0 or the first -errno.
 */
int netlink_sync_rules(struct netlink *nl, const struct plan *p)
	__attribute__((warn_unused_result));

/*
 * Adds each plan address missing on its interface (addresses the plan
 * doesn't name are never touched; a missing interface is a warning).
 * *added receives a malloc'd array, owned by the caller, of exactly the
 * addresses this call added (NULL when none), *n_added its length, even
 * when an error is returned. Returns 0 or the first -errno.
 */
int netlink_add_addresses(struct netlink *nl, const struct plan *p,
			  struct plan_address **added, size_t *n_added)
	__attribute__((warn_unused_result));

/*
 * Deletes the given addresses; ones already gone (or whose interface is
 * gone) are not an error. Returns 0 or the first -errno.
 */
int netlink_del_addresses(struct netlink *nl, const struct plan_address *a,
			  size_t n);

/*
 * Deletes every IPv4 route in ecmpd's tables and every IPv4 rule in its
 * priority range. Returns 0 or the first -errno.
 */
int netlink_remove_all(struct netlink *nl);

/*
 * Reads the uplink ids a previous run left in the kernel: for each rule at
 * PLAN_PRIO_PIN_BASE + id with fwmark id << PLAN_PIN_SHIFT looking up
 * PLAN_TABLE_UPLINK_BASE + id, the default route in that table gives the
 * interface name and gateway (an id without such a route is skipped).
 * Fills ids->uplinks (malloc'd, sorted by id, NULL when none; only id,
 * interface, has_gateway and gateway set) and ids->n_uplinks; their old
 * values are not freed, and the other fields of ids are left alone.
 * Returns 0 or -errno.
 */
int netlink_read_uplink_ids(struct netlink *nl, struct plan_ids *ids)
	__attribute__((warn_unused_result));

/*
 * *exists: there is a link named ifname; *up: it has IFF_UP and
 * IFF_LOWER_UP (carrier). Returns 0 or -errno (a missing link is not an
 * error).
 */
int netlink_link_state(struct netlink *nl, const char *ifname, bool *exists,
		       bool *up) __attribute__((warn_unused_result));

struct link_event {
	char ifname[LINUX_IFNAME_MAX];
	int ifindex;
	bool exists; /* false for RTM_DELLINK */
	bool up; /* IFF_UP && IFF_LOWER_UP */
};

struct link_monitor;

/*
 * A non-blocking socket subscribed to RTMGRP_LINK, RTMGRP_IPV4_IFADDR,
 * RTMGRP_IPV4_ROUTE and RTMGRP_IPV4_RULE, with a large receive buffer.
 * NULL with errno.
 */
struct link_monitor *link_monitor_open(void);

/* NULL is a no-op. */
void link_monitor_close(struct link_monitor *m);

/* The descriptor to poll for input. */
int link_monitor_fd(const struct link_monitor *m);

/*
 * Drains what is pending. Link events go to ev in arrival order, at most
 * max; once ev is full, a further event replaces the last one stored for
 * the same interface (the latest state wins), and one for an interface not
 * stored sets *overrun. *changed is set when any route, address or rule
 * message was seen (the kernel deletes routes silently on link down, so
 * the caller may re-sync); *overrun is set on ENOBUFS (the caller must
 * re-read everything). Neither flag is cleared. Returns the number of
 * events stored or -errno.
 */
int link_monitor_read(struct link_monitor *m, struct link_event *ev, size_t max,
		      bool *changed, bool *overrun);

/*
 * What the kernel said about the last write it refused on this handle
 * ("replacing route ...: Nexthop has invalid gateway (EINVAL)"), or "".
 */
const char *netlink_last_error(const struct netlink *nl);

struct nlmsghdr;
struct mnl_socket;

/*
 * Sends nlh (its nlmsg_seq set by the caller; NLM_F_REQUEST and NLM_F_ACK
 * are added) on sock and waits for its ack, reading into buf[0..len).
 * Returns 0 or the kernel's -errno; a refusal is logged as "what: kernel
 * text (ERRNO)" and written to errtext, except quiet_err, which is only
 * returned. Shared by the rtnetlink and ctnetlink edges.
 */
int netlink_transact(struct mnl_socket *sock, void *buf, size_t len,
		     struct nlmsghdr *nlh, const char *what, int quiet_err,
		     char *errtext, size_t errlen)
	__attribute__((warn_unused_result));

/*
 * The kernel's extended ack text (NLMSGERR_ATTR_MSG) of an NLMSG_ERROR
 * message, or NULL when it has none. The text lives in the message.
 */
const char *netlink_extack(const struct nlmsghdr *nlh);

#endif
