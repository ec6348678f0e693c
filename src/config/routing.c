// SPDX-License-Identifier: MIT
/*
 * routing.c - the attributes of the menus that say where packets go: /ip
 * address (the connected networks), /ip route and /routing table.
 *
 * The rows use the plain readers and writers of values.c where a value is
 * one field; what is left here are the values with structure or rules of
 * their own: an address with its prefix length, a route's gateway list
 * (the list as written, repeats and all, since repeats are weights), its
 * table in either RouterOS spelling, a type that is a flag in disguise.
 * Handlers judge one value each; rules that need more than one value are
 * validate.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "config/menus.h"

#define ADDRESS(f) offsetof(struct ip_address, f)
#define ROUTE(f) offsetof(struct route, f)
#define TABLE(f) offsetof(struct routing_table, f)

/* ---- /ip address ---- */

static int read_address(struct diag *d, const struct attr_def *def, void *value,
			const struct attr *a)
{
	struct ip_address *ia = value;
	const char *s = a->value, *why = scan_prefix(&s, &ia->addr, &ia->len);

	if (!why && *s)
		why = "expected an address a.b.c.d/len";
	return why ? attr_bad_value(d, a, why) : 0;
}

static void write_address(struct attr_out *o, const struct attr_def *def,
			  const void *value, const void *dflt)
{
	const struct ip_address *ia = value;
	char a[IPV4_STR_MAX];

	attr_printf(o, def->key, "%s/%u", ipv4_str(ia->addr, a), ia->len);
}

const struct attr_def ip_address_attrs[] = {
	{ "address", read_address, write_address, .offset = WHOLE_ENTRY,
	  .loc = ADDRESS(addr_loc), .required = true },
	{ "network", attr_read_ipv4, attr_write_ipv4,
	  .offset = ADDRESS(network), .loc = ADDRESS(network_loc),
	  .given = ADDRESS(has_network) },
	{ "broadcast", attr_read_ipv4, attr_write_ipv4,
	  .offset = ADDRESS(broadcast), .loc = ADDRESS(broadcast_loc),
	  .given = ADDRESS(has_broadcast) },
	{ "interface", attr_read_name, attr_write_name,
	  .offset = ADDRESS(interface), .loc = ADDRESS(interface_loc),
	  .required = true },
	{ .key = NULL },
};

/* ---- /ip route ---- */

static int read_route_dst(struct diag *d, const struct attr_def *def,
			  void *value, const struct attr *a)
{
	struct route *r = value;

	return attr_network(d, a, a->value, &r->dst, &r->dst_len);
}

/* dst-address is the route's key: always shown, as RouterOS does. */
static void write_route_dst(struct attr_out *o, const struct attr_def *def,
			    const void *value, const void *dflt)
{
	const struct route *r = value;
	char a[IPV4_STR_MAX];

	attr_printf(o, def->key, "%s/%u", ipv4_str(r->dst, a), r->dst_len);
}

/* Reads one element of a gateway list: address, address%iface or iface. */
static int read_gateway(struct diag *d, const char *s, size_t len,
			struct loc loc, struct gateway *gw)
{
	char elem[CONFIG_NAME_MAX * 2];
	const char *pct, *q = elem, *why;

	memset(gw, 0, sizeof(*gw));
	gw->loc = loc;
	if (len == 0) {
		diag_error(d, loc, "empty element in gateway list");
		return -EINVAL;
	}
	if (len >= sizeof(elem)) {
		diag_error(d, loc, "gateway '%.*s' is too long", (int)len, s);
		return -EINVAL;
	}
	memcpy(elem, s, len);
	elem[len] = '\0';
	pct = strchr(elem, '%');
	why = scan_ipv4(&q, &gw->addr);
	if (!why && (*q == '\0' || q == pct)) {
		gw->has_addr = true;
		if (!pct)
			return 0;
		s = pct + 1;
		loc.col += (int)(s - elem);
	} else if (pct ||
		   (elem[0] >= '0' && elem[0] <= '9' && strchr(elem, '.'))) {
		/* It was meant as an address; say what is wrong with it. */
		diag_error(d, loc, "invalid gateway '%s': %s", elem,
			   why ? why : "expected a.b.c.d or a.b.c.d%interface");
		return -EINVAL;
	} else {
		s = elem;
	}
	if (!*s) {
		diag_error(d, loc, "gateway '%s' needs an interface after '%%'",
			   elem);
		return -EINVAL;
	}
	if (strlen(s) >= CONFIG_NAME_MAX) {
		diag_error(d, loc, "interface name '%s' is too long", s);
		return -EINVAL;
	}
	strcpy(gw->interface, s);
	return 0;
}

static int read_gateways(struct diag *d, const struct attr_def *def,
			 void *value, const struct attr *a)
{
	struct route *r = value;
	const char *s = a->value, *comma;
	struct gateway *gws;
	size_t n = 0, cap = 1;
	int rc = 0;

	if (!*s) {
		diag_error(d, a->value_loc, "gateway needs a value");
		return -EINVAL;
	}
	/* Exactly as many as written: a big table has one per route. */
	for (comma = s; (comma = strchr(comma, ',')); comma++)
		cap++;
	gws = calloc(cap, sizeof(*gws));
	if (!gws)
		return -ENOMEM;
	for (;;) {
		struct loc loc = a->value_loc;
		size_t len;

		comma = strchr(s, ',');
		len = comma ? (size_t)(comma - s) : strlen(s);
		loc.col += (int)(s - a->value) + (a->quoted ? 1 : 0);
		rc = read_gateway(d, s, len, loc, &gws[n]);
		if (rc < 0)
			break;
		n++;
		if (!comma)
			break;
		s = comma + 1;
	}
	if (rc < 0) {
		free(gws);
		return rc;
	}
	free(r->gateways);
	r->gateways = gws;
	r->n_gateways = n;
	return 0;
}

