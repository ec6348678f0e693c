// SPDX-License-Identifier: MIT
/*
 * test_probe.c - the pure parts of probe.c: the Internet checksum, echo
 * and ARP packets, reply matching (a reply with a wrong id, cookie, source
 * or an unknown seq must not count), the jitter, and the window that puts
 * outcomes in sending order. One test pings 127.0.0.1 on lo when run as
 * root, to see the whole probe_run path work; it skips otherwise.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <linux/if_packet.h>

#include "base/log.h"
#include "health/probe.h"

static const uint8_t cookie[PROBE_KEY_LEN] = { 1, 2,  3,  4,  5,  6,  7,  8,
					       9, 10, 11, 12, 13, 14, 15, 16 };
#define STAMP 0x0102030405060708ull

static void test_checksum(void **state)
{
	/* RFC 1071's example: the sum is 0xddf2, the checksum its complement. */
	const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	uint16_t c;

	c = probe_checksum(rfc, sizeof(rfc));
	assert_int_equal(((const uint8_t *)&c)[0], 0x22);
	assert_int_equal(((const uint8_t *)&c)[1], 0x0d);
	/* 0x0102 + 0x0300 = 0x0402 -> 0xfbfd */
	c = probe_checksum(odd, sizeof(odd));
	assert_int_equal(((const uint8_t *)&c)[0], 0xfb);
	assert_int_equal(((const uint8_t *)&c)[1], 0xfd);
	/* Carries fold back in. */
	const uint8_t ff[] = { 0xff, 0xff, 0xff, 0xff, 0x00, 0x02 };
	c = probe_checksum(ff, sizeof(ff));
	assert_int_equal(((const uint8_t *)&c)[0], 0xff);
	assert_int_equal(((const uint8_t *)&c)[1], 0xfd);
	assert_int_equal(probe_checksum(NULL, 0), 0xffff);
}

static void test_build_echo(void **state)
{
	uint8_t buf[PROBE_ECHO_LEN];

	assert_int_equal(probe_build_echo(buf, 0xbeef, 0x1234, STAMP, cookie),
			 PROBE_ECHO_LEN);
	assert_int_equal(buf[0], 8); /* echo request */
	assert_int_equal(buf[1], 0);
	assert_int_equal(buf[4], 0xbe);
	assert_int_equal(buf[5], 0xef);
	assert_int_equal(buf[6], 0x12);
	assert_int_equal(buf[7], 0x34);
	/* The payload: the stamp, then its tag. */
	assert_int_equal(buf[8], 0x01);
	assert_int_equal(buf[15], 0x08);
	/* A correct checksum makes the whole message sum to zero. */
	assert_int_equal(probe_checksum(buf, sizeof(buf)), 0);
}

#define GW 0x0a6f0001u /* 10.111.0.1 */

/* An echo reply as a raw socket reads it: IPv4 header, then ICMP. */
static size_t make_reply(uint8_t *pkt, uint32_t src, uint16_t id, uint16_t seq,
			 const uint8_t *ck)
{
	uint8_t *icmp = pkt + 20;
	uint16_t sum;

	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[2] = 0;
	pkt[3] = 20 + PROBE_ECHO_LEN;
	pkt[8] = 64;
	pkt[9] = 1; /* ICMP */
	pkt[12] = src >> 24;
	pkt[13] = src >> 16;
	pkt[14] = src >> 8;
	pkt[15] = src;
	probe_build_echo(icmp, id, seq, STAMP, ck);
	/* The reply is the request turned around: type 0, new checksum. */
	icmp[0] = 0;
	icmp[2] = icmp[3] = 0;
	sum = probe_checksum(icmp, PROBE_ECHO_LEN);
	memcpy(icmp + 2, &sum, 2);
	return 20 + PROBE_ECHO_LEN;
}

