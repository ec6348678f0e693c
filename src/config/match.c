// SPDX-License-Identifier: MIT
/*
 * match.c - the rule matcher: what a firewall rule tests, read and
 * written the same way in every firewall menu.
 *
 * rule_match_attrs[] is the one table of the matcher's attributes. Each
 * row binds a key to a field of struct rule_match and to the reader and
 * writer of that field's kind; several attributes share a kind (an
 * interface, a connection mark and a routing mark are all names with an
 * optional '!'), so a new attribute of a known kind is one row here, its
 * field in config.h, its checks in validate.c and its nft words in
 * ruleset.c. Which menus take it, and where it goes in their printed
 * order, is their MATCH_ATTR() rows in menus.c.
 */
#include <errno.h>
#include <string.h>

#include "base/ipv4.h"
#include "config/menus.h"

/* ---- a name with an optional leading '!' ---- */

static int read_name_match(struct diag *d, const struct attr_def *def,
			   void *value, const struct attr *a)
{
	struct name_match *m = value;
	const char *s = a->value;

	m->loc = a->value_loc;
	m->negate = *s == '!';
	return attr_name(d, a, m->negate ? s + 1 : s, m->name);
}

static void write_name_match(struct attr_out *o, const struct attr_def *def,
			     const void *value, const void *dflt)
{
	const struct name_match *m = value;
	char buf[CONFIG_NAME_MAX + 1];

	if (!m->name[0])
		return;
	snprintf(buf, sizeof(buf), "%s%s", m->negate ? "!" : "", m->name);
	attr_text(o, def->key, buf);
}

/* ---- "!"? then a prefix or a range a.b.c.d-e.f.g.h ---- */

static int read_addr_match(struct diag *d, const struct attr_def *def,
			   void *value, const struct attr *a)
{
	struct addr_match r = { .set = true, .loc = a->value_loc };
	const char *s = a->value, *why;

	if (*s == '!') {
		r.negate = true;
		s++;
	}
	if (strchr(s, '-')) {
		why = scan_ipv4(&s, &r.lo);
		if (!why && *s++ != '-')
			why = "expected a range a.b.c.d-e.f.g.h";
		if (!why)
			why = scan_ipv4(&s, &r.hi);
		if (!why && *s)
			why = "expected a range a.b.c.d-e.f.g.h";
		if (!why && r.lo > r.hi)
			why = "the range's start is above its end";
		if (why)
			return attr_bad_value(d, a, why);
		r.is_range = true;
	} else if (attr_network(d, a, s, &r.lo, &r.len) < 0) {
		return -EINVAL;
	}
	*(struct addr_match *)value = r;
	return 0;
}

static void write_addr_match(struct attr_out *o, const struct attr_def *def,
			     const void *value, const void *dflt)
{
	const struct addr_match *m = value;
	char a[IPV4_STR_MAX];

	if (!m->set)
		return;
	attr_printf(o, def->key, "%s%s", m->negate ? "!" : "",
		    ipv4_str(m->lo, a));
	if (m->is_range)
		fprintf(o->f, "-%s", ipv4_str(m->hi, a));
	else
		fprintf(o->f, "/%u", m->len);
}

/* ---- a port list such as "80,443,8000-8080" ---- */

static int read_ports(struct diag *d, const struct attr_def *def, void *value,
		      const struct attr *a)
{
	struct port_match r = { .set = true, .loc = a->value_loc };
	const char *s = a->value, *why;

	for (;;) {
		if (r.n == PORT_SPANS_MAX)
			return attr_bad_value(d, a,
					      "more than 16 ports or ranges");
		why = scan_port_span(&s, &r.spans[r.n].lo, &r.spans[r.n].hi);
		if (why)
			return attr_bad_value(d, a, why);
		r.n++;
		if (!*s)
			break;
		if (*s++ != ',')
			return attr_bad_value(
				d, a, "expected ports like 80,443,8000-8080");
	}
	*(struct port_match *)value = r;
	return 0;
}

