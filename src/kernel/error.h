/* SPDX-License-Identifier: MIT */
/*
 * error.h - what the kernel said about a refused step, handed to the
 * caller of that step. Each step of the kernel edge (a sync, an nft
 * replacement) takes a struct kernel_error, clears it when it starts and
 * fills it only on failure, so the text always belongs to the step that
 * just failed: no state outlives a call.
 */
#ifndef ECMPD_KERNEL_ERROR_H
#define ECMPD_KERNEL_ERROR_H

struct kernel_error {
	/* "replacing route default table 1002 via 10.112.0.1 dev wlan2:
	 * Nexthop has invalid gateway (EINVAL)", or "" */
	char text[512];
};

/* Empties e; NULL is a no-op. */
void kernel_error_clear(struct kernel_error *e);

/*
 * Records the text of a failure unless e already holds one (a step
 * reports its first failure, as it returns its first -errno); NULL is a
 * no-op.
 */
void kernel_error_set(struct kernel_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Keeps the first failure of a step that goes on after one: *first is set
 * to err when it is still 0.
 */
void first_error(int *first, int err);

#endif