static void test_match_echo_reply(void **state)
{
	uint8_t pkt[64], bad[PROBE_KEY_LEN];
	uint64_t stamp = 0;
	uint16_t seq = 0;
	size_t len;

	len = make_reply(pkt, GW, 0xbeef, 7, cookie);
	assert_true(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					   &stamp));
	assert_int_equal(seq, 7);

	/* Wrong id. */
	len = make_reply(pkt, GW, 0xbeee, 7, cookie);
	assert_false(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					    &stamp));

	/* Wrong key: a forger who knows id and seq but not the secret. */
	memcpy(bad, cookie, sizeof(bad));
	bad[15] ^= 1;
	len = make_reply(pkt, GW, 0xbeef, 7, bad);
	assert_false(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					    &stamp));

	/* From another host. */
	len = make_reply(pkt, GW + 1, 0xbeef, 7, cookie);
	assert_false(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					    &stamp));

	/* Our own request, as a raw socket on lo would see it. */
	len = make_reply(pkt, GW, 0xbeef, 7, cookie);
	pkt[20] = 8;
	assert_false(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					    &stamp));

	/* A corrupted reply fails its checksum. */
	len = make_reply(pkt, GW, 0xbeef, 7, cookie);
	pkt[20 + 7] ^= 0x01; /* seq 7 -> 6, checksum left as it was */
	assert_false(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					    &stamp));

	/* Truncated, not IPv4, an IP fragment. */
	len = make_reply(pkt, GW, 0xbeef, 7, cookie);
	assert_false(probe_match_echo_reply(pkt, len - 1, GW, 0xbeef, cookie,
					    &seq, &stamp));
	assert_false(probe_match_echo_reply(pkt, 10, GW, 0xbeef, cookie, &seq,
					    &stamp));
	pkt[0] = 0x65;
	assert_false(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					    &stamp));
	pkt[0] = 0x45;
	pkt[6] = 0x20; /* more fragments */
	assert_false(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					    &stamp));
	pkt[6] = 0;
	assert_true(probe_match_echo_reply(pkt, len, GW, 0xbeef, cookie, &seq,
					   &stamp));

	/* IP options: the ICMP part starts after ihl words. */
	{
		uint8_t opt[80];

		make_reply(opt + 4, GW, 0xbeef, 9, cookie);
		memmove(opt, opt + 4, 20);
		opt[0] = 0x46;
		opt[3] = 24 + PROBE_ECHO_LEN;
		memset(opt + 20, 1, 4); /* NOP options */
		assert_true(probe_match_echo_reply(opt, 24 + PROBE_ECHO_LEN, GW,
						   0xbeef, cookie, &seq,
						   &stamp));
		assert_int_equal(seq, 9);
	}
}

static void test_match_echo_error(void **state)
{
	uint8_t buf[PROBE_ECHO_LEN];
	uint16_t seq = 0;

	probe_build_echo(buf, 0xbeef, 42, STAMP, cookie);
	assert_true(probe_match_echo_error(buf, sizeof(buf), 0xbeef, &seq));
	assert_int_equal(seq, 42);
	/* Only the 8-byte header quoted is still ours. */
	assert_true(probe_match_echo_error(buf, 8, 0xbeef, &seq));
	assert_false(probe_match_echo_error(buf, 7, 0xbeef, &seq));
	assert_false(probe_match_echo_error(buf, sizeof(buf), 0xbeee, &seq));
	buf[0] = 0;
	assert_false(probe_match_echo_error(buf, sizeof(buf), 0xbeef, &seq));
}

static void test_arp(void **state)
{
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	const uint32_t me = 0x0a6f0002u;
	uint8_t req[PROBE_ARP_LEN], rep[PROBE_ARP_LEN];

	assert_int_equal(probe_build_arp(req, mac, me, GW), PROBE_ARP_LEN);
	const uint8_t want[PROBE_ARP_LEN] = {
		0,    1,   8, 0, 6, 4, 0, 1, /* ether, ip, request */
		0x02, 0,   0, 0, 0, 2, /* sender mac */
		10,   111, 0, 2, /* sender ip */
		0,    0,   0, 0, 0, 0, /* target mac */
		10,   111, 0, 1, /* target ip */
	};
	assert_memory_equal(req, want, PROBE_ARP_LEN);
	/* Our own request is not a reply. */
	assert_false(probe_match_arp_reply(req, sizeof(req), PACKET_HOST, GW,
					   me, mac));

	/* The gateway's reply: op 2, sender the gateway, target us. */
	memset(rep, 0, sizeof(rep));
	memcpy(rep, want, 6);
	rep[6] = 0;
	rep[7] = 2;
	memcpy(rep + 8, (const uint8_t[]){ 2, 0, 0, 0, 0, 1 }, 6);
	memcpy(rep + 14, (const uint8_t[]){ 10, 111, 0, 1 }, 4);
	memcpy(rep + 18, mac, 6);
	memcpy(rep + 24, (const uint8_t[]){ 10, 111, 0, 2 }, 4);
	assert_true(probe_match_arp_reply(rep, sizeof(rep), PACKET_HOST, GW, me,
					  mac));
	assert_false(probe_match_arp_reply(rep, sizeof(rep) - 1, PACKET_HOST,
					   GW, me, mac));
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_HOST,
					   GW + 5, me, mac));
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_HOST, GW,
					   me + 1, mac));
	rep[7] = 1;
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_HOST, GW,
					   me, mac));
}

