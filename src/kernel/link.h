/* SPDX-License-Identifier: MIT */
/*
 * link.h - network interfaces as rtnetlink reports them: one dump gives
 * every link's index, name and flags. Names are resolved to indexes at
 * each use, never cached: an interface can be deleted and re-created with
 * a new index.
 */
#ifndef ECMPD_LINK_H
#define ECMPD_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/netlink.h"

struct kernel_error;

/* IFNAMSIZ: an interface name with its terminating NUL. */
#define LINK_NAME_MAX 16

struct kernel_link {
	int ifindex;
	unsigned int flags; /* IFF_* */
	char name[LINK_NAME_MAX];
	char kind[16]; /* IFLA_INFO_KIND ("vlan", "bridge"), "" for none */
	unsigned int vlan_id; /* a VLAN's IFLA_VLAN_ID */
	int parent; /* IFLA_LINK: a VLAN's parent, 0 for none */
	int master; /* IFLA_MASTER: a port's bridge, 0 for none */
};

/* Every link of the moment; records.v is an array of struct
 * kernel_link. */
struct link_table {
	struct netlink_records records;
};

/*
 * Reads every link into t (emptied first; a zeroed t is ready to use).
 * Returns 0 or -errno (logged, and kept in why).
 */
int link_table_read(struct netlink *nl, struct link_table *t,
		    struct kernel_error *why)
	__attribute__((warn_unused_result));

/* Frees what t holds. */
void link_table_free(struct link_table *t);

/* The link named name, or NULL. */
const struct kernel_link *link_by_name(const struct link_table *t,
				       const char *name);

/* The name of the link with index ifindex, or "?" when there is none. */
const char *link_name(const struct link_table *t, int ifindex);

/* Whether the link has IFF_UP and IFF_LOWER_UP (carrier). */
bool link_is_up(const struct kernel_link *k);

/*
 * *exists: there is a link named ifname; *up: it is up with carrier.
 * Returns 0 or -errno (a missing link is not an error).
 */
int link_state(struct netlink *nl, const char *ifname, bool *exists, bool *up)
	__attribute__((warn_unused_result));

#endif
