// SPDX-License-Identifier: MIT
/*
 * fuzz_parser.c - libFuzzer harness for the config compiler.
 *
 * Any input is parsed and validated (sanitizers catch memory errors), then
 * printed canonically. The printed text must parse without syntax errors
 * (the parser drops entries with errors, so this holds even for broken
 * input, which is stronger than "clean in, clean out"), and printing it
 * again must give the same text: the
 * printer and the parser agree on every model the parser can build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses text, validates, and prints into *printed; returns the errors. */
static int compile(FILE *devnull, const char *text, size_t len, char **printed,
		   size_t *printed_len)
{
	struct diag *d = diag_new("fuzz.rsc", text, len, devnull, false);
	struct config *cfg;
	FILE *out;
	int errors;

	if (!d)
		abort();
	cfg = parse_buffer("fuzz.rsc", text, len, d);
	if (!cfg)
		abort();
	errors = diag_errors(d);
	if (errors == 0)
		config_validate(cfg, d);
	out = open_memstream(printed, printed_len);
	if (!out)
		abort();
	config_print(cfg, out);
	fclose(out);
	config_free(cfg);
	diag_free(d);
	return errors;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	char *first = NULL, *second = NULL;
	size_t first_len, second_len;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	compile(devnull, (const char *)data, size, &first, &first_len);
	/*
	 * Entries with errors are dropped, so even a broken input leaves a
	 * model whose canonical text must parse cleanly.
	 */
	if (compile(devnull, first, first_len, &second, &second_len))
		abort();
	if (first_len != second_len || memcmp(first, second, first_len))
		abort(); /* printing is not idempotent */
	free(first);
	free(second);
	return 0;
}