static void test_jitter(void **state)
{
	uint64_t rng = 1;
	unsigned lo = ~0u, hi = 0;

	for (int i = 0; i < 10000; i++) {
		unsigned j = probe_jitter(100, probe_random(&rng));

		lo = j < lo ? j : lo;
		hi = j > hi ? j : hi;
	}
	/* +-10 %, and the whole range is used. */
	assert_int_equal(lo, 90);
	assert_int_equal(hi, 110);
	assert_int_equal(probe_jitter(1, 12345), 1);
	assert_int_equal(probe_jitter(0, 12345), 1);
	for (uint64_t r = 0; r < 100; r++)
		assert_in_range(probe_jitter(1000, r), 900, 1100);
}

static void test_random_differs_by_seed(void **state)
{
	uint64_t a = 1, b = 2;

	assert_int_not_equal(probe_random(&a), probe_random(&b));
	a = 1;
	b = 1;
	assert_int_equal(probe_random(&a), probe_random(&b));
}

static uint16_t send_at(struct probe_window *w, uint64_t t)
{
	uint16_t seq = 0;

	assert_true(probe_window_send(w, t, &seq));
	return seq;
}

static void test_window_order(void **state)
{
	struct probe_window w;
	struct probe_outcome out[8];
	uint16_t a, b, c;

	probe_window_init(&w, 100);
	assert_int_equal(probe_window_deadline(&w, 300), UINT64_MAX);
	a = send_at(&w, 1000);
	b = send_at(&w, 1100);
	c = send_at(&w, 1200);
	assert_int_equal(a, 100);
	assert_int_equal(c, 102);
	assert_int_equal(probe_window_count(&w), 3);
	assert_int_equal(probe_window_deadline(&w, 300), 1300);

	/* c answers first: nothing may be reported before a and b. */
	assert_true(probe_window_reply(&w, c, 500, 300));
	assert_int_equal(probe_window_pop(&w, out, 8), 0);
	assert_true(probe_window_reply(&w, a, 700, 300));
	/* A duplicate and an unknown seq do not count. */
	assert_false(probe_window_reply(&w, a, 700, 300));
	assert_false(probe_window_reply(&w, 99, 700, 300));
	assert_false(probe_window_reply(&w, 103, 700, 300));
	assert_false(probe_window_pending(&w, 103));

	assert_int_equal(probe_window_pop(&w, out, 8), 1);
	assert_int_equal(out[0].seq, a);
	assert_true(out[0].replied);
	assert_int_equal(out[0].rtt_us, 700);
	/* Resolved a, now b is the oldest pending. */
	assert_int_equal(probe_window_deadline(&w, 300), 1400);

	/* b times out at 1100 + 300. */
	probe_window_expire(&w, 1399, 300);
	assert_true(probe_window_pending(&w, b));
	probe_window_expire(&w, 1400, 300);
	assert_false(probe_window_pending(&w, b));
	/* A late reply for an expired seq is ignored. */
	assert_false(probe_window_reply(&w, b, 100, 300));
	assert_int_equal(probe_window_deadline(&w, 300), 1100);

	assert_int_equal(probe_window_pop(&w, out, 8), 2);
	assert_int_equal(out[0].seq, b);
	assert_false(out[0].replied);
	assert_int_equal(out[0].rtt_us, 0);
	assert_int_equal(out[1].seq, c);
	assert_true(out[1].replied);
	assert_int_equal(out[1].rtt_us, 500);
	assert_int_equal(probe_window_count(&w), 0);
}

static void test_window_pop_max(void **state)
{
	struct probe_window w;
	struct probe_outcome out[2];

	probe_window_init(&w, 0);
	for (int i = 0; i < 5; i++)
		assert_true(probe_window_lose(&w, send_at(&w, 10 * i)));
	assert_int_equal(probe_window_pop(&w, out, 2), 2);
	assert_int_equal(out[1].seq, 1);
	/* The rest are ready: the deadline is in the past. */
	assert_int_equal(probe_window_deadline(&w, 300), 20);
	assert_int_equal(probe_window_pop(&w, out, 2), 2);
	assert_int_equal(out[0].seq, 2);
	assert_int_equal(probe_window_pop(&w, out, 2), 1);
	assert_int_equal(out[0].seq, 4);
	assert_int_equal(probe_window_pop(&w, out, 2), 0);
}

static void test_window_late_reply_is_loss(void **state)
{
	struct probe_window w;
	struct probe_outcome out[1];
	uint16_t s;

	probe_window_init(&w, 0);
	s = send_at(&w, 0);
	/* Read late, but the kernel stamp says 301 ms: the timer's verdict. */
	assert_true(probe_window_reply(&w, s, 301000, 300));
	assert_int_equal(probe_window_pop(&w, out, 1), 1);
	assert_false(out[0].replied);
	s = send_at(&w, 0);
	assert_true(probe_window_reply(&w, s, 300000, 300));
	assert_int_equal(probe_window_pop(&w, out, 1), 1);
	assert_true(out[0].replied);
}

