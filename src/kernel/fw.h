/* SPDX-License-Identifier: MIT */
/*
 * fw.h - ecmpd's nft table ("table ip ecmpd"), replaced whole and
 * atomically through libnftables, and the named counters it declares.
 */
#ifndef ECMPD_FW_H
#define ECMPD_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* The longest nft object name, with its NUL (NFT_OBJ_MAXNAMELEN). */
#define FW_COUNTER_NAME_MAX 256

/* A named counter of table ip ecmpd ("counter mangle_4 { }"). */
struct fw_counter {
	char name[FW_COUNTER_NAME_MAX];
	uint64_t packets, bytes;
};

/*
 * Reads every named counter of table ip ecmpd, in the kernel's order.
 * *out receives a malloc'd array owned by the caller (NULL when none), *n
 * its length. A missing table has no counters and is not an error.
 * Returns 0, -EINVAL when libnftables refuses the listing (its text is
 * logged), -EBADMSG when its output can't be read, or -ENOMEM.
 */
int fw_read_counters(struct fw *fw, struct fw_counter **out, size_t *n)
	__attribute__((warn_unused_result));

#endif
