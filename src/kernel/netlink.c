// SPDX-License-Identifier: MIT
/*
 * netlink.c - the netlink transport (libmnl): sockets, requests with
 * acks, dumps, and draining a subscribed socket.
 *
 * Every request asks for an ack, and the socket has extended acks on, so
 * a refusal comes back with the kernel's own words ("Nexthop has invalid
 * gateway"): a failed write is logged and handed to the caller as "what
 * ecmpd was doing: what the kernel said (ERRNO)". Acks are capped
 * (NETLINK_CAP_ACK), so they don't echo the request back.
 *
 * A dump the kernel marks as interrupted by a concurrent change
 * (NLM_F_DUMP_INTR) is read again from the start, after the caller's
 * reset forgets what was collected: a sync always compares the plan with
 * one consistent picture of the kernel. A dump is always read to its end,
 * even after an error, so the socket holds no stale parts for the next
 * request; messages of another sequence number or port are passed over.
 *
 * A subscribed socket (the link monitor) gets a receive buffer large
 * enough for the burst of a link flap; if the kernel still has to drop
 * messages the reader is told (ENOBUFS), never left guessing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/array.h"
#include "base/log.h"
#include "kernel/error.h"
#include "kernel/netlink.h"

/* Large enough for any dump part the kernel sends (it caps them at 32 KiB). */
#define NETLINK_BUF_SIZE (64 * 1024)
/* Dumps interrupted this often in a row give up with -EAGAIN. */
#define DUMP_TRIES 10
/* A subscribed socket's receive buffer: a link flap can emit hundreds of
 * messages. */
#define SUBSCRIBED_RCVBUF (8 * 1024 * 1024)

struct netlink {
	struct mnl_socket *sock;
	unsigned int portid;
	uint32_t seq;
	unsigned long writes;
	bool strict; /* the kernel checks dump requests and honours filters */
	char *buf;
};

struct netlink *netlink_open(int bus, unsigned int groups)
{
	struct netlink *nl;
	int one = 1;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return NULL;
	nl->buf = malloc(NETLINK_BUF_SIZE);
	if (!nl->buf)
		goto out_free;
	nl->sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl->sock)
		goto out_free;
	if (groups) {
		int size = SUBSCRIBED_RCVBUF;
		int fd = mnl_socket_get_fd(nl->sock);

		/* FORCE ignores rmem_max when we have CAP_NET_ADMIN;
		 * otherwise take what the system allows. */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
			       sizeof(size)) < 0)
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
					 sizeof(size));
	}
	if (mnl_socket_bind(nl->sock, groups, MNL_SOCKET_AUTOPID) < 0)
		goto out_close;
	/* The kernel's error text is what makes a failed write explainable. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0)
		goto out_close;
	/* Acks need not echo the request back: keeps them small. */
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one,
				    sizeof(one));
	/*
	 * Strict checking (Linux 4.20) makes rtnetlink honour a dump's
	 * filters (a route dump of one table walks only that table), so a
	 * sync costs what ecmpd owns, not what the box carries.
	 */
	if (bus == NETLINK_ROUTE && !groups)
		nl->strict = mnl_socket_setsockopt(nl->sock,
						   NETLINK_GET_STRICT_CHK, &one,
						   sizeof(one)) == 0;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)now_us();
	return nl;

out_close:
	err = errno;
	mnl_socket_close(nl->sock);
	errno = err;
out_free:
	err = errno;
	free(nl->buf);
	free(nl);
	errno = err;
	return NULL;
}

void netlink_close(struct netlink *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

int netlink_fd(const struct netlink *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

bool netlink_strict(const struct netlink *nl)
{
	return nl->strict;
}

unsigned long netlink_writes(const struct netlink *nl)
{
	return nl->writes;
}

/*
 * The kernel's extended ack text (NLMSGERR_ATTR_MSG) of an NLMSG_ERROR
 * message, or NULL when it has none. The text lives in the message.
 */
static const char *extack_text(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	/* Uncapped acks carry the request's payload before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return NULL;
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(off))
		return NULL;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

/*
 * Logs "what: text (ERRNO)" (text NULL or empty: the errno's own) and
 * keeps it in why. Returns err.
 */
static int failed(struct kernel_error *why, const char *what, const char *text,
		  int err)
{
	if (!text || !*text)
		text = strerror(-err);
	log_error("%s: %s (%s)", what, text, strerrorname_np(-err));
	kernel_error_set(why, "%s: %s (%s)", what, text, strerrorname_np(-err));
	return err;
}

/* The error an NLMSG_ERROR message carries (0 for an ack). */
static int error_of(const struct nlmsghdr *r)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(r);

	if (r->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	return e->error;
}

/* One recv into nl->buf; EINTR is retried. Returns the length or -errno. */
static ssize_t receive(struct netlink *nl)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf,
						NETLINK_BUF_SIZE);

		if (n >= 0 || errno != EINTR)
			return n < 0 ? -errno : n;
	}
}

