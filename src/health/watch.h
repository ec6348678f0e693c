/* SPDX-License-Identifier: MIT */
/*
 * watch.h - the state of one watched host (a /tool netwatch): quality over
 * a sliding window of probes, thresholds with hysteresis, and a hold-down
 * before a recovered host counts as up that grows with how often it failed
 * recently. Pure: no I/O and no clock; the caller passes the time in.
 *
 * Probes go in, in sending order (health/probe.h puts them in order).
 * After each one the last `window` of them are judged: a window that
 * breaks a down threshold takes the host DOWN at once, with the reason
 * kept (which threshold, by how much); a DOWN host must pass the up
 * thresholds, which are stricter (hysteresis: half the loss, 80 % of the
 * times), without a break for the hold-down before it is UP again. The
 * hold-down doubles each time the host fails again within the flap window
 * of its return (at most WATCH_PENALTY_MAX doublings) and starts again
 * from its base once the host stayed up longer.
 */
#ifndef ECMPD_WATCH_H
#define ECMPD_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "health/health.h"

#define WATCH_WINDOW_MAX 100 /* packet-count's range */
#define WATCH_PENALTY_MAX 6

/* The thresholds of a window; 0 is "not judged" for each. */
struct watch_params {
	unsigned window; /* probes judged together, 1..WATCH_WINDOW_MAX */
	unsigned loss_count; /* down when this many of the window are lost */
	unsigned loss_permille; /* down when this share is lost */
	uint32_t rtt_max_us, rtt_avg_us, jitter_us; /* down above these */
	uint64_t holddown_ms; /* the base hold-down */
	uint64_t flap_window_ms; /* failing again this soon is a flap */
};

struct watch_sample {
	bool replied;
	uint32_t rtt_us;
};

struct watch {
	enum health_state state;
	uint64_t since_ms; /* when state was entered */
	struct watch_sample ring[WATCH_WINDOW_MAX];
	unsigned len, head; /* ring[(head + i) % window], i < len */
	uint64_t passing_since; /* DOWN: when the up thresholds held; 0 not */
	unsigned penalty; /* hold-down doublings */
	bool returned; /* UP was entered from DOWN */
	unsigned failures; /* DOWN transitions, ever */
	/*
	 * DOWN for a threshold while the host still answers (some replies
	 * in the window): "degraded". It counts as down for the routes the
	 * netwatch names (RouterOS's semantics); only the name differs.
	 */
	bool degraded;
	char reason[96]; /* why the state last changed */
};

void watch_init(struct watch *w, uint64_t now_ms);

/* The hold-down a DOWN host must pass now. */
uint64_t watch_holddown_ms(const struct watch *w, const struct watch_params *p);

/*
 * Feeds one probe outcome. Returns true when the state changed (UNKNOWN
 * -> UP on the first window that passes the down thresholds: a restart
 * trusts the host; UNKNOWN or UP -> DOWN on one that breaks them; DOWN
 * -> UP after the hold-down of windows that pass the up thresholds).
 */
bool watch_feed(struct watch *w, const struct watch_params *p, bool replied,
		uint32_t rtt_us, uint64_t now_ms);

/*
 * When a DOWN host that keeps passing becomes UP (0: not recovering), so
 * the caller can wake up for it: watch_tick() then makes the change.
 */
uint64_t watch_deadline(const struct watch *w, const struct watch_params *p);
bool watch_tick(struct watch *w, const struct watch_params *p, uint64_t now_ms);

/* "unknown", "up", "down", or "degraded" (struct watch). */
const char *watch_state_name(const struct watch *w);

/* The window now: lost share (0..100), mean and max-min RTT in ms. */
double watch_loss_pct(const struct watch *w);
double watch_rtt_ms(const struct watch *w);
double watch_jitter_ms(const struct watch *w);

#endif
