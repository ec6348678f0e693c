// SPDX-License-Identifier: MIT
/*
 * probe_driver.c - runs one probe against a real gateway for t_probe.sh.
 *
 *   probe_driver IFNAME GATEWAY ping|arp MARK SECONDS [INTERVAL TIMEOUT]
 *	Probes with the default settings (100 ms, 300 ms, 5 down, 5 up)
 *	unless INTERVAL and TIMEOUT (ms) are given,
 *	feeds health.c and prints one line per outcome and per state change:
 *	  start id=0x1234
 *	  outcome seq=17 reply rtt_us=85
 *	  outcome seq=18 lost
 *	  state=down wall_ms=1712345678901 reason=after 5 lost probes (...)
 *	wall_ms is CLOCK_REALTIME, so the script can compare it with date(1).
 *
 *   probe_driver echo-forger good|bad SECONDS
 *	For the gateway's namespace with net.ipv4.icmp_echo_ignore_all=1:
 *	answers every echo request itself, copying id and seq, with the
 *	payload intact (good) or with the cookie altered (bad: a forger that
 *	sees the id and seq but cannot know the secret).
 *
 * Exits 0 after SECONDS, 1 on an error (message on stderr).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "health/health.h"
#include "base/log.h"
#include "health/probe.h"

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: probe_driver IFNAME GATEWAY ping|arp MARK SECONDS "
		"[INTERVAL_MS TIMEOUT_MS]\n"
		"       probe_driver echo-forger good|bad SECONDS\n");
	return 1;
}

static int run_probe(int argc, char **argv)
{
	/* No flap damping: the test times back-to-back blackouts. */
	const struct health_params params = { .down_count = 5,
					      .up_count = 5,
					      .flap_window_ms = 0 };
	struct probe_config cfg = { .interval_ms = 100, .timeout_ms = 300 };
	struct probe_outcome out[32];
	struct in_addr gw;
	struct health h;
	struct probe *p;
	uint64_t end;

	if ((argc != 6 && argc != 8) || strlen(argv[1]) >= sizeof(cfg.ifname) ||
	    inet_pton(AF_INET, argv[2], &gw) != 1)
		return usage();
	strcpy(cfg.ifname, argv[1]);
	cfg.gateway = ntohl(gw.s_addr);
	if (!strcmp(argv[3], "ping"))
		cfg.kind = CHECK_PING;
	else if (!strcmp(argv[3], "arp"))
		cfg.kind = CHECK_ARP;
	else
		return usage();
	cfg.mark = (uint32_t)strtoul(argv[4], NULL, 0);
	if (argc == 8) {
		cfg.interval_ms = (unsigned)strtoul(argv[6], NULL, 10);
		cfg.timeout_ms = (unsigned)strtoul(argv[7], NULL, 10);
	}
	/* seed 0: probe_new draws one from getrandom(). */

	p = probe_new(&cfg);
	if (!p) {
		fprintf(stderr, "probe_driver: probe %s: %s\n", cfg.ifname,
			strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("start id=%#x\n", probe_id(p));
	health_init(&h, now_ms());
	end = now_ms() + 1000 * strtoull(argv[5], NULL, 10);
	while (now_ms() < end) {
		struct pollfd pfd = { .fd = probe_fd(p), .events = POLLIN };
		uint64_t dl = probe_next_deadline(p), now = now_ms();
		size_t n;

		if (dl > end)
			dl = end;
		if (poll(&pfd, 1, dl > now ? (int)(dl - now) : 0) < 0 &&
		    errno != EINTR) {
			perror("probe_driver: poll");
			break;
		}
		now = now_ms();
		probe_events(p, (uint32_t)pfd.revents);
		n = probe_run(p, now, out, sizeof(out) / sizeof(out[0]));
		for (size_t i = 0; i < n; i++) {
			char reason[128];

			if (out[i].replied)
				printf("outcome seq=%u reply rtt_us=%u\n",
				       out[i].seq, out[i].rtt_us);
			else
				printf("outcome seq=%u lost\n", out[i].seq);
			if (!health_feed(&h, &params, out[i].replied,
					 out[i].rtt_us, now))
				continue;
			health_reason(&h, reason, sizeof(reason));
			printf("state=%s wall_ms=%llu reason=%s\n",
			       health_state_name(h.state),
			       (unsigned long long)wall_ms(), reason);
		}
	}
	printf("end sent=%llu lost=%llu loss=%.0f%% rtt=%.3f ms\n",
	       (unsigned long long)h.sent, (unsigned long long)h.lost,
	       health_loss_pct(&h), health_rtt_ms(&h));
	probe_free(p);
	return 0;
}

static int run_forger(int argc, char **argv)
{
	bool good;
	uint64_t end;
	int fd;

	if (argc != 4 || (strcmp(argv[2], "good") && strcmp(argv[2], "bad")))
		return usage();
	good = !strcmp(argv[2], "good");
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0) {
		perror("probe_driver: socket");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("forger ready\n");
	end = now_ms() + 1000 * strtoull(argv[3], NULL, 10);
	while (now_ms() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint8_t buf[1500];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		uint8_t *icmp;
		uint16_t sum;
		size_t ihl, len;
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fl);
		if (n < 20)
			continue;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)n < ihl + 8 + PROBE_COOKIE_LEN)
			continue;
		icmp = buf + ihl;
		len = (size_t)n - ihl;
		if (icmp[0] != ICMP_ECHO)
			continue;
		icmp[0] = ICMP_ECHOREPLY;
		if (!good)
			icmp[8] ^= 0x55;
		icmp[2] = icmp[3] = 0;
		sum = probe_checksum(icmp, len);
		memcpy(icmp + 2, &sum, 2);
		if (sendto(fd, icmp, len, 0, (struct sockaddr *)&from,
			   sizeof(from)) < 0)
			perror("probe_driver: sendto");
		else
			printf("replied seq=%u\n", icmp[6] << 8 | icmp[7]);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "echo-forger"))
		return run_forger(argc, argv);
	return run_probe(argc, argv);
}
