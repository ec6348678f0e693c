/* SPDX-License-Identifier: MIT */
/*
 * explain.h - what each line of a config became (ecmpd -n --explain).
 */
#ifndef ECMPD_EXPLAIN_H
#define ECMPD_EXPLAIN_H

#include <stddef.h>
#include <stdio.h>

#include "config/config.h"
#include "plan/plan.h"

/*
 * Writes to out, for each logical line of cfg (parsed from text[0..len),
 * normalized as config_read_text() returns it), the source lines and what
 * they became in plan p: kernel objects, a check, or skipped and why.
 */
void plan_explain(const struct config *cfg, const struct plan *p,
		  const char *text, size_t len, FILE *out);

#endif
