// SPDX-License-Identifier: MIT
/*
 * values.c - the kinds of value a RouterOS attribute holds: numbers,
 * addresses, prefixes, port spans, times, yes/no, names and enumerations.
 *
 * The scanners read one value from text and say what is wrong with it;
 * they know nothing of attributes. The attr_* readers wrap them for one
 * attribute and report a bad value at its place in the wording every menu
 * shares ("invalid KEY 'VALUE': why"). The readers and writers of plain
 * values (numbers, yes/no, times, names, enums, addresses) serve the
 * attribute tables directly; anything with more structure has its own
 * reader in routing.c, firewall.c or match.c built from these pieces.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "base/ipv4.h"
#include "config/attr.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool scan_uint(const char **sp, unsigned long max, unsigned long *out)
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

const char *scan_ipv4(const char **sp, uint32_t *out)
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

const char *scan_prefix(const char **sp, uint32_t *addr, uint8_t *len)
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

static bool scan_port(const char **sp, uint16_t *out)
{
	unsigned long v;

	if (!scan_uint(sp, 99999999, &v) || v == 0 || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

const char *scan_port_span(const char **sp, uint16_t *lo, uint16_t *hi)
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

int attr_bad_value(struct diag *d, const struct attr *a, const char *why)
{
	diag_error(d, a->value_loc, "invalid %s '%s': %s", a->key, a->value,
		   why);
	return -EINVAL;
}

const char *attr_list_names(const struct config_name *t, char *buf, size_t size)
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

int attr_enum(struct diag *d, const struct attr *a, const struct config_name *t,
	      int *out)
{
	char list[512];

	if (config_value_of(t, a->value, out))
		return 0;
	diag_error(d, a->value_loc, "invalid %s '%s': expected %s", a->key,
		   a->value, attr_list_names(t, list, sizeof(list)));
	return -EINVAL;
}

int attr_name(struct diag *d, const struct attr *a, const char *s,
	      char out[CONFIG_NAME_MAX])
{
	if (!*s) {
		diag_error(d, a->value_loc, "%s needs a name", a->key);
		return -EINVAL;
	}
	if (strlen(s) >= CONFIG_NAME_MAX) {
		diag_error(d, a->value_loc,
			   "%s '%s' is longer than %d characters", a->key, s,
			   CONFIG_NAME_MAX - 1);
		return -EINVAL;
	}
	strcpy(out, s);
	return 0;
}

int attr_uint(struct diag *d, const struct attr *a, unsigned long max,
	      unsigned *out)
{
	const char *s = a->value;
	unsigned long v;

	if (!scan_uint(&s, max, &v) || *s) {
		diag_error(d, a->value_loc,
			   "invalid %s '%s': expected a decimal number 0..%lu",
			   a->key, a->value, max);
		return -EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

int attr_ipv4(struct diag *d, const struct attr *a, uint32_t *out)
{
	const char *s = a->value, *why = scan_ipv4(&s, out);

	if (!why && *s)
		why = "expected an address a.b.c.d";
	return why ? attr_bad_value(d, a, why) : 0;
}

int attr_network(struct diag *d, const struct attr *a, const char *s,
		 uint32_t *addr, uint8_t *len)
{
	const char *why = scan_prefix(&s, addr, len);
	char net[IPV4_STR_MAX];

	if (!why && *s)
		why = "expected a prefix a.b.c.d/len";
	if (why)
		return attr_bad_value(d, a, why);
	if (*addr & ~ipv4_mask(*len)) {
		diag_error(d, a->value_loc,
			   "invalid %s '%s': host bits are set (the network is "
			   "%s/%u)",
			   a->key, a->value,
			   ipv4_str(*addr & ipv4_mask(*len), net), *len);
		return -EINVAL;
	}
	return 0;
}

/* ---- plain values: the attribute tables use these directly ---- */

int attr_read_uint(struct diag *d, const struct attr_def *def, void *value,
		   const struct attr *a)
{
	return attr_uint(d, a, 999999, value);
}