/*
 * Called for each answer to a request: true when it is the last one the
 * request gets (an ack, an error, the end of a dump).
 */
typedef bool (*answer_cb)(const struct nlmsghdr *r, void *state);

/*
 * Sends req with a fresh sequence number and hands each answer to it
 * (messages with its sequence number and our port; leftovers of an
 * earlier request are passed over) to answer until answer says it was the
 * last. The last answer stays valid in nl->buf until the next request.
 * Returns 0, or the -errno of sending or receiving (logged, kept in why).
 */
static int exchange(struct netlink *nl, struct nlmsghdr *req, const char *what,
		    struct kernel_error *why, answer_cb answer, void *state)
{
	uint32_t seq = ++nl->seq;

	req->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return failed(why, what, NULL, -errno);
	for (;;) {
		ssize_t n = receive(nl);
		const struct nlmsghdr *r;
		int left;

		if (n < 0)
			return failed(why, what, NULL, (int)n);
		left = (int)n;
		for (r = (const struct nlmsghdr *)nl->buf;
		     mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			if (r->nlmsg_seq == seq && r->nlmsg_pid == nl->portid &&
			    answer(r, state))
				return 0;
		}
	}
}

/* The ack of a write, once it came. */
static bool ack_answer(const struct nlmsghdr *r, void *state)
{
	const struct nlmsghdr **ack = state;

	if (r->nlmsg_type != NLMSG_ERROR)
		return false;
	*ack = r;
	return true;
}

int netlink_write(struct netlink *nl, struct nlmsghdr *nlh, const char *what,
		  int quiet_err, struct kernel_error *why)
{
	const struct nlmsghdr *ack = NULL;
	int err;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nl->writes++;
	err = exchange(nl, nlh, what, why, ack_answer, &ack);
	if (err)
		return err;
	err = error_of(ack);
	if (err == 0 || -err == quiet_err)
		return err;
	return failed(why, what, extack_text(ack), err);
}

/* One pass of a dump. */
struct dump_pass {
	netlink_msg_cb cb;
	void *data;
	int err; /* cb's first */
	bool intr; /* the kernel says a change interrupted it */
	const struct nlmsghdr *error; /* the kernel's NLMSG_ERROR, if any */
};

