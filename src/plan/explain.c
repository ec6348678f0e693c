// SPDX-License-Identifier: MIT
/*
 * explain.c - what each line of a config became: `ecmpd -n --explain`.
 *
 * The parser records every logical line's fate in cfg->lines (an entry of
 * a menu, a setting, a menu line, or skipped and why); this module prints
 * each line of the source with what it became in the plan: the kernel
 * objects it makes (addresses, routes and their tables, nft rules with
 * their counters, sysctls), what ecmpd checks, or why it was skipped and
 * what on Linux does that job. It reads the plan only for the ids it
 * handed out (uplinks, tables, marks), so the text names the same numbers
 * as `ecmpd --plan`.
 */
#include <string.h>

#include "base/ipv4.h"
#include "config/skip.h"
#include "plan/explain.h"
#include "plan/ruleset.h"

/* Writes physical lines first..last of text, each with its number. */
static void print_source(const char *text, size_t len, int first, int last,
			 FILE *out)
{
	size_t i = 0, end;
	int line = 1;

	while (i < len && line < first) {
		if (text[i++] == '\n')
			line++;
	}
	for (; line <= last && i <= len; line++) {
		end = i;
		while (end < len && text[end] != '\n')
			end++;
		/* Long lines are cut as diagnostics cut them. */
		fprintf(out, "%5d| %.*s%s\n", line,
			(int)(end - i > 200 ? 200 : end - i), text + i,
			end - i > 200 ? "..." : "");
		i = end + 1;
	}
}

static unsigned name_id(const struct plan_name *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return t[i].id;
	return 0;
}

/* The kernel table of a route table name ("" is main). */
static void print_table(const struct plan *p, const char *name, FILE *out)
{
	unsigned id;

	if (!name[0]) {
		fprintf(out, "ecmpd's main table %u", PLAN_TABLE_MAIN);
		return;
	}
	id = name_id(p->ids.routemarks, p->ids.n_routemarks, name);
	if (id)
		fprintf(out, "table %u (routing mark %s, packet mark 0x%x)",
			PLAN_TABLE_MARK_BASE + id, name,
			id << PLAN_ROUTEMARK_SHIFT);
	else
		fprintf(out, "routing mark %s (no table: nothing uses it)",
			name);
}

static const struct plan_uplink *gateway_uplink(const struct config *cfg,
						const struct plan *p,
						const struct gateway *gw)
{
	const char *ifname =
		gw->interface[0] ? config_linux_name(cfg, gw->interface) : "";
	size_t i;

	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];

		if (u->has_gateway != gw->has_addr ||
		    (gw->has_addr && u->gateway != gw->addr))
			continue;
		if (ifname[0] && strcmp(ifname, u->interface))
			continue;
		return u;
	}
	return NULL;
}

/* A gateway that is no uplink: a recursive one's target, or unplaced. */
static void explain_unplaced(const struct plan *p, const struct gateway *gw,
			     FILE *out)
{
	char a[IPV4_STR_MAX];
	size_t i;

	for (i = 0; gw->has_addr && i < p->n_targets; i++) {
		const struct plan_target *t = &p->targets[i];

		if (t->target != gw->addr)
			continue;
		fprintf(out, "recursive, reached through uplink %u on %s",
			t->uplink, t->interface);
		if (t->has_gateway)
			fprintf(out, " (gateway %s)", ipv4_str(t->gateway, a));
		fputs(t->check == CHECK_PING ?
			      ", probed with ping through it\n" :
			      "\n",
		      out);
		return;
	}
	fputs("not placed by -n: in no connected network of /ip address "
	      "(the daemon places it on the box's own addresses; see the "
	      "warning at this line)\n",
	      out);
}

