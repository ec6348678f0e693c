/* SPDX-License-Identifier: MIT */
/*
 * conntrack.h - counting and deleting conntrack entries by mark, each in
 * one kernel request filtered by the kernel itself.
 */
#ifndef ECMPD_CONNTRACK_H
#define ECMPD_CONNTRACK_H

#include <stdint.h>

/*
 * Deletes every IPv4 conntrack entry with (mark & mask) == value in one
 * IPCTNL_MSG_CT_DELETE request carrying CTA_MARK and CTA_MARK_MASK and no
 * tuple (the kernel filters; kernel-facts 12). If count is not NULL it
 * receives the number of matching entries counted just before. Returns 0
 * or -errno (logged with the kernel's text).
 */
int conntrack_flush_mark(uint32_t value, uint32_t mask, unsigned *count)
	__attribute__((warn_unused_result));

/*
 * Counts the IPv4 entries with (mark & mask) == value through a dump the
 * kernel filters. Returns 0 or -errno.
 */
int conntrack_count_mark(uint32_t value, uint32_t mask, unsigned *count)
	__attribute__((warn_unused_result));

struct conntrack_stats {
	unsigned entries;
	/* Both directions; 0 unless net.netfilter.nf_conntrack_acct=1 was set
	 * before the entries were created. */
	uint64_t packets;
	uint64_t bytes;
};

/*
 * Like conntrack_count_mark(), and sums the packet and byte counters of
 * the matching entries into *st. Returns 0 or -errno.
 */
int conntrack_stats_mark(uint32_t value, uint32_t mask,
			 struct conntrack_stats *st)
	__attribute__((warn_unused_result));

/*
 * One dump of the whole table, split by a mark field: out[i] receives the
 * entries with ((mark & mask) >> shift) == i, for i < n (others are not
 * counted). One kernel walk however many uplinks there are, where
 * conntrack_stats_mark() per uplink walks the table each time.
 */
int conntrack_stats_split(uint32_t mask, unsigned shift,
			  struct conntrack_stats *out, size_t n)
	__attribute__((warn_unused_result));

#endif