int attr_read_bool(struct diag *d, const struct attr_def *def, void *value,
		   const struct attr *a)
{
	bool *out = value;

	if (!a->has_value || !strcmp(a->value, "yes") ||
	    !strcmp(a->value, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(a->value, "no") || !strcmp(a->value, "false")) {
		*out = false;
		return 0;
	}
	diag_error(d, a->value_loc, "invalid %s '%s': expected yes or no",
		   a->key, a->value);
	return -EINVAL;
}

int attr_read_time(struct diag *d, const struct attr_def *def, void *value,
		   const struct attr *a)
{
	if (scan_time(a->value, value))
		return 0;
	return attr_bad_value(d, a,
			      "expected a time such as 100ms, 10s, 1m30s or "
			      "00:00:10");
}

int attr_read_name(struct diag *d, const struct attr_def *def, void *value,
		   const struct attr *a)
{
	return attr_name(d, a, a->value, value);
}

/*
 * The model's enums have no negative values and are int-sized, so an
 * enum field is written through its corresponding integer type.
 */
int attr_read_enum(struct diag *d, const struct attr_def *def, void *value,
		   const struct attr *a)
{
	return attr_enum(d, a, def->names, value);
}

int attr_read_ipv4(struct diag *d, const struct attr_def *def, void *value,
		   const struct attr *a)
{
	return attr_ipv4(d, a, value);
}

/* Is the plain value of size bytes worth writing: no default, or not it? */
static bool differs(const void *value, const void *dflt, size_t size)
{
	return !dflt || memcmp(value, dflt, size) != 0;
}

void attr_write_uint(struct attr_out *o, const struct attr_def *def,
		     const void *value, const void *dflt)
{
	if (differs(value, dflt, sizeof(unsigned)))
		attr_printf(o, def->key, "%u", *(const unsigned *)value);
}

void attr_write_bool(struct attr_out *o, const struct attr_def *def,
		     const void *value, const void *dflt)
{
	if (differs(value, dflt, sizeof(bool)))
		attr_printf(o, def->key, "%s",
			    *(const bool *)value ? "yes" : "no");
}

void attr_write_enum(struct attr_out *o, const struct attr_def *def,
		     const void *value, const void *dflt)
{
	if (differs(value, dflt, sizeof(int)))
		attr_printf(o, def->key, "%s",
			    config_name_of(def->names, *(const int *)value));
}

void attr_write_ipv4(struct attr_out *o, const struct attr_def *def,
		     const void *value, const void *dflt)
{
	char a[IPV4_STR_MAX];

	if (differs(value, dflt, sizeof(uint32_t)))
		attr_printf(o, def->key, "%s",
			    ipv4_str(*(const uint32_t *)value, a));
}

/* Prints a time in RouterOS units, largest first: 90000 is "1m30s". */
void attr_write_time(struct attr_out *o, const struct attr_def *def,
		     const void *value, const void *dflt)
{
	static const struct {
		const char *unit;
		unsigned ms;
	} units[] = {
		{ "w", 604800000u }, { "d", 86400000u }, { "h", 3600000u },
		{ "m", 60000u },     { "s", 1000u },	 { "ms", 1u },
	};
	unsigned ms = *(const unsigned *)value;
	size_t i;

	if (!differs(value, dflt, sizeof(unsigned)))
		return;
	attr_key(o, def->key);
	if (ms == 0) {
		fputs("0s", o->f);
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ms >= units[i].ms) {
			fprintf(o->f, "%u%s", ms / units[i].ms, units[i].unit);
			ms %= units[i].ms;
		}
	}
}

void attr_write_flag(struct attr_out *o, const struct attr_def *def,
		     const void *value, const void *dflt)
{
	if (*(const bool *)value)
		attr_flag(o, def->key);
}

void attr_write_name(struct attr_out *o, const struct attr_def *def,
		     const void *value, const void *dflt)
{
	if (*(const char *)value)
		attr_text(o, def->key, value);
}
