// SPDX-License-Identifier: MIT
/*
 * netlink.c - routes, rules and addresses through rtnetlink (libmnl).
 *
 * Every sync follows the same shape: dump what the kernel has (links,
 * then the object kind being synced), compare it with the plan field by
 * field, and write only the difference, one request per object, each
 * asking for an ACK with extended ack text so a failure can be logged as
 * "what ecmpd was doing: what the kernel said". A route that is missing or
 * different is written with NLM_F_REPLACE|NLM_F_CREATE: the kernel swaps
 * the whole route (all nexthops of a multipath route) in one step, so a
 * dead gateway leaves the balance without a window where the destination
 * has no route. Objects to delete are deleted by sending back the very
 * message the dump returned (as RTM_DEL*), which identifies exactly that
 * route or rule even when several share a destination or priority.
 *
 * Interface names are resolved to indexes at each sync, never cached: an
 * interface can be deleted and re-created with a new index, and the kernel
 * deletes routes through a device silently when it goes down
 * (kernel-facts 6), so the caller re-syncs on link events and each sync
 * starts from what the kernel has now. A dump interrupted by a concurrent
 * change (NLM_F_DUMP_INTR) is read again from the start.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/ipv4.h"
#include "base/array.h"
#include "base/log.h"
#include "kernel/netlink.h"

/* Large enough for any dump part the kernel sends (it caps them at 32 KiB). */
#define NL_BUF_SIZE (64 * 1024)
/* A route with PLAN_NEXTHOPS_MAX nexthops needs about 1.2 KiB. */
#define NL_REQ_SIZE 4096
/* Dumps interrupted this often in a row give up with -EAGAIN. */
#define NL_DUMP_TRIES 10
/* The monitor's receive buffer: a link flap can emit hundreds of messages. */
#define MONITOR_RCVBUF (8 * 1024 * 1024)

#define TABLE_FIRST PLAN_TABLE_MAIN
#define TABLE_LAST (PLAN_TABLE_MARK_BASE + PLAN_ID_MAX)

struct netlink {
	struct mnl_socket *sock;
	unsigned int portid;
	uint32_t seq;
	unsigned long writes;
	char *buf;
	char last_error[256]; /* the last refused write, for the caller */
};

/* One link from a dump. */
struct nl_link {
	int ifindex;
	unsigned int flags;
	char name[IFNAMSIZ];
};

struct link_list {
	struct nl_link *v;
	size_t n, cap;
};

struct kernel_nexthop {
	bool has_gateway;
	uint32_t gateway; /* host order */
	int ifindex;
	unsigned int weight;
};

/* One IPv4 route from a dump, with the raw message for deleting it. */
struct kernel_route {
	uint32_t table;
	uint32_t dst; /* host order */
	uint8_t dst_len, tos, type, protocol, scope;
	uint32_t priority;
	/* it carries something ecmpd never sets: never equal to a plan route */
	bool odd;
	bool used;
	size_t n_nexthops;
	struct kernel_nexthop nexthops[PLAN_NEXTHOPS_MAX];
	struct nlmsghdr *msg;
};

struct route_list {
	struct kernel_route *v;
	size_t n, cap;
};

/* One IPv4 rule from a dump, with the raw message for deleting it. */
struct kernel_rule {
	uint32_t priority;
	uint32_t table;
	uint32_t fwmark, fwmask;
	int suppress_prefixlen;
	uint8_t action, protocol;
	bool odd;
	bool used;
	struct nlmsghdr *msg;
};

struct rule_list {
	struct kernel_rule *v;
	size_t n, cap;
};

struct kernel_addr {
	int ifindex;
	uint32_t addr; /* host order */
	uint8_t len;
};

struct addr_list {
	struct kernel_addr *v;
	size_t n, cap;
};

struct netlink *netlink_open(void)
{
	struct netlink *nl;
	int one = 1;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return NULL;
	nl->buf = malloc(NL_BUF_SIZE);
	if (!nl->buf)
		goto out_free;
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock)
		goto out_free;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out_close;
	/* The kernel's error text is what makes a failed write explainable. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0)
		goto out_close;
	/* Acks need not echo the request back: keeps them small. */
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one,
				    sizeof(one));
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

const char *netlink_last_error(const struct netlink *nl)
{
	return nl->last_error;
}

void netlink_close(struct netlink *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

unsigned long netlink_writes(const struct netlink *nl)
{
	return nl->writes;
}

const char *netlink_extack(const struct nlmsghdr *nlh)
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

int netlink_transact(struct mnl_socket *sock, void *buf, size_t len,
		     struct nlmsghdr *nlh, const char *what, int quiet_err,
		     char *errtext, size_t errlen)
{
	uint32_t seq = nlh->nlmsg_seq, portid = mnl_socket_get_portid(sock);
	int err;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		log_error("%s: %s", what, strerror(-err));
		return err;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(sock, buf, len);
		const struct nlmsghdr *r;
		int left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			log_error("%s: reading the ack: %s", what,
				  strerror(-err));
			return err;
		}
		left = (int)n;
		for (r = buf; mnl_nlmsg_ok(r, left);
		     r = mnl_nlmsg_next(r, &left)) {
			const struct nlmsgerr *e;
			const char *text;

			/* Leftovers of an earlier request are skipped. */
			if (r->nlmsg_seq != seq || r->nlmsg_pid != portid)
				continue;
			if (r->nlmsg_type != NLMSG_ERROR)
				continue;
			if (r->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				return -EBADMSG;
			e = mnl_nlmsg_get_payload(r);
			if (e->error == 0)
				return 0;
			err = e->error;
			if (-err == quiet_err)
				return err;
			text = netlink_extack(r);
			if (!text || !*text)
				text = strerror(-err);
			snprintf(errtext, errlen, "%s: %s (%s)", what, text,
				 strerrorname_np(-err));
			log_error("%s", errtext);
			return err;
		}
	}
}

