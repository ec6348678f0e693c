/* SPDX-License-Identifier: MIT */
/*
 * ruleset.h - the nft table ecmpd owns, as text for `nft -f`.
 */
#ifndef ECMPD_RULESET_H
#define ECMPD_RULESET_H

#include "config/config.h"
#include "plan/plan.h"

/*
 * Builds "table ip ecmpd { ... }" for cfg, using the uplinks and the
 * connection-mark and routing-mark ids of p (p->uplinks and p->ids must be
 * filled in; p->ruleset is not read). The text pins connections to their
 * uplink and translates the config's mangle and NAT rules. Returns a
 * malloc'd string the caller frees, or NULL with errno: ENOMEM, or EINVAL
 * when an interface name cannot be written as an nft string.
 */
char *ruleset_build(const struct config *cfg, const struct plan *p);

#endif
