// SPDX-License-Identifier: MIT
/*
 * health.c - the health state machine of one gateway.
 *
 * A gateway's state moves on runs, not rates: down_count consecutive lost
 * probes take it down, up_count consecutive replies bring it back. Runs
 * make the decision fast for a blackout (every probe is lost, so the run
 * completes after down_count intervals plus one timeout) and robust against
 * random loss (5 % iid loss gives a run of 5 with probability 0.05^5 per
 * probe). The asymmetry between UNKNOWN and DOWN is deliberate: a freshly
 * started daemon trusts its first reply, since the gateway was probably
 * carrying traffic already, but a gateway that has failed must prove
 * itself with a full run before traffic returns to it, so a flapping line
 * is not put back on the first lucky reply; one that fails again within
 * the flap window of its return (by lost probes or by its link) needs a
 * run twice as long and must also stay good for a hold-down that doubles
 * with each such failure (flap
 * damping, as netwatch hosts have it in watch.c), so flapping costs one
 * failover, not one per flap.
 *
 * The window of the last HEALTH_WINDOW samples is kept only for reporting
 * (loss and RTT in the log, the control socket and the reason text); it
 * never drives a transition.
 */
#include <stdio.h>
#include <string.h>

#include "health/health.h"

void health_init(struct health *h, uint64_t now_ms)
{
	*h = (struct health){
		.state = HEALTH_UNKNOWN,
		.since_ms = now_ms,
		.link_up = true,
		.cause = HEALTH_CAUSE_NONE,
	};
}

static unsigned at_least_one(unsigned n)
{
	return n ? n : 1;
}

static void record(struct health *h, bool replied, uint32_t rtt_us)
{
	unsigned slot;

	if (h->ring_len < HEALTH_WINDOW) {
		slot = (h->ring_head + h->ring_len) % HEALTH_WINDOW;
		h->ring_len++;
	} else {
		slot = h->ring_head;
		h->ring_head = (h->ring_head + 1) % HEALTH_WINDOW;
	}
	h->ring[slot] = (struct health_sample){
		.replied = replied,
		.rtt_us = replied ? rtt_us : 0,
	};
	h->sent++;
	if (!replied)
		h->lost++;
}

/* Freezes the evidence with the window as it is at the moment of change. */
static void change(struct health *h, enum health_state to,
		   enum health_cause cause, unsigned count, uint64_t now_ms)
{
	h->returned = to == HEALTH_UP && h->state == HEALTH_DOWN;
	h->passing_since = 0;
	h->state = to;
	h->since_ms = now_ms;
	h->cause = cause;
	h->cause_count = count;
	h->cause_loss_pct = health_loss_pct(h);
	h->cause_rtt_ms = health_rtt_ms(h);
}

/*
 * UP or UNKNOWN -> DOWN. Failing again soon after a return is a flap:
 * each one doubles the hold-down of the next return, so a line failing
 * every second stays out instead of taking its connections up and down
 * with it.
 */
static void go_down(struct health *h, const struct health_params *p,
		    enum health_cause cause, unsigned count, uint64_t now_ms)
{
	if (h->state == HEALTH_UP && h->returned &&
	    now_ms - h->since_ms < p->flap_window_ms) {
		if (h->penalty < HEALTH_PENALTY_MAX)
			h->penalty++;
	} else {
		h->penalty = 0;
	}
	h->holddown_ms = h->penalty ? p->holddown_ms << h->penalty : 0;
	h->failures++;
	change(h, HEALTH_DOWN, cause, count, now_ms);
}

/* A DOWN gateway whose evidence is good: is its hold-down over? */
static bool held_down(const struct health *h, uint64_t now_ms)
{
	return now_ms - h->passing_since < h->holddown_ms;
}

bool health_feed(struct health *h, const struct health_params *p, bool replied,
		 uint32_t rtt_us, uint64_t now_ms)
{
	record(h, replied, rtt_us);
	if (replied) {
		h->replies++;
		h->losses = 0;
	} else {
		h->losses++;
		h->replies = 0;
	}

	/* The link event already decided; probes cannot overrule it. */
	if (!h->link_up)
		return false;

	if (h->state == HEALTH_DOWN) {
		if (!replied) {
			h->passing_since = 0;
			return false;
		}
		if (!h->passing_since)
			h->passing_since = now_ms ? now_ms : 1;
		if (h->replies >= health_up_needed(h, p) &&
		    !held_down(h, now_ms)) {
			change(h, HEALTH_UP, HEALTH_CAUSE_REPLIES, h->replies,
			       now_ms);
			return true;
		}
		return false;
	}
	/* UNKNOWN or UP: losses count the same in both. */
	if (replied) {
		if (h->state == HEALTH_UP)
			return false;
		change(h, HEALTH_UP, HEALTH_CAUSE_REPLIES, h->replies, now_ms);
		return true;
	}
	if (h->losses >= at_least_one(p->down_count)) {
		go_down(h, p, HEALTH_CAUSE_LOSSES, h->losses, now_ms);
		return true;
	}
	return false;
}

