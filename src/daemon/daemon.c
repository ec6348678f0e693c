// SPDX-License-Identifier: MIT
/*
 * daemon.c - ecmpd's control plane, one thread around one event loop.
 *
 * The daemon owns a config, the plan last applied, and one gateway record
 * per uplink (health state machine plus probe socket). Everything that
 * happens - a probe outcome, a link event, a reload, a signal - ends in the
 * same step: build a new plan from the config and the set of usable
 * gateways, apply it as a difference (netlink syncs are diff-based, the nft
 * table is replaced only when its text changes), and, for every gateway
 * that stopped being usable, delete the connections pinned to it in one
 * conntrack request. A failed apply is rolled back by applying the previous
 * plan again and retried later; a bad config on reload leaves the running
 * one in force.
 *
 * What the daemon added to the system (addresses, the sysctl values it
 * replaced) is written to a state file beside the control socket, so a
 * daemon killed with SIGKILL and started again adopts the kernel state -
 * including the uplink ids that give meaning to live connections' pins -
 * and a later clean stop still restores everything.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/ipv4.h"
#include "config/config.h"
#include "daemon/adopt.h"
#include "kernel/address.h"
#include "kernel/conntrack.h"
#include "kernel/error.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "kernel/fw.h"
#include "health/health.h"
#include "daemon/hooks.h"
#include "base/log.h"
#include "daemon/loop.h"
#include "daemon/metrics.h"
#include "kernel/link.h"
#include "kernel/monitor.h"
#include "kernel/netlink.h"
#include "kernel/route.h"
#include "kernel/rule.h"
#include "daemon/notify.h"
#include "config/parser.h"
#include "plan/plan.h"
#include "daemon/print.h"
#include "health/probe.h"
#include "kernel/sysctl.h"

#define OUTCOMES_MAX 64
#define LINK_EVENTS_MAX 64
#define RETRY_MS 1000
#define RESYNC_DELAY_MS 100

struct gateway_state {
	unsigned id;
	char interface[LINUX_IFNAME_MAX];
	bool has_gateway;
	uint32_t gateway;
	enum check_gateway check;
	struct health health;
	struct probe *probe;
	enum check_gateway probe_kind; /* what probe does */
	uint64_t probe_retry_ms;
	bool link_up;
	/* What the applied plan assumed; differs from health while pending. */
	bool usable;
	/* A state change to report once the plan reflects it. */
	bool changed;
	enum health_state reported;
};

struct saved_sysctl {
	char key[96];
	char value[96];
};

struct daemon {
	const struct daemon_options *opt;
	struct loop *loop;
	struct netlink *nl;
	struct link_monitor *mon;
	struct fw *fw;
	struct control *ctl;
	struct hooks *hooks;
	struct metrics_server *metrics;
	int sigfd;

	struct config *cfg;
	struct plan *plan; /* applied; NULL before the first apply */
	struct gateway_state *gws;
	size_t n_gws;

	struct plan_address *added;
	size_t n_added;
	struct saved_sysctl *saved;
	size_t n_saved;
	char state_path[PATH_MAX];
	char apply_error[512]; /* what the kernel said when apply() failed */

	bool stopping;
	bool replan;
	uint64_t resync_at; /* 0: none pending */
	uint64_t started_ms, applied_ms;
	unsigned long reloads_ok, reloads_failed, state_changes, failovers;
	unsigned long kernel_errors, flushed;
};

static const char *gateway_name(const struct gateway_state *g, char *buf)
{
	if (!g->has_gateway)
		return g->interface;
	return ipv4_str(g->gateway, buf);
}

static struct health_params health_params_of(const struct config *cfg)
{
	/*
	 * A return that fails within six times its own proof (3 s by
	 * default) was a flap, not a recovery: long enough to catch a line
	 * flapping at 1 Hz even when one of its dark spells is too short to
	 * take it down.
	 */
	return (struct health_params){
		.down_count = cfg->probe.down_count,
		.up_count = cfg->probe.up_count,
		.flap_window_ms =
			6ull * cfg->probe.up_count * cfg->probe.interval_ms,
	};
}

/* ---- state file: what to undo at stop, surviving a SIGKILL ---- */

