// SPDX-License-Identifier: MIT
/*
 * test_probe_auth.c - that a probe's replies cannot be forged (issue 11,
 * item 4): SipHash-2-4 against the paper's vectors; a reply made from a
 * sniffed request for another seq, with a guessed tag or under another key
 * is refused; a replayed or duplicate reply counts once; a reply to an
 * earlier request that had the same seq (another stamp) does not count; a
 * late one is a loss; ARP replies for another hardware address, from
 * another sender or in frames not addressed to us are refused; and the
 * kernel-side filters, run by a small classic BPF interpreter, pass a
 * reply and drop the junk.
 */
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "health/probe.h"
#include "health/siphash.h"

#define GW 0x0a6f0001u /* 10.111.0.1 */
#define ID 0xbeef

static const uint8_t key[PROBE_KEY_LEN] = { 1, 2,  3,  4,  5,  6,  7,  8,
					    9, 10, 11, 12, 13, 14, 15, 16 };

static void test_siphash_vectors(void **state)
{
	uint8_t k[16], msg[64];

	for (int i = 0; i < 16; i++)
		k[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	/* The paper's appendix and the reference's vectors.h. */
	assert_true(siphash24(k, msg, 15) == 0xa129ca6149be45e5ull);
	assert_true(siphash24(k, msg, 0) == 0x726fdb47dd0e0e31ull);
	assert_true(siphash24(k, msg, 8) == 0x93f5f5799a932462ull);
	assert_true(siphash24(k, msg, 63) == 0x958a324ceb064572ull);
}

/* Turns the request in icmp[0..PROBE_ECHO_LEN) into its reply. */
static void to_reply(uint8_t *icmp)
{
	uint16_t sum;

	icmp[0] = 0;
	icmp[2] = icmp[3] = 0;
	sum = probe_checksum(icmp, PROBE_ECHO_LEN);
	memcpy(icmp + 2, &sum, 2);
}

/* Wraps the ICMP message icmp in an IPv4 header from src. */
static size_t wrap(uint8_t *pkt, uint32_t src, const uint8_t *icmp)
{
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[3] = 20 + PROBE_ECHO_LEN;
	pkt[8] = 64;
	pkt[9] = 1;
	pkt[12] = src >> 24;
	pkt[13] = src >> 16;
	pkt[14] = src >> 8;
	pkt[15] = src;
	memcpy(pkt + 20, icmp, PROBE_ECHO_LEN);
	return 20 + PROBE_ECHO_LEN;
}

/* The genuine reply to request (seq, stamp) under k. */
static size_t genuine(uint8_t *pkt, uint16_t seq, uint64_t stamp,
		      const uint8_t *k)
{
	uint8_t icmp[PROBE_ECHO_LEN];

	probe_build_echo(icmp, ID, seq, stamp, k);
	to_reply(icmp);
	return wrap(pkt, GW, icmp);
}

static void test_genuine_reply(void **state)
{
	uint8_t pkt[64];
	uint64_t stamp = 0;
	uint16_t seq = 0;
	size_t len = genuine(pkt, 77, 123456789, key);

	assert_true(
		probe_match_echo_reply(pkt, len, GW, ID, key, &seq, &stamp));
	assert_int_equal(seq, 77);
	assert_true(stamp == 123456789);
}

/*
 * The attack of the issue: one request sniffed, its payload reused in
 * replies to the next seqs. Before, the payload was a fixed cookie and
 * these replies counted.
 */
static void test_forged_from_sniffed(void **state)
{
	uint8_t icmp[PROBE_ECHO_LEN], pkt[64];
	uint64_t stamp;
	uint16_t seq;

	for (uint16_t next = 1; next < 64; next++) {
		uint16_t sum;

		probe_build_echo(icmp, ID, 1000, 5000, key);
		to_reply(icmp);
		icmp[6] = (uint8_t)((1000 + next) >> 8);
		icmp[7] = (uint8_t)(1000 + next);
		icmp[2] = icmp[3] = 0;
		sum = probe_checksum(icmp, PROBE_ECHO_LEN);
		memcpy(icmp + 2, &sum, 2);
		wrap(pkt, GW, icmp);
		assert_false(probe_match_echo_reply(pkt, 20 + PROBE_ECHO_LEN,
						    GW, ID, key, &seq, &stamp));
	}
	/* A stamp moved on with the seq does not help either. */
	probe_build_echo(icmp, ID, 1000, 5000, key);
	to_reply(icmp);
	icmp[7] ^= 1;
	icmp[15] ^= 1;
	icmp[2] = icmp[3] = 0;
	{
		uint16_t sum = probe_checksum(icmp, PROBE_ECHO_LEN);

		memcpy(icmp + 2, &sum, 2);
	}
	wrap(pkt, GW, icmp);
	assert_false(probe_match_echo_reply(pkt, 20 + PROBE_ECHO_LEN, GW, ID,
					    key, &seq, &stamp));
}

static void test_guessed_and_wrong_key(void **state)
{
	uint8_t pkt[64], other[PROBE_KEY_LEN];
	uint64_t stamp;
	uint16_t seq;
	size_t len;

	/* Another key: a reply signed by another probe (or a guess). */
	memcpy(other, key, sizeof(other));
	other[0] ^= 0x80;
	len = genuine(pkt, 5, 99, other);
	assert_false(
		probe_match_echo_reply(pkt, len, GW, ID, key, &seq, &stamp));
	/* Every single-bit change of the tag is refused. */
	for (int bit = 0; bit < 64; bit++) {
		uint8_t *icmp = pkt + 20;
		uint16_t sum;

		genuine(pkt, 5, 99, key);
		icmp[16 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
		icmp[2] = icmp[3] = 0;
		sum = probe_checksum(icmp, PROBE_ECHO_LEN);
		memcpy(icmp + 2, &sum, 2);
		assert_false(probe_match_echo_reply(pkt, len, GW, ID, key, &seq,
						    &stamp));
	}
	/* Right tag, wrong source. */
	len = genuine(pkt, 5, 99, key);
	pkt[15] ^= 1;
	assert_false(
		probe_match_echo_reply(pkt, len, GW, ID, key, &seq, &stamp));
}

/* A window with seq 10..12 outstanding, stamps 1000, 1001, 1002. */
static void window3(struct probe_window *w)
{
	uint16_t seq;

	probe_window_init(w, 10);
	for (int i = 0; i < 3; i++) {
		assert_true(probe_window_send(w, 100 + (uint64_t)i, &seq));
		probe_window_set_stamp(w, seq, 1000 + (uint64_t)i);
	}
}

static void test_replay_counts_once(void **state)
{
	struct probe_window w;
	struct probe_outcome out[4];

	window3(&w);
	assert_true(probe_window_reply_stamped(&w, 10, 1000, 500, 300));
	/* The same reply again: a duplicate or a replay. */
	assert_false(probe_window_reply_stamped(&w, 10, 1000, 500, 300));
	/* Not sent yet, or long gone. */
	assert_false(probe_window_reply_stamped(&w, 13, 1003, 500, 300));
	assert_false(probe_window_reply_stamped(&w, 9, 999, 500, 300));
	assert_int_equal(probe_window_pop(&w, out, 4), 1);
	assert_true(out[0].replied);
	/* Popped: a replay now finds nothing. */
	assert_false(probe_window_reply_stamped(&w, 10, 1000, 500, 300));
}

static void test_stale_stamp(void **state)
{
	struct probe_window w;

	window3(&w);
	/*
	 * A genuine reply to the request that had seq 11 65536 requests
	 * ago: its tag is right, its stamp is not this request's.
	 */
	assert_false(probe_window_reply_stamped(&w, 11, 7, 500, 300));
	assert_true(probe_window_pending(&w, 11));
	assert_true(probe_window_reply_stamped(&w, 11, 1001, 500, 300));
}

static void test_late_is_loss(void **state)
{
	struct probe_window w;
	struct probe_outcome out[4];

	window3(&w);
	/* Later than the timeout: a loss, and it resolves the slot. */
	assert_true(probe_window_reply_stamped(&w, 10, 1000, 300001, 300));
	assert_false(probe_window_reply_stamped(&w, 10, 1000, 500, 300));
	/* Expired by the timer first: the reply finds nothing. */
	probe_window_expire(&w, 101 + 300, 300);
	assert_false(probe_window_reply_stamped(&w, 11, 1001, 500, 300));
	assert_int_equal(probe_window_pop(&w, out, 4), 2);
	assert_false(out[0].replied);
	assert_false(out[1].replied);
}

static void test_arp_checks(void **state)
{
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	const uint32_t me = 0x0a6f0002u;
	uint8_t rep[PROBE_ARP_LEN];

	probe_build_arp(rep, (const uint8_t[]){ 2, 0, 0, 0, 0, 1 }, GW, me);
	rep[7] = 2; /* a reply */
	memcpy(rep + 18, mac, 6);
	assert_true(probe_match_arp_reply(rep, sizeof(rep), PACKET_HOST, GW, me,
					  mac));
	/* Frames not addressed to us. */
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_BROADCAST,
					   GW, me, mac));
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_MULTICAST,
					   GW, me, mac));
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_OTHERHOST,
					   GW, me, mac));
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_OUTGOING,
					   GW, me, mac));
	/* A reply naming another hardware address as its target. */
	rep[23] ^= 1;
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_HOST, GW,
					   me, mac));
	rep[23] ^= 1;
	/* Another sender. */
	rep[17] ^= 1;
	assert_false(probe_match_arp_reply(rep, sizeof(rep), PACKET_HOST, GW,
					   me, mac));
}

