/* SPDX-License-Identifier: MIT */
/*
 * limits.h - the kernel plan's limits, checked at the line that passes
 * them.
 */
#ifndef ECMPD_LIMITS_H
#define ECMPD_LIMITS_H

#include "config/config.h"
#include "config/diag.h"

/* Uplinks, connection marks and routing marks: each id is 8 bits, 0 none. */
#define CONFIG_IDS_MAX 255

/*
 * Reports, at the entry that passes it, every limit of the kernel plan
 * the config passes: more than CONFIG_IDS_MAX distinct gateways,
 * connection marks or routing marks (tables); an /ip address interface
 * name longer than Linux's 15 bytes (unless mapped).
 */
void config_check_limits(const struct config *cfg, struct diag *d);

#endif
