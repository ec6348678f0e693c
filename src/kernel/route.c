// SPDX-License-Identifier: MIT
/*
 * route.c - ecmpd's IPv4 routes through rtnetlink.
 *
 * A sync dumps the links and the routes of ecmpd's tables, compares them
 * with the plan field by field, and writes only the difference. A route
 * that is missing or different is written with NLM_F_REPLACE|NLM_F_CREATE:
 * the kernel swaps the whole route (all nexthops of a multipath route) in
 * one step, so a dead gateway leaves the balance without a window where
 * the destination has no route. A route to delete is deleted by sending
 * back the very message the dump returned (as RTM_DELROUTE), which
 * identifies exactly that route even when several share a destination.
 *
 * A dumped route that carries anything ecmpd never sets (metrics, an
 * encap...) is "odd": never equal to a plan route, so it is replaced or
 * deleted. The preferred source is set from the plan (pref-src=) and
 * compared like the nexthops.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "base/log.h"
#include "kernel/error.h"
#include "kernel/netlink.h"
#include "kernel/route.h"
#include "plan/plan.h"

/* The tables ecmpd owns. */
#define TABLE_FIRST PLAN_TABLE_MAIN
#define TABLE_LAST (PLAN_TABLE_MARK_BASE + PLAN_ID_MAX)

struct kernel_nexthop {
	bool has_gateway;
	uint32_t gateway; /* host order */
	int ifindex;
	unsigned int weight;
};

/* One IPv4 route from a dump. */
struct kernel_route {
	uint32_t table;
	uint32_t dst; /* host order */
	uint8_t dst_len, tos, type, protocol, scope;
	uint32_t priority;
	uint32_t prefsrc; /* host order, 0: none */
	/* it carries something ecmpd never sets: never equal to a plan route */
	bool odd;
	bool used; /* matched by a plan route during a sync */
	size_t n_nexthops;
	struct kernel_nexthop nexthops[PLAN_NEXTHOPS_MAX];
};

bool route_table_owned(uint32_t t)
{
	return t == PLAN_TABLE_MAIN ||
	       (t > PLAN_TABLE_UPLINK_BASE &&
		t <= PLAN_TABLE_UPLINK_BASE + PLAN_ID_MAX) ||
	       (t > PLAN_TABLE_MARK_BASE &&
		t <= PLAN_TABLE_MARK_BASE + PLAN_ID_MAX);
}

/* The tables a dump keeps routes of. */
struct table_range {
	uint32_t first, last;
};

/* What a sync has read from the kernel. */
struct route_view {
	struct link_table links;
	struct netlink_records routes; /* struct kernel_route, with msgs */
};

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
			    netlink_attr_be32(attr, &nh->gateway)) {
				nh->has_gateway = true;
			} else {
				/* RTA_VIA, RTA_ENCAP, RTA_FLOW: not ours. */
				r->odd = true;
			}
		}
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = RTNH_NEXT(rtnh);
	}
}

/* Keeps the IPv4 routes of the tables in arg's range. */
static int route_parse(const struct nlmsghdr *nlh, void *record, void *arg)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct table_range *range = arg;
	struct kernel_route *r = record;
	struct kernel_nexthop single = { .weight = 1 };
	const struct nlattr *attr;
	uint32_t oif = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)) ||
	    rtm->rtm_family != AF_INET)
		return 0;
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
			netlink_attr_u32(attr, &r->table);
			break;
		case RTA_DST:
			netlink_attr_be32(attr, &r->dst);
			break;
		case RTA_PRIORITY:
			netlink_attr_u32(attr, &r->priority);
			break;
		case RTA_PREFSRC:
			netlink_attr_be32(attr, &r->prefsrc);
			break;
		case RTA_OIF:
			netlink_attr_u32(attr, &oif);
			break;
		case RTA_GATEWAY:
			if (netlink_attr_be32(attr, &single.gateway))
				single.has_gateway = true;
			break;
		case RTA_MULTIPATH:
			parse_multipath(attr, r);
			break;
		default:
			/* Metrics, nexthop id, encap...:
			 * ecmpd never sets these, so such a route differs. */
			r->odd = true;
			break;
		}
	}
	single.ifindex = (int)oif;
	if (r->table < range->first || r->table > range->last)
		return 0;
	if (r->n_nexthops == 0 && (single.ifindex || single.has_gateway)) {
		r->n_nexthops = 1;
		r->nexthops[0] = single;
	}
	return 1;
}

