// SPDX-License-Identifier: MIT
/*
 * probe.c - probing one gateway through one uplink: the socket side.
 * The packets are icmp.c's and arp.c's, the ordering of outcomes
 * window.c's.
 *
 * Each probe owns one socket and a window of the requests it has sent.
 * ICMP probes use a raw socket rather than a ping socket because ping
 * sockets need net.ipv4.ping_group_range even for root; the price is that
 * a raw socket sees every echo reply on the interface. A classic BPF
 * filter (SO_ATTACH_FILTER) lets only echo replies from the probed
 * address with our id into the receive buffer, which is large
 * (PROBE_RCVBUF) and read up to PROBE_READS_MAX packets per wakeup, so a
 * flood of junk neither pushes real replies out nor wakes the daemon; of
 * what passes, only a reply signed for an outstanding request counts
 * (icmp.c: a stray or forged reply must not keep a dead gateway up).
 * SO_MARK selects the uplink's own table and SO_BINDTODEVICE keeps the
 * request on its interface even when that table is empty: a probe must
 * fail rather than leak through another uplink and report the wrong line
 * alive.
 *
 * ARP probes ask who-has gateway on the interface itself. ARP replies
 * carry no sequence number, so a reply from the gateway to our address,
 * in a frame addressed to us, answers the oldest outstanding request; the
 * kernel's own ARP traffic with the gateway is as good evidence as ours.
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
#include <linux/filter.h>
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

struct probe {
	struct probe_config cfg;
	int fd;
	uint64_t rng;
	uint16_t id;
	uint8_t key[PROBE_KEY_LEN]; /* signs echo requests (icmp.c) */
	uint64_t rejected; /* packets read that answered nothing of ours */
	uint8_t mac[6]; /* ARP: the interface's address */
	uint32_t our_ip; /* ARP: the sender address of requests */
	uint8_t gw_mac[6]; /* ARP: who answered last */
	bool gw_mac_known;
	unsigned gw_mac_changes;
	int ifindex;
	uint64_t next_send_ms;
	bool errors_pending; /* EPOLLERR seen: the error queue has news */
	struct probe_window win;
	/* Per slot: when the request left, for RTTs (see the top). */
	uint64_t sent_rt_ns[PROBE_WINDOW];
	uint64_t sent_mono_us[PROBE_WINDOW];
};

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

/*
 * The receive buffer: SO_RCVBUFFORCE goes past net.core.rmem_max (it
 * needs CAP_NET_ADMIN, which the daemon has); SO_RCVBUF is the fallback.
 */
static void size_rcvbuf(int fd)
{
	int size = PROBE_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) <
		    0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		log_debug("probe: cannot size the receive buffer: %s",
			  strerror(errno));
}

/* Attaches a filter of n instructions to fd. */
static int attach_filter(int fd, struct sock_filter *prog, size_t n)
{
	struct sock_fprog fprog = { .len = (unsigned short)n, .filter = prog };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog,
		       sizeof(fprog)) < 0)
		return -errno;
	return 0;
}

/*
 * Discards what was queued before the filter was attached: the socket
 * saw every packet from socket() on.
 */
static void drain(int fd)
{
	uint8_t buf[64];

	for (int i = 0; i < 4096; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0 &&
		    errno != EINTR)
			return;
}

static int open_icmp(struct probe *p)
{
	const int one = 1;
	struct icmp_filter filt = { .data = ~(1u << ICMP_ECHOREPLY) };
	struct sock_filter prog[PROBE_FILTER_MAX];
	size_t n = probe_echo_filter(prog, p->cfg.gateway, p->id);
	int fd, err;

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
		err = -errno;
		close(fd);
		return err;
	}
	err = attach_filter(fd, prog, n);
	if (err) {
		close(fd);
		return err;
	}
	size_rcvbuf(fd);
	drain(fd);
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
	struct sock_filter prog[PROBE_FILTER_MAX];
	size_t n;
	int fd, err;

	err = own_address(p->cfg.ifname, p->cfg.gateway, &p->our_ip);
	if (err)
		return err;
	n = probe_arp_filter(prog, p->cfg.gateway, p->our_ip);
	/*
	 * Protocol 0 receives nothing until bind() names one, so the filter
	 * is in place before the first packet.
	 */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = attach_filter(fd, prog, n);
	if (err)
		goto out_close;
	size_rcvbuf(fd);
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
	/*
	 * The key never comes from the seed, which a caller may derive from
	 * a clock. Blocks only before the kernel's generator is ready.
	 */
	if (getrandom(p->key, sizeof(p->key), 0) != sizeof(p->key)) {
		err = errno ? -errno : -EIO;
		goto out_free;
	}
	p->id = (uint16_t)probe_random(&p->rng);
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