/*
 * Sends one state-changing request and waits for its ack (counted in
 * writes; a refusal is kept in last_error). quiet_err is an errno that is
 * expected (e.g. deleting what is already gone): returned, not logged.
 */
static int nl_write(struct netlink *nl, struct nlmsghdr *nlh, const char *what,
		    int quiet_err)
{
	nlh->nlmsg_seq = ++nl->seq;
	nl->writes++;
	return netlink_transact(nl->sock, nl->buf, NL_BUF_SIZE, nlh, what,
				quiet_err, nl->last_error,
				sizeof(nl->last_error));
}

typedef int (*dump_cb)(const struct nlmsghdr *nlh, void *data);
typedef void (*dump_reset)(void *data);

/*
 * Runs a dump request and hands each message to cb. When the kernel says
 * the dump was interrupted by a change, reset(data) forgets what was
 * collected and the dump starts over.
 */
static int nl_dump(struct netlink *nl, struct nlmsghdr *req, dump_cb cb,
		   dump_reset reset, void *data, const char *what)
{
	int tries;

	for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
		uint32_t seq = ++nl->seq;
		bool done = false, intr = false;
		int err = 0;

		req->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		req->nlmsg_seq = seq;
		if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
			err = -errno;
			log_error("dumping %s: %s", what, strerror(-err));
			return err;
		}
		while (!done) {
			ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf,
							NL_BUF_SIZE);
			const struct nlmsghdr *r;
			int left;

			if (n < 0) {
				if (errno == EINTR)
					continue;
				err = -errno;
				log_error("dumping %s: %s", what,
					  strerror(-err));
				return err;
			}
			left = (int)n;
			for (r = (const struct nlmsghdr *)nl->buf;
			     mnl_nlmsg_ok(r, left);
			     r = mnl_nlmsg_next(r, &left)) {
				if (r->nlmsg_seq != seq ||
				    r->nlmsg_pid != nl->portid)
					continue;
				if (r->nlmsg_flags & NLM_F_DUMP_INTR)
					intr = true;
				if (r->nlmsg_type == NLMSG_DONE) {
					done = true;
					break;
				}
				if (r->nlmsg_type == NLMSG_ERROR) {
					const struct nlmsgerr *e =
						mnl_nlmsg_get_payload(r);

					err = e->error ? e->error : -EBADMSG;
					log_error("dumping %s: %s", what,
						  strerror(-err));
					done = true;
					break;
				}
				/* Keep reading to the end even after an error,
				 * so the socket holds no stale parts. */
				if (!err && !intr)
					err = cb(r, data);
			}
		}
		if (err)
			return err;
		if (!intr)
			return 0;
		log_debug("dumping %s: interrupted by a change, again", what);
		reset(data);
	}
	log_error("dumping %s: interrupted %d times in a row", what,
		  NL_DUMP_TRIES);
	return -EAGAIN;
}

/* ---- links ---- */

static void links_reset(void *data)
{
	struct link_list *l = data;

	l->n = 0;
}

static int links_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_list *l = data;
	const struct nlattr *attr;
	struct nl_link *k;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return 0;
	if (array_grow(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return -ENOMEM;
	k = &l->v[l->n];
	memset(k, 0, sizeof(*k));
	k->ifindex = ifi->ifi_index;
	k->flags = ifi->ifi_flags;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(k->name, sizeof(k->name), "%s",
				 mnl_attr_get_str(attr));
	}
	l->n++;
	return 0;
}

static int dump_links(struct netlink *nl, struct link_list *l)
{
	char req[NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	l->n = 0;
	return nl_dump(nl, nlh, links_cb, links_reset, l, "links");
}

static const struct nl_link *link_by_name(const struct link_list *l,
					  const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static const char *link_name(const struct link_list *l, int ifindex)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return l->v[i].name;
	return "?";
}

/* ---- routes ---- */

static void routes_reset(void *data)
{
	struct route_list *l = data;

	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].msg);
	l->n = 0;
}