/*
 * A classic BPF interpreter for what the probe filters use: loads
 * (absolute, indirect, MSH, the pkttype ancillary), JEQ and RET.
 */
static uint32_t bpf_run(const struct sock_filter *f, size_t n,
			const uint8_t *pkt, size_t len, unsigned pkttype)
{
	uint32_t a = 0, x = 0;

	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t off = i->k;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (off == (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)) {
				a = pkttype;
				break;
			}
			if (off + 4 > len)
				return 0;
			a = (uint32_t)pkt[off] << 24 | pkt[off + 1] << 16 |
			    pkt[off + 2] << 8 | pkt[off + 3];
			break;
		case BPF_LD | BPF_H | BPF_ABS:
		case BPF_LD | BPF_H | BPF_IND:
			off += (i->code & BPF_IND) == BPF_IND ? x : 0;
			if (off + 2 > len)
				return 0;
			a = (uint32_t)pkt[off] << 8 | pkt[off + 1];
			break;
		case BPF_LD | BPF_B | BPF_IND:
			off += x;
			if (off + 1 > len)
				return 0;
			a = pkt[off];
			break;
		case BPF_LDX | BPF_B | BPF_MSH:
			if (off + 1 > len)
				return 0;
			x = 4u * (pkt[off] & 0x0f);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			fail_msg("unexpected BPF code 0x%x", i->code);
		}
	}
	fail_msg("the filter ran off its end");
	return 0;
}

