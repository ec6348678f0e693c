// SPDX-License-Identifier: MIT
/*
 * load.c - a config file from disk to a checked config: reading (at most
 * CONFIG_TEXT_MAX bytes, a byte order mark and CR line ends normalized),
 * parsing, the --map interface maps, and the checks.
 *
 * Cross-checks on a model with holes (entries dropped for syntax errors)
 * would only report follow-on errors, so they wait until the text itself
 * is right; each entry's own checks run anyway, so one run reports every
 * error it can.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "config/lexer.h"
#include "config/parser.h"

/*
 * Reads path whole, at most CONFIG_TEXT_MAX bytes (a config is text
 * someone wrote; "-f /dev/zero" must not eat the memory). NULL with errno,
 * EFBIG past the limit.
 */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	int saved;

	if (!f)
		return NULL;
	do {
		if (n > CONFIG_TEXT_MAX) {
			errno = EFBIG;
			goto out_fail;
		}
		if (array_grow(&buf, &cap, n, 1) < 0) {
			errno = ENOMEM;
			goto out_fail;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		errno = EIO;
		goto out_fail;
	}
	fclose(f);
	*len = n;
	return buf;

out_fail:
	saved = errno;
	fclose(f);
	free(buf);
	errno = saved;
	return NULL;
}

char *config_read_text(const char *path, size_t *len)
{
	char *text = read_file(path, len);

	/* A BOM and CR line ends are read as a text editor reads them. */
	if (text)
		*len = text_normalize(text, *len);
	return text;
}

/*
 * Reads, parses and validates the file at path, after applying the
 * interface maps. Diagnostics go to out. Returns the config when there
 * were no errors (strict: no warnings either), else NULL; *errors gets
 * the error count, -1 when the file could not be read.
 */
struct config *config_load(const char *path, const char *const *maps,
			   size_t n_maps, bool strict, FILE *out, int *errors)
{
	return config_load_on(path, maps, n_maps, strict, out, errors, NULL, 0);
}

struct config *config_load_on(const char *path, const char *const *maps,
			      size_t n_maps, bool strict, FILE *out,
			      int *errors, const struct system_link *links,
			      size_t n_links)
{
	struct config *cfg = NULL;
	struct diag *d;
	size_t len = 0, i;
	char *text;
	int hard;

	*errors = -1;
	text = config_read_text(path, &len);
	if (!text && errno == EFBIG) {
		fprintf(out,
			"%s: error: the file is larger than %d MiB; a "
			"config is at most that\n",
			path, CONFIG_TEXT_MAX >> 20);
		return NULL;
	}
	if (!text) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	d = diag_new(path, text, len, out, strict);
	if (!d) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		free(text);
		return NULL;
	}
	cfg = parse_buffer(path, text, len, d);
	free(text);
	if (!cfg) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		diag_free(d);
		return NULL;
	}
	for (i = 0; i < n_maps; i++) {
		int rc = config_add_map(cfg, maps[i]);

		if (rc == -ENOMEM) {
			fprintf(out, "%s: %s\n", path, strerror(ENOMEM));
			goto out_fail;
		}
		if (rc < 0)
			diag_error(d, (struct loc){ 0, 0 },
				   "invalid --map '%s': expected RSC=LINUX "
				   "with a Linux name of 1..%d characters, "
				   "each name mapped once",
				   maps[i], LINUX_IFNAME_MAX - 1);
	}
	/*
	 * Cross-checks on a model with holes (entries dropped for syntax
	 * errors) would only report follow-on errors, so they wait until
	 * the text itself is right; each entry's own checks run anyway, so
	 * one run reports every error it can.
	 */
	hard = diag_errors(d) - (strict ? diag_warnings(d) : 0);
	if (hard == 0) {
		config_validate(cfg, d);
		hard = diag_errors(d) - (strict ? diag_warnings(d) : 0);
		if (links && hard == 0)
			config_check_links(cfg, links, n_links, d);
	} else
		config_validate_entries(cfg, d);
	*errors = diag_errors(d);
	diag_free(d);
	if (*errors == 0)
		return cfg;
	config_free(cfg);
	return NULL;

out_fail:
	*errors = diag_errors(d) + 1;
	diag_free(d);
	config_free(cfg);
	return NULL;
}
