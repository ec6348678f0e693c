/* SPDX-License-Identifier: MIT */
/*
 * health.h - the health state machine of one gateway. Pure: no I/O and no
 * clock; the caller passes the time (monotonic milliseconds) in.
 *
 * Probe outcomes (probe.h) and link events (netlink) go in; a state, the
 * loss and RTT over the last HEALTH_WINDOW probes, and the evidence for
 * the last change come out.
 */
#ifndef ECMPD_HEALTH_H
#define ECMPD_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum health_state {
	HEALTH_UNKNOWN,
	HEALTH_UP,
	HEALTH_DOWN,
};

/* From struct probe_settings; 0 is taken as 1. */
struct health_params {
	unsigned down_count; /* consecutive losses that take a gateway down */
	unsigned up_count; /* consecutive replies that bring it back */
	/* failing again this soon after a return counts as a flap */
	uint64_t flap_window_ms;
	/*
	 * The base hold-down: a flap doubles it for the next return (see
	 * struct health). 0: the run of up_count replies is all it takes.
	 */
	uint64_t holddown_ms;
};

#define HEALTH_WINDOW 20 /* samples in the rolling window for RTT and loss */

/* Why the state last changed. */
enum health_cause {
	HEALTH_CAUSE_NONE, /* no change yet */
	HEALTH_CAUSE_REPLIES,
	HEALTH_CAUSE_LOSSES,
	HEALTH_CAUSE_LINK_DOWN,
	HEALTH_CAUSE_LINK_UP,
};

struct health_sample {
	bool replied;
	uint32_t rtt_us; /* 0 for a loss */
};

struct health {
	enum health_state state;
	uint64_t since_ms; /* when state was entered */
	bool link_up;
	unsigned replies; /* consecutive, up to now */
	unsigned losses; /* consecutive, up to now */

	/* The last HEALTH_WINDOW samples: ring[(head + i) % HEALTH_WINDOW]. */
	struct health_sample ring[HEALTH_WINDOW];
	unsigned ring_len;
	unsigned ring_head;

	uint64_t sent; /* every sample fed, ever */
	uint64_t lost;

	/* The evidence of the last change, frozen when it happened. */
	enum health_cause cause;
	unsigned cause_count; /* the run of replies or losses */
	double cause_loss_pct;
	double cause_rtt_ms;

	/*
	 * Flap damping, the same for every source (lost probes or the
	 * link): a gateway that fails again within flap_window_ms of its
	 * return must, besides its run of up_count replies (or its link
	 * being up, without probes), stay good for a hold-down of
	 * holddown_ms << penalty before it returns (penalty at most
	 * HEALTH_PENALTY_MAX); one that stayed up longer (or never returned)
	 * starts again from penalty 0: no hold-down beyond the run.
	 */
	unsigned penalty;
	bool returned; /* UP was entered from DOWN (not from UNKNOWN) */
	bool link_only; /* no probes: the link alone brings it back */
	uint64_t holddown_ms; /* this DOWN's hold-down, fixed when entered */
	uint64_t passing_since; /* DOWN: when the good evidence began; 0 not */
	unsigned failures; /* UP or UNKNOWN -> DOWN, ever */
};

#define HEALTH_PENALTY_MAX 6

/* Replies in a row a DOWN gateway needs now to come back. */
unsigned health_up_needed(const struct health *h,
			  const struct health_params *p);

/*
 * The hold-down a DOWN gateway still has to pass at now_ms: all of it
 * while the evidence is bad, what is left once it is good; 0 when not
 * DOWN or no hold-down applies.
 */
uint64_t health_holddown_left_ms(const struct health *h, uint64_t now_ms);

/*
 * A gateway without probes (check-gateway=none) whose link came back
 * during a hold-down returns when it has passed: the time to call
 * health_tick() (0: none), which makes the change (true when it did).
 */
uint64_t health_deadline(const struct health *h);
bool health_tick(struct health *h, uint64_t now_ms);

/* Starts in HEALTH_UNKNOWN with the link assumed up. */
void health_init(struct health *h, uint64_t now_ms);

/*
 * Feeds one probe outcome, in sending order. Returns true when the state
 * changed. UNKNOWN -> UP on the first reply; UNKNOWN or UP -> DOWN after
 * down_count consecutive losses; DOWN -> UP only after up_count
 * consecutive replies. While the link is down the sample is recorded but
 * the state stays DOWN (replies then are not evidence the uplink works).
 */
bool health_feed(struct health *h, const struct health_params *p, bool replied,
		 uint32_t rtt_us, uint64_t now_ms);

/*
 * A link event. Down is immediate: DOWN, cause "link down". Up with
 * checked=false (check-gateway=none) makes the gateway UP at once; with
 * checked=true it stays DOWN until up_count consecutive replies arrive
 * (the run of replies starts again at the link event). Either way a
 * hold-down after flaps applies (struct health). Returns true when the
 * state or the link flag changed.
 */
bool health_link(struct health *h, const struct health_params *p, bool up,
		 bool checked, uint64_t now_ms);

/*
 * Whether the planner may use this gateway: link up and not DOWN. UNKNOWN
 * counts as usable so that a restart of the daemon disturbs nothing.
 */
bool health_usable(const struct health *h);

/* Lost probes in the window, 0..100; 0 when the window is empty. */
double health_loss_pct(const struct health *h);

/* Mean RTT of the replies in the window in ms; 0 when there are none. */
double health_rtt_ms(const struct health *h);

/* "unknown", "up", "down". */
const char *health_state_name(enum health_state s);

/*
 * Writes the evidence for the last change into buf (always terminated
 * when len > 0): "after 5 lost probes (loss 100%, rtt 0.4 ms)", "after 5
 * replies (loss 0%, rtt 0.3 ms)", "link down", "link up", or "no change"
 * before the first one. A DOWN gateway with a hold-down gets it added:
 * "after 5 lost probes (loss 100%, rtt 0.4 ms), hold-down 1.0 s after 2
 * recent failures".
 */
void health_reason(const struct health *h, char *buf, size_t len);

#endif
