// SPDX-License-Identifier: MIT
/*
 * plan_print.c - the plan as text: `ecmpd --plan` and the golden files
 * (the .plan files under tests/config). Sorted and deterministic, and in the syntax of
 * ip(8) and nft(8), so tests/nft-check.sh can apply it in a namespace to
 * prove the kernel accepts what the planner wants.
 */
#include <stdio.h>

#include "base/ipv4.h"
#include "plan/plan.h"

static void print_dst(const struct plan_route *r, FILE *out)
{
	char a[INET_ADDRSTRLEN];

	if (!r->dst_len)
		fputs("default", out);
	else
		fprintf(out, "%s/%u", ipv4_str(r->dst, a), r->dst_len);
}

static void print_nexthop(const struct plan_nexthop *nh, FILE *out)
{
	char a[INET_ADDRSTRLEN];

	if (nh->has_gateway)
		fprintf(out, "via %s ", ipv4_str(nh->gateway, a));
	fprintf(out, "dev %s", nh->interface);
}

static void print_route(const struct plan_route *r, FILE *out)
{
	size_t i;

	fputs("route add ", out);
	if (r->type == PLAN_ROUTE_UNREACHABLE)
		fputs("unreachable ", out);
	else if (r->type == PLAN_ROUTE_BLACKHOLE)
		fputs("blackhole ", out);
	print_dst(r, out);
	if (r->type == PLAN_ROUTE_UNICAST && r->n_nexthops == 1) {
		fputc(' ', out);
		print_nexthop(&r->nexthops[0], out);
	}
	if (r->src) {
		char a[IPV4_STR_MAX];

		fprintf(out, " src %s", ipv4_str(r->src, a));
	}
	fprintf(out, " table %u proto %u", r->table, PLAN_RTPROT);
	if (r->type == PLAN_ROUTE_UNICAST && r->n_nexthops > 1) {
		for (i = 0; i < r->n_nexthops; i++) {
			fputs(" nexthop ", out);
			print_nexthop(&r->nexthops[i], out);
			fprintf(out, " weight %u", r->nexthops[i].weight);
		}
	}
	fputc('\n', out);
}

static void print_rule(const struct plan_rule *r, FILE *out)
{
	char a[INET_ADDRSTRLEN];

	fprintf(out, "rule add priority %u", r->priority);
	if (r->src_len)
		fprintf(out, " from %s/%u", ipv4_str(r->src, a), r->src_len);
	if (r->dst_len)
		fprintf(out, " to %s/%u", ipv4_str(r->dst, a), r->dst_len);
	if (r->fwmask)
		fprintf(out, " fwmark 0x%x/0x%x", r->fwmark, r->fwmask);
	if (r->iif[0])
		fprintf(out, " iif %s", r->iif);
	if (r->action == PLAN_RULE_BLACKHOLE)
		fputs(" blackhole", out);
	else if (r->action == PLAN_RULE_UNREACHABLE)
		fputs(" unreachable", out);
	else if (r->table == 254)
		fputs(" lookup main", out);
	else
		fprintf(out, " lookup %u", r->table);
	if (r->suppress_prefixlen >= 0)
		fprintf(out, " suppress_prefixlength %d",
			r->suppress_prefixlen);
	fputc('\n', out);
}

void plan_print(const struct plan *p, FILE *out)
{
	char a[INET_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];

		fprintf(out, "# uplink %u: %s", u->id, u->interface);
		if (u->has_gateway)
			fprintf(out, " gateway %s", ipv4_str(u->gateway, a));
		fprintf(out, " check %s mark 0x%x table %u %s\n",
			config_name_of(config_check_gateway_names, u->check),
			u->mark, u->table, u->alive ? "up" : "down");
	}
	for (i = 0; i < p->n_targets; i++) {
		const struct plan_target *t = &p->targets[i];

		fprintf(out, "# target %s: through uplink %u (%s",
			ipv4_str(t->target, a), t->uplink, t->interface);
		if (t->has_gateway)
			fprintf(out, " gateway %s", ipv4_str(t->gateway, a));
		fprintf(out, ") check %s %s\n",
			config_name_of(config_check_gateway_names, t->check),
			t->alive ? "up" : "down");
	}
	fputs("# sysctl\n", out);
	for (i = 0; i < p->n_sysctls; i++)
		fprintf(out, "sysctl %s=%s\n", p->sysctls[i].key,
			p->sysctls[i].value);
	fputs("# ip\n", out);
	for (i = 0; i < p->n_addresses; i++) {
		const struct plan_address *pa = &p->addresses[i];

		fprintf(out, "address add %s/%u", ipv4_str(pa->addr, a),
			pa->len);
		if (pa->broadcast)
			fprintf(out, " broadcast %s",
				ipv4_str(pa->broadcast, a));
		fprintf(out, " dev %s\n", pa->interface);
	}
	for (i = 0; i < p->n_rules; i++)
		print_rule(&p->rules[i], out);
	for (i = 0; i < p->n_routes; i++)
		print_route(&p->routes[i], out);
	fputs("# nft\n", out);
	if (p->ruleset)
		fputs(p->ruleset, out);
}