/* Link up without probes: UP now, or when the hold-down has passed. */
static bool link_returns(struct health *h, uint64_t now_ms)
{
	if (h->state == HEALTH_DOWN && h->holddown_ms) {
		if (!h->passing_since)
			h->passing_since = now_ms ? now_ms : 1;
		if (held_down(h, now_ms))
			return false;
	}
	change(h, HEALTH_UP, HEALTH_CAUSE_LINK_UP, 0, now_ms);
	return true;
}

bool health_link(struct health *h, const struct health_params *p, bool up,
		 bool checked, uint64_t now_ms)
{
	bool changed = h->link_up != up;

	h->link_up = up;
	h->link_only = !checked;
	/* Without probes the link is all the evidence there is. */
	if (up && !checked && h->state != HEALTH_UP) {
		h->replies = 0;
		h->losses = 0;
		return link_returns(h, now_ms) || changed;
	}
	if (!changed)
		return false;
	if (!up) {
		h->replies = 0;
		if (h->state == HEALTH_DOWN)
			change(h, HEALTH_DOWN, HEALTH_CAUSE_LINK_DOWN, 0,
			       now_ms);
		else
			go_down(h, p, HEALTH_CAUSE_LINK_DOWN, 0, now_ms);
		return true;
	}
	/* Replies from before the link went down prove nothing now. */
	h->replies = 0;
	h->losses = 0;
	h->passing_since = 0;
	return true;
}

uint64_t health_holddown_left_ms(const struct health *h, uint64_t now_ms)
{
	if (h->state != HEALTH_DOWN || !h->holddown_ms)
		return 0;
	if (!h->passing_since)
		return h->holddown_ms;
	if (!held_down(h, now_ms))
		return 0;
	return h->passing_since + h->holddown_ms - now_ms;
}

uint64_t health_deadline(const struct health *h)
{
	if (h->state != HEALTH_DOWN || !h->link_only || !h->link_up ||
	    !h->passing_since)
		return 0;
	return h->passing_since + h->holddown_ms;
}

bool health_tick(struct health *h, uint64_t now_ms)
{
	uint64_t due = health_deadline(h);

	if (!due || now_ms < due)
		return false;
	return link_returns(h, now_ms);
}

unsigned health_up_needed(const struct health *h, const struct health_params *p)
{
	/* After a flap the run doubles too, as before the hold-down. */
	return at_least_one(p->up_count) << h->penalty;
}

bool health_usable(const struct health *h)
{
	return h->link_up && h->state != HEALTH_DOWN;
}

double health_loss_pct(const struct health *h)
{
	unsigned lost = 0;

	if (!h->ring_len)
		return 0;
	for (unsigned i = 0; i < h->ring_len; i++)
		lost += !h->ring[(h->ring_head + i) % HEALTH_WINDOW].replied;
	return 100.0 * lost / h->ring_len;
}

double health_rtt_ms(const struct health *h)
{
	uint64_t sum_us = 0;
	unsigned n = 0;

	for (unsigned i = 0; i < h->ring_len; i++) {
		const struct health_sample *s =
			&h->ring[(h->ring_head + i) % HEALTH_WINDOW];

		if (s->replied) {
			sum_us += s->rtt_us;
			n++;
		}
	}
	return n ? (double)sum_us / n / 1000.0 : 0;
}

const char *health_state_name(enum health_state s)
{
	switch (s) {
	case HEALTH_UNKNOWN:
		return "unknown";
	case HEALTH_UP:
		return "up";
	case HEALTH_DOWN:
		return "down";
	}
	return "?";
}

void health_reason(const struct health *h, char *buf, size_t len)
{
	size_t n;

	if (!len)
		return;
	switch (h->cause) {
	case HEALTH_CAUSE_NONE:
		snprintf(buf, len, "no change");
		break;
	case HEALTH_CAUSE_REPLIES:
		snprintf(buf, len, "after %u %s (loss %.0f%%, rtt %.1f ms)",
			 h->cause_count,
			 h->cause_count == 1 ? "reply" : "replies",
			 h->cause_loss_pct, h->cause_rtt_ms);
		break;
	case HEALTH_CAUSE_LOSSES:
		snprintf(buf, len,
			 "after %u lost %s (loss %.0f%%, rtt %.1f ms)",
			 h->cause_count,
			 h->cause_count == 1 ? "probe" : "probes",
			 h->cause_loss_pct, h->cause_rtt_ms);
		break;
	case HEALTH_CAUSE_LINK_DOWN:
		snprintf(buf, len, "link down");
		break;
	case HEALTH_CAUSE_LINK_UP:
		snprintf(buf, len, "link up");
		break;
	}
	n = strlen(buf);
	if (h->state == HEALTH_DOWN && h->holddown_ms && n < len)
		snprintf(buf + n, len - n,
			 ", hold-down %.1f s after %u recent failures",
			 h->holddown_ms / 1000.0, h->penalty + 1);
}
