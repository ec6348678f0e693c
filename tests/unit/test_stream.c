// SPDX-License-Identifier: MIT
/*
 * test_stream.c - the stream-connection module under the control socket
 * and the metrics listener, through a small line protocol of the test's
 * own: what the protocol sees of a request (all of it, NUL-terminated,
 * with the new bytes marked), replies with a head in front of a body (or
 * the head alone), the server's own answers and silent closes, the client
 * limit, both deadlines, and the pause of accept() when descriptors run out.
 *
 * The server runs in this process: a raw non-blocking client socket talks
 * to it while the test turns the loop between reads, and deadlines are
 * tested by handing stream_server_tick() a time of the test's choosing.
 * The listening socket is in the abstract namespace: no file to clean up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/loop.h"
#include "daemon/stream.h"

/* No step of a test may take longer than this. */
#define STEP_MS 5000
#define HEAD_MAX 32
#define MAX_CLIENTS 3
#define REQUEST_MAX 64
#define BIG_BODY ((size_t)4 << 20)

struct fixture {
	struct sockaddr_un sun;
	socklen_t sun_len;
	struct loop *loop;
	struct stream_server *srv;
	/* What the protocol saw, call by call. */
	size_t calls, lens[8], freshes[8];
};

/*
 * The test protocol, on a complete line: "text" answers with a fixed
 * text; "head" with a head alone; "big" with BIG_BODY bytes; "widehead"
 * with a head longer than it reserved; anything else with "len=N\n" and
 * the line itself as the body.
 */
static void answer(struct stream_client *cl, const char *line)
{
	char head[HEAD_MAX + 8];
	FILE *body;
	ssize_t len;

	if (!strcmp(line, "text")) {
		stream_reply_text(cl, "plain\n");
		return;
	}
	body = stream_reply_begin(cl, HEAD_MAX);
	assert_non_null(body);
	if (!strcmp(line, "big")) {
		for (size_t i = 0; i < BIG_BODY; i++)
			fputc('a' + (int)(i % 26), body);
	} else {
		fputs(line, body);
	}
	len = stream_reply_end(cl, body);
	assert_true(len >= 0);
	if (!strcmp(line, "widehead")) {
		memset(head, 'h', HEAD_MAX + 1);
		head[HEAD_MAX + 1] = '\0';
	} else {
		snprintf(head, sizeof(head), "len=%zd\n", len);
	}
	stream_reply_send(cl, head, strcmp(line, "head") != 0);
}

static void input(void *ctx, struct stream_client *cl, char *in, size_t len,
		  size_t fresh)
{
	struct fixture *fx = ctx;
	char *nl;

	assert_int_equal(in[len], '\0');
	if (fx->calls < sizeof(fx->lens) / sizeof(fx->lens[0])) {
		fx->lens[fx->calls] = len;
		fx->freshes[fx->calls] = fresh;
	}
	fx->calls++;
	nl = memchr(in + fresh, '\n', len - fresh);
	if (!nl)
		return;
	*nl = '\0';
	answer(cl, in);
}

#define LIMITS                                                    \
	{                                                         \
		.clients = MAX_CLIENTS, .backlog = 16,            \
		.request_bytes = REQUEST_MAX, .request_ms = 1000, \
		.progress_ms = 2000                               \
	}

static const struct stream_params talkative = {
	.name = "test",
	.input = input,
	.limits = LIMITS,
	.replies = { .busy = "busy\n",
		     .timeout = "timeout\n",
		     .overflow = "too long\n",
		     .truncated = "truncated\n" },
};

/* The same limits; every answer of the server's own is a silent close. */
static const struct stream_params silent = {
	.name = "test",
	.input = input,
	.limits = LIMITS,
};

static struct fixture *open_fixture(const struct stream_params *p)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int fd;

	assert_non_null(fx);
	fx->sun.sun_family = AF_UNIX;
	/* sun_path[0] stays NUL: an abstract address. */
	snprintf(fx->sun.sun_path + 1, sizeof(fx->sun.sun_path) - 1,
		 "ecmpd-test-stream-%d", (int)getpid());
	fx->sun_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				  strlen(fx->sun.sun_path + 1));
	fx->loop = loop_new();
	assert_non_null(fx->loop);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&fx->sun, fx->sun_len), 0);
	fx->srv = stream_server_open(fx->loop, fd, p, fx);
	assert_non_null(fx->srv);
	return fx;
}

