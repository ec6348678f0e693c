// SPDX-License-Identifier: MIT
/*
 * rules.c - the ip rules ecmpd owns and the tables they name
 * (docs/design.md "The data path"): the config's policy rules (/ip route
 * rule, /routing rule) in the order written, then each routing mark of
 * the config
 * selects its table, then the kernel's main table's connected networks,
 * a pin its uplink's table, and everything else follows ecmpd's main
 * table.
 */
#include <errno.h>
#include <stdio.h>
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
/* The table a policy rule names: main is the kernel's main, then 1000. */
static uint32_t rule_table(const struct plan *p, const char *name)
{
	if (config_is_main_table(name))
		return 254;
	return PLAN_TABLE_MARK_BASE + plan_routemark_id(&p->ids, name);
}

/*
 * The ip rules of policy rule k (0-based, in the order written), at
 * priorities PLAN_PRIO_POLICY_BASE + 3k + 1..3: the selectors on each;
 * lookup of the main table is the kernel main table's connected networks
 * (its default suppressed) then ecmpd's main table, as everywhere;
 * lookup-only-in-table ends with a blackhole for what the table missed.
 * Returns the number written to r. Tables go to t (*nt of them).
 */
static size_t policy_rule(const struct config *cfg, const struct plan *p,
			  const struct routing_rule *pr, size_t k,
			  struct plan_rule *r, uint32_t *t, size_t *nt)
{
	struct plan_rule sel = { .suppress_prefixlen = -1 };
	uint32_t prio = PLAN_PRIO_POLICY_BASE + 3 * (uint32_t)k;
	size_t n = 0;

	if (pr->has_src) {
		sel.src = pr->src;
		sel.src_len = pr->src_len;
	}
	if (pr->has_dst) {
		sel.dst = pr->dst;
		sel.dst_len = pr->dst_len;
	}
	if (pr->routing_mark[0]) {
		sel.fwmask = PLAN_ROUTEMARK_MASK;
		if (!config_is_main_table(pr->routing_mark))
			sel.fwmark =
				plan_routemark_id(&p->ids, pr->routing_mark)
				<< PLAN_ROUTEMARK_SHIFT;
	}
	if (pr->interface[0])
		snprintf(sel.iif, sizeof(sel.iif), "%s",
			 config_linux_name(cfg, pr->interface));
	if (pr->has_min_prefix)
		sel.suppress_prefixlen = (int)pr->min_prefix;
	switch (pr->action) {
	case RULE_LOOKUP:
	case RULE_LOOKUP_ONLY:
		r[n] = sel;
		r[n].priority = ++prio;
		r[n].table = rule_table(p, pr->table);
		if (r[n].table == 254) {
			/* main: connected first, then ecmpd's main table */
			if (r[n].suppress_prefixlen < 0)
				r[n].suppress_prefixlen = 0;
			n++;
			r[n] = sel;
			r[n].priority = ++prio;
			r[n].table = PLAN_TABLE_MAIN;
		} else {
			t[(*nt)++] = r[n].table;
		}
		n++;
		if (pr->action == RULE_LOOKUP)
			break;
		r[n] = sel;
		r[n].priority = ++prio;
		r[n].suppress_prefixlen = -1;
		r[n++].action = PLAN_RULE_BLACKHOLE;
		break;
	case RULE_DROP:
		r[n] = sel;
		r[n].priority = ++prio;
		r[n].suppress_prefixlen = -1;
		r[n++].action = PLAN_RULE_BLACKHOLE;
		break;
	case RULE_UNREACHABLE:
		r[n] = sel;
		r[n].priority = ++prio;
		r[n].suppress_prefixlen = -1;
		r[n++].action = PLAN_RULE_UNREACHABLE;
		break;
	}
	return n;
}

/* The enabled policy rules, /ip route rule's then /routing rule's. */
static size_t policy_rules(const struct config *cfg, const struct plan *p,
			   struct plan_rule *r, uint32_t *t, size_t *nt)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < cfg->n_route_rules + cfg->n_routing_rules; i++) {
		const struct routing_rule *pr =
			i < cfg->n_route_rules ?
				&cfg->route_rules[i] :
				&cfg->routing_rules[i - cfg->n_route_rules];

		/* The checker refuses more; the priorities end there. */
		if (!entry_enabled(&pr->c) || k >= 99)
			continue;
		n += policy_rule(cfg, p, pr, k++, r + n, t, nt);
	}
	return n;
}

static size_t unique_u32(uint32_t *v, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++)
		if (!out || v[out - 1] != v[i])
			v[out++] = v[i];
	return out;
}

int plan_build_rules(const struct config *cfg, struct plan *p)
{
	size_t n_policy = cfg->n_route_rules + cfg->n_routing_rules;
	size_t n = 3 + p->n_uplinks + p->ids.n_routemarks + 3 * n_policy, i;
	size_t nt = 0;
	struct plan_rule *r;
	uint32_t *t;

	p->rules = calloc(n, sizeof(*p->rules));
	p->tables = calloc(n, sizeof(*p->tables));
	if (!p->rules || !p->tables)
		return -ENOMEM;
	r = p->rules;
	t = p->tables;
	r += policy_rules(cfg, p, r, t, &nt);
	t += nt;
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
	p->n_tables = unique_u32(p->tables, p->n_tables);
	return 0;
}