static void state_write(struct daemon *d)
{
	char tmp[PATH_MAX + 8];
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", d->state_path);
	f = fopen(tmp, "w");
	if (!f) {
		log_warn("cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	for (size_t i = 0; i < d->n_added; i++) {
		const struct plan_address *pa = &d->added[i];

		fprintf(f, "address %s %s %u %s\n", pa->interface,
			ipv4_str(pa->addr, a), pa->len,
			ipv4_str(pa->broadcast, b));
	}
	for (size_t i = 0; i < d->n_saved; i++)
		fprintf(f, "sysctl %s %s\n", d->saved[i].key,
			d->saved[i].value);
	if (fclose(f) != 0 || rename(tmp, d->state_path) != 0)
		log_warn("cannot write %s: %s", d->state_path, strerror(errno));
}

static int added_push(struct daemon *d, const struct plan_address *pa)
{
	struct plan_address *n;

	for (size_t i = 0; i < d->n_added; i++)
		if (!strcmp(d->added[i].interface, pa->interface) &&
		    d->added[i].addr == pa->addr && d->added[i].len == pa->len)
			return 0;
	n = realloc(d->added, (d->n_added + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	d->added = n;
	d->added[d->n_added++] = *pa;
	return 0;
}

static int saved_push(struct daemon *d, const char *key, const char *value)
{
	struct saved_sysctl *n =
		realloc(d->saved, (d->n_saved + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	d->saved = n;
	memset(&d->saved[d->n_saved], 0, sizeof(*n));
	snprintf(d->saved[d->n_saved].key, sizeof(n->key), "%s", key);
	snprintf(d->saved[d->n_saved].value, sizeof(n->value), "%s", value);
	d->n_saved++;
	return 0;
}

/* Adopts what a previous run (killed, not stopped) recorded. */
static void state_read(struct daemon *d)
{
	char line[256];
	FILE *f = fopen(d->state_path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char w1[96], w2[96], w3[96], w4[96];
		unsigned len;
		struct plan_address pa = { 0 };
		struct in_addr a, b;

		if (sscanf(line, "address %95s %95s %u %95s", w1, w2, &len,
			   w4) == 4 &&
		    strlen(w1) < sizeof(pa.interface) &&
		    inet_pton(AF_INET, w2, &a) == 1 &&
		    inet_pton(AF_INET, w4, &b) == 1 && len <= 32) {
			strcpy(pa.interface, w1);
			pa.addr = ntohl(a.s_addr);
			pa.len = (uint8_t)len;
			pa.broadcast = ntohl(b.s_addr);
			if (added_push(d, &pa) < 0)
				break;
		} else if (sscanf(line, "sysctl %95s %95s", w1, w3) == 2) {
			if (saved_push(d, w1, w3) < 0)
				break;
		}
	}
	fclose(f);
	if (d->n_added || d->n_saved)
		log_info("adopted state of a previous run: %zu addresses, "
			 "%zu sysctls to restore at stop",
			 d->n_added, d->n_saved);
}

/* ---- applying plans ---- */

static int apply_sysctls(struct daemon *d, const struct plan *p)
{
	for (size_t i = 0; i < p->n_sysctls; i++) {
		const struct plan_sysctl *s = &p->sysctls[i];
		char cur[64];
		bool known = false;
		int err;

		err = sysctl_read(s->key, cur, sizeof(cur));
		if (err == -ENOENT) {
			/* e.g. conntrack not loaded: the rest still works. */
			log_warn("sysctl %s does not exist here; skipped",
				 s->key);
			continue;
		}
		if (err) {
			log_error("reading sysctl %s: %s", s->key,
				  strerror(-err));
			return err;
		}
		for (size_t j = 0; j < d->n_saved; j++)
			known |= !strcmp(d->saved[j].key, s->key);
		if (!known) {
			err = saved_push(d, s->key, cur);
			if (err)
				return err;
		}
		if (!strcmp(cur, s->value))
			continue;
		err = sysctl_write(s->key, s->value);
		if (err) {
			log_error("setting sysctl %s=%s: %s", s->key, s->value,
				  strerror(-err));
			return err;
		}
		log_debug("sysctl %s: %s -> %s", s->key, cur, s->value);
	}
	return 0;
}

static int apply_addresses(struct daemon *d, const struct plan *p,
			   struct kernel_error *why)
{
	struct plan_address *added = NULL;
	size_t n_added = 0;
	int err;

	err = address_add_missing(d->nl, p, &added, &n_added, why);
	for (size_t i = 0; i < n_added; i++)
		if (added_push(d, &added[i]) < 0)
			err = err ? err : -ENOMEM;
	free(added);
	return err;
}

/*
 * Makes the kernel match p. Each step is idempotent and diff-based, so
 * applying the same plan twice writes nothing the second time, and
 * applying the previous plan undoes a half-applied new one.
 */
static int apply(struct daemon *d, const struct plan *p, bool force_fw)
{
	/* Each step clears why and fills it only when it fails. */
	struct kernel_error why = { "" };
	int err;

	err = apply_addresses(d, p, &why);
	if (!err)
		err = route_sync(d->nl, p, &why);
	if (!err)
		err = rule_sync(d->nl, p, &why);
	if (!err &&
	    (force_fw || !d->plan ||
	     strcmp(d->plan->ruleset, p->ruleset) != 0 || !fw_present(d->fw)))
		err = fw_apply(d->fw, p->ruleset, &why);
	/* Last: the nft table's ct expressions load conntrack's sysctls. */
	if (!err)
		err = apply_sysctls(d, p);
	snprintf(d->apply_error, sizeof(d->apply_error), "%s",
		 err && why.text[0] ? why.text :
		 err		    ? strerror(-err) :
				      "");
	state_write(d);
	return err;
}

static bool plan_has_address(const struct plan *p, const struct plan_address *a)
{
	for (size_t i = 0; i < p->n_addresses; i++)
		if (!strcmp(p->addresses[i].interface, a->interface) &&
		    p->addresses[i].addr == a->addr &&
		    p->addresses[i].len == a->len)
			return true;
	return false;
}

/*
 * After a failed apply: puts the previous plan back in force and removes
 * the addresses the failed attempt added (d->added[n_before..]) that the
 * previous plan does not have, so nothing of the attempt is left behind.
 */
static void restore_previous(struct daemon *d, size_t n_before)
{
	size_t kept = n_before;

	if (d->plan && apply(d, d->plan, true))
		log_error("restoring the previous state failed too");
	for (size_t i = n_before; i < d->n_added; i++) {
		if (d->plan && plan_has_address(d->plan, &d->added[i])) {
			d->added[kept++] = d->added[i];
			continue;
		}
		if (address_delete(d->nl, &d->added[i], 1, NULL))
			d->added[kept++] = d->added[i]; /* try again at stop */
	}
	d->n_added = kept;
	state_write(d);
}

/*
 * Removes everything ecmpd installed and restores what it changed. Rules
 * and routes go first: a pinned packet then finds no route and is dropped
 * at the router, rather than leaving by another uplink while the nft table
 * (masquerade, pins) is being removed.
 */
static void cleanup(struct daemon *d)
{
	int err;

	err = rule_remove_all(d->nl, NULL);
	if (err)
		log_error("removing rules: %s", strerror(-err));
	err = route_remove_all(d->nl, NULL);
	if (err)
		log_error("removing routes: %s", strerror(-err));
	err = fw_remove(d->fw, NULL);
	if (err)
		log_error("removing table ip ecmpd: %s", strerror(-err));
	if (d->n_added) {
		err = address_delete(d->nl, d->added, d->n_added, NULL);
		if (err)
			log_error("removing addresses: %s", strerror(-err));
	}
	for (size_t i = d->n_saved; i-- > 0;) {
		err = sysctl_write(d->saved[i].key, d->saved[i].value);
		if (err)
			log_error("restoring sysctl %s=%s: %s", d->saved[i].key,
				  d->saved[i].value, strerror(-err));
	}
	unlink(d->state_path);
}

/* ---- gateways ---- */

static struct gateway_state *gateway_find(struct gateway_state *gws, size_t n,
					  const char *interface,
					  bool has_gateway, uint32_t gateway)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(gws[i].interface, interface) &&
		    gws[i].has_gateway == has_gateway &&
		    (!has_gateway || gws[i].gateway == gateway))
			return &gws[i];
	return NULL;
}

static void gateway_close_probe(struct daemon *d, struct gateway_state *g)
{
	if (!g->probe)
		return;
	loop_del(d->loop, probe_fd(g->probe));
	probe_free(g->probe);
	g->probe = NULL;
}

static void gateways_free(struct daemon *d, struct gateway_state *gws, size_t n)
{
	for (size_t i = 0; i < n; i++)
		gateway_close_probe(d, &gws[i]);
	free(gws);
}

/*
 * Builds gateway records for the uplinks of plan p: an uplink that exists
 * now keeps its record (health, probe); a new one starts UNKNOWN with the
 * link state read from the kernel. Owns no new resources until committed.
 */
static struct gateway_state *gateways_for(struct daemon *d,
					  const struct plan *p, uint64_t now)
{
	struct gateway_state *gws = calloc(p->n_uplinks + 1, sizeof(*gws));

	if (!gws)
		return NULL;
	for (size_t i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];
		struct gateway_state *old, *g = &gws[i];
		bool exists = false, up = false;

		old = gateway_find(d->gws, d->n_gws, u->interface,
				   u->has_gateway, u->gateway);
		if (old)
			*g = *old;
		/*
		 * A new gateway, or one whose check changed (its evidence was
		 * about another kind of probe), starts from what the link
		 * says; a probe of the wrong kind is closed once committed.
		 */
		if (!old || old->check != u->check) {
			health_init(&g->health, now);
			if (link_state(d->nl, u->interface, &exists, &up) < 0)
				up = false;
			g->link_up = exists && up;
			if (!g->link_up)
				health_link(&g->health, false,
					    u->check != CHECK_NONE, now);
			else if (u->check == CHECK_NONE)
				health_link(&g->health, true, false, now);
			g->usable = health_usable(&g->health);
			g->reported = g->health.state;
		}
		g->id = u->id;
		snprintf(g->interface, sizeof(g->interface), "%s",
			 u->interface);
		g->has_gateway = u->has_gateway;
		g->gateway = u->gateway;
		g->check = u->check;
	}
	return gws;
}

/* Replaces d->gws by gws; records left behind lose their probes. */
static void gateways_commit(struct daemon *d, struct gateway_state *gws,
			    size_t n)
{
	for (size_t i = 0; i < d->n_gws; i++) {
		struct gateway_state *old = &d->gws[i];

		if (old->probe && !gateway_find(gws, n, old->interface,
						old->has_gateway, old->gateway))
			gateway_close_probe(d, old);
	}
	free(d->gws);
	d->gws = gws;
	d->n_gws = n;
}

/* The gateways the next plan must leave out. */
static struct plan_dead *dead_list(const struct gateway_state *gws, size_t n,
				   size_t *n_dead)
{
	struct plan_dead *dead = calloc(n + 1, sizeof(*dead));

	*n_dead = 0;
	if (!dead)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (health_usable(&gws[i].health))
			continue;
		snprintf(dead[*n_dead].interface, sizeof(dead->interface), "%s",
			 gws[i].interface);
		dead[*n_dead].has_gateway = gws[i].has_gateway;
		dead[*n_dead].gateway = gws[i].gateway;
		(*n_dead)++;
	}
	return dead;
}

static struct plan *plan_with(const struct config *cfg,
			      const struct plan_ids *ids,
			      const struct gateway_state *gws, size_t n)
{
	size_t n_dead;
	struct plan_dead *dead = dead_list(gws, n, &n_dead);
	struct plan_input in = { .ids = ids, .dead = dead, .n_dead = n_dead };
	struct plan *p;

	if (!dead)
		return NULL;
	p = plan_build(cfg, &in);
	free(dead);
	return p;
}

static void flush_uplink(struct daemon *d, unsigned id, unsigned *count)
{
	int err;

	*count = 0;
	err = conntrack_flush_mark(id << PLAN_PIN_SHIFT, PLAN_PIN_MASK, count);
	if (err) {
		log_error("deleting the connections pinned to uplink %u: %s",
			  id, strerror(-err));
		d->kernel_errors++;
		return;
	}
	d->flushed += *count;
}

/* Tells the hooks about a gateway's change from old to its state now. */
static void gateway_hook(struct daemon *d, const struct gateway_state *g,
			 enum health_state old)
{
	char gw[INET_ADDRSTRLEN];
	struct hook_event ev = {
		.kind = HOOK_EVENT_GATEWAY,
		.config = d->opt->config_path,
		.interface = g->interface,
		.gateway = gateway_name(g, gw),
		.old_state = health_state_name(old),
		.new_state = health_state_name(g->health.state),
		.rtt_ms = health_rtt_ms(&g->health),
		.loss_pct = health_loss_pct(&g->health),
	};
	int err = d->hooks ? hooks_run(d->hooks, &ev) : 0;

	if (err < 0)
		log_warn("hooks for gateway %s: %s", ev.gateway,
			 strerror(-err));
}

/* Logs each gateway state change with its evidence, once applied. */
static void report_changes(struct daemon *d)
{
	char gw[INET_ADDRSTRLEN], why[160];

	for (size_t i = 0; i < d->n_gws; i++) {
		struct gateway_state *g = &d->gws[i];
		bool usable = health_usable(&g->health);
		unsigned flushed = 0;

		if (g->usable && !usable) {
			flush_uplink(d, g->id, &flushed);
			d->failovers++;
		}
		g->usable = usable;
		if (!g->changed)
			continue;
		g->changed = false;
		health_reason(&g->health, why, sizeof(why));
		if (g->reported != HEALTH_DOWN &&
		    g->health.state == HEALTH_DOWN)
			log_info("gateway %s (%s): %s -> %s %s; flushed %u "
				 "connections",
				 gateway_name(g, gw), g->interface,
				 health_state_name(g->reported),
				 health_state_name(g->health.state), why,
				 flushed);
		else
			log_info("gateway %s (%s): %s -> %s %s",
				 gateway_name(g, gw), g->interface,
				 health_state_name(g->reported),
				 health_state_name(g->health.state), why);
		gateway_hook(d, g, g->reported);
		g->reported = g->health.state;
	}
}

/*
 * Builds and applies the plan for the current config and gateway states.
 * On failure the previous plan is applied again and a retry scheduled.
 */
static int replan(struct daemon *d)
{
	struct plan *p;
	size_t n_before;
	int err;

	d->replan = false;
	p = plan_with(d->cfg, d->plan ? &d->plan->ids : NULL, d->gws, d->n_gws);
	if (!p) {
		log_error("building the plan: %s", strerror(errno));
		d->resync_at = now_ms() + RETRY_MS;
		return -errno;
	}
	n_before = d->n_added;
	err = apply(d, p, false);
	if (err) {
		d->kernel_errors++;
		log_error("applying the plan failed (%s); restoring the "
			  "previous state and retrying in %d ms",
			  strerror(-err), RETRY_MS);
		restore_previous(d, n_before);
		plan_free(p);
		/* Retried by the resync timer, not at every wake-up. */
		d->resync_at = now_ms() + RETRY_MS;
		return err;
	}
	plan_free(d->plan);
	d->plan = p;
	d->applied_ms = now_ms();
	report_changes(d);
	return 0;
}

/* ---- probes and health ---- */

static void on_probe(void *ctx, int fd, uint32_t events);

static void ensure_probes(struct daemon *d, uint64_t now)
{
	for (size_t i = 0; i < d->n_gws; i++) {
		struct gateway_state *g = &d->gws[i];
		struct probe_config pc = { 0 };
		uint64_t seed = 0;

		if (g->probe || g->check == CHECK_NONE || !g->has_gateway ||
		    !g->link_up || now < g->probe_retry_ms)
			continue;
		snprintf(pc.ifname, sizeof(pc.ifname), "%s", g->interface);
		pc.mark = g->id << PLAN_PIN_SHIFT;
		pc.gateway = g->gateway;
		pc.kind = g->check;
		pc.interval_ms = d->cfg->probe.interval_ms;
		pc.timeout_ms = d->cfg->probe.timeout_ms;
		if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) !=
		    sizeof(seed))
			seed = now_us();
		pc.seed = seed ^ ((uint64_t)g->id << 56);
		g->probe = probe_new(&pc);
		g->probe_kind = g->check;
		if (!g->probe) {
			log_warn("cannot probe %s on %s: %s; retrying",
				 g->interface, g->interface, strerror(errno));
			g->probe_retry_ms = now + RETRY_MS;
			continue;
		}
		if (loop_add(d->loop, probe_fd(g->probe), EPOLLIN, on_probe,
			     d) < 0) {
			probe_free(g->probe);
			g->probe = NULL;
			g->probe_retry_ms = now + RETRY_MS;
		}
	}
}