static void routes_free(struct route_list *l)
{
	routes_reset(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

static void parse_multipath(const struct nlattr *mp, struct kernel_route *r)
{
	const struct rtnexthop *rtnh = mnl_attr_get_payload(mp);
	int left = (int)mnl_attr_get_payload_len(mp);

	while (left >= (int)sizeof(*rtnh) && rtnh->rtnh_len >= sizeof(*rtnh) &&
	       rtnh->rtnh_len <= left) {
		struct kernel_nexthop *nh;
		const struct nlattr *attr;
		const char *end = (const char *)rtnh + rtnh->rtnh_len;

		if (r->n_nexthops == PLAN_NEXTHOPS_MAX) {
			r->odd = true;
			return;
		}
		nh = &r->nexthops[r->n_nexthops++];
		nh->ifindex = rtnh->rtnh_ifindex;
		nh->weight = rtnh->rtnh_hops + 1u;
		for (attr = (const struct nlattr *)RTNH_DATA(rtnh);
		     mnl_attr_ok(attr, (int)(end - (const char *)attr));
		     attr = mnl_attr_next(attr)) {
			if (mnl_attr_get_type(attr) == RTA_GATEWAY &&
			    mnl_attr_get_payload_len(attr) == 4) {
				nh->has_gateway = true;
				nh->gateway = ntohl(mnl_attr_get_u32(attr));
			} else {
				/* RTA_VIA, RTA_ENCAP, RTA_FLOW: not ours. */
				r->odd = true;
			}
		}
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = RTNH_NEXT(rtnh);
	}
}

static int routes_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_list *l = data;
	const struct nlattr *attr;
	struct kernel_route *r;
	bool has_oif = false, has_gw = false;
	int oif = 0;
	uint32_t gw = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)) ||
	    rtm->rtm_family != AF_INET)
		return 0;
	if (array_grow(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return -ENOMEM;
	r = &l->v[l->n];
	memset(r, 0, sizeof(*r));
	r->table = rtm->rtm_table;
	r->dst_len = rtm->rtm_dst_len;
	r->tos = rtm->rtm_tos;
	r->type = rtm->rtm_type;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	if (rtm->rtm_src_len)
		r->odd = true;
	mnl_attr_for_each(attr, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(attr)) {
		case RTA_TABLE:
			if (mnl_attr_get_payload_len(attr) == 4)
				r->table = mnl_attr_get_u32(attr);
			break;
		case RTA_DST:
			if (mnl_attr_get_payload_len(attr) == 4)
				r->dst = ntohl(mnl_attr_get_u32(attr));
			break;
		case RTA_PRIORITY:
			if (mnl_attr_get_payload_len(attr) == 4)
				r->priority = mnl_attr_get_u32(attr);
			break;
		case RTA_OIF:
			if (mnl_attr_get_payload_len(attr) == 4) {
				has_oif = true;
				oif = (int)mnl_attr_get_u32(attr);
			}
			break;
		case RTA_GATEWAY:
			if (mnl_attr_get_payload_len(attr) == 4) {
				has_gw = true;
				gw = ntohl(mnl_attr_get_u32(attr));
			}
			break;
		case RTA_MULTIPATH:
			parse_multipath(attr, r);
			break;
		default:
			/* Preferred source, metrics, nexthop id, encap...:
			 * ecmpd never sets these, so such a route differs. */
			r->odd = true;
			break;
		}
	}
	if (r->table < TABLE_FIRST || r->table > TABLE_LAST)
		return 0;
	if (r->n_nexthops == 0 && (has_oif || has_gw)) {
		r->n_nexthops = 1;
		r->nexthops[0].ifindex = oif;
		r->nexthops[0].has_gateway = has_gw;
		r->nexthops[0].gateway = gw;
		r->nexthops[0].weight = 1;
	}
	r->msg = malloc(nlh->nlmsg_len);
	if (!r->msg)
		return -ENOMEM;
	memcpy(r->msg, nlh, nlh->nlmsg_len);
	l->n++;
	return 0;
}

