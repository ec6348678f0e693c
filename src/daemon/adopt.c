// SPDX-License-Identifier: MIT
/*
 * adopt.c - reading back the uplink numbering of a previous run.
 */
#include "daemon/adopt.h"
#include "kernel/netlink.h"

int adopt_uplink_ids(struct netlink *nl, struct plan_ids *ids)
{
	return netlink_read_uplink_ids(nl, ids);
}
