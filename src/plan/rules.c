// SPDX-License-Identifier: MIT
/*
 * rules.c - the ip rules ecmpd owns and the tables they name
 * (docs/design.md "The data path"): each routing mark of the config
 * selects its table, then the kernel's main table's connected networks,
 * a pin its uplink's table, and everything else follows ecmpd's main
 * table.
 */
#include <errno.h>
#include <stdlib.h>

#include "plan/internal.h"

static int cmp_rule(const void *a, const void *b)
{
	const struct plan_rule *x = a, *y = b;

	return x->priority < y->priority ? -1 : x->priority > y->priority;
}

static int cmp_u32(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* Is the table of routing mark name declared, or has it an enabled route? */
static bool mark_has_table(const struct config *cfg, const char *name)
{
	return config_table_declared(cfg, name) ||
	       config_has_named(cfg, CONFIG_MENU_IP_ROUTE,
				offsetof(struct route, table), name);
}

/*
 * The rules, and the list of tables that goes with them. A packet with a
 * routing mark looks up its table first; when the table has no route for
 * it, it falls through to main as in RouterOS: the kernel main table's
 * connected networks (suppressing its default), then its pin, then
 * ecmpd's main table. A routing mark with no table of its own gets no
 * rule at all.
 *
 * The connected-networks rule is not there to change the config's
 * meaning: the config's main table is the kernel's connected networks
 * plus ecmpd's main table, and the rule puts them before the pins because
 * a pin says which way out a connection leaves, not where its replies to
 * the LAN go (a connection arriving on an uplink is pinned to it in both
 * directions).
 */
int plan_build_rules(const struct config *cfg, struct plan *p)
{
	size_t n = 3 + p->n_uplinks + p->ids.n_routemarks, i;
	struct plan_rule *r;
	uint32_t *t;

	p->rules = calloc(n, sizeof(*p->rules));
	p->tables = calloc(n, sizeof(*p->tables));
	if (!p->rules || !p->tables)
		return -ENOMEM;
	r = p->rules;
	t = p->tables;
	*r++ = (struct plan_rule){ .priority = PLAN_PRIO_SUPPRESS,
				   .table = 254,
				   .suppress_prefixlen = 0 };
	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];

		*r++ = (struct plan_rule){ .priority =
						   PLAN_PRIO_PIN_BASE + u->id,
					   .fwmark = u->mark,
					   .fwmask = PLAN_PIN_MASK,
					   .table = u->table,
					   .suppress_prefixlen = -1 };
		*t++ = u->table;
	}
	for (i = 0; i < p->ids.n_routemarks; i++) {
		const struct plan_name *m = &p->ids.routemarks[i];

		if (!mark_has_table(cfg, m->name))
			continue;
		*r++ = (struct plan_rule){
			.priority = PLAN_PRIO_MARK_BASE + m->id,
			.fwmark = (uint32_t)m->id << PLAN_ROUTEMARK_SHIFT,
			.fwmask = PLAN_ROUTEMARK_MASK,
			.table = PLAN_TABLE_MARK_BASE + m->id,
			.suppress_prefixlen = -1
		};
		*t++ = PLAN_TABLE_MARK_BASE + m->id;
	}
	*r++ = (struct plan_rule){ .priority = PLAN_PRIO_MAIN,
				   .table = PLAN_TABLE_MAIN,
				   .suppress_prefixlen = -1 };
	*t++ = PLAN_TABLE_MAIN;
	p->n_rules = (size_t)(r - p->rules);
	p->n_tables = (size_t)(t - p->tables);
	plan_sort(p->rules, p->n_rules, sizeof(*p->rules), cmp_rule);
	plan_sort(p->tables, p->n_tables, sizeof(*p->tables), cmp_u32);
	return 0;
}
