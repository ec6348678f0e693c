// SPDX-License-Identifier: MIT
/*
 * probe.c - probing one gateway through one uplink.
 *
 * Each probe owns one socket and a window of the requests it has sent.
 * ICMP probes use a raw socket rather than a ping socket because ping
 * sockets need net.ipv4.ping_group_range even for root; the price is that
 * a raw socket sees every echo reply on the interface, so replies are
 * matched on the source, a random id, an outstanding seq and a random
 * 16-byte cookie, and only a reply carrying all of them counts (a stray or
 * forged reply must not keep a dead gateway up). SO_MARK selects the
 * uplink's own table and SO_BINDTODEVICE keeps the request on its
 * interface even when that table is empty: a probe must fail rather than
 * leak through another uplink and report the wrong line alive.
 *
 * ARP probes ask who-has gateway on the interface itself. ARP replies
 * carry no sequence number, so a reply from the gateway to our address
 * answers the oldest outstanding request; the kernel's own ARP traffic
 * with the gateway is as good evidence as ours.
 *
 * RTTs come from the kernel's receive timestamps (SO_TIMESTAMPNS, on the
 * realtime clock, so the send time is also taken on it) so a busy daemon
 * does not inflate them; when the realtime clock is stepped between send
 * and receive the monotonic time of reading is used instead, an upper
 * bound. Timeouts run on the caller's monotonic time. Outcomes leave in
 * sending order because health.c counts runs of consecutive outcomes.
 */
/* glibc's net/if.h must come before the uapi headers that include linux/if.h. */
#include <net/if.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <ifaddrs.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "health/probe.h"

/* Reads per probe_run at most, so one noisy interface cannot starve others. */
#define PROBE_READS_MAX 256

struct probe {
	struct probe_config cfg;
	int fd;
	uint64_t rng;
	uint16_t id;
	uint8_t cookie[PROBE_COOKIE_LEN];
	uint8_t mac[6]; /* ARP: the interface's address */
	uint32_t our_ip; /* ARP: the sender address of requests */
	int ifindex;
	uint64_t next_send_ms;
	bool errors_pending; /* EPOLLERR seen: the error queue has news */
	struct probe_window win;
	/* Per slot: when the request left, for RTTs (see the top). */
	uint64_t sent_rt_ns[PROBE_WINDOW];
	uint64_t sent_mono_us[PROBE_WINDOW];
};

/* ---- pure helpers ---- */

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

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

size_t probe_build_echo(uint8_t *buf, uint16_t id, uint16_t seq,
			const uint8_t cookie[PROBE_COOKIE_LEN])
{
	uint16_t sum;

	buf[0] = ICMP_ECHO;
	buf[1] = 0;
	put16(buf + 2, 0);
	put16(buf + 4, id);
	put16(buf + 6, seq);
	memcpy(buf + 8, cookie, PROBE_COOKIE_LEN);
	sum = probe_checksum(buf, PROBE_ECHO_LEN);
	memcpy(buf + 2, &sum, 2);
	return PROBE_ECHO_LEN;
}

