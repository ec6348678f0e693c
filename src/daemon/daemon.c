// SPDX-License-Identifier: MIT
/*
 * daemon.c - ecmpd's control plane, one thread around one event loop. This
 * file only orchestrates; the work is done by the modules it calls:
 *
 *   config (parser.h)   the config, loaded at start and on reload
 *   plan (plan.h)       config + uplink states -> desired kernel state
 *   apply (apply.h)     the plan to the kernel, rollback, removal at stop
 *   state (state.h)     what to undo at stop, surviving a SIGKILL
 *   adopt (adopt.h)     the uplink ids a previous run left in the kernel
 *   uplink (uplink.h)   one record per uplink: health, probe, link
 *   status (status.h)   snapshots for status, metrics and print
 *
 * Everything that happens - a probe outcome, a link event, a reload, a
 * signal - ends in the same step: build a new plan from the config and
 * the uplinks' states (one plan_build(), which asks the records whether
 * each uplink is usable), apply it as a difference, and, for every uplink
 * that stopped being usable, delete the connections pinned to it in one
 * conntrack request. A failed apply is rolled back by applying the
 * previous plan again and retried later; a bad config on reload leaves the
 * running one in force.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/log.h"
#include "config/config.h"
#include "config/parser.h"
#include "daemon/adopt.h"
#include "daemon/clients.h"
#include "daemon/apply.h"
#include "daemon/connected.h"
#include "daemon/control.h"
#include "daemon/flusher.h"
#include "daemon/boxload.h"
#include "daemon/daemon.h"
#include "daemon/internal.h"
#include "daemon/hooks.h"
#include "daemon/loop.h"
#include "daemon/metrics.h"
#include "daemon/netwatch.h"
#include "daemon/notify.h"
#include "daemon/print.h"
#include "daemon/role.h"
#include "daemon/state.h"
#include "daemon/status.h"
#include "daemon/uplink.h"
#include "health/probe.h"
#include "kernel/conntrack.h"
#include "kernel/fw.h"
#include "kernel/link.h"
#include "kernel/monitor.h"
#include "kernel/netlink.h"
#include "plan/plan.h"

#define LINK_EVENTS_MAX 64
#define RETRY_MS 1000
#define RESYNC_DELAY_MS 100
/* Probes due this close together are run in one wake-up. */
#define PROBE_SLACK_MS 5

/* ---- planning ---- */

static bool link_up_now(void *ctx, const char *ifname)
{
	struct daemon *d = ctx;
	bool exists = false, up = false;

	if (link_state(d->nl, ifname, &exists, &up) < 0)
		return false;
	return exists && up;
}

static bool plan_usable(void *ctx, const struct plan_uplink *u)
{
	struct daemon *d = ctx;

	/* Out of the balance until its old connections are gone: a new
	 * connection pinned to it meanwhile could be caught by the delete. */
	if (flusher_busy(d->flusher, u->id))
		return false;
	return uplink_usable(d->uplinks, d->n_uplinks, u, link_up_now, d);
}

static bool plan_target_usable(void *ctx, const struct plan_target *t)
{
	struct daemon *d = ctx;

	return uplink_target_usable(d->uplinks, d->n_uplinks, t, link_up_now,
				    d);
}

/* The plan for cfg with the uplinks' states now; NULL with errno. */
static struct plan *plan_now(struct daemon *d, const struct config *cfg,
			     const struct plan_ids *ids)
{
	struct plan_input in = {
		.ids = ids,
		.usable = plan_usable,
		.target_usable = plan_target_usable,
		.ctx = d,
		.netwatch_down = d->netwatches.n == cfg->n_netwatches ?
					 netwatches_down(&d->netwatches) :
					 NULL,
	};
	struct plan_connected *c =
		connected_now(d->nl, d->plan, &in.n_connected);
	struct plan *p;

	in.connected = c;
	p = plan_build(cfg, &in);
	free(c); /* keeps errno (glibc >= 2.33, POSIX.1-2024) */
	return p;
}

/* ---- failover ---- */