static int dump_routes(struct netlink *nl, struct route_list *l)
{
	char req[NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	routes_reset(l);
	return nl_dump(nl, nlh, routes_cb, routes_reset, l, "IPv4 routes");
}

/* A plan route resolved against the links of this moment. */
struct want_route {
	const struct plan_route *pr;
	uint8_t type, scope;
	size_t n_nexthops;
	struct kernel_nexthop nexthops[PLAN_NEXTHOPS_MAX];
};

static const char *route_type_name(uint8_t type)
{
	switch (type) {
	case RTN_UNICAST:
		return "";
	case RTN_UNREACHABLE:
		return "unreachable ";
	case RTN_BLACKHOLE:
		return "blackhole ";
	case RTN_PROHIBIT:
		return "prohibit ";
	default:
		return "type-other ";
	}
}

/* "route [type ]DST table T" into buf. */
static size_t route_head(char *buf, size_t len, uint8_t type, uint32_t dst,
			 uint8_t dst_len, uint32_t table)
{
	char a[INET_ADDRSTRLEN];
	int n;

	ipv4_str(dst, a);
	if (dst_len == 0)
		n = snprintf(buf, len, "route %sdefault table %u",
			     route_type_name(type), table);
	else
		n = snprintf(buf, len, "route %s%s/%u table %u",
			     route_type_name(type), a, dst_len, table);
	return n < 0 ? 0 : ((size_t)n < len ? (size_t)n : len - 1);
}

/* Appends " via GW dev IF [weight W]" for each nexthop. */
static void route_tail(char *buf, size_t len, size_t used,
		       const struct kernel_nexthop *nh, size_t n,
		       const struct link_list *links)
{
	for (size_t i = 0; i < n && used < len - 1; i++) {
		char a[INET_ADDRSTRLEN];
		int k;

		ipv4_str(nh[i].gateway, a);
		k = snprintf(buf + used, len - used, "%s%s%s dev %s",
			     n > 1 ? " nexthop" : "",
			     nh[i].has_gateway ? " via " : "",
			     nh[i].has_gateway ? a : "",
			     link_name(links, nh[i].ifindex));
		if (k < 0)
			return;
		used += (size_t)k;
		if (used >= len)
			return;
		if (n > 1) {
			k = snprintf(buf + used, len - used, " weight %u",
				     nh[i].weight);
			if (k < 0)
				return;
			used += (size_t)k;
			if (used >= len)
				return;
		}
	}
}

/*
 * Resolves a plan route's nexthops to interface indexes. A nexthop on a
 * missing or down interface is left out with a warning (the kernel would
 * refuse the whole route); returns false when nothing is left to install.
 */
static bool want_route_resolve(const struct plan_route *pr,
			       const struct link_list *links,
			       struct want_route *w)
{
	bool any_gw = false;

	memset(w, 0, sizeof(*w));
	w->pr = pr;
	w->scope = RT_SCOPE_UNIVERSE;
	switch (pr->type) {
	case PLAN_ROUTE_UNREACHABLE:
		w->type = RTN_UNREACHABLE;
		return true;
	case PLAN_ROUTE_BLACKHOLE:
		w->type = RTN_BLACKHOLE;
		return true;
	case PLAN_ROUTE_UNICAST:
		w->type = RTN_UNICAST;
		break;
	}
	for (size_t i = 0; i < pr->n_nexthops && i < PLAN_NEXTHOPS_MAX; i++) {
		const struct plan_nexthop *pn = &pr->nexthops[i];
		struct kernel_nexthop *nh = &w->nexthops[w->n_nexthops];
		char head[128], a[INET_ADDRSTRLEN];

		route_head(head, sizeof(head), w->type, pr->dst, pr->dst_len,
			   pr->table);
		ipv4_str(pn->gateway, a);
		if (pn->interface[0]) {
			const struct nl_link *k =
				link_by_name(links, pn->interface);

			if (!k || !(k->flags & IFF_UP)) {
				log_warn("%s: leaving out nexthop%s%s dev %s: "
					 "the interface %s",
					 head, pn->has_gateway ? " via " : "",
					 pn->has_gateway ? a : "",
					 pn->interface,
					 k ? "is down" : "does not exist");
				continue;
			}
			nh->ifindex = k->ifindex;
		}
		nh->has_gateway = pn->has_gateway;
		nh->gateway = pn->gateway;
		nh->weight = pn->weight ? pn->weight : 1;
		if (nh->weight > 256)
			nh->weight = 256;
		if (pn->has_gateway)
			any_gw = true;
		w->n_nexthops++;
	}
	/* Like ip(8): a route straight out of a device is link scope. */
	if (!any_gw)
		w->scope = RT_SCOPE_LINK;
	if (w->n_nexthops == 0) {
		char head[128];

		route_head(head, sizeof(head), w->type, pr->dst, pr->dst_len,
			   pr->table);
		log_warn("%s: skipped, none of its interfaces is up", head);
		return false;
	}
	return true;
}

static bool same_key(const struct want_route *w, const struct kernel_route *r)
{
	return r->table == w->pr->table && r->dst == w->pr->dst &&
	       r->dst_len == w->pr->dst_len && r->tos == 0 && r->priority == 0;
}

static bool route_equal(const struct want_route *w,
			const struct kernel_route *r)
{
	if (!same_key(w, r) || r->odd || r->type != w->type ||
	    r->scope != w->scope || r->protocol != PLAN_RTPROT ||
	    r->n_nexthops != w->n_nexthops)
		return false;
	for (size_t i = 0; i < w->n_nexthops; i++) {
		const struct kernel_nexthop *a = &w->nexthops[i];
		const struct kernel_nexthop *b = &r->nexthops[i];

		if (a->ifindex != b->ifindex ||
		    a->has_gateway != b->has_gateway ||
		    (a->has_gateway && a->gateway != b->gateway))
			return false;
		/* A single nexthop has no weight on the wire. */
		if (w->n_nexthops > 1 && a->weight != b->weight)
			return false;
	}
	return true;
}

static int route_replace(struct netlink *nl, const struct want_route *w,
			 const struct link_list *links)
{
	char req[NL_REQ_SIZE];
	char what[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	const struct plan_route *pr = w->pr;
	struct rtmsg *rtm;
	size_t used;

	memcpy(what, "replacing ", strlen("replacing ") + 1);
	used = strlen(what);
	used += route_head(what + used, sizeof(what) - used, w->type, pr->dst,
			   pr->dst_len, pr->table);
	route_tail(what, sizeof(what), used, w->nexthops, w->n_nexthops, links);

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REPLACE | NLM_F_CREATE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = pr->dst_len;
	/* Tables above 255 only fit in RTA_TABLE (kernel-facts 9). */
	rtm->rtm_table = pr->table < 256 ? (uint8_t)pr->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = PLAN_RTPROT;
	rtm->rtm_scope = w->scope;
	rtm->rtm_type = w->type;
	mnl_attr_put_u32(nlh, RTA_TABLE, pr->table);
	if (pr->dst_len)
		mnl_attr_put_u32(nlh, RTA_DST, htonl(pr->dst));
	if (w->n_nexthops == 1) {
		const struct kernel_nexthop *nh = &w->nexthops[0];

		if (nh->ifindex)
			mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)nh->ifindex);
		if (nh->has_gateway)
			mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(nh->gateway));
	} else if (w->n_nexthops > 1) {
		struct nlattr *mp = mnl_nlmsg_get_payload_tail(nlh);

		nlh->nlmsg_len += MNL_ATTR_HDRLEN;
		mp->nla_type = RTA_MULTIPATH;
		for (size_t i = 0; i < w->n_nexthops; i++) {
			const struct kernel_nexthop *nh = &w->nexthops[i];
			struct rtnexthop *rtnh =
				mnl_nlmsg_get_payload_tail(nlh);

			nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
			memset(rtnh, 0, sizeof(*rtnh));
			rtnh->rtnh_ifindex = nh->ifindex;
			/* The kernel's weight is rtnh_hops + 1. */
			rtnh->rtnh_hops = (uint8_t)(nh->weight - 1);
			if (nh->has_gateway)
				mnl_attr_put_u32(nlh, RTA_GATEWAY,
						 htonl(nh->gateway));
			rtnh->rtnh_len =
				(unsigned short)((char *)mnl_nlmsg_get_payload_tail(
							 nlh) -
						 (char *)rtnh);
		}
		mp->nla_len =
			(uint16_t)((char *)mnl_nlmsg_get_payload_tail(nlh) -
				   (char *)mp);
	}
	return nl_write(nl, nlh, what, 0);
}

