// SPDX-License-Identifier: MIT
/*
 * test_flusher.c - the conntrack flush worker (src/daemon/flusher.c) with
 * a flush function of the test's own (no kernel, no root): results come
 * back through the loop in the order given, an uplink is busy from its
 * submit to its result, the loop keeps turning while a slow flush runs,
 * and freeing the flusher finishes what was queued.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "daemon/flusher.h"
#include "daemon/loop.h"

#define STEP_MS 5000

static atomic_uint flushes; /* calls of slow_flush, on the worker */
static atomic_bool release; /* slow_flush waits for it */

/* Counts value's low byte as the number of entries; blocks until released. */
static int slow_flush(uint32_t value, uint32_t mask, unsigned *count)
{
	struct timespec ms = { 0, 1000000 };

	(void)mask;
	while (!atomic_load(&release))
		nanosleep(&ms, NULL);
	atomic_fetch_add(&flushes, 1);
	*count = value & 0xff;
	return value == 0xdead00 ? -EPERM : 0;
}

struct seen {
	struct flush_result r[8];
	size_t n;
};

static void done(void *ctx, const struct flush_result *r)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->r[s->n++] = *r;
}

/* Turns the loop until n results were seen or STEP_MS passed. */
static void wait_results(struct loop *l, struct seen *s, size_t n)
{
	uint64_t end = now_ms() + STEP_MS;

	while (s->n < n && now_ms() < end)
		assert_int_equal(loop_run_once(l, now_ms() + 10), 0);
	assert_int_equal(s->n, n);
}

static void results_in_order_and_busy(void **state)
{
	struct loop *l = loop_new();
	struct seen s = { 0 };
	struct flusher *f;
	uint64_t t0;

	(void)state;
	atomic_store(&release, false);
	f = flusher_new(l, slow_flush, done, &s);
	assert_non_null(f);
	assert_false(flusher_busy(f, 3));
	assert_int_equal(flusher_submit(f, 3, "gateway a", 0x305, 0xff00), 0);
	assert_int_equal(flusher_submit(f, 7, "gateway b", 0x707, 0xff00), 0);
	assert_int_equal(flusher_submit(f, 3, "gateway a", 0x302, 0xff00), 0);
	assert_true(flusher_busy(f, 3));
	assert_true(flusher_busy(f, 7));
	assert_false(flusher_busy(f, 4));
	assert_int_equal(flusher_submit(f, 256, "x", 0, 0), -EINVAL);

	/* The loop keeps turning while the worker is held. */
	t0 = now_ms();
	for (int i = 0; i < 5; i++)
		assert_int_equal(loop_run_once(l, now_ms() + 10), 0);
	assert_true(now_ms() - t0 < STEP_MS);
	assert_int_equal(s.n, 0);

	atomic_store(&release, true);
	wait_results(l, &s, 3);
	assert_int_equal(s.r[0].id, 3);
	assert_int_equal(s.r[0].count, 5);
	assert_string_equal(s.r[0].label, "gateway a");
	assert_int_equal(s.r[1].id, 7);
	assert_int_equal(s.r[1].count, 7);
	assert_string_equal(s.r[1].label, "gateway b");
	assert_int_equal(s.r[2].id, 3);
	assert_int_equal(s.r[2].count, 2);
	assert_int_equal(s.r[2].err, 0);
	assert_false(flusher_busy(f, 3));
	assert_false(flusher_busy(f, 7));
	flusher_free(f);
	loop_free(l);
}

static void errors_come_back(void **state)
{
	struct loop *l = loop_new();
	struct seen s = { 0 };
	struct flusher *f;

	(void)state;
	atomic_store(&release, true);
	f = flusher_new(l, slow_flush, done, &s);
	assert_non_null(f);
	assert_int_equal(flusher_submit(f, 9, "gateway c", 0xdead00, 0xff00),
			 0);
	wait_results(l, &s, 1);
	assert_int_equal(s.r[0].err, -EPERM);
	flusher_free(f);
	loop_free(l);
}

static void free_finishes_the_queue(void **state)
{
	struct loop *l = loop_new();
	struct seen s = { 0 };
	struct flusher *f;
	unsigned before;

	(void)state;
	atomic_store(&release, false);
	f = flusher_new(l, slow_flush, done, &s);
	assert_non_null(f);
	before = atomic_load(&flushes);
	for (unsigned id = 1; id <= 4; id++)
		assert_int_equal(flusher_submit(f, id, "g", id << 8, 0xff00),
				 0);
	atomic_store(&release, true);
	flusher_free(f);
	assert_int_equal(atomic_load(&flushes) - before, 4);
	assert_int_equal(s.n, 0); /* no callback after free */
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(results_in_order_and_busy),
		cmocka_unit_test(errors_come_back),
		cmocka_unit_test(free_finishes_the_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