/* The end of a flush, on the worker or not: logs it and counts it. */
static void on_flushed(void *ctx, const struct flush_result *r)
{
	struct daemon *d = ctx;

	if (r->err) {
		log_error("%s: deleting its connections: %s", r->label,
			  strerror(-r->err));
		d->counters.kernel_errors++;
	} else {
		d->counters.flushed += r->count;
		status_counts_forget(); /* the next status counts anew */
		log_info("%s: flushed %u connections in %.1f ms", r->label,
			 r->count, (double)r->took_us / 1000.0);
	}
	/* Held out of the balance while flushing: it may return now. */
	if (!flusher_busy(d->flusher, r->id))
		d->replan = true;
}

/*
 * Deletes the connections pinned to uplink u: on the flusher's worker,
 * so a table of a million entries does not stop the loop's probes, or
 * here when there is no worker or its queue is full. Also a takeover's
 * (role.h), hence the ctx.
 */
void daemon_flush_uplink(void *ctx, const struct uplink *u)
{
	struct daemon *d = ctx;
	struct flush_result r = { .id = u->id };
	char gw[IPV4_STR_MAX];
	uint64_t t0 = now_us();

	snprintf(r.label, sizeof(r.label), "gateway %s (%s)",
		 uplink_gateway_text(u, gw), u->interface);
	if (d->flusher &&
	    flusher_submit(d->flusher, u->id, r.label, u->id << PLAN_PIN_SHIFT,
			   PLAN_PIN_MASK) == 0)
		return;
	r.err = conntrack_flush_mark(u->id << PLAN_PIN_SHIFT, PLAN_PIN_MASK,
				     &r.count);
	r.took_us = now_us() - t0;
	on_flushed(d, &r);
}

/* Tells the hooks about an uplink's change from old to its state now. */
static void uplink_hook(struct daemon *d, const struct uplink *u,
			enum health_state old)
{
	char gw[IPV4_STR_MAX];
	struct hook_event ev = {
		.kind = HOOK_EVENT_GATEWAY,
		.config = d->opt->config_path,
		.interface = u->interface,
		.gateway = uplink_gateway_text(u, gw),
		.old_state = health_state_name(old),
		.new_state = health_state_name(u->health.state),
		.rtt_ms = health_rtt_ms(&u->health),
		.loss_pct = health_loss_pct(&u->health),
	};
	int err = d->hooks ? hooks_run(d->hooks, &ev) : 0;

	if (err < 0)
		log_warn("hooks for gateway %s: %s", ev.gateway,
			 strerror(-err));
}

/*
 * Once the plan in force reflects the uplinks' states: logs each state
 * change with its evidence, tells the hooks, and flushes the connections
 * of every uplink that stopped being usable (their count is logged when
 * the flush ends).
 */
static void report_changes(struct daemon *d)
{
	char gw[IPV4_STR_MAX], why[160];
	unsigned healthy = uplinks_usable(d->uplinks, d->n_uplinks);

	for (size_t i = 0; i < d->n_uplinks; i++) {
		struct uplink *u = &d->uplinks[i];
		bool usable = health_usable(&u->health);
		bool flush = role_flush_now(&d->role, u->usable && !usable,
					    healthy, now_ms());

		u->usable = usable;
		if (u->changed) {
			u->changed = false;
			health_reason(&u->health, why, sizeof(why));
			log_info("gateway %s (%s): %s -> %s %s%s",
				 uplink_gateway_text(u, gw), u->interface,
				 health_state_name(u->reported),
				 health_state_name(u->health.state), why,
				 flush ? "; flushing its connections" : "");
			uplink_hook(d, u, u->reported);
			u->reported = u->health.state;
		}
		if (flush) {
			d->counters.failovers++;
			daemon_flush_uplink(d, u);
		}
	}
	/* A master that kept them for a handover that did not come. */
	if (role_release(&d->role, healthy, now_ms()))
		for (size_t i = 0; i < d->n_uplinks; i++)
			if (!d->uplinks[i].recursive && !d->uplinks[i].usable)
				daemon_flush_uplink(d, &d->uplinks[i]);
}

