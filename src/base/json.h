/* SPDX-License-Identifier: MIT */
/*
 * json.h - writing JSON text: the one string escaper that status, print
 * and any later JSON answer share.
 */
#ifndef ECMPD_JSON_H
#define ECMPD_JSON_H

#include <stdio.h>

/*
 * Writes s to out as a JSON string: quoted, with '"' and '\' escaped by a
 * backslash and every control character below 0x20 as \u00XX (RFC 8259,
 * section 7). Other bytes, UTF-8 included, pass through. NULL writes "".
 */
void json_string(FILE *out, const char *s);

#endif