static void explain_route(const struct config *cfg, const struct plan *p,
			  const struct route *r, FILE *out)
{
	char a[IPV4_STR_MAX];
	size_t i;

	fprintf(out, "kernel: %sroute %s/%u in ",
		r->blackhole ? "blackhole " : "", ipv4_str(r->dst, a),
		r->dst_len);
	print_table(p, r->table, out);
	if (r->has_pref_src)
		fprintf(out, ", source %s", ipv4_str(r->pref_src, a));
	fputs("\n", out);
	for (i = 0; i < r->n_gateways; i++) {
		const struct gateway *gw = &r->gateways[i];
		const struct plan_uplink *u = gateway_uplink(cfg, p, gw);

		fprintf(out, "      gateway %s%s%s: ",
			gw->has_addr ? ipv4_str(gw->addr, a) : "",
			gw->has_addr && gw->interface[0] ? "%" : "",
			gw->interface);
		if (u)
			fprintf(out,
				"uplink %u on %s (its own table %u, connections "
				"pinned with conntrack mark 0x%x)%s\n",
				u->id, u->interface, u->table, u->mark,
				u->check == CHECK_PING ? ", probed with ping" :
				u->check == CHECK_ARP  ? ", probed with arp" :
							 "");
		else
			explain_unplaced(p, gw, out);
	}
	if (r->distance > 1)
		fprintf(out,
			"      distance %u: used while no route to the same "
			"destination in this table with a lower distance has "
			"a live gateway\n",
			r->distance);
	if (r->has_scope || r->has_target_scope)
		fprintf(out,
			"      scope %u, target-scope %u: resolve recursive "
			"gateways as RouterOS does (a route of scope <= a "
			"route's target-scope may reach its gateway)\n",
			route_scope(r), route_target_scope(r));
	if (config_route_follows_netwatch(cfg, r) &&
	    config_route_netwatches(cfg, r->c.comment) > 1)
		fprintf(out,
			"      comment \"%s\": in force as its %u /tool "
			"netwatch entries say, down while more than half of "
			"them are (its disabled= is the export's moment)\n",
			r->c.comment,
			config_route_netwatches(cfg, r->c.comment));
	else if (config_route_follows_netwatch(cfg, r))
		fprintf(out,
			"      comment \"%s\": in force as a /tool netwatch's "
			"state says (its disabled= is the export's moment)\n",
			r->c.comment);
}

static void explain_firewall(const struct config *cfg, const struct plan *p,
			     enum config_menu menu, size_t index, FILE *out)
{
	char counter[64];
	unsigned id;

	if (ruleset_counter_name(counter, sizeof(counter), menu, index) < 0)
		counter[0] = '\0';
	if (menu == CONFIG_MENU_FIREWALL_NAT) {
		const struct nat_rule *n = &cfg->nat[index];

		fprintf(out,
			"nft: rule in chain %s of table %s %s, counter %s (%s)\n",
			n->chain == NAT_SRCNAT ? "srcnat" : "dstnat",
			PLAN_NFT_FAMILY, PLAN_NFT_TABLE, counter,
			config_name_of(config_nat_action_names,
				       (int)n->action));
		return;
	}
	{
		const struct mangle_rule *m = &cfg->mangle[index];

		fprintf(out,
			"nft: rule in chain mangle_%s of table %s %s, counter %s",
			config_name_of(config_mangle_chain_names,
				       (int)m->chain),
			PLAN_NFT_FAMILY, PLAN_NFT_TABLE, counter);
		if (m->action == MANGLE_MARK_CONNECTION) {
			id = name_id(p->ids.connmarks, p->ids.n_connmarks,
				     m->new_connection_mark);
			fprintf(out,
				"\n      sets connection mark %s: conntrack "
				"mark 0x%x",
				m->new_connection_mark,
				id << PLAN_CONNMARK_SHIFT);
		} else if (m->action == MANGLE_MARK_ROUTING) {
			fprintf(out, "\n      sets routing mark %s: ",
				m->new_routing_mark);
			print_table(p, m->new_routing_mark, out);
		} else {
			fputs(" (accept: later mangle rules skip the packet)",
			      out);
		}
		fputc('\n', out);
	}
}

static bool names(const struct netwatch_script *s, const char *comment)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->actions[i].comment, comment))
			return true;
	return false;
}