/* Uplinks that left the plan lose their connections. */
static void flush_departed(struct daemon *d, const struct uplink *next,
			   size_t n_next)
{
	for (size_t i = 0; i < d->n_uplinks; i++) {
		const struct uplink *old = &d->uplinks[i];
		char gw[IPV4_STR_MAX];

		/* A target leaving is no reason to flush its uplink. */
		if (old->recursive || !role_flushes(d->role.role) ||
		    uplink_find(next, n_next, old->interface, old->has_gateway,
				old->gateway))
			continue;
		log_info("gateway %s (%s) left the plan (config, or kernel "
			 "address); flushing its connections",
			 uplink_gateway_text(old, gw), old->interface);
		daemon_flush_uplink(d, old);
	}
}

/* Records next, for plan p, replace the running ones. */
static void take_records(struct daemon *d, const struct plan *p,
			 struct uplink *next)
{
	flush_departed(d, next, uplinks_count(p));
	uplinks_log_arrivals(d->uplinks, d->n_uplinks, next, uplinks_count(p));
	uplinks_release(d->uplinks, d->n_uplinks, next, uplinks_count(p),
			d->loop);
	d->uplinks = next;
	d->n_uplinks = uplinks_count(p);
}

/*
 * After an apply whose steps did not all succeed: counts and logs it (at
 * error level only when the set of failed steps changes, so a write that
 * keeps failing does not flood the log) and schedules a retry.
 */
static void apply_failed(struct daemon *d, unsigned was_failing)
{
	d->counters.kernel_errors++;
	if (d->apply.failed != was_failing)
		log_error("kernel write failed (%s); the rest of the plan is "
			  "in force; retrying every %d ms",
			  d->apply.error, RETRY_MS);
	else
		log_debug("kernel write still failing (%s)", d->apply.error);
	/* Retried by the resync timer, not at every wake-up. */
	d->resync_at = now_ms() + RETRY_MS;
}

/*
 * Builds and applies the plan for the current config and uplink states.
 * The new plan is committed even when a step fails: what the kernel took
 * is in force (a dead gateway is out of the balance, its connections get
 * flushed), and the failed steps are retried. Rolling back instead would
 * put a dead gateway back because of, say, a sysctl another program holds.
 */
static int replan(struct daemon *d)
{
	unsigned was_failing = d->apply.failed;
	struct uplink *next = NULL;
	struct plan *p;
	int err;

	d->replan = false;
	p = plan_now(d, d->cfg, d->plan ? &d->plan->ids : NULL);
	/* Gateways come and go with the kernel's addresses: new records. */
	if (p && !uplinks_match(p, d->uplinks, d->n_uplinks)) {
		next = uplinks_for(p, d->uplinks, d->n_uplinks, link_up_now, d,
				   now_ms());
		if (!next) {
			plan_free(p);
			p = NULL;
		}
	}
	if (!p) {
		err = -errno;
		log_error("building the plan: %s", strerror(-err));
		d->resync_at = now_ms() + RETRY_MS;
		return err;
	}
	err = apply_plan(&d->apply, p, d->plan, false);
	if (err)
		apply_failed(d, was_failing);
	else if (was_failing)
		log_info("kernel writes succeed again; the plan is in force");
	if (next)
		take_records(d, p, next);
	plan_free(d->plan);
	d->plan = p;
	d->applied_ms = now_ms();
	report_changes(d);
	return err;
}

/* ---- probes and link events ---- */

static void on_probe(void *ctx, int fd, uint32_t events);

static void open_probes(struct daemon *d, uint64_t now)
{
	for (size_t i = 0; i < d->n_uplinks; i++)
		uplink_probe_open(&d->uplinks[i], &d->cfg->probe, d->loop,
				  on_probe, d, now, RETRY_MS);
}

static void run_probe(struct daemon *d, struct uplink *u, uint64_t now)
{
	struct health_params hp = uplink_health_params(&d->cfg->probe);
	unsigned changes = uplink_probe_run(u, &hp, now);

	if (!changes)
		return;
	d->counters.state_changes += changes;
	if (health_usable(&u->health) != u->usable)
		d->replan = true;
	else
		report_changes(d);
}

static void on_probe(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	uint64_t now = now_ms();

	for (size_t i = 0; i < d->n_uplinks; i++) {
		struct uplink *u = &d->uplinks[i];

		if (u->probe && probe_fd(u->probe) == fd) {
			probe_events(u->probe, events);
			run_probe(d, u, now);
		}
	}
	d->replan |= netwatches_run(&d->netwatches, fd, events, now);
}

