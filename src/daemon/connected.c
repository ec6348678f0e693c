// SPDX-License-Identifier: MIT
/*
 * connected.c - the kernel's networks as the daemon's plan input: read at
 * every plan, so an address a DHCP or PPPoE client adds or removes (an
 * RTM_NEWADDR/RTM_DELADDR, which schedules a replan) places or unplaces
 * the gateways it holds (docs/design.md "Uplinks with dynamic addresses").
 */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "daemon/connected.h"
#include "kernel/address.h"
#include "kernel/error.h"
#include "plan/plan.h"

struct plan_connected *connected_now(struct netlink *nl,
				     const struct plan *prev, size_t *n)
{
	struct plan_connected *v = NULL;
	struct kernel_error why;
	int err = address_connected(nl, &v, n, &why);
	size_t k = prev ? prev->n_connected : 0;

	if (!err)
		return v;
	free(v);
	log_warn("reading the kernel's addresses: %s; planning with the "
		 "last ones read",
		 strerror(-err));
	*n = 0;
	v = calloc(k + 1, sizeof(*v));
	if (v && k) {
		memcpy(v, prev->connected, k * sizeof(*v));
		*n = k;
	}
	return v;
}
