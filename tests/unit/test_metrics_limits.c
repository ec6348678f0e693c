// SPDX-License-Identifier: MIT
/*
 * test_metrics_limits.c - the metrics listener under abuse (issue 11,
 * item 5): the body is rendered once per METRICS_CACHE_MS however many
 * scrapes come; one address holds at most METRICS_MAX_PER_PEER slots and
 * others are still served; a client that sends no request gives up its
 * slot to a newcomer after METRICS_EVICT_MS, also when every slot is
 * taken; a request head must come within METRICS_HEAD_TIMEOUT_MS; out of
 * descriptors, accepting pauses with one log line.
 *
 * The server runs in this process on 127.0.0.1 (a free port); clients
 * bind to other loopback addresses (127.0.0.2...) to be other peers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/loop.h"
#include "daemon/metrics.h"

#define STEP_MS 5000

struct fixture {
	struct loop *loop;
	struct metrics_server *m;
	int port;
	unsigned fills;
};

static void fill(void *ctx, FILE *out)
{
	struct fixture *fx = ctx;

	fx->fills++;
	fprintf(out, "# body %u\n", fx->fills);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char addr[32];

	assert_non_null(fx);
	fx->loop = loop_new();
	assert_non_null(fx->loop);
	for (int i = 0; i < 200 && !fx->m; i++) {
		fx->port = 20000 + (int)((getpid() * 7 + i * 131) % 40000);
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", fx->port);
		fx->m = metrics_server_open(fx->loop, addr, fill, fx);
	}
	assert_non_null(fx->m);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	metrics_server_close(fx->m);
	loop_free(fx->loop);
	free(fx);
	return 0;
}

static void pump(struct fixture *fx, int ms)
{
	assert_int_equal(loop_run_once(fx->loop, now_ms() + ms), 0);
	metrics_server_tick(fx->m, now_ms());
}

/* Pumps for about ms. */
static void pump_for(struct fixture *fx, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	while (now_ms() < end)
		pump(fx, 10);
}

/* A client from 127.0.0.<host>, connected (the kernel completes it). */
static int client(struct fixture *fx, int host)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	struct sockaddr_in srv = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)fx->port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	me.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)host);
	srv.sin_addr.s_addr = htonl(0x7f000001u);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&srv, sizeof(srv)), 0);
	/* Let the server accept it. */
	pump(fx, 10);
	pump(fx, 0);
	return fd;
}

/* Reads until EOF, turning the loop meanwhile. */
static char *read_all(struct fixture *fx, int fd)
{
	uint64_t deadline = now_ms() + STEP_MS;
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	ssize_t n;

	assert_non_null(buf);
	for (;;) {
		n = recv(fd, buf + len, cap - len - 1, MSG_DONTWAIT);
		if (n > 0) {
			len += (size_t)n;
			assert_true(len < cap - 1);
			continue;
		}
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			break;
		assert_true(errno == EAGAIN);
		if (now_ms() >= deadline)
			fail_msg("no EOF within %d ms", STEP_MS);
		pump(fx, 10);
	}
	buf[len] = '\0';
	return buf;
}

static const char GET[] = "GET /metrics HTTP/1.0\r\n\r\n";

/* A scrape from 127.0.0.<host>; returns the answer (malloc'd). */
static char *scrape(struct fixture *fx, int host)
{
	int fd = client(fx, host);
	char *got;

	assert_int_equal(send(fd, GET, strlen(GET), MSG_NOSIGNAL),
			 (ssize_t)strlen(GET));
	got = read_all(fx, fd);
	close(fd);
	return got;
}

static bool answered(const char *got)
{
	return !strncmp(got, "HTTP/1.0 200 OK", 15);
}

static void test_body_cached(void **state)
{
	struct fixture *fx = *state;
	char *first = scrape(fx, 2), *got;

	assert_true(answered(first));
	assert_non_null(strstr(first, "# body 1\n"));
	for (int i = 0; i < 20; i++) {
		got = scrape(fx, 2 + i % 3);
		assert_string_equal(got, first);
		free(got);
	}
	assert_int_equal(fx->fills, 1);
	assert_int_equal(metrics_server_renders(fx->m), 1);
	/* A scrape interval later, a fresh body. */
	pump_for(fx, METRICS_CACHE_MS + 50);
	got = scrape(fx, 2);
	assert_non_null(strstr(got, "# body 2\n"));
	assert_int_equal(fx->fills, 2);
	free(got);
	free(first);
}