/*
 * Appends the routes of one table to v: a strict-checked dump filtered
 * by table, which the kernel answers by walking that table alone (a table
 * that does not exist is ENOENT: nothing to read).
 */
static int table_read(struct netlink *nl, struct route_view *v, uint32_t table,
		      const struct table_range *range, struct kernel_error *why)
{
	char req[NETLINK_REQUEST_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtmsg *rtm;
	char what[48];
	int err;

	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	snprintf(what, sizeof(what), "IPv4 routes of table %u", table);
	err = netlink_dump_more(nl, nlh, ENOENT, route_parse, (void *)range,
				&v->routes, what, why);
	return err == -ENOENT ? 0 : err;
}

/*
 * Reads the links, then the routes of tables [first, last] into v. With
 * strict checking each table is dumped on its own, so the cost is that of
 * ecmpd's own tables, whatever main or any other table holds (a full BGP
 * feed: docs/design.md, "Cost"); without it, one dump of every table.
 */
static int view_read(struct netlink *nl, struct route_view *v, uint32_t first,
		     uint32_t last, struct kernel_error *why)
{
	struct table_range range = { first, last };
	int err;

	v->routes.size = sizeof(struct kernel_route);
	v->routes.keep_msgs = true;
	err = link_table_read(nl, &v->links, why);
	if (err)
		return err;
	if (!netlink_strict(nl))
		return netlink_dump_records(nl, RTM_GETROUTE,
					    sizeof(struct rtmsg), AF_INET,
					    route_parse, &range, &v->routes,
					    "IPv4 routes", why);
	netlink_records_free(&v->routes);
	for (uint32_t t = first; t <= last; t++) {
		if (!route_table_owned(t))
			continue;
		err = table_read(nl, v, t, &range, why);
		if (err)
			return err;
	}
	return 0;
}

static void view_free(struct route_view *v)
{
	link_table_free(&v->links);
	netlink_records_free(&v->routes);
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

/* Appends to the string in buf[0..len), cutting what doesn't fit. */
__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t len,
							 const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 * What a route is, for the log: "[VERB ]route [TYPE ]DST table T" and, for
 * each of its n nexthops, "[ nexthop] via GW dev IF[ weight W]".
 */
static void route_what(char *buf, size_t len, const char *verb, uint8_t type,
		       uint32_t dst, uint8_t dst_len, uint32_t table,
		       const struct kernel_nexthop *nh, size_t n,
		       const struct link_table *links)
{
	char a[INET_ADDRSTRLEN];

	buf[0] = '\0';
	if (verb)
		append(buf, len, "%s ", verb);
	append(buf, len, "route %s", route_type_name(type));
	if (dst_len == 0)
		append(buf, len, "default table %u", table);
	else
		append(buf, len, "%s/%u table %u", ipv4_str(dst, a), dst_len,
		       table);
	for (size_t i = 0; i < n; i++) {
		append(buf, len, "%s%s%s dev %s", n > 1 ? " nexthop" : "",
		       nh[i].has_gateway ? " via " : "",
		       nh[i].has_gateway ? ipv4_str(nh[i].gateway, a) : "",
		       link_name(links, nh[i].ifindex));
		if (n > 1)
			append(buf, len, " weight %u", nh[i].weight);
	}
}

/*
 * Resolves a plan route's nexthops to interface indexes. A nexthop on a
 * missing or down interface is left out with a warning (the kernel would
 * refuse the whole route); returns false when nothing is left to install.
 */
static bool want_route_resolve(const struct plan_route *pr,
			       const struct link_table *links,
			       struct want_route *w)
{
	bool any_gw = false;
	char head[128];

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
	route_what(head, sizeof(head), NULL, w->type, pr->dst, pr->dst_len,
		   pr->table, NULL, 0, links);
	for (size_t i = 0; i < pr->n_nexthops && i < PLAN_NEXTHOPS_MAX; i++) {
		const struct plan_nexthop *pn = &pr->nexthops[i];
		struct kernel_nexthop *nh = &w->nexthops[w->n_nexthops];
		char a[INET_ADDRSTRLEN];

		if (pn->interface[0]) {
			const struct kernel_link *k =
				link_by_name(links, pn->interface);

			if (!k || !(k->flags & IFF_UP)) {
				log_warn("%s: leaving out nexthop%s%s dev %s: "
					 "the interface %s",
					 head, pn->has_gateway ? " via " : "",
					 pn->has_gateway ?
						 ipv4_str(pn->gateway, a) :
						 "",
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
	    r->prefsrc != w->pr->src || r->n_nexthops != w->n_nexthops)
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

/* Puts w's nexthops into nlh: RTA_OIF/RTA_GATEWAY or RTA_MULTIPATH. */
static void put_nexthops(struct nlmsghdr *nlh, const struct want_route *w)
{
	struct nlattr *mp;

	if (w->n_nexthops == 1) {
		const struct kernel_nexthop *nh = &w->nexthops[0];

		if (nh->ifindex)
			mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)nh->ifindex);
		if (nh->has_gateway)
			mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(nh->gateway));
		return;
	}
	if (w->n_nexthops == 0)
		return;
	/* Not a nest of attributes (mnl_attr_nest_start() would flag it
	 * so): rtnexthop structs, each followed by its attributes. */
	mp = mnl_nlmsg_get_payload_tail(nlh);
	nlh->nlmsg_len += MNL_ATTR_HDRLEN;
	mp->nla_type = RTA_MULTIPATH;
	for (size_t i = 0; i < w->n_nexthops; i++) {
		const struct kernel_nexthop *nh = &w->nexthops[i];
		struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);

		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		memset(rtnh, 0, sizeof(*rtnh));
		rtnh->rtnh_ifindex = nh->ifindex;
		/* The kernel's weight is rtnh_hops + 1. */
		rtnh->rtnh_hops = (uint8_t)(nh->weight - 1);
		if (nh->has_gateway)
			mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(nh->gateway));
		rtnh->rtnh_len =
			(unsigned short)((char *)mnl_nlmsg_get_payload_tail(
						 nlh) -
					 (char *)rtnh);
	}
	mp->nla_len = (uint16_t)((char *)mnl_nlmsg_get_payload_tail(nlh) -
				 (char *)mp);
}

static int route_replace(struct netlink *nl, const struct want_route *w,
			 const struct link_table *links,
			 struct kernel_error *why)
{
	char req[NETLINK_REQUEST_SIZE];
	char what[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	const struct plan_route *pr = w->pr;
	struct rtmsg *rtm;

	route_what(what, sizeof(what), "replacing", w->type, pr->dst,
		   pr->dst_len, pr->table, w->nexthops, w->n_nexthops, links);
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
	if (pr->src)
		mnl_attr_put_u32(nlh, RTA_PREFSRC, htonl(pr->src));
	put_nexthops(nlh, w);
	return netlink_write(nl, nlh, what, 0, why);
}

/* Deletes exactly route i of v by sending its own dump message back. */
static int route_delete(struct netlink *nl, const struct route_view *v,
			size_t i, struct kernel_error *why)
{
	const struct kernel_route *r =
		&((const struct kernel_route *)v->routes.v)[i];
	struct nlmsghdr *msg = v->routes.msgs[i];
	char what[1024];
	int err;

	route_what(what, sizeof(what), "deleting", r->type, r->dst, r->dst_len,
		   r->table, r->nexthops, r->n_nexthops, &v->links);
	msg->nlmsg_type = RTM_DELROUTE;
	msg->nlmsg_flags = 0;
	/* ESRCH: the kernel removed it meanwhile, as wanted. */
	err = netlink_write(nl, msg, what, ESRCH, why);
	return err == -ESRCH ? 0 : err;
}

/*
 * The dumped route plan route w takes the place of: an equal one, or
 * else the first with its key, since NLM_F_REPLACE replaces the first
 * route with this destination, tos and metric. NULL when none.
 */
/* The key a plan route is matched by: table, destination, tos, metric. */
struct route_key {
	uint32_t table, dst, priority;
	uint8_t dst_len, tos;
};

static struct route_key key_of(const struct kernel_route *r)
{
	return (struct route_key){ r->table, r->dst, r->priority, r->dst_len,
				   r->tos };
}

static int key_cmp(const struct route_key *a, const struct route_key *b)
{
#define CMP(f)            \
	if (a->f != b->f) \
	return a->f < b->f ? -1 : 1
	CMP(table);
	CMP(dst);
	CMP(dst_len);
	CMP(tos);
	CMP(priority);
#undef CMP
	return 0;
}

static int index_cmp(const void *a, const void *b, void *arg)
{
	const struct kernel_route *routes = arg;
	struct route_key ka = key_of(&routes[*(const size_t *)a]);
	struct route_key kb = key_of(&routes[*(const size_t *)b]);
	int c = key_cmp(&ka, &kb);

	if (c)
		return c;
	/* Equal keys keep the dump's order: the first one is matched first. */
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * The kernel routes' positions sorted by key, so each plan route finds
 * its candidates by binary search: a sync of 100 000 routes is n log n,
 * not n x m. NULL with errno.
 */
static size_t *route_index(struct kernel_route *routes, size_t n)
{
	size_t *ix = calloc(n + 1, sizeof(*ix));

	if (!ix)
		return NULL;
	for (size_t j = 0; j < n; j++)
		ix[j] = j;
	qsort_r(ix, n, sizeof(*ix), index_cmp, routes);
	return ix;
}

/*
 * The unused kernel route with w's key that equals w, else the first
 * unused one with its key (to be replaced), else NULL.
 */
static struct kernel_route *route_match(const struct want_route *w,
					struct kernel_route *routes,
					const size_t *ix, size_t n)
{
	struct route_key k = { w->pr->table, w->pr->dst, 0, w->pr->dst_len, 0 };
	struct kernel_route *match = NULL;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct route_key km = key_of(&routes[ix[mid]]);

		if (key_cmp(&km, &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n; i++) {
		struct kernel_route *r = &routes[ix[i]];
		struct route_key kr = key_of(r);

		if (key_cmp(&kr, &k) != 0)
			break;
		if (r->used)
			continue;
		if (route_equal(w, r))
			return r;
		if (!match)
			match = r;
	}
	return match;
}

int route_sync(struct netlink *nl, const struct plan *p,
	       struct kernel_error *why)
{
	struct route_view v = { 0 };
	struct kernel_route *routes;
	struct want_route *w;
	size_t *ix = NULL;
	unsigned long writes = netlink_writes(nl);
	int first = 0;
	int err;

	kernel_error_clear(why);
	w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	err = view_read(nl, &v, TABLE_FIRST, TABLE_LAST, why);
	if (err)
		goto out;
	routes = v.routes.v;
	ix = route_index(routes, v.routes.n);
	if (!ix) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < p->n_routes; i++) {
		struct kernel_route *match;

		if (!want_route_resolve(&p->routes[i], &v.links, w))
			continue;
		match = route_match(w, routes, ix, v.routes.n);
		if (match)
			match->used = true;
		if (!match || !route_equal(w, match))
			first_error(&first,
				    route_replace(nl, w, &v.links, why));
	}
	for (size_t j = 0; j < v.routes.n; j++)
		if (!routes[j].used)
			first_error(&first, route_delete(nl, &v, j, why));
	log_debug("route sync: %lu writes", netlink_writes(nl) - writes);
	err = first;
out:
	view_free(&v);
	free(ix);
	free(w);
	return err;
}

int route_remove_all(struct netlink *nl, struct kernel_error *why)
{
	struct route_view v = { 0 };
	int first;

	kernel_error_clear(why);
	first = view_read(nl, &v, TABLE_FIRST, TABLE_LAST, why);
	for (size_t j = 0; j < v.routes.n; j++)
		first_error(&first, route_delete(nl, &v, j, why));
	view_free(&v);
	return first;
}

int route_read_defaults(struct netlink *nl, uint32_t first, uint32_t last,
			struct default_route **out, size_t *n)
{
	struct route_view v = { 0 };
	const struct kernel_route *routes;
	int err;

	*out = NULL;
	*n = 0;
	err = view_read(nl, &v, first, last, NULL);
	if (err || v.routes.n == 0)
		goto out;
	routes = v.routes.v;
	*out = calloc(v.routes.n, sizeof(**out));
	if (!*out) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < v.routes.n; i++) {
		const struct kernel_route *r = &routes[i];
		struct default_route *d = &(*out)[*n];

		if (r->dst_len != 0 || r->type != RTN_UNICAST ||
		    r->n_nexthops != 1)
			continue;
		d->table = r->table;
		snprintf(d->interface, sizeof(d->interface), "%s",
			 link_name(&v.links, r->nexthops[0].ifindex));
		d->has_gateway = r->nexthops[0].has_gateway;
		d->gateway = r->nexthops[0].gateway;
		(*n)++;
	}
	if (*n == 0) {
		free(*out);
		*out = NULL;
	}
out:
	view_free(&v);
	return err;
}