static void write_ports(struct attr_out *o, const struct attr_def *def,
			const void *value, const void *dflt)
{
	const struct port_match *m = value;
	size_t i;

	if (!m->set)
		return;
	attr_key(o, def->key);
	for (i = 0; i < m->n; i++) {
		fprintf(o->f, "%s%u", i ? "," : "", m->spans[i].lo);
		if (m->spans[i].hi != m->spans[i].lo)
			fprintf(o->f, "-%u", m->spans[i].hi);
	}
}

/* ---- a protocol name or number ---- */

static int read_protocol(struct diag *d, const struct attr_def *def,
			 void *value, const struct attr *a)
{
	struct protocol_match *m = value;
	const char *s = a->value;
	unsigned long v;
	int num;

	m->loc = a->value_loc;
	if (config_value_of(config_protocol_names, s, &num)) {
		m->number = (uint8_t)num;
		return 0;
	}
	if (scan_uint(&s, 255, &v) && !*s && v > 0) {
		m->number = (uint8_t)v;
		return 0;
	}
	return attr_bad_value(d, a,
			      "expected a protocol name (tcp, udp, icmp, gre, "
			      "...) or a number 1..255");
}

static void write_protocol(struct attr_out *o, const struct attr_def *def,
			   const void *value, const void *dflt)
{
	const struct protocol_match *m = value;
	const char *name = config_name_of(config_protocol_names, m->number);

	if (name && m->number)
		attr_text(o, def->key, name);
	else if (m->number)
		attr_printf(o, def->key, "%u", m->number);
}

/* ---- connection-state: "!"? then a list of states ---- */

static int read_state(struct diag *d, const struct attr_def *def, void *value,
		      const struct attr *a)
{
	struct state_match *m = value;
	const char *s = a->value;
	char list[256], word[32];
	unsigned states = 0;
	bool negate = false;
	int v;

	m->loc = a->value_loc;
	if (*s == '!') {
		negate = true;
		s++;
	}
	for (;;) {
		size_t len = strcspn(s, ",");

		if (len >= sizeof(word) || len == 0)
			goto bad;
		memcpy(word, s, len);
		word[len] = '\0';
		if (!config_value_of(config_conn_state_names, word, &v))
			goto bad;
		states |= (unsigned)v;
		s += len;
		if (!*s)
			break;
		s++;
	}
	m->states = states;
	m->negate = negate;
	return 0;

bad:
	diag_error(d, a->value_loc, "invalid %s '%s': expected a list of %s",
		   a->key, a->value,
		   attr_list_names(config_conn_state_names, list,
				   sizeof(list)));
	return -EINVAL;
}

static void write_state(struct attr_out *o, const struct attr_def *def,
			const void *value, const void *dflt)
{
	const struct state_match *m = value;
	const struct config_name *t;
	bool first = true;

	if (!m->states)
		return;
	attr_key(o, def->key);
	fputs(m->negate ? "!" : "", o->f);
	for (t = config_conn_state_names; t->name; t++) {
		if (m->states & (unsigned)t->value) {
			fprintf(o->f, "%s%s", first ? "" : ",", t->name);
			first = false;
		}
	}
}

/* ---- dst-address-type: "!"? then one type ---- */

static int read_addr_type(struct diag *d, const struct attr_def *def,
			  void *value, const struct attr *a)
{
	struct addr_type_match *m = value;
	struct attr plain = *a;
	int v;

	m->loc = a->value_loc;
	m->negate = a->value[0] == '!';
	if (m->negate)
		plain.value++;
	if (attr_enum(d, &plain, config_addr_type_names, &v) < 0)
		return -EINVAL;
	m->type = (enum addr_type)v;
	return 0;
}

static void write_addr_type(struct attr_out *o, const struct attr_def *def,
			    const void *value, const void *dflt)
{
	const struct addr_type_match *m = value;

	if (m->type != ADDR_TYPE_NONE)
		attr_printf(o, def->key, "%s%s", m->negate ? "!" : "",
			    config_name_of(config_addr_type_names,
					   (int)m->type));
}

/* ---- per-connection-classifier: FIELDS:DENOMINATOR/REMAINDER ---- */

