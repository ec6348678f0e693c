// SPDX-License-Identifier: MIT
/*
 * conntrack.c - conntrack entries by mark, through ctnetlink and libmnl.
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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/conntrack.h"
#include "kernel/netlink.h"
#include "base/log.h"

/* Dump parts are at most 32 KiB; more is harmless. */
#define CT_BUF_SIZE (64 * 1024)
/* A request is a header and two attributes. */
#define CT_REQ_SIZE 256

struct ct_sock {
	struct mnl_socket *sock;
	unsigned int portid;
	char *buf;
};

static int ct_open(struct ct_sock *s)
{
	int one = 1;
	int err;

	s->buf = malloc(CT_BUF_SIZE);
	if (!s->buf)
		return -ENOMEM;
	s->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!s->sock)
		goto out_free;
	if (mnl_socket_bind(s->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out_close;
	(void)mnl_socket_setsockopt(s->sock, NETLINK_EXT_ACK, &one,
				    sizeof(one));
	(void)mnl_socket_setsockopt(s->sock, NETLINK_CAP_ACK, &one,
				    sizeof(one));
	s->portid = mnl_socket_get_portid(s->sock);
	return 0;

out_close:
	err = -errno;
	mnl_socket_close(s->sock);
	free(s->buf);
	return err;
out_free:
	err = -errno;
	free(s->buf);
	return err;
}

static void ct_close(struct ct_sock *s)
{
	mnl_socket_close(s->sock);
	free(s->buf);
}

/* A ctnetlink request for IPv4 entries with (mark & mask) == value. */
static struct nlmsghdr *ct_request(char *buf, uint8_t msg, uint16_t flags,
				   uint32_t seq, uint32_t value, uint32_t mask)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
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
	return MNL_CB_OK;
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
		if (mnl_attr_get_type(attr) == CTA_MARK &&
		    mnl_attr_get_payload_len(attr) == 4)
			mark = ntohl(mnl_attr_get_u32(attr));
	}
	i = (mark & b->mask) >> b->shift;
	if (i < b->n)
		stats_cb(nlh, &b->out[i]);
	return MNL_CB_OK;
}

/* One kernel-filtered dump of (mark & mask) == value through cb. */
static int ct_dump(struct ct_sock *s, uint32_t value, uint32_t mask,
		   mnl_cb_t cb, void *data)
{
	char req[CT_REQ_SIZE];
	uint32_t seq = (uint32_t)now_us();
	struct nlmsghdr *nlh;
	ssize_t n;
	int ret;

	nlh = ct_request(req, IPCTNL_MSG_CT_GET, NLM_F_DUMP, seq, value, mask);
	if (mnl_socket_sendto(s->sock, nlh, nlh->nlmsg_len) < 0)
		goto out_errno;
	for (;;) {
		n = mnl_socket_recvfrom(s->sock, s->buf, CT_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto out_errno;
		}
		ret = mnl_cb_run(s->buf, (size_t)n, seq, s->portid, cb, data);
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret < 0)
			goto out_errno;
	}
out_errno:
	ret = -errno;
	log_error("counting conntrack entries with mark 0x%x/0x%x: %s", value,
		  mask, strerror(-ret));
	return ret;
}

static int ct_stats(struct ct_sock *s, uint32_t value, uint32_t mask,
		    struct conntrack_stats *st)
{
	memset(st, 0, sizeof(*st));
	return ct_dump(s, value, mask, stats_cb, st);
}

int conntrack_stats_mark(uint32_t value, uint32_t mask,
			 struct conntrack_stats *st)
{
	struct ct_sock s;
	int err;

	err = ct_open(&s);
	if (err) {
		log_error("opening ctnetlink: %s", strerror(-err));
		return err;
	}
	err = ct_stats(&s, value, mask, st);
	ct_close(&s);
	return err;
}

int conntrack_stats_split(uint32_t mask, unsigned shift,
			  struct conntrack_stats *out, size_t n)
{
	struct buckets b = { mask, shift, out, n };
	struct ct_sock s;
	int err;

	memset(out, 0, n * sizeof(*out));
	err = ct_open(&s);
	if (err) {
		log_error("opening ctnetlink: %s", strerror(-err));
		return err;
	}
	/* Value and mask 0: the kernel sends every entry, once. */
	err = ct_dump(&s, 0, 0, bucket_cb, &b);
	ct_close(&s);
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

/* Sends the one delete request and reads its ack. */
static int ct_delete(struct ct_sock *s, uint32_t value, uint32_t mask,
		     const char *what)
{
	char req[CT_REQ_SIZE], errtext[256];
	struct nlmsghdr *nlh;

	nlh = ct_request(req, IPCTNL_MSG_CT_DELETE, NLM_F_ACK,
			 (uint32_t)now_us() + 1, value, mask);
	return netlink_transact(s->sock, s->buf, CT_BUF_SIZE, nlh, what, 0,
				errtext, sizeof(errtext));
}

int conntrack_flush_mark(uint32_t value, uint32_t mask, unsigned *count)
{
	struct conntrack_stats st;
	struct ct_sock s;
	char what[96];
	int err;

	snprintf(what, sizeof(what),
		 "deleting conntrack entries with mark 0x%x/0x%x", value, mask);
	if (count)
		*count = 0;
	err = ct_open(&s);
	if (err) {
		log_error("%s: opening ctnetlink: %s", what, strerror(-err));
		return err;
	}
	if (count) {
		err = ct_stats(&s, value, mask, &st);
		if (err)
			goto out;
		*count = st.entries;
	}
	err = ct_delete(&s, value, mask, what);
	if (!err)
		log_debug("%s: done", what);
out:
	ct_close(&s);
	return err;
}
