// SPDX-License-Identifier: MIT
/*
 * test_health.c - the health state machine: every transition, the
 * hysteresis, link events, the reporting window and the reason text, and
 * a check of the reasoning behind the default probe settings by simulation
 * (random loss must not take a gateway down; a blackout must, quickly).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "health/health.h"

static const struct health_params defaults = {
	.down_count = 5,
	.up_count = 5,
	.flap_window_ms = 1500,
	.holddown_ms = 500,
};

static bool feed(struct health *h, bool replied, uint32_t rtt_us)
{
	return health_feed(h, &defaults, replied, rtt_us, 0);
}

static void test_init(void **state)
{
	struct health h;
	char buf[64];

	health_init(&h, 42);
	assert_int_equal(h.state, HEALTH_UNKNOWN);
	assert_int_equal(h.since_ms, 42);
	assert_true(h.link_up);
	assert_true(health_usable(&h));
	assert_true(health_loss_pct(&h) == 0);
	assert_true(health_rtt_ms(&h) == 0);
	health_reason(&h, buf, sizeof(buf));
	assert_string_equal(buf, "no change");
}

static void test_unknown_up_on_first_reply(void **state)
{
	struct health h;
	char buf[64];

	health_init(&h, 0);
	assert_true(health_feed(&h, &defaults, true, 300, 100));
	assert_int_equal(h.state, HEALTH_UP);
	assert_int_equal(h.since_ms, 100);
	health_reason(&h, buf, sizeof(buf));
	assert_string_equal(buf, "after 1 reply (loss 0%, rtt 0.3 ms)");
	assert_false(feed(&h, true, 300));
}

static void test_unknown_down_after_losses(void **state)
{
	struct health h;

	health_init(&h, 0);
	for (int i = 0; i < 4; i++) {
		assert_false(feed(&h, false, 0));
		assert_int_equal(h.state, HEALTH_UNKNOWN);
		assert_true(health_usable(&h));
	}
	assert_true(health_feed(&h, &defaults, false, 0, 500));
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_int_equal(h.since_ms, 500);
	assert_false(health_usable(&h));
}

static void test_up_down_up(void **state)
{
	struct health h;
	char buf[80];

	health_init(&h, 0);
	feed(&h, true, 400);
	for (int i = 0; i < 4; i++)
		assert_false(feed(&h, false, 0));
	assert_int_equal(h.state, HEALTH_UP);
	assert_true(feed(&h, false, 0));
	assert_int_equal(h.state, HEALTH_DOWN);
	health_reason(&h, buf, sizeof(buf));
	/* 5 of the 6 samples lost; the one reply had 0.4 ms. */
	assert_string_equal(buf, "after 5 lost probes (loss 83%, rtt 0.4 ms)");

	/* Further losses change nothing. */
	assert_false(feed(&h, false, 0));

	for (int i = 0; i < 4; i++) {
		assert_false(feed(&h, true, 300));
		assert_int_equal(h.state, HEALTH_DOWN);
		assert_false(health_usable(&h));
	}
	assert_true(feed(&h, true, 300));
	assert_int_equal(h.state, HEALTH_UP);
	health_reason(&h, buf, sizeof(buf));
	/* 6 lost of 12; replies 400 + 5 x 300 us. */
	assert_string_equal(buf, "after 5 replies (loss 50%, rtt 0.3 ms)");
}

static void test_flapping_never_down(void **state)
{
	struct health h;

	health_init(&h, 0);
	feed(&h, true, 100);
	for (int i = 0; i < 10000; i++) {
		/* Four losses then a reply: the worst that must not fail. */
		assert_false(feed(&h, i % 5 == 4, 100));
		assert_int_equal(h.state, HEALTH_UP);
	}
}

static void test_down_needs_consecutive_replies(void **state)
{
	struct health h;

	health_init(&h, 0);
	for (int i = 0; i < 5; i++)
		feed(&h, false, 0);
	assert_int_equal(h.state, HEALTH_DOWN);
	/* Four replies and a loss, over and over: never back up. */
	for (int i = 0; i < 1000; i++) {
		assert_false(feed(&h, i % 5 != 4, 100));
		assert_int_equal(h.state, HEALTH_DOWN);
	}
	for (int i = 0; i < 4; i++)
		assert_false(feed(&h, true, 100));
	assert_true(feed(&h, true, 100));
	assert_int_equal(h.state, HEALTH_UP);
}

/* Feeds n outcomes 100 ms apart from *t; returns the DOWN transitions. */
static int feed_run(struct health *h, int n, bool replied, uint64_t *t)
{
	int downs = 0;

	for (int i = 0; i < n; i++) {
		*t += 100;
		if (health_feed(h, &defaults, replied, 100, *t) &&
		    h->state == HEALTH_DOWN)
			downs++;
	}
	return downs;
}

