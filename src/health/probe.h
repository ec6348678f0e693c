/* SPDX-License-Identifier: MIT */
/*
 * probe.h - probing one gateway through one uplink, by ICMP echo or ARP.
 *
 * A probe owns one non-blocking socket. The caller runs it when the socket
 * is readable or its deadline has passed and feeds the outcomes, in
 * sending order, to the health state machine (health.h).
 *
 * The pure pieces (checksum, packet building and matching, the window of
 * outstanding probes) are exported too, so the unit tests need no root.
 */
#ifndef ECMPD_PROBE_H
#define ECMPD_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

struct probe_config {
	char ifname[LINUX_IFNAME_MAX];
	uint32_t mark; /* SO_MARK: the uplink's pin mark (selects its table) */
	uint32_t gateway; /* host byte order */
	enum check_gateway kind; /* CHECK_PING or CHECK_ARP */
	unsigned interval_ms, timeout_ms;
	/*
	 * Seeds the PRNG for the jitter, the echo id and the first seq: give
	 * each probe its own, from getrandom(). 0 means "draw one from
	 * getrandom() yourself". The key that signs requests is never derived
	 * from it: probe_new() always draws that from getrandom().
	 */
	uint64_t seed;
};

struct probe_outcome {
	bool replied;
	uint32_t rtt_us; /* 0 for a loss */
	uint16_t seq;
};

struct probe;

/*
 * Opens the socket. ICMP: a raw socket with SO_MARK and SO_BINDTODEVICE
 * (so the probe takes exactly its uplink and can never leak through
 * another), IP_RECVERR and SO_TIMESTAMPNS; a random id and a signed
 * payload (see PROBE_KEY_LEN) go in every request and a reply must carry
 * the id and the very payload of an outstanding request. ARP: an AF_PACKET
 * socket bound to the interface; requests carry the interface's own IPv4
 * address (the one on the gateway's subnet, looked up now) as sender.
 * Both get a kernel-side filter (probe_echo_filter(), probe_arp_filter())
 * and a receive buffer of PROBE_RCVBUF bytes, so that junk cannot push
 * replies out. Returns NULL with errno on failure: ENODEV when the
 * interface does not exist, EADDRNOTAVAIL (ARP) when it has no IPv4
 * address, EINVAL for a kind other than CHECK_PING or CHECK_ARP, EPERM
 * without CAP_NET_RAW. The first request goes out within one interval of
 * now.
 */
#define PROBE_RCVBUF (1 << 20)
struct probe *probe_new(const struct probe_config *cfg)
	__attribute__((warn_unused_result));

/* Closes the socket and frees the probe; NULL is a no-op. */
void probe_free(struct probe *p);

/* The socket, for the caller's poll set (readable: run the probe). */
int probe_fd(const struct probe *p);

/* The echo id this probe uses (for logs and tests). */
uint16_t probe_id(const struct probe *p);

/*
 * The monotonic time (ms) by which probe_run must be called again: the
 * next send or the next timeout. A time in the past means outcomes are
 * waiting (probe_run's out was too small).
 */
uint64_t probe_next_deadline(const struct probe *p);

/* Moves the next send to now_ms when it is later (a takeover, role.h). */
void probe_send_at(struct probe *p, uint64_t now_ms);

/*
 * Tells the probe what poll/epoll reported for its socket. The ICMP error
 * queue is read only after POLLERR, so an idle socket costs one read a
 * run, not two.
 */
void probe_events(struct probe *p, uint32_t revents);

/*
 * Reads the pending replies and errors (non-blocking; at most
 * PROBE_READS_MAX packets a call, so a flood cannot starve the rest of the
 * loop: the socket stays readable and the next call reads on), expires
 * requests
 * older than timeout_ms, and sends a request when one is due (the
 * interval jittered by +-10 % so uplinks are not probed in lock-step).
 * Writes at most max outcomes to out in SENDING order: a reply for seq n
 * is reported only once every earlier seq is resolved. Returns the count.
 * A failed send (ENETUNREACH, ENETDOWN, ENOBUFS...) is a loss for that
 * seq, as is an ICMP error (IP_RECVERR) about an outstanding request.
 */