bool probe_match_echo_reply(const uint8_t *pkt, size_t len, uint32_t gateway,
			    uint16_t id, const uint8_t cookie[PROBE_COOKIE_LEN],
			    uint16_t *seq)
{
	const uint8_t *icmp;
	size_t ihl, icmp_len;

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
	if (memcmp(icmp + 8, cookie, PROBE_COOKIE_LEN) != 0)
		return false;
	*seq = get16(icmp + 6);
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

size_t probe_build_arp(uint8_t *buf, const uint8_t sender_mac[6],
		       uint32_t sender_ip, uint32_t target_ip)
{
	put16(buf, ARPHRD_ETHER);
	put16(buf + 2, ETHERTYPE_IP);
	buf[4] = 6;
	buf[5] = 4;
	put16(buf + 6, ARPOP_REQUEST);
	memcpy(buf + 8, sender_mac, 6);
	put32(buf + 14, sender_ip);
	memset(buf + 18, 0, 6);
	put32(buf + 24, target_ip);
	return PROBE_ARP_LEN;
}

bool probe_match_arp_reply(const uint8_t *pkt, size_t len, uint32_t gateway,
			   uint32_t our_ip)
{
	if (len < PROBE_ARP_LEN)
		return false;
	if (get16(pkt) != ARPHRD_ETHER || get16(pkt + 2) != ETHERTYPE_IP ||
	    pkt[4] != 6 || pkt[5] != 4 || get16(pkt + 6) != ARPOP_REPLY)
		return false;
	return get32(pkt + 14) == gateway && get32(pkt + 24) == our_ip;
}

unsigned probe_jitter(unsigned interval_ms, uint64_t r)
{
	unsigned spread = interval_ms / 5; /* 20 %: -10 % .. +10 % */
	unsigned j =
		interval_ms - interval_ms / 10 + (unsigned)(r % (spread + 1));

	return j ? j : 1;
}

uint64_t probe_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- the window ---- */

void probe_window_init(struct probe_window *w, uint16_t first_seq)
{
	memset(w, 0, sizeof(*w));
	w->head = first_seq;
	w->next = first_seq;
}

unsigned probe_window_count(const struct probe_window *w)
{
	return (uint16_t)(w->next - w->head);
}

/* Whether seq lies in [head, next), with 16-bit wrap-around. */
static bool in_window(const struct probe_window *w, uint16_t seq)
{
	return (uint16_t)(seq - w->head) < probe_window_count(w);
}

static struct probe_slot *slot_of(struct probe_window *w, uint16_t seq)
{
	return &w->slot[seq % PROBE_WINDOW];
}

bool probe_window_send(struct probe_window *w, uint64_t now_ms, uint16_t *seq)
{
	if (probe_window_count(w) >= PROBE_WINDOW)
		return false;
	*seq = w->next++;
	*slot_of(w, *seq) = (struct probe_slot){
		.state = PROBE_SLOT_PENDING,
		.sent_ms = now_ms,
	};
	return true;
}

bool probe_window_pending(const struct probe_window *w, uint16_t seq)
{
	return in_window(w, seq) &&
	       w->slot[seq % PROBE_WINDOW].state == PROBE_SLOT_PENDING;
}

bool probe_window_reply(struct probe_window *w, uint16_t seq, uint32_t rtt_us,
			unsigned timeout_ms)
{
	struct probe_slot *s;

	if (!probe_window_pending(w, seq))
		return false;
	s = slot_of(w, seq);
	if ((uint64_t)rtt_us > (uint64_t)timeout_ms * 1000) {
		s->state = PROBE_SLOT_LOST;
		return true;
	}
	s->state = PROBE_SLOT_REPLIED;
	s->rtt_us = rtt_us;
	return true;
}

bool probe_window_lose(struct probe_window *w, uint16_t seq)
{
	if (!probe_window_pending(w, seq))
		return false;
	slot_of(w, seq)->state = PROBE_SLOT_LOST;
	return true;
}

bool probe_window_oldest_pending(const struct probe_window *w, uint16_t *seq)
{
	for (uint16_t s = w->head; s != w->next; s++) {
		if (w->slot[s % PROBE_WINDOW].state == PROBE_SLOT_PENDING) {
			*seq = s;
			return true;
		}
	}
	return false;
}

void probe_window_expire(struct probe_window *w, uint64_t now_ms,
			 unsigned timeout_ms)
{
	for (uint16_t s = w->head; s != w->next; s++) {
		struct probe_slot *slot = slot_of(w, s);

		/* Send times only grow with seq: the first young one ends it. */
		if (slot->sent_ms + timeout_ms > now_ms)
			break;
		if (slot->state == PROBE_SLOT_PENDING)
			slot->state = PROBE_SLOT_LOST;
	}
}

uint64_t probe_window_deadline(const struct probe_window *w,
			       unsigned timeout_ms)
{
	uint16_t s;

	if (!probe_window_count(w))
		return UINT64_MAX;
	if (w->slot[w->head % PROBE_WINDOW].state != PROBE_SLOT_PENDING)
		return w->slot[w->head % PROBE_WINDOW].sent_ms;
	if (!probe_window_oldest_pending(w, &s))
		return UINT64_MAX;
	return w->slot[s % PROBE_WINDOW].sent_ms + timeout_ms;
}

size_t probe_window_pop(struct probe_window *w, struct probe_outcome *out,
			size_t max)
{
	size_t n = 0;

	while (n < max && probe_window_count(w)) {
		struct probe_slot *s = slot_of(w, w->head);

		if (s->state == PROBE_SLOT_PENDING)
			break;
		out[n++] = (struct probe_outcome){
			.replied = s->state == PROBE_SLOT_REPLIED,
			.rtt_us = s->state == PROBE_SLOT_REPLIED ? s->rtt_us :
								   0,
			.seq = w->head,
		};
		w->head++;
	}
	return n;
}

/* ---- the socket side ---- */

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * The RTT of seq from the kernel's receive stamp rx_ns (0 when absent),
 * bounded by the monotonic time since the send (see the top).
 */
static uint32_t rtt_of(const struct probe *p, uint16_t seq, uint64_t rx_ns)
{
	uint64_t sent_rt = p->sent_rt_ns[seq % PROBE_WINDOW];
	uint64_t mono = now_us() - p->sent_mono_us[seq % PROBE_WINDOW];
	uint64_t rt;

	if (!rx_ns || rx_ns < sent_rt)
		rt = mono;
	else
		rt = (rx_ns - sent_rt) / 1000;
	if (rt > mono)
		rt = mono;
	return rt > UINT32_MAX ? UINT32_MAX : (uint32_t)rt;
}

static int open_icmp(struct probe *p)
{
	const int one = 1;
	struct icmp_filter filt = { .data = ~(1u << ICMP_ECHOREPLY) };
	int fd;

	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_ICMP);
	if (fd < 0)
		return -errno;
	/* The raw socket would otherwise wake us for every ICMP message. */
	if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof(filt)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &p->cfg.mark,
		       sizeof(p->cfg.mark)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->cfg.ifname,
		       strlen(p->cfg.ifname) + 1) < 0 ||
	    setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	p->fd = fd;
	return 0;
}

