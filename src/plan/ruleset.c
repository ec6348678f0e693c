// SPDX-License-Identifier: MIT
/*
 * ruleset.c - the nft table ecmpd owns, as text.
 *
 * One table, "table ip ecmpd", replaced as a whole (by fw.c) so the
 * kernel never sees half of it. Its base chains carry ecmpd's own rules:
 * the pin (the uplink id in the conntrack mark under PLAN_PIN_MASK) is set
 * when a connection arrives on an uplink (prerouting) or first leaves
 * through one (postrouting, matched on interface and nexthop, so whatever
 * route won the first packet is what the connection keeps), and copied
 * into the packet mark for the ip rules (prerouting, and the output route
 * chain so the router's own traffic is re-routed). Then they jump to
 * regular chains holding the config's mangle rules, translated one to one;
 * NAT rules go to the dstnat and srcnat chains. Every mark is written
 * through a mask so the pin, the connection marks, the routing marks and
 * anyone else's bits (WireGuard, Docker) never overwrite each other.
 *
 * Each config rule counts into a named counter object declared at the top
 * of the table, named after its menu and its index in the config
 * (ruleset_counter_name()), so `ecmpctl print` finds a rule's counts by
 * name, whatever chain or position the rule has in the table.
 *
 * The text uses only syntax verified with nft 1.0.6; a chain body ends
 * with a newline before its closing brace, which nft requires.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/ipv4.h"
#include "plan/ruleset.h"

/* nft refuses longer comments (NFT_USERDATA_MAXLEN allows 128 bytes). */
#define COMMENT_MAX 127

/* "mangle_" and the largest size_t, with its NUL. */
#define COUNTER_NAME_MAX 32

/*
 * The output stream, the first error met while writing to it, and whether
 * the current rule has no words yet (the next word needs no space).
 */
struct out {
	FILE *f;
	int err;
	bool fresh;
};

/* Starts a rule line in a chain body. */
static void rule_begin(struct out *o)
{
	fputs("\t\t", o->f);
	o->fresh = true;
}

/* Writes the next words of a rule, separated from the previous ones. */
__attribute__((format(printf, 2, 3))) static void put(struct out *o,
						      const char *fmt, ...)
{
	va_list ap;

	if (!o->fresh)
		fputc(' ', o->f);
	o->fresh = false;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

/*
 * A masked write of one field of a mark (the pin, a connection mark, a
 * routing mark): every other bit of the mark stays. Value 0 clears it.
 */
static void put_set_masked(struct out *o, const char *what, uint32_t mask,
			   uint32_t value)
{
	put(o, "%s set %s & %#x", what, what, ~mask);
	if (value)
		put(o, "| %#x", value);
}

/*
 * Writes an interface name as an nft string. nft strings have no escapes,
 * so a name with a quote or a control character cannot be written (Linux
 * would not accept most of them either): that is an error, not a guess.
 */
static void put_ifname(struct out *o, const char *kw, bool negate,
		       const char *name)
{
	const unsigned char *c;

	for (c = (const unsigned char *)name; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\') {
			o->err = -EINVAL;
			return;
		}
	}
	if (!name[0] || strlen(name) >= LINUX_IFNAME_MAX) {
		o->err = -EINVAL;
		return;
	}
	put(o, "%s %s\"%s\"", kw, negate ? "!= " : "", name);
}

/*
 * Writes a comment. Unlike names, comments are free text: double quotes
 * become single quotes, control characters become spaces, and the text is
 * cut (at a character boundary) to what nft takes.
 */
static void put_comment(struct out *o, const char *text)
{
	char buf[COMMENT_MAX + 1];
	size_t n = 0;
	const unsigned char *c;

	for (c = (const unsigned char *)text; *c && n < COMMENT_MAX; c++) {
		unsigned char ch = *c;

		if (ch == '"')
			ch = '\'';
		else if (ch < 0x20 || ch == 0x7f)
			ch = ' ';
		buf[n++] = (char)ch;
	}
	/* Do not leave half of a UTF-8 sequence at the cut. */
	if (*c) {
		size_t cut = n;

		while (cut > 0 && ((unsigned char)buf[cut - 1] & 0xc0) == 0x80)
			cut--;
		if (cut > 0 && ((unsigned char)buf[cut - 1] & 0x80))
			n = cut - 1;
	}
	buf[n] = '\0';
	put(o, "comment \"%s\"", buf);
}

