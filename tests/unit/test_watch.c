// SPDX-License-Identifier: MIT
/*
 * test_watch.c - a watched host (health/watch.h): loss, latency and
 * jitter thresholds over a window, hysteresis on the way back, the
 * hold-down that grows with flaps, and the reason kept for status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "health/watch.h"

/* type=icmp, packet-count=20, thr-loss-percent=10%, thr-rtt-avg=100ms */
static const struct watch_params icmp = {
	.window = 20,
	.loss_permille = 100,
	.rtt_avg_us = 100000,
	.holddown_ms = 1000,
	.flap_window_ms = 10000,
};

/* type=simple: one probe, one loss is down */
static const struct watch_params simple = {
	.window = 1,
	.loss_count = 1,
	.holddown_ms = 1000,
	.flap_window_ms = 10000,
};

/* Feeds n probes 100 ms apart; lost when (i % every) < lose. */
static unsigned feed(struct watch *w, const struct watch_params *p, uint64_t *t,
		     unsigned n, unsigned every, unsigned lose, uint32_t rtt_us,
		     unsigned *downs)
{
	unsigned changes = 0;

	for (unsigned i = 0; i < n; i++, *t += 100) {
		bool lost = every && (i % every) < lose;

		watch_tick(w, p, *t);
		if (watch_feed(w, p, !lost, rtt_us, *t)) {
			changes++;
			if (downs && w->state == HEALTH_DOWN)
				(*downs)++;
		}
	}
	return changes;
}

static void test_loss_threshold(void **state)
{
	struct watch w;
	uint64_t t = 1000;

	watch_init(&w, t);
	feed(&w, &icmp, &t, 20, 0, 0, 20000, NULL);
	assert_int_equal(w.state, HEALTH_UP);
	/* 5 % loss (1 in 20) stays up for a long time */
	feed(&w, &icmp, &t, 2000, 20, 1, 20000, NULL);
	assert_int_equal(w.state, HEALTH_UP);
	/* 15 % loss (3 in 20) takes it down, and says why */
	feed(&w, &icmp, &t, 40, 20, 3, 20000, NULL);
	assert_int_equal(w.state, HEALTH_DOWN);
	assert_non_null(strstr(w.reason, "thr-loss-percent 10.0%"));
	/* still answering, but worse than its thresholds: degraded */
	assert_string_equal(watch_state_name(&w), "degraded");
	/* back at 0 % loss: up only after the window is clean and the
	 * hold-down passed (hysteresis: 5 % would not bring it back) */
	feed(&w, &icmp, &t, 200, 20, 1, 20000, NULL);
	assert_int_equal(w.state, HEALTH_DOWN);
	feed(&w, &icmp, &t, 20 + 10, 0, 0, 20000, NULL);
	assert_int_equal(w.state, HEALTH_UP);
	assert_non_null(strstr(w.reason, "hold-down"));
}

static void test_latency_step(void **state)
{
	struct watch w;
	uint64_t t = 1000;

	watch_init(&w, t);
	feed(&w, &icmp, &t, 40, 0, 0, 20000, NULL);
	assert_int_equal(w.state, HEALTH_UP);
	feed(&w, &icmp, &t, 40, 0, 0, 300000, NULL);
	assert_int_equal(w.state, HEALTH_DOWN);
	assert_non_null(strstr(w.reason, "thr-rtt-avg"));
	assert_string_equal(watch_state_name(&w), "degraded");
	/* 90 ms is under the down threshold but over 80 % of it: stays down */
	feed(&w, &icmp, &t, 100, 0, 0, 90000, NULL);
	assert_int_equal(w.state, HEALTH_DOWN);
	/* a blackout: no longer answering at all, plainly down */
	feed(&w, &icmp, &t, 20, 1, 1, 90000, NULL);
	assert_string_equal(watch_state_name(&w), "down");
	feed(&w, &icmp, &t, 40 + 30, 0, 0, 20000, NULL);
	assert_int_equal(w.state, HEALTH_UP);
	assert_string_equal(watch_state_name(&w), "up");
}

/* A partial window does not judge loss it cannot yet prove. */
static void test_partial_window(void **state)
{
	struct watch w;
	uint64_t t = 1000;

	watch_init(&w, t);
	feed(&w, &icmp, &t, 1, 1, 1, 0, NULL);
	assert_int_equal(w.state, HEALTH_UNKNOWN);
	feed(&w, &icmp, &t, 19, 0, 0, 20000, NULL);
	assert_int_equal(w.state, HEALTH_UP);
}

static void test_simple(void **state)
{
	struct watch w;
	uint64_t t = 1000;

	watch_init(&w, t);
	assert_true(watch_feed(&w, &simple, true, 1000, t));
	assert_int_equal(w.state, HEALTH_UP);
	t += 1000;
	assert_true(watch_feed(&w, &simple, false, 0, t));
	assert_int_equal(w.state, HEALTH_DOWN);
	assert_non_null(strstr(w.reason, "1 of 1 probes lost"));
	t += 1000;
	assert_false(watch_feed(&w, &simple, true, 1000, t));
	assert_int_equal(watch_deadline(&w, &simple), t + 1000);
	assert_false(watch_tick(&w, &simple, t + 999));
	assert_true(watch_tick(&w, &simple, t + 1000));
	assert_int_equal(w.state, HEALTH_UP);
}

/* A line flapping every 2 s for a minute: at most 2 failovers. */
static void test_flapping(void **state)
{
	struct watch w;
	uint64_t t = 1000;
	unsigned downs = 0;

	watch_init(&w, t);
	/* one probe each 100 ms; 1 s good, 1 s dead */
	feed(&w, &simple, &t, 600, 20, 10, 1000, &downs);
	assert_true(downs <= 2);
	assert_true(downs >= 1);
	assert_true(watch_holddown_ms(&w, &simple) > 1000);
	/* a clean line comes back once the grown hold-down passed, and
	 * after staying up past the flap window the hold-down is the base */
	feed(&w, &simple, &t, 300, 0, 0, 1000, NULL);
	assert_int_equal(w.state, HEALTH_UP);
	feed(&w, &simple, &t, 200, 0, 0, 1000, NULL);
	feed(&w, &simple, &t, 1, 1, 1, 1000, NULL);
	assert_int_equal(w.state, HEALTH_DOWN);
	assert_int_equal(watch_holddown_ms(&w, &simple), 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loss_threshold),
		cmocka_unit_test(test_latency_step),
		cmocka_unit_test(test_partial_window),
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_flapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