static bool dump_answer(const struct nlmsghdr *r, void *state)
{
	struct dump_pass *d = state;

	if (r->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	if (r->nlmsg_type == NLMSG_DONE)
		return true;
	if (r->nlmsg_type == NLMSG_ERROR) {
		d->error = r;
		return true;
	}
	/* After an error, read on to the end without looking. */
	if (!d->err && !d->intr)
		d->err = d->cb(r, d->data);
	return false;
}

/* netlink_dump(), where the kernel refusing with quiet_err is only returned. */
static int dump_run(struct netlink *nl, struct nlmsghdr *req, netlink_msg_cb cb,
		    netlink_reset_cb reset, void *data, int quiet_err,
		    const char *what, struct kernel_error *why)
{
	char text[64];

	for (int tries = 0; tries < DUMP_TRIES; tries++) {
		struct dump_pass d = { .cb = cb, .data = data };
		int err;

		req->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		err = exchange(nl, req, what, why, dump_answer, &d);
		if (err)
			return err;
		if (d.error) {
			err = error_of(d.error);
			if (err && -err == quiet_err)
				return err;
			return failed(why, what, extack_text(d.error),
				      err ? err : -EBADMSG);
		}
		if (d.err)
			return d.err;
		if (!d.intr)
			return 0;
		log_debug("%s: interrupted by a change, again", what);
		reset(data);
	}
	snprintf(text, sizeof(text), "interrupted by changes %d times in a row",
		 DUMP_TRIES);
	return failed(why, what, text, -EAGAIN);
}

int netlink_dump(struct netlink *nl, struct nlmsghdr *req, netlink_msg_cb cb,
		 netlink_reset_cb reset, void *data, const char *what,
		 struct kernel_error *why)
{
	return dump_run(nl, req, cb, reset, data, 0, what, why);
}

/* Forgets the records from index from on. */
static void records_truncate(struct netlink_records *r, size_t from)
{
	if (r->msgs)
		for (size_t i = from; i < r->n; i++)
			free(r->msgs[i]);
	r->n = from;
}

static void records_reset(void *data)
{
	records_truncate(data, 0);
}

void netlink_records_free(struct netlink_records *r)
{
	records_reset(r);
	free(r->v);
	free(r->msgs);
	r->v = NULL;
	r->msgs = NULL;
	r->cap = 0;
	r->msgs_cap = 0;
}

/* What records_cb needs beside the records. */
struct records_dump {
	struct netlink_records *r;
	size_t start; /* the records this dump found begin here */
	netlink_parse_cb parse;
	void *arg;
};

static void records_dump_reset(void *data)
{
	struct records_dump *d = data;

	records_truncate(d->r, d->start);
}

static int records_cb(const struct nlmsghdr *nlh, void *data)
{
	struct records_dump *d = data;
	struct netlink_records *r = d->r;
	void *record;
	int keep;

	if (array_grow(&r->v, &r->cap, r->n, r->size))
		return -ENOMEM;
	if (r->keep_msgs &&
	    array_grow(&r->msgs, &r->msgs_cap, r->n, sizeof(*r->msgs)))
		return -ENOMEM;
	record = (char *)r->v + r->n * r->size;
	memset(record, 0, r->size);
	keep = d->parse(nlh, record, d->arg);
	if (keep <= 0)
		return keep;
	if (r->keep_msgs) {
		r->msgs[r->n] = malloc(nlh->nlmsg_len);
		if (!r->msgs[r->n])
			return -ENOMEM;
		memcpy(r->msgs[r->n], nlh, nlh->nlmsg_len);
	}
	r->n++;
	return 0;
}

int netlink_dump_records(struct netlink *nl, uint16_t type, size_t hdrlen,
			 uint8_t family, netlink_parse_cb parse, void *arg,
			 struct netlink_records *r, const char *what,
			 struct kernel_error *why)
{
	char req[NETLINK_REQUEST_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	uint8_t *head;

	nlh->nlmsg_type = type;
	/* ifinfomsg, ifaddrmsg, rtmsg, fib_rule_hdr: family comes first. */
	head = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	head[0] = family;
	records_reset(r);
	return netlink_dump_more(nl, nlh, 0, parse, arg, r, what, why);
}

int netlink_dump_more(struct netlink *nl, struct nlmsghdr *req, int quiet_err,
		      netlink_parse_cb parse, void *arg,
		      struct netlink_records *r, const char *what,
		      struct kernel_error *why)
{
	struct records_dump d = { r, r->n, parse, arg };
	char text[128];
	int err;

	snprintf(text, sizeof(text), "dumping %s", what);
	err = dump_run(nl, req, records_cb, records_dump_reset, &d, quiet_err,
		       text, why);
	if (err)
		records_truncate(r, d.start);
	return err;
}

bool netlink_attr_u32(const struct nlattr *attr, uint32_t *v)
{
	if (mnl_attr_get_payload_len(attr) != sizeof(*v))
		return false;
	*v = mnl_attr_get_u32(attr);
	return true;
}

bool netlink_attr_be32(const struct nlattr *attr, uint32_t *v)
{
	if (!netlink_attr_u32(attr, v))
		return false;
	*v = ntohl(*v);
	return true;
}

int netlink_drain(struct netlink *nl, netlink_msg_cb cb, void *data,
		  bool *overrun)
{
	for (;;) {
		ssize_t len = recv(mnl_socket_get_fd(nl->sock), nl->buf,
				   NETLINK_BUF_SIZE, MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		int left;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == ENOBUFS) {
				*overrun = true;
				continue;
			}
			return -errno;
		}
		left = (int)len;
		for (nlh = (const struct nlmsghdr *)nl->buf;
		     mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			int err = cb(nlh, data);

			if (err)
				return err;
		}
	}
}
