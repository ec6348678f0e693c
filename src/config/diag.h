/* SPDX-License-Identifier: MIT */
/*
 * diag.h - compiler-style diagnostics for configuration files.
 *
 * Every message is "file:line:col: error|warning: text", then the source
 * line and a caret under the offending column. A diag keeps a copy of the
 * source text so it can quote lines; it counts errors and warnings so one
 * run reports them all.
 */
#ifndef ECMPD_DIAG_H
#define ECMPD_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag;

/* A place in the source: 1-based line and column; line 0 means "none". */
struct loc {
	int line;
	int col;
};

/*
 * Creates a diag for the source named file whose text is text[0..len),
 * writing messages to out. The text is copied. With strict, warnings
 * count as errors. NULL with errno on failure.
 */
struct diag *diag_new(const char *file, const char *text, size_t len, FILE *out,
		      bool strict);

void diag_free(struct diag *d);

/* Reports an error (or a warning) at loc; loc.line 0 means no place. */
void diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * True the first time key is given to this diag, false after (and when
 * out of memory): for a warning worth giving once per name, not per use.
 */
bool diag_first(struct diag *d, const char *key);

/* Errors so far; in strict mode warnings are included. */
int diag_errors(const struct diag *d);
int diag_warnings(const struct diag *d);

#endif