static void feed_run_at(struct health *h, int n, bool replied, uint64_t t)
{
	for (int i = 0; i < n; i++)
		health_feed(h, &defaults, replied, 100, t + 100 * (uint64_t)i);
}

static void test_flap_damping(void **state)
{
	struct health h;
	uint64_t t = 0;
	int downs = 0;

	health_init(&h, 0);
	feed_run(&h, 50, true, &t);
	assert_int_equal(h.state, HEALTH_UP);
	/* A gateway failing for 0.5 s every second, for 30 s. */
	for (int cycle = 0; cycle < 30; cycle++) {
		downs += feed_run(&h, 5, false, &t);
		feed_run(&h, 5, true, &t);
	}
	/* Down once, maybe back for one cycle and down again: no more. */
	assert_in_range(downs, 1, 2);
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_true(h.holddown_ms >= 1000);
	/* Stable again: it returns once the replies held for the hold-down
	 * (the loop's last five replies count towards it). */
	feed_run(&h, (int)(h.holddown_ms / 100) - 5, true, &t);
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_int_equal(health_holddown_left_ms(&h, t), 100);
	feed_run(&h, 1, true, &t);
	assert_int_equal(h.state, HEALTH_UP);
	assert_int_equal(health_holddown_left_ms(&h, t), 0);
	/* Up for longer than the flap window: a failure costs the usual. */
	feed_run(&h, defaults.flap_window_ms / 100 + 1, true, &t);
	assert_int_equal(feed_run(&h, 5, false, &t), 1);
	assert_int_equal(h.holddown_ms, 0);
	feed_run(&h, 5, true, &t);
	assert_int_equal(h.state, HEALTH_UP);
}

/*
 * The hold-down grows with each failure soon after a return (doubling,
 * capped) and the reason says so; a loss during it starts it again.
 */
static void test_holddown_grows(void **state)
{
	struct health h;
	uint64_t t = 0;
	char buf[128];

	health_init(&h, 0);
	feed_run(&h, 10, true, &t);
	feed_run(&h, 5, false, &t);
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_int_equal(h.holddown_ms, 0); /* first failure: the run only */
	health_reason(&h, buf, sizeof(buf));
	assert_string_equal(buf, "after 5 lost probes (loss 33%, rtt 0.1 ms)");
	for (unsigned flap = 1; flap <= HEALTH_PENALTY_MAX + 2; flap++) {
		uint64_t hold;

		while (h.state == HEALTH_DOWN)
			feed_run(&h, 1, true, &t);
		feed_run(&h, 5, false, &t); /* soon after the return */
		assert_int_equal(h.state, HEALTH_DOWN);
		hold = 500ull
		       << (flap < HEALTH_PENALTY_MAX ? flap :
						       HEALTH_PENALTY_MAX);
		assert_int_equal(h.holddown_ms, hold);
		assert_int_equal(health_holddown_left_ms(&h, t), hold);
	}
	health_reason(&h, buf, sizeof(buf));
	assert_non_null(strstr(buf, ", hold-down 32.0 s after 7 recent "
				    "failures"));
	/* Replies, then a loss: the hold-down starts again. */
	feed_run(&h, 100, true, &t);
	assert_int_equal(health_holddown_left_ms(&h, t), 32000 - 9900);
	feed_run(&h, 1, false, &t);
	assert_int_equal(health_holddown_left_ms(&h, t), 32000);
	assert_int_equal(h.failures, HEALTH_PENALTY_MAX + 3);
}

/* A link flapping soon after its return is a flap like lost probes. */
static void test_holddown_link(void **state)
{
	struct health h;

	health_init(&h, 0);
	assert_true(health_link(&h, &defaults, true, false, 100));
	assert_true(health_link(&h, &defaults, false, false, 5000));
	assert_int_equal(h.holddown_ms, 0); /* was up long: no hold-down */
	assert_true(health_link(&h, &defaults, true, false, 5100));
	assert_int_equal(h.state, HEALTH_UP);
	assert_int_equal(health_deadline(&h), 0);
	/* Down again within the flap window: 1 s before the next return. */
	assert_true(health_link(&h, &defaults, false, false, 5200));
	assert_int_equal(h.holddown_ms, 1000);
	assert_true(health_link(&h, &defaults, true, false, 5300));
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_false(health_usable(&h));
	assert_int_equal(health_deadline(&h), 6300);
	assert_int_equal(health_holddown_left_ms(&h, 5800), 500);
	assert_false(health_tick(&h, 6299));
	assert_true(health_tick(&h, 6300));
	assert_int_equal(h.state, HEALTH_UP);
	assert_int_equal(health_deadline(&h), 0);

	/* Checked: a link flap doubles the hold-down the replies must
	 * pass; replies from before the link came back do not count. */
	health_init(&h, 0);
	feed_run_at(&h, 10, true, 0);
	feed_run_at(&h, 5, false, 1000);
	for (uint64_t t = 2000; h.state == HEALTH_DOWN; t += 100)
		health_feed(&h, &defaults, true, 100, t);
	assert_true(health_link(&h, &defaults, false, true, 3000));
	assert_int_equal(h.holddown_ms, 1000);
	assert_true(health_link(&h, &defaults, true, true, 3100));
	assert_int_equal(health_deadline(&h), 0); /* the replies decide */
	for (uint64_t t = 3200; t < 4200; t += 100)
		assert_false(health_feed(&h, &defaults, true, 100, t));
	assert_true(health_feed(&h, &defaults, true, 100, 4200));
	assert_int_equal(h.state, HEALTH_UP);
}