static void run_probe(struct daemon *d, struct gateway_state *g, uint64_t now)
{
	struct probe_outcome out[OUTCOMES_MAX];
	struct health_params hp = health_params_of(d->cfg);
	size_t n;

	do {
		n = probe_run(g->probe, now, out, OUTCOMES_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!health_feed(&g->health, &hp, out[i].replied,
					 out[i].rtt_us, now))
				continue;
			g->changed = true;
			d->state_changes++;
			if (health_usable(&g->health) != g->usable)
				d->replan = true;
			else
				report_changes(d);
		}
	} while (n == OUTCOMES_MAX);
}

static void on_probe(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	uint64_t now = now_ms();

	for (size_t i = 0; i < d->n_gws; i++)
		if (d->gws[i].probe && probe_fd(d->gws[i].probe) == fd) {
			probe_events(d->gws[i].probe, events);
			run_probe(d, &d->gws[i], now);
		}
}

static void on_link(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	struct link_event ev[LINK_EVENTS_MAX];
	bool changed = false, overrun = false;
	uint64_t now = now_ms();
	int n;

	n = link_monitor_read(d->mon, ev, LINK_EVENTS_MAX, &changed, &overrun);
	if (n < 0) {
		log_warn("reading link events: %s", strerror(-n));
		return;
	}
	if (overrun) {
		/* Events were lost: read every gateway's link state again. */
		log_warn("netlink monitor overrun; re-reading kernel state");
		n = 0;
		for (size_t i = 0; i < d->n_gws && n < LINK_EVENTS_MAX; i++) {
			struct link_event *e = &ev[n];
			bool exists = false, up = false;

			if (link_state(d->nl, d->gws[i].interface, &exists,
				       &up) < 0)
				continue;
			memset(e, 0, sizeof(*e));
			snprintf(e->ifname, sizeof(e->ifname), "%s",
				 d->gws[i].interface);
			e->exists = exists;
			e->up = exists && up;
			n++;
		}
		changed = true;
	}
	for (int i = 0; i < n; i++) {
		for (size_t j = 0; j < d->n_gws; j++) {
			struct gateway_state *g = &d->gws[j];
			bool up = ev[i].exists && ev[i].up;

			if (strcmp(g->interface, ev[i].ifname))
				continue;
			/* A re-created interface needs a new socket. */
			if (!up || !ev[i].exists)
				gateway_close_probe(d, g);
			if (up == g->link_up)
				continue;
			g->link_up = up;
			g->probe_retry_ms = 0;
			if (health_link(&g->health, up, g->check != CHECK_NONE,
					now)) {
				g->changed = true;
				d->state_changes++;
			}
			/* Link up: the kernel dropped our routes silently. */
			d->replan = true;
		}
	}
	if (changed && !d->resync_at)
		d->resync_at = now + RESYNC_DELAY_MS;
}

