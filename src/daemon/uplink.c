// SPDX-License-Identifier: MIT
/*
 * uplink.c - the daemon's per-uplink records. A record carries the
 * evidence about one uplink (its health state machine, fed by its probe
 * and by link events) across plans: it is matched to the next plan's
 * uplinks by interface and gateway, and started afresh only when the
 * uplink is new or its check changed, because evidence about another kind
 * of probe says nothing about this one. A recursive gateway checked with
 * ping (a plan target) has a record of its own after the uplinks': its
 * probe pings the target through the uplink, and its health says whether
 * routes may count the uplink for that gateway.
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
		if (!v[i].recursive && !strcmp(v[i].interface, interface) &&
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

/* The record with key's identity (kind, interface, gateway, via), or NULL. */
static struct uplink *record_find(const struct uplink *v, size_t n,
				  const struct uplink *key)
{
	for (size_t i = 0; i < n; i++) {
		const struct uplink *r = &v[i];

		if (r->recursive == key->recursive &&
		    !strcmp(r->interface, key->interface) &&
		    r->has_gateway == key->has_gateway &&
		    (!key->has_gateway || r->gateway == key->gateway) &&
		    (!key->recursive ||
		     (r->id == key->id && r->has_via == key->has_via &&
		      r->via == key->via)))
			return (struct uplink *)r;
	}
	return NULL;
}

/* The record an uplink would have: its identity, for record_find(). */
static struct uplink uplink_key(const struct plan_uplink *u)
{
	struct uplink k = {
		.id = u->id,
		.has_gateway = u->has_gateway,
		.gateway = u->gateway,
		.check = u->check,
		.source = u->source,
	};

	snprintf(k.interface, sizeof(k.interface), "%s", u->interface);
	return k;
}

/* The record a target would have: its identity, for record_find(). */
static struct uplink target_key(const struct plan_target *t)
{
	struct uplink k = {
		.id = t->uplink,
		.has_gateway = true,
		.gateway = t->target,
		.recursive = true,
		.has_via = t->has_gateway,
		.via = t->gateway,
		.check = t->check,
	};

	snprintf(k.interface, sizeof(k.interface), "%s", t->interface);
	return k;
}

bool uplink_target_usable(const struct uplink *v, size_t n,
			  const struct plan_target *t, uplink_link_fn link_up,
			  void *ctx)
{
	struct uplink key = target_key(t);
	const struct uplink *r = record_find(v, n, &key);

	if (r && r->check == t->check)
		return health_usable(&r->health);
	return link_up(ctx, t->interface);
}

size_t uplinks_count(const struct plan *p)
{
	return p->n_uplinks + p->n_targets;
}

/*
 * Fills record r for key: the old record when there is one with the same
 * check (its evidence and probe), else a fresh health from the link.
 */
static void record_for(struct uplink *r, const struct uplink *key,
		       const struct uplink *old, size_t n_old,
		       uplink_link_fn link_up, void *ctx, uint64_t now_ms)
{
	const struct uplink *o = record_find(old, n_old, key);

	if (o)
		*r = *o;
	if (!o || o->check != key->check) {
		health_init(&r->health, now_ms);
		r->link_up = link_up(ctx, key->interface);
		if (!r->link_up)
			health_link(&r->health, &(struct health_params){ 0 },
				    false, key->check != CHECK_NONE, now_ms);
		else if (key->check == CHECK_NONE)
			health_link(&r->health, &(struct health_params){ 0 },
				    true, false, now_ms);
		r->usable = health_usable(&r->health);
		r->reported = r->health.state;
	}
	r->id = key->id;
	memcpy(r->interface, key->interface, sizeof(r->interface));
	r->has_gateway = key->has_gateway;
	r->gateway = key->gateway;
	r->recursive = key->recursive;
	r->has_via = key->has_via;
	r->via = key->via;
	r->check = key->check;
	r->source = key->source;
}