static void put_addr(struct out *o, const char *kw, const struct addr_match *m)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (!m->set)
		return;
	put(o, "ip %s %s", kw, m->negate ? "!= " : "");
	if (m->is_range)
		fprintf(o->f, "%s-%s", ipv4_str(m->lo, a), ipv4_str(m->hi, b));
	else if (m->len == 32)
		fputs(ipv4_str(m->lo, a), o->f);
	else
		fprintf(o->f, "%s/%u", ipv4_str(m->lo & ipv4_mask(m->len), a),
			m->len);
}

/* Names nft knows for sure; any other protocol is written as a number. */
static void put_protocol(struct out *o, uint8_t proto)
{
	switch (proto) {
	case 0:
		return;
	case 1:
		put(o, "meta l4proto icmp");
		return;
	case 6:
		put(o, "meta l4proto tcp");
		return;
	case 17:
		put(o, "meta l4proto udp");
		return;
	default:
		put(o, "meta l4proto %u", proto);
	}
}

static void put_span(struct out *o, uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		fprintf(o->f, "%u", lo);
	else
		fprintf(o->f, "%u-%u", lo, hi);
}

static void put_ports(struct out *o, const struct port_match *m)
{
	size_t i;

	if (!m->set || !m->n)
		return;
	put(o, "th dport ");
	if (m->n == 1 && m->spans[0].lo == m->spans[0].hi) {
		put_span(o, m->spans[0].lo, m->spans[0].hi);
		return;
	}
	fputs("{ ", o->f);
	for (i = 0; i < m->n; i++) {
		if (i)
			fputs(", ", o->f);
		put_span(o, m->spans[i].lo, m->spans[i].hi);
	}
	fputs(" }", o->f);
}

static void put_conn_state(struct out *o, const struct state_match *m)
{
	const struct config_name *t;
	unsigned bits = 0;
	size_t n = 0;

	for (t = config_conn_state_names; t->name; t++)
		bits |= m->states & (unsigned)t->value;
	if (!bits)
		return;
	put(o, "ct state %s", m->negate ? "!= " : "");
	/* One state is a plain match; several are an anonymous set. */
	if (bits & (bits - 1))
		fputs("{ ", o->f);
	for (t = config_conn_state_names; t->name; t++)
		if (bits & (unsigned)t->value)
			fprintf(o->f, "%s%s", n++ ? ", " : "", t->name);
	if (bits & (bits - 1))
		fputs(" }", o->f);
}

static const char *pcc_fields(enum pcc_fields f)
{
	switch (f) {
	case PCC_SRC_ADDRESS:
		return "ip saddr";
	case PCC_DST_ADDRESS:
		return "ip daddr";
	case PCC_BOTH_ADDRESSES:
		return "ip saddr . ip daddr";
	case PCC_BOTH_PORTS:
		return "th sport . th dport";
	case PCC_BOTH_ADDRESSES_AND_PORTS:
		return "ip saddr . th sport . ip daddr . th dport";
	case PCC_SRC_ADDRESS_AND_PORT:
		return "ip saddr . th sport";
	case PCC_DST_ADDRESS_AND_PORT:
		return "ip daddr . th dport";
	default:
		return NULL;
	}
}

/* The connection-mark value of a name: "no-mark" (and unknowns) are 0. */
static uint32_t connmark_value(const struct plan *p, const char *name)
{
	return (uint32_t)plan_connmark_id(&p->ids, name) << PLAN_CONNMARK_SHIFT;
}

/* The routing-mark value of a name: "main" (and unknowns) are 0. */
static uint32_t routemark_value(const struct plan *p, const char *name)
{
	return (uint32_t)plan_routemark_id(&p->ids, name)
	       << PLAN_ROUTEMARK_SHIFT;
}

/*
 * Address lists are named sets of the table, one per list a config
 * declares (/ip firewall address-list) or a rule names, numbered in that
 * order: "al<N>_<name>" with the name's other characters as '_', unique
 * by its number and readable in `nft list table`. The sets live inside
 * ecmpd's table, so a reload replaces them with the rules, atomically.
 */
