// SPDX-License-Identifier: MIT
/*
 * watch.c - the state of one watched host (watch.h).
 *
 * Unlike a gateway (health.c), which moves on runs of consecutive
 * outcomes, a watched host is judged on the quality of a window, as
 * RouterOS's netwatch judges a test: loss, mean RTT, the spread of RTTs.
 * Going down is immediate, since the window already is the evidence;
 * coming back is where calm is needed: a line hovering on a threshold
 * passes and breaks it in turn, so the way back asks for stricter
 * thresholds and for them to hold for a hold-down that grows with every
 * recent failure. A line flapping every two seconds then costs one
 * failover and a growing wait, not one failover per flap.
 */
#include <stdio.h>
#include <string.h>

#include "health/watch.h"

void watch_init(struct watch *w, uint64_t now_ms)
{
	memset(w, 0, sizeof(*w));
	w->state = HEALTH_UNKNOWN;
	w->since_ms = now_ms;
	snprintf(w->reason, sizeof(w->reason), "not tested yet");
}

static unsigned window_of(const struct watch_params *p)
{
	if (p->window < 1)
		return 1;
	return p->window > WATCH_WINDOW_MAX ? WATCH_WINDOW_MAX : p->window;
}

uint64_t watch_holddown_ms(const struct watch *w, const struct watch_params *p)
{
	return p->holddown_ms << w->penalty;
}

struct window_stats {
	unsigned n, lost;
	uint32_t min_us, max_us;
	uint64_t sum_us;
};

static struct window_stats stats(const struct watch *w)
{
	struct window_stats s = { .min_us = UINT32_MAX };

	for (unsigned i = 0; i < w->len; i++) {
		const struct watch_sample *x = &w->ring[i];

		s.n++;
		if (!x->replied) {
			s.lost++;
			continue;
		}
		s.sum_us += x->rtt_us;
		if (x->rtt_us < s.min_us)
			s.min_us = x->rtt_us;
		if (x->rtt_us > s.max_us)
			s.max_us = x->rtt_us;
	}
	if (s.lost == s.n)
		s.min_us = 0;
	return s;
}

/*
 * Does the window break the thresholds, scaled by num/den (1/1 for going
 * down, stricter for coming back)? The first one broken goes into why.
 */
static bool breaks(const struct window_stats *s, const struct watch_params *p,
		   unsigned num, unsigned den, char *why, size_t len)
{
	unsigned replies = s->n - s->lost;
	uint32_t avg = replies ? (uint32_t)(s->sum_us / replies) : 0;
	uint64_t limit;

	if (p->loss_count && s->lost * den >= (uint64_t)p->loss_count * num) {
		snprintf(why, len, "%u of %u probes lost (thr-loss-count %u)",
			 s->lost, s->n, p->loss_count);
		return true;
	}
	limit = (uint64_t)p->loss_permille * num;
	if (p->loss_permille &&
	    (uint64_t)s->lost * 1000 * den >= limit * s->n) {
		snprintf(why, len,
			 "loss %u%% of %u probes (thr-loss-percent %u.%u%%)",
			 s->lost * 100 / s->n, s->n, p->loss_permille / 10,
			 p->loss_permille % 10);
		return true;
	}
	if (!replies)
		return false;
	if (p->rtt_max_us &&
	    (uint64_t)s->max_us * den > (uint64_t)p->rtt_max_us * num) {
		snprintf(why, len, "rtt max %.1f ms (thr-rtt-max %.1f ms)",
			 s->max_us / 1000.0, p->rtt_max_us / 1000.0);
		return true;
	}
	if (p->rtt_avg_us &&
	    (uint64_t)avg * den > (uint64_t)p->rtt_avg_us * num) {
		snprintf(why, len, "rtt avg %.1f ms (thr-rtt-avg %.1f ms)",
			 avg / 1000.0, p->rtt_avg_us / 1000.0);
		return true;
	}
	if (p->jitter_us && (uint64_t)(s->max_us - s->min_us) * den >
				    (uint64_t)p->jitter_us * num) {
		snprintf(why, len, "jitter %.1f ms (thr-rtt-jitter %.1f ms)",
			 (s->max_us - s->min_us) / 1000.0,
			 p->jitter_us / 1000.0);
		return true;
	}
	return false;
}

