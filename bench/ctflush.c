/* SPDX-License-Identifier: MIT */
/*
 * bench/ctflush.c - ecmpd's own conntrack flush, timed.
 *
 *   ctflush flush VALUE MASK   conntrack_flush_mark() exactly as the daemon
 *                              calls it (with the count it logs), prints
 *                              "<matched> <ms>"
 *   ctflush count VALUE MASK   conntrack_count_mark(), prints the count
 *
 * Links the daemon's kernel library unchanged (src/kernel/conntrack.c and
 * the netlink transport it sends through, src/kernel/netlink.c), so the
 * request timed is the daemon's: one IPCTNL_MSG_CT_DELETE with CTA_MARK
 * and CTA_MARK_MASK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/conntrack.h"

static double now_ms_f(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	uint32_t value, mask;
	unsigned n = 0;
	double t0, t1;
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: %s flush|count VALUE MASK\n", argv[0]);
		return 2;
	}
	value = (uint32_t)strtoul(argv[2], NULL, 0);
	mask = (uint32_t)strtoul(argv[3], NULL, 0);
	if (strcmp(argv[1], "count") == 0) {
		err = conntrack_count_mark(value, mask, &n);
		if (err)
			return 1;
		printf("%u\n", n);
		return 0;
	}
	t0 = now_ms_f();
	err = conntrack_flush_mark(value, mask, &n);
	t1 = now_ms_f();
	if (err)
		return 1;
	printf("%u %.1f\n", n, t1 - t0);
	return 0;
}
