// SPDX-License-Identifier: MIT
/*
 * netwatch.c - the daemon's /tool netwatch records (netwatch.h).
 *
 * Each enabled netwatch pings its host with the signed ICMP probe of the
 * gateway checks (health/probe.h), through the uplink the plan in force
 * routes the host through (plan_netwatch_uplink()): bound to its
 * interface, its pin in SO_MARK, so the ping takes that uplink whatever
 * the main table says meanwhile. type=simple sends one ping per interval
 * and judges it alone; type=icmp spreads packet-count pings over the
 * interval and judges the last packet-count of them after each one (a
 * sliding test, docs/config.md "/tool netwatch"); type=tcp-conn connects
 * to the port once per interval from a socket bound and marked the same
 * way (health/tcpconn.h), judged alone. A host with no uplink
 * (no route in force reaches it) is not probed and keeps its state.
 *
 * The host's state is health/watch.c's; the routes the netwatch's
 * scripts name follow it through the next plan, whose application this
 * module then reports (log, hooks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>

#include "base/ipv4.h"
#include "base/json.h"
#include "base/log.h"
#include "daemon/hooks.h"
#include "daemon/loop.h"
#include "daemon/netwatch.h"
#include "health/probe.h"
#include "health/tcpconn.h"
#include "plan/plan.h"

#define OUTCOMES_MAX 64
#define RETRY_MS 1000
#define PROBE_INTERVAL_MIN_MS 10

static void params_of(const struct netwatch *nw, struct netwatch_record *r)
{
	struct watch_params *p = &r->params;

	memset(p, 0, sizeof(*p));
	r->timeout_ms = nw->timeout_ms;
	r->probe_interval_ms = nw->interval_ms;
	p->holddown_ms = nw->interval_ms;
	p->flap_window_ms = 10ull * nw->interval_ms;
	r->tcp = nw->type == NETWATCH_TCP_CONN;
	r->port = (uint16_t)(nw->has_port ? nw->port : NETWATCH_TCP_PORT);
	if (nw->type != NETWATCH_ICMP) {
		p->window = 1;
		p->loss_count = 1;
		return;
	}
	p->window = nw->packet_count;
	p->loss_count = nw->has_thr_loss_count ? nw->thr_loss_count : 0;
	p->loss_permille = nw->thr_loss_permille;
	p->rtt_max_us = nw->thr_rtt_max_ms * 1000;
	p->rtt_avg_us = nw->thr_rtt_avg_ms * 1000;
	p->jitter_us = nw->thr_rtt_jitter_ms * 1000;
	r->probe_interval_ms = nw->interval_ms / nw->packet_count;
	if (r->probe_interval_ms < PROBE_INTERVAL_MIN_MS)
		r->probe_interval_ms = PROBE_INTERVAL_MIN_MS;
	/* The probe keeps at most PROBE_WINDOW requests pending. */
	if (r->timeout_ms > r->probe_interval_ms * (PROBE_WINDOW / 2))
		r->timeout_ms = r->probe_interval_ms * (PROBE_WINDOW / 2);
}

static void close_probe(struct netwatch_record *r, struct loop *loop)
{
	if (r->tcp_fd >= 0)
		loop_del(loop, r->tcp_fd);
	r->tcp_fd = -1;
	tcp_probe_free(r->tcp_probe);
	r->tcp_probe = NULL;
	if (!r->probe)
		return;
	loop_del(loop, probe_fd(r->probe));
	probe_free(r->probe);
	r->probe = NULL;
}

void netwatches_free(struct netwatches *ws, struct loop *loop)
{
	for (size_t i = 0; i < ws->n; i++)
		close_probe(&ws->v[i], loop);
	free(ws->v);
	free(ws->down);
	memset(ws, 0, sizeof(*ws));
}

int netwatches_reset(struct netwatches *ws, const struct config *cfg,
		     struct loop *loop, uint64_t now_ms)
{
	struct netwatches next = {
		.n = cfg->n_netwatches,
		.loop = ws->loop,
		.fn = ws->fn,
		.ctx = ws->ctx,
	};