uint64_t probe_rejected(const struct probe *p)
{
	return p->rejected;
}

void probe_send_at(struct probe *p, uint64_t now_ms)
{
	if (p->next_send_ms > now_ms)
		p->next_send_ms = now_ms;
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

/*
 * ARP proves no more than that someone on the link answers for the
 * gateway's address. A new hardware address answering is worth a line in
 * the log (a replaced router, a failover pair - or someone else claiming
 * the address); the first few changes are warnings, the rest debug lines,
 * so two answerers taking turns cannot flood the log.
 */
static void note_gateway_mac(struct probe *p, const uint8_t *mac)
{
	if (p->gw_mac_known && !memcmp(p->gw_mac, mac, 6))
		return;
	if (p->gw_mac_known) {
		if (p->gw_mac_changes++ < 3)
			log_warn("probe %s: the gateway answers ARP from "
				 "%02x:%02x:%02x:%02x:%02x:%02x now (was "
				 "%02x:%02x:%02x:%02x:%02x:%02x)",
				 p->cfg.ifname, mac[0], mac[1], mac[2], mac[3],
				 mac[4], mac[5], p->gw_mac[0], p->gw_mac[1],
				 p->gw_mac[2], p->gw_mac[3], p->gw_mac[4],
				 p->gw_mac[5]);
		else
			log_debug("probe %s: the gateway's hardware address "
				  "changed again",
				  p->cfg.ifname);
	}
	memcpy(p->gw_mac, mac, 6);
	p->gw_mac_known = true;
}

/*
 * Whether the packet buf[0..n) answers one of our outstanding requests;
 * if so resolves it (a reply later than the timeout is a loss).
 */
static bool take_reply(struct probe *p, const uint8_t *buf, size_t n,
		       unsigned pkttype, uint64_t rx_ns)
{
	uint64_t stamp;
	uint16_t seq;

	if (p->cfg.kind == CHECK_PING) {
		if (!probe_match_echo_reply(buf, n, p->cfg.gateway, p->id,
					    p->key, &seq, &stamp))
			return false;
		return probe_window_reply_stamped(&p->win, seq, stamp,
						  rtt_of(p, seq, rx_ns),
						  p->cfg.timeout_ms);
	}
	if (!probe_match_arp_reply(buf, n, pkttype, p->cfg.gateway, p->our_ip,
				   p->mac) ||
	    !probe_window_oldest_pending(&p->win, &seq))
		return false;
	note_gateway_mac(p, buf + 8);
	return probe_window_reply(&p->win, seq, rtt_of(p, seq, rx_ns),
				  p->cfg.timeout_ms);
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
		if (take_reply(p, buf, (size_t)n,
			       p->cfg.kind == CHECK_ARP ? sll->sll_pkttype :
							  PACKET_HOST,
			       rx_stamp(&msg)))
			continue;
		/* Forged, replayed, a duplicate, too late, not ours. */
		if (p->rejected++ == 0)
			log_info("probe %s: refused a reply that answers none "
				 "of its requests (forged, replayed or late)",
				 p->cfg.ifname);
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
		uint64_t stamp = p->sent_mono_us[seq % PROBE_WINDOW];

		probe_window_set_stamp(&p->win, seq, stamp);
		len = probe_build_echo(buf, p->id, seq, stamp, p->key);
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