#define LIST_SET_NAME_MAX (CONFIG_NAME_MAX + 16)

/* Adds name to names[0..*n) unless it is there. */
static int add_list_name(const char ***names, size_t *n, size_t *cap,
			 const char *name)
{
	size_t i;

	if (!name[0])
		return 0;
	for (i = 0; i < *n; i++)
		if (!strcmp((*names)[i], name))
			return 0;
	if (array_grow(names, cap, *n, sizeof(**names)) < 0)
		return -ENOMEM;
	(*names)[(*n)++] = name;
	return 0;
}

/*
 * The distinct list names, declared first then referenced by enabled
 * rules; *n of them. NULL with *n 0 when there are none or on failure.
 */
static const char **list_names(const struct config *cfg, size_t *n)
{
	const char **names = NULL;
	size_t cap = 0, i, k;
	int rc = 0;

	*n = 0;
	for (i = 0; i < cfg->n_address_lists && !rc; i++)
		if (entry_enabled(&cfg->address_lists[i].c))
			rc = add_list_name(&names, n, &cap,
					   cfg->address_lists[i].list);
	for (k = 0; k < CONFIG_MENUS && !rc; k++) {
		for (i = 0; i < config_menu_size(cfg, k) && !rc; i++) {
			const struct rule_match *m =
				config_rule_match(cfg, k, i);

			if (!m || !entry_enabled(config_entry(cfg, k, i)))
				continue;
			rc = add_list_name(&names, n, &cap,
					   m->src_address_list.name);
			if (!rc)
				rc = add_list_name(&names, n, &cap,
						   m->dst_address_list.name);
		}
	}
	if (rc < 0) {
		free(names);
		*n = 0;
		return NULL;
	}
	return names;
}

static void list_set_name(char *buf, size_t index, const char *name)
{
	char *p;

	p = buf + snprintf(buf, LIST_SET_NAME_MAX, "al%zu_", index);
	for (; *name && p < buf + LIST_SET_NAME_MAX - 1; name++)
		*p++ = isalnum((unsigned char)*name) ? *name : '_';
	*p = '\0';
}

/* Declares a named set per address list with its entries. */
static void put_list_sets(struct out *o, const struct config *cfg)
{
	char set[LIST_SET_NAME_MAX], a[IPV4_STR_MAX], b[IPV4_STR_MAX];
	size_t n, i, k, count;
	const char **names = list_names(cfg, &n);

	for (i = 0; i < n; i++) {
		list_set_name(set, i, names[i]);
		fprintf(o->f,
			"\tset %s {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
			"\t\tauto-merge\n",
			set);
		count = 0;
		for (k = 0; k < cfg->n_address_lists; k++) {
			const struct address_list_entry *e =
				&cfg->address_lists[k];
			const struct addr_match *m = &e->address;

			if (!entry_enabled(&e->c) || strcmp(e->list, names[i]))
				continue;
			fputs(count++ ? ", " : "\t\telements = { ", o->f);
			if (m->is_range)
				fprintf(o->f, "%s-%s", ipv4_str(m->lo, a),
					ipv4_str(m->hi, b));
			else if (m->len == 32)
				fputs(ipv4_str(m->lo, a), o->f);
			else
				fprintf(o->f, "%s/%u",
					ipv4_str(m->lo & ipv4_mask(m->len), a),
					m->len);
		}
		fputs(count ? " }\n\t}\n" : "\t}\n", o->f);
	}
	free((void *)names);
}

/* Matches the set of list name: "ip saddr @al0_LAN". */
static void put_list_match(struct out *o, const struct config *cfg,
			   const char *kw, const struct name_match *m)
{
	char set[LIST_SET_NAME_MAX];
	size_t n, i;
	const char **names;

	if (!m->name[0])
		return;
	names = list_names(cfg, &n);
	for (i = 0; i < n && strcmp(names[i], m->name); i++)
		;
	if (i == n) {
		o->err = -ENOMEM;
		free((void *)names);
		return;
	}
	list_set_name(set, i, m->name);
	put(o, "ip %s %s@%s", kw, m->negate ? "!= " : "", set);
	free((void *)names);
}

