// SPDX-License-Identifier: MIT
/*
 * test_uplink.c - the daemon's per-uplink records without a kernel: which
 * record the planner's usable() answer comes from, what a new record
 * starts as, which records keep their evidence across a new plan, and the
 * state file's round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/state.h"
#include "daemon/uplink.h"
#include "plan/plan.h"

/* Links: "wlan1" and "wlan2" are up, everything else is down. */
static bool fake_link(void *ctx, const char *ifname)
{
	int *calls = ctx;

	(*calls)++;
	return !strcmp(ifname, "wlan1") || !strcmp(ifname, "wlan2");
}

static struct plan_uplink pu(unsigned id, const char *ifname, uint32_t gw,
			     enum check_gateway check)
{
	struct plan_uplink u = {
		.id = id, .has_gateway = true, .gateway = gw, .check = check
	};

	snprintf(u.interface, sizeof(u.interface), "%s", ifname);
	return u;
}

static void test_new_records(void **state)
{
	struct plan_uplink ups[] = {
		pu(1, "wlan1", 0x0a6f0001, CHECK_PING),
		pu(2, "wlan3", 0x0a700001, CHECK_PING),
		pu(3, "wlan2", 0x0a710001, CHECK_NONE),
	};
	struct plan p = { .uplinks = ups, .n_uplinks = 3 };
	int calls = 0;
	struct uplink *v = uplinks_for(&p, NULL, 0, fake_link, &calls, 1000);

	assert_non_null(v);
	/* Probed, link up: unknown until evidence comes, and usable. */
	assert_int_equal(v[0].health.state, HEALTH_UNKNOWN);
	assert_true(v[0].usable);
	assert_true(v[0].link_up);
	/* Link down: down at once. */
	assert_int_equal(v[1].health.state, HEALTH_DOWN);
	assert_false(v[1].usable);
	/* Not probed, link up: up at once. */
	assert_int_equal(v[2].health.state, HEALTH_UP);
	assert_int_equal(v[2].id, 3);
	assert_int_equal(calls, 3);
	free(v);
}

static void test_usable_from_records(void **state)
{
	struct plan_uplink ups[] = { pu(1, "wlan1", 0x0a6f0001, CHECK_PING) };
	struct plan p = { .uplinks = ups, .n_uplinks = 1 };
	struct plan_uplink same = ups[0], other_check = ups[0];
	struct plan_uplink other = pu(2, "wlan9", 0x0a6f0009, CHECK_PING);
	int calls = 0;
	struct uplink *v = uplinks_for(&p, NULL, 0, fake_link, &calls, 0);

	assert_non_null(v);
	/* The record says down: the planner must leave it out. */
	health_link(&v[0].health, &(struct health_params){ 0 }, false, true,
		    10);
	calls = 0;
	assert_false(uplink_usable(v, 1, &same, fake_link, &calls));
	assert_int_equal(calls, 0);
	/* Another check: the evidence is void, the link decides. */
	other_check.check = CHECK_ARP;
	assert_true(uplink_usable(v, 1, &other_check, fake_link, &calls));
	assert_int_equal(calls, 1);
	/* No record: the link decides (wlan9 is down). */
	assert_false(uplink_usable(v, 1, &other, fake_link, &calls));
	free(v);
}

static void test_records_carry_over(void **state)
{
	struct plan_uplink a[] = { pu(1, "wlan1", 0x0a6f0001, CHECK_PING),
				   pu(2, "wlan2", 0x0a700001, CHECK_PING) };
	struct plan_uplink b[] = { pu(2, "wlan2", 0x0a700001, CHECK_ARP),
				   pu(1, "wlan1", 0x0a6f0001, CHECK_PING) };
	struct plan pa = { .uplinks = a, .n_uplinks = 2 };
	struct plan pb = { .uplinks = b, .n_uplinks = 2 };
	int calls = 0;
	struct uplink *old = uplinks_for(&pa, NULL, 0, fake_link, &calls, 0);
	struct uplink *next;

	assert_non_null(old);
	health_link(&old[0].health, &(struct health_params){ 0 }, false, true,
		    5);
	health_link(&old[1].health, &(struct health_params){ 0 }, false, true,
		    5);
	next = uplinks_for(&pb, old, 2, fake_link, &calls, 100);
	assert_non_null(next);
	/* wlan2's check changed: a fresh start from its link (up). */
	assert_string_equal(next[0].interface, "wlan2");
	assert_int_equal(next[0].health.state, HEALTH_UNKNOWN);
	assert_int_equal(next[0].check, CHECK_ARP);
	/* wlan1 kept its evidence (down). */
	assert_string_equal(next[1].interface, "wlan1");
	assert_int_equal(next[1].health.state, HEALTH_DOWN);
	uplinks_release(old, 2, next, 2, NULL);
	free(next);
}

/*
 * The daemon rebuilds the records only when a plan's uplinks differ from
 * them: a gateway placed or unplaced by the kernel's addresses, an id or
 * a check that changed.
 */