/* Deletes exactly the route r by sending its own dump message back. */
static int route_delete(struct netlink *nl, const struct kernel_route *r,
			const struct link_list *links)
{
	char what[1024];
	size_t used;
	int err;

	memcpy(what, "deleting ", strlen("deleting ") + 1);
	used = strlen(what);
	used += route_head(what + used, sizeof(what) - used, r->type, r->dst,
			   r->dst_len, r->table);
	route_tail(what, sizeof(what), used, r->nexthops, r->n_nexthops, links);
	r->msg->nlmsg_type = RTM_DELROUTE;
	r->msg->nlmsg_flags = 0;
	/* ESRCH: the kernel removed it meanwhile, as wanted. */
	err = nl_write(nl, r->msg, what, ESRCH);
	return err == -ESRCH ? 0 : err;
}

static void keep_first(int *first, int err)
{
	if (err && !*first)
		*first = err;
}

int netlink_sync_routes(struct netlink *nl, const struct plan *p)
{
	struct link_list links = { 0 };
	struct route_list routes = { 0 };
	struct want_route *w;
	unsigned long writes = nl->writes;
	int first = 0;
	int err;

	w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	err = dump_links(nl, &links);
	if (err)
		goto out;
	err = dump_routes(nl, &routes);
	if (err)
		goto out;

	for (size_t i = 0; i < p->n_routes; i++) {
		struct kernel_route *match = NULL;

		if (!want_route_resolve(&p->routes[i], &links, w))
			continue;
		for (size_t j = 0; j < routes.n; j++) {
			struct kernel_route *r = &routes.v[j];

			if (r->used || !same_key(w, r))
				continue;
			if (route_equal(w, r)) {
				match = r;
				break;
			}
			/* NLM_F_REPLACE replaces the first route with this
			 * destination, tos and metric: the one this is. */
			if (!match)
				match = r;
		}
		if (match && route_equal(w, match)) {
			match->used = true;
			continue;
		}
		if (match)
			match->used = true;
		keep_first(&first, route_replace(nl, w, &links));
	}
	for (size_t j = 0; j < routes.n; j++)
		if (!routes.v[j].used)
			keep_first(&first,
				   route_delete(nl, &routes.v[j], &links));
	log_debug("route sync: %lu writes", nl->writes - writes);
	err = first;
out:
	routes_free(&routes);
	free(links.v);
	free(w);
	return err;
}

/* ---- rules ---- */

static void rules_reset(void *data)
{
	struct rule_list *l = data;

	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].msg);
	l->n = 0;
}