/*
 * Interface lists are named sets of Linux interface names, "il<N>_<name>"
 * numbered in /interface list order; a member that is itself a list adds
 * that list's members (RouterOS allows it), at most IFLIST_DEPTH deep.
 */
#define IFLIST_DEPTH 8

static void put_iflist_members(struct out *o, const struct config *cfg,
			       const char *list, int depth, size_t *count)
{
	size_t i;

	for (i = 0; depth < IFLIST_DEPTH && i < cfg->n_iflist_members; i++) {
		const struct interface_list_member *m = &cfg->iflist_members[i];

		if (!entry_enabled(&m->c) || strcmp(m->list, list))
			continue;
		if (config_member_is_list(cfg, m)) {
			put_iflist_members(o, cfg, m->interface, depth + 1,
					   count);
			continue;
		}
		fprintf(o->f, "%s\"%s\"",
			(*count)++ ? ", " : "\t\telements = { ",
			config_linux_name(cfg, m->interface));
	}
}

static void put_iflist_sets(struct out *o, const struct config *cfg)
{
	char set[LIST_SET_NAME_MAX];
	size_t i, count;

	for (i = 0; i < cfg->n_iflists; i++) {
		if (!entry_enabled(&cfg->iflists[i].c))
			continue;
		list_set_name(set, i, cfg->iflists[i].name);
		set[0] = 'i'; /* "il<N>_" */
		fprintf(o->f, "\tset %s {\n\t\ttype ifname\n", set);
		count = 0;
		put_iflist_members(o, cfg, cfg->iflists[i].name, 0, &count);
		fputs(count ? " }\n\t}\n" : "\t}\n", o->f);
	}
}

/* Matches the interface list: "oifname @il0_WAN". */
static void put_iflist_match(struct out *o, const struct config *cfg,
			     const char *kw, const struct name_match *m)
{
	char set[LIST_SET_NAME_MAX];
	size_t i;

	if (!m->name[0])
		return;
	for (i = 0; i < cfg->n_iflists; i++)
		if (entry_enabled(&cfg->iflists[i].c) &&
		    !strcmp(cfg->iflists[i].name, m->name))
			break;
	if (i == cfg->n_iflists) {
		o->err = -EINVAL; /* config_validate() refuses it */
		return;
	}
	list_set_name(set, i, m->name);
	set[0] = 'i';
	put(o, "%s %s@%s", kw, m->negate ? "!= " : "", set);
}

static void put_name_match(struct out *o, const struct config *cfg,
			   const char *kw, const struct name_match *m)
{
	if (m->name[0])
		put_ifname(o, kw, m->negate, config_linux_name(cfg, m->name));
}

/*
 * Writes what a config rule tests, in the same words for every firewall
 * menu, in the order of struct rule_match. A rule whose action needs a
 * transport protocol (a NAT port mapping) but whose matcher names none
 * gets one for TCP and UDP: RouterOS applies such a rule to both.
 */
static void put_match(struct out *o, const struct config *cfg,
		      const struct plan *p, const struct rule_match *m,
		      bool needs_l4)
{
	const char *s;

	put_name_match(o, cfg, "iifname", &m->in_interface);
	put_name_match(o, cfg, "oifname", &m->out_interface);
	put_iflist_match(o, cfg, "iifname", &m->in_interface_list);
	put_iflist_match(o, cfg, "oifname", &m->out_interface_list);
	put_addr(o, "saddr", &m->src_address);
	put_addr(o, "daddr", &m->dst_address);
	put_list_match(o, cfg, "saddr", &m->src_address_list);
	put_list_match(o, cfg, "daddr", &m->dst_address_list);
	s = config_name_of(config_addr_type_names,
			   (int)m->dst_address_type.type);
	if (m->dst_address_type.type != ADDR_TYPE_NONE && s)
		put(o, "fib daddr type %s%s",
		    m->dst_address_type.negate ? "!= " : "", s);
	if (!m->protocol.number && needs_l4)
		put(o, "meta l4proto { tcp, udp }");
	put_protocol(o, m->protocol.number);
	put_ports(o, &m->dst_port);
	put_conn_state(o, &m->connection_state);
	if (m->connection_mark.name[0])
		put(o, "ct mark & %#x %s %#x", PLAN_CONNMARK_MASK,
		    m->connection_mark.negate ? "!=" : "==",
		    connmark_value(p, m->connection_mark.name));
	if (m->routing_mark.name[0])
		put(o, "meta mark & %#x %s %#x", PLAN_ROUTEMARK_MASK,
		    m->routing_mark.negate ? "!=" : "==",
		    routemark_value(p, m->routing_mark.name));
	s = pcc_fields(m->pcc.fields);
	if (s && m->pcc.denominator)
		put(o, "jhash %s mod %u seed 0x0 == %u", s, m->pcc.denominator,
		    m->pcc.remainder);
}