/* ---- reload ---- */

/*
 * Reads the config again. Diagnostics go to diag. A config with errors,
 * or one whose plan the kernel refuses, leaves the running one in force.
 */
static int reload_config(struct daemon *d, FILE *diag)
{
	struct config *cfg;
	struct gateway_state *gws;
	struct plan *p, *probe_plan;
	bool probes_changed;
	size_t n_before;
	int errors, err;
	uint64_t now = now_ms();

	cfg = config_load(d->opt->config_path, d->opt->maps, d->opt->n_maps,
			  d->opt->strict, diag, &errors);
	if (!cfg) {
		d->reloads_failed++;
		log_error("reload: %s has %d error(s); the running config "
			  "stays in force",
			  d->opt->config_path, errors);
		return -EINVAL;
	}
	/* First pass: the uplinks of the new config, to know their states. */
	probe_plan = plan_with(cfg, &d->plan->ids, d->gws, d->n_gws);
	if (!probe_plan) {
		err = -errno;
		goto out_cfg;
	}
	gws = gateways_for(d, probe_plan, now);
	if (!gws) {
		err = -ENOMEM;
		goto out_probe_plan;
	}
	p = plan_with(cfg, &probe_plan->ids, gws, probe_plan->n_uplinks);
	if (!p) {
		err = -errno;
		goto out_gws;
	}
	n_before = d->n_added;
	err = apply(d, p, false);
	if (err) {
		d->kernel_errors++;
		fprintf(diag, "the kernel refused the new plan: %s\n",
			d->apply_error);
		restore_previous(d, n_before);
		plan_free(p);
		goto out_gws;
	}
	/* Committed: uplinks that left the config lose their connections. */
	for (size_t i = 0; i < d->n_gws; i++) {
		struct gateway_state *old = &d->gws[i];
		unsigned flushed = 0;
		char gw[INET_ADDRSTRLEN];

		if (gateway_find(gws, probe_plan->n_uplinks, old->interface,
				 old->has_gateway, old->gateway))
			continue;
		flush_uplink(d, old->id, &flushed);
		log_info("gateway %s (%s) left the config; flushed %u "
			 "connections",
			 gateway_name(old, gw), old->interface, flushed);
	}
	probes_changed =
		memcmp(&cfg->probe, &d->cfg->probe, sizeof(cfg->probe)) != 0;
	gateways_commit(d, gws, probe_plan->n_uplinks);
	for (size_t i = 0; i < d->n_gws; i++)
		if (probes_changed || d->gws[i].probe_kind != d->gws[i].check)
			gateway_close_probe(d, &d->gws[i]);
	config_free(d->cfg);
	d->cfg = cfg;
	plan_free(d->plan);
	d->plan = p;
	plan_free(probe_plan);
	d->applied_ms = now_ms();
	d->reloads_ok++;
	report_changes(d);
	log_info("reloaded %s: %zu uplinks", d->opt->config_path,
		 d->plan->n_uplinks);
	return 0;

out_gws:
	/* Records not taken from d->gws own nothing yet. */
	free(gws);
out_probe_plan:
	plan_free(probe_plan);
out_cfg:
	config_free(cfg);
	d->reloads_failed++;
	return err;
}