static int setup_talkative(void **state)
{
	*state = open_fixture(&talkative);
	return 0;
}

static int setup_silent(void **state)
{
	*state = open_fixture(&silent);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	stream_server_close(fx->srv);
	loop_free(fx->loop);
	free(fx);
	return 0;
}

/* Turns the loop once (waiting at most ms), then runs the deadlines. */
static void pump(struct fixture *fx, int ms)
{
	assert_int_equal(loop_run_once(fx->loop, now_ms() + ms), 0);
	stream_server_tick(fx->srv, now_ms());
}

static int connect_raw(struct fixture *fx)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	/* A Unix connect completes at once while the backlog has room. */
	assert_int_equal(connect(fd, (struct sockaddr *)&fx->sun, fx->sun_len),
			 0);
	return fd;
}

static void send_str(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL),
			 (ssize_t)strlen(s));
}

/* Reads until EOF, turning the loop meanwhile. NUL-terminated, malloc'd. */
static char *read_all(struct fixture *fx, int fd, size_t *lenp)
{
	uint64_t deadline = now_ms() + STEP_MS;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	assert_non_null(buf);
	for (;;) {
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = recv(fd, buf + len, cap - len - 1, MSG_DONTWAIT);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		assert_true(errno == EAGAIN);
		if (now_ms() >= deadline)
			fail_msg("no EOF within %d ms", STEP_MS);
		pump(fx, 10);
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

/* One exchange on a fresh connection; checks the exact answer. */
static void expect(struct fixture *fx, const char *req, const char *answer)
{
	int fd = connect_raw(fx);
	char *got;

	send_str(fd, req);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, answer);
	free(got);
	close(fd);
}

/* Pumps until the server has no client left. */
static void settle(struct fixture *fx)
{
	uint64_t step_end = now_ms() + STEP_MS;

	while (stream_server_next_deadline(fx->srv)) {
		assert_true(now_ms() < step_end);
		pump(fx, 10);
	}
}

static void test_replies(void **state)
{
	struct fixture *fx = *state;

	expect(fx, "hello\n", "len=5\nhello");
	expect(fx, "text\n", "plain\n");
	/* The head alone; its length still counts the body. */
	expect(fx, "head\n", "len=4\n");
	/* A head beyond its reserved room is a bug: no answer at all. */
	expect(fx, "widehead\n", "");
	/* What follows the request is read and ignored. */
	expect(fx, "one\ntwo\n", "len=3\none");
	assert_int_equal(stream_server_next_deadline(fx->srv), 0);
}

/* The protocol sees the whole request after every read, new bytes marked. */
static void test_input_in_pieces(void **state)
{
	struct fixture *fx = *state;
	uint64_t step_end = now_ms() + STEP_MS;
	char *got;
	int fd;

	fd = connect_raw(fx);
	send_str(fd, "ab");
	while (fx->calls < 1) {
		assert_true(now_ms() < step_end);
		pump(fx, 10);
	}
	send_str(fd, "cd\n");
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "len=4\nabcd");
	free(got);
	close(fd);
	assert_int_equal(fx->calls, 2);
	assert_int_equal(fx->lens[0], 2);
	assert_int_equal(fx->freshes[0], 0);
	assert_int_equal(fx->lens[1], 5);
	assert_int_equal(fx->freshes[1], 2);
}