/*
 * Counts the packets of config rule index of menu in its named counter,
 * for `ecmpctl print /ip firewall ...`, which reads it back by name.
 */
static void put_counter(struct out *o, enum config_menu menu, size_t index)
{
	char name[COUNTER_NAME_MAX];

	if (ruleset_counter_name(name, sizeof(name), menu, index) < 0)
		o->err = -EINVAL;
	else
		put(o, "counter name \"%s\"", name);
}

/* Declares the named counter of every config rule the table holds. */
static void put_counter_objects(struct out *o, const struct config *cfg)
{
	static const enum config_menu menus[] = {
		CONFIG_MENU_FIREWALL_NAT,
		CONFIG_MENU_FIREWALL_MANGLE,
	};
	char name[COUNTER_NAME_MAX];
	size_t i, k;

	for (i = 0; i < sizeof(menus) / sizeof(menus[0]); i++) {
		for (k = 0; k < config_menu_size(cfg, menus[i]); k++) {
			if (!entry_enabled(config_entry(cfg, menus[i], k)))
				continue;
			if (ruleset_counter_name(name, sizeof(name), menus[i],
						 k) < 0)
				o->err = -EINVAL;
			else
				fprintf(o->f, "\tcounter %s {\n\t}\n", name);
		}
	}
}

static void put_mangle_rule(struct out *o, const struct config *cfg,
			    const struct plan *p, size_t index)
{
	const struct mangle_rule *m = &cfg->mangle[index];

	rule_begin(o);
	put_match(o, cfg, p, &m->match, false);
	put_counter(o, CONFIG_MENU_FIREWALL_MANGLE, index);
	switch (m->action) {
	case MANGLE_MARK_CONNECTION:
		put_set_masked(o, "ct mark", PLAN_CONNMARK_MASK,
			       connmark_value(p, m->new_connection_mark));
		break;
	case MANGLE_MARK_ROUTING:
		put_set_masked(o, "meta mark", PLAN_ROUTEMARK_MASK,
			       routemark_value(p, m->new_routing_mark));
		break;
	case MANGLE_ACCEPT:
		/* RouterOS's accept ends the mangle chain, not the packet. */
		put(o, "return");
		break;
	}
	if (!m->passthrough && m->action != MANGLE_ACCEPT)
		put(o, "return");
	if (m->c.comment)
		put_comment(o, m->c.comment);
	fputc('\n', o->f);
}

static void put_nat_rule(struct out *o, const struct config *cfg,
			 const struct plan *p, size_t index)
{
	const struct nat_rule *n = &cfg->nat[index];
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	rule_begin(o);
	put_match(o, cfg, p, &n->match,
		  n->has_to_ports && n->action != NAT_ACCEPT);
	put_counter(o, CONFIG_MENU_FIREWALL_NAT, index);
	switch (n->action) {
	case NAT_MASQUERADE:
		put(o, "masquerade");
		if (n->has_to_ports) {
			fputs(" to :", o->f);
			put_span(o, n->to_port_lo, n->to_port_hi);
		}
		break;
	case NAT_SRC_NAT:
	case NAT_DST_NAT:
		if (!n->has_to_addresses) {
			/* dst-nat with only to-ports: to the router itself. */
			put(o, "%s",
			    n->action == NAT_DST_NAT ? "redirect" :
						       "masquerade");
			if (n->has_to_ports) {
				fputs(" to :", o->f);
				put_span(o, n->to_port_lo, n->to_port_hi);
			}
			break;
		}
		put(o, "%s to %s", n->action == NAT_SRC_NAT ? "snat" : "dnat",
		    ipv4_str(n->to_addr_lo, a));
		if (n->to_addr_hi != n->to_addr_lo)
			fprintf(o->f, "-%s", ipv4_str(n->to_addr_hi, b));
		if (n->has_to_ports) {
			fputc(':', o->f);
			put_span(o, n->to_port_lo, n->to_port_hi);
		}
		break;
	case NAT_ACCEPT:
		put(o, "accept");
		break;
	}
	if (n->c.comment)
		put_comment(o, n->c.comment);
	fputc('\n', o->f);
}