/* Reloads, then tells the hooks how it went. */
static int reload(struct daemon *d, FILE *diag)
{
	int err = reload_config(d, diag), herr;
	struct hook_event ev = {
		.kind = HOOK_EVENT_RELOAD,
		.config = d->opt->config_path,
		.reload_ok = err == 0,
	};

	herr = d->hooks ? hooks_run(d->hooks, &ev) : 0;
	if (herr < 0)
		log_warn("hooks for the reload: %s", strerror(-herr));
	return err;
}

/* ---- control requests ---- */

/*
 * Connections pinned to each uplink id, and their packets and bytes (with
 * acct on), from one conntrack dump; zeros when the dump fails.
 */
static void pinned_stats(struct conntrack_stats st[PLAN_ID_MAX + 1])
{
	if (conntrack_stats_split(PLAN_PIN_MASK, PLAN_PIN_SHIFT, st,
				  PLAN_ID_MAX + 1))
		memset(st, 0, (PLAN_ID_MAX + 1) * sizeof(*st));
}

static void status_json(struct daemon *d, FILE *out)
{
	struct conntrack_stats pins[PLAN_ID_MAX + 1];
	uint64_t now = now_ms();
	char gw[INET_ADDRSTRLEN];

	pinned_stats(pins);
	fprintf(out, "{\"config\":");
	print_json_string(out, d->opt->config_path);
	fprintf(out, ",\"uptime_s\":%.1f,\"uplinks\":[",
		(double)(now - d->started_ms) / 1000.0);
	for (size_t i = 0; i < d->n_gws; i++) {
		struct gateway_state *g = &d->gws[i];
		const struct conntrack_stats *st = &pins[g->id];

		fprintf(out, "%s{\"id\":%u,\"interface\":", i ? "," : "",
			g->id);
		print_json_string(out, g->interface);
		fprintf(out, ",\"gateway\":");
		print_json_string(
			out, g->has_gateway ? ipv4_str(g->gateway, gw) : "");
		fprintf(out,
			",\"check\":\"%s\",\"state\":\"%s\",\"usable\":%s,"
			"\"link\":\"%s\",\"since_s\":%.3f,\"rtt_ms\":%.3f,"
			"\"loss_pct\":%.1f,\"connections\":%u,"
			"\"packets\":%llu,\"bytes\":%llu,"
			"\"probes_sent\":%llu,\"probes_lost\":%llu,"
			"\"mark\":\"0x%x\",\"table\":%u}",
			config_name_of(config_check_gateway_names, g->check),
			health_state_name(g->health.state),
			g->usable ? "true" : "false",
			g->link_up ? "up" : "down",
			(double)(now - g->health.since_ms) / 1000.0,
			health_rtt_ms(&g->health), health_loss_pct(&g->health),
			st->entries, (unsigned long long)st->packets,
			(unsigned long long)st->bytes,
			(unsigned long long)g->health.sent,
			(unsigned long long)g->health.lost,
			g->id << PLAN_PIN_SHIFT,
			PLAN_TABLE_UPLINK_BASE + g->id);
	}
	fprintf(out,
		"],\"reloads_ok\":%lu,\"reloads_failed\":%lu,"
		"\"state_changes\":%lu,\"failovers\":%lu,"
		"\"connections_flushed\":%lu,\"kernel_errors\":%lu}\n",
		d->reloads_ok, d->reloads_failed, d->state_changes,
		d->failovers, d->flushed, d->kernel_errors);
}

