// SPDX-License-Identifier: MIT
/*
 * edge_driver.c - runs one kernel-edge operation on a hand-built plan, for
 * tests/kernel/t_edges.sh (always inside a throw-away network namespace).
 *
 * The plan: uplink 1 = 10.111.0.1 on wlan1, uplink 2 = 10.112.0.1 on
 * wlan2, addresses 10.111.0.2/24 and 10.111.0.3/24 on wlan1 and
 * 10.112.0.2/24 on wlan2, ecmpd's usual rules, and routes: in table 1000
 * a multipath default 1:5, a more specific 8.8.8.0/24 through uplink 1 and
 * a blackhole; one default per uplink table; an unreachable default in
 * routing-mark table 2001. The "down2" variant is the same plan with
 * uplink 2 dead, "dead" with both dead. Results go to stdout one per line
 * for the script to compare; the modules log to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "daemon/adopt.h"
#include "kernel/address.h"
#include "kernel/conntrack.h"
#include "kernel/error.h"
#include "kernel/fw.h"
#include "kernel/link.h"
#include "kernel/monitor.h"
#include "kernel/netlink.h"
#include "kernel/route.h"
#include "kernel/rule.h"
#include "kernel/sysctl.h"
#include "plan/plan.h"

enum variant {
	ALL_UP,
	DOWN2,
	ALL_DEAD,
};

static uint32_t ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return 0;
	return ntohl(a.s_addr);
}

static void set_nexthop(struct plan_nexthop *nh, const char *ifname,
			const char *gw, unsigned weight)
{
	memset(nh, 0, sizeof(*nh));
	snprintf(nh->interface, sizeof(nh->interface), "%s", ifname);
	nh->has_gateway = true;
	nh->gateway = ip(gw);
	nh->weight = weight;
}

static struct plan_route *add_route(struct plan *p, uint32_t table,
				    const char *dst, uint8_t len,
				    enum plan_route_type type)
{
	/* A plan route's nexthops live elsewhere (the plan's pool). */
	static struct plan_nexthop pool[8][PLAN_NEXTHOPS_MAX];
	struct plan_route *r = &p->routes[p->n_routes];

	memset(r, 0, sizeof(*r));
	r->nexthops = pool[p->n_routes++];
	r->table = table;
	r->dst = ip(dst);
	r->dst_len = len;
	r->type = type;
	return r;
}

static void add_rule(struct plan *p, uint32_t prio, uint32_t mark,
		     uint32_t mask, uint32_t table, int suppress)
{
	struct plan_rule *r = &p->rules[p->n_rules++];

	r->priority = prio;
	r->fwmark = mark;
	r->fwmask = mask;
	r->table = table;
	r->suppress_prefixlen = suppress;
}

static void add_address(struct plan *p, const char *ifname, const char *addr,
			uint8_t len, const char *brd)
{
	struct plan_address *a = &p->addresses[p->n_addresses++];

	snprintf(a->interface, sizeof(a->interface), "%s", ifname);
	a->addr = ip(addr);
	a->len = len;
	a->broadcast = ip(brd);
}