size_t probe_run(struct probe *p, uint64_t now_ms, struct probe_outcome *out,
		 size_t max);
#define PROBE_READS_MAX 1024

/* Packets the probe read and refused (not a reply to an outstanding
 * request of its own: forged, replayed, late duplicates), for logs and
 * tests. */
uint64_t probe_rejected(const struct probe *p);

/* ---- pure helpers ---- */

/*
 * Echo requests are signed: the payload is the request's send stamp (8
 * bytes, big-endian) and a tag, SipHash-2-4 under a key drawn from
 * getrandom() for each probe over id, seq and stamp (8 bytes). A reply
 * counts only with a tag that the key made for its own seq and stamp, and
 * only while that very request is outstanding with that stamp: so seeing
 * one request does not let anyone answer the next one, and no reply counts
 * twice. PROBE_COOKIE_LEN is the payload's length.
 */
#define PROBE_KEY_LEN 16
#define PROBE_COOKIE_LEN 16
#define PROBE_ECHO_LEN (8 + PROBE_COOKIE_LEN) /* ICMP header + payload */
#define PROBE_ARP_LEN 28 /* Ethernet/IPv4 ARP body */

/* The Internet checksum (RFC 1071) of len bytes, ready to store. */
uint16_t probe_checksum(const void *data, size_t len);

/* The tag of a request: SipHash-2-4 under key of id, seq and stamp. */
uint64_t probe_echo_tag(const uint8_t key[PROBE_KEY_LEN], uint16_t id,
			uint16_t seq, uint64_t stamp);

/*
 * Builds an ICMP echo request with id, seq and the signed payload (stamp,
 * probe_echo_tag()) into buf (at least PROBE_ECHO_LEN bytes). Returns the
 * length written.
 */
size_t probe_build_echo(uint8_t *buf, uint16_t id, uint16_t seq, uint64_t stamp,
			const uint8_t key[PROBE_KEY_LEN]);

/*
 * Whether pkt (an IPv4 packet as a raw socket reads it) is an echo reply
 * from gateway with a valid checksum, our id and a payload whose tag key
 * made for its seq and stamp; if so stores seq and stamp. Whether that
 * request is outstanding with that stamp is the window's business
 * (probe_window_reply_stamped()).
 */
bool probe_match_echo_reply(const uint8_t *pkt, size_t len, uint32_t gateway,
			    uint16_t id, const uint8_t key[PROBE_KEY_LEN],
			    uint16_t *seq, uint64_t *stamp);

/*
 * Whether pkt (what IP_RECVERR queues for a raw socket: the ICMP header
 * of the offending request onwards) quotes one of our echo requests; if
 * so stores its seq. An error can only turn a request into a loss early,
 * so it needs no tag (a router quotes 8 bytes of the request only).
 */
bool probe_match_echo_error(const uint8_t *pkt, size_t len, uint16_t id,
			    uint16_t *seq);

/*
 * Builds an ARP request who-has target, tell sender_ip at sender_mac into
 * buf (at least PROBE_ARP_LEN bytes). Addresses in host byte order.
 * Returns the length written.
 */
size_t probe_build_arp(uint8_t *buf, const uint8_t sender_mac[6],
		       uint32_t sender_ip, uint32_t target_ip);

/*
 * Whether pkt (an ARP body as an AF_PACKET SOCK_DGRAM socket reads it,
 * received as pkttype, a PACKET_* of linux/if_packet.h) is a reply from
 * gateway to our_ip at our_mac, in a frame addressed to us (PACKET_HOST):
 * a gratuitous broadcast, a frame for another host seen in promiscuous
 * mode or a reply naming another hardware address does not answer our
 * question.
 */
bool probe_match_arp_reply(const uint8_t *pkt, size_t len, unsigned pkttype,
			   uint32_t gateway, uint32_t our_ip,
			   const uint8_t our_mac[6]);

