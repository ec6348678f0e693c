/* SPDX-License-Identifier: MIT */
/*
 * boxload.h - the daemon's config load: the config as ecmpd -n reads it,
 * then checked against the links of the box it runs on (the bridges,
 * VLANs, bridge ports and renamed ports it expects; src/config/syscheck.c).
 */
#ifndef ECMPD_BOXLOAD_H
#define ECMPD_BOXLOAD_H

#include <stdio.h>

#include "daemon/daemon.h"

/*
 * Loads opt's config as config_load() does, diagnostics to out, and checks
 * its devices against the links of the current namespace. When the links
 * cannot be read, says so on out and loads without that check. NULL when
 * the config has errors (*errors: their count).
 */
struct config *boxload_config(const struct daemon_options *opt, FILE *out,
			      int *errors);

#endif
