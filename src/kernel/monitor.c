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
#include <linux/filter.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/log.h"
#include "kernel/monitor.h"
#include "kernel/netlink.h"
#include "kernel/route.h"

struct link_monitor {
	struct netlink *nl;
	bool address_changed; /* an RTM_NEWADDR/DELADDR since last asked */
};

/* Where one drain stores what it reads. */
struct batch {
	struct link_event *ev;
	size_t n, max;
	bool *changed, *overrun, *address_changed;
};

/*
 * A route notification is one message per packet, its rtmsg right after
 * the header. Tables above 255 (all of ecmpd's) are reported with
 * rtm_table RT_TABLE_COMPAT and their number in RTA_TABLE; main, local
 * and the other small tables by number. So the kernel can drop, before
 * ecmpd ever wakes, every route message whose rtm_table is not
 * RT_TABLE_COMPAT: a full BGP feed churning in main costs ecmpd nothing.
 * What passes is checked against RTA_TABLE in event_cb. nlmsg_type is in
 * host order; every RTM_* value fits in its low byte.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TYPE_LOW_BYTE offsetof(struct nlmsghdr, nlmsg_type)
#else
#define TYPE_LOW_BYTE (offsetof(struct nlmsghdr, nlmsg_type) + 1)
#endif
#define RTM_TABLE_AT (NLMSG_HDRLEN + offsetof(struct rtmsg, rtm_table))

static int attach_route_filter(int fd)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, TYPE_LOW_BYTE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTM_NEWROUTE, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTM_DELROUTE, 0, 2),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, RTM_TABLE_AT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RT_TABLE_COMPAT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff), /* keep */
		BPF_STMT(BPF_RET | BPF_K, 0), /* drop */
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog));
}

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
	/* Only a cost: without it event_cb filters the same messages. */
	if (attach_route_filter(netlink_fd(m->nl)) < 0)
		log_warn("link monitor: no kernel filter for route messages "
			 "(%s); filtering them here",
			 strerror(errno));
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

/* Whether a route message concerns one of ecmpd's tables. */
static bool route_event_owned(const struct nlmsghdr *nlh)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	uint32_t table;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return true; /* cannot tell: re-sync to be safe */
	table = rtm->rtm_table;
	mnl_attr_for_each(attr, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(attr) == RTA_TABLE)
			netlink_attr_u32(attr, &table);
	}
	return route_table_owned(table);
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
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		if (route_event_owned(nlh))
			*b->changed = true;
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		*b->address_changed = true;
		*b->changed = true;
		break;
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
	struct batch b = { ev, 0, max, changed, overrun, &m->address_changed };
	int err;

	err = netlink_drain(m->nl, event_cb, &b, overrun);
	return err ? err : (int)b.n;
}

bool link_monitor_address_changed(struct link_monitor *m)
{
	bool changed = m->address_changed;

	m->address_changed = false;
	return changed;
}