static void test_server_answers(void **state)
{
	struct fixture *fx = *state;
	char req[REQUEST_MAX + 2];
	char *got;
	int fd;

	/* The cap counts the terminator: 63 bytes and "\n" still fit. */
	memset(req, 'x', REQUEST_MAX - 1);
	strcpy(req + REQUEST_MAX - 1, "\n");
	fd = connect_raw(fx);
	send_str(fd, req);
	got = read_all(fx, fd, NULL);
	assert_memory_equal(got, "len=63\n", 7);
	assert_int_equal(strlen(got + 7), REQUEST_MAX - 1);
	assert_int_equal(strspn(got + 7, "x"), REQUEST_MAX - 1);
	free(got);
	close(fd);

	memset(req, 'x', REQUEST_MAX);
	strcpy(req + REQUEST_MAX, "\n");
	expect(fx, req, "too long\n");

	/* EOF within a request; EOF before any byte goes quietly. */
	fd = connect_raw(fx);
	send_str(fd, "half");
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "truncated\n");
	free(got);
	close(fd);
	fd = connect_raw(fx);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "");
	free(got);
	close(fd);
	settle(fx);
}

static void test_silent_closes(void **state)
{
	struct fixture *fx = *state;
	char req[REQUEST_MAX + 2];
	char *got;
	int fd;

	memset(req, 'x', REQUEST_MAX);
	strcpy(req + REQUEST_MAX, "\n");
	expect(fx, req, "");

	fd = connect_raw(fx);
	send_str(fd, "half");
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "");
	free(got);
	close(fd);
	settle(fx);
}

/* Connects max_clients + 1 and checks what the last one reads. */
static void check_busy(struct fixture *fx, const char *refusal)
{
	int fds[MAX_CLIENTS + 1];
	char *got;

	for (size_t i = 0; i < MAX_CLIENTS + 1; i++)
		fds[i] = connect_raw(fx);
	/* Accepted in connect order, so the last one finds no slot. */
	got = read_all(fx, fds[MAX_CLIENTS], NULL);
	assert_string_equal(got, refusal);
	free(got);
	close(fds[MAX_CLIENTS]);
	for (size_t i = 0; i < MAX_CLIENTS; i++) {
		send_str(fds[i], "text\n");
		got = read_all(fx, fds[i], NULL);
		assert_string_equal(got, "plain\n");
		free(got);
		close(fds[i]);
	}
	settle(fx);
	/* Slots are reused. */
	expect(fx, "text\n", "plain\n");
}

static void test_busy(void **state)
{
	check_busy(*state, "busy\n");
}

static void test_busy_silent(void **state)
{
	check_busy(*state, "");
}

static void test_request_deadline(void **state)
{
	struct fixture *fx = *state;
	uint64_t before, deadline, step_end;
	char buf[16];
	char *got;
	int fd;

	before = now_ms();
	fd = connect_raw(fx);
	step_end = now_ms() + STEP_MS;
	while (!stream_server_next_deadline(fx->srv)) {
		assert_true(now_ms() < step_end);
		pump(fx, 10);
	}
	deadline = stream_server_next_deadline(fx->srv);
	assert_true(deadline >= before + talkative.limits.request_ms);
	assert_true(deadline <= now_ms() + talkative.limits.request_ms);

	stream_server_tick(fx->srv, deadline - 1);
	assert_int_equal(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	stream_server_tick(fx->srv, deadline);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "timeout\n");
	free(got);
	close(fd);
	assert_int_equal(stream_server_next_deadline(fx->srv), 0);
}

/* A reader that stops reading is closed progress_ms after its last read. */
static void test_progress_deadline(void **state)
{
	struct fixture *fx = *state;
	uint64_t deadline, sent;
	size_t len = 0;
	ssize_t n;
	char buf[4096];
	int fd;

	fd = connect_raw(fx);
	send_str(fd, "big\n");
	/* Let the server answer and fill the socket buffer. */
	for (int i = 0; i < 5; i++)
		pump(fx, 10);
	sent = now_ms();
	deadline = stream_server_next_deadline(fx->srv);
	assert_true(deadline != 0);
	assert_true(deadline <= sent + talkative.limits.progress_ms);
	assert_true(deadline + 100 >= sent + talkative.limits.progress_ms);
	stream_server_tick(fx->srv, deadline - 1);
	assert_int_equal(stream_server_next_deadline(fx->srv), deadline);
	stream_server_tick(fx->srv, deadline);
	assert_int_equal(stream_server_next_deadline(fx->srv), 0);
	/* No timeout text in the middle of a reply: the data just ends. */
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		len += (size_t)n;
	assert_true(len > 0 && len < BIG_BODY);
	close(fd);
}