static void status_text(struct daemon *d, FILE *out)
{
	struct conntrack_stats pins[PLAN_ID_MAX + 1];
	uint64_t now = now_ms();
	char gw[INET_ADDRSTRLEN];

	pinned_stats(pins);
	fprintf(out, "config %s, %zu uplinks, up %.0fs\n", d->opt->config_path,
		d->n_gws, (double)(now - d->started_ms) / 1000.0);
	fprintf(out, "%-15s %-10s %-5s %-7s %8s %9s %6s %11s %10s %12s\n",
		"gateway", "interface", "check", "state", "since", "rtt",
		"loss", "connections", "packets", "bytes");
	for (size_t i = 0; i < d->n_gws; i++) {
		struct gateway_state *g = &d->gws[i];
		const struct conntrack_stats *st = &pins[g->id];

		fprintf(out,
			"%-15s %-10s %-5s %-7s %7.1fs %6.2f ms %5.1f%% %11u "
			"%10llu %12llu\n",
			g->has_gateway ? ipv4_str(g->gateway, gw) : "-",
			g->interface,
			config_name_of(config_check_gateway_names, g->check),
			health_state_name(g->health.state),
			(double)(now - g->health.since_ms) / 1000.0,
			health_rtt_ms(&g->health), health_loss_pct(&g->health),
			st->entries, (unsigned long long)st->packets,
			(unsigned long long)st->bytes);
	}
}

