// SPDX-License-Identifier: MIT
/*
 * uplink.c - the daemon's per-uplink records. A record carries the
 * evidence about one uplink (its health state machine, fed by its probe
 * and by link events) across plans: it is matched to the next plan's
 * uplinks by interface and gateway, and started afresh only when the
 * uplink is new or its check changed, because evidence about another kind
 * of probe says nothing about this one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>

#include "base/log.h"
#include "daemon/loop.h"
#include "daemon/uplink.h"
#include "health/probe.h"
#include "plan/plan.h"

#define OUTCOMES_MAX 64

const char *uplink_gateway_text(const struct uplink *u, char buf[IPV4_STR_MAX])
{
	if (!u->has_gateway)
		return u->interface;
	return ipv4_str(u->gateway, buf);
}

struct uplink *uplink_find(const struct uplink *v, size_t n,
			   const char *interface, bool has_gateway,
			   uint32_t gateway)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].interface, interface) &&
		    v[i].has_gateway == has_gateway &&
		    (!has_gateway || v[i].gateway == gateway))
			return (struct uplink *)&v[i];
	return NULL;
}

bool uplink_usable(const struct uplink *v, size_t n,
		   const struct plan_uplink *u, uplink_link_fn link_up,
		   void *ctx)
{
	const struct uplink *r =
		uplink_find(v, n, u->interface, u->has_gateway, u->gateway);

	if (r && r->check == u->check)
		return health_usable(&r->health);
	return link_up(ctx, u->interface);
}

struct uplink *uplinks_for(const struct plan *p, const struct uplink *old,
			   size_t n_old, uplink_link_fn link_up, void *ctx,
			   uint64_t now_ms)
{
	struct uplink *v = calloc(p->n_uplinks + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < p->n_uplinks; i++) {
		const struct plan_uplink *u = &p->uplinks[i];
		struct uplink *r = &v[i];
		const struct uplink *o = uplink_find(
			old, n_old, u->interface, u->has_gateway, u->gateway);

		if (o)
			*r = *o;
		if (!o || o->check != u->check) {
			health_init(&r->health, now_ms);
			r->link_up = link_up(ctx, u->interface);
			if (!r->link_up)
				health_link(&r->health, false,
					    u->check != CHECK_NONE, now_ms);
			else if (u->check == CHECK_NONE)
				health_link(&r->health, true, false, now_ms);
			r->usable = health_usable(&r->health);
			r->reported = r->health.state;
		}
		r->id = u->id;
		snprintf(r->interface, sizeof(r->interface), "%s",
			 u->interface);
		r->has_gateway = u->has_gateway;
		r->gateway = u->gateway;
		r->check = u->check;
	}
	return v;
}

void uplinks_release(struct uplink *old, size_t n_old,
		     const struct uplink *next, size_t n_next,
		     struct loop *loop)
{
	for (size_t i = 0; i < n_old; i++) {
		struct uplink *o = &old[i];

		if (o->probe && !uplink_find(next, n_next, o->interface,
					     o->has_gateway, o->gateway))
			uplink_probe_close(o, loop);
	}
	free(old);
}

void uplink_probe_close(struct uplink *u, struct loop *loop)
{
	if (!u->probe)
		return;
	loop_del(loop, probe_fd(u->probe));
	probe_free(u->probe);
	u->probe = NULL;
}

void uplink_probe_open(struct uplink *u, const struct probe_settings *ps,
		       struct loop *loop, void (*fn)(void *, int, uint32_t),
		       void *ctx, uint64_t now_ms, unsigned retry_ms)
{
	struct probe_config pc = { 0 };
	char gw[IPV4_STR_MAX];
	uint64_t seed = 0;

	if (u->probe || u->check == CHECK_NONE || !u->has_gateway ||
	    !u->link_up || now_ms < u->probe_retry_ms)
		return;
	snprintf(pc.ifname, sizeof(pc.ifname), "%s", u->interface);
	pc.mark = u->id << PLAN_PIN_SHIFT;
	pc.gateway = u->gateway;
	pc.kind = u->check;
	pc.interval_ms = ps->interval_ms;
	pc.timeout_ms = ps->timeout_ms;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = now_us();
	pc.seed = seed ^ ((uint64_t)u->id << 56);
	u->probe = probe_new(&pc);
	u->probe_kind = u->check;
	if (!u->probe) {
		log_warn("cannot probe gateway %s on %s: %s; retrying",
			 uplink_gateway_text(u, gw), u->interface,
			 strerror(errno));
		u->probe_retry_ms = now_ms + retry_ms;
		return;
	}
	if (loop_add(loop, probe_fd(u->probe), EPOLLIN, fn, ctx) < 0) {
		probe_free(u->probe);
		u->probe = NULL;
		u->probe_retry_ms = now_ms + retry_ms;
	}
}

unsigned uplink_probe_run(struct uplink *u, const struct health_params *hp,
			  uint64_t now_ms)
{
	struct probe_outcome out[OUTCOMES_MAX];
	unsigned changes = 0;
	size_t n;

	do {
		n = probe_run(u->probe, now_ms, out, OUTCOMES_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!health_feed(&u->health, hp, out[i].replied,
					 out[i].rtt_us, now_ms))
				continue;
			u->changed = true;
			changes++;
		}
	} while (n == OUTCOMES_MAX);
	return changes;
}

struct health_params uplink_health_params(const struct probe_settings *ps)
{
	/*
	 * A return that fails within six times its own proof (3 s by
	 * default) was a flap, not a recovery: long enough to catch a line
	 * flapping at 1 Hz even when one of its dark spells is too short to
	 * take it down.
	 */
	return (struct health_params){
		.down_count = ps->down_count,
		.up_count = ps->up_count,
		.flap_window_ms = 6ull * ps->up_count * ps->interval_ms,
	};
}