/*
 * The interface's IPv4 address on the gateway's subnet, else its first
 * one: the sender address the gateway will answer to.
 */
static int own_address(const char *ifname, uint32_t gateway, uint32_t *out)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_in *a = (void *)i->ifa_addr;
		const struct sockaddr_in *m = (void *)i->ifa_netmask;
		uint32_t addr, mask;

		if (!a || a->sin_family != AF_INET ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		addr = ntohl(a->sin_addr.s_addr);
		mask = m ? ntohl(m->sin_addr.s_addr) : 0xffffffffu;
		if (!found)
			*out = addr;
		found = true;
		if ((addr & mask) == (gateway & mask)) {
			*out = addr;
			break;
		}
	}
	freeifaddrs(ifa);
	return found ? 0 : -EADDRNOTAVAIL;
}

static int open_arp(struct probe *p)
{
	const int one = 1;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = p->ifindex,
	};
	struct ifreq ifr = { 0 };
	int fd, err;

	err = own_address(p->cfg.ifname, p->cfg.gateway, &p->our_ip);
	if (err)
		return err;
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    htons(ETH_P_ARP));
	if (fd < 0)
		return -errno;
	memcpy(ifr.ifr_name, p->cfg.ifname, sizeof(p->cfg.ifname));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    ioctl(fd, SIOCGIFHWADDR, &ifr) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0) {
		err = -errno;
		goto out_close;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		/* No Ethernet addresses, no ARP: ask for ping instead. */
		err = -EPROTONOSUPPORT;
		goto out_close;
	}
	memcpy(p->mac, ifr.ifr_hwaddr.sa_data, 6);
	p->fd = fd;
	return 0;