/* The gateway list as one value, so an odd interface name gets quoted. */
static void write_gateways(struct attr_out *o, const struct attr_def *def,
			   const void *value, const void *dflt)
{
	const struct route *r = value;
	char a[IPV4_STR_MAX], *buf, *p;
	size_t j;

	if (!r->n_gateways)
		return;
	buf = malloc(r->n_gateways * (IPV4_STR_MAX + CONFIG_NAME_MAX + 1) + 1);
	if (!buf)
		return;
	p = buf;
	for (j = 0; j < r->n_gateways; j++) {
		const struct gateway *gw = &r->gateways[j];

		if (j)
			*p++ = ',';
		if (gw->has_addr)
			p += sprintf(p, "%s%s", ipv4_str(gw->addr, a),
				     gw->interface[0] ? "%" : "");
		p += sprintf(p, "%s", gw->interface);
	}
	attr_text(o, def->key, buf);
	free(buf);
}

/* RouterOS exports write "no check" as an empty value. */
static int read_check(struct diag *d, const struct attr_def *def, void *value,
		      const struct attr *a)
{
	if (!strcmp(a->value, "bfd")) {
		/* docs/config.md "check-gateway=bfd": why not. */
		diag_error(d, a->value_loc,
			   "check-gateway=bfd is not supported: ecmpd runs no "
			   "BFD sessions (FRR's bfdd is not driven by ecmpd); "
			   "use check-gateway=ping, or a /tool netwatch on a "
			   "host behind the gateway");
		return -EINVAL;
	}
	if (*a->value)
		return attr_read_enum(d, def, value, a);
	*(int *)value = CHECK_NONE;
	return 0;
}

/*
 * The table, as routing-mark= (v6) or routing-table= (v7): one field, and
 * the key it was written with, so the printer writes it back the same way.
 */
static bool table_key_v7(const struct attr_def *def)
{
	return !strcmp(def->key, "routing-table");
}

static int read_table(struct diag *d, const struct attr_def *def, void *value,
		      const struct attr *a)
{
	struct route *r = value;

	if (r->table_loc.line) {
		diag_error(
			d, a->key_loc,
			"routing-mark and routing-table both given; use one");
		return -EINVAL;
	}
	r->table_v7 = table_key_v7(def);
	r->table_loc = a->value_loc;
	if (attr_name(d, a, a->value, r->table) < 0)
		return -EINVAL;
	/* The main table is the default, which the model writes as "". */
	if (config_is_main_table(r->table))
		r->table[0] = '\0';
	return 0;
}

static void write_table(struct attr_out *o, const struct attr_def *def,
			const void *value, const void *dflt)
{
	const struct route *r = value;

	if (r->table[0] && r->table_v7 == table_key_v7(def))
		attr_text(o, def->key, r->table);
}

static int read_route_type(struct diag *d, const struct attr_def *def,
			   void *value, const struct attr *a)
{
	bool *blackhole = value;

	if (!strcmp(a->value, "unicast")) {
		*blackhole = false;
		return 0;
	}
	if (!strcmp(a->value, "blackhole")) {
		*blackhole = true;
		return 0;
	}
	return attr_bad_value(d, a, "expected unicast or blackhole");
}

static void write_route_type(struct attr_out *o, const struct attr_def *def,
			     const void *value, const void *dflt)
{
	if (*(const bool *)value)
		attr_text(o, def->key, "blackhole");
}

const struct attr_def ip_route_attrs[] = {
	{ "dst-address", read_route_dst, write_route_dst, .offset = WHOLE_ENTRY,
	  .loc = ROUTE(dst_loc) },
	{ "gateway", read_gateways, write_gateways, .offset = WHOLE_ENTRY,
	  .loc = ROUTE(gateway_loc) },
	{ "check-gateway", read_check, attr_write_enum,
	  .offset = ROUTE(check_gateway), .loc = ROUTE(check_gateway_loc),
	  .names = config_check_gateway_names },
	{ "distance", attr_read_uint, attr_write_uint,
	  .offset = ROUTE(distance), .loc = ROUTE(distance_loc) },
	{ "pref-src", attr_read_ipv4, attr_write_ipv4,
	  .offset = ROUTE(pref_src), .loc = ROUTE(pref_src_loc),
	  .given = ROUTE(has_pref_src) },
	{ "scope", attr_read_uint, attr_write_uint, .offset = ROUTE(scope),
	  .given = ROUTE(has_scope) },
	{ "target-scope", attr_read_uint, attr_write_uint,
	  .offset = ROUTE(target_scope), .given = ROUTE(has_target_scope) },
	{ "routing-mark", read_table, write_table, .offset = WHOLE_ENTRY },
	{ "routing-table", read_table, write_table, .offset = WHOLE_ENTRY },
	{ "type", read_route_type, write_route_type,
	  .offset = ROUTE(blackhole) },
	/* The v7 flag spelling of type=blackhole, printed as that. */
	{ "blackhole", attr_read_bool, NULL, .offset = ROUTE(blackhole),
	  .flag = true },
	{ .key = NULL },
};

void ip_route_release(void *entry)
{
	free(((struct route *)entry)->gateways);
}

/* ---- /routing table ---- */

const struct attr_def routing_table_attrs[] = {
	{ "name", attr_read_name, attr_write_name, .offset = TABLE(name),
	  .loc = TABLE(name_loc), .required = true },
	{ "fib", attr_read_bool, attr_write_flag, .offset = TABLE(fib),
	  .flag = true },
	{ .key = NULL },
};