/* The metrics body, for `ecmpctl metrics` and the HTTP listener. */
static void metrics_fill(void *ctx, FILE *out)
{
	struct daemon *d = ctx;
	struct metrics_gateway *mg = calloc(d->n_gws + 1, sizeof(*mg));
	char(*names)[INET_ADDRSTRLEN] = calloc(d->n_gws + 1, sizeof(*names));
	struct conntrack_stats pins[PLAN_ID_MAX + 1];
	char acct[16] = "";
	bool acct_on, counted;
	struct metrics_snapshot s = {
		.state_changes = d->state_changes,
		.failovers = d->failovers,
		.reloads_ok = d->reloads_ok,
		.reloads_failed = d->reloads_failed,
		.kernel_write_errors = d->kernel_errors,
		.connections_flushed = d->flushed,
		.uptime_seconds = (double)(now_ms() - d->started_ms) / 1000.0,
	};

	/* Without accounting the kernel counts nothing: leave them out. */
	acct_on = sysctl_read("net.netfilter.nf_conntrack_acct", acct,
			      sizeof(acct)) == 0 &&
		  acct[0] == '1';
	counted = conntrack_stats_split(PLAN_PIN_MASK, PLAN_PIN_SHIFT, pins,
					PLAN_ID_MAX + 1) == 0;
	for (size_t i = 0; mg && names && i < d->n_gws; i++) {
		const struct gateway_state *g = &d->gws[i];

		mg[i].interface = g->interface;
		mg[i].gateway = gateway_name(g, names[i]);
		mg[i].health = &g->health;
		mg[i].usable = g->usable;
		if (counted) {
			mg[i].has_connections = true;
			mg[i].connections = pins[g->id].entries;
			mg[i].has_traffic = acct_on;
			mg[i].packets = pins[g->id].packets;
			mg[i].bytes = pins[g->id].bytes;
		}
	}
	if (mg && names) {
		s.gateways = mg;
		s.n_gateways = d->n_gws;
	}
	metrics_write(out, &s);
	free(names);
	free(mg);
}

/* "print /ip route" and friends: RouterOS-style listings (print.h). */
static int print_answer(struct daemon *d, const char *args, FILE *reply)
{
	struct print_gateway_state *st = calloc(d->n_gws + 1, sizeof(*st));
	struct print_context pc = {
		.cfg = d->cfg,
		.plan = d->plan,
		.states = st,
		.n_states = st ? d->n_gws : 0,
	};
	int err;

	for (size_t i = 0; st && i < d->n_gws; i++)
		st[i] = (struct print_gateway_state){
			.interface = d->gws[i].interface,
			.has_gateway = d->gws[i].has_gateway,
			.gateway = d->gws[i].gateway,
			.reachable = health_usable(&d->gws[i].health),
		};
	err = print_request(reply, args, &pc);
	free(st);
	return err ? 1 : 0;
}

static int on_request(void *ctx, const char *request, FILE *reply)
{
	struct daemon *d = ctx;

	if (!strcmp(request, "metrics")) {
		metrics_fill(d, reply);
		return 0;
	}
	if (!strncmp(request, "print", 5) &&
	    (request[5] == ' ' || request[5] == '\0'))
		return print_answer(d, request + 5, reply);

	if (!strcmp(request, "status")) {
		status_text(d, reply);
		return 0;
	}
	if (!strcmp(request, "status json")) {
		status_json(d, reply);
		return 0;
	}
	if (!strcmp(request, "reload")) {
		if (reload(d, reply) < 0)
			return 1;
		fprintf(reply, "reloaded %s\n", d->opt->config_path);
		return 0;
	}
	fprintf(reply,
		"unknown request \"%.64s\" (try status, status json, "
		"reload, metrics, print /ip route)\n",
		request);
	return 1;
}

/* ---- signals and the loop ---- */

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: reloading %s", d->opt->config_path);
			reload(d, stderr);
		} else {
			log_info("signal %u: stopping", si.ssi_signo);
			d->stopping = true;
		}
	}
}

static uint64_t next_deadline(struct daemon *d)
{
	uint64_t next = d->resync_at, t;

	for (size_t i = 0; i < d->n_gws; i++) {
		const struct gateway_state *g = &d->gws[i];

		t = g->probe ? probe_next_deadline(g->probe) :
			       g->probe_retry_ms;
		if (t && (!next || t < next))
			next = t;
	}
	t = d->ctl ? control_next_deadline(d->ctl) : 0;
	if (t && (!next || t < next))
		next = t;
	t = hooks_next_deadline(d->hooks);
	if (t && (!next || t < next))
		next = t;
	t = metrics_server_next_deadline(d->metrics);
	if (t && (!next || t < next))
		next = t;
	return next;
}

static void on_timers(struct daemon *d)
{
	uint64_t now = now_ms();

	for (size_t i = 0; i < d->n_gws; i++)
		if (d->gws[i].probe &&
		    probe_next_deadline(d->gws[i].probe) <= now)
			run_probe(d, &d->gws[i], now);
	if (d->ctl)
		control_tick(d->ctl, now);
	hooks_tick(d->hooks, now);
	metrics_server_tick(d->metrics, now);
	if (d->resync_at && d->resync_at <= now) {
		d->resync_at = 0;
		d->replan = true;
	}
	if (d->replan)
		replan(d);
	ensure_probes(d, now_ms());
}