/* Each comment once: the up-script's that the down-script names are left. */
static void explain_script(const struct netwatch *nw, bool down, FILE *out)
{
	const struct netwatch_script *s = down ? &nw->down : &nw->up;

	for (size_t i = 0; i < s->n; i++)
		if (down || !names(&nw->down, s->actions[i].comment))
			fprintf(out,
				"      routes with comment \"%s\": disabled while the "
				"host is %s\n",
				s->actions[i].comment,
				s->actions[i].disable == down ? "down" : "up");
}

static void explain_netwatch(const struct config *cfg, const struct plan *p,
			     const struct netwatch *nw, FILE *out)
{
	const struct plan_uplink *u = plan_netwatch_uplink(cfg, p, nw);
	char a[IPV4_STR_MAX];

	fprintf(out, "check: %s probes of %s every %ums (timeout %ums) ",
		config_name_of(config_netwatch_type_names, (int)nw->type),
		ipv4_str(nw->host, a), nw->interval_ms, nw->timeout_ms);
	if (u)
		fprintf(out, "through uplink %u on %s\n", u->id, u->interface);
	else
		fputs("through no uplink (the host is on a connected network "
		      "or no route in force reaches it)\n",
		      out);
	explain_script(nw, true, out);
	explain_script(nw, false, out);
}

static void explain_entry(const struct config *cfg, const struct plan *p,
			  const struct config_line *l, FILE *out)
{
	char a[IPV4_STR_MAX];

	switch (l->menu) {
	case CONFIG_MENU_ROUTING_TABLE:
		fputs("names ", out);
		print_table(p, cfg->tables[l->index].name, out);
		fputc('\n', out);
		return;
	case CONFIG_MENU_IP_ADDRESS: {
		const struct ip_address *ia = &cfg->addresses[l->index];

		fprintf(out,
			"kernel: address %s/%u on %s; its network is "
			"connected (gateways in it are reached directly)\n",
			ipv4_str(ia->addr, a), ia->len,
			config_linux_name(cfg, ia->interface));
		return;
	}
	case CONFIG_MENU_IP_ROUTE:
		explain_route(cfg, p, &cfg->routes[l->index], out);
		return;
	case CONFIG_MENU_INTERFACE_ETHERNET: {
		const struct interface_rename *r = &cfg->renames[l->index];

		if (r->name[0])
			fprintf(out,
				"names port %s %s in the lines that follow; "
				"on Linux it is %s (ecmpd changes no link)\n",
				r->default_name, r->name,
				config_linux_name(cfg, r->name));
		else
			fprintf(out, "nothing ecmpd applies to port %s\n",
				r->default_name);
		return;
	}
	case CONFIG_MENU_INTERFACE_BRIDGE:
		fprintf(out,
			"check: the daemon checks that Linux has bridge %s "
			"(ecmpd creates no interface)\n",
			config_linux_name(cfg, cfg->bridges[l->index].name));
		return;
	case CONFIG_MENU_INTERFACE_VLAN: {
		const struct interface_vlan *v = &cfg->vlans[l->index];

		fprintf(out,
			"check: the daemon checks that Linux has VLAN %s, id "
			"%u on %s (ecmpd creates no interface)\n",
			config_linux_name(cfg, v->name), v->vlan_id,
			config_linux_name(cfg, v->interface));
		return;
	}
	case CONFIG_MENU_BRIDGE_PORT: {
		const struct bridge_port *bp = &cfg->bridge_ports[l->index];

		fprintf(out,
			"check: the daemon checks that %s is a port of bridge "
			"%s\n",
			config_linux_name(cfg, bp->interface),
			config_linux_name(cfg, bp->bridge));
		return;
	}
	case CONFIG_MENU_INTERFACE_LIST:
		fprintf(out,
			"nft: a set of interface names in table %s %s, for "
			"in-interface-list= and out-interface-list=\n",
			PLAN_NFT_FAMILY, PLAN_NFT_TABLE);
		return;
	case CONFIG_MENU_INTERFACE_LIST_MEMBER: {
		const struct interface_list_member *m =
			&cfg->iflist_members[l->index];

		if (config_member_is_list(cfg, m))
			fprintf(out,
				"nft: the members of list %s join the set of "
				"list %s\n",
				m->interface, m->list);
		else
			fprintf(out, "nft: %s joins the set of list %s\n",
				config_linux_name(cfg, m->interface), m->list);
		return;
	}
	case CONFIG_MENU_ADDRESS_LIST:
		fprintf(out,
			"nft: an element of the set of address list %s in "
			"table %s %s\n",
			cfg->address_lists[l->index].list, PLAN_NFT_FAMILY,
			PLAN_NFT_TABLE);
		return;
	case CONFIG_MENU_FIREWALL_NAT:
	case CONFIG_MENU_FIREWALL_MANGLE:
		explain_firewall(cfg, p, l->menu, l->index, out);
		return;
	case CONFIG_MENU_TOOL_NETWATCH:
		explain_netwatch(cfg, p, &cfg->netwatches[l->index], out);
		return;
	case CONFIG_MENU_DHCP_CLIENT:
		fprintf(out,
			"checked: %s gets its address from DHCP, by the box's "
			"own client (ecmpd starts none yet); the daemon places "
			"gateways on the address it sets\n",
			config_linux_name(
				cfg, cfg->dhcp_clients[l->index].interface));
		return;
	case CONFIG_MENU_PPPOE_CLIENT:
		fprintf(out,
			"checked: %s is a PPPoE link over %s, brought up by the "
			"box's own pppd (ecmpd starts none yet); routes with "
			"gateway=%s use it\n",
			cfg->pppoe_clients[l->index].name,
			config_linux_name(
				cfg, cfg->pppoe_clients[l->index].interface),
			cfg->pppoe_clients[l->index].name);
		return;
	default:
		fputs("an entry\n", out);
	}
}

