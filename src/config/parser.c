// SPDX-License-Identifier: MIT
/*
 * parser.c - RouterOS script (.rsc) to config.
 *
 * The parser walks the lexer's logical lines. A line starting with '/'
 * names a menu: its path is collected from the words that follow ("/ip
 * route", "/ ip route" and "/ip/route" all give "ip route") until a
 * command word, so "/ip/route/add dst-address=..." is a menu line and a
 * command at once. Other lines are commands in the current menu. A menu
 * ecmpd does not support is skipped, with one warning on its menu line,
 * until the next menu line; whatever scripting it contains ("[ find ]",
 * "{ }") is never looked at.
 *
 * A command is read in two steps: first the line becomes a list of
 * attributes (key, value, places), then each attribute goes to its
 * menu's handler through a table. Handlers only judge one value: is it
 * well-formed and representable in the model. Everything that needs more
 * than one value (ranges the model can hold, cross-references, required
 * combinations) is config_validate()'s business, so a config built by
 * hand gets the same checks as one parsed from text. An entry with any
 * error is dropped, and parsing resumes at the next line, so one run
 * reports every syntax error in the file.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "config/lexer.h"
#include "config/parser.h"

enum menu {
	MENU_NONE, /* before any menu line */
	MENU_SKIPPED, /* a menu ecmpd does not support */
	MENU_IP_ADDRESS,
	MENU_IP_ROUTE,
	MENU_ROUTING_TABLE,
	MENU_IP_SETTINGS,
	MENU_ROUTING_SETTINGS,
	MENU_NAT,
	MENU_MANGLE,
};

static const struct {
	const char *path;
	enum menu menu;
	bool settings; /* takes "set", not "add" */
} menus[] = {
	{ "ip address", MENU_IP_ADDRESS, false },
	{ "ip route", MENU_IP_ROUTE, false },
	{ "routing table", MENU_ROUTING_TABLE, false },
	{ "ip settings", MENU_IP_SETTINGS, true },
	{ "routing settings", MENU_ROUTING_SETTINGS, true },
	{ "ip firewall nat", MENU_NAT, false },
	{ "ip firewall mangle", MENU_MANGLE, false },
};

/* RouterOS's commands: a path word that is one of these ends the path. */
static const char *const commands[] = {
	"add",	  "set",     "remove",	"print", "export",
	"enable", "disable", "comment", "move",	 "find",
	"edit",	  "unset",   "reset",	"get",	 "monitor",
};

struct parser {
	struct config *cfg;
	struct diag *d;
	enum menu menu;
	const char *menu_path; /* for messages: "ip route" */
	bool settings;
};

/* One key[=value] of a command. */
struct attr {
	const char *key;
	struct loc key_loc;
	bool has_value;
	char *value; /* owned; "" for "key=" */
	struct loc value_loc;
	bool quoted; /* the value starts with a quoted string */
};

struct command {
	const char *verb;
	struct loc loc;
	struct attr *attrs;
	size_t n;
};

/* Handlers return 0, -EINVAL after reporting the problem, or -ENOMEM. */
typedef int (*attr_fn)(struct parser *p, void *entry, const struct attr *a);

struct attr_spec {
	const char *key;
	attr_fn fn;
	bool flag_ok; /* may be written without "=value" */
};

