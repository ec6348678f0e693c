/* SPDX-License-Identifier: MIT */
/*
 * skip.h - the menus ecmpd skips, and what on Linux does each one's job.
 */
#ifndef ECMPD_SKIP_H
#define ECMPD_SKIP_H

#include "config/config.h"
#include "config/diag.h"

/* A skipped menu (or a directory of them) and who does its job on Linux. */
struct skipped_menu {
	const char *path; /* "ip dhcp-server": words joined by one blank */
	const char *linux_job; /* "a DHCP server (dnsmasq, Kea, ...)" */
};

/*
 * The row for path (a menu path as the parser joins it, "ip dns"): the one
 * with the longest path that is path or a prefix of it in whole words.
 * NULL when the table has none.
 */
const struct skipped_menu *skipped_menu_find(const char *path);

/* The linux_job of skipped_menu_find(path), or NULL. */
const char *skipped_menu_job(const char *path);

/*
 * Reports an error when no line of cfg (cfg->lines) made an entry or a
 * setting and some were skipped: such a file configures nothing ecmpd
 * does, and accepting it would run a gateway that means nothing.
 */
void config_check_all_skipped(const struct config *cfg, struct diag *d);

#endif