out_close:
	close(fd);
	return err;
}

struct probe *probe_new(const struct probe_config *cfg)
{
	struct probe *p;
	int err;

	if ((cfg->kind != CHECK_PING && cfg->kind != CHECK_ARP) ||
	    !cfg->ifname[0] || !memchr(cfg->ifname, 0, sizeof(cfg->ifname))) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->cfg = *cfg;
	p->fd = -1;
	if (!p->cfg.interval_ms)
		p->cfg.interval_ms = 1;
	if (!p->cfg.timeout_ms)
		p->cfg.timeout_ms = 1;
	p->rng = cfg->seed;
	if (!p->rng &&
	    getrandom(&p->rng, sizeof(p->rng), 0) != sizeof(p->rng)) {
		err = errno ? -errno : -EIO;
		goto out_free;
	}
	p->ifindex = (int)if_nametoindex(cfg->ifname);
	if (!p->ifindex) {
		err = -ENODEV;
		goto out_free;
	}
	p->id = (uint16_t)probe_random(&p->rng);
	for (size_t i = 0; i < PROBE_COOKIE_LEN; i += 8) {
		uint64_t r = probe_random(&p->rng);

		memcpy(p->cookie + i, &r, 8);
	}
	probe_window_init(&p->win, (uint16_t)probe_random(&p->rng));
	/* A random phase, so probes started together do not stay together. */
	p->next_send_ms = now_ms() + probe_random(&p->rng) % p->cfg.interval_ms;

	err = cfg->kind == CHECK_PING ? open_icmp(p) : open_arp(p);
	if (err)
		goto out_free;
	return p;

out_free:
	free(p);
	errno = -err;
	return NULL;
}

void probe_free(struct probe *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

int probe_fd(const struct probe *p)
{
	return p->fd;
}

uint16_t probe_id(const struct probe *p)
{
	return p->id;
}

uint64_t probe_next_deadline(const struct probe *p)
{
	uint64_t w = probe_window_deadline(&p->win, p->cfg.timeout_ms);

	return w < p->next_send_ms ? w : p->next_send_ms;
}

static uint64_t rx_stamp(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c;
	     c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * 1000000000u +
			       (uint64_t)ts.tv_nsec;
		}
	}
	return 0;
}

/*
 * Drains the error queue. Errors about our requests (unreachables from a
 * router on the way, or the kernel's own when neighbour resolution fails)
 * are losses now rather than after the timeout. The queue must be emptied
 * either way: a non-empty one keeps the socket signalling EPOLLERR.
 */
static void read_errors(struct probe *p)
{
	for (int i = 0; i < PROBE_READS_MAX; i++) {
		uint8_t buf[256];
		char ctl[512];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = ctl,
			.msg_controllen = sizeof(ctl),
		};
		ssize_t n = recvmsg(p->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		bool icmp = false;
		uint16_t seq;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c;
		     c = CMSG_NXTHDR(&msg, c)) {
			struct sock_extended_err ee;

			if (c->cmsg_level != SOL_IP ||
			    c->cmsg_type != IP_RECVERR)
				continue;
			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			icmp = ee.ee_origin == SO_EE_ORIGIN_ICMP;
		}
		if (icmp &&
		    probe_match_echo_error(buf, (size_t)n, p->id, &seq) &&
		    probe_window_lose(&p->win, seq))
			log_debug("probe %s: icmp error for seq %u",
				  p->cfg.ifname, seq);
	}
}