	if (next.n) {
		next.v = calloc(next.n, sizeof(*next.v));
		next.down = calloc(next.n, sizeof(*next.down));
		if (!next.v || !next.down) {
			free(next.v);
			free(next.down);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < next.n; i++) {
		const struct netwatch *nw = &cfg->netwatches[i];
		struct netwatch_record *r = &next.v[i];

		r->host = nw->host;
		r->enabled = entry_enabled(&nw->c);
		params_of(nw, r);
		watch_init(&r->watch, now_ms);
		r->reported = HEALTH_UNKNOWN;
		r->tcp_fd = -1;
		/* The same host judged the same way keeps its evidence. */
		for (size_t j = 0; j < ws->n; j++) {
			const struct netwatch_record *o = &ws->v[j];

			if (o->host != r->host || o->enabled != r->enabled ||
			    memcmp(&o->params, &r->params, sizeof(o->params)) ||
			    o->probe_interval_ms != r->probe_interval_ms ||
			    o->tcp != r->tcp || o->port != r->port ||
			    o->timeout_ms != r->timeout_ms)
				continue;
			r->watch = o->watch;
			r->reported = o->reported;
			next.down[i] = ws->down[j];
			break;
		}
	}
	netwatches_free(ws, loop);
	*ws = next;
	return 0;
}

static void open_probe(struct netwatch_record *r, struct loop *loop,
		       void (*fn)(void *, int, uint32_t), void *ctx,
		       uint64_t now_ms)
{
	struct probe_config pc = { 0 };
	char a[IPV4_STR_MAX];
	uint64_t seed = 0;

	if (r->probe || r->tcp_probe || !r->enabled || !r->uplink ||
	    now_ms < r->retry_ms)
		return;
	if (r->tcp) {
		struct tcp_probe_config tc = {
			.mark = r->uplink << PLAN_PIN_SHIFT,
			.host = r->host,
			.port = r->port,
			.interval_ms = r->probe_interval_ms,
			.timeout_ms = r->timeout_ms,
			.seed = now_us() ^ r->host,
		};

		snprintf(tc.ifname, sizeof(tc.ifname), "%s", r->interface);
		r->tcp_probe = tcp_probe_new(&tc);
		if (!r->tcp_probe)
			r->retry_ms = now_ms + RETRY_MS;
		return;
	}
	snprintf(pc.ifname, sizeof(pc.ifname), "%s", r->interface);
	pc.mark = r->uplink << PLAN_PIN_SHIFT;
	pc.gateway = r->host;
	pc.kind = CHECK_PING;
	pc.interval_ms = r->probe_interval_ms;
	pc.timeout_ms = r->timeout_ms;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = now_us();
	pc.seed = seed ^ r->host;
	r->probe = probe_new(&pc);
	if (!r->probe) {
		log_warn("cannot probe netwatch host %s through %s: %s; "
			 "retrying",
			 ipv4_str(r->host, a), r->interface, strerror(errno));
		r->retry_ms = now_ms + RETRY_MS;
		return;
	}
	if (loop_add(loop, probe_fd(r->probe), EPOLLIN, fn, ctx) < 0) {
		probe_free(r->probe);
		r->probe = NULL;
		r->retry_ms = now_ms + RETRY_MS;
	}
}

static void report(struct netwatch_record *r, struct hooks *hooks,
		   const char *config_path)
{
	char a[IPV4_STR_MAX];
	struct hook_event ev = {
		.kind = HOOK_EVENT_NETWATCH,
		.config = config_path,
		.interface = r->interface,
		.gateway = ipv4_str(r->host, a),
		.old_state = health_state_name(r->reported),
		.new_state = health_state_name(r->watch.state),
		.rtt_ms = watch_rtt_ms(&r->watch),
		.loss_pct = watch_loss_pct(&r->watch),
		.reason = r->watch.reason,
	};
	int err;

	log_info("netwatch %s (through %s): %s -> %s: %s", ev.gateway,
		 r->interface[0] ? r->interface : "no uplink", ev.old_state,
		 ev.new_state, r->watch.reason);
	err = hooks ? hooks_run(hooks, &ev) : 0;
	if (err < 0)
		log_warn("hooks for netwatch %s: %s", ev.gateway,
			 strerror(-err));
	r->reported = r->watch.state;
}

void netwatches_follow(struct netwatches *ws, const struct config *cfg,
		       const struct plan *p, struct loop *loop,
		       void (*fn)(void *, int, uint32_t), void *ctx,
		       struct hooks *hooks, const char *config_path,
		       uint64_t now_ms)
{
	ws->loop = loop;
	ws->fn = fn;
	ws->ctx = ctx;
	for (size_t i = 0; i < ws->n && i < cfg->n_netwatches; i++) {
		struct netwatch_record *r = &ws->v[i];
		const struct plan_uplink *u =
			p ? plan_netwatch_uplink(cfg, p, &cfg->netwatches[i]) :
			    NULL;
		unsigned id = u ? u->id : 0;

		if (id != r->uplink ||
		    (u && strcmp(u->interface, r->interface))) {
			close_probe(r, loop);
			r->uplink = id;
			snprintf(r->interface, sizeof(r->interface), "%s",
				 u ? u->interface : "");
			r->retry_ms = 0;
		}
		open_probe(r, loop, fn, ctx, now_ms);
		if (r->reported != r->watch.state)
			report(r, hooks, config_path);
	}
}

/* Feeds r's outcomes; true when the down flag the plan reads changed. */
static bool run_one(struct netwatches *ws, size_t i, uint64_t now_ms)
{
	struct netwatch_record *r = &ws->v[i];
	struct probe_outcome out[OUTCOMES_MAX];
	size_t n;

	if (r->tcp_probe) {
		n = tcp_probe_run(r->tcp_probe, now_ms, out, OUTCOMES_MAX);
		for (size_t k = 0; k < n; k++)
			watch_feed(&r->watch, &r->params, out[k].replied,
				   out[k].rtt_us, now_ms);
		/* each attempt has its own socket: watch the new one */
		if (tcp_probe_generation(r->tcp_probe) != r->tcp_generation) {
			if (r->tcp_fd >= 0)
				loop_del(ws->loop, r->tcp_fd);
			r->tcp_fd = tcp_probe_fd(r->tcp_probe);
			r->tcp_generation = tcp_probe_generation(r->tcp_probe);
			if (r->tcp_fd >= 0 &&
			    loop_add(ws->loop, r->tcp_fd, EPOLLOUT, ws->fn,
				     ws->ctx) < 0)
				r->tcp_fd = -1; /* judged at its deadline */
		}
	}

	if (r->probe) {
		do {
			n = probe_run(r->probe, now_ms, out, OUTCOMES_MAX);
			for (size_t k = 0; k < n; k++)
				watch_feed(&r->watch, &r->params,
					   out[k].replied, out[k].rtt_us,
					   now_ms);
		} while (n == OUTCOMES_MAX);
	}
	watch_tick(&r->watch, &r->params, now_ms);
	if (ws->down[i] == (r->watch.state == HEALTH_DOWN))
		return false;
	ws->down[i] = r->watch.state == HEALTH_DOWN;
	return true;
}

bool netwatches_run(struct netwatches *ws, int fd, uint32_t events,
		    uint64_t now_ms)
{
	bool changed = false;

	for (size_t i = 0; i < ws->n; i++) {
		struct netwatch_record *r = &ws->v[i];
		uint64_t due;

		if (fd >= 0 && r->tcp_probe) {
			if (r->tcp_fd != fd)
				continue;
		} else if (fd >= 0) {
			if (!r->probe || probe_fd(r->probe) != fd)
				continue;
			probe_events(r->probe, events);
		} else {
			due = watch_deadline(&r->watch, &r->params);
			if (!(r->probe &&
			      probe_next_deadline(r->probe) <= now_ms) &&
			    !(r->tcp_probe &&
			      tcp_probe_next_deadline(r->tcp_probe) <=
				      now_ms) &&
			    !(due && due <= now_ms))
				continue;
		}
		changed |= run_one(ws, i, now_ms);
	}
	return changed;
}

static void earliest(uint64_t *next, uint64_t t)
{
	if (t && (!*next || t < *next))
		*next = t;
}

uint64_t netwatches_deadline(const struct netwatches *ws)
{
	uint64_t next = 0;

	for (size_t i = 0; i < ws->n; i++) {
		const struct netwatch_record *r = &ws->v[i];

		earliest(&next,
			 r->probe     ? probe_next_deadline(r->probe) :
			 r->tcp_probe ? tcp_probe_next_deadline(r->tcp_probe) :
					r->retry_ms);
		earliest(&next, watch_deadline(&r->watch, &r->params));
	}
	return next;
}

const bool *netwatches_down(const struct netwatches *ws)
{
	return ws->n ? ws->down : NULL;
}

void netwatches_status(FILE *out, const struct netwatches *ws)
{
	char a[IPV4_STR_MAX];

	for (size_t i = 0; i < ws->n; i++) {
		const struct netwatch_record *r = &ws->v[i];

		if (!r->enabled)
			continue;
		fprintf(out,
			"netwatch %s via %s: %s, loss %.1f%%, rtt %.3f ms, "
			"jitter %.3f ms, hold-down %llu ms, failures %u: %s\n",
			ipv4_str(r->host, a),
			r->interface[0] ? r->interface : "(no uplink)",
			watch_state_name(&r->watch), watch_loss_pct(&r->watch),
			watch_rtt_ms(&r->watch), watch_jitter_ms(&r->watch),
			(unsigned long long)watch_holddown_ms(&r->watch,
							      &r->params),
			r->watch.failures, r->watch.reason);
	}
}

/* The hold-down r still has to pass at now_ms (0: not down). */
static uint64_t holddown_left_ms(const struct netwatch_record *r,
				 uint64_t now_ms)
{
	uint64_t due = watch_deadline(&r->watch, &r->params);

	if (r->watch.state != HEALTH_DOWN)
		return 0;
	if (!due)
		return watch_holddown_ms(&r->watch, &r->params);
	return due > now_ms ? due - now_ms : 0;
}

void netwatches_json(FILE *out, const struct netwatches *ws, uint64_t now_ms)
{
	char a[IPV4_STR_MAX];
	bool first = true;

	fputc('[', out);
	for (size_t i = 0; i < ws->n; i++) {
		const struct netwatch_record *r = &ws->v[i];

		if (!r->enabled)
			continue;
		fprintf(out,
			"%s{\"host\":\"%s\",\"interface\":", first ? "" : ",",
			ipv4_str(r->host, a));
		first = false;
		json_string(out, r->interface);
		fprintf(out,
			",\"state\":\"%s\",\"loss_pct\":%.1f,"
			"\"rtt_ms\":%.3f,\"jitter_ms\":%.3f,"
			"\"holddown_s\":%.3f,\"holddown_left_s\":%.3f,"
			"\"failures\":%u,\"reason\":",
			watch_state_name(&r->watch), watch_loss_pct(&r->watch),
			watch_rtt_ms(&r->watch), watch_jitter_ms(&r->watch),
			watch_holddown_ms(&r->watch, &r->params) / 1000.0,
			holddown_left_ms(r, now_ms) / 1000.0,
			r->watch.failures);
		json_string(out, r->watch.reason);
		fputc('}', out);
	}
	fputc(']', out);
}

void netwatches_metrics(FILE *out, const struct netwatches *ws)
{
	char a[IPV4_STR_MAX];

	if (!ws->n)
		return;
	fputs("# HELP ecmpd_netwatch_up Whether a /tool netwatch host is up "
	      "(1), down (0) or not tested yet (-1).\n"
	      "# TYPE ecmpd_netwatch_up gauge\n",
	      out);
	for (size_t i = 0; i < ws->n; i++) {
		const struct netwatch_record *r = &ws->v[i];

		if (r->enabled)
			fprintf(out, "ecmpd_netwatch_up{host=\"%s\"} %d\n",
				ipv4_str(r->host, a),
				r->watch.state == HEALTH_UP   ? 1 :
				r->watch.state == HEALTH_DOWN ? 0 :
								-1);
	}
	fputs("# HELP ecmpd_netwatch_holddown_seconds The hold-down a "
	      "recovered netwatch host must pass.\n"
	      "# TYPE ecmpd_netwatch_holddown_seconds gauge\n",
	      out);
	for (size_t i = 0; i < ws->n; i++) {
		const struct netwatch_record *r = &ws->v[i];

		if (r->enabled)
			fprintf(out,
				"ecmpd_netwatch_holddown_seconds{host=\"%s\"} "
				"%.3f\n",
				ipv4_str(r->host, a),
				watch_holddown_ms(&r->watch, &r->params) /
					1000.0);
	}
	fputs("# HELP ecmpd_netwatch_failures_total Times a netwatch host "
	      "went down.\n"
	      "# TYPE ecmpd_netwatch_failures_total counter\n",
	      out);
	for (size_t i = 0; i < ws->n; i++) {
		const struct netwatch_record *r = &ws->v[i];

		if (r->enabled)
			fprintf(out,
				"ecmpd_netwatch_failures_total{host=\"%s\"} "
				"%u\n",
				ipv4_str(r->host, a), r->watch.failures);
	}
}
