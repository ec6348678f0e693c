// SPDX-License-Identifier: MIT
/*
 * test_tcpconn.c - the TCP connect probe on the loopback (no mark, no
 * bound device: no root needed): a listening port is a reply, a closed
 * one a loss, a timeout a loss; one socket per attempt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "health/tcpconn.h"

#define LOOPBACK 0x7f000001u

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A listening socket on the loopback; its port in *port. */
static int listener(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Runs p until it reports one outcome (at most 2 s). */
static struct probe_outcome one(struct tcp_probe *p)
{
	struct probe_outcome o;
	uint64_t end = now() + 2000;

	while (now() < end) {
		if (tcp_probe_run(p, now(), &o, 1) == 1)
			return o;
		if (tcp_probe_fd(p) >= 0) {
			struct pollfd pfd = { tcp_probe_fd(p), POLLOUT, 0 };

			poll(&pfd, 1, 10);
		}
	}
	fail_msg("no outcome within 2 s");
	return o;
}

static void test_connects(void **state)
{
	uint16_t port;
	int l = listener(&port);
	struct tcp_probe_config cfg = {
		.host = LOOPBACK,
		.port = port,
		.interval_ms = 10,
		.timeout_ms = 1000,
		.seed = 1,
	};
	struct tcp_probe *p = tcp_probe_new(&cfg);
	struct probe_outcome o;
	unsigned gen;

	assert_non_null(p);
	assert_int_equal(tcp_probe_fd(p), -1);
	assert_int_equal(tcp_probe_run(p, now(), &o, 1), 0); /* started */
	assert_true(tcp_probe_fd(p) >= 0);
	gen = tcp_probe_generation(p);
	o = one(p);
	assert_true(o.replied);
	assert_true(o.rtt_us > 0);
	assert_int_equal(o.seq, 1);
	assert_true(tcp_probe_generation(p) != gen);
	tcp_probe_free(p);
	/* the port closed: refused, a loss */
	close(l);
	p = tcp_probe_new(&cfg);
	assert_non_null(p);
	o = one(p);
	assert_false(o.replied);
	tcp_probe_free(p);
}

/* No answer within the timeout: a loss at the deadline. */
static void test_timeout(void **state)
{
	struct tcp_probe_config cfg = {
		.host = LOOPBACK,
		.port = 9,
		.interval_ms = 1000,
		.timeout_ms = 50,
	};
	struct tcp_probe *p = tcp_probe_new(&cfg);
	struct probe_outcome o;
	uint64_t t = now();

	assert_non_null(p);
	(void)tcp_probe_run(p, t, &o, 1);
	/* judged at the deadline without waiting for the socket */
	if (tcp_probe_fd(p) >= 0) {
		assert_int_equal(tcp_probe_next_deadline(p), t + 50);
		usleep(20000);
		o = one(p);
		assert_false(o.replied);
	}
	tcp_probe_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connects),
		cmocka_unit_test(test_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