static void rules_free(struct rule_list *l)
{
	rules_reset(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

static int rules_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct rule_list *l = data;
	const struct nlattr *attr;
	struct kernel_rule *r;

	if (nlh->nlmsg_type != RTM_NEWRULE ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*frh)) ||
	    frh->family != AF_INET)
		return 0;
	if (array_grow(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return -ENOMEM;
	r = &l->v[l->n];
	memset(r, 0, sizeof(*r));
	r->table = frh->table;
	r->action = frh->action;
	r->suppress_prefixlen = -1;
	if (frh->src_len || frh->dst_len || frh->tos || frh->flags)
		r->odd = true;
	mnl_attr_for_each(attr, nlh, sizeof(*frh)) {
		bool u32 = mnl_attr_get_payload_len(attr) == 4;

		switch (mnl_attr_get_type(attr)) {
		case FRA_PRIORITY:
			if (u32)
				r->priority = mnl_attr_get_u32(attr);
			break;
		case FRA_TABLE:
			if (u32)
				r->table = mnl_attr_get_u32(attr);
			break;
		case FRA_FWMARK:
			if (u32)
				r->fwmark = mnl_attr_get_u32(attr);
			break;
		case FRA_FWMASK:
			if (u32)
				r->fwmask = mnl_attr_get_u32(attr);
			break;
		case FRA_SUPPRESS_PREFIXLEN:
			if (u32)
				r->suppress_prefixlen =
					(int)mnl_attr_get_u32(attr);
			break;
		case FRA_PROTOCOL:
			r->protocol = mnl_attr_get_u8(attr);
			break;
		default:
			/* Interface, address, port, uid matches, goto...:
			 * never set by ecmpd. */
			r->odd = true;
			break;
		}
	}
	if (r->priority < PLAN_PRIO_FIRST || r->priority > PLAN_PRIO_LAST)
		return 0;
	r->msg = malloc(nlh->nlmsg_len);
	if (!r->msg)
		return -ENOMEM;
	memcpy(r->msg, nlh, nlh->nlmsg_len);
	l->n++;
	return 0;
}

static int dump_rules(struct netlink *nl, struct rule_list *l)
{
	char req[NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = RTM_GETRULE;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	rules_reset(l);
	return nl_dump(nl, nlh, rules_cb, rules_reset, l, "IPv4 rules");
}

static bool rule_equal(const struct plan_rule *w, const struct kernel_rule *r)
{
	uint32_t mark = w->fwmask ? w->fwmark : 0;

	return !r->odd && r->priority == w->priority &&
	       r->action == FR_ACT_TO_TBL && r->table == w->table &&
	       r->fwmark == mark && r->fwmask == w->fwmask &&
	       r->suppress_prefixlen == (w->suppress_prefixlen < 0 ?
						 -1 :
						 w->suppress_prefixlen) &&
	       r->protocol == PLAN_RTPROT;
}

/* "rule pref P [fwmark M/K] lookup T [suppress_prefixlength S]" */
static void rule_str(char *buf, size_t len, uint32_t priority, uint32_t mark,
		     uint32_t mask, uint32_t table, int suppress)
{
	int n = snprintf(buf, len, "rule pref %u", priority);

	if (n < 0 || (size_t)n >= len)
		return;
	if (mask) {
		int k = snprintf(buf + n, len - (size_t)n, " fwmark 0x%x/0x%x",
				 mark, mask);
		if (k < 0 || (size_t)(n + k) >= len)
			return;
		n += k;
	}
	if (suppress >= 0)
		snprintf(buf + n, len - (size_t)n,
			 " lookup %u suppress_prefixlength %d", table,
			 suppress);
	else
		snprintf(buf + n, len - (size_t)n, " lookup %u", table);
}

static int rule_add(struct netlink *nl, const struct plan_rule *w)
{
	char req[NL_REQ_SIZE];
	char what[256], desc[200];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct fib_rule_hdr *frh;

	rule_str(desc, sizeof(desc), w->priority, w->fwmark, w->fwmask,
		 w->table, w->suppress_prefixlen);
	snprintf(what, sizeof(what), "adding %s", desc);
	nlh->nlmsg_type = RTM_NEWRULE;
	/* No NLM_F_EXCL: the stale rule this one replaces may be equal in
	 * everything the kernel compares, and is deleted right after. */
	nlh->nlmsg_flags = NLM_F_CREATE;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->action = FR_ACT_TO_TBL;
	frh->table = w->table < 256 ? (uint8_t)w->table : RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, w->priority);
	mnl_attr_put_u32(nlh, FRA_TABLE, w->table);
	if (w->fwmask) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, w->fwmark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, w->fwmask);
	}
	if (w->suppress_prefixlen >= 0)
		mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN,
				 (uint32_t)w->suppress_prefixlen);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, PLAN_RTPROT);
	return nl_write(nl, nlh, what, 0);
}

static int rule_delete(struct netlink *nl, const struct kernel_rule *r)
{
	char what[256], desc[200];
	int err;

	rule_str(desc, sizeof(desc), r->priority, r->fwmark, r->fwmask,
		 r->table, r->suppress_prefixlen);
	snprintf(what, sizeof(what), "deleting %s%s", desc,
		 r->odd ? " (with other selectors)" : "");
	r->msg->nlmsg_type = RTM_DELRULE;
	r->msg->nlmsg_flags = 0;
	err = nl_write(nl, r->msg, what, ENOENT);
	return err == -ENOENT ? 0 : err;
}

int netlink_sync_rules(struct netlink *nl, const struct plan *p)
{
	struct rule_list rules = { 0 };
	unsigned long writes = nl->writes;
	int first = 0;
	int err;

	err = dump_rules(nl, &rules);
	if (err)
		goto out;
	for (size_t i = 0; i < p->n_rules; i++) {
		bool found = false;

		for (size_t j = 0; j < rules.n && !found; j++) {
			if (!rules.v[j].used &&
			    rule_equal(&p->rules[i], &rules.v[j])) {
				rules.v[j].used = true;
				found = true;
			}
		}
		if (!found)
			keep_first(&first, rule_add(nl, &p->rules[i]));
	}
	/* Only now: packets always find either the old or the new rule. */
	for (size_t j = 0; j < rules.n; j++)
		if (!rules.v[j].used)
			keep_first(&first, rule_delete(nl, &rules.v[j]));
	log_debug("rule sync: %lu writes", nl->writes - writes);
	err = first;
out:
	rules_free(&rules);
	return err;
}

/* ---- addresses ---- */

static void addrs_reset(void *data)
{
	struct addr_list *l = data;

	l->n = 0;
}

static int addrs_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_list *l = data;
	const struct nlattr *attr;
	struct kernel_addr *k;
	bool have = false;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET)
		return 0;
	if (array_grow(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return -ENOMEM;
	k = &l->v[l->n];
	k->ifindex = (int)ifa->ifa_index;
	k->len = ifa->ifa_prefixlen;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		/* IFA_LOCAL is the address itself (IFA_ADDRESS is the peer
		 * on point-to-point links). */
		if (mnl_attr_get_type(attr) == IFA_LOCAL &&
		    mnl_attr_get_payload_len(attr) == 4) {
			k->addr = ntohl(mnl_attr_get_u32(attr));
			have = true;
		}
	}
	if (have)
		l->n++;
	return 0;
}