/* Is entry l's entry disabled (so it is checked and not applied)? */
static bool entry_disabled(const struct config *cfg,
			   const struct config_line *l)
{
	const struct entry_common *c;

	/* A route that follows a netwatch is in force as its state says. */
	if (l->menu == CONFIG_MENU_IP_ROUTE &&
	    config_route_follows_netwatch(cfg, &cfg->routes[l->index]))
		return false;
	c = config_entry(cfg, l->menu, l->index);
	return c && c->disabled;
}

void plan_explain(const struct config *cfg, const struct plan *p,
		  const char *text, size_t len, FILE *out)
{
	int printed = 0; /* the last source line printed */
	size_t i;

	for (i = 0; i < cfg->n_lines; i++) {
		const struct config_line *l = &cfg->lines[i];
		const char *job;

		/* Lines sharing a physical line ("{ add ...; add ... }"). */
		if (l->end_line > printed)
			print_source(text, len,
				     l->line > printed ? l->line : printed + 1,
				     l->end_line, out);
		if (l->end_line > printed)
			printed = l->end_line;
		fputs("   -> ", out);
		switch (l->fate) {
		case LINE_MENU:
			if (l->path && l->path[0])
				fprintf(out, "lines below go to /%s\n",
					l->path);
			else
				fputs("lines below go to the root menu\n", out);
			break;
		case LINE_ENTRY:
			if (entry_disabled(cfg, l))
				fputs("disabled: checked, not applied\n", out);
			else
				explain_entry(cfg, p, l, out);
			break;
		case LINE_SETTINGS:
			if (l->menu == CONFIG_MENU_IP_SETTINGS)
				fprintf(out,
					"sysctl net.ipv4.fib_multipath_hash_"
					"policy=%d\n",
					cfg->ip_settings.hash_policy ==
						HASH_L4);
			else
				fputs("ecmpd: the gateway probes' interval, "
				      "timeout and counts\n",
				      out);
			break;
		case LINE_SKIPPED:
			job = skipped_menu_job(l->path ? l->path : "");
			fprintf(out, "skipped: ecmpd does not read /%s%s%s\n",
				l->path ? l->path : "",
				job ? "; on Linux: " : "", job ? job : "");
			break;
		case LINE_SCRIPT:
			fputs("skipped: scripting is not run\n", out);
			break;
		case LINE_OUTSIDE:
			fputs("skipped: outside any menu\n", out);
			break;
		case LINE_ERROR:
			fputs("error (reported above): nothing kept\n", out);
			break;
		}
	}
}
