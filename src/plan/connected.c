// SPDX-License-Identifier: MIT
/*
 * connected.c - the kernel's networks as planner input: a gateway that no
 * /ip address of the config places (a WAN whose address comes from DHCP
 * or PPPoE) is placed on the interface whose network holds it, so the
 * plan stays a pure function of (config, uplink states, kernel networks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "plan/internal.h"

static int cmp_connected(const void *a, const void *b)
{
	const struct plan_connected *x = a, *y = b;
	int c = strcmp(x->interface, y->interface);

	if (c)
		return c;
	if (x->network != y->network)
		return x->network < y->network ? -1 : 1;
	return (int)x->len - (int)y->len;
}

size_t plan_connected_normalize(struct plan_connected *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].len > 32)
			continue;
		v[i].network &= ipv4_mask(v[i].len);
		v[k++] = v[i];
	}
	plan_sort(v, k, sizeof(*v), cmp_connected);
	n = k;
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || cmp_connected(&v[k - 1], &v[i]))
			v[k++] = v[i];
	return k;
}

bool plan_connected_equal(const struct plan_connected *a, size_t na,
			  const struct plan_connected *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (cmp_connected(&a[i], &b[i]))
			return false;
	return true;
}

const char *plan_connected_interface(const struct plan_connected *v, size_t n,
				     uint32_t addr)
{
	const char *best = NULL;
	int best_len = -1;

	for (size_t i = 0; i < n; i++) {
		uint32_t m = ipv4_mask(v[i].len);

		if (v[i].len > 32 || (v[i].network & m) != (addr & m) ||
		    (int)v[i].len <= best_len || !v[i].interface[0])
			continue;
		best_len = v[i].len;
		best = v[i].interface;
	}
	return best;
}

int plan_copy_connected(struct plan *p, const struct plan_input *in)
{
	size_t n = in ? in->n_connected : 0;

	p->connected = calloc(n + 1, sizeof(*p->connected));
	if (!p->connected)
		return -ENOMEM;
	if (n)
		memcpy(p->connected, in->connected, n * sizeof(*p->connected));
	p->n_connected = plan_connected_normalize(p->connected, n);
	return 0;
}

const char *plan_source_name(enum plan_source s)
{
	switch (s) {
	case PLAN_SOURCE_KERNEL:
		return "kernel";
	case PLAN_SOURCE_DHCP:
		return "dhcp";
	case PLAN_SOURCE_PPPOE:
		return "pppoe";
	default:
		return "static";
	}
}

enum plan_source plan_uplink_source(const struct config *cfg,
				    const struct gateway *gw,
				    const struct plan_uplink *key)
{
	for (size_t i = 0; i < cfg->n_pppoe_clients; i++)
		if (entry_enabled(&cfg->pppoe_clients[i].c) &&
		    !strcmp(config_linux_name(cfg, cfg->pppoe_clients[i].name),
			    key->interface))
			return PLAN_SOURCE_PPPOE;
	for (size_t i = 0; i < cfg->n_dhcp_clients; i++)
		if (entry_enabled(&cfg->dhcp_clients[i].c) &&
		    !strcmp(config_linux_name(cfg,
					      cfg->dhcp_clients[i].interface),
			    key->interface))
			return PLAN_SOURCE_DHCP;
	if (gw->has_addr && !gw->interface[0] &&
	    !config_connected_interface(cfg, gw->addr))
		return PLAN_SOURCE_KERNEL;
	return PLAN_SOURCE_STATIC;
}
