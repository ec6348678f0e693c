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
 * uplink and translates the config's mangle and NAT rules, each counted in
 * a named counter (ruleset_counter_name()). Returns a
 * malloc'd string the caller frees, or NULL with errno: ENOMEM, or EINVAL
 * when an interface name cannot be written as an nft string.
 */
char *ruleset_build(const struct config *cfg, const struct plan *p);

/*
 * The name of the nft counter object that counts the packets and bytes of
 * entry index of a firewall menu (CONFIG_MENU_FIREWALL_NAT or _MANGLE) in
 * ecmpd's table: "nat_2", "mangle_4". index counts every entry of the
 * menu, disabled ones included, as `ecmpctl print` numbers them; only
 * enabled entries have a counter in the table. Writes the NUL-terminated
 * name to buf[0..len). Returns 0, -EINVAL for a menu whose entries have
 * no counter, -ENOSPC when len is too small.
 */
int ruleset_counter_name(char *buf, size_t len, enum config_menu menu,
			 size_t index) __attribute__((warn_unused_result));

#endif
