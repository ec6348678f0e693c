// SPDX-License-Identifier: MIT
/*
 * rule.c - ecmpd's IPv4 policy routing rules through rtnetlink.
 *
 * A sync dumps the rules in ecmpd's priority range and compares them with
 * the plan. Missing rules are added first and extra or different ones
 * deleted after, so a packet always finds the old rule or the new one. A
 * rule to delete is deleted by sending back the very message the dump
 * returned (as RTM_DELRULE), which identifies exactly that rule even when
 * several share a priority. A dumped rule with a selector ecmpd never
 * sets (an interface, an address, a port...) is never equal to a plan
 * rule, so it is deleted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/ipv4.h"
#include "base/log.h"
#include "kernel/error.h"
#include "kernel/netlink.h"
#include "kernel/rule.h"
#include "plan/plan.h"

/* The priorities a dump keeps rules of. */
struct priority_range {
	uint32_t first, last;
};

static int rule_parse(const struct nlmsghdr *nlh, void *record, void *arg)
{
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	const struct priority_range *range = arg;
	struct kernel_rule *r = record;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWRULE ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*frh)) ||
	    frh->family != AF_INET)
		return 0;
	r->table = frh->table;
	r->action = frh->action;
	r->suppress_prefixlen = -1;
	r->src_len = frh->src_len;
	r->dst_len = frh->dst_len;
	if (frh->tos || frh->flags)
		r->other = true;
	mnl_attr_for_each(attr, nlh, sizeof(*frh)) {
		uint32_t suppress;

		switch (mnl_attr_get_type(attr)) {
		case FRA_PRIORITY:
			netlink_attr_u32(attr, &r->priority);
			break;
		case FRA_TABLE:
			netlink_attr_u32(attr, &r->table);
			break;
		case FRA_FWMARK:
			netlink_attr_u32(attr, &r->fwmark);
			break;
		case FRA_FWMASK:
			netlink_attr_u32(attr, &r->fwmask);
			break;
		case FRA_SUPPRESS_PREFIXLEN:
			if (netlink_attr_u32(attr, &suppress))
				r->suppress_prefixlen = (int)suppress;
			break;
		case FRA_PROTOCOL:
			r->protocol = mnl_attr_get_u8(attr);
			break;
		case FRA_SRC:
			netlink_attr_u32(attr, &r->src);
			r->src = ntohl(r->src);
			break;
		case FRA_DST:
			netlink_attr_u32(attr, &r->dst);
			r->dst = ntohl(r->dst);
			break;
		case FRA_IIFNAME:
			snprintf(r->iif, sizeof(r->iif), "%.*s",
				 (int)strnlen(mnl_attr_get_str(attr),
					      mnl_attr_get_payload_len(attr)),
				 mnl_attr_get_str(attr));
			break;
		default:
			/* Interface, address, port, uid matches, goto...:
			 * never set by ecmpd. */
			r->other = true;
			break;
		}
	}
	return r->priority >= range->first && r->priority <= range->last;
}

/* Reads the rules with priority in [first, last] into l. */
static int rules_read(struct netlink *nl, struct netlink_records *l,
		      uint32_t first, uint32_t last, struct kernel_error *why)
{
	struct priority_range range = { first, last };

	l->size = sizeof(struct kernel_rule);
	l->keep_msgs = true;
	return netlink_dump_records(nl, RTM_GETRULE,
				    sizeof(struct fib_rule_hdr), AF_INET,
				    rule_parse, &range, l, "IPv4 rules", why);
}

/* The kernel's action for a plan rule's. */
static uint8_t rule_action(const struct plan_rule *w)
{
	switch (w->action) {
	case PLAN_RULE_BLACKHOLE:
		return FR_ACT_BLACKHOLE;
	case PLAN_RULE_UNREACHABLE:
		return FR_ACT_UNREACHABLE;
	default:
		return FR_ACT_TO_TBL;
	}
}

static bool rule_equal(const struct plan_rule *w, const struct kernel_rule *r)
{
	uint32_t mark = w->fwmask ? w->fwmark : 0;
	uint8_t action = rule_action(w);

	return !r->other && r->priority == w->priority && r->action == action &&
	       (action != FR_ACT_TO_TBL || r->table == w->table) &&
	       r->src_len == w->src_len && r->dst_len == w->dst_len &&
	       (!w->src_len || r->src == w->src) &&
	       (!w->dst_len || r->dst == w->dst) && !strcmp(r->iif, w->iif) &&
	       r->fwmark == mark && r->fwmask == w->fwmask &&
	       r->suppress_prefixlen == (w->suppress_prefixlen < 0 ?
						 -1 :
						 w->suppress_prefixlen) &&
	       r->protocol == PLAN_RTPROT;
}

/*
 * What a rule is, for the log: "VERB rule pref P[ fwmark M/K] lookup T
 * [suppress_prefixlength S][ (with other selectors)]".
 */
