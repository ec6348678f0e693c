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
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/diag.h"

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

/* Frees a diag; NULL is a no-op. The output stream is not closed. */
void diag_free(struct diag *d)
{
	if (!d)
		return;
	free(d->file);
	free(d->text);
	free(d->line_start);
	free(d);
}

/* Writes the source line and a caret under column col. */
static void quote_line(const struct diag *d, struct loc loc)
{
	size_t start, end, i;
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
	for (i = start; i < end; i++) {
		unsigned char c = (unsigned char)d->text[i];

		/* Control bytes would garble the terminal; show them as '?'. */
		fputc(c < 0x20 && c != '\t' ? '?' : c, d->out);
	}
	fputc('\n', d->out);
	for (col = 1, i = start; col < loc.col; col++, i++)
		fputc(i < end && d->text[i] == '\t' ? '\t' : ' ', d->out);
	fputs("^\n", d->out);
}

static void report(const struct diag *d, struct loc loc, const char *level,
		   const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void report(const struct diag *d, struct loc loc, const char *level,
		   const char *fmt, va_list ap)
{
	if (!d->out)
		return;
	if (loc.line > 0)
		fprintf(d->out, "%s:%d:%d: %s: ", d->file, loc.line,
			loc.col > 0 ? loc.col : 1, level);
	else
		fprintf(d->out, "%s: %s: ", d->file, level);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	if (loc.line > 0)
		quote_line(d, loc);
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