/* ---- value scanners: pure, no diagnostics ---- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a decimal number no larger than max; advances *sp. */
static bool scan_uint(const char **sp, unsigned long max, unsigned long *out)
{
	const char *s = *sp;
	unsigned long v = 0;

	if (!is_digit(*s))
		return false;
	for (; is_digit(*s); s++) {
		unsigned long digit = (unsigned long)(*s - '0');

		if (v > (max - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*sp = s;
	*out = v;
	return true;
}

/* Reads a dotted quad; advances *sp. NULL on success, else the reason. */
static const char *scan_ipv4(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	uint32_t addr = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned long octet;
		const char *start = s;

		if (i > 0) {
			if (*s != '.')
				return "expected an address a.b.c.d";
			start = ++s;
		}
		if (!scan_uint(&s, 99999, &octet) || s - start > 3)
			return is_digit(*start) ?
				       "an octet is out of range 0..255" :
				       "expected an address a.b.c.d";
		if (octet > 255)
			return "an octet is out of range 0..255";
		addr = addr << 8 | (uint32_t)octet;
	}
	*sp = s;
	*out = addr;
	return NULL;
}

/* Reads "a.b.c.d" or "a.b.c.d/len" (len 32 when absent); advances *sp. */
static const char *scan_prefix(const char **sp, uint32_t *addr, uint8_t *len)
{
	const char *s = *sp, *why;
	unsigned long l = 32;

	why = scan_ipv4(&s, addr);
	if (why)
		return why;
	if (*s == '/') {
		s++;
		if (!scan_uint(&s, 9999, &l))
			return "expected a prefix length after '/'";
		if (l > 32)
			return "the prefix length is out of range 0..32";
	}
	*sp = s;
	*len = (uint8_t)l;
	return NULL;
}

/*
 * Reads a RouterOS time: "hh:mm:ss", or numbers with units w d h m s ms
 * ("1m30s", "100ms"); a bare number is seconds. Milliseconds in *ms.
 */
static bool scan_time(const char *s, unsigned *ms)
{
	unsigned long long total = 0;
	unsigned long v, h, m, sec;

	if (strchr(s, ':')) {
		if (!scan_uint(&s, 1000000, &h) || *s++ != ':' ||
		    !scan_uint(&s, 59, &m) || *s++ != ':' ||
		    !scan_uint(&s, 59, &sec) || *s)
			return false;
		total = ((unsigned long long)h * 3600 + m * 60 + sec) * 1000;
		goto out;
	}
	if (!*s)
		return false;
	while (*s) {
		unsigned long long unit;

		if (!scan_uint(&s, 1000000000, &v))
			return false;
		if (s[0] == 'm' && s[1] == 's')
			unit = 1, s += 2;
		else if (*s == 'w')
			unit = 7ull * 86400000, s++;
		else if (*s == 'd')
			unit = 86400000, s++;
		else if (*s == 'h')
			unit = 3600000, s++;
		else if (*s == 'm')
			unit = 60000, s++;
		else if (*s == 's')
			unit = 1000, s++;
		else if (!*s)
			unit = 1000;
		else
			return false;
		total += v * unit;
		if (total > UINT_MAX)
			return false;
	}
out:
	if (total > UINT_MAX)
		return false;
	*ms = (unsigned)total;
	return true;
}

/* ---- diagnostics helpers ---- */

static int bad_value(struct parser *p, const struct attr *a, const char *why)
{
	diag_error(p->d, a->value_loc, "invalid %s '%s': %s", a->key, a->value,
		   why);
	return -EINVAL;
}

/* "ping, arp or none" for a message; buf must hold the whole list. */
static const char *list_names(const struct config_name *t, char *buf,
			      size_t size)
{
	size_t i, n = 0, used = 0;

	while (t[n].name)
		n++;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
		int w = snprintf(buf + used, size - used, "%s%s", sep,
				 t[i].name);

		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

static int get_enum(struct parser *p, const struct attr *a,
		    const struct config_name *t, int *out)
{
	char list[512];

	if (config_value_of(t, a->value, out))
		return 0;
	diag_error(p->d, a->value_loc, "invalid %s '%s': expected %s", a->key,
		   a->value, list_names(t, list, sizeof(list)));
	return -EINVAL;
}

static int get_name(struct parser *p, const struct attr *a, const char *s,
		    char out[CONFIG_NAME_MAX])
{
	if (!*s) {
		diag_error(p->d, a->value_loc, "%s needs a name", a->key);
		return -EINVAL;
	}
	if (strlen(s) >= CONFIG_NAME_MAX) {
		diag_error(p->d, a->value_loc,
			   "%s '%s' is longer than %d characters", a->key, s,
			   CONFIG_NAME_MAX - 1);
		return -EINVAL;
	}
	strcpy(out, s);
	return 0;
}

/* A name with an optional leading '!'. */
static int get_name_neg(struct parser *p, const struct attr *a,
			char out[CONFIG_NAME_MAX], bool *negate)
{
	const char *s = a->value;

	*negate = *s == '!';
	return get_name(p, a, *negate ? s + 1 : s, out);
}

static int get_uint(struct parser *p, const struct attr *a, unsigned long max,
		    unsigned *out)
{
	const char *s = a->value;
	unsigned long v;

	if (!scan_uint(&s, max, &v) || *s) {
		diag_error(p->d, a->value_loc,
			   "invalid %s '%s': expected a decimal number", a->key,
			   a->value);
		return -EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

static int get_bool(struct parser *p, const struct attr *a, bool *out)
{
	if (!a->has_value || !strcmp(a->value, "yes") ||
	    !strcmp(a->value, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(a->value, "no") || !strcmp(a->value, "false")) {
		*out = false;
		return 0;
	}
	diag_error(p->d, a->value_loc, "invalid %s '%s': expected yes or no",
		   a->key, a->value);
	return -EINVAL;
}

static int get_ipv4(struct parser *p, const struct attr *a, uint32_t *out)
{
	const char *s = a->value, *why = scan_ipv4(&s, out);

	if (!why && *s)
		why = "expected an address a.b.c.d";
	return why ? bad_value(p, a, why) : 0;
}

/* A network prefix: host bits must be clear. */
static int get_network(struct parser *p, const struct attr *a, const char *s,
		       uint32_t *addr, uint8_t *len)
{
	const char *why = scan_prefix(&s, addr, len);

	if (!why && *s)
		why = "expected a prefix a.b.c.d/len";
	if (why)
		return bad_value(p, a, why);
	if (*addr & ~ipv4_mask(*len)) {
		uint32_t net = *addr & ipv4_mask(*len);

		diag_error(p->d, a->value_loc,
			   "invalid %s '%s': host bits are set (the network is "
			   "%u.%u.%u.%u/%u)",
			   a->key, a->value, net >> 24, (net >> 16) & 255,
			   (net >> 8) & 255, net & 255, *len);
		return -EINVAL;
	}
	return 0;
}

/* "!"? then a prefix or a range a.b.c.d-e.f.g.h. */
static int get_addr_match(struct parser *p, const struct attr *a,
			  struct addr_match *m)
{
	const char *s = a->value, *why;
	struct addr_match r = { .set = true, .loc = a->value_loc };

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
			return bad_value(p, a, why);
		r.is_range = true;
		*m = r;
		return 0;
	}
	if (get_network(p, a, s, &r.lo, &r.len) < 0)
		return -EINVAL;
	*m = r;
	return 0;
}

static int get_protocol(struct parser *p, const struct attr *a, uint8_t *out)
{
	const char *s = a->value;
	unsigned long v;
	int num;

	if (config_value_of(config_protocol_names, s, &num)) {
		*out = (uint8_t)num;
		return 0;
	}
	if (scan_uint(&s, 255, &v) && !*s && v > 0) {
		*out = (uint8_t)v;
		return 0;
	}
	return bad_value(p, a,
			 "expected a protocol name (tcp, udp, icmp, gre, ...) "
			 "or a number 1..255");
}

static bool scan_port(const char **sp, uint16_t *out)
{
	unsigned long v;

	if (!scan_uint(sp, 99999999, &v) || v == 0 || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* Reads "port" or "lo-hi" up to a ',' or the end. */
static const char *scan_port_span(const char **sp, uint16_t *lo, uint16_t *hi)
{
	if (!scan_port(sp, lo))
		return "expected a port 1..65535";
	*hi = *lo;
	if (**sp == '-') {
		(*sp)++;
		if (!scan_port(sp, hi))
			return "expected a port 1..65535";
		if (*lo > *hi)
			return "the range's start is above its end";
	}
	return NULL;
}

static int get_ports(struct parser *p, const struct attr *a,
		     struct port_match *m)
{
	const char *s = a->value, *why;
	struct port_match r = { .set = true, .loc = a->value_loc };

	for (;;) {
		if (r.n == PORT_SPANS_MAX)
			return bad_value(p, a, "more than 16 ports or ranges");
		why = scan_port_span(&s, &r.spans[r.n].lo, &r.spans[r.n].hi);
		if (why)
			return bad_value(p, a, why);
		r.n++;
		if (!*s)
			break;
		if (*s++ != ',')
			return bad_value(
				p, a, "expected ports like 80,443,8000-8080");
	}
	*m = r;
	return 0;
}

/* ---- generic attributes of every list entry ---- */

static int h_disabled(struct parser *p, void *e, const struct attr *a)
{
	return get_bool(p, a, &((struct entry_common *)e)->disabled);
}

static int h_comment(struct parser *p, void *e, const struct attr *a)
{
	struct entry_common *c = e;

	free(c->comment);
	c->comment = NULL;
	/* An empty comment is no comment, so the printer can omit it. */
	if (!*a->value)
		return 0;
	c->comment = strdup(a->value);
	return c->comment ? 0 : -ENOMEM;
}

/* ---- /ip address ---- */

static int h_addr_address(struct parser *p, void *e, const struct attr *a)
{
	struct ip_address *ia = e;
	const char *s = a->value, *why = scan_prefix(&s, &ia->addr, &ia->len);

	if (!why && *s)
		why = "expected an address a.b.c.d/len";
	if (why)
		return bad_value(p, a, why);
	ia->addr_loc = a->value_loc;
	return 0;
}

static int h_addr_network(struct parser *p, void *e, const struct attr *a)
{
	struct ip_address *ia = e;

	if (get_ipv4(p, a, &ia->network) < 0)
		return -EINVAL;
	ia->has_network = true;
	ia->network_loc = a->value_loc;
	return 0;
}

static int h_addr_broadcast(struct parser *p, void *e, const struct attr *a)
{
	struct ip_address *ia = e;

	if (get_ipv4(p, a, &ia->broadcast) < 0)
		return -EINVAL;
	ia->has_broadcast = true;
	ia->broadcast_loc = a->value_loc;
	return 0;
}

static int h_addr_interface(struct parser *p, void *e, const struct attr *a)
{
	struct ip_address *ia = e;

	ia->interface_loc = a->value_loc;
	return get_name(p, a, a->value, ia->interface);
}

static const struct attr_spec address_attrs[] = {
	{ "address", h_addr_address, false },
	{ "network", h_addr_network, false },
	{ "broadcast", h_addr_broadcast, false },
	{ "interface", h_addr_interface, false },
	{ NULL, NULL, false },
};

/* ---- /ip route ---- */

static int h_route_dst(struct parser *p, void *e, const struct attr *a)
{
	struct route *r = e;

	r->dst_loc = a->value_loc;
	return get_network(p, a, a->value, &r->dst, &r->dst_len);
}

/* Parses one element of a gateway list: address, address%iface or iface. */
static int parse_gateway(struct parser *p, const struct attr *a, const char *s,
			 size_t len, struct loc loc, struct gateway *gw)
{
	char elem[CONFIG_NAME_MAX * 2];
	const char *pct, *q = elem, *why;

	memset(gw, 0, sizeof(*gw));
	gw->loc = loc;
	if (len == 0) {
		diag_error(p->d, loc, "empty element in gateway list");
		return -EINVAL;
	}
	if (len >= sizeof(elem)) {
		diag_error(p->d, loc, "gateway '%.*s' is too long", (int)len,
			   s);
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
	} else if (pct || (is_digit(elem[0]) && strchr(elem, '.'))) {
		/* It was meant as an address; say what is wrong with it. */
		diag_error(p->d, loc, "invalid gateway '%s': %s", elem,
			   why ? why : "expected a.b.c.d or a.b.c.d%interface");
		return -EINVAL;
	} else {
		s = elem;
	}
	if (!*s) {
		diag_error(p->d, loc,
			   "gateway '%s' needs an interface after '%%'", elem);
		return -EINVAL;
	}
	if (strlen(s) >= CONFIG_NAME_MAX) {
		diag_error(p->d, loc, "interface name '%s' is too long", s);
		return -EINVAL;
	}
	strcpy(gw->interface, s);
	return 0;
}

static int h_route_gateway(struct parser *p, void *e, const struct attr *a)
{
	struct route *r = e;
	const char *s = a->value, *comma;
	struct gateway *gws = NULL;
	size_t n = 0;
	int rc = 0;

	r->gateway_loc = a->value_loc;
	if (!*s) {
		diag_error(p->d, a->value_loc, "gateway needs a value");
		return -EINVAL;
	}
	for (;;) {
		struct loc loc = a->value_loc;
		struct gateway *tmp;
		size_t len;

		comma = strchr(s, ',');
		len = comma ? (size_t)(comma - s) : strlen(s);
		loc.col += (int)(s - a->value) + (a->quoted ? 1 : 0);
		tmp = realloc(gws, (n + 1) * sizeof(*gws));
		if (!tmp) {
			rc = -ENOMEM;
			break;
		}
		gws = tmp;
		rc = parse_gateway(p, a, s, len, loc, &gws[n]);
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

static int h_route_check(struct parser *p, void *e, const struct attr *a)
{
	struct route *r = e;
	int v = CHECK_NONE;

	r->check_gateway_loc = a->value_loc;
	/* RouterOS exports write "no check" as an empty value. */
	if (*a->value && get_enum(p, a, config_check_gateway_names, &v) < 0)
		return -EINVAL;
	r->check_gateway = (enum check_gateway)v;
	return 0;
}

static int h_route_distance(struct parser *p, void *e, const struct attr *a)
{
	struct route *r = e;

	r->distance_loc = a->value_loc;
	return get_uint(p, a, 999999, &r->distance);
}

static int set_table(struct parser *p, struct route *r, const struct attr *a,
		     bool v7)
{
	if (r->table_loc.line) {
		diag_error(
			p->d, a->key_loc,
			"routing-mark and routing-table both given; use one");
		return -EINVAL;
	}
	r->table_v7 = v7;
	r->table_loc = a->value_loc;
	if (get_name(p, a, a->value, r->table) < 0)
		return -EINVAL;
	/* "main" is the default table, which the model writes as "". */
	if (!strcmp(r->table, "main"))
		r->table[0] = '\0';
	return 0;
}

static int h_route_mark(struct parser *p, void *e, const struct attr *a)
{
	return set_table(p, e, a, false);
}

static int h_route_table(struct parser *p, void *e, const struct attr *a)
{
	return set_table(p, e, a, true);
}

static int h_route_scope(struct parser *p, void *e, const struct attr *a)
{
	struct route *r = e;

	r->has_scope = true;
	return get_uint(p, a, 999999, &r->scope);
}

static int h_route_target_scope(struct parser *p, void *e, const struct attr *a)
{
	struct route *r = e;

	r->has_target_scope = true;
	return get_uint(p, a, 999999, &r->target_scope);
}

static int h_route_type(struct parser *p, void *e, const struct attr *a)
{
	struct route *r = e;

	if (!strcmp(a->value, "unicast")) {
		r->blackhole = false;
		return 0;
	}
	if (!strcmp(a->value, "blackhole")) {
		r->blackhole = true;
		return 0;
	}
	return bad_value(p, a, "expected unicast or blackhole");
}

static int h_route_blackhole(struct parser *p, void *e, const struct attr *a)
{
	return get_bool(p, a, &((struct route *)e)->blackhole);
}

static const struct attr_spec route_attrs[] = {
	{ "dst-address", h_route_dst, false },
	{ "gateway", h_route_gateway, false },
	{ "check-gateway", h_route_check, false },
	{ "distance", h_route_distance, false },
	{ "routing-mark", h_route_mark, false },
	{ "routing-table", h_route_table, false },
	{ "scope", h_route_scope, false },
	{ "target-scope", h_route_target_scope, false },
	{ "type", h_route_type, false },
	{ "blackhole", h_route_blackhole, true },
	{ NULL, NULL, false },
};

/* ---- /routing table ---- */

static int h_table_name(struct parser *p, void *e, const struct attr *a)
{
	struct routing_table *t = e;

	t->name_loc = a->value_loc;
	return get_name(p, a, a->value, t->name);
}

static int h_table_fib(struct parser *p, void *e, const struct attr *a)
{
	return get_bool(p, a, &((struct routing_table *)e)->fib);
}

static const struct attr_spec table_attrs[] = {
	{ "name", h_table_name, false },
	{ "fib", h_table_fib, true },
	{ NULL, NULL, false },
};

/* ---- /ip settings and /routing settings ---- */

static int h_hash_policy(struct parser *p, void *e, const struct attr *a)
{
	struct config *cfg = e;
	int v;

	if (get_enum(p, a, config_hash_policy_names, &v) < 0)
		return -EINVAL;
	cfg->hash_policy = (enum hash_policy)v;
	cfg->hash_policy_loc = a->value_loc;
	return 0;
}

static const struct attr_spec ip_settings_attrs[] = {
	{ "ipv4-multipath-hash-policy", h_hash_policy, false },
	{ NULL, NULL, false },
};

static int get_time(struct parser *p, const struct attr *a, unsigned *ms)
{
	if (scan_time(a->value, ms))
		return 0;
	return bad_value(p, a,
			 "expected a time such as 100ms, 10s, 1m30s or "
			 "00:00:10");
}

static int h_probe_interval(struct parser *p, void *e, const struct attr *a)
{
	return get_time(p, a, &((struct probe_settings *)e)->interval_ms);
}

static int h_probe_timeout(struct parser *p, void *e, const struct attr *a)
{
	return get_time(p, a, &((struct probe_settings *)e)->timeout_ms);
}

static int h_probe_down(struct parser *p, void *e, const struct attr *a)
{
	return get_uint(p, a, 999999,
			&((struct probe_settings *)e)->down_count);
}

static int h_probe_up(struct parser *p, void *e, const struct attr *a)
{
	return get_uint(p, a, 999999, &((struct probe_settings *)e)->up_count);
}

static const struct attr_spec routing_settings_attrs[] = {
	{ "check-gateway-interval", h_probe_interval, false },
	{ "check-gateway-timeout", h_probe_timeout, false },
	{ "check-gateway-down-count", h_probe_down, false },
	{ "check-gateway-up-count", h_probe_up, false },
	{ NULL, NULL, false },
};

/* ---- /ip firewall nat ---- */

static int h_nat_chain(struct parser *p, void *e, const struct attr *a)
{
	struct nat_rule *n = e;
	int v;

	if (get_enum(p, a, config_nat_chain_names, &v) < 0)
		return -EINVAL;
	n->chain = (enum nat_chain)v;
	return 0;
}

static int h_nat_action(struct parser *p, void *e, const struct attr *a)
{
	struct nat_rule *n = e;
	int v;

	n->action_loc = a->value_loc;
	if (get_enum(p, a, config_nat_action_names, &v) < 0)
		return -EINVAL;
	n->action = (enum nat_action)v;
	return 0;
}

static int h_nat_in(struct parser *p, void *e, const struct attr *a)
{
	struct nat_rule *n = e;

	n->in_interface_loc = a->value_loc;
	return get_name_neg(p, a, n->in_interface, &n->in_interface_negate);
}

static int h_nat_out(struct parser *p, void *e, const struct attr *a)
{
	struct nat_rule *n = e;

	n->out_interface_loc = a->value_loc;
	return get_name_neg(p, a, n->out_interface, &n->out_interface_negate);
}

static int h_nat_src(struct parser *p, void *e, const struct attr *a)
{
	return get_addr_match(p, a, &((struct nat_rule *)e)->src_address);
}

static int h_nat_dst(struct parser *p, void *e, const struct attr *a)
{
	return get_addr_match(p, a, &((struct nat_rule *)e)->dst_address);
}

static int h_nat_protocol(struct parser *p, void *e, const struct attr *a)
{
	struct nat_rule *n = e;

	n->protocol_loc = a->value_loc;
	return get_protocol(p, a, &n->protocol);
}

static int h_nat_dst_port(struct parser *p, void *e, const struct attr *a)
{
	return get_ports(p, a, &((struct nat_rule *)e)->dst_port);
}

static int h_nat_to_addresses(struct parser *p, void *e, const struct attr *a)
{
	struct nat_rule *n = e;
	const char *s = a->value, *why = scan_ipv4(&s, &n->to_addr_lo);

	n->to_addr_hi = n->to_addr_lo;
	if (!why && *s == '-') {
		s++;
		why = scan_ipv4(&s, &n->to_addr_hi);
		if (!why && n->to_addr_lo > n->to_addr_hi)
			why = "the range's start is above its end";
	}
	if (!why && *s)
		why = "expected an address or a range a.b.c.d-e.f.g.h";
	if (why)
		return bad_value(p, a, why);
	n->has_to_addresses = true;
	n->to_addresses_loc = a->value_loc;
	return 0;
}

static int h_nat_to_ports(struct parser *p, void *e, const struct attr *a)
{
	struct nat_rule *n = e;
	const char *s = a->value,
		   *why = scan_port_span(&s, &n->to_port_lo, &n->to_port_hi);

	if (!why && *s)
		why = "expected a port or a range lo-hi";
	if (why)
		return bad_value(p, a, why);
	n->has_to_ports = true;
	n->to_ports_loc = a->value_loc;
	return 0;
}

static const struct attr_spec nat_attrs[] = {
	{ "chain", h_nat_chain, false },
	{ "action", h_nat_action, false },
	{ "in-interface", h_nat_in, false },
	{ "out-interface", h_nat_out, false },
	{ "src-address", h_nat_src, false },
	{ "dst-address", h_nat_dst, false },
	{ "protocol", h_nat_protocol, false },
	{ "dst-port", h_nat_dst_port, false },
	{ "to-addresses", h_nat_to_addresses, false },
	{ "to-ports", h_nat_to_ports, false },
	{ NULL, NULL, false },
};

/* ---- /ip firewall mangle ---- */

static int h_mangle_chain(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;
	int v;

	m->chain_loc = a->value_loc;
	if (get_enum(p, a, config_mangle_chain_names, &v) < 0)
		return -EINVAL;
	m->chain = (enum mangle_chain)v;
	return 0;
}

static int h_mangle_action(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;
	int v;

	m->action_loc = a->value_loc;
	if (get_enum(p, a, config_mangle_action_names, &v) < 0)
		return -EINVAL;
	m->action = (enum mangle_action)v;
	return 0;
}

static int h_mangle_passthrough(struct parser *p, void *e, const struct attr *a)
{
	return get_bool(p, a, &((struct mangle_rule *)e)->passthrough);
}

static int h_mangle_in(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;

	m->in_interface_loc = a->value_loc;
	return get_name_neg(p, a, m->in_interface, &m->in_interface_negate);
}

static int h_mangle_out(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;

	m->out_interface_loc = a->value_loc;
	return get_name_neg(p, a, m->out_interface, &m->out_interface_negate);
}

static int h_mangle_connmark(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;

	m->connection_mark_loc = a->value_loc;
	return get_name_neg(p, a, m->connection_mark,
			    &m->connection_mark_negate);
}

static int h_mangle_routemark(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;

	m->routing_mark_loc = a->value_loc;
	return get_name_neg(p, a, m->routing_mark, &m->routing_mark_negate);
}

static int h_mangle_state(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;
	const char *s = a->value;
	char list[256], word[32];
	unsigned states = 0;
	bool negate = false;
	int v;

	m->connection_state_loc = a->value_loc;
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
	m->connection_state = states;
	m->connection_state_negate = negate;
	return 0;

bad:
	diag_error(p->d, a->value_loc,
		   "invalid connection-state '%s': expected a list of %s",
		   a->value,
		   list_names(config_conn_state_names, list, sizeof(list)));
	return -EINVAL;
}

static int h_mangle_src(struct parser *p, void *e, const struct attr *a)
{
	return get_addr_match(p, a, &((struct mangle_rule *)e)->src_address);
}

static int h_mangle_dst(struct parser *p, void *e, const struct attr *a)
{
	return get_addr_match(p, a, &((struct mangle_rule *)e)->dst_address);
}

static int h_mangle_addr_type(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;
	struct attr plain = *a;
	int v;

	m->dst_address_type_loc = a->value_loc;
	m->dst_address_type_negate = a->value[0] == '!';
	if (m->dst_address_type_negate)
		plain.value++;
	if (get_enum(p, &plain, config_addr_type_names, &v) < 0)
		return -EINVAL;
	m->dst_address_type = (enum addr_type)v;
	return 0;
}

static int h_mangle_protocol(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;

	m->protocol_loc = a->value_loc;
	return get_protocol(p, a, &m->protocol);
}

static int h_mangle_dst_port(struct parser *p, void *e, const struct attr *a)
{
	return get_ports(p, a, &((struct mangle_rule *)e)->dst_port);
}

static int h_mangle_pcc(struct parser *p, void *e, const struct attr *a)
{
	struct mangle_rule *m = e;
	char fields[64], list[512];
	const char *s = a->value, *colon = strchr(s, ':');
	unsigned long den, rem;
	int v;

	m->pcc_loc = a->value_loc;
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
	m->pcc = (enum pcc_fields)v;
	m->pcc_denominator = (unsigned)den;
	m->pcc_remainder = (unsigned)rem;
	return 0;

bad:
	diag_error(p->d, a->value_loc,
		   "invalid per-connection-classifier '%s': expected "
		   "FIELDS:DENOMINATOR/REMAINDER with FIELDS one of %s",
		   a->value, list_names(config_pcc_names, list, sizeof(list)));
	return -EINVAL;
}

static int h_mangle_new_connmark(struct parser *p, void *e,
				 const struct attr *a)
{
	struct mangle_rule *m = e;

	m->new_connection_mark_loc = a->value_loc;
	return get_name(p, a, a->value, m->new_connection_mark);
}

static int h_mangle_new_routemark(struct parser *p, void *e,
				  const struct attr *a)
{
	struct mangle_rule *m = e;

	m->new_routing_mark_loc = a->value_loc;
	return get_name(p, a, a->value, m->new_routing_mark);
}

static const struct attr_spec mangle_attrs[] = {
	{ "chain", h_mangle_chain, false },
	{ "action", h_mangle_action, false },
	{ "passthrough", h_mangle_passthrough, false },
	{ "in-interface", h_mangle_in, false },
	{ "out-interface", h_mangle_out, false },
	{ "connection-mark", h_mangle_connmark, false },
	{ "routing-mark", h_mangle_routemark, false },
	{ "connection-state", h_mangle_state, false },
	{ "src-address", h_mangle_src, false },
	{ "dst-address", h_mangle_dst, false },
	{ "dst-address-type", h_mangle_addr_type, false },
	{ "protocol", h_mangle_protocol, false },
	{ "dst-port", h_mangle_dst_port, false },
	{ "per-connection-classifier", h_mangle_pcc, false },
	{ "new-connection-mark", h_mangle_new_connmark, false },
	{ "new-routing-mark", h_mangle_new_routemark, false },
	{ NULL, NULL, false },
};

static const struct attr_spec common_attrs[] = {
	{ "disabled", h_disabled, false },
	{ "comment", h_comment, false },
	{ NULL, NULL, false },
};

/* ---- commands ---- */

static const struct attr_spec *find_spec(const struct attr_spec *t,
					 const char *key)
{
	for (; t && t->key; t++)
		if (!strcmp(t->key, key))
			return t;
	return NULL;
}

/*
 * Runs every attribute of cmd through the menu's handlers into entry (and
 * through the common ones into common, for list menus). Returns the
 * number of errors, or -ENOMEM.
 */
static int apply_attrs(struct parser *p, const struct command *cmd,
		       const struct attr_spec *specs, void *entry,
		       struct entry_common *common)
{
	int errors = 0;
	size_t i;

	for (i = 0; i < cmd->n; i++) {
		const struct attr *a = &cmd->attrs[i];
		const struct attr_spec *spec = find_spec(specs, a->key);
		void *target = entry;
		int rc;

		if (!spec && common) {
			spec = find_spec(common_attrs, a->key);
			target = common;
		}
		if (!spec && p->settings) {
			/* Real exports set many knobs ecmpd has no use for. */
			diag_warning(p->d, a->key_loc,
				     "attribute %s of /%s is not supported by "
				     "ecmpd; ignored",
				     a->key, p->menu_path);
			continue;
		}
		if (!spec) {
			diag_error(p->d, a->key_loc,
				   "unknown attribute '%s' in /%s", a->key,
				   p->menu_path);
			errors++;
			continue;
		}
		if (!a->has_value && !spec->flag_ok) {
			diag_error(p->d, a->key_loc,
				   "attribute %s needs a value (%s=...)",
				   a->key, a->key);
			errors++;
			continue;
		}
		rc = spec->fn(p, target, a);
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0)
			errors++;
	}
	return errors;
}

static int missing(struct parser *p, const struct command *cmd, const char *key)
{
	diag_error(p->d, cmd->loc, "%s= is required in /%s", key, p->menu_path);
	return 1;
}

static bool has_attr(const struct command *cmd, const char *key)
{
	size_t i;

	for (i = 0; i < cmd->n; i++)
		if (!strcmp(cmd->attrs[i].key, key))
			return true;
	return false;
}

/* Grows an entry array by one zeroed element; NULL on ENOMEM. */
static void *grow(void **array, size_t *n, size_t size)
{
	char *a = realloc(*array, (*n + 1) * size);

	if (!a)
		return NULL;
	*array = a;
	memset(a + *n * size, 0, size);
	return a + (*n)++ * size;
}

static int add_entry(struct parser *p, const struct command *cmd)
{
	struct config *cfg = p->cfg;
	int errors;

	switch (p->menu) {
	case MENU_IP_ADDRESS: {
		struct ip_address e = { .c.loc = cmd->loc };

		errors = apply_attrs(p, cmd, address_attrs, &e, &e.c);
		if (errors >= 0 && !has_attr(cmd, "address"))
			errors += missing(p, cmd, "address");
		if (errors >= 0 && !has_attr(cmd, "interface"))
			errors += missing(p, cmd, "interface");
		if (errors == 0) {
			struct ip_address *slot = grow((void **)&cfg->addresses,
						       &cfg->n_addresses,
						       sizeof(e));
			if (slot) {
				*slot = e;
				return 0;
			}
			errors = -ENOMEM;
		}
		free(e.c.comment);
		return errors < 0 ? errors : 0;
	}
	case MENU_IP_ROUTE: {
		struct route e = { .c.loc = cmd->loc, .distance = 1 };

		errors = apply_attrs(p, cmd, route_attrs, &e, &e.c);
		if (errors == 0) {
			struct route *slot = grow((void **)&cfg->routes,
						  &cfg->n_routes, sizeof(e));
			if (slot) {
				*slot = e;
				return 0;
			}
			errors = -ENOMEM;
		}
		free(e.c.comment);
		free(e.gateways);
		return errors < 0 ? errors : 0;
	}
	case MENU_ROUTING_TABLE: {
		struct routing_table e = { .c.loc = cmd->loc };

		errors = apply_attrs(p, cmd, table_attrs, &e, &e.c);
		if (errors >= 0 && !has_attr(cmd, "name"))
			errors += missing(p, cmd, "name");
		if (errors == 0) {
			struct routing_table *slot = grow((void **)&cfg->tables,
							  &cfg->n_tables,
							  sizeof(e));
			if (slot) {
				*slot = e;
				return 0;
			}
			errors = -ENOMEM;
		}
		free(e.c.comment);
		return errors < 0 ? errors : 0;
	}
	case MENU_NAT: {
		struct nat_rule e = { .c.loc = cmd->loc, .action = NAT_ACCEPT };

		errors = apply_attrs(p, cmd, nat_attrs, &e, &e.c);
		if (errors >= 0 && !has_attr(cmd, "chain"))
			errors += missing(p, cmd, "chain");
		if (errors == 0) {
			struct nat_rule *slot = grow((void **)&cfg->nat,
						     &cfg->n_nat, sizeof(e));
			if (slot) {
				*slot = e;
				return 0;
			}
			errors = -ENOMEM;
		}
		free(e.c.comment);
		return errors < 0 ? errors : 0;
	}
	case MENU_MANGLE: {
		struct mangle_rule e = {
			.c.loc = cmd->loc,
			.action = MANGLE_ACCEPT,
			.passthrough = true,
		};

		errors = apply_attrs(p, cmd, mangle_attrs, &e, &e.c);
		if (errors >= 0 && !has_attr(cmd, "chain"))
			errors += missing(p, cmd, "chain");
		if (errors == 0) {
			struct mangle_rule *slot = grow((void **)&cfg->mangle,
							&cfg->n_mangle,
							sizeof(e));
			if (slot) {
				*slot = e;
				return 0;
			}
			errors = -ENOMEM;
		}
		free(e.c.comment);
		return errors < 0 ? errors : 0;
	}
	default:
		return 0;
	}
}

static int set_settings(struct parser *p, const struct command *cmd)
{
	struct config *cfg = p->cfg;
	int errors;

	if (p->menu == MENU_IP_SETTINGS) {
		/* Apply to a copy so a line with an error changes nothing. */
		struct config copy = *cfg;

		errors = apply_attrs(p, cmd, ip_settings_attrs, &copy, NULL);
		if (errors == 0) {
			cfg->hash_policy = copy.hash_policy;
			cfg->hash_policy_loc = copy.hash_policy_loc;
		}
	} else {
		struct probe_settings probe = cfg->probe;

		errors = apply_attrs(p, cmd, routing_settings_attrs, &probe,
				     NULL);
		if (errors == 0 && cmd->n > 0) {
			cfg->probe = probe;
			cfg->probe_loc = cmd->loc;
		}
	}
	return errors < 0 ? errors : 0;
}

static bool is_command(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(word, commands[i]))
			return true;
	return false;
}

static void free_command(struct command *cmd)
{
	size_t i;

	for (i = 0; i < cmd->n; i++)
		free(cmd->attrs[i].value);
	free(cmd->attrs);
	cmd->attrs = NULL;
	cmd->n = 0;
}

/* Concatenates the adjacent value tokens from toks[*i]. */
static char *join_value(const struct token_line *line, size_t *i)
{
	size_t len = 0, j;
	char *v;

	for (j = *i; j < line->n && !line->toks[j].spaced &&
		     (line->toks[j].kind == TOK_WORD ||
		      line->toks[j].kind == TOK_STRING);
	     j++)
		len += strlen(line->toks[j].text);
	v = malloc(len + 1);
	if (!v)
		return NULL;
	v[0] = '\0';
	for (; *i < j; (*i)++)
		strcat(v, line->toks[*i].text);
	return v;
}

/*
 * Splits the tokens from start into attributes. Returns 0, -EINVAL after
 * reporting, -ENOMEM.
 */
static int read_attrs(struct parser *p, const struct token_line *line,
		      size_t start, struct command *cmd)
{
	size_t i = start, j;

	while (i < line->n) {
		const struct token *t = &line->toks[i];
		struct attr *a, *tmp;

		if (t->kind == TOK_EQUALS) {
			diag_error(p->d, t->loc,
				   "expected an attribute name before '=' "
				   "(no blanks around '=')");
			return -EINVAL;
		}
		if (t->kind == TOK_PUNCT) {
			diag_error(p->d, t->loc,
				   "unexpected '%s': scripting is not "
				   "supported in /%s",
				   t->text, p->menu_path);
			return -EINVAL;
		}
		if (t->kind != TOK_WORD) {
			diag_error(p->d, t->loc,
				   "expected an attribute name, not a quoted "
				   "string");
			return -EINVAL;
		}
		tmp = realloc(cmd->attrs, (cmd->n + 1) * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		cmd->attrs = tmp;
		a = &cmd->attrs[cmd->n];
		memset(a, 0, sizeof(*a));
		a->key = t->text;
		a->key_loc = t->loc;
		i++;
		if (i < line->n && line->toks[i].kind == TOK_EQUALS &&
		    !line->toks[i].spaced) {
			struct loc eq = line->toks[i].loc;

			i++;
			a->has_value = true;
			a->value_loc = (struct loc){ eq.line, eq.col + 1 };
			if (i < line->n && !line->toks[i].spaced) {
				a->value_loc = line->toks[i].loc;
				a->quoted = line->toks[i].kind == TOK_STRING;
			}
			a->value = join_value(line, &i);
		} else {
			a->value = strdup("");
		}
		if (!a->value)
			return -ENOMEM;
		cmd->n++;
		if (i < line->n && !line->toks[i].spaced &&
		    line->toks[i].kind != TOK_ERROR) {
			diag_error(p->d, line->toks[i].loc,
				   "unexpected '%s' after %s",
				   line->toks[i].text, a->key);
			return -EINVAL;
		}
		for (j = 0; j + 1 < cmd->n; j++) {
			if (!strcmp(cmd->attrs[j].key, a->key)) {
				diag_error(p->d, a->key_loc,
					   "attribute %s given twice", a->key);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Runs the command verb (at loc) with the attributes from start. */
static int run_command(struct parser *p, const char *verb, struct loc loc,
		       const struct token_line *line, size_t start)
{
	struct command cmd = { .verb = verb, .loc = loc };
	int rc;

	if (!strcmp(verb, "add") && p->settings) {
		diag_error(p->d, loc, "/%s has no add; use set", p->menu_path);
		return 0;
	}
	if (!strcmp(verb, "set") && !p->settings) {
		diag_error(p->d, loc,
			   "set is not supported in /%s; write each entry "
			   "with add",
			   p->menu_path);
		return 0;
	}
	if (strcmp(verb, "add") && strcmp(verb, "set")) {
		if (is_command(verb))
			diag_error(p->d, loc,
				   "command %s is not supported in /%s", verb,
				   p->menu_path);
		else
			diag_error(p->d, loc,
				   "expected a command (%s), not '%s'",
				   p->settings ? "set" : "add", verb);
		return 0;
	}
	rc = read_attrs(p, line, start, &cmd);
	if (rc == 0)
		rc = p->settings ? set_settings(p, &cmd) : add_entry(p, &cmd);
	free_command(&cmd);
	return rc == -ENOMEM ? rc : 0;
}

/* Reports the line's first lexical error; true when there was one. */
static bool lex_error(struct parser *p, const struct token_line *line,
		      size_t start)
{
	size_t i;

	for (i = start; i < line->n; i++) {
		if (line->toks[i].kind == TOK_ERROR) {
			diag_error(p->d, line->toks[i].loc, "%s",
				   line->toks[i].text);
			return true;
		}
	}
	return false;
}

#define PATH_MAX_WORDS 8

/*
 * Handles a line starting with '/': collects the menu path, switches menu
 * and runs an inline command if there is one.
 */
static int menu_line(struct parser *p, const struct token_line *line)
{
	char path[256] = "", verb_buf[16];
	const char *verb = NULL;
	struct loc verb_loc = { 0, 0 };
	size_t i, args = line->n, words = 0;
	bool trailing = false;

	for (i = 0; i < line->n && !verb; i++) {
		const struct token *t = &line->toks[i];
		const char *s = t->text, *seg;

		if (t->kind != TOK_WORD || (i > 0 && !t->spaced) ||
		    (i > 0 && strchr(":[$", s[0])))
			break;
		if (i + 1 < line->n && line->toks[i + 1].kind == TOK_EQUALS &&
		    !line->toks[i + 1].spaced)
			break;
		for (seg = s; *seg;) {
			size_t len = strcspn(seg, "/");

			if (len > 0 && len < sizeof(verb_buf)) {
				memcpy(verb_buf, seg, len);
				verb_buf[len] = '\0';
			} else {
				verb_buf[0] = '\0';
			}
			if (is_command(verb_buf)) {
				verb_loc = t->loc;
				verb_loc.col += (int)(seg - s);
				verb = verb_buf;
				trailing = seg[len] != '\0';
				break;
			}
			if (len > 0 && words < PATH_MAX_WORDS) {
				size_t used = strlen(path);

				snprintf(path + used, sizeof(path) - used,
					 "%s%.*s", used ? " " : "", (int)len,
					 seg);
				words++;
			}
			seg += len;
			if (*seg == '/')
				seg++;
		}
		args = i + 1;
	}
	if (!verb)
		args = i;

	p->menu = MENU_SKIPPED;
	p->settings = false;
	p->menu_path = NULL;
	for (i = 0; i < sizeof(menus) / sizeof(menus[0]); i++) {
		if (!strcmp(path, menus[i].path)) {
			p->menu = menus[i].menu;
			p->menu_path = menus[i].path;
			p->settings = menus[i].settings;
		}
	}
	if (p->menu == MENU_SKIPPED) {
		/* A bare "/" returns to the root menu, which is harmless. */
		if (!path[0] && !verb && args == line->n) {
			p->menu = MENU_NONE;
			return 0;
		}
		diag_warning(p->d, line->toks[0].loc,
			     "menu /%s is not supported by ecmpd; skipped",
			     path);
		return 0;
	}
	if (lex_error(p, line, args))
		return 0;
	if (!verb) {
		if (args < line->n)
			diag_error(p->d, line->toks[args].loc,
				   "expected a command (%s) after /%s",
				   p->settings ? "set" : "add", p->menu_path);
		return 0;
	}
	if (trailing) {
		diag_error(p->d, verb_loc, "unexpected text after command");
		return 0;
	}
	return run_command(p, verb, verb_loc, line, args);
}

static int parse_line(struct parser *p, const struct token_line *line)
{
	const struct token *t = &line->toks[0];

	if (t->kind == TOK_WORD && t->text[0] == '/')
		return menu_line(p, line);
	if (p->menu == MENU_SKIPPED)
		return 0;
	if (t->kind == TOK_WORD && t->text[0] == ':') {
		diag_warning(p->d, t->loc,
			     "scripting command %s is not supported by ecmpd; "
			     "skipped",
			     t->text);
		return 0;
	}
	if (p->menu == MENU_NONE) {
		diag_warning(p->d, t->loc,
			     "line outside any menu; skipped (start with a "
			     "menu such as /ip route)");
		return 0;
	}
	if (lex_error(p, line, 0))
		return 0;
	if (t->kind != TOK_WORD) {
		diag_error(p->d, t->loc, "expected a command (%s)",
			   p->settings ? "set" : "add");
		return 0;
	}
	return run_command(p, t->text, t->loc, line, 1);
}

/*
 * Parses text[0..len) named name into a new config, reporting through
 * diag. Returns the config, partial when there were errors, or NULL with
 * errno on allocation failure.
 */
struct config *parse_buffer(const char *name, const char *text, size_t len,
			    struct diag *diag)
{
	struct parser p = { .d = diag, .menu = MENU_NONE };
	struct token_line line = { 0 };
	struct lexer lx;
	int rc;

	p.cfg = config_new(name);
	if (!p.cfg)
		return NULL;
	lexer_init(&lx, text, len);
	while ((rc = lexer_next_line(&lx, &line)) > 0) {
		rc = parse_line(&p, &line);
		if (rc < 0)
			break;
	}
	token_line_clear(&line);
	free(line.toks);
	if (rc < 0) {
		config_free(p.cfg);
		errno = -rc;
		return NULL;
	}
	return p.cfg;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *tmp;
	size_t cap = 0, n = 0, got;
	int saved;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8192;
			tmp = realloc(buf, cap);
			if (!tmp) {
				errno = ENOMEM;
				goto out_fail;
			}
			buf = tmp;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		errno = EIO;
		goto out_fail;
	}
	fclose(f);
	*len = n;
	return buf;

out_fail:
	saved = errno;
	fclose(f);
	free(buf);
	errno = saved;
	return NULL;
}

/*
 * Reads, parses and validates the file at path, after applying the
 * interface maps. Diagnostics go to out. Returns the config when there
 * were no errors (strict: no warnings either), else NULL; *errors gets
 * the error count, -1 when the file could not be read.
 */
struct config *config_load(const char *path, const char *const *maps,
			   size_t n_maps, bool strict, FILE *out, int *errors)
{
	struct config *cfg = NULL;
	struct diag *d;
	size_t len = 0, i;
	char *text;
	int hard;

	*errors = -1;
	text = read_file(path, &len);
	if (!text) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	d = diag_new(path, text, len, out, strict);
	if (!d) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		free(text);
		return NULL;
	}
	cfg = parse_buffer(path, text, len, d);
	free(text);
	if (!cfg) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		diag_free(d);
		return NULL;
	}
	for (i = 0; i < n_maps; i++) {
		int rc = config_add_map(cfg, maps[i]);

		if (rc == -ENOMEM) {
			fprintf(out, "%s: %s\n", path, strerror(ENOMEM));
			goto out_fail;
		}
		if (rc < 0)
			diag_error(d, (struct loc){ 0, 0 },
				   "invalid --map '%s': expected RSC=LINUX "
				   "with a Linux name of 1..%d characters, "
				   "each name mapped once",
				   maps[i], LINUX_IFNAME_MAX - 1);
	}
	/*
	 * Cross-checks on a model with holes (entries dropped for syntax
	 * errors) would only report follow-on errors, so they wait until
	 * the text itself is right; each entry's own checks run anyway, so
	 * one run reports every error it can.
	 */
	hard = diag_errors(d) - (strict ? diag_warnings(d) : 0);
	if (hard == 0)
		config_validate(cfg, d);
	else
		config_validate_entries(cfg, d);
	*errors = diag_errors(d);
	diag_free(d);
	if (*errors == 0)
		return cfg;
	config_free(cfg);
	return NULL;

out_fail:
	*errors = diag_errors(d) + 1;
	diag_free(d);
	config_free(cfg);
	return NULL;
}