static void test_window_wraps(void **state)
{
	struct probe_window w;
	struct probe_outcome out[4];
	uint16_t a, b, oldest;

	probe_window_init(&w, 65535);
	a = send_at(&w, 0);
	b = send_at(&w, 1);
	assert_int_equal(a, 65535);
	assert_int_equal(b, 0);
	assert_true(probe_window_pending(&w, 0));
	assert_false(probe_window_pending(&w, 1));
	assert_false(probe_window_pending(&w, 65534));
	assert_true(probe_window_oldest_pending(&w, &oldest));
	assert_int_equal(oldest, 65535);
	assert_true(probe_window_reply(&w, b, 10, 300));
	assert_true(probe_window_oldest_pending(&w, &oldest));
	assert_int_equal(oldest, 65535);
	assert_true(probe_window_lose(&w, a));
	assert_false(probe_window_lose(&w, a));
	assert_false(probe_window_oldest_pending(&w, &oldest));
	assert_int_equal(probe_window_pop(&w, out, 4), 2);
	assert_int_equal(out[0].seq, 65535);
	assert_int_equal(out[1].seq, 0);
}

static void test_window_full(void **state)
{
	struct probe_window w;
	struct probe_outcome out[1];
	uint16_t seq;

	probe_window_init(&w, 7);
	for (int i = 0; i < PROBE_WINDOW; i++)
		send_at(&w, i);
	assert_false(probe_window_send(&w, 1000, &seq));
	assert_int_equal(probe_window_count(&w), PROBE_WINDOW);
	/* Slots are reused only once reported. */
	probe_window_expire(&w, 300, 300);
	assert_false(probe_window_send(&w, 1000, &seq));
	assert_int_equal(probe_window_pop(&w, out, 1), 1);
	assert_true(probe_window_send(&w, 1000, &seq));
	assert_int_equal(seq, (uint16_t)(7 + PROBE_WINDOW));
	assert_true(probe_window_pending(&w, seq));
}

static void test_new_errors(void **state)
{
	struct probe_config cfg = {
		.ifname = "nonexistent0",
		.gateway = GW,
		.kind = CHECK_PING,
		.interval_ms = 100,
		.timeout_ms = 300,
		.seed = 1,
	};

	errno = 0;
	assert_null(probe_new(&cfg));
	assert_int_equal(errno, ENODEV);
	cfg.kind = CHECK_ARP;
	assert_null(probe_new(&cfg));
	assert_int_equal(errno, ENODEV);
	cfg.kind = CHECK_NONE;
	assert_null(probe_new(&cfg));
	assert_int_equal(errno, EINVAL);
	probe_free(NULL);
}

/*
 * The whole path on lo: 127.0.0.1 answers its own echo requests. Needs
 * CAP_NET_RAW; skipped without it. Touches nothing but a socket of its own.
 */
static void test_ping_loopback(void **state)
{
	struct probe_config cfg = {
		.ifname = "lo",
		.gateway = 0x7f000001u,
		.kind = CHECK_PING,
		.interval_ms = 20,
		.timeout_ms = 200,
		.seed = 42,
	};
	struct probe_outcome out[16];
	unsigned replies = 0, losses = 0;
	uint16_t last = 0;
	bool first = true;
	struct probe *p;
	uint64_t end;

	p = probe_new(&cfg);
	if (!p && (errno == EPERM || errno == EACCES))
		skip();
	assert_non_null(p);
	end = now_ms() + 1000;
	while (now_ms() < end && replies < 10) {
		struct pollfd pfd = { .fd = probe_fd(p), .events = POLLIN };
		uint64_t dl = probe_next_deadline(p), now = now_ms();
		size_t n;

		poll(&pfd, 1, dl > now ? (int)(dl - now) : 0);
		n = probe_run(p, now_ms(), out, 16);
		for (size_t i = 0; i < n; i++) {
			/* Consecutive seqs, in order. */
			if (!first)
				assert_int_equal(out[i].seq,
						 (uint16_t)(last + 1));
			first = false;
			last = out[i].seq;
			if (out[i].replied) {
				replies++;
				assert_true(out[i].rtt_us < 200000);
			} else {
				losses++;
			}
		}
	}
	print_message("lo: %u replies, %u losses, id %#x\n", replies, losses,
		      probe_id(p));
	assert_true(replies >= 10);
	assert_int_equal(losses, 0);
	probe_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_build_echo),
		cmocka_unit_test(test_match_echo_reply),
		cmocka_unit_test(test_match_echo_error),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_random_differs_by_seed),
		cmocka_unit_test(test_window_order),
		cmocka_unit_test(test_window_pop_max),
		cmocka_unit_test(test_window_late_reply_is_loss),
		cmocka_unit_test(test_window_wraps),
		cmocka_unit_test(test_window_full),
		cmocka_unit_test(test_new_errors),
		cmocka_unit_test(test_ping_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