static int setup_signals(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	return loop_add(d->loop, d->sigfd, EPOLLIN, on_signal, d);
}

/* Opens every kernel handle; 0 or -errno with the reason logged. */
static int open_handles(struct daemon *d)
{
	d->loop = loop_new();
	if (!d->loop)
		return -errno;
	d->nl = netlink_open(NETLINK_ROUTE, 0);
	if (!d->nl) {
		log_error("opening rtnetlink: %s", strerror(errno));
		return -errno;
	}
	d->mon = link_monitor_open();
	if (!d->mon) {
		log_error("opening the link monitor: %s", strerror(errno));
		return -errno;
	}
	d->fw = fw_open();
	if (!d->fw) {
		log_error("opening libnftables: %s", strerror(errno));
		return -errno;
	}
	if (loop_add(d->loop, link_monitor_fd(d->mon), EPOLLIN, on_link, d) < 0)
		return -EIO;
	return setup_signals(d);
}

static void close_handles(struct daemon *d)
{
	if (d->ctl)
		control_close(d->ctl);
	metrics_server_close(d->metrics);
	hooks_free(d->hooks);
	gateways_free(d, d->gws, d->n_gws);
	d->gws = NULL;
	d->n_gws = 0;
	if (d->mon)
		link_monitor_close(d->mon);
	if (d->fw)
		fw_close(d->fw);
	if (d->nl)
		netlink_close(d->nl);
	if (d->sigfd > 0)
		close(d->sigfd);
	loop_free(d->loop);
}

/* Adopts, plans and applies the config for the first time. */
static int start(struct daemon *d)
{
	struct plan_ids ids = { 0 };
	struct plan *first;
	int err;

	state_read(d);
	err = adopt_uplink_ids(d->nl, &ids);
	if (err)
		log_warn("reading the uplink ids of a previous run: %s",
			 strerror(-err));
	else if (ids.n_uplinks)
		log_info("adopting %zu uplink ids from the kernel",
			 ids.n_uplinks);
	/* Plan once to learn the uplinks, then again with their states. */
	first = plan_with(d->cfg, &ids, NULL, 0);
	plan_ids_clear(&ids);
	if (!first)
		return -errno;
	d->gws = gateways_for(d, first, now_ms());
	d->n_gws = first->n_uplinks;
	if (!d->gws) {
		plan_free(first);
		return -ENOMEM;
	}
	err = 0;
	d->plan = plan_with(d->cfg, &first->ids, d->gws, d->n_gws);
	plan_free(first);
	if (!d->plan)
		return -errno;
	err = apply(d, d->plan, true);
	if (err) {
		log_error("applying the plan failed: %s", strerror(-err));
		return err;
	}
	for (size_t i = 0; i < d->n_gws; i++)
		d->gws[i].usable = health_usable(&d->gws[i].health);
	d->applied_ms = now_ms();
	return 0;
}

int daemon_run(const struct daemon_options *opt)
{
	struct daemon d = { .opt = opt, .sigfd = -1 };
	int errors = 0, rc = 1, err;

	d.started_ms = now_ms();
	snprintf(d.state_path, sizeof(d.state_path), "%s.state",
		 opt->socket_path);
	d.cfg = config_load(opt->config_path, opt->maps, opt->n_maps,
			    opt->strict, stderr, &errors);
	if (!d.cfg)
		return 1;
	if (open_handles(&d) < 0)
		goto out;
	err = start(&d);
	if (err) {
		cleanup(&d);
		goto out;
	}
	d.ctl = control_open(d.loop, opt->socket_path, on_request, &d);
	if (!d.ctl) {
		log_error("opening the control socket %s: %s", opt->socket_path,
			  strerror(errno));
		cleanup(&d);
		goto out;
	}
	d.hooks = hooks_new(d.loop,
			    opt->hooks_dir ? opt->hooks_dir : HOOKS_DEFAULT_DIR,
			    opt->hook_timeout_ms);
	if (!d.hooks) {
		log_error("setting up hooks: %s", strerror(errno));
		cleanup(&d);
		goto out;
	}
	if (opt->metrics_listen) {
		d.metrics = metrics_server_open(d.loop, opt->metrics_listen,
						metrics_fill, &d);
		if (!d.metrics) {
			log_error("metrics listener on %s: %s",
				  opt->metrics_listen, strerror(errno));
			cleanup(&d);
			goto out;
		}
	}
	/* The first plan is applied and the socket answers: ready. */
	(void)notify_ready();
	log_info("running %s: %zu uplinks, control socket %s", opt->config_path,
		 d.n_gws, opt->socket_path);
	ensure_probes(&d, now_ms());
	while (!d.stopping) {
		err = loop_run_once(d.loop, next_deadline(&d));
		if (err) {
			log_error("event loop: %s", strerror(-err));
			break;
		}
		on_timers(&d);
	}
	cleanup(&d);
	log_info("stopped; everything ecmpd installed is removed");
	rc = 0;
out:
	close_handles(&d);
	plan_free(d.plan);
	config_free(d.cfg);
	free(d.added);
	free(d.saved);
	return rc;
}