static int dump_addrs(struct netlink *nl, struct addr_list *l)
{
	char req[NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	l->n = 0;
	return nl_dump(nl, nlh, addrs_cb, addrs_reset, l, "IPv4 addresses");
}

static void addr_what(char *buf, size_t len, const char *verb,
		      const struct plan_address *a)
{
	char s[INET_ADDRSTRLEN];

	ipv4_str(a->addr, s);
	snprintf(buf, len, "%s address %s/%u dev %s", verb, s, a->len,
		 a->interface);
}

int netlink_add_addresses(struct netlink *nl, const struct plan *p,
			  struct plan_address **added, size_t *n_added)
{
	struct link_list links = { 0 };
	struct addr_list addrs = { 0 };
	unsigned long writes = nl->writes;
	int first = 0;
	int err;

	*added = NULL;
	*n_added = 0;
	err = dump_links(nl, &links);
	if (err)
		goto out;
	err = dump_addrs(nl, &addrs);
	if (err)
		goto out;
	if (p->n_addresses) {
		*added = calloc(p->n_addresses, sizeof(**added));
		if (!*added) {
			err = -ENOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < p->n_addresses; i++) {
		const struct plan_address *a = &p->addresses[i];
		const struct nl_link *k = link_by_name(&links, a->interface);
		char req[NL_REQ_SIZE], what[128];
		struct nlmsghdr *nlh;
		struct ifaddrmsg *ifa;
		bool present = false;

		addr_what(what, sizeof(what), "adding", a);
		if (!k) {
			log_warn("%s: the interface does not exist", what);
			continue;
		}
		for (size_t j = 0; j < addrs.n && !present; j++)
			present = addrs.v[j].ifindex == k->ifindex &&
				  addrs.v[j].addr == a->addr &&
				  addrs.v[j].len == a->len;
		if (present)
			continue;
		nlh = mnl_nlmsg_put_header(req);
		nlh->nlmsg_type = RTM_NEWADDR;
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_INET;
		ifa->ifa_prefixlen = a->len;
		ifa->ifa_scope = RT_SCOPE_UNIVERSE;
		ifa->ifa_index = (uint32_t)k->ifindex;
		mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(a->addr));
		mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(a->addr));
		if (a->broadcast)
			mnl_attr_put_u32(nlh, IFA_BROADCAST,
					 htonl(a->broadcast));
		err = nl_write(nl, nlh, what, 0);
		if (err) {
			keep_first(&first, err);
			continue;
		}
		(*added)[(*n_added)++] = *a;
	}
	log_debug("address sync: %lu writes", nl->writes - writes);
	err = first;
out:
	if (*added && *n_added == 0) {
		free(*added);
		*added = NULL;
	}
	free(addrs.v);
	free(links.v);
	return err;
}

int netlink_del_addresses(struct netlink *nl, const struct plan_address *a,
			  size_t n)
{
	struct link_list links = { 0 };
	int first = 0;
	int err;

	if (n == 0)
		return 0;
	err = dump_links(nl, &links);
	if (err)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct nl_link *k = link_by_name(&links, a[i].interface);
		char req[NL_REQ_SIZE], what[128];
		struct nlmsghdr *nlh;
		struct ifaddrmsg *ifa;

		if (!k)
			continue;
		addr_what(what, sizeof(what), "deleting", &a[i]);
		nlh = mnl_nlmsg_put_header(req);
		nlh->nlmsg_type = RTM_DELADDR;
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_INET;
		ifa->ifa_prefixlen = a[i].len;
		ifa->ifa_index = (uint32_t)k->ifindex;
		mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(a[i].addr));
		/* EADDRNOTAVAIL: somebody removed it already. */
		err = nl_write(nl, nlh, what, EADDRNOTAVAIL);
		if (err != -EADDRNOTAVAIL)
			keep_first(&first, err);
	}
	err = first;
out:
	free(links.v);
	return err;
}

int netlink_remove_all(struct netlink *nl)
{
	struct link_list links = { 0 };
	struct route_list routes = { 0 };
	struct rule_list rules = { 0 };
	int first = 0;

	/* Rules first: packets stop entering ecmpd's tables before they
	 * empty. */
	keep_first(&first, dump_rules(nl, &rules));
	for (size_t j = 0; j < rules.n; j++)
		keep_first(&first, rule_delete(nl, &rules.v[j]));
	keep_first(&first, dump_links(nl, &links));
	keep_first(&first, dump_routes(nl, &routes));
	for (size_t j = 0; j < routes.n; j++)
		keep_first(&first, route_delete(nl, &routes.v[j], &links));
	rules_free(&rules);
	routes_free(&routes);
	free(links.v);
	return first;
}