static void test_zero_counts_mean_one(void **state)
{
	const struct health_params p = { 0, 0, 0, 0 };
	struct health h;

	health_init(&h, 0);
	assert_true(health_feed(&h, &p, false, 0, 0));
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_true(health_feed(&h, &p, true, 10, 0));
	assert_int_equal(h.state, HEALTH_UP);
}

static void test_link_down_up_checked(void **state)
{
	struct health h;
	char buf[64];

	health_init(&h, 0);
	feed(&h, true, 100);
	assert_true(health_link(&h, &defaults, false, true, 1000));
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_int_equal(h.since_ms, 1000);
	assert_false(health_usable(&h));
	health_reason(&h, buf, sizeof(buf));
	assert_string_equal(buf, "link down");
	/* Repeated events are no change. */
	assert_false(health_link(&h, &defaults, false, true, 1001));

	/* Replies while the link is down do not bring it up. */
	for (int i = 0; i < 10; i++)
		assert_false(feed(&h, true, 100));
	assert_int_equal(h.state, HEALTH_DOWN);

	assert_true(health_link(&h, &defaults, true, true, 2000));
	assert_true(h.link_up);
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_false(health_usable(&h));
	assert_false(health_link(&h, &defaults, true, true, 2001));
	/* The run starts at the link event: the 10 replies above are void. */
	for (int i = 0; i < 4; i++)
		assert_false(feed(&h, true, 100));
	assert_true(feed(&h, true, 100));
	assert_int_equal(h.state, HEALTH_UP);
	assert_true(health_usable(&h));
}

static void test_link_down_up_unchecked(void **state)
{
	struct health h;
	char buf[64];

	health_init(&h, 0);
	/* An unchecked gateway with its link up is up: nothing else tells. */
	assert_true(health_link(&h, &defaults, true, false, 5));
	assert_int_equal(h.state, HEALTH_UP);
	assert_false(health_link(&h, &defaults, true, false, 6));
	assert_true(health_link(&h, &defaults, false, false, 10));
	assert_int_equal(h.state, HEALTH_DOWN);
	assert_true(health_link(&h, &defaults, true, false, 20));
	assert_int_equal(h.state, HEALTH_UP);
	assert_int_equal(h.since_ms, 20);
	assert_true(health_usable(&h));
	health_reason(&h, buf, sizeof(buf));
	assert_string_equal(buf, "link up");
}

static void test_link_down_while_down(void **state)
{
	struct health h;
	char buf[64];

	health_init(&h, 0);
	for (int i = 0; i < 5; i++)
		feed(&h, false, 0);
	assert_int_equal(h.state, HEALTH_DOWN);
	/* The state stays, but the link flag and the reason change. */
	assert_true(health_link(&h, &defaults, false, true, 10));
	health_reason(&h, buf, sizeof(buf));
	assert_string_equal(buf, "link down");
}

static void test_window(void **state)
{
	struct health h;

	health_init(&h, 0);
	feed(&h, true, 1000);
	feed(&h, false, 0);
	feed(&h, true, 3000);
	feed(&h, false, 0);
	assert_true(health_loss_pct(&h) == 50.0);
	assert_true(health_rtt_ms(&h) == 2.0);
	assert_int_equal(h.sent, 4);
	assert_int_equal(h.lost, 2);

	/* Push everything above out of the window with 20 replies of 500 us. */
	for (int i = 0; i < HEALTH_WINDOW; i++)
		feed(&h, true, 500);
	assert_true(health_loss_pct(&h) == 0.0);
	assert_true(health_rtt_ms(&h) == 0.5);
	assert_int_equal(h.ring_len, HEALTH_WINDOW);

	for (int i = 0; i < HEALTH_WINDOW / 4; i++)
		feed(&h, false, 0);
	assert_true(health_loss_pct(&h) == 25.0);
	assert_true(health_rtt_ms(&h) == 0.5);
	for (int i = 0; i < HEALTH_WINDOW; i++)
		feed(&h, false, 0);
	assert_true(health_loss_pct(&h) == 100.0);
	assert_true(health_rtt_ms(&h) == 0.0);
	assert_int_equal(h.sent, 4 + 2 * HEALTH_WINDOW + HEALTH_WINDOW / 4);
}