static int read_pcc(struct diag *d, const struct attr_def *def, void *value,
		    const struct attr *a)
{
	struct pcc_match *m = value;
	char fields[64], list[512];
	const char *s = a->value, *colon = strchr(s, ':');
	unsigned long den, rem;
	int v;

	m->loc = a->value_loc;
	if (!colon || (size_t)(colon - s) >= sizeof(fields))
		goto bad;
	memcpy(fields, s, (size_t)(colon - s));
	fields[colon - s] = '\0';
	if (!config_value_of(config_pcc_names, fields, &v))
		goto bad;
	s = colon + 1;
	if (!scan_uint(&s, 999999, &den) || *s++ != '/' ||
	    !scan_uint(&s, 999999, &rem) || *s)
		goto bad;
	m->fields = (enum pcc_fields)v;
	m->denominator = (unsigned)den;
	m->remainder = (unsigned)rem;
	return 0;

bad:
	diag_error(d, a->value_loc,
		   "invalid %s '%s': expected FIELDS:DENOMINATOR/REMAINDER "
		   "with FIELDS one of %s",
		   a->key, a->value,
		   attr_list_names(config_pcc_names, list, sizeof(list)));
	return -EINVAL;
}

static void write_pcc(struct attr_out *o, const struct attr_def *def,
		      const void *value, const void *dflt)
{
	const struct pcc_match *m = value;

	if (m->fields != PCC_NONE)
		attr_printf(o, def->key, "%s:%u/%u",
			    config_name_of(config_pcc_names, (int)m->fields),
			    m->denominator, m->remainder);
}

#define FIELD(f) offsetof(struct rule_match, f)

const struct attr_def rule_match_attrs[MATCH_ATTRS] = {
	[MATCH_IN_INTERFACE] = { .key = "in-interface",
				 .read = read_name_match,
				 .write = write_name_match,
				 .offset = FIELD(in_interface) },
	[MATCH_OUT_INTERFACE] = { .key = "out-interface",
				  .read = read_name_match,
				  .write = write_name_match,
				  .offset = FIELD(out_interface) },
	[MATCH_SRC_ADDRESS] = { .key = "src-address",
				.read = read_addr_match,
				.write = write_addr_match,
				.offset = FIELD(src_address) },
	[MATCH_DST_ADDRESS] = { .key = "dst-address",
				.read = read_addr_match,
				.write = write_addr_match,
				.offset = FIELD(dst_address) },
	[MATCH_SRC_ADDRESS_LIST] = { .key = "src-address-list",
				     .read = read_name_match,
				     .write = write_name_match,
				     .offset = FIELD(src_address_list) },
	[MATCH_DST_ADDRESS_LIST] = { .key = "dst-address-list",
				     .read = read_name_match,
				     .write = write_name_match,
				     .offset = FIELD(dst_address_list) },
	[MATCH_IN_INTERFACE_LIST] = { .key = "in-interface-list",
				      .read = read_name_match,
				      .write = write_name_match,
				      .offset = FIELD(in_interface_list) },
	[MATCH_OUT_INTERFACE_LIST] = { .key = "out-interface-list",
				       .read = read_name_match,
				       .write = write_name_match,
				       .offset = FIELD(out_interface_list) },
	[MATCH_DST_ADDRESS_TYPE] = { .key = "dst-address-type",
				     .read = read_addr_type,
				     .write = write_addr_type,
				     .offset = FIELD(dst_address_type) },
	[MATCH_PROTOCOL] = { .key = "protocol",
			     .read = read_protocol,
			     .write = write_protocol,
			     .offset = FIELD(protocol) },
	[MATCH_DST_PORT] = { .key = "dst-port",
			     .read = read_ports,
			     .write = write_ports,
			     .offset = FIELD(dst_port) },
	[MATCH_CONNECTION_STATE] = { .key = "connection-state",
				     .read = read_state,
				     .write = write_state,
				     .offset = FIELD(connection_state) },
	[MATCH_CONNECTION_MARK] = { .key = "connection-mark",
				    .read = read_name_match,
				    .write = write_name_match,
				    .offset = FIELD(connection_mark) },
	[MATCH_ROUTING_MARK] = { .key = "routing-mark",
				 .read = read_name_match,
				 .write = write_name_match,
				 .offset = FIELD(routing_mark) },
	[MATCH_PCC] = { .key = "per-connection-classifier",
			.read = read_pcc,
			.write = write_pcc,
			.offset = FIELD(pcc) },
};
