/* SPDX-License-Identifier: MIT */
/*
 * fw.h - ecmpd's nft table ("table ip ecmpd"), replaced whole and
 * atomically through libnftables.
 */
#ifndef ECMPD_FW_H
#define ECMPD_FW_H

#include <stdbool.h>

struct fw;
struct kernel_error;

/* A libnftables context with output and errors buffered; NULL with errno. */
struct fw *fw_open(void);

/* NULL is a no-op. */
void fw_close(struct fw *fw);

/*
 * Replaces table ip ecmpd with ruleset (text "table ip ecmpd { ... }") in
 * one kernel transaction: nothing is applied when any part fails, and the
 * whole error text of libnftables is logged. why is cleared, then receives
 * "replacing nft table ip ecmpd: <libnftables' text>" on failure. Returns
 * 0, -EINVAL when the ruleset is refused, or -ENOMEM.
 */
int fw_apply(struct fw *fw, const char *ruleset, struct kernel_error *why)
	__attribute__((warn_unused_result));

/*
 * Validates the same replacement in the kernel without applying it. why
 * as for fw_apply(). Returns 0, -EINVAL (errors logged) or -ENOMEM.
 */
int fw_check(struct fw *fw, const char *ruleset, struct kernel_error *why)
	__attribute__((warn_unused_result));

/*
 * Deletes table ip ecmpd if it exists. why as for fw_apply(). Returns 0,
 * -EINVAL or -ENOMEM.
 */
int fw_remove(struct fw *fw, struct kernel_error *why);

/* Whether table ip ecmpd exists. */
bool fw_present(struct fw *fw);

#endif
