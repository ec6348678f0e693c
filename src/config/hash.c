// SPDX-License-Identifier: MIT
/*
 * hash.c - the config's fingerprint: a hash of its canonical text.
 *
 * Two routers of a pair (docs/ha.md) must build the same plan, so that a
 * connection's mark, replicated by conntrackd, means the same uplink on
 * both. The plan is a pure function of the model (docs/design.md), and the
 * canonical printer (canon.c) has one spelling per model, so hashing that
 * spelling fingerprints what the plan depends on: comments outside entries,
 * blank lines, the order of menus and the v6 or v7 spelling of a path do
 * not change it; any attribute of any entry does. The hash is 64-bit
 * FNV-1a: the pair compares it to catch a mistake, not an attacker.
 */
#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"

#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL

uint64_t config_hash_text(const char *text, size_t len)
{
	uint64_t h = FNV64_OFFSET;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= FNV64_PRIME;
	}
	return h;
}

int config_hash(const struct config *cfg, char out[CONFIG_HASH_LEN + 1])
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return -1;
	config_print(cfg, f);
	if (fclose(f) != 0) {
		free(text);
		return -1;
	}
	snprintf(out, CONFIG_HASH_LEN + 1, "%016llx",
		 (unsigned long long)config_hash_text(text, len));
	free(text);
	return 0;
}