static void test_records_match(void **state)
{
	struct plan_uplink a[] = { pu(1, "wlan1", 0x0a6f0001, CHECK_PING),
				   pu(2, "wlan2", 0x0a700001, CHECK_PING) };
	struct plan_uplink b[] = { pu(2, "wlan2", 0x0a700001, CHECK_PING),
				   pu(1, "wlan1", 0x0a6f0001, CHECK_PING) };
	struct plan pa = { .uplinks = a, .n_uplinks = 2 };
	struct plan pb = { .uplinks = b, .n_uplinks = 2 };
	struct plan one = { .uplinks = a, .n_uplinks = 1 };
	int calls = 0;
	struct uplink *v = uplinks_for(&pa, NULL, 0, fake_link, &calls, 0);

	(void)state;
	assert_non_null(v);
	assert_true(uplinks_match(&pa, v, 2));
	assert_true(uplinks_match(&pb, v, 2)); /* order does not matter */
	assert_false(uplinks_match(&one, v, 2)); /* wlan2's left */
	assert_false(uplinks_match(&pa, v, 1)); /* wlan2's arrived */
	b[0].check = CHECK_ARP;
	assert_false(uplinks_match(&pb, v, 2));
	b[0].check = CHECK_PING;
	b[0].id = 3;
	assert_false(uplinks_match(&pb, v, 2));
	b[0].id = 2;
	b[0].gateway = 0x0a700002; /* the lease moved to another gateway */
	assert_false(uplinks_match(&pb, v, 2));
	free(v);
}

/*
 * A target (a recursive gateway through an uplink) has a record after the
 * uplinks': the target as its gateway, the uplink's id and first hop. It
 * answers the planner for the target, never for the uplink, and keeps its
 * evidence across a plan only while it is reached through the same uplink.
 */
static void test_target_records(void **state)
{
	struct plan_uplink ups[] = { pu(1, "wlan1", 0x0a6f0001, CHECK_NONE) };
	struct plan_target t = { .target = 0x08080808,
				 .uplink = 1,
				 .interface = "wlan1",
				 .has_gateway = true,
				 .gateway = 0x0a6f0001,
				 .check = CHECK_PING };
	struct plan p = {
		.uplinks = ups, .n_uplinks = 1, .targets = &t, .n_targets = 1
	};
	int calls = 0;
	struct uplink *v = uplinks_for(&p, NULL, 0, fake_link, &calls, 0);
	struct uplink *next;

	assert_non_null(v);
	assert_int_equal(uplinks_count(&p), 2);
	assert_false(v[0].recursive);
	assert_true(v[1].recursive);
	assert_int_equal(v[1].id, 1);
	assert_int_equal(v[1].gateway, 0x08080808);
	assert_int_equal(v[1].via, 0x0a6f0001);
	assert_int_equal(v[1].check, CHECK_PING);
	/* The target silent: it answers for itself, not for the uplink. */
	health_link(&v[1].health, &(struct health_params){ 0 }, false, true,
		    10);
	assert_false(uplink_target_usable(v, 2, &t, fake_link, &calls));
	assert_true(uplink_usable(v, 2, &ups[0], fake_link, &calls));
	assert_ptr_equal(uplink_find(v, 2, "wlan1", true, 0x0a6f0001), &v[0]);
	assert_null(uplink_find(v, 2, "wlan1", true, 0x08080808));
	/* The same target through the same uplink keeps its evidence... */
	next = uplinks_for(&p, v, 2, fake_link, &calls, 20);
	assert_non_null(next);
	assert_int_equal(next[1].health.state, HEALTH_DOWN);
	free(next);
	/* ...through another first hop it starts afresh. */
	t.gateway = 0x0a6f0009;
	next = uplinks_for(&p, v, 2, fake_link, &calls, 20);
	assert_non_null(next);
	assert_int_equal(next[1].health.state, HEALTH_UNKNOWN);
	assert_true(uplink_target_usable(next, 2, &t, fake_link, &calls));
	uplinks_release(v, 2, next, 2, NULL);
	free(next);
}

static void test_state_file(void **state)
{
	char dir[] = "/tmp/ecmpd-state-XXXXXX", sock[64];
	struct plan_address pa = { .interface = "wlan1",
				   .addr = 0x0a6f0002,
				   .len = 24,
				   .broadcast = 0x0a6f00ff };
	struct state s, t;

	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/ecmpd.sock", dir);
	state_init(&s, sock);
	assert_int_equal(state_add_address(&s, &pa), 0);
	assert_int_equal(state_add_address(&s, &pa), 0); /* once */
	assert_int_equal(state_save_sysctl(&s, "net.ipv4.ip_forward", "0"), 0);
	assert_true(state_has_sysctl(&s, "net.ipv4.ip_forward"));
	state_write(&s);
	state_init(&t, sock);
	state_read(&t, &(struct plan_sysctl){ "net.ipv4.ip_forward", "1" }, 1);
	assert_int_equal(t.n_added, 1);
	assert_string_equal(t.added[0].interface, "wlan1");
	assert_int_equal(t.added[0].addr, pa.addr);
	assert_int_equal(t.added[0].len, 24);
	assert_int_equal(t.added[0].broadcast, pa.broadcast);
	assert_int_equal(t.n_saved, 1);
	assert_string_equal(t.saved[0].value, "0");
	state_remove(&t);
	assert_int_equal(access(t.path, F_OK), -1);
	state_free(&s);
	state_free(&t);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_records),
		cmocka_unit_test(test_usable_from_records),
		cmocka_unit_test(test_records_carry_over),
		cmocka_unit_test(test_records_match),
		cmocka_unit_test(test_target_records),
		cmocka_unit_test(test_state_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