static void test_per_peer(void **state)
{
	struct fixture *fx = *state;
	int idle[METRICS_MAX_PER_PEER], extra;
	char *got;

	for (int i = 0; i < METRICS_MAX_PER_PEER; i++)
		idle[i] = client(fx, 2);
	/* The same address again, while its idlers are young: refused. */
	extra = client(fx, 2);
	assert_int_equal(send(extra, GET, strlen(GET), MSG_NOSIGNAL),
			 (ssize_t)strlen(GET));
	got = read_all(fx, extra);
	assert_false(answered(got));
	free(got);
	close(extra);
	/* Another address is served at once. */
	got = scrape(fx, 3);
	assert_true(answered(got));
	free(got);
	for (int i = 0; i < METRICS_MAX_PER_PEER; i++)
		close(idle[i]);
}

static void test_evict_idle(void **state)
{
	struct fixture *fx = *state;
	int idle[METRICS_MAX_PER_PEER];
	char *got;

	for (int i = 0; i < METRICS_MAX_PER_PEER; i++)
		idle[i] = client(fx, 2);
	pump_for(fx, METRICS_EVICT_MS + 50);
	/* The address's own scraper takes an idler's slot. */
	got = scrape(fx, 2);
	assert_true(answered(got));
	free(got);
	/* The oldest idler was closed for it. */
	got = read_all(fx, idle[0]);
	free(got);
	for (int i = 0; i < METRICS_MAX_PER_PEER; i++)
		close(idle[i]);
}

static void test_evict_when_full(void **state)
{
	struct fixture *fx = *state;
	int idle[METRICS_MAX_CLIENTS];
	char *got;

	/* Every slot, METRICS_MAX_PER_PEER per address. */
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		idle[i] = client(fx, 10 + i / METRICS_MAX_PER_PEER);
	pump_for(fx, METRICS_EVICT_MS + 50);
	got = scrape(fx, 200);
	assert_true(answered(got));
	free(got);
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		close(idle[i]);
}

static void test_head_timeout(void **state)
{
	struct fixture *fx = *state;
	uint64_t t0 = now_ms(), took;
	int fd = client(fx, 2);
	char *got;

	/* Half a head, then nothing: closed after the head timeout. */
	assert_int_equal(
		send(fd, "GET /metrics HTTP/1.0\r\n", 23, MSG_NOSIGNAL), 23);
	got = read_all(fx, fd);
	took = now_ms() - t0;
	assert_false(answered(got));
	assert_true(took >= METRICS_HEAD_TIMEOUT_MS - 50);
	assert_true(took < METRICS_HEAD_TIMEOUT_MS + 2000);
	free(got);
	close(fd);
}

/*
 * Out of descriptors, accepting pauses: one warning for the whole
 * shortage, however many pauses it lasts (it was a line per wakeup, 600k
 * in 3 s, before accept paused at all).
 */
static void test_emfile_one_line(void **state)
{
	struct fixture *fx = *state;
	struct rlimit saved, low;
	FILE *log = tmpfile();
	int fd, lowest, err_fd;
	char line[512], *got;
	unsigned lines = 0;

	assert_non_null(log);
	fd = client(fx, 2);
	assert_int_equal(send(fd, GET, strlen(GET), MSG_NOSIGNAL),
			 (ssize_t)strlen(GET));
	/* Our log lines go to stderr: into log for the test's span. */
	fflush(stderr);
	err_fd = dup(2);
	assert_true(err_fd >= 0);
	assert_true(dup2(fileno(log), 2) == 2);
	/* The one accept() already done; undo it by reconnecting. */
	close(fd);
	pump(fx, 10);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	{
		struct sockaddr_in srv = {
			.sin_family = AF_INET,
			.sin_port = htons((uint16_t)fx->port),
			.sin_addr.s_addr = htonl(0x7f000001u)
		};

		assert_int_equal(
			connect(fd, (struct sockaddr *)&srv, sizeof(srv)), 0);
	}
	assert_int_equal(send(fd, GET, strlen(GET), MSG_NOSIGNAL),
			 (ssize_t)strlen(GET));
	lowest = dup(0);
	assert_true(lowest >= 0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	low = saved;
	low.rlim_cur = (rlim_t)lowest;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	/* Three pauses, each resumed into the same shortage. */
	for (int i = 0; i < 3; i++) {
		uint64_t resume;

		assert_int_equal(loop_run_once(fx->loop, now_ms() + 50), 0);
		resume = metrics_server_next_deadline(fx->m);
		assert_true(resume > now_ms());
		metrics_server_tick(fx->m, resume);
	}
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	got = read_all(fx, fd);
	assert_true(answered(got));
	free(got);
	close(fd);
	fflush(stderr);
	assert_true(dup2(err_fd, 2) == 2);
	close(err_fd);
	rewind(log);
	while (fgets(line, sizeof(line), log))
		if (strstr(line, "cannot accept"))
			lines++;
	fclose(log);
	assert_int_equal(lines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_body_cached, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_per_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evict_idle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evict_when_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_head_timeout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_emfile_one_line, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
