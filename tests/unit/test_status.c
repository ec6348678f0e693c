// SPDX-License-Identifier: MIT
/*
 * test_status.c - `ecmpctl status` and `ecmpctl -j status` say why an
 * uplink is down and how long its hold-down still lasts (calm failback,
 * health.h), and the JSON status carries the netwatches as the text one
 * does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/netwatch.h"
#include "daemon/status.h"
#include "health/health.h"
#include "health/watch.h"

static const struct health_params params = {
	.down_count = 5,
	.up_count = 5,
	.flap_window_ms = 3000,
	.holddown_ms = 500,
};

static char *render(const struct status *s, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (json)
		status_json(f, s);
	else
		status_text(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Up, down by lost probes, back, down again at once: a flap. */
static uint64_t flapped(struct health *h)
{
	uint64_t t = 0;

	health_init(h, 0);
	for (int i = 0; i < 10; i++, t += 100)
		health_feed(h, &params, true, 400, t);
	for (int i = 0; i < 5; i++, t += 100)
		health_feed(h, &params, false, 0, t);
	while (h->state == HEALTH_DOWN) {
		health_feed(h, &params, true, 400, t);
		t += 100;
	}
	for (int i = 0; i < 5; i++, t += 100)
		health_feed(h, &params, false, 0, t);
	/* Three replies into the 1 s hold-down. */
	for (int i = 0; i < 3; i++, t += 100)
		health_feed(h, &params, true, 400, t);
	return t - 100;
}

static void test_down_reason_and_holddown(void **state)
{
	struct status_uplink up = { .interface = "wlan1",
				    .gateway_text = "10.111.0.1" };
	struct status s = { .config_path = "x.rsc",
			    .uplinks = &up,
			    .n_uplinks = 1 };
	char *out;

	s.now_ms = flapped(&up.health);
	assert_int_equal(up.health.state, HEALTH_DOWN);
	up.holddown_left_ms = health_holddown_left_ms(&up.health, s.now_ms);
	assert_int_equal(up.holddown_left_ms, 800);
	health_reason(&up.health, up.reason, sizeof(up.reason));

	out = render(&s, false);
	assert_non_null(strstr(out, "uplink wlan1 down: after 5 lost probes "
				    "(loss 50%, rtt 0.4 ms), hold-down 1.0 s "
				    "after 2 recent failures; 0.8 s left\n"));
	free(out);
	out = render(&s, true);
	assert_non_null(strstr(out, "\"holddown_s\":1.000,"
				    "\"holddown_left_s\":0.800,"
				    "\"failures\":2,\"reason\":\"after 5 lost "
				    "probes (loss 50%, rtt 0.4 ms), hold-down "
				    "1.0 s after 2 recent failures\"}"));
	/* No netwatches given: no key for them. */
	assert_null(strstr(out, "netwatches"));
	free(out);
}

static void test_json_netwatches(void **state)
{
	struct netwatch_record v[2] = {
		{ .host = 0x08080808,
		  .enabled = true,
		  .interface = "wlan1",
		  .params = { .window = 1,
			      .loss_count = 1,
			      .holddown_ms = 2000 } },
		{ .host = 0x01010101, .enabled = false },
	};
	struct netwatches ws = { .v = v, .n = 2 };
	struct status s = { .config_path = "x.rsc", .netwatches = &ws };
	char *out;

	watch_init(&v[0].watch, 0);
	watch_init(&v[1].watch, 0);
	assert_true(watch_feed(&v[0].watch, &v[0].params, false, 0, 100));
	s.now_ms = 500;
	out = render(&s, true);
	assert_non_null(strstr(out,
			       "\"uplinks\":[],\"clients\":[],\"netwatches\":[{"
			       "\"host\":\"8.8.8.8\",\"interface\":"
			       "\"wlan1\",\"state\":\"down\","
			       "\"loss_pct\":100.0,\"rtt_ms\":0.000,"
			       "\"jitter_ms\":0.000,\"holddown_s\":2.000,"
			       "\"holddown_left_s\":2.000,\"failures\":1,"
			       "\"reason\":\"1 of 1 probes lost "
			       "(thr-loss-count 1)\"}],\"reloads_ok\""));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_down_reason_and_holddown),
		cmocka_unit_test(test_json_netwatches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