struct uplink *uplinks_for(const struct plan *p, const struct uplink *old,
			   size_t n_old, uplink_link_fn link_up, void *ctx,
			   uint64_t now_ms)
{
	struct uplink *v = calloc(uplinks_count(p) + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < p->n_uplinks; i++) {
		struct uplink key = uplink_key(&p->uplinks[i]);

		record_for(&v[i], &key, old, n_old, link_up, ctx, now_ms);
	}
	for (size_t i = 0; i < p->n_targets; i++) {
		struct uplink key = target_key(&p->targets[i]);

		record_for(&v[p->n_uplinks + i], &key, old, n_old, link_up, ctx,
			   now_ms);
	}
	return v;
}

/* Whether v has a record with key's identity, id and check. */
static bool record_same(const struct uplink *v, size_t n,
			const struct uplink *key)
{
	const struct uplink *r = record_find(v, n, key);

	return r && r->id == key->id && r->check == key->check;
}

bool uplinks_match(const struct plan *p, const struct uplink *v, size_t n)
{
	if (n != uplinks_count(p))
		return false;
	for (size_t i = 0; i < p->n_uplinks; i++) {
		struct uplink key = uplink_key(&p->uplinks[i]);

		if (!record_same(v, n, &key))
			return false;
	}
	for (size_t i = 0; i < p->n_targets; i++) {
		struct uplink key = target_key(&p->targets[i]);

		if (!record_same(v, n, &key))
			return false;
	}
	return true;
}

void uplinks_release(struct uplink *old, size_t n_old,
		     const struct uplink *next, size_t n_next,
		     struct loop *loop)
{
	for (size_t i = 0; i < n_old; i++) {
		struct uplink *o = &old[i];

		if (o->probe && !record_find(next, n_next, o))
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
	/*
	 * Through the uplink: bound to its interface, its pin in SO_MARK
	 * (its own table, whatever the main table says). The address probed
	 * is the first hop, or for a target the recursive gateway beyond it.
	 */
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
	 * take it down. Each such flap doubles a hold-down whose base is
	 * the time of that proof (0.5 s by default): 1 s after the first
	 * flap, 2 s after the second, at most 32 s.
	 */
	return (struct health_params){
		.down_count = ps->down_count,
		.up_count = ps->up_count,
		.flap_window_ms = 6ull * ps->up_count * ps->interval_ms,
		.holddown_ms = (uint64_t)ps->up_count * ps->interval_ms,
	};
}

unsigned uplinks_usable(const struct uplink *v, size_t n)
{
	unsigned usable = 0;

	for (size_t i = 0; i < n; i++)
		if (!v[i].recursive && health_usable(&v[i].health))
			usable++;
	return usable;
}

void uplinks_probe_now(struct uplink *v, size_t n, uint64_t now_ms)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].probe)
			probe_send_at(v[i].probe, now_ms);
}

static uint64_t uplink_deadline(const struct uplink *u)
{
	uint64_t t = u->probe ? probe_next_deadline(u->probe) :
				u->probe_retry_ms;
	uint64_t held = health_deadline(&u->health);

	return held && (!t || held < t) ? held : t;
}

unsigned uplinks_holddown_tick(struct uplink *v, size_t n, uint64_t now_ms)
{
	unsigned changes = 0;

	for (size_t i = 0; i < n; i++)
		if (health_tick(&v[i].health, now_ms)) {
			v[i].changed = true;
			changes++;
		}
	return changes;
}

uint64_t uplinks_probe_wakeup(const struct uplink *v, size_t n,
			      unsigned slack_ms)
{
	uint64_t first = 0, last;

	for (size_t i = 0; i < n; i++) {
		uint64_t t = uplink_deadline(&v[i]);

		if (t && (!first || t < first))
			first = t;
	}
	last = first;
	for (size_t i = 0; first && i < n; i++) {
		uint64_t t = uplink_deadline(&v[i]);

		if (t > last && t <= first + slack_ms)
			last = t;
	}
	return last;
}

void uplinks_log_arrivals(const struct uplink *old, size_t n_old,
			  const struct uplink *next, size_t n_next)
{
	char gw[IPV4_STR_MAX];

	for (size_t i = 0; i < n_next; i++)
		if (!next[i].recursive && !record_find(old, n_old, &next[i]))
			log_info("gateway %s (%s) joined the plan",
				 uplink_gateway_text(&next[i], gw),
				 next[i].interface);
}