static void read_replies(struct probe *p)
{
	for (int i = 0; i < PROBE_READS_MAX; i++) {
		uint8_t buf[1500];
		char ctl[256];
		struct sockaddr_storage from;
		const struct sockaddr_ll *sll = (void *)&from;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = {
			.msg_name = &from,
			.msg_namelen = sizeof(from),
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = ctl,
			.msg_controllen = sizeof(ctl),
		};
		ssize_t n = recvmsg(p->fd, &msg, MSG_DONTWAIT);
		uint16_t seq;

		if (n < 0) {
			/*
			 * EAGAIN ends the batch; anything else is a pending
			 * socket error (an ICMP error also sets one) that
			 * this read has now cleared.
			 */
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue;
		}
		if (p->cfg.kind == CHECK_PING) {
			if (!probe_match_echo_reply(buf, (size_t)n,
						    p->cfg.gateway, p->id,
						    p->cookie, &seq))
				continue;
		} else {
			/* A packet socket also sees what we send. */
			if (sll->sll_pkttype == PACKET_OUTGOING ||
			    !probe_match_arp_reply(buf, (size_t)n,
						   p->cfg.gateway, p->our_ip) ||
			    !probe_window_oldest_pending(&p->win, &seq))
				continue;
		}
		probe_window_reply(&p->win, seq, rtt_of(p, seq, rx_stamp(&msg)),
				   p->cfg.timeout_ms);
	}
}

static void send_one(struct probe *p, uint64_t now)
{
	uint8_t buf[PROBE_ECHO_LEN > PROBE_ARP_LEN ? PROBE_ECHO_LEN :
						     PROBE_ARP_LEN];
	uint16_t seq;
	ssize_t n;
	size_t len;

	if (!probe_window_send(&p->win, now, &seq)) {
		/* timeout_ms is PROBE_WINDOW intervals: skip, do not block. */
		return;
	}
	p->sent_rt_ns[seq % PROBE_WINDOW] = realtime_ns();
	p->sent_mono_us[seq % PROBE_WINDOW] = now_us();
	if (p->cfg.kind == CHECK_PING) {
		struct sockaddr_in to = {
			.sin_family = AF_INET,
			.sin_addr.s_addr = htonl(p->cfg.gateway),
		};

		len = probe_build_echo(buf, p->id, seq, p->cookie);
		n = sendto(p->fd, buf, len, 0, (struct sockaddr *)&to,
			   sizeof(to));
	} else {
		struct sockaddr_ll to = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons(ETH_P_ARP),
			.sll_ifindex = p->ifindex,
			.sll_halen = 6,
			.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		};

		len = probe_build_arp(buf, p->mac, p->our_ip, p->cfg.gateway);
		n = sendto(p->fd, buf, len, 0, (struct sockaddr *)&to,
			   sizeof(to));
	}
	if (n < 0) {
		/* The uplink cannot carry the request: that is a loss. */
		log_debug("probe %s: send seq %u: %s", p->cfg.ifname, seq,
			  strerror(errno));
		probe_window_lose(&p->win, seq);
	}
}

void probe_events(struct probe *p, uint32_t revents)
{
	/* POLLERR and EPOLLERR are the same bit. */
	if (revents & POLLERR)
		p->errors_pending = true;
}

size_t probe_run(struct probe *p, uint64_t now, struct probe_outcome *out,
		 size_t max)
{
	/* Replies first: one that arrived in time must not be expired. */
	if (p->cfg.kind == CHECK_PING && p->errors_pending) {
		p->errors_pending = false;
		read_errors(p);
	}
	read_replies(p);
	probe_window_expire(&p->win, now, p->cfg.timeout_ms);

	if (now >= p->next_send_ms) {
		send_one(p, now);
		p->next_send_ms +=
			probe_jitter(p->cfg.interval_ms, probe_random(&p->rng));
		/* Called late (a stopped daemon, a slow loop): no burst. */
		if (p->next_send_ms <= now)
			p->next_send_ms =
				now + probe_jitter(p->cfg.interval_ms,
						   probe_random(&p->rng));
	}
	return probe_window_pop(&p->win, out, max);
}
