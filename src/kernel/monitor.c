// SPDX-License-Identifier: MIT
/*
 * monitor.c - the link monitor, a subscribed rtnetlink socket.
 *
 * The caller reads a batch of events into a fixed array. A flapping link
 * can send more events than the array holds, and only each interface's
 * latest state matters: a full array coalesces by interface, and an event
 * that finds no slot sets the overrun flag, which tells the caller to
 * re-read every link it cares about, as a lost message (ENOBUFS) does.
 */
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/monitor.h"
#include "kernel/netlink.h"

struct link_monitor {
	struct netlink *nl;
};

/* Where one drain stores what it reads. */
struct batch {
	struct link_event *ev;
	size_t n, max;
	bool *changed, *overrun;
};

struct link_monitor *link_monitor_open(void)
{
	struct link_monitor *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->nl = netlink_open(NETLINK_ROUTE, RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
						    RTMGRP_IPV4_ROUTE |
						    RTMGRP_IPV4_RULE);
	if (!m->nl) {
		free(m);
		return NULL;
	}
	return m;
}

void link_monitor_close(struct link_monitor *m)
{
	if (!m)
		return;
	netlink_close(m->nl);
	free(m);
}

int link_monitor_fd(const struct link_monitor *m)
{
	return netlink_fd(m->nl);
}

static bool link_event_parse(const struct nlmsghdr *nlh, struct link_event *e)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return false;
	memset(e, 0, sizeof(*e));
	e->ifindex = ifi->ifi_index;
	e->exists = nlh->nlmsg_type == RTM_NEWLINK;
	e->up = e->exists && (ifi->ifi_flags & IFF_UP) &&
		(ifi->ifi_flags & IFF_LOWER_UP);
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(e->ifname, sizeof(e->ifname), "%s",
				 mnl_attr_get_str(attr));
	}
	return e->ifname[0] != '\0';
}

/* Stores e, or replaces the latest event stored for its interface. */
static void batch_store(struct batch *b, const struct link_event *e)
{
	size_t k;

	if (b->n < b->max) {
		b->ev[b->n++] = *e;
		return;
	}
	for (k = b->n; k > 0; k--)
		if (strcmp(b->ev[k - 1].ifname, e->ifname) == 0)
			break;
	if (k > 0)
		b->ev[k - 1] = *e;
	else
		*b->overrun = true;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct batch *b = data;
	struct link_event e;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (link_event_parse(nlh, &e))
			batch_store(b, &e);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
	case RTM_NEWRULE:
	case RTM_DELRULE:
		*b->changed = true;
		break;
	default:
		break;
	}
	return 0;
}

int link_monitor_read(struct link_monitor *m, struct link_event *ev, size_t max,
		      bool *changed, bool *overrun)
{
	struct batch b = { ev, 0, max, changed, overrun };
	int err;

	err = netlink_drain(m->nl, event_cb, &b, overrun);
	return err ? err : (int)b.n;
}
