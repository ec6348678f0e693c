// SPDX-License-Identifier: MIT
/*
 * icmp.c - the ICMP echo packets of a ping probe: building signed
 * requests, recognising replies and errors, and the kernel-side filter of
 * the probe's raw socket.
 *
 * A raw ICMP socket sees every echo reply that reaches its interface, and
 * anyone on the path between the router and the probed address can send
 * one. A reply must therefore prove that its sender saw the request it
 * answers: the request's payload is its send stamp and a SipHash-2-4 tag
 * of id, seq and stamp under a per-probe random key (probe.h), which an
 * echo reply carries back unchanged (RFC 792). Without the key no one can
 * make the tag for the next seq, and the window (window.c) accepts a tag
 * only for a request that is still outstanding with that very stamp, once:
 * sniffing one exchange, replaying it, or guessing gains nothing. A
 * forger who sees each request as it passes can answer it, as the gateway
 * would - probing cannot tell an on-path relay from the gateway.
 *
 * The classic BPF filter checks what is cheap to check in the kernel
 * (source, type, id) so a flood of other echo replies never reaches the
 * receive buffer; the tag is checked here.
 */
#include <linux/filter.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <string.h>

#include "health/probe.h"
#include "health/siphash.h"
#include "health/wire.h"

uint16_t probe_checksum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;

	for (; len > 1; b += 2, len -= 2)
		sum += (uint32_t)b[0] << 8 | b[1];
	if (len)
		sum += (uint32_t)b[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	/* Stored big-endian, as computed over big-endian words. */
	return htons((uint16_t)~sum);
}

uint64_t probe_echo_tag(const uint8_t key[PROBE_KEY_LEN], uint16_t id,
			uint16_t seq, uint64_t stamp)
{
	uint8_t msg[12];

	put16(msg, id);
	put16(msg + 2, seq);
	put64(msg + 4, stamp);
	return siphash24(key, msg, sizeof(msg));
}

size_t probe_build_echo(uint8_t *buf, uint16_t id, uint16_t seq, uint64_t stamp,
			const uint8_t key[PROBE_KEY_LEN])
{
	uint16_t sum;

	buf[0] = ICMP_ECHO;
	buf[1] = 0;
	put16(buf + 2, 0);
	put16(buf + 4, id);
	put16(buf + 6, seq);
	put64(buf + 8, stamp);
	put64(buf + 16, probe_echo_tag(key, id, seq, stamp));
	sum = probe_checksum(buf, PROBE_ECHO_LEN);
	memcpy(buf + 2, &sum, 2);
	return PROBE_ECHO_LEN;
}

/* Compares two tags in time independent of where they differ. */
static bool same_tag(uint64_t a, uint64_t b)
{
	return (a ^ b) == 0;
}

bool probe_match_echo_reply(const uint8_t *pkt, size_t len, uint32_t gateway,
			    uint16_t id, const uint8_t key[PROBE_KEY_LEN],
			    uint16_t *seq, uint64_t *stamp)
{
	const uint8_t *icmp;
	size_t ihl, icmp_len;
	uint16_t s;
	uint64_t st;

	if (len < 20 || pkt[0] >> 4 != 4)
		return false;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + PROBE_ECHO_LEN)
		return false;
	if (pkt[9] != IPPROTO_ICMP || get32(pkt + 12) != gateway)
		return false;
	/* Fragments cannot be checked whole; our replies never fragment. */
	if (get16(pkt + 6) & 0x3fff)
		return false;
	icmp = pkt + ihl;
	icmp_len = len - ihl;
	if (get16(pkt + 2) >= ihl && get16(pkt + 2) < len)
		icmp_len = get16(pkt + 2) - ihl;
	if (icmp_len < PROBE_ECHO_LEN)
		return false;
	if (icmp[0] != ICMP_ECHOREPLY || icmp[1] != 0 || get16(icmp + 4) != id)
		return false;
	if (probe_checksum(icmp, icmp_len) != 0)
		return false;
	s = get16(icmp + 6);
	st = get64(icmp + 8);
	if (!same_tag(get64(icmp + 16), probe_echo_tag(key, id, s, st)))
		return false;
	*seq = s;
	*stamp = st;
	return true;
}

bool probe_match_echo_error(const uint8_t *pkt, size_t len, uint16_t id,
			    uint16_t *seq)
{
	if (len < 8 || pkt[0] != ICMP_ECHO || get16(pkt + 4) != id)
		return false;
	*seq = get16(pkt + 6);
	return true;
}

/*
 * A raw IPv4 socket's filter sees the packet from its IP header on: the
 * source at 12, the ICMP header after ihl words (BPF_MSH loads 4 * ihl).
 */
size_t probe_echo_filter(struct sock_filter *prog, uint32_t source, uint16_t id)
{
	const struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, source, 0, 6),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP_ECHOREPLY, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	memcpy(prog, f, sizeof(f));
	return sizeof(f) / sizeof(f[0]);
}