/* Fills p (whose arrays are static storage of the caller). */
static void build_plan(struct plan *p, enum variant v)
{
	static struct plan_uplink uplinks[2];
	static struct plan_address addresses[3];
	static struct plan_rule rules[4];
	static struct plan_route routes[6];
	static uint32_t tables[4] = { 1000, 1001, 1002, 2001 };
	struct plan_route *r;

	memset(p, 0, sizeof(*p));
	memset(uplinks, 0, sizeof(uplinks));
	for (unsigned i = 0; i < 2; i++) {
		uplinks[i].id = i + 1;
		snprintf(uplinks[i].interface, sizeof(uplinks[i].interface),
			 "wlan%u", i + 1);
		uplinks[i].has_gateway = true;
		uplinks[i].gateway = ip(i == 0 ? "10.111.0.1" : "10.112.0.1");
		uplinks[i].mark = (i + 1) << PLAN_PIN_SHIFT;
		uplinks[i].table = PLAN_TABLE_UPLINK_BASE + i + 1;
		uplinks[i].alive = v == ALL_UP || (v == DOWN2 && i == 0);
	}
	p->uplinks = uplinks;
	p->n_uplinks = 2;
	p->tables = tables;
	p->n_tables = 4;

	p->addresses = addresses;
	add_address(p, "wlan1", "10.111.0.2", 24, "10.111.0.255");
	add_address(p, "wlan1", "10.111.0.3", 24, "10.111.0.255");
	add_address(p, "wlan2", "10.112.0.2", 24, "10.112.0.255");

	p->rules = rules;
	add_rule(p, PLAN_PRIO_SUPPRESS, 0, 0, 254, 0);
	add_rule(p, PLAN_PRIO_PIN_BASE + 1, 0x100, PLAN_PIN_MASK, 1001, -1);
	add_rule(p, PLAN_PRIO_PIN_BASE + 2, 0x200, PLAN_PIN_MASK, 1002, -1);
	add_rule(p, PLAN_PRIO_MAIN, 0, 0, PLAN_TABLE_MAIN, -1);

	p->routes = routes;
	if (v == ALL_DEAD) {
		add_route(p, 1000, "0.0.0.0", 0, PLAN_ROUTE_UNREACHABLE);
	} else {
		r = add_route(p, 1000, "0.0.0.0", 0, PLAN_ROUTE_UNICAST);
		set_nexthop(&r->nexthops[r->n_nexthops++], "wlan1",
			    "10.111.0.1", 1);
		if (v == ALL_UP)
			set_nexthop(&r->nexthops[r->n_nexthops++], "wlan2",
				    "10.112.0.1", 5);
	}
	r = add_route(p, 1000, "8.8.8.0", 24, PLAN_ROUTE_UNICAST);
	set_nexthop(&r->nexthops[r->n_nexthops++], "wlan1", "10.111.0.1", 1);
	add_route(p, 1000, "192.0.2.0", 24, PLAN_ROUTE_BLACKHOLE);
	r = add_route(p, 1001, "0.0.0.0", 0,
		      v == ALL_DEAD ? PLAN_ROUTE_UNREACHABLE :
				      PLAN_ROUTE_UNICAST);
	if (v != ALL_DEAD)
		set_nexthop(&r->nexthops[r->n_nexthops++], "wlan1",
			    "10.111.0.1", 1);
	r = add_route(p, 1002, "0.0.0.0", 0,
		      v == ALL_UP ? PLAN_ROUTE_UNICAST :
				    PLAN_ROUTE_UNREACHABLE);
	if (v == ALL_UP)
		set_nexthop(&r->nexthops[r->n_nexthops++], "wlan2",
			    "10.112.0.1", 1);
	add_route(p, 2001, "0.0.0.0", 0, PLAN_ROUTE_UNREACHABLE);
}

static void print_ip(const char *prefix, uint32_t a, const char *suffix)
{
	char s[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = htonl(a) };

	inet_ntop(AF_INET, &in, s, sizeof(s));
	printf("%s%s%s", prefix, s, suffix);
}

static int do_sync(enum variant v, bool routes_only)
{
	struct plan p;
	struct netlink *nl;
	struct plan_address *added = NULL;
	size_t n_added = 0;
	unsigned long before;
	int err = 0, e;

	build_plan(&p, v);
	nl = netlink_open(NETLINK_ROUTE, 0);
	if (!nl) {
		perror("netlink_open");
		return 1;
	}
	before = netlink_writes(nl);
	if (!routes_only) {
		e = address_add_missing(nl, &p, &added, &n_added, NULL);
		err = err ? err : e;
		for (size_t i = 0; i < n_added; i++) {
			print_ip("added ", added[i].addr, "");
			printf("/%u dev %s\n", added[i].len,
			       added[i].interface);
		}
		free(added);
		e = rule_sync(nl, &p, NULL);
		err = err ? err : e;
	}
	e = route_sync(nl, &p, NULL);
	err = err ? err : e;
	printf("writes %lu\n", netlink_writes(nl) - before);
	netlink_close(nl);
	return err ? 1 : 0;
}

