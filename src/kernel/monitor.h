/* SPDX-License-Identifier: MIT */
/*
 * monitor.h - the link monitor: link events as they happen, and a flag
 * for route, address and rule changes (the kernel deletes routes silently
 * on link down, so the caller may want to re-sync).
 */
#ifndef ECMPD_MONITOR_H
#define ECMPD_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/link.h"

struct link_event {
	char ifname[LINK_NAME_MAX];
	int ifindex;
	bool exists; /* false for RTM_DELLINK */
	bool up; /* IFF_UP && IFF_LOWER_UP */
};

struct link_monitor;

/*
 * A socket subscribed to RTMGRP_LINK, RTMGRP_IPV4_IFADDR,
 * RTMGRP_IPV4_ROUTE and RTMGRP_IPV4_RULE, with a large receive buffer.
 * NULL with errno.
 */
struct link_monitor *link_monitor_open(void);

/* NULL is a no-op. */
void link_monitor_close(struct link_monitor *m);

/* The descriptor to poll for input. */
int link_monitor_fd(const struct link_monitor *m);

/*
 * Drains what is pending without blocking. Link events go to ev in
 * arrival order, at most max; once ev is full, a further event replaces
 * the last one stored for the same interface (the latest state wins), and
 * one for an interface not stored sets *overrun. *changed is set when any
 * route, address or rule message was seen; *overrun is set on ENOBUFS
 * (the caller must re-read everything). Neither flag is cleared. Returns
 * the number of events stored or -errno.
 */
int link_monitor_read(struct link_monitor *m, struct link_event *ev, size_t max,
		      bool *changed, bool *overrun);

/*
 * Whether an address came or went since the last call (clears it; any
 * overrun counts as one): the planner's input changed (docs/design.md
 * "Uplinks with dynamic addresses"), so the caller replans at once, before
 * a probe leaves an interface that lost its address.
 */
bool link_monitor_address_changed(struct link_monitor *m);

#endif
