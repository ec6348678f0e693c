// SPDX-License-Identifier: MIT
/*
 * address.c - IPv4 addresses through rtnetlink.
 *
 * Adding dumps the links and the IPv4 addresses and writes only what is
 * missing, with NLM_F_EXCL: an address somebody else added meanwhile is
 * refused rather than taken over, so the list of what ecmpd added (which
 * the caller deletes at stop) never names an address ecmpd did not add.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "base/log.h"
#include "kernel/address.h"
#include "kernel/error.h"
#include "kernel/link.h"
#include "kernel/netlink.h"
#include "plan/plan.h"

/* One IPv4 address from a dump. */
struct kernel_address {
	int ifindex;
	uint32_t addr; /* host order */
	uint32_t peer; /* IFA_ADDRESS: the peer on point-to-point links */
	uint8_t len;
	uint8_t scope;
};

static int address_parse(const struct nlmsghdr *nlh, void *record, void *arg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct kernel_address *k = record;
	const struct nlattr *attr;
	bool have = false;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET)
		return 0;
	k->ifindex = (int)ifa->ifa_index;
	k->len = ifa->ifa_prefixlen;
	k->scope = ifa->ifa_scope;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		/* IFA_LOCAL is the address itself (IFA_ADDRESS is the peer
		 * on point-to-point links). */
		if (mnl_attr_get_type(attr) == IFA_LOCAL &&
		    netlink_attr_be32(attr, &k->addr))
			have = true;
		else if (mnl_attr_get_type(attr) == IFA_ADDRESS)
			netlink_attr_be32(attr, &k->peer);
	}
	if (have && !k->peer)
		k->peer = k->addr;
	return have;
}

static bool address_present(const struct netlink_records *l, int ifindex,
			    const struct plan_address *a)
{
	const struct kernel_address *v = l->v;

	for (size_t j = 0; j < l->n; j++)
		if (v[j].ifindex == ifindex && v[j].addr == a->addr &&
		    v[j].len == a->len)
			return true;
	return false;
}

/* "VERB address A/LEN dev IF" */
static void address_what(char *buf, size_t len, const char *verb,
			 const struct plan_address *a)
{
	char s[INET_ADDRSTRLEN];

	snprintf(buf, len, "%s address %s/%u dev %s", verb,
		 ipv4_str(a->addr, s), a->len, a->interface);
}

/*
 * Sends RTM_NEWADDR (flags NLM_F_CREATE|NLM_F_EXCL) or RTM_DELADDR for a
 * on the interface with index ifindex.
 */
static int address_write(struct netlink *nl, uint16_t type, uint16_t flags,
			 const struct plan_address *a, int ifindex,
			 const char *what, int quiet_err,
			 struct kernel_error *why)
{
	char req[NETLINK_REQUEST_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = a->len;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(a->addr));
	if (type == RTM_NEWADDR) {
		ifa->ifa_scope = RT_SCOPE_UNIVERSE;
		mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(a->addr));
		if (a->broadcast)
			mnl_attr_put_u32(nlh, IFA_BROADCAST,
					 htonl(a->broadcast));
	}
	return netlink_write(nl, nlh, what, quiet_err, why);
}

int address_add_missing(struct netlink *nl, const struct plan *p,
			struct plan_address **added, size_t *n_added,
			struct kernel_error *why)
{
	struct link_table links = { 0 };
	struct netlink_records addrs = { .size = sizeof(
						 struct kernel_address) };
	unsigned long writes = netlink_writes(nl);
	int first = 0;
	int err;

	kernel_error_clear(why);
	*added = NULL;
	*n_added = 0;
	err = link_table_read(nl, &links, why);
	if (!err)
		err = netlink_dump_records(nl, RTM_GETADDR,
					   sizeof(struct ifaddrmsg), AF_INET,
					   address_parse, NULL, &addrs,
					   "IPv4 addresses", why);
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
		const struct kernel_link *k =
			link_by_name(&links, a->interface);
		char what[128];

		address_what(what, sizeof(what), "adding", a);
		if (!k) {
			log_warn("%s: the interface does not exist", what);
			continue;
		}
		if (address_present(&addrs, k->ifindex, a))
			continue;
		err = address_write(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
				    a, k->ifindex, what, 0, why);
		if (err) {
			first_error(&first, err);
			continue;
		}
		(*added)[(*n_added)++] = *a;
	}
	log_debug("address sync: %lu writes", netlink_writes(nl) - writes);
	err = first;
out:
	if (*added && *n_added == 0) {
		free(*added);
		*added = NULL;
	}
	netlink_records_free(&addrs);
	link_table_free(&links);
	return err;
}

int address_delete(struct netlink *nl, const struct plan_address *a, size_t n,
		   struct kernel_error *why)
{
	struct link_table links = { 0 };
	int first = 0;
	int err;

	kernel_error_clear(why);
	if (n == 0)
		return 0;
	err = link_table_read(nl, &links, why);
	if (err)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct kernel_link *k =
			link_by_name(&links, a[i].interface);
		char what[128];

		if (!k)
			continue;
		address_what(what, sizeof(what), "deleting", &a[i]);
		/* EADDRNOTAVAIL: somebody removed it already. */
		err = address_write(nl, RTM_DELADDR, 0, &a[i], k->ifindex, what,
				    EADDRNOTAVAIL, why);
		if (err != -EADDRNOTAVAIL)
			first_error(&first, err);
	}
	err = first;
out:
	link_table_free(&links);
	return err;
}

int address_connected(struct netlink *nl, struct plan_connected **out,
		      size_t *n, struct kernel_error *why)
{
	struct link_table links = { 0 };
	struct netlink_records addrs = { .size = sizeof(
						 struct kernel_address) };
	const struct kernel_address *v;
	int err;

	kernel_error_clear(why);
	*out = NULL;
	*n = 0;
	err = link_table_read(nl, &links, why);
	if (!err)
		err = netlink_dump_records(nl, RTM_GETADDR,
					   sizeof(struct ifaddrmsg), AF_INET,
					   address_parse, NULL, &addrs,
					   "IPv4 addresses", why);
	if (!err) {
		*out = calloc(addrs.n + 1, sizeof(**out));
		if (!*out)
			err = -ENOMEM;
	}
	v = addrs.v;
	for (size_t i = 0; !err && i < addrs.n; i++) {
		const char *name = link_name(&links, v[i].ifindex);
		struct plan_connected *c = &(*out)[*n];

		/* Host scope: 127.0.0.1/8 and the like, never a gateway's. */
		if (v[i].scope >= RT_SCOPE_HOST || !name ||
		    strlen(name) >= sizeof(c->interface))
			continue;
		strcpy(c->interface, name);
		c->network = v[i].peer & ipv4_mask(v[i].len);
		c->len = v[i].len;
		(*n)++;
	}
	netlink_records_free(&addrs);
	link_table_free(&links);
	return err;
}
