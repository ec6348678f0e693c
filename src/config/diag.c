// SPDX-License-Identifier: MIT
/*
 * diag.c - compiler-style diagnostics for configuration files.
 *
 * A diag owns a copy of the source text and an index of where each line
 * starts, so any message can quote its line and put a caret under the
 * column it is about. Columns are 1-based byte offsets; the caret line
 * copies the tabs of the source line so the caret lands under the right
 * character whatever the tab width. Counting errors and warnings here
 * (rather than in the parser) lets the parser and config_validate() share
 * one tally and lets --strict turn warnings into errors in one place.
 *
 * Messages are kept until diag_free() and then written in line order (the
 * parser's and the checks' together, in the order reported within a
 * line), so a reader goes through the file once. A quoted line shows at
 * most its first DIAG_QUOTE_MAX bytes, a message at most DIAG_TEXT_MAX:
 * a config with a 16 MiB line must not produce 16 MiB of diagnostics.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/diag.h"

#define DIAG_QUOTE_MAX 200
#define DIAG_TEXT_MAX 400

struct message {
	struct loc loc;
	size_t seq; /* the order reported */
	char *text; /* the whole message, quote and caret included */
};

struct diag {
	char *file;
	char *text;
	size_t len;
	size_t *line_start; /* offset of each line's first byte */
	size_t n_lines;
	FILE *out;
	bool strict;
	int errors;
	int warnings;
	struct message *msgs;
	size_t n_msgs, cap_msgs;
	char **keys; /* diag_first() */
	size_t n_keys;
};

static int index_lines(struct diag *d)
{
	size_t n = 1, i, k = 0;

	for (i = 0; i < d->len; i++)
		if (d->text[i] == '\n')
			n++;
	d->line_start = calloc(n, sizeof(*d->line_start));
	if (!d->line_start)
		return -ENOMEM;
	d->line_start[k++] = 0;
	for (i = 0; i < d->len; i++)
		if (d->text[i] == '\n')
			d->line_start[k++] = i + 1;
	d->n_lines = n;
	return 0;
}

/*
 * Creates a diag that quotes text (copied) and writes to out. Returns NULL
 * with errno on allocation failure.
 */
struct diag *diag_new(const char *file, const char *text, size_t len, FILE *out,
		      bool strict)
{
	struct diag *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->file = strdup(file ? file : "<input>");
	/* One spare byte so an empty text still gets a valid buffer. */
	d->text = malloc(len + 1);
	if (!d->file || !d->text)
		goto out_free;
	if (len)
		memcpy(d->text, text, len);
	d->text[len] = '\0';
	d->len = len;
	d->out = out;
	d->strict = strict;
	if (index_lines(d) < 0)
		goto out_free;
	return d;

out_free:
	diag_free(d);
	errno = ENOMEM;
	return NULL;
}

static int message_order(const void *a, const void *b)
{
	const struct message *x = a, *y = b;

	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Writes the kept messages in line order and frees the diag; NULL is a
 * no-op. The output stream is not closed.
 */
void diag_free(struct diag *d)
{
	size_t i;

	if (!d)
		return;
	if (d->n_msgs)
		qsort(d->msgs, d->n_msgs, sizeof(*d->msgs), message_order);
	for (i = 0; i < d->n_msgs; i++) {
		fputs(d->msgs[i].text, d->out);
		free(d->msgs[i].text);
	}
	free(d->msgs);
	for (i = 0; i < d->n_keys; i++)
		free(d->keys[i]);
	free(d->keys);
	free(d->file);
	free(d->text);
	free(d->line_start);
	free(d);
}

/* Writes the source line (its first DIAG_QUOTE_MAX bytes) and a caret. */
static void quote_line(const struct diag *d, struct loc loc, FILE *out)
{
	size_t start, end, i;
	bool cut;
	int col;

	if (loc.line < 1 || (size_t)loc.line > d->n_lines)
		return;
	start = d->line_start[loc.line - 1];
	end = start;
	while (end < d->len && d->text[end] != '\n')
		end++;
	/* Windows line ends would put the caret line's cursor back. */
	if (end > start && d->text[end - 1] == '\r')
		end--;
	cut = end - start > DIAG_QUOTE_MAX;
	if (cut)
		end = start + DIAG_QUOTE_MAX;
	for (i = start; i < end; i++) {
		unsigned char c = (unsigned char)d->text[i];

		/* Control bytes would garble the terminal; show them as '?'. */
		fputc(c < 0x20 && c != '\t' ? '?' : c, out);
	}
	fputs(cut ? "...\n" : "\n", out);
	/* A caret past the quoted part would point at nothing shown. */
	if (loc.col > DIAG_QUOTE_MAX + 1)
		return;
	for (col = 1, i = start; col < loc.col; col++, i++)
		fputc(i < end && d->text[i] == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

static void report(struct diag *d, struct loc loc, const char *level,
		   const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void report(struct diag *d, struct loc loc, const char *level,
		   const char *fmt, va_list ap)
{
	char body[DIAG_TEXT_MAX + 4];
	struct message *m;
	size_t size;
	FILE *out;
	int n;

	if (!d->out)
		return;
	n = vsnprintf(body, DIAG_TEXT_MAX + 1, fmt, ap);
	if (n > DIAG_TEXT_MAX)
		strcpy(body + DIAG_TEXT_MAX, "...");
	if (d->n_msgs == d->cap_msgs) {
		size_t cap = d->cap_msgs ? d->cap_msgs * 2 : 16;

		m = realloc(d->msgs, cap * sizeof(*m));
		if (!m)
			goto direct;
		d->msgs = m;
		d->cap_msgs = cap;
	}
	m = &d->msgs[d->n_msgs];
	m->text = NULL;
	out = open_memstream(&m->text, &size);
	if (!out)
		goto direct;
	if (loc.line > 0)
		fprintf(out, "%s:%d:%d: %s: %s\n", d->file, loc.line,
			loc.col > 0 ? loc.col : 1, level, body);
	else
		fprintf(out, "%s: %s: %s\n", d->file, level, body);
	if (loc.line > 0)
		quote_line(d, loc, out);
	if (fclose(out) != 0 || !m->text) {
		free(m->text);
		goto direct;
	}
	m->loc = loc;
	m->seq = d->n_msgs++;
	return;

direct:
	/* Out of memory: unordered is better than lost. */
	fprintf(d->out, "%s: %s: %s\n", d->file, level, body);
}

bool diag_first(struct diag *d, const char *key)
{
	char **keys;
	size_t i;

	for (i = 0; i < d->n_keys; i++)
		if (!strcmp(d->keys[i], key))
			return false;
	keys = realloc(d->keys, (d->n_keys + 1) * sizeof(*keys));
	if (!keys)
		return false;
	d->keys = keys;
	d->keys[d->n_keys] = strdup(key);
	if (!d->keys[d->n_keys])
		return false;
	d->n_keys++;
	return true;
}

/* Reports an error at loc (no place when loc.line is 0) and counts it. */
void diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	va_start(ap, fmt);
	report(d, loc, "error", fmt, ap);
	va_end(ap);
}

/* Reports a warning at loc and counts it; strict mode counts it as an error. */
void diag_warning(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	d->warnings++;
	va_start(ap, fmt);
	report(d, loc, "warning", fmt, ap);
	va_end(ap);
}

/* The number of errors so far, warnings included in strict mode. */
int diag_errors(const struct diag *d)
{
	return d->errors + (d->strict ? d->warnings : 0);
}

/* The number of warnings so far. */
int diag_warnings(const struct diag *d)
{
	return d->warnings;
}