/* After a monitor overrun: every uplink's link state, read again. */
static int reread_links(struct daemon *d, struct link_event *ev, size_t max)
{
	size_t n = 0;

	log_warn("netlink monitor overrun; re-reading kernel state");
	for (size_t i = 0; i < d->n_uplinks && n < max; i++) {
		struct link_event *e = &ev[n];
		bool exists = false, up = false;

		if (link_state(d->nl, d->uplinks[i].interface, &exists, &up) <
		    0)
			continue;
		memset(e, 0, sizeof(*e));
		snprintf(e->ifname, sizeof(e->ifname), "%s",
			 d->uplinks[i].interface);
		e->exists = exists;
		e->up = exists && up;
		n++;
	}
	return (int)n;
}

/* A link came or went: the uplinks on it follow at once. */
static void link_changed(struct daemon *d, const struct link_event *e,
			 uint64_t now)
{
	bool up = e->exists && e->up;
	struct health_params hp = uplink_health_params(&d->cfg->probe);

	for (size_t j = 0; j < d->n_uplinks; j++) {
		struct uplink *u = &d->uplinks[j];

		if (strcmp(u->interface, e->ifname))
			continue;
		/* A re-created interface needs a new socket. */
		if (!up)
			uplink_probe_close(u, d->loop);
		if (up == u->link_up)
			continue;
		u->link_up = up;
		u->probe_retry_ms = 0;
		if (health_link(&u->health, &hp, up, u->check != CHECK_NONE,
				now)) {
			u->changed = true;
			d->counters.state_changes++;
		}
		/* Link up: the kernel dropped our routes silently. */
		d->replan = true;
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
		n = reread_links(d, ev, LINK_EVENTS_MAX);
		changed = true;
	}
	for (int i = 0; i < n; i++)
		link_changed(d, &ev[i], now);
	if (link_monitor_address_changed(d->mon) || overrun)
		d->replan = true; /* new plan input: before any probe runs */
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
	struct uplink *next;
	struct plan *p;
	bool probes_changed;
	unsigned was_failing;
	size_t n_before;
	int errors, err;

	cfg = boxload_config(d->opt, diag, &errors);
	if (!cfg) {
		d->counters.reloads_failed++;
		log_error("reload: %s has %d error(s); the running config "
			  "stays in force",
			  d->opt->config_path, errors);
		return -EINVAL;
	}
	p = plan_now(d, cfg, &d->plan->ids);
	if (!p) {
		err = -errno;
		goto out_cfg;
	}
	next = uplinks_for(p, d->uplinks, d->n_uplinks, link_up_now, d,
			   now_ms());
	if (!next) {
		err = -ENOMEM;
		goto out_plan;
	}
	n_before = d->state.n_added;
	was_failing = d->apply.failed;
	err = apply_plan(&d->apply, p, d->plan, false);
	if (err && (d->apply.failed & APPLY_PLAN_STEPS)) {
		/* The new config's own objects were refused: keep the old. */
		d->counters.kernel_errors++;
		fprintf(diag, "the kernel refused the new plan: %s\n",
			d->apply.error);
		apply_rollback(&d->apply, d->plan, n_before);
		/* Records not committed own nothing of their own yet. */
		free(next);
		goto out_plan;
	}
	/* Only a sysctl failed: the plan is in force, the write retried. */
	if (err)
		apply_failed(d, was_failing);
	take_records(d, p, next);
	probes_changed =
		memcmp(&cfg->probe, &d->cfg->probe, sizeof(cfg->probe)) != 0;
	for (size_t i = 0; i < d->n_uplinks; i++)
		if (probes_changed ||
		    d->uplinks[i].probe_kind != d->uplinks[i].check)
			uplink_probe_close(&d->uplinks[i], d->loop);
	config_free(d->cfg);
	d->cfg = cfg;
	clients_sync(d->clients, cfg, now_ms());
	if (netwatches_reset(&d->netwatches, cfg, d->loop, now_ms()) < 0)
		log_error("netwatch records: %s", strerror(ENOMEM));
	d->replan = true; /* from the netwatches' flags for the new config */
	plan_free(d->plan);
	d->plan = p;
	d->applied_ms = now_ms();
	d->counters.reloads_ok++;
	role_set_config(&d->role, cfg);
	report_changes(d);
	log_info("reloaded %s: %zu uplinks", d->opt->config_path,
		 d->plan->n_uplinks);
	return 0;

out_plan:
	plan_free(p);
out_cfg:
	config_free(cfg);
	d->counters.reloads_failed++;
	return err;
}