/*
 * Kernel-side filters (classic BPF, for SO_ATTACH_FILTER), so that what
 * cannot be a reply is dropped before it takes room in the receive buffer
 * or wakes the daemon. probe_echo_filter(): IPv4 packets from source
 * carrying an ICMP echo reply with id. probe_arp_filter(): ARP replies to
 * us (PACKET_HOST) from gateway to our_ip. Each writes at most
 * PROBE_FILTER_MAX instructions to prog and returns their count.
 */
#define PROBE_FILTER_MAX 12
struct sock_filter;
size_t probe_echo_filter(struct sock_filter *prog, uint32_t source,
			 uint16_t id);
size_t probe_arp_filter(struct sock_filter *prog, uint32_t gateway,
			uint32_t our_ip);

/* An interval jittered by +-10 % with the random number r. */
unsigned probe_jitter(unsigned interval_ms, uint64_t r);

/* splitmix64: the per-probe PRNG. Advances *state. */
uint64_t probe_random(uint64_t *state);

/*
 * The window of requests sent and not yet reported, in seq order: the
 * part of a probe that orders outcomes. seq n lives in slot
 * n % PROBE_WINDOW; head is the oldest seq not yet reported, next the seq
 * the next request gets.
 */
#define PROBE_WINDOW 64

enum probe_slot_state {
	PROBE_SLOT_PENDING,
	PROBE_SLOT_REPLIED,
	PROBE_SLOT_LOST,
};

struct probe_slot {
	enum probe_slot_state state;
	uint64_t sent_ms; /* monotonic */
	uint64_t stamp; /* what the request carried (echo); 0: none */
	uint32_t rtt_us;
};

struct probe_window {
	struct probe_slot slot[PROBE_WINDOW];
	uint16_t head;
	uint16_t next;
};

void probe_window_init(struct probe_window *w, uint16_t first_seq);

/* Requests sent and not yet reported. */
unsigned probe_window_count(const struct probe_window *w);

/*
 * Records a request sent at now_ms and stores its seq. Returns false (and
 * records nothing) when PROBE_WINDOW requests are already unreported.
 */
bool probe_window_send(struct probe_window *w, uint64_t now_ms, uint16_t *seq)
	__attribute__((warn_unused_result));

/* Whether seq was sent and is still waiting for its reply. */
bool probe_window_pending(const struct probe_window *w, uint16_t seq);

/*
 * Resolves a pending seq as replied after rtt_us; a reply later than
 * timeout_ms counts as a loss, as the timer would have said. Returns
 * false when seq is not pending (unknown, duplicate, already expired).
 */
bool probe_window_reply(struct probe_window *w, uint16_t seq, uint32_t rtt_us,
			unsigned timeout_ms);

/* Records the stamp the request seq carries (probe_build_echo()). */
void probe_window_set_stamp(struct probe_window *w, uint16_t seq,
			    uint64_t stamp);

/*
 * probe_window_reply() for a signed echo reply: only when seq is pending
 * and stamp is the one its request carried (a reply to an earlier request
 * that had the same seq, 65536 requests ago, is no answer to this one).
 * Returns false, changing nothing, otherwise: a duplicate or replay of an
 * answered request, an unknown or expired seq, a stale stamp.
 */
bool probe_window_reply_stamped(struct probe_window *w, uint16_t seq,
				uint64_t stamp, uint32_t rtt_us,
				unsigned timeout_ms);

/* Resolves a pending seq as lost. Returns false when it is not pending. */
bool probe_window_lose(struct probe_window *w, uint16_t seq);

/* The oldest pending seq (ARP replies carry none); false when none. */
bool probe_window_oldest_pending(const struct probe_window *w, uint16_t *seq);

/* Resolves as lost every pending seq sent at or before now - timeout. */
void probe_window_expire(struct probe_window *w, uint64_t now_ms,
			 unsigned timeout_ms);

/*
 * When the window next needs attention: the send time of the head if it
 * is resolved (outcomes are ready now), else the earliest timeout of a
 * pending request, else UINT64_MAX.
 */
uint64_t probe_window_deadline(const struct probe_window *w,
			       unsigned timeout_ms);

/* Moves resolved outcomes from the head, in seq order, at most max. */
size_t probe_window_pop(struct probe_window *w, struct probe_outcome *out,
			size_t max);

#endif