static bool has_mangle(const struct config *cfg, enum mangle_chain c)
{
	size_t i;

	for (i = 0; i < cfg->n_mangle; i++)
		if (entry_enabled(&cfg->mangle[i].c) &&
		    cfg->mangle[i].chain == c)
			return true;
	return false;
}

static bool has_nat(const struct config *cfg, enum nat_chain c)
{
	size_t i;

	for (i = 0; i < cfg->n_nat; i++)
		if (entry_enabled(&cfg->nat[i].c) && cfg->nat[i].chain == c)
			return true;
	return false;
}

/*
 * Ends one of ecmpd's base chains: a jump to the config's mangle rules of
 * that hook, when there are any, then the closing brace.
 */
static void put_base_chain_end(struct out *o, const struct config *cfg,
			       enum mangle_chain c)
{
	if (has_mangle(cfg, c))
		fprintf(o->f, "\t\tjump mangle_%s\n",
			config_name_of(config_mangle_chain_names, (int)c));
	fputs("\t}\n", o->f);
}

static void put_base_chain(struct out *o, const char *name, const char *type,
			   const char *hook, const char *prio)
{
	fprintf(o->f,
		"\tchain %s {\n\t\ttype %s hook %s priority %s; policy accept;\n",
		name, type, hook, prio);
}

/*
 * Copies each uplink's pin from the conntrack mark to the packet mark, for
 * the ip rules; with unmarked_only, only into a packet without a pin yet.
 */
static void put_pin_copies(struct out *o, const struct plan *p,
			   bool unmarked_only)
{
	size_t i;

	for (i = 0; i < p->n_uplinks; i++) {
		rule_begin(o);
		if (unmarked_only)
			put(o, "meta mark & %#x == 0", PLAN_PIN_MASK);
		put(o, "ct mark & %#x == %#x", PLAN_PIN_MASK,
		    p->uplinks[i].mark);
		put_set_masked(o, "meta mark", PLAN_PIN_MASK,
			       p->uplinks[i].mark);
		fputc('\n', o->f);
	}
}

/*
 * Pins connections arriving on an uplink, then copies the pin to the
 * packet mark. Uplinks sharing an interface cannot be told apart by an
 * arriving packet; the lowest id (the first in the config) takes them.
 */
static void put_prerouting(struct out *o, const struct config *cfg,
			   const struct plan *p)
{
	size_t i, j;

	put_base_chain(o, "prerouting", "filter", "prerouting", "mangle");
	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];
		bool first = true;

		for (j = 0; j < i; j++)
			if (!strcmp(p->uplinks[j].interface, u->interface))
				first = false;
		if (!first)
			continue;
		rule_begin(o);
		put_ifname(o, "iifname", false, u->interface);
		put(o, "ct state new ct mark & %#x == 0", PLAN_PIN_MASK);
		put_set_masked(o, "ct mark", PLAN_PIN_MASK, u->mark);
		fputc('\n', o->f);
	}
	put_pin_copies(o, p, false);
	put_base_chain_end(o, cfg, MANGLE_PREROUTING);
}

/*
 * The router's own packets: the pin goes to the packet mark unless the
 * packet carries one already (ecmpd's probes choose theirs with SO_MARK);
 * a type route chain makes the kernel route the packet again after that.
 */
static void put_output(struct out *o, const struct config *cfg,
		       const struct plan *p)
{
	put_base_chain(o, "output", "route", "output", "mangle");
	put_pin_copies(o, p, true);
	put_base_chain_end(o, cfg, MANGLE_OUTPUT);
}

/*
 * Records the uplink an unpinned connection actually left by. Matching the
 * nexthop as well as the interface tells apart gateways that share one.
 */
