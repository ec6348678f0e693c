/* SPDX-License-Identifier: MIT */
/*
 * netlink.h - the one netlink transport of the kernel edge, as iproute2's
 * libnetlink.c is for ip(8): a socket, a request and its ack with the
 * kernel's extended-ack text, a dump with a callback per message, and
 * draining what a subscribed socket was sent. The rtnetlink objects
 * (link, route, rule, address, monitor) and ctnetlink (conntrack) build
 * their messages with libmnl and send them through here.
 */
#ifndef ECMPD_NETLINK_H
#define ECMPD_NETLINK_H

#include <linux/netlink.h> /* NETLINK_ROUTE, struct nlmsghdr */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netlink;
struct nlattr;
struct kernel_error;

/* Room for any one request ecmpd builds (a route with PLAN_NEXTHOPS_MAX
 * nexthops needs about 1.2 KiB). */
#define NETLINK_REQUEST_SIZE 4096

/*
 * A socket on bus (NETLINK_ROUTE, NETLINK_NETFILTER), close-on-exec, with
 * extended acks on. groups != 0 subscribes it to those multicast groups
 * (RTMGRP_* bits) and gives it a large receive buffer, for
 * netlink_drain(). NULL with errno.
 */
struct netlink *netlink_open(int bus, unsigned int groups);

/* Closes the socket; NULL is a no-op. */
void netlink_close(struct netlink *nl);

/*
 * Whether the kernel checks nl's dump requests strictly and so honours
 * their filters (NETLINK_GET_STRICT_CHK, rtnetlink request sockets on
 * Linux >= 4.20). Without it a filtered request dumps everything.
 */
bool netlink_strict(const struct netlink *nl);

/* The descriptor, to poll a subscribed socket for input. */
int netlink_fd(const struct netlink *nl);

/*
 * The number of requests sent through netlink_write() since nl was
 * opened, successful or not: a sync with nothing to change leaves it
 * unchanged.
 */
unsigned long netlink_writes(const struct netlink *nl);

/*
 * Sends one state-changing request (NLM_F_REQUEST and NLM_F_ACK are
 * added to nlh's flags, its sequence number is set) and waits for its
 * ack. A refusal is logged as "what: kernel text (ERRNO)" and kept in why
 * (see kernel/error.h), except quiet_err (an errno that is expected, such
 * as deleting what is already gone), which is only returned. Returns 0 or
 * the kernel's -errno.
 */
int netlink_write(struct netlink *nl, struct nlmsghdr *nlh, const char *what,
		  int quiet_err, struct kernel_error *why)
	__attribute__((warn_unused_result));

/* Called for each message of a dump; 0 to go on, or -errno. */
typedef int (*netlink_msg_cb)(const struct nlmsghdr *nlh, void *data);
/* Forgets what a dump collected, before it starts over. */
typedef void (*netlink_reset_cb)(void *data);

/*
 * Runs the dump request req (its flags and sequence number are set here)
 * and hands each message to cb. When the kernel says the dump was
 * interrupted by a change (NLM_F_DUMP_INTR), reset(data) is called and
 * the dump starts over, a few times at most (then -EAGAIN). A failure is
 * logged as "what: text (ERRNO)" and kept in why. Returns 0, cb's first
 * -errno, or the kernel's.
 */
int netlink_dump(struct netlink *nl, struct nlmsghdr *req, netlink_msg_cb cb,
		 netlink_reset_cb reset, void *data, const char *what,
		 struct kernel_error *why) __attribute__((warn_unused_result));

/*
 * Records parsed from a dump, one fixed-size struct per kept message:
 * v holds n records of size bytes. The caller sets size (and keep_msgs,
 * to get msgs[i], a copy of the message record i was parsed from, e.g.
 * to send it back as a delete request); the rest starts zeroed.
 */
struct netlink_records {
	size_t size;
	bool keep_msgs;
	void *v;
	struct nlmsghdr **msgs;
	size_t n, cap, msgs_cap;
};

/*
 * Fills a zeroed record from one message: returns 1 to keep it, 0 to pass
 * over the message, or -errno.
 */
typedef int (*netlink_parse_cb)(const struct nlmsghdr *nlh, void *record,
				void *arg);

/*
 * Dumps every object of one rtnetlink kind: sends a request of type (e.g.
 * RTM_GETROUTE) whose fixed header of hdrlen bytes is zero but for its
 * first byte, the address family, and parses each answer into r (emptied
 * first) through parse(nlh, record, arg). what names the objects in the
 * log ("IPv4 routes"). Returns 0 or -errno (r keeps what it has).
 */
int netlink_dump_records(struct netlink *nl, uint16_t type, size_t hdrlen,
			 uint8_t family, netlink_parse_cb parse, void *arg,
			 struct netlink_records *r, const char *what,
			 struct kernel_error *why)
	__attribute__((warn_unused_result));

/*
 * Runs the dump request req (built by the caller, filters included) and
 * appends what parse keeps to r; on failure r is as it was before. A
 * refusal with quiet_err (e.g. ENOENT: a route table that does not exist)
 * is only returned, not logged. Returns 0 or -errno.
 */
int netlink_dump_more(struct netlink *nl, struct nlmsghdr *req, int quiet_err,
		      netlink_parse_cb parse, void *arg,
		      struct netlink_records *r, const char *what,
		      struct kernel_error *why)
	__attribute__((warn_unused_result));

/* Frees what r holds and empties it (size and keep_msgs stay). */
void netlink_records_free(struct netlink_records *r);

/*
 * Stores attr's 4-byte payload in *v, as the kernel sent it (u32) or
 * converted from network byte order (be32, e.g. an IPv4 address). A
 * payload of another length leaves *v alone: returns whether it was set.
 */
bool netlink_attr_u32(const struct nlattr *attr, uint32_t *v);
bool netlink_attr_be32(const struct nlattr *attr, uint32_t *v);

/*
 * Reads everything pending on a subscribed socket without blocking and
 * hands each message to cb. *overrun is set when the kernel dropped
 * messages for want of buffer space (ENOBUFS: only a full re-read can
 * tell the state now); it is never cleared. Returns 0, cb's first -errno
 * (the rest of that read is passed over), or the socket's -errno.
 */
int netlink_drain(struct netlink *nl, netlink_msg_cb cb, void *data,
		  bool *overrun) __attribute__((warn_unused_result));

#endif
