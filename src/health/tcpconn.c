// SPDX-License-Identifier: MIT
/*
 * tcpconn.c - the TCP connect probe (tcpconn.h).
 *
 * The socket is what an uplink's ping probe uses (SO_BINDTODEVICE to its
 * interface, SO_MARK its pin), so the SYN takes the uplink whatever the
 * main table says. Whether the attempt ended is asked of the socket
 * itself (SO_ERROR after EPOLLOUT, or a poll of zero timeout when the
 * caller runs the probe at a deadline), so a missed wake-up costs time,
 * never a wrong outcome.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "health/tcpconn.h"

struct tcp_probe {
	struct tcp_probe_config cfg;
	uint64_t rng;
	int fd; /* the attempt in flight, or -1 */
	unsigned generation;
	uint16_t seq;
	uint64_t started_us, started_ms;
	uint64_t next_ms; /* the next attempt; 0: at once */
};

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct tcp_probe *tcp_probe_new(const struct tcp_probe_config *cfg)
{
	struct tcp_probe *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->cfg = *cfg;
	p->rng = cfg->seed;
	p->fd = -1;
	return p;
}

static void finish(struct tcp_probe *p)
{
	if (p->fd < 0)
		return;
	close(p->fd);
	p->fd = -1;
	p->generation++;
}

void tcp_probe_free(struct tcp_probe *p)
{
	if (!p)
		return;
	finish(p);
	free(p);
}

int tcp_probe_fd(const struct tcp_probe *p)
{
	return p->fd;
}

unsigned tcp_probe_generation(const struct tcp_probe *p)
{
	return p->generation;
}

uint64_t tcp_probe_next_deadline(const struct tcp_probe *p)
{
	if (p->fd >= 0)
		return p->started_ms + p->cfg.timeout_ms;
	return p->next_ms ? p->next_ms : 1;
}

/* A socket for one attempt, connecting; false: the attempt failed. */
static bool start(struct tcp_probe *p, uint64_t now_ms)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd;

	p->seq++;
	p->started_ms = now_ms;
	p->started_us = mono_us();
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if ((p->cfg.mark && setsockopt(fd, SOL_SOCKET, SO_MARK, &p->cfg.mark,
				       sizeof(p->cfg.mark)) < 0) ||
	    (p->cfg.ifname[0] &&
	     setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->cfg.ifname,
			(socklen_t)strlen(p->cfg.ifname)) < 0)) {
		close(fd);
		return false;
	}
	sa.sin_port = htons(p->cfg.port);
	sa.sin_addr.s_addr = htonl(p->cfg.host);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return false;
	}
	p->fd = fd;
	p->generation++;
	return true;
}

/* Has the attempt ended: 1 connected, -1 failed, 0 still going. */
static int ended(const struct tcp_probe *p)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);

	if (poll(&pfd, 1, 0) <= 0 ||
	    !(pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
		return 0;
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
		return -1;
	return 1;
}

size_t tcp_probe_run(struct tcp_probe *p, uint64_t now_ms,
		     struct probe_outcome *out, size_t max)
{
	size_t n = 0;

	if (p->fd >= 0 && max > n) {
		int e = ended(p);

		if (e || now_ms >= p->started_ms + p->cfg.timeout_ms) {
			uint64_t rtt = mono_us() - p->started_us;

			out[n++] = (struct probe_outcome){
				.replied = e > 0,
				.rtt_us = e > 0 ? (uint32_t)(rtt ? rtt : 1) : 0,
				.seq = p->seq,
			};
			finish(p);
		}
	}
	if (p->fd < 0 && now_ms >= p->next_ms && max > n) {
		p->next_ms = now_ms + probe_jitter(p->cfg.interval_ms,
						   probe_random(&p->rng));
		if (!start(p, now_ms))
			out[n++] = (struct probe_outcome){ .seq = p->seq };
	}
	return n;
}
