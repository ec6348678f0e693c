// SPDX-License-Identifier: MIT
/*
 * error.c - filling a struct kernel_error (see error.h): the first
 * failure of a step wins, later ones of the same step are only logged.
 */
#include <stdarg.h>
#include <stdio.h>

#include "kernel/error.h"

void kernel_error_clear(struct kernel_error *e)
{
	if (e)
		e->text[0] = '\0';
}

void kernel_error_set(struct kernel_error *e, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->text[0])
		return;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

void first_error(int *first, int err)
{
	if (err && !*first)
		*first = err;
}
