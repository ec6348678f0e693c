// SPDX-License-Identifier: MIT
/*
 * link.c - the link table of the moment, through one RTM_GETLINK dump.
 *
 * Routes and addresses name interfaces; the kernel wants indexes. Each
 * sync reads the table afresh and resolves names against it, because the
 * kernel deletes routes through a device silently when it goes down
 * (kernel-facts 6) and a re-created device gets a new index: the caller
 * re-syncs on link events, and each sync starts from what is there now.
 */
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/link.h"

/* IFLA_LINKINFO: the device's kind, and a VLAN's id. */
static void link_info_parse(const struct nlattr *info, struct kernel_link *k)
{
	const struct nlattr *attr, *data;

	mnl_attr_for_each_nested(attr, info) {
		if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(k->kind, sizeof(k->kind), "%s",
				 mnl_attr_get_str(attr));
	}
	mnl_attr_for_each_nested(attr, info) {
		if (mnl_attr_get_type(attr) != IFLA_INFO_DATA ||
		    strcmp(k->kind, "vlan"))
			continue;
		mnl_attr_for_each_nested(data, attr) {
			if (mnl_attr_get_type(data) == IFLA_VLAN_ID &&
			    mnl_attr_validate(data, MNL_TYPE_U16) == 0)
				k->vlan_id = mnl_attr_get_u16(data);
		}
	}
}

static int link_parse(const struct nlmsghdr *nlh, void *record, void *arg)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct kernel_link *k = record;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return 0;
	k->ifindex = ifi->ifi_index;
	k->flags = ifi->ifi_flags;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(attr)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(k->name, sizeof(k->name), "%s",
					 mnl_attr_get_str(attr));
			break;
		case IFLA_LINK:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				k->parent = (int)mnl_attr_get_u32(attr);
			break;
		case IFLA_MASTER:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				k->master = (int)mnl_attr_get_u32(attr);
			break;
		case IFLA_LINKINFO:
			if (mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
				link_info_parse(attr, k);
			break;
		}
	}
	return 1;
}

int link_table_read(struct netlink *nl, struct link_table *t,
		    struct kernel_error *why)
{
	t->records.size = sizeof(struct kernel_link);
	return netlink_dump_records(nl, RTM_GETLINK, sizeof(struct ifinfomsg),
				    AF_UNSPEC, link_parse, NULL, &t->records,
				    "links", why);
}

void link_table_free(struct link_table *t)
{
	netlink_records_free(&t->records);
}

const struct kernel_link *link_by_name(const struct link_table *t,
				       const char *name)
{
	const struct kernel_link *v = t->records.v;

	for (size_t i = 0; i < t->records.n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

const char *link_name(const struct link_table *t, int ifindex)
{
	const struct kernel_link *v = t->records.v;

	for (size_t i = 0; i < t->records.n; i++)
		if (v[i].ifindex == ifindex)
			return v[i].name;
	return "?";
}

bool link_is_up(const struct kernel_link *k)
{
	return (k->flags & IFF_UP) && (k->flags & IFF_LOWER_UP);
}

int link_state(struct netlink *nl, const char *ifname, bool *exists, bool *up)
{
	struct link_table t = { 0 };
	const struct kernel_link *k;
	int err;

	*exists = false;
	*up = false;
	err = link_table_read(nl, &t, NULL);
	if (!err && (k = link_by_name(&t, ifname))) {
		*exists = true;
		*up = link_is_up(k);
	}
	link_table_free(&t);
	return err;
}
