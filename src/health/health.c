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
 * the flap window of its return needs twice the run the next time (flap
 * damping), so flapping costs one failover, not one per flap.
 *
 * The window of the last HEALTH_WINDOW samples is kept only for reporting
 * (loss and RTT in the log, the control socket and the reason text); it
 * never drives a transition.
 */
#include <stdio.h>

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
	h->state = to;
	h->since_ms = now_ms;
	h->cause = cause;
	h->cause_count = count;
	h->cause_loss_pct = health_loss_pct(h);
	h->cause_rtt_ms = health_rtt_ms(h);
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
		if (replied && h->replies >= health_up_needed(h, p)) {
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
		/*
		 * Failing again soon after a return is a flap: each one
		 * doubles the proof the next return needs, so a line failing
		 * every second stays out instead of taking its connections
		 * up and down with it.
		 */
		if (h->state == HEALTH_UP && h->returned &&
		    now_ms - h->since_ms < p->flap_window_ms) {
			if (h->penalty < HEALTH_PENALTY_MAX)
				h->penalty++;
		} else {
			h->penalty = 0;
		}
		change(h, HEALTH_DOWN, HEALTH_CAUSE_LOSSES, h->losses, now_ms);
		return true;
	}
	return false;
}

bool health_link(struct health *h, bool up, bool checked, uint64_t now_ms)
{
	bool changed = h->link_up != up;

	h->link_up = up;
	/* Without probes the link is all the evidence there is. */
	if (up && !checked && h->state != HEALTH_UP) {
		h->replies = 0;
		h->losses = 0;
		change(h, HEALTH_UP, HEALTH_CAUSE_LINK_UP, 0, now_ms);
		return true;
	}
	if (!changed)
		return false;
	if (!up) {
		h->replies = 0;
		change(h, HEALTH_DOWN, HEALTH_CAUSE_LINK_DOWN, 0, now_ms);
		return true;
	}
	/* Replies from before the link went down prove nothing now. */
	h->replies = 0;
	h->losses = 0;
	if (!checked && h->state != HEALTH_UP)
		change(h, HEALTH_UP, HEALTH_CAUSE_LINK_UP, 0, now_ms);
	return true;
}

unsigned health_up_needed(const struct health *h, const struct health_params *p)
{
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
}
