// SPDX-License-Identifier: MIT
/*
 * conntrack.c - conntrack entries by mark, through ctnetlink and the
 * netlink transport (kernel/netlink.h).
 *
 * Failing over means deleting the dead uplink's connections (kernel-facts
 * 17), and there may be hundreds of thousands of them. The kernel can do
 * it in one request: IPCTNL_MSG_CT_DELETE with CTA_MARK and CTA_MARK_MASK
 * but no tuple walks the table and deletes what matches (kernel >= 4.0).
 * libnetfilter_conntrack 1.0.9's filtered flush must not be used: with a
 * mark filter it emptied the whole table (kernel-facts 12). Counting uses
 * the same attributes on a dump request, so the kernel filters there too
 * and only matching entries cross the socket.
 *
 * Each call opens its own short-lived NETLINK_NETFILTER socket: these are
 * rare operations (a failover, a status query), and no socket state is
 * kept between them.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/log.h"
#include "kernel/conntrack.h"
#include "kernel/netlink.h"

/* A request is a header and two attributes. */
#define CT_REQ_SIZE 256

/* Opens a ctnetlink socket into *nl. Returns 0 or -errno (logged). */
static int ct_open(struct netlink **nl, const char *what)
{
	int err;

	*nl = netlink_open(NETLINK_NETFILTER, 0);
	if (*nl)
		return 0;
	err = -errno;
	log_error("%s: opening ctnetlink: %s", what, strerror(-err));
	return err;
}

/*
 * A ctnetlink request for IPv4 entries with (mark & mask) == value (flags
 * and sequence number are the transport's).
 */
static struct nlmsghdr *ct_request(char *buf, uint8_t msg, uint32_t value,
				   uint32_t mask)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | msg;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(value));
	mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(mask));
	return nlh;
}

static void add_counters(const struct nlattr *nest, struct conntrack_stats *st)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_payload_len(attr) != 8)
			continue;
		if (mnl_attr_get_type(attr) == CTA_COUNTERS_PACKETS)
			st->packets += be64toh(mnl_attr_get_u64(attr));
		else if (mnl_attr_get_type(attr) == CTA_COUNTERS_BYTES)
			st->bytes += be64toh(mnl_attr_get_u64(attr));
	}
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct conntrack_stats *st = data;
	const struct nlattr *attr;

	st->entries++;
	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type == CTA_COUNTERS_ORIG || type == CTA_COUNTERS_REPLY)
			add_counters(attr, st);
	}
	return 0;
}

static void stats_reset(void *data)
{
	memset(data, 0, sizeof(struct conntrack_stats));
}

/* Where an entry's counters go when a dump is split by a mark field. */
struct buckets {
	uint32_t mask;
	unsigned shift;
	struct conntrack_stats *out;
	size_t n;
};

static int bucket_cb(const struct nlmsghdr *nlh, void *data)
{
	struct buckets *b = data;
	const struct nlattr *attr;
	uint32_t mark = 0;
	size_t i;

	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(attr) == CTA_MARK)
			netlink_attr_be32(attr, &mark);
	}
	i = (mark & b->mask) >> b->shift;
	if (i < b->n)
		stats_cb(nlh, &b->out[i]);
	return 0;
}

static void buckets_reset(void *data)
{
	struct buckets *b = data;

	memset(b->out, 0, b->n * sizeof(*b->out));
}

/* One kernel-filtered dump of (mark & mask) == value through cb. */
static int ct_dump(struct netlink *nl, uint32_t value, uint32_t mask,
		   netlink_msg_cb cb, netlink_reset_cb reset, void *data)
{
	char req[CT_REQ_SIZE], what[96];

	snprintf(what, sizeof(what),
		 "counting conntrack entries with mark 0x%x/0x%x", value, mask);
	reset(data);
	return netlink_dump(nl, ct_request(req, IPCTNL_MSG_CT_GET, value, mask),
			    cb, reset, data, what, NULL);
}

int conntrack_stats_mark(uint32_t value, uint32_t mask,
			 struct conntrack_stats *st)
{
	struct netlink *nl;
	int err;

	memset(st, 0, sizeof(*st));
	err = ct_open(&nl, "counting conntrack entries");
	if (err)
		return err;
	err = ct_dump(nl, value, mask, stats_cb, stats_reset, st);
	netlink_close(nl);
	return err;
}

int conntrack_stats_split(uint32_t mask, unsigned shift,
			  struct conntrack_stats *out, size_t n)
{
	struct buckets b = { mask, shift, out, n };
	struct netlink *nl;
	int err;

	memset(out, 0, n * sizeof(*out));
	err = ct_open(&nl, "counting conntrack entries");
	if (err)
		return err;
	/* Value and mask 0: the kernel sends every entry, once. */
	err = ct_dump(nl, 0, 0, bucket_cb, buckets_reset, &b);
	netlink_close(nl);
	return err;
}

int conntrack_count_mark(uint32_t value, uint32_t mask, unsigned *count)
{
	struct conntrack_stats st;
	int err;

	*count = 0;
	err = conntrack_stats_mark(value, mask, &st);
	if (!err)
		*count = st.entries;
	return err;
}

int conntrack_flush_mark(uint32_t value, uint32_t mask, unsigned *count)
{
	struct conntrack_stats st;
	struct netlink *nl;
	char req[CT_REQ_SIZE], what[96];
	int err;

	snprintf(what, sizeof(what),
		 "deleting conntrack entries with mark 0x%x/0x%x", value, mask);
	if (count)
		*count = 0;
	err = ct_open(&nl, what);
	if (err)
		return err;
	if (count) {
		err = ct_dump(nl, value, mask, stats_cb, stats_reset, &st);
		if (err)
			goto out;
		*count = st.entries;
	}
	err = netlink_write(nl,
			    ct_request(req, IPCTNL_MSG_CT_DELETE, value, mask),
			    what, 0, NULL);
	if (!err)
		log_debug("%s: done", what);
out:
	netlink_close(nl);
	return err;
}