static void test_reason_truncates(void **state)
{
	struct health h;
	char buf[8];

	health_init(&h, 0);
	feed(&h, true, 100);
	memset(buf, 'x', sizeof(buf));
	health_reason(&h, buf, sizeof(buf));
	assert_string_equal(buf, "after 1");
	health_reason(&h, buf, 0);
}

static void test_state_names(void **state)
{
	assert_string_equal(health_state_name(HEALTH_UNKNOWN), "unknown");
	assert_string_equal(health_state_name(HEALTH_UP), "up");
	assert_string_equal(health_state_name(HEALTH_DOWN), "down");
}

/* xorshift64*: the test's own PRNG, fixed seed, so runs are repeatable. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static double uniform(uint64_t *s)
{
	return (next_random(s) >> 11) * (1.0 / 9007199254740992.0);
}

/*
 * The defaults' claim: 5 % iid loss for 10 minutes (6000 probes at
 * 100 ms) almost never makes 5 consecutive losses (expected number of runs
 * 0.05^5 x 6000 = 0.002). Several seeds, so one lucky seed proves nothing.
 */
static void test_random_loss_stays_up(void **state)
{
	unsigned total_lost = 0;

	for (uint64_t seed = 1; seed <= 20; seed++) {
		uint64_t rng = 0x9e3779b97f4a7c15ull * seed;
		struct health h;

		health_init(&h, 0);
		for (unsigned i = 0; i < 6000; i++) {
			bool replied = uniform(&rng) >= 0.05;

			health_feed(&h, &defaults, replied, 300, i * 100);
			assert_int_not_equal(h.state, HEALTH_DOWN);
		}
		total_lost += h.lost;
	}
	/* The simulation really lost about 5 % (6000 x 20 x 0.05 = 6000). */
	assert_in_range(total_lost, 5400, 6600);
}

/*
 * A blackout with the defaults: probes every 100 ms jittered by +-10 %,
 * each loss known 300 ms after its send. The gateway must be DOWN within
 * 1 s of the blackout's start, wherever in the interval it starts.
 */
static void test_blackout_down_within_a_second(void **state)
{
	uint64_t rng = 12345;
	uint64_t worst = 0, sum = 0;
	const unsigned runs = 200;

	for (unsigned run = 0; run < runs; run++) {
		struct health h;
		uint64_t t = 0;
		/* The blackout starts at a random time after 2 s of replies. */
		uint64_t blackout = 2000 + (uint64_t)(uniform(&rng) * 100);
		uint64_t down_at = 0;

		health_init(&h, 0);
		while (!down_at) {
			bool replied = t < blackout;
			/* A reply comes back well within the timeout. */
			uint64_t known = replied ? t + 1 : t + 300;

			if (health_feed(&h, &defaults, replied, 500, known) &&
			    h.state == HEALTH_DOWN)
				down_at = known;
			t += 90 + (uint64_t)(uniform(&rng) * 21);
			assert_true(t < 10000);
		}
		assert_true(down_at > blackout);
		if (down_at - blackout > worst)
			worst = down_at - blackout;
		sum += down_at - blackout;
	}
	print_message("blackout -> down: mean %.0f ms, worst %llu ms\n",
		      (double)sum / runs, (unsigned long long)worst);
	assert_true(worst <= 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_unknown_up_on_first_reply),
		cmocka_unit_test(test_unknown_down_after_losses),
		cmocka_unit_test(test_up_down_up),
		cmocka_unit_test(test_flapping_never_down),
		cmocka_unit_test(test_down_needs_consecutive_replies),
		cmocka_unit_test(test_flap_damping),
		cmocka_unit_test(test_holddown_grows),
		cmocka_unit_test(test_holddown_link),
		cmocka_unit_test(test_zero_counts_mean_one),
		cmocka_unit_test(test_link_down_up_checked),
		cmocka_unit_test(test_link_down_up_unchecked),
		cmocka_unit_test(test_link_down_while_down),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_reason_truncates),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_random_loss_stays_up),
		cmocka_unit_test(test_blackout_down_within_a_second),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