static void put_postrouting(struct out *o, const struct config *cfg,
			    const struct plan *p)
{
	char a[INET_ADDRSTRLEN];
	size_t i;

	put_base_chain(o, "postrouting", "filter", "postrouting", "mangle");
	for (i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];

		fprintf(o->f, "\t\tct mark & %#x == 0", PLAN_PIN_MASK);
		put_ifname(o, "oifname", false, u->interface);
		if (u->has_gateway)
			put(o, "rt ip nexthop %s", ipv4_str(u->gateway, a));
		put_set_masked(o, "ct mark", PLAN_PIN_MASK, u->mark);
		fputc('\n', o->f);
	}
	put_base_chain_end(o, cfg, MANGLE_POSTROUTING);
}

static void put_nat_chain(struct out *o, const struct config *cfg,
			  const struct plan *p, enum nat_chain c)
{
	size_t i;

	if (!has_nat(cfg, c))
		return;
	if (c == NAT_DSTNAT)
		put_base_chain(o, "dstnat", "nat", "prerouting", "dstnat");
	else
		put_base_chain(o, "srcnat", "nat", "postrouting", "srcnat");
	for (i = 0; i < cfg->n_nat; i++)
		if (entry_enabled(&cfg->nat[i].c) && cfg->nat[i].chain == c)
			put_nat_rule(o, cfg, p, i);
	fputs("\t}\n", o->f);
}

static void put_mangle_chain(struct out *o, const struct config *cfg,
			     const struct plan *p, enum mangle_chain c)
{
	size_t i;

	if (!has_mangle(cfg, c))
		return;
	fprintf(o->f, "\tchain mangle_%s {\n",
		config_name_of(config_mangle_chain_names, (int)c));
	for (i = 0; i < cfg->n_mangle; i++)
		if (entry_enabled(&cfg->mangle[i].c) &&
		    cfg->mangle[i].chain == c)
			put_mangle_rule(o, cfg, p, i);
	fputs("\t}\n", o->f);
}

int ruleset_counter_name(char *buf, size_t len, enum config_menu menu,
			 size_t index)
{
	static const char *const prefix[CONFIG_MENUS] = {
		[CONFIG_MENU_FIREWALL_NAT] = "nat",
		[CONFIG_MENU_FIREWALL_MANGLE] = "mangle",
	};
	int n;

	if ((unsigned)menu >= CONFIG_MENUS || !prefix[menu])
		return -EINVAL;
	n = snprintf(buf, len, "%s_%zu", prefix[menu], index);
	return n >= 0 && (size_t)n < len ? 0 : -ENOSPC;
}

char *ruleset_build(const struct config *cfg, const struct plan *p)
{
	struct out o = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int c;

	o.f = open_memstream(&buf, &len);
	if (!o.f)
		return NULL;
	fprintf(o.f, "table %s %s {\n", PLAN_NFT_FAMILY, PLAN_NFT_TABLE);
	put_counter_objects(&o, cfg);
	put_list_sets(&o, cfg);
	put_iflist_sets(&o, cfg);
	put_prerouting(&o, cfg, p);
	if (has_mangle(cfg, MANGLE_INPUT)) {
		put_base_chain(&o, "input", "filter", "input", "mangle");
		put_base_chain_end(&o, cfg, MANGLE_INPUT);
	}
	put_base_chain(&o, "forward", "filter", "forward", "mangle");
	/*
	 * An invalid packet skips NAT and would leave with a private source
	 * (after a flush with nf_conntrack_tcp_loose=0, say): drop it.
	 */
	fputs("\t\tct state invalid drop\n", o.f);
	put_base_chain_end(&o, cfg, MANGLE_FORWARD);
	put_output(&o, cfg, p);
	put_postrouting(&o, cfg, p);
	put_nat_chain(&o, cfg, p, NAT_DSTNAT);
	put_nat_chain(&o, cfg, p, NAT_SRCNAT);
	for (c = 0; c < MANGLE_CHAINS; c++)
		put_mangle_chain(&o, cfg, p, (enum mangle_chain)c);
	fputs("}\n", o.f);
	if (ferror(o.f) && !o.err)
		o.err = -ENOMEM;
	if (fclose(o.f) && !o.err)
		o.err = -ENOMEM;
	if (o.err) {
		free(buf);
		errno = -o.err;
		return NULL;
	}
	return buf;
}