static int do_remove(void)
{
	struct netlink *nl = netlink_open(NETLINK_ROUTE, 0);
	int err, e;

	if (!nl) {
		perror("netlink_open");
		return 1;
	}
	/* Rules first, as the daemon does. */
	err = rule_remove_all(nl, NULL);
	e = route_remove_all(nl, NULL);
	err = err ? err : e;
	printf("writes %lu\n", netlink_writes(nl));
	netlink_close(nl);
	return err ? 1 : 0;
}

/* Deletes the one address the plan has that the test bed doesn't. */
static int do_addr_del(void)
{
	struct plan p;
	struct netlink *nl = netlink_open(NETLINK_ROUTE, 0);
	int err;

	if (!nl) {
		perror("netlink_open");
		return 1;
	}
	build_plan(&p, ALL_UP);
	err = address_delete(nl, &p.addresses[1], 1, NULL);
	netlink_close(nl);
	return err ? 1 : 0;
}

static int do_read_ids(void)
{
	struct plan_ids ids = { 0 };
	struct netlink *nl = netlink_open(NETLINK_ROUTE, 0);
	int err;

	if (!nl) {
		perror("netlink_open");
		return 1;
	}
	err = adopt_uplink_ids(nl, &ids);
	for (size_t i = 0; !err && i < ids.n_uplinks; i++) {
		printf("id %u %s", ids.uplinks[i].id, ids.uplinks[i].interface);
		if (ids.uplinks[i].has_gateway)
			print_ip(" ", ids.uplinks[i].gateway, "");
		printf("\n");
	}
	free(ids.uplinks);
	netlink_close(nl);
	return err ? 1 : 0;
}