/* Reloads, then tells the hooks how it went. */
int daemon_reload(struct daemon *d, FILE *diag)
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

/* ---- signals and the loop ---- */

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: reloading %s", d->opt->config_path);
			daemon_reload(d, stderr);
		} else {
			log_info("signal %u: stopping", si.ssi_signo);
			d->stopping = true;
		}
	}
}

static void earliest(uint64_t *next, uint64_t t)
{
	if (t && (!*next || t < *next))
		*next = t;
}

static uint64_t next_deadline(struct daemon *d)
{
	uint64_t next = d->resync_at;

	earliest(&next, uplinks_probe_wakeup(d->uplinks, d->n_uplinks,
					     PROBE_SLACK_MS));
	earliest(&next, netwatches_deadline(&d->netwatches));
	earliest(&next, d->ctl ? control_next_deadline(d->ctl) : 0);
	earliest(&next, hooks_next_deadline(d->hooks));
	earliest(&next, clients_next_deadline(d->clients));
	earliest(&next, metrics_server_next_deadline(d->metrics));
	earliest(&next, role_next_deadline(&d->role));
	return next;
}

static void on_timers(struct daemon *d)
{
	uint64_t now = now_ms();

	if (d->replan)
		replan(d);
	for (size_t i = 0; i < d->n_uplinks; i++)
		if (d->uplinks[i].probe &&
		    probe_next_deadline(d->uplinks[i].probe) <= now)
			run_probe(d, &d->uplinks[i], now);
	if (uplinks_holddown_tick(d->uplinks, d->n_uplinks, now)) {
		d->counters.state_changes++;
		d->replan = true;
	}
	d->replan |= netwatches_run(&d->netwatches, -1, 0, now);
	if (d->ctl)
		control_tick(d->ctl, now);
	hooks_tick(d->hooks, now);
	clients_tick(d->clients, now);
	metrics_server_tick(d->metrics, now);
	if (d->resync_at && d->resync_at <= now) {
		d->resync_at = 0;
		d->replan = true;
	}
	if (d->replan)
		replan(d);
	else if (role_next_deadline(&d->role) &&
		 role_next_deadline(&d->role) <= now)
		report_changes(d); /* a master's withheld flushes (role.h) */
	open_probes(d, now_ms());
	netwatches_follow(&d->netwatches, d->cfg, d->plan, d->loop, on_probe, d,
			  d->hooks, d->opt->config_path, now_ms());
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
	d->flusher = flusher_new(d->loop, conntrack_flush_mark, on_flushed, d);
	if (!d->flusher)
		log_warn("no flush worker (%s): connections are flushed on "
			 "the event loop",
			 strerror(errno));
	d->fw = fw_open();
	if (!d->fw) {
		log_error("opening libnftables: %s", strerror(errno));
		return -errno;
	}
	d->apply = (struct applier){
		.nl = d->nl,
		.fw = d->fw,
		.state = &d->state,
	};
	if (loop_add(d->loop, link_monitor_fd(d->mon), EPOLLIN, on_link, d) < 0)
		return -EIO;
	return setup_signals(d);
}

