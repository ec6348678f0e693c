/* SPDX-License-Identifier: MIT */
/*
 * parser.h - RouterOS script (.rsc) to config.
 *
 * Reads the menus ecmpd supports (see docs/config.md) in every spelling
 * RouterOS accepts ("/ip route", "/ ip route", "/ip/route", commands
 * inline after the path), skips menus outside ecmpd's scope with a
 * warning, and reports every syntax error and bad value through diag.
 */
#ifndef ECMPD_PARSER_H
#define ECMPD_PARSER_H

#include <stddef.h>

#include "config/config.h"
#include "config/diag.h"

/*
 * Parses text[0..len) named name into a new config. Problems go to diag;
 * the caller checks diag_errors(). Returns the config (possibly partial
 * when there were errors) or NULL with errno on allocation failure.
 */
struct config *parse_buffer(const char *name, const char *text, size_t len,
			    struct diag *diag);

/* The largest config file ecmpd reads: 16 MiB. */
#define CONFIG_TEXT_MAX (16 << 20)

/*
 * Reads the file at path as config_load() does: at most CONFIG_TEXT_MAX
 * bytes (else NULL with errno EFBIG), a byte order mark dropped and CR
 * line ends made LF (text_normalize()). The caller frees the text.
 */
char *config_read_text(const char *path, size_t *len);

/*
 * Reads and checks a config file completely: parse plus config_validate(),
 * after applying the given interface maps ("rsc=linux" specs). Diagnostics
 * go to out. Returns the config when there were no errors (strict: no
 * warnings either), else NULL; *errors receives the error count (-1 when
 * the file could not be read, with the reason printed to out).
 */
struct config *config_load(const char *path, const char *const *maps,
			   size_t n_maps, bool strict, FILE *out, int *errors);

/*
 * config_load(), then, when the config has no errors, config_check_links()
 * against links[0..n_links): the daemon's load, on the box the config is
 * for. Its warnings count as errors under strict.
 */
struct config *config_load_on(const char *path, const char *const *maps,
			      size_t n_maps, bool strict, FILE *out,
			      int *errors, const struct system_link *links,
			      size_t n_links);

/*
 * The checks of `ecmpd -n --ha` (ha.c, docs/ha.md), all config_ha_*()
 * below: a warning, through d,
 * for every enabled masquerade rule, whose connections cannot survive a
 * failover to the other router of a pair. Returns how many there were.
 */
unsigned config_ha_masquerades(const struct config *cfg, struct diag *d);

/*
 * The same for every enabled /ip address: ecmpd adds it, on both routers
 * of the pair, which is an address conflict. Returns how many there were.
 */
unsigned config_ha_addresses(const struct config *cfg, struct diag *d);

/*
 * The same on the loaded config of the file at path, with diagnostics
 * to out. Returns the errors counted (the warnings, when strict), or -1
 * with errno when the file cannot be read again.
 */
int config_check_ha(const struct config *cfg, const char *path, bool strict,
		    FILE *out);

#endif