static int do_link_state(const char *ifname)
{
	struct netlink *nl = netlink_open(NETLINK_ROUTE, 0);
	bool exists, up;
	int err;

	if (!nl) {
		perror("netlink_open");
		return 1;
	}
	err = link_state(nl, ifname, &exists, &up);
	if (!err)
		printf("%s %s\n", exists ? "exists" : "missing",
		       up ? "up" : "down");
	netlink_close(nl);
	return err ? 1 : 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

static int do_fw(const char *cmd, const char *file)
{
	struct fw *fw = fw_open();
	char *text = NULL;
	int err = 0;

	if (!fw) {
		perror("fw_open");
		return 1;
	}
	if (file) {
		text = read_file(file);
		if (!text) {
			perror(file);
			fw_close(fw);
			return 1;
		}
	}
	if (strcmp(cmd, "fw-apply") == 0)
		err = fw_apply(fw, text, NULL);
	else if (strcmp(cmd, "fw-check") == 0)
		err = fw_check(fw, text, NULL);
	else if (strcmp(cmd, "fw-remove") == 0)
		err = fw_remove(fw, NULL);
	else
		printf("%s\n", fw_present(fw) ? "present" : "absent");
	free(text);
	fw_close(fw);
	return err ? 1 : 0;
}

static int do_conntrack(const char *cmd, const char *mark, const char *mask)
{
	uint32_t value = (uint32_t)strtoul(mark, NULL, 0);
	uint32_t m = (uint32_t)strtoul(mask, NULL, 0);
	struct conntrack_stats st;
	unsigned count;
	int err;

	if (strcmp(cmd, "flush") == 0) {
		err = conntrack_flush_mark(value, m, &count);
		if (!err)
			printf("flushed %u\n", count);
	} else if (strcmp(cmd, "count") == 0) {
		err = conntrack_count_mark(value, m, &count);
		if (!err)
			printf("%u\n", count);
	} else {
		err = conntrack_stats_mark(value, m, &st);
		if (!err)
			printf("entries %u packets %llu bytes %llu\n",
			       st.entries, (unsigned long long)st.packets,
			       (unsigned long long)st.bytes);
	}
	return err ? 1 : 0;
}

/* "STEP: ok", or "STEP: failed (ERRNO): WHY" with what the step said. */
static void print_step(const char *step, int err,
		       const struct kernel_error *why)
{
	if (!err && !why->text[0])
		printf("%s: ok\n", step);
	else if (!err)
		printf("%s: ok, yet why says: %s\n", step, why->text);
	else
		printf("%s: failed (%s): %s\n", step, strerrorname_np(-err),
		       why->text[0] ? why->text : "(no text)");
}

/*
 * Runs the route sync, the rule sync, an nft replacement with the ruleset
 * in bad_nft and the nft removal, passing one struct kernel_error from
 * step to step: each step must report its own failure, and nothing of an
 * earlier step's.
 */
static int do_steps(const char *bad_nft)
{
	struct kernel_error why;
	struct netlink *nl = netlink_open(NETLINK_ROUTE, 0);
	struct fw *fw = fw_open();
	char *text = read_file(bad_nft);
	struct plan p;
	int rc = 1;

	if (!nl || !fw || !text) {
		perror("open");
		goto out;
	}
	build_plan(&p, ALL_UP);
	memset(&why, 'x', sizeof(why) - 1);
	why.text[sizeof(why.text) - 1] = '\0';
	print_step("routes", route_sync(nl, &p, &why), &why);
	print_step("rules", rule_sync(nl, &p, &why), &why);
	print_step("fw", fw_apply(fw, text, &why), &why);
	print_step("fw-remove", fw_remove(fw, &why), &why);
	rc = 0;
out:
	free(text);
	fw_close(fw);
	netlink_close(nl);
	return rc;
}

/* Prints "NAME PACKETS BYTES" for each named counter of table ip ecmpd. */
static int do_counters(void)
{
	struct fw *fw = fw_open();
	struct fw_counter *c = NULL;
	size_t n = 0;
	int err;

	if (!fw) {
		perror("fw_open");
		return 1;
	}
	err = fw_read_counters(fw, &c, &n);
	for (size_t i = 0; !err && i < n; i++)
		printf("%s %" PRIu64 " %" PRIu64 "\n", c[i].name, c[i].packets,
		       c[i].bytes);
	free(c);
	fw_close(fw);
	return err ? 1 : 0;
}

/*
 * Prints link events until max were printed or one for stop_if arrives
 * (the script creates it as an end marker), for at most 15 s. "ready" is
 * printed once subscribed, so the script knows when to start.
 */
static int do_monitor(size_t max, const char *stop_if)
{
	struct link_monitor *m = link_monitor_open();
	struct link_event ev[64];
	uint64_t deadline = now_ms() + 15000;
	size_t printed = 0;
	int rc = 1;

	if (!m) {
		perror("link_monitor_open");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (printed < max && now_ms() < deadline) {
		struct pollfd pfd = { .fd = link_monitor_fd(m),
				      .events = POLLIN };
		bool changed = false, overrun = false;
		int n;

		if (poll(&pfd, 1, (int)(deadline - now_ms())) < 0)
			break;
		n = link_monitor_read(m, ev, sizeof(ev) / sizeof(*ev), &changed,
				      &overrun);
		if (n < 0) {
			fprintf(stderr, "link_monitor_read: %s\n",
				strerror(-n));
			break;
		}
		if (changed)
			printf("changed\n");
		if (overrun)
			printf("overrun\n");
		for (int i = 0; i < n && printed < max; i++) {
			printf("link %s %s %s\n", ev[i].ifname,
			       ev[i].exists ? "exists" : "deleted",
			       ev[i].up ? "up" : "down");
			printed++;
			if (stop_if && strcmp(ev[i].ifname, stop_if) == 0) {
				printed = max;
				break;
			}
		}
		fflush(stdout);
	}
	if (printed >= max)
		rc = 0;
	link_monitor_close(m);
	return rc;
}

/*
 * Lets events pile up until stop_if exists, then drains them in one read
 * into max slots: shows how a burst is coalesced (the latest state per
 * interface, overrun for interfaces that found no slot).
 */
static int do_monitor_batch(size_t max, const char *stop_if)
{
	struct link_monitor *m = link_monitor_open();
	struct netlink *nl = netlink_open(NETLINK_ROUTE, 0);
	struct link_event ev[64];
	uint64_t deadline = now_ms() + 15000;
	bool changed = false, overrun = false, exists = false, up;
	int n, rc = 1;

	if (!m || !nl || max > sizeof(ev) / sizeof(*ev)) {
		perror("open");
		goto out;
	}
	printf("ready\n");
	fflush(stdout);
	/* Polling the link table, not the monitor, so nothing is read yet. */
	while (!exists && now_ms() < deadline) {
		struct pollfd none = { .fd = -1 };

		if (link_state(nl, stop_if, &exists, &up))
			goto out;
		if (!exists)
			(void)poll(&none, 1, 20);
	}
	n = link_monitor_read(m, ev, max, &changed, &overrun);
	if (n < 0)
		goto out;
	for (int i = 0; i < n; i++)
		printf("link %s %s %s\n", ev[i].ifname,
		       ev[i].exists ? "exists" : "deleted",
		       ev[i].up ? "up" : "down");
	if (overrun)
		printf("overrun\n");
	rc = 0;
out:
	netlink_close(nl);
	link_monitor_close(m);
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: edge_driver [-v] COMMAND [ARGS]\n"
		"  sync | sync-down2 | sync-dead | sync-routes  apply the plan\n"
		"  remove | addr-del | read-ids | link-state IF\n"
		"  fw-apply FILE | fw-check FILE | fw-remove | fw-present\n"
		"  fw-counters | steps BAD_NFT_FILE\n"
		"  flush MARK MASK | count MARK MASK | stats MARK MASK\n"
		"  monitor N [STOP_IF] | monitor-batch MAX STOP_IF\n"
		"  sysctl-read KEY | "
		"sysctl-write KEY VALUE\n");
}

int main(int argc, char **argv)
{
	const char *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		log_init(true);
		argv++;
		argc--;
	} else {
		log_init(false);
	}
	if (argc < 2) {
		usage();
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "sync") == 0)
		return do_sync(ALL_UP, false);
	if (strcmp(cmd, "sync-routes") == 0)
		return do_sync(ALL_UP, true);
	if (strcmp(cmd, "sync-down2") == 0)
		return do_sync(DOWN2, false);
	if (strcmp(cmd, "sync-dead") == 0)
		return do_sync(ALL_DEAD, false);
	if (strcmp(cmd, "remove") == 0)
		return do_remove();
	if (strcmp(cmd, "addr-del") == 0)
		return do_addr_del();
	if (strcmp(cmd, "read-ids") == 0)
		return do_read_ids();
	if (strcmp(cmd, "link-state") == 0 && argc == 3)
		return do_link_state(argv[2]);
	if ((strcmp(cmd, "fw-apply") == 0 || strcmp(cmd, "fw-check") == 0) &&
	    argc == 3)
		return do_fw(cmd, argv[2]);
	if (strcmp(cmd, "fw-remove") == 0 || strcmp(cmd, "fw-present") == 0)
		return do_fw(cmd, NULL);
	if (strcmp(cmd, "fw-counters") == 0)
		return do_counters();
	if (strcmp(cmd, "steps") == 0 && argc == 3)
		return do_steps(argv[2]);
	if ((strcmp(cmd, "flush") == 0 || strcmp(cmd, "count") == 0 ||
	     strcmp(cmd, "stats") == 0) &&
	    argc == 4)
		return do_conntrack(cmd, argv[2], argv[3]);
	if (strcmp(cmd, "monitor") == 0 && argc >= 3)
		return do_monitor(strtoul(argv[2], NULL, 0),
				  argc > 3 ? argv[3] : NULL);
	if (strcmp(cmd, "monitor-batch") == 0 && argc == 4)
		return do_monitor_batch(strtoul(argv[2], NULL, 0), argv[3]);
	if (strcmp(cmd, "sysctl-read") == 0 && argc == 3) {
		char value[256];
		int err = sysctl_read(argv[2], value, sizeof(value));

		if (err) {
			fprintf(stderr, "%s: %s\n", argv[2], strerror(-err));
			return 1;
		}
		printf("%s\n", value);
		return 0;
	}
	if (strcmp(cmd, "sysctl-write") == 0 && argc == 4)
		return sysctl_write(argv[2], argv[3]) ? 1 : 0;
	usage();
	return 2;
}