static void close_handles(struct daemon *d)
{
	if (d->ctl)
		control_close(d->ctl);
	metrics_server_close(d->metrics);
	clients_free(d->clients); /* before the hooks' reaper */
	hooks_free(d->hooks);
	flusher_free(d->flusher);
	for (size_t i = 0; i < d->n_uplinks; i++)
		uplink_probe_close(&d->uplinks[i], d->loop);
	free(d->uplinks);
	d->uplinks = NULL;
	d->n_uplinks = 0;
	netwatches_free(&d->netwatches, d->loop);
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

/*
 * Adopts what a previous run left, then plans and applies once. Sets
 * d->adopted when the kernel or the state file held a previous run's
 * state (or when that cannot be told): a start that fails then leaves it
 * in place, working, rather than removing what this process did not
 * install.
 */
static int start(struct daemon *d)
{
	struct plan_ids ids = { 0 };
	int err;

	err = adopt_uplink_ids(d->nl, &ids);
	if (err)
		log_warn("reading the uplink ids of a previous run: %s",
			 strerror(-err));
	else if (ids.n_uplinks)
		log_info("adopting %zu uplink ids from the kernel",
			 ids.n_uplinks);
	d->adopted = err || ids.n_uplinks || fw_present(d->fw);
	if (netwatches_reset(&d->netwatches, d->cfg, d->loop, now_ms()) < 0)
		return -ENOMEM;
	d->plan = plan_now(d, d->cfg, &ids);
	plan_ids_clear(&ids);
	if (!d->plan)
		return -errno;
	/* The plan's sysctls are the only keys the file may name. */
	state_read(&d->state, d->plan->sysctls, d->plan->n_sysctls);
	d->adopted = d->adopted || d->state.n_added || d->state.n_saved;
	d->uplinks = uplinks_for(d->plan, NULL, 0, link_up_now, d, now_ms());
	if (!d->uplinks)
		return -ENOMEM;
	d->n_uplinks = uplinks_count(d->plan);
	d->touched = true;
	err = apply_plan(&d->apply, d->plan, NULL, true);
	if (err && (d->apply.failed & APPLY_PLAN_STEPS)) {
		log_error("applying the plan failed: %s", d->apply.error);
		return err;
	}
	/* Only a sysctl was refused: run, and keep trying to set it. */
	if (err)
		apply_failed(d, 0);
	d->applied_ms = now_ms();
	return 0;
}

/*
 * The control socket, hooks and metrics listener, opened before anything
 * is read from or written to the kernel: a start that cannot have them
 * fails without having touched the router. 0 or -1 (logged).
 */
/* After a failed start: undo what this process did, and only that. */
static void start_failed(struct daemon *d)
{
	if (!d->touched)
		return; /* it failed before it wrote anything */
	if (d->adopted) {
		log_error("the start failed; the state of the previous run "
			  "stays in force, as it was adopted");
		return;
	}
	apply_remove_all(&d->apply);
}

int daemon_run(const struct daemon_options *opt)
{
	struct daemon d = { .opt = opt, .sigfd = -1 };
	int errors = 0, rc = 1, err;

	d.started_ms = now_ms();
	state_init(&d.state, opt->socket_path);
	d.cfg = boxload_config(opt, stderr, &errors);
	if (!d.cfg)
		return 1;
	if (clients_check(&opt->clients, d.cfg, opt->config_path, stderr)) {
		config_free(d.cfg);
		return 1;
	}
	role_init(&d.role, opt->ha, opt->on_master, opt->on_backup,
		  d.started_ms);
	role_set_config(&d.role, d.cfg);
	/* The lock and the sockets first; then the state and the kernel. */
	if (daemon_lock_instance(&d) || open_handles(&d) < 0 ||
	    daemon_open_services(&d))
		goto out;
	if (start(&d)) {
		start_failed(&d);
		goto out;
	}
	/* The clients set addresses ecmpd then follows (clients.h). */
	d.clients = clients_new(d.loop, &opt->clients, DAEMON_RUNTIME_DIR);
	if (!d.clients)
		log_error("no DHCP clients are started: %s", strerror(errno));
	else
		clients_sync(d.clients, d.cfg, now_ms());
	/* The first plan is applied and the socket answers: ready. */
	(void)notify_ready();
	log_info("running %s: %zu uplinks, control socket %s", opt->config_path,
		 d.n_uplinks, opt->socket_path);
	open_probes(&d, now_ms());
	while (!d.stopping) {
		err = loop_run_once(d.loop, next_deadline(&d));
		if (err) {
			log_error("event loop: %s", strerror(-err));
			break;
		}
		on_timers(&d);
		d.counters.loop_busy_max_ms = loop_busy_max_ms(d.loop);
	}
	apply_remove_all(&d.apply);
	log_info("stopped; everything ecmpd installed is removed");
	rc = 0;
out:
	close_handles(&d);
	plan_free(d.plan);
	config_free(d.cfg);
	state_free(&d.state);
	return rc;
}