static void test_big_reply(void **state)
{
	struct fixture *fx = *state;
	size_t len, head = strlen("len=4194304\n");
	char *got;
	int fd;

	fd = connect_raw(fx);
	send_str(fd, "big\n");
	got = read_all(fx, fd, &len);
	assert_int_equal(len, head + BIG_BODY);
	assert_memory_equal(got, "len=4194304\n", head);
	for (size_t i = 0; i < BIG_BODY; i += 4099)
		assert_int_equal(got[head + i], 'a' + (int)(i % 26));
	free(got);
	close(fd);
}

/*
 * Out of descriptors, accept() fails with EMFILE while the connection
 * stays queued: the listener must stop waking the loop (a level-triggered
 * listener would wake it at once, forever) and pick the client up later.
 */
static void test_accept_pause(void **state)
{
	struct fixture *fx = *state;
	struct rlimit saved, low;
	uint64_t start, resume;
	int fd, lowest;
	char *got;

	fd = connect_raw(fx);
	send_str(fd, "text\n");
	lowest = dup(0);
	assert_true(lowest >= 0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	low = saved;
	low.rlim_cur = (rlim_t)lowest;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);

	start = now_ms();
	assert_int_equal(loop_run_once(fx->loop, start + 50), 0);
	resume = stream_server_next_deadline(fx->srv);
	assert_true(resume >= start + 900);
	/* Paused: the loop sleeps until its deadline instead of spinning. */
	start = now_ms();
	assert_int_equal(loop_run_once(fx->loop, start + 100), 0);
	assert_true(now_ms() - start >= 90);
	stream_server_tick(fx->srv, resume - 1);
	assert_int_equal(stream_server_next_deadline(fx->srv), resume);

	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	stream_server_tick(fx->srv, resume);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "plain\n");
	free(got);
	close(fd);
	settle(fx);
}

static void test_bad_params(void **state)
{
	struct stream_params p = silent;
	struct loop *l = loop_new();
	int pipefd[2];

	assert_non_null(l);
	assert_int_equal(pipe(pipefd), 0);
	p.input = NULL;
	errno = 0;
	assert_null(stream_server_open(l, pipefd[0], &p, NULL));
	assert_int_equal(errno, EINVAL);
	p = silent;
	p.limits.clients = 0;
	assert_null(stream_server_open(l, pipefd[0], &p, NULL));
	assert_int_equal(errno, EINVAL);
	/* Not a socket: listen() fails and the descriptor stays the caller's. */
	p = silent;
	assert_null(stream_server_open(l, pipefd[0], &p, NULL));
	assert_int_equal(errno, ENOTSOCK);
	assert_int_equal(close(pipefd[0]), 0);
	close(pipefd[1]);
	/* NULL is a no-op everywhere a daemon without the server calls. */
	stream_server_close(NULL);
	stream_server_tick(NULL, now_ms());
	assert_int_equal(stream_server_next_deadline(NULL), 0);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replies, setup_talkative,
						teardown),
		cmocka_unit_test_setup_teardown(test_input_in_pieces,
						setup_talkative, teardown),
		cmocka_unit_test_setup_teardown(test_server_answers,
						setup_talkative, teardown),
		cmocka_unit_test_setup_teardown(test_silent_closes,
						setup_silent, teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup_talkative,
						teardown),
		cmocka_unit_test_setup_teardown(test_busy_silent, setup_silent,
						teardown),
		cmocka_unit_test_setup_teardown(test_request_deadline,
						setup_talkative, teardown),
		cmocka_unit_test_setup_teardown(test_progress_deadline,
						setup_talkative, teardown),
		cmocka_unit_test_setup_teardown(test_big_reply, setup_talkative,
						teardown),
		cmocka_unit_test_setup_teardown(test_accept_pause,
						setup_talkative, teardown),
		cmocka_unit_test(test_bad_params),
	};

	log_init(false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
