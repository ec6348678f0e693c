// SPDX-License-Identifier: MIT
/*
 * canon.c - the canonical printer: a config back to RouterOS text.
 *
 * There is one spelling of a model: the menus in the order of
 * config_menus[], each once with its entries in the order written, each
 * entry's attributes in the order of its menu's table, defaults left out
 * (every writer skips a value equal to what a new entry holds), values
 * quoted only when the lexer would otherwise split or reinterpret them.
 * The parser reads that text back into an equal model, which the unit
 * tests and the fuzzer check by printing twice. config_print_entry() is
 * the same printer for one entry, for `ecmpctl print`.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/menus.h"

/* Characters that never need quotes in a value. */
static bool plain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("._-:/!%,@+", c);
}

static void print_value(FILE *out, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	bool plain = *s != '\0';

	for (; *s; s++)
		if (!plain_char(*s))
			plain = false;
	if (plain) {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (s = (const unsigned char *)v; *s; s++) {
		switch (*s) {
		case '"':
		case '\\':
		case '$':
		case '?':
			fputc('\\', out);
			fputc(*s, out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				fprintf(out, "\\%02X", *s);
			else
				fputc(*s, out);
		}
	}
	fputc('"', out);
}

void attr_flag(struct attr_out *o, const char *key)
{
	if (o->spaced)
		fputc(' ', o->f);
	o->spaced = true;
	fputs(key, o->f);
}

void attr_key(struct attr_out *o, const char *key)
{
	attr_flag(o, key);
	fputc('=', o->f);
}

void attr_text(struct attr_out *o, const char *key, const char *text)
{
	attr_key(o, key);
	print_value(o->f, text);
}

void attr_printf(struct attr_out *o, const char *key, const char *fmt, ...)
{
	va_list ap;

	attr_key(o, key);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

void attr_span(struct attr_out *o, const char *key, const char *lo,
	       const char *hi)
{
	attr_printf(o, key, "%s", lo);
	if (strcmp(hi, lo))
		fprintf(o->f, "-%s", hi);
}

static bool skipped(const char *key, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (!strcmp(*skip, key))
			return true;
	return false;
}

/* Writes the attributes of one entry (or settings object) of menu m. */
static void print_entry(struct attr_out *o, const struct menu *m,
			const void *entry, const char *const *skip)
{
	const struct attr_def *def;
	size_t i, base;

	for (i = 0; (def = menu_attr(m, i, &base)); i++) {
		const char *at = (const char *)entry + base;
		bool always = def->required;

		if (!def->write || skipped(def->key, skip))
			continue;
		if (def->given) {
			if (!*(const bool *)(at + def->given))
				continue;
			always = true;
		}
		def->write(o, def, at + def->offset,
			   always ? NULL :
				    (const char *)m->defaults + base +
					    def->offset);
	}
}

void config_print_entry(FILE *out, const struct config *cfg,
			enum config_menu menu, size_t index,
			const char *const *skip)
{
	const struct menu *m;
	struct attr_out o = { .f = out };

	if ((unsigned)menu >= CONFIG_MENUS)
		return;
	m = &config_menus[menu];
	if (index < menu_count(m, cfg))
		print_entry(&o, m, menu_entry(m, cfg, index), skip);
}

/* A menu's header, in the config's spelling: "/ip route" or "/ip/route". */
static void section(FILE *out, bool *first, const struct menu *m,
		    const struct config *cfg)
{
	if (!*first)
		fputc('\n', out);
	*first = false;
	for (const char *c = m->name; *c; c++)
		fputc(*c == ' ' && cfg->slash_paths ? '/' : *c, out);
	fputc('\n', out);
}

/* A settings menu is printed only when something differs from defaults. */
static void print_settings(FILE *out, bool *first, const struct menu *m,
			   const struct config *cfg)
{
	struct attr_out o = { .spaced = true };
	char *text = NULL;
	size_t len = 0;

	/* Out of memory, print it anyway: "set" alone changes nothing. */
	o.f = open_memstream(&text, &len);
	if (!o.f) {
		len = 1;
	} else {
		print_entry(&o, m, menu_entry(m, cfg, 0), NULL);
		if (fclose(o.f) != 0)
			len = 1;
	}
	if (len) {
		section(out, first, m, cfg);
		fputs("set", out);
		o = (struct attr_out){ .f = out, .spaced = true };
		print_entry(&o, m, menu_entry(m, cfg, 0), NULL);
		fputc('\n', out);
	}
	free(text);
}

void config_print(const struct config *cfg, FILE *out)
{
	bool first = true;
	size_t i, k, n;

	for (i = 0; i < CONFIG_MENUS; i++) {
		const struct menu *m = &config_menus[i];

		if (m->settings) {
			print_settings(out, &first, m, cfg);
			continue;
		}
		n = menu_count(m, cfg);
		if (n)
			section(out, &first, m, cfg);
		for (k = 0; k < n; k++) {
			static const char *const by_find[] = { "default-name",
							       NULL };
			struct attr_out o = { .f = out, .spaced = true };
			const char *e = menu_entry(m, cfg, k);
			const struct attr_def *def;
			size_t base;

			if (!m->find_set) {
				fputs("add", out);
				print_entry(&o, m, e, NULL);
				fputc('\n', out);
				continue;
			}
			/* "set [ find default-name=ether1 ] name=WAN1" */
			def = menu_find_attr(m, "default-name", &base);
			fputs("set [ find default-name=", out);
			print_value(out, e + base + def->offset);
			fputs(" ]", out);
			print_entry(&o, m, e, by_find);
			fputc('\n', out);
		}
	}
}
