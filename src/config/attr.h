/* SPDX-License-Identifier: MIT */
/*
 * attr.h - one attribute of a menu: how its value is read from a command
 * and written back in canonical form. Private to src/config.
 *
 * A menu's attributes are rows of struct attr_def (menus.h puts them
 * together). A row names the key, the function that reads the value into
 * the model, the one that writes it back, and where the value lives in an
 * entry. The reading functions here (values.c) and in match.c judge one
 * value each and report a bad one through the diag; the writing helpers
 * (canon.c) know the canonical spelling: blanks between attributes,
 * quotes only where the lexer needs them.
 */
#ifndef ECMPD_ATTR_H
#define ECMPD_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "config/diag.h"

/* One key[=value] of a command, as the parser read it. */
struct attr {
	const char *key;
	struct loc key_loc;
	bool has_value;
	char *value; /* "" for "key=" and for a flag without a value */
	struct loc value_loc;
	bool quoted; /* the value starts with a quoted string */
};

/* Where the canonical printer writes the attributes of one entry. */
struct attr_out {
	FILE *f;
	bool spaced; /* something was written: the next attribute needs a blank */
};

struct attr_def;

/*
 * Reads a's value into value (what the row's offset points at). Returns 0,
 * -EINVAL after reporting the problem through d, or -ENOMEM.
 */
typedef int attr_reader(struct diag *d, const struct attr_def *def, void *value,
			const struct attr *a);

/*
 * Writes value under def->key, unless it equals *dflt, the same value in
 * what a new entry holds. dflt is NULL for an attribute that is always
 * written: a required one, or one whose given flag is set (an attribute
 * with a given flag that is clear is not written at all).
 */
typedef void attr_writer(struct attr_out *o, const struct attr_def *def,
			 const void *value, const void *dflt);

/* The offset of an attribute whose value spans the fields of an entry. */
#define WHOLE_ENTRY 0

/*
 * One attribute of a menu (or of the rule matcher, see menus.h). Offsets
 * count from the start of an entry (of the settings object; of the
 * rule_match, for the matcher's rows).
 */
struct attr_def {
	const char *key;
	attr_reader *read;
	attr_writer *write; /* NULL: read only, written under another key */
	size_t offset; /* of the value */
	size_t loc; /* where the parser records the value's place; 0: not */
	size_t given; /* a bool set when the script gives it; 0: none */
	const struct config_name *names; /* the spellings of an enum value */
	bool flag; /* may be written without "=value" */
	bool required; /* an "add" without it is an error; always written */
	unsigned match; /* a MATCH_* id: the row is that matcher attribute */
};

/* ---- reading values (values.c) ---- */

/* Reports "invalid KEY 'VALUE': why" at the value; returns -EINVAL. */
int attr_bad_value(struct diag *d, const struct attr *a, const char *why);

/* Reads a decimal number no larger than max; advances *sp. */
bool scan_uint(const char **sp, unsigned long max, unsigned long *out);

/* Reads a dotted quad; advances *sp. NULL on success, else the reason. */
const char *scan_ipv4(const char **sp, uint32_t *out);

/* Reads "a.b.c.d" or "a.b.c.d/len" (len 32 when absent); advances *sp. */
const char *scan_prefix(const char **sp, uint32_t *addr, uint8_t *len);

/* Reads "port" or "lo-hi" (1..65535); advances *sp. NULL or the reason. */
const char *scan_port_span(const char **sp, uint16_t *lo, uint16_t *hi);

/* "ping, arp or none": the names of table t for a message. */
const char *attr_list_names(const struct config_name *t, char *buf,
			    size_t size);

/* Looks a's value up in t; reports the names t has when it is not there. */
int attr_enum(struct diag *d, const struct attr *a, const struct config_name *t,
	      int *out);

/* Copies the name s (a's value, or part of it) after checking its length. */
int attr_name(struct diag *d, const struct attr *a, const char *s,
	      char out[CONFIG_NAME_MAX]);

/* A decimal number 0..max. */
int attr_uint(struct diag *d, const struct attr *a, unsigned long max,
	      unsigned *out);

/* A dotted quad and nothing else. */
int attr_ipv4(struct diag *d, const struct attr *a, uint32_t *out);

/* A network prefix s (a's value, or part of it): host bits must be clear. */
int attr_network(struct diag *d, const struct attr *a, const char *s,
		 uint32_t *addr, uint8_t *len);

/*
 * The readers and writers of plain values, one pair per kind, for the
 * rows of the tables.
 */

/* A number 0..999999 in an unsigned. */
attr_reader attr_read_uint;
attr_writer attr_write_uint;

/* yes/no (or true/false) in a bool; a flag without a value is yes. */
attr_reader attr_read_bool;
attr_writer attr_write_bool;

/* The same bool, written as the bare key when set and not at all else. */
attr_writer attr_write_flag;

/* A time in milliseconds in an unsigned: "100ms", "1m30s", "00:00:10". */
attr_reader attr_read_time;
attr_writer attr_write_time;

/* A name in a char[CONFIG_NAME_MAX]; written when not empty. */
attr_reader attr_read_name;
attr_writer attr_write_name;

/* An enum field (int-sized) spelled as in def->names. */
attr_reader attr_read_enum;
attr_writer attr_write_enum;

/* An IPv4 address in a uint32_t. */
attr_reader attr_read_ipv4;
attr_writer attr_write_ipv4;

/* ---- writing values (canon.c) ---- */

/* Starts an attribute: a blank when one went before, then "key=". */
void attr_key(struct attr_out *o, const char *key);

/* Writes a flag: a blank when one went before, then the bare key. */
void attr_flag(struct attr_out *o, const char *key);

/* Writes key=text, quoting and escaping text where the lexer needs it. */
void attr_text(struct attr_out *o, const char *key, const char *text);

/* Writes key=lo, or key=lo-hi when hi is not lo: an address or port span. */
void attr_span(struct attr_out *o, const char *key, const char *lo,
	       const char *hi);

/* Writes key= and then fmt: for values that never need quotes. */
void attr_printf(struct attr_out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