static void enter(struct watch *w, enum health_state s, uint64_t now_ms)
{
	w->state = s;
	w->degraded = false;
	w->since_ms = now_ms;
	w->passing_since = 0;
}

static void go_down(struct watch *w, const struct watch_params *p,
		    const char *why, uint64_t now_ms)
{
	/* Failing again soon after a return: the next return waits longer. */
	if (w->returned && now_ms - w->since_ms < p->flap_window_ms) {
		if (w->penalty < WATCH_PENALTY_MAX)
			w->penalty++;
	} else {
		w->penalty = 0;
	}
	w->returned = false;
	w->failures++;
	snprintf(w->reason, sizeof(w->reason), "%s", why);
	enter(w, HEALTH_DOWN, now_ms);
}

bool watch_feed(struct watch *w, const struct watch_params *p, bool replied,
		uint32_t rtt_us, uint64_t now_ms)
{
	unsigned win = window_of(p);
	struct window_stats s;
	char why[80];

	w->ring[w->head] =
		(struct watch_sample){ replied, replied ? rtt_us : 0 };
	w->head = (w->head + 1) % win;
	if (w->len < win)
		w->len++;
	/* A window is judged once full; a first loss is judged at once. */
	s = stats(w);
	if (w->len < win && w->state != HEALTH_DOWN && !s.lost)
		return false;
	if (w->state != HEALTH_DOWN) {
		if (!breaks(&s, p, 1, 1, why, sizeof(why))) {
			if (w->state == HEALTH_UP || w->len < win)
				return false;
			snprintf(w->reason, sizeof(w->reason),
				 "window of %u probes within the thresholds",
				 s.n);
			enter(w, HEALTH_UP, now_ms);
			return true;
		}
		if (w->len < win &&
		    !(p->loss_count && s.lost >= p->loss_count) &&
		    !(p->loss_permille &&
		      s.lost * 1000 >= p->loss_permille * win))
			return false; /* not enough evidence yet */
		go_down(w, p, why, now_ms);
		w->degraded = s.lost < s.n;
		return true;
	}
	w->degraded = s.lost < s.n;
	/* DOWN: the stricter thresholds must hold for the hold-down. */
	if (w->len < win || breaks(&s, p, 4, 5, why, sizeof(why)) ||
	    (p->loss_permille &&
	     breaks(&s,
		    &(struct watch_params){
			    .loss_permille = p->loss_permille / 2 ?
						     p->loss_permille / 2 :
						     1 },
		    1, 1, why, sizeof(why)))) {
		w->passing_since = 0;
		return false;
	}
	if (!w->passing_since)
		w->passing_since = now_ms;
	return watch_tick(w, p, now_ms);
}

uint64_t watch_deadline(const struct watch *w, const struct watch_params *p)
{
	if (w->state != HEALTH_DOWN || !w->passing_since)
		return 0;
	return w->passing_since + watch_holddown_ms(w, p);
}

bool watch_tick(struct watch *w, const struct watch_params *p, uint64_t now_ms)
{
	uint64_t due = watch_deadline(w, p);

	if (!due || now_ms < due)
		return false;
	snprintf(w->reason, sizeof(w->reason),
		 "within the thresholds for the hold-down of %llu ms",
		 (unsigned long long)watch_holddown_ms(w, p));
	enter(w, HEALTH_UP, now_ms);
	w->returned = true;
	return true;
}

const char *watch_state_name(const struct watch *w)
{
	if (w->state == HEALTH_DOWN && w->degraded)
		return "degraded";
	return health_state_name(w->state);
}

double watch_loss_pct(const struct watch *w)
{
	struct window_stats s = stats(w);

	return s.n ? 100.0 * s.lost / s.n : 0;
}

double watch_rtt_ms(const struct watch *w)
{
	struct window_stats s = stats(w);

	return s.n > s.lost ? s.sum_us / 1000.0 / (s.n - s.lost) : 0;
}

double watch_jitter_ms(const struct watch *w)
{
	struct window_stats s = stats(w);

	return s.n > s.lost ? (s.max_us - s.min_us) / 1000.0 : 0;
}