static void test_echo_filter(void **state)
{
	struct sock_filter f[PROBE_FILTER_MAX];
	size_t n = probe_echo_filter(f, GW, ID);
	uint8_t pkt[64];
	size_t len;

	assert_true(n <= PROBE_FILTER_MAX);
	len = genuine(pkt, 1, 2, key);
	assert_true(bpf_run(f, n, pkt, len, PACKET_HOST) > 0);
	/* Another source, another id, not a reply: dropped. */
	pkt[15] ^= 1;
	assert_int_equal(bpf_run(f, n, pkt, len, PACKET_HOST), 0);
	pkt[15] ^= 1;
	pkt[25] ^= 1;
	assert_int_equal(bpf_run(f, n, pkt, len, PACKET_HOST), 0);
	pkt[25] ^= 1;
	pkt[20] = 8;
	assert_int_equal(bpf_run(f, n, pkt, len, PACKET_HOST), 0);
	pkt[20] = 0;
	/* IP options move the ICMP header: the filter follows ihl. */
	{
		uint8_t opt[80];

		memcpy(opt, pkt, 20);
		opt[0] = 0x46;
		memset(opt + 20, 1, 4);
		memcpy(opt + 24, pkt + 20, PROBE_ECHO_LEN);
		assert_true(bpf_run(f, n, opt, 24 + PROBE_ECHO_LEN,
				    PACKET_HOST) > 0);
	}
	/* Truncated: dropped, as the kernel does. */
	assert_int_equal(bpf_run(f, n, pkt, 22, PACKET_HOST), 0);
}

static void test_arp_filter(void **state)
{
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	const uint32_t me = 0x0a6f0002u;
	struct sock_filter f[PROBE_FILTER_MAX];
	size_t n = probe_arp_filter(f, GW, me);
	uint8_t rep[PROBE_ARP_LEN];

	assert_true(n <= PROBE_FILTER_MAX);
	probe_build_arp(rep, (const uint8_t[]){ 2, 0, 0, 0, 0, 1 }, GW, me);
	rep[7] = 2;
	memcpy(rep + 18, mac, 6);
	assert_true(bpf_run(f, n, rep, sizeof(rep), PACKET_HOST) > 0);
	assert_int_equal(bpf_run(f, n, rep, sizeof(rep), PACKET_BROADCAST), 0);
	assert_int_equal(bpf_run(f, n, rep, sizeof(rep), PACKET_OUTGOING), 0);
	rep[7] = 1; /* a request */
	assert_int_equal(bpf_run(f, n, rep, sizeof(rep), PACKET_HOST), 0);
	rep[7] = 2;
	rep[17] ^= 1; /* another sender */
	assert_int_equal(bpf_run(f, n, rep, sizeof(rep), PACKET_HOST), 0);
	rep[17] ^= 1;
	rep[27] ^= 1; /* for another address */
	assert_int_equal(bpf_run(f, n, rep, sizeof(rep), PACKET_HOST), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_genuine_reply),
		cmocka_unit_test(test_forged_from_sniffed),
		cmocka_unit_test(test_guessed_and_wrong_key),
		cmocka_unit_test(test_replay_counts_once),
		cmocka_unit_test(test_stale_stamp),
		cmocka_unit_test(test_late_is_loss),
		cmocka_unit_test(test_arp_checks),
		cmocka_unit_test(test_echo_filter),
		cmocka_unit_test(test_arp_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