static void rule_what(char *buf, size_t len, const char *verb,
		      const struct kernel_rule *k)
{
	char mark[128] = "", sup[40] = "";

	if (k->fwmask)
		snprintf(mark, sizeof(mark), " fwmark 0x%x/0x%x", k->fwmark,
			 k->fwmask);
	if (k->suppress_prefixlen >= 0)
		snprintf(sup, sizeof(sup), " suppress_prefixlength %d",
			 k->suppress_prefixlen);
	if (k->src_len || k->dst_len || k->iif[0]) {
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
		size_t used = strlen(mark);

		snprintf(mark + used, sizeof(mark) - used,
			 " from %s/%u to %s/%u%s%s", ipv4_str(k->src, a),
			 k->src_len, ipv4_str(k->dst, b), k->dst_len,
			 k->iif[0] ? " iif " : "", k->iif);
	}
	if (k->action == FR_ACT_BLACKHOLE)
		snprintf(buf, len, "%s rule pref %u%s blackhole%s", verb,
			 k->priority, mark,
			 k->other ? " (with other selectors)" : "");
	else if (k->action == FR_ACT_UNREACHABLE)
		snprintf(buf, len, "%s rule pref %u%s unreachable%s", verb,
			 k->priority, mark,
			 k->other ? " (with other selectors)" : "");
	else
		snprintf(buf, len, "%s rule pref %u%s lookup %u%s%s", verb,
			 k->priority, mark, k->table, sup,
			 k->other ? " (with other selectors)" : "");
}

static int rule_add(struct netlink *nl, const struct plan_rule *w,
		    struct kernel_error *why)
{
	struct kernel_rule k = {
		.priority = w->priority,
		.fwmark = w->fwmark,
		.fwmask = w->fwmask,
		.table = w->table,
		.suppress_prefixlen = w->suppress_prefixlen,
		.action = rule_action(w),
		.src = w->src,
		.dst = w->dst,
		.src_len = w->src_len,
		.dst_len = w->dst_len,
	};
	char req[NETLINK_REQUEST_SIZE];
	char what[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct fib_rule_hdr *frh;

	memcpy(k.iif, w->iif, sizeof(k.iif));
	rule_what(what, sizeof(what), "adding", &k);
	nlh->nlmsg_type = RTM_NEWRULE;
	/* No NLM_F_EXCL: the stale rule this one replaces may be equal in
	 * everything the kernel compares, and is deleted right after. */
	nlh->nlmsg_flags = NLM_F_CREATE;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->action = rule_action(w);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, w->priority);
	if (frh->action == FR_ACT_TO_TBL) {
		frh->table = w->table < 256 ? (uint8_t)w->table :
					      RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, FRA_TABLE, w->table);
	}
	frh->src_len = w->src_len;
	frh->dst_len = w->dst_len;
	if (w->src_len)
		mnl_attr_put_u32(nlh, FRA_SRC, htonl(w->src));
	if (w->dst_len)
		mnl_attr_put_u32(nlh, FRA_DST, htonl(w->dst));
	if (w->iif[0])
		mnl_attr_put_strz(nlh, FRA_IIFNAME, w->iif);
	if (w->fwmask) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, w->fwmark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, w->fwmask);
	}
	if (w->suppress_prefixlen >= 0)
		mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN,
				 (uint32_t)w->suppress_prefixlen);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, PLAN_RTPROT);
	return netlink_write(nl, nlh, what, 0, why);
}

/* Deletes exactly rule i of l by sending its own dump message back. */
static int rule_delete(struct netlink *nl, const struct netlink_records *l,
		       size_t i, struct kernel_error *why)
{
	struct nlmsghdr *msg = l->msgs[i];
	char what[256];
	int err;

	rule_what(what, sizeof(what), "deleting",
		  &((const struct kernel_rule *)l->v)[i]);
	msg->nlmsg_type = RTM_DELRULE;
	msg->nlmsg_flags = 0;
	err = netlink_write(nl, msg, what, ENOENT, why);
	return err == -ENOENT ? 0 : err;
}

int rule_sync(struct netlink *nl, const struct plan *p,
	      struct kernel_error *why)
{
	struct netlink_records l = { 0 };
	const struct kernel_rule *rules;
	bool *used = NULL; /* used[j]: rules[j] is a plan rule */
	unsigned long writes = netlink_writes(nl);
	int first = 0;
	int err;

	kernel_error_clear(why);
	err = rules_read(nl, &l, PLAN_PRIO_FIRST, PLAN_PRIO_LAST, why);
	if (err)
		goto out;
	rules = l.v;
	if (l.n && !(used = calloc(l.n, sizeof(*used)))) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		bool found = false;

		for (size_t j = 0; j < l.n && !found; j++) {
			if (!used[j] && rule_equal(&p->rules[i], &rules[j])) {
				used[j] = true;
				found = true;
			}
		}
		if (!found)
			first_error(&first, rule_add(nl, &p->rules[i], why));
	}
	/* Only now: packets always find either the old or the new rule. */
	for (size_t j = 0; j < l.n; j++)
		if (!used[j])
			first_error(&first, rule_delete(nl, &l, j, why));
	log_debug("rule sync: %lu writes", netlink_writes(nl) - writes);
	err = first;
out:
	free(used);
	netlink_records_free(&l);
	return err;
}

int rule_remove_all(struct netlink *nl, struct kernel_error *why)
{
	struct netlink_records l = { 0 };
	int first;

	kernel_error_clear(why);
	first = rules_read(nl, &l, PLAN_PRIO_FIRST, PLAN_PRIO_LAST, why);
	for (size_t j = 0; j < l.n; j++)
		first_error(&first, rule_delete(nl, &l, j, why));
	netlink_records_free(&l);
	return first;
}

int rule_read(struct netlink *nl, uint32_t first, uint32_t last,
	      struct kernel_rule **out, size_t *n)
{
	struct netlink_records l = { 0 };
	int err;

	err = rules_read(nl, &l, first, last, NULL);
	/* The records are kernel_rules: hand them over. */
	*out = !err && l.n ? l.v : NULL;
	*n = !err ? l.n : 0;
	if (*out)
		l.v = NULL;
	netlink_records_free(&l);
	return err;
}
