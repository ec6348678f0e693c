// SPDX-License-Identifier: MIT
/*
 * window.c - the pure part of a probe: the window of requests sent and not
 * yet reported, which puts outcomes in sending order (health.c counts runs
 * of consecutive outcomes), and the PRNG and jitter of the send times.
 *
 * A slot is pending until a reply, an error or its timeout resolves it,
 * once: a second reply for the same seq (a duplicate, a replay of an
 * answered request) finds it resolved and changes nothing, and a signed
 * echo reply must also carry the stamp its request was sent with
 * (probe_window_reply_stamped()), so a reply to the request that had the
 * same seq 65536 requests earlier does not count either.
 */
#include <string.h>

#include "health/probe.h"

unsigned probe_jitter(unsigned interval_ms, uint64_t r)
{
	unsigned spread = interval_ms / 5; /* 20 %: -10 % .. +10 % */
	unsigned j =
		interval_ms - interval_ms / 10 + (unsigned)(r % (spread + 1));

	return j ? j : 1;
}

uint64_t probe_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- the window ---- */

void probe_window_init(struct probe_window *w, uint16_t first_seq)
{
	memset(w, 0, sizeof(*w));
	w->head = first_seq;
	w->next = first_seq;
}

unsigned probe_window_count(const struct probe_window *w)
{
	return (uint16_t)(w->next - w->head);
}

/* Whether seq lies in [head, next), with 16-bit wrap-around. */
static bool in_window(const struct probe_window *w, uint16_t seq)
{
	return (uint16_t)(seq - w->head) < probe_window_count(w);
}

static struct probe_slot *slot_of(struct probe_window *w, uint16_t seq)
{
	return &w->slot[seq % PROBE_WINDOW];
}

bool probe_window_send(struct probe_window *w, uint64_t now_ms, uint16_t *seq)
{
	if (probe_window_count(w) >= PROBE_WINDOW)
		return false;
	*seq = w->next++;
	*slot_of(w, *seq) = (struct probe_slot){
		.state = PROBE_SLOT_PENDING,
		.sent_ms = now_ms,
	};
	return true;
}

bool probe_window_pending(const struct probe_window *w, uint16_t seq)
{
	return in_window(w, seq) &&
	       w->slot[seq % PROBE_WINDOW].state == PROBE_SLOT_PENDING;
}

bool probe_window_reply(struct probe_window *w, uint16_t seq, uint32_t rtt_us,
			unsigned timeout_ms)
{
	struct probe_slot *s;

	if (!probe_window_pending(w, seq))
		return false;
	s = slot_of(w, seq);
	if ((uint64_t)rtt_us > (uint64_t)timeout_ms * 1000) {
		s->state = PROBE_SLOT_LOST;
		return true;
	}
	s->state = PROBE_SLOT_REPLIED;
	s->rtt_us = rtt_us;
	return true;
}

void probe_window_set_stamp(struct probe_window *w, uint16_t seq,
			    uint64_t stamp)
{
	if (in_window(w, seq))
		slot_of(w, seq)->stamp = stamp;
}

bool probe_window_reply_stamped(struct probe_window *w, uint16_t seq,
				uint64_t stamp, uint32_t rtt_us,
				unsigned timeout_ms)
{
	if (!probe_window_pending(w, seq) ||
	    w->slot[seq % PROBE_WINDOW].stamp != stamp)
		return false;
	return probe_window_reply(w, seq, rtt_us, timeout_ms);
}

bool probe_window_lose(struct probe_window *w, uint16_t seq)
{
	if (!probe_window_pending(w, seq))
		return false;
	slot_of(w, seq)->state = PROBE_SLOT_LOST;
	return true;
}

bool probe_window_oldest_pending(const struct probe_window *w, uint16_t *seq)
{
	for (uint16_t s = w->head; s != w->next; s++) {
		if (w->slot[s % PROBE_WINDOW].state == PROBE_SLOT_PENDING) {
			*seq = s;
			return true;
		}
	}
	return false;
}

void probe_window_expire(struct probe_window *w, uint64_t now_ms,
			 unsigned timeout_ms)
{
	for (uint16_t s = w->head; s != w->next; s++) {
		struct probe_slot *slot = slot_of(w, s);

		/* Send times only grow with seq: the first young one ends it. */
		if (slot->sent_ms + timeout_ms > now_ms)
			break;
		if (slot->state == PROBE_SLOT_PENDING)
			slot->state = PROBE_SLOT_LOST;
	}
}

uint64_t probe_window_deadline(const struct probe_window *w,
			       unsigned timeout_ms)
{
	uint16_t s;

	if (!probe_window_count(w))
		return UINT64_MAX;
	if (w->slot[w->head % PROBE_WINDOW].state != PROBE_SLOT_PENDING)
		return w->slot[w->head % PROBE_WINDOW].sent_ms;
	if (!probe_window_oldest_pending(w, &s))
		return UINT64_MAX;
	return w->slot[s % PROBE_WINDOW].sent_ms + timeout_ms;
}

size_t probe_window_pop(struct probe_window *w, struct probe_outcome *out,
			size_t max)
{
	size_t n = 0;

	while (n < max && probe_window_count(w)) {
		struct probe_slot *s = slot_of(w, w->head);

		if (s->state == PROBE_SLOT_PENDING)
			break;
		out[n++] = (struct probe_outcome){
			.replied = s->state == PROBE_SLOT_REPLIED,
			.rtt_us = s->state == PROBE_SLOT_REPLIED ? s->rtt_us :
								   0,
			.seq = w->head,
		};
		w->head++;
	}
	return n;
}