static int cmp_uplink_id(const void *a, const void *b)
{
	const struct plan_uplink *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static bool have_id(const struct plan_uplink *u, size_t n, unsigned int id)
{
	for (size_t k = 0; k < n; k++)
		if (u[k].id == id)
			return true;
	return false;
}

int netlink_read_uplink_ids(struct netlink *nl, struct plan_ids *ids)
{
	struct link_list links = { 0 };
	struct route_list routes = { 0 };
	struct rule_list rules = { 0 };
	struct plan_uplink *out = NULL;
	size_t n = 0;
	int err;

	err = dump_links(nl, &links);
	if (!err)
		err = dump_rules(nl, &rules);
	if (!err)
		err = dump_routes(nl, &routes);
	if (err)
		goto out;
	for (size_t i = 0; i < rules.n; i++) {
		const struct kernel_rule *r = &rules.v[i];
		const struct kernel_route *def = NULL;
		unsigned int id;

		if (r->priority <= PLAN_PRIO_PIN_BASE ||
		    r->priority > PLAN_PRIO_PIN_BASE + PLAN_ID_MAX)
			continue;
		id = r->priority - PLAN_PRIO_PIN_BASE;
		if (r->fwmark != (id << PLAN_PIN_SHIFT) ||
		    r->table != PLAN_TABLE_UPLINK_BASE + id)
			continue;
		for (size_t j = 0; j < routes.n && !def; j++)
			if (routes.v[j].table == r->table &&
			    routes.v[j].dst_len == 0 &&
			    routes.v[j].type == RTN_UNICAST &&
			    routes.v[j].n_nexthops == 1)
				def = &routes.v[j];
		if (!def) {
			log_debug("uplink id %u: no default route in table %u, "
				  "forgotten",
				  id, r->table);
			continue;
		}
		/* Two rules for one id would be a leftover of a crash in the
		 * middle of a sync: the first one counts. */
		if (have_id(out, n, id))
			continue;
		if (!out) {
			out = calloc(rules.n, sizeof(*out));
			if (!out) {
				err = -ENOMEM;
				goto out;
			}
		}
		memset(&out[n], 0, sizeof(out[n]));
		out[n].id = id;
		snprintf(out[n].interface, sizeof(out[n].interface), "%s",
			 link_name(&links, def->nexthops[0].ifindex));
		out[n].has_gateway = def->nexthops[0].has_gateway;
		out[n].gateway = def->nexthops[0].gateway;
		n++;
	}
	if (n)
		qsort(out, n, sizeof(*out), cmp_uplink_id);
	ids->uplinks = out;
	ids->n_uplinks = n;
	out = NULL;
out:
	free(out);
	rules_free(&rules);
	routes_free(&routes);
	free(links.v);
	return err;
}

int netlink_link_state(struct netlink *nl, const char *ifname, bool *exists,
		       bool *up)
{
	struct link_list links = { 0 };
	const struct nl_link *k;
	int err;

	*exists = false;
	*up = false;
	err = dump_links(nl, &links);
	if (err)
		goto out;
	k = link_by_name(&links, ifname);
	if (k) {
		*exists = true;
		*up = (k->flags & IFF_UP) && (k->flags & IFF_LOWER_UP);
	}
out:
	free(links.v);
	return err;
}

/* ---- link monitor ---- */

struct link_monitor {
	struct mnl_socket *sock;
	char *buf;
};

struct link_monitor *link_monitor_open(void)
{
	struct link_monitor *m;
	int size = MONITOR_RCVBUF;
	int err;

	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->buf = malloc(NL_BUF_SIZE);
	if (!m->buf)
		goto out_free;
	m->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!m->sock)
		goto out_free;
	/* FORCE ignores rmem_max when we have CAP_NET_ADMIN; otherwise take
	 * what the system allows. */
	if (setsockopt(mnl_socket_get_fd(m->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)) < 0)
		(void)setsockopt(mnl_socket_get_fd(m->sock), SOL_SOCKET,
				 SO_RCVBUF, &size, sizeof(size));
	if (mnl_socket_bind(m->sock,
			    RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
				    RTMGRP_IPV4_ROUTE | RTMGRP_IPV4_RULE,
			    MNL_SOCKET_AUTOPID) < 0)
		goto out_close;
	return m;

out_close:
	err = errno;
	mnl_socket_close(m->sock);
	errno = err;
out_free:
	err = errno;
	free(m->buf);
	free(m);
	errno = err;
	return NULL;
}

void link_monitor_close(struct link_monitor *m)
{
	if (!m)
		return;
	mnl_socket_close(m->sock);
	free(m->buf);
	free(m);
}

int link_monitor_fd(const struct link_monitor *m)
{
	return mnl_socket_get_fd(m->sock);
}

static bool link_event_parse(const struct nlmsghdr *nlh, struct link_event *e)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return false;
	memset(e, 0, sizeof(*e));
	e->ifindex = ifi->ifi_index;
	e->exists = nlh->nlmsg_type == RTM_NEWLINK;
	e->up = e->exists && (ifi->ifi_flags & IFF_UP) &&
		(ifi->ifi_flags & IFF_LOWER_UP);
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(e->ifname, sizeof(e->ifname), "%s",
				 mnl_attr_get_str(attr));
	}
	return e->ifname[0] != '\0';
}

int link_monitor_read(struct link_monitor *m, struct link_event *ev, size_t max,
		      bool *changed, bool *overrun)
{
	size_t n = 0;

	for (;;) {
		ssize_t len = recv(mnl_socket_get_fd(m->sock), m->buf,
				   NL_BUF_SIZE, MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		int left;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				/* Messages were lost: only a full re-read
				 * can tell what the kernel has now. */
				*overrun = true;
				continue;
			}
			return -errno;
		}
		left = (int)len;
		for (nlh = (const struct nlmsghdr *)m->buf;
		     mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			struct link_event e;
			size_t k;

			switch (nlh->nlmsg_type) {
			case RTM_NEWLINK:
			case RTM_DELLINK:
				if (!link_event_parse(nlh, &e))
					break;
				if (n < max) {
					ev[n++] = e;
					break;
				}
				for (k = n; k > 0; k--)
					if (strcmp(ev[k - 1].ifname,
						   e.ifname) == 0)
						break;
				if (k > 0)
					ev[k - 1] = e;
				else
					*overrun = true;
				break;
			case RTM_NEWADDR:
			case RTM_DELADDR:
			case RTM_NEWROUTE:
			case RTM_DELROUTE:
			case RTM_NEWRULE:
			case RTM_DELRULE:
				*changed = true;
				break;
			default:
				break;
			}
		}
	}
	return (int)n;
}
