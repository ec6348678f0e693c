// SPDX-License-Identifier: MIT
/*
 * json.c - the JSON string writer.
 *
 * ecmpd writes JSON (ecmpctl -j status, print -j) straight to the reply
 * stream with fprintf(); the only part that needs care is a string from the
 * config or the kernel, which may hold quotes, backslashes or control
 * characters. Bytes from 0x80 up are passed through: the config is read as
 * bytes and interface names are bytes too, so re-encoding them would only
 * guess.
 */
#include "base/json.h"

void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}
