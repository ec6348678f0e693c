// SPDX-License-Identifier: MIT
/*
 * adopt.c - uplink ids from the rules and routes a previous run left.
 *
 * The kernel layer only reads plain facts (the rules in a priority range,
 * the default routes of a range of tables); what they mean is the plan's
 * numbering (plan.h), interpreted here: uplink id N owns the rule at
 * PLAN_PRIO_PIN_BASE + N, which matches the pin N << PLAN_PIN_SHIFT and
 * looks up table PLAN_TABLE_UPLINK_BASE + N, whose default route names
 * the uplink's interface and gateway. Anything that doesn't fit that
 * pattern is not ecmpd's and is left for the first sync to clean up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "daemon/adopt.h"
#include "kernel/route.h"
#include "kernel/rule.h"
#include "plan/plan.h"

static int cmp_uplink_id(const void *a, const void *b)
{
	const struct plan_uplink *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static bool have_id(const struct plan_uplink *u, size_t n, unsigned int id)
{
	for (size_t k = 0; k < n; k++)
		if (u[k].id == id)
			return true;
	return false;
}

/* The first default route of table, or NULL. */
static const struct default_route *default_of(const struct default_route *d,
					      size_t n, uint32_t table)
{
	for (size_t i = 0; i < n; i++)
		if (d[i].table == table)
			return &d[i];
	return NULL;
}

int adopt_uplink_ids(struct netlink *nl, struct plan_ids *ids)
{
	struct kernel_rule *rules = NULL;
	struct default_route *defaults = NULL;
	struct plan_uplink *out = NULL;
	size_t n_rules = 0, n_defaults = 0, n = 0;
	int err;

	err = rule_read(nl, PLAN_PRIO_PIN_BASE + 1,
			PLAN_PRIO_PIN_BASE + PLAN_ID_MAX, &rules, &n_rules);
	if (!err)
		err = route_read_defaults(nl, PLAN_TABLE_UPLINK_BASE + 1,
					  PLAN_TABLE_UPLINK_BASE + PLAN_ID_MAX,
					  &defaults, &n_defaults);
	if (err)
		goto out;
	if (n_rules) {
		out = calloc(n_rules, sizeof(*out));
		if (!out) {
			err = -ENOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < n_rules; i++) {
		const struct kernel_rule *r = &rules[i];
		unsigned int id = r->priority - PLAN_PRIO_PIN_BASE;
		const struct default_route *def;

		if (r->fwmark != (id << PLAN_PIN_SHIFT) ||
		    r->table != PLAN_TABLE_UPLINK_BASE + id)
			continue;
		def = default_of(defaults, n_defaults, r->table);
		if (!def) {
			log_debug("uplink id %u: no default route in table %u, "
				  "forgotten",
				  id, r->table);
			continue;
		}
		/* Two rules for one id would be a leftover of a crash in the
		 * middle of a sync: the first one counts. */
		if (have_id(out, n, id))
			continue;
		out[n].id = id;
		snprintf(out[n].interface, sizeof(out[n].interface), "%s",
			 def->interface);
		out[n].has_gateway = def->has_gateway;
		out[n].gateway = def->gateway;
		n++;
	}
	if (n)
		qsort(out, n, sizeof(*out), cmp_uplink_id);
	else {
		free(out);
		out = NULL;
	}
	ids->uplinks = out;
	ids->n_uplinks = n;
	out = NULL;
out:
	free(out);
	free(rules);
	free(defaults);
	return err;
}
