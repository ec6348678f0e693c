// SPDX-License-Identifier: MIT
/*
 * test_control.c - the control socket, server and client.
 *
 * Most tests drive the server in this process: a raw non-blocking client
 * socket talks to it while the test turns the loop with loop_run_once()
 * between reads, so every step happens in a known order and each wait is
 * bounded by a wall-clock deadline. Timeouts are tested by handing
 * control_tick() a time of our choosing instead of sleeping. The blocking
 * client, control_request(), needs the server running concurrently, so
 * those tests fork a child that runs the loop until it is asked to quit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl/client.h"
#include "daemon/control.h"
#include "base/log.h"
#include "daemon/loop.h"

/* No step of a test may take longer than this. */
#define STEP_MS 5000
#define BIG_LINES 16384
#define BIG_LINE_LEN 64

struct fixture {
	char dir[32];
	char rundir[64];
	char path[96];
	struct loop *loop;
	struct control *ctl;
	bool quit;
};

static void big_line(char *line, size_t i)
{
	snprintf(line, BIG_LINE_LEN + 1, "%08zu", i);
	memset(line + 8, 'a' + (int)(i % 26), BIG_LINE_LEN - 9);
	line[BIG_LINE_LEN - 1] = '\n';
	line[BIG_LINE_LEN] = '\0';
}

static int handler(void *ctx, const char *request, FILE *reply)
{
	struct fixture *fx = ctx;
	char line[BIG_LINE_LEN + 1];

	if (!strcmp(request, "status")) {
		fputs("state: up\n", reply);
		return 0;
	}
	if (!strcmp(request, "status json")) {
		fputs("{}\n", reply);
		return 0;
	}
	if (!strcmp(request, "fail")) {
		fputs("no such command\n", reply);
		return 1;
	}
	if (!strcmp(request, "big")) {
		/* 1 MiB: far beyond any socket buffer. */
		for (size_t i = 0; i < BIG_LINES; i++) {
			big_line(line, i);
			fputs(line, reply);
		}
		return 0;
	}
	if (!strcmp(request, "quit")) {
		fx->quit = true;
		return 0;
	}
	fprintf(reply, "unknown command (%zu bytes)\n", strlen(request));
	return 1;
}

static void check_big_body(const char *body, size_t len)
{
	char line[BIG_LINE_LEN + 1];

	assert_int_equal(len, (size_t)BIG_LINES * BIG_LINE_LEN);
	for (size_t i = 0; i < BIG_LINES; i++) {
		big_line(line, i);
		assert_memory_equal(body + i * BIG_LINE_LEN, line,
				    BIG_LINE_LEN);
	}
}

static void make_paths(struct fixture *fx)
{
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_control.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->rundir, sizeof(fx->rundir), "%s/run", fx->dir);
	snprintf(fx->path, sizeof(fx->path), "%s/ctl.sock", fx->rundir);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	make_paths(fx);
	fx->loop = loop_new();
	assert_non_null(fx->loop);
	fx->ctl = control_open(fx->loop, fx->path, handler, fx);
	assert_non_null(fx->ctl);
	*state = fx;
	return 0;
}

/* A fixture with the directory only, for tests that open it themselves. */
static int setup_bare(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	make_paths(fx);
	fx->loop = loop_new();
	assert_non_null(fx->loop);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	control_close(fx->ctl);
	loop_free(fx->loop);
	unlink(fx->path);
	rmdir(fx->rundir);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Turns the loop once (waiting at most ms), then runs the timeouts. */
static void pump(struct fixture *fx, int ms)
{
	assert_int_equal(loop_run_once(fx->loop, now_ms() + ms), 0);
	if (fx->ctl)
		control_tick(fx->ctl, now_ms());
}

static int connect_raw(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	/* A Unix connect completes at once while the backlog has room. */
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static void send_raw(struct fixture *fx, int fd, const void *buf, size_t len)
{
	uint64_t deadline = now_ms() + STEP_MS;
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, (const char *)buf + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		assert_true(errno == EAGAIN);
		assert_true(now_ms() < deadline);
		pump(fx, 10);
	}
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

/* One whole exchange on a fresh connection; checks the exact answer. */
static void expect(struct fixture *fx, const void *req, size_t len,
		   const char *answer)
{
	int fd = connect_raw(fx->path);
	char *got;

	send_raw(fx, fd, req, len);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, answer);
	free(got);
	close(fd);
}

#define EXPECT(fx, req, answer) expect(fx, req, sizeof(req) - 1, answer)

static void test_status(void **state)
{
	struct fixture *fx = *state;

	EXPECT(fx, "status\n", "ok\nstate: up\n");
	EXPECT(fx, "status json\n", "ok\n{}\n");
	/* socat and telnet users send CRLF. */
	EXPECT(fx, "status\r\n", "ok\nstate: up\n");
	/* What follows the request line is ignored. */
	EXPECT(fx, "status\nreload\n", "ok\nstate: up\n");
}

static void test_handler_error(void **state)
{
	struct fixture *fx = *state;

	EXPECT(fx, "fail\n", "error\nno such command\n");
	EXPECT(fx, "metrics\n", "error\nunknown command (7 bytes)\n");
}

static void test_oversize(void **state)
{
	struct fixture *fx = *state;
	char req[CONTROL_REQUEST_MAX + 1000];

	memset(req, 'x', sizeof(req));
	expect(fx, req, sizeof(req), "error\nrequest too long\n");

	/* The cap counts the newline: 4095 bytes and "\n" still fit. */
	req[CONTROL_REQUEST_MAX - 1] = '\n';
	expect(fx, req, CONTROL_REQUEST_MAX,
	       "error\nunknown command (4095 bytes)\n");
	req[CONTROL_REQUEST_MAX - 1] = 'x';
	req[CONTROL_REQUEST_MAX] = '\n';
	expect(fx, req, CONTROL_REQUEST_MAX + 1, "error\nrequest too long\n");

	EXPECT(fx, "status\n", "ok\nstate: up\n");
}

static void test_malformed(void **state)
{
	struct fixture *fx = *state;
	int fd;
	char *got;

	EXPECT(fx, "sta\0tus\n", "error\nmalformed request\n");
	EXPECT(fx, "\x01status\n", "error\nmalformed request\n");
	EXPECT(fx, "st\ratus\n", "error\nmalformed request\n");
	EXPECT(fx, "caf\xc3\xa9\n", "error\nmalformed request\n");
	EXPECT(fx, "\n", "error\nmalformed request\n");
	EXPECT(fx, "\r\n", "error\nmalformed request\n");
	/* A NUL is refused at once, without waiting for a newline. */
	EXPECT(fx, "status\0", "error\nmalformed request\n");

	/* EOF before the newline. */
	fd = connect_raw(fx->path);
	send_raw(fx, fd, "status", 6);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "error\nmalformed request\n");
	free(got);
	close(fd);

	EXPECT(fx, "status\n", "ok\nstate: up\n");
}

static void test_idle_timeout(void **state)
{
	struct fixture *fx = *state;
	uint64_t before, deadline, step_end;
	char buf[64];
	char *got;
	int fd;

	assert_int_equal(control_next_deadline(fx->ctl), 0);
	before = now_ms();
	fd = connect_raw(fx->path);
	step_end = now_ms() + STEP_MS;
	while (!control_next_deadline(fx->ctl)) {
		assert_true(now_ms() < step_end);
		pump(fx, 10);
	}
	deadline = control_next_deadline(fx->ctl);
	assert_true(deadline >= before + CONTROL_TIMEOUT_MS);
	assert_true(deadline <= now_ms() + CONTROL_TIMEOUT_MS);

	/* The silent client blocks nobody. */
	EXPECT(fx, "status\n", "ok\nstate: up\n");

	control_tick(fx->ctl, deadline - 1);
	assert_int_equal(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);

	control_tick(fx->ctl, deadline);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "error\ntimeout\n");
	free(got);
	close(fd);
	assert_int_equal(control_next_deadline(fx->ctl), 0);
}

static void test_max_clients(void **state)
{
	struct fixture *fx = *state;
	int fds[CONTROL_MAX_CLIENTS + 1];
	char *got;
	int fd;

	for (size_t i = 0; i < CONTROL_MAX_CLIENTS + 1; i++)
		fds[i] = connect_raw(fx->path);
	/* Accepted in connect order, so the last one finds no slot. */
	got = read_all(fx, fds[CONTROL_MAX_CLIENTS], NULL);
	assert_string_equal(got, "error\ntoo many clients\n");
	free(got);
	close(fds[CONTROL_MAX_CLIENTS]);

	/* The sixteen are all served, in reverse order for good measure. */
	for (size_t i = CONTROL_MAX_CLIENTS; i-- > 0;) {
		send_raw(fx, fds[i], "status\n", 7);
		got = read_all(fx, fds[i], NULL);
		assert_string_equal(got, "ok\nstate: up\n");
		free(got);
		close(fds[i]);
	}
	assert_int_equal(control_next_deadline(fx->ctl), 0);

	/* Slots are reused. */
	fd = connect_raw(fx->path);
	send_raw(fx, fd, "status\n", 7);
	got = read_all(fx, fd, NULL);
	assert_string_equal(got, "ok\nstate: up\n");
	free(got);
	close(fd);
}

static void test_large_reply(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *got;
	int fd;

	fd = connect_raw(fx->path);
	send_raw(fx, fd, "big\n", 4);
	got = read_all(fx, fd, &len);
	assert_true(len > 3);
	assert_memory_equal(got, "ok\n", 3);
	check_big_body(got + 3, len - 3);
	free(got);
	close(fd);
}

static void test_client_gone_mid_reply(void **state)
{
	struct fixture *fx = *state;
	uint64_t step_end;
	int fd;

	fd = connect_raw(fx->path);
	send_raw(fx, fd, "big\n", 4);
	/* Let the server accept, answer and fill the socket buffer. */
	for (int i = 0; i < 5; i++)
		pump(fx, 10);
	assert_true(control_next_deadline(fx->ctl) != 0);
	close(fd);

	/* Writing to the dead peer must neither raise SIGPIPE nor stall. */
	step_end = now_ms() + STEP_MS;
	while (control_next_deadline(fx->ctl)) {
		assert_true(now_ms() < step_end);
		pump(fx, 10);
	}
	EXPECT(fx, "status\n", "ok\nstate: up\n");
}

static void test_socket_mode(void **state)
{
	struct fixture *fx = *state;
	struct stat st;

	assert_int_equal(stat(fx->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	/* The parent directory did not exist before control_open(). */
	assert_int_equal(stat(fx->rundir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

static void test_close_unlinks(void **state)
{
	struct fixture *fx = *state;

	control_close(fx->ctl);
	fx->ctl = NULL;
	assert_int_equal(access(fx->path, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_stale_replaced(void **state)
{
	struct fixture *fx = *state;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	/* What a crashed daemon leaves: a socket file nobody listens on. */
	assert_int_equal(mkdir(fx->rundir, 0755), 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fx->path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));

	fx->ctl = control_open(fx->loop, fx->path, handler, fx);
	assert_non_null(fx->ctl);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	EXPECT(fx, "status\n", "ok\nstate: up\n");
}

static void test_live_refused(void **state)
{
	struct fixture *fx = *state;
	struct control *second;
	struct stat before, after;

	assert_int_equal(stat(fx->path, &before), 0);
	errno = 0;
	second = control_open(fx->loop, fx->path, handler, fx);
	assert_null(second);
	assert_int_equal(errno, EADDRINUSE);
	/* The live daemon keeps its socket and still answers. */
	assert_int_equal(stat(fx->path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	EXPECT(fx, "status\n", "ok\nstate: up\n");
}

static void test_not_a_socket(void **state)
{
	struct fixture *fx = *state;
	struct stat st;
	FILE *f;

	assert_int_equal(mkdir(fx->rundir, 0755), 0);
	f = fopen(fx->path, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);

	errno = 0;
	assert_null(control_open(fx->loop, fx->path, handler, fx));
	assert_int_equal(errno, EEXIST);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 9);
}

static void test_bad_paths(void **state)
{
	struct fixture *fx = *state;
	char longpath[200];

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	errno = 0;
	assert_null(control_open(fx->loop, longpath, handler, fx));
	assert_int_equal(errno, ENAMETOOLONG);
	errno = 0;
	assert_null(control_open(fx->loop, "", handler, fx));
	assert_int_equal(errno, EINVAL);
}

/*
 * The server in a child process, for the blocking client. Returns the
 * child's pid once the socket is listening.
 */
static pid_t spawn_server(struct fixture *fx)
{
	struct pollfd pfd;
	char ready;
	int pipefd[2];
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint64_t hard_stop = now_ms() + 20000, next;

		close(pipefd[0]);
		/* The parent's epoll instance is shared after fork(). */
		fx->loop = loop_new();
		if (!fx->loop)
			_exit(1);
		fx->ctl = control_open(fx->loop, fx->path, handler, fx);
		if (!fx->ctl)
			_exit(1);
		if (write(pipefd[1], "r", 1) != 1)
			_exit(1);
		while (!fx->quit && now_ms() < hard_stop) {
			next = control_next_deadline(fx->ctl);
			if (!next || next > now_ms() + 100)
				next = now_ms() + 100;
			if (loop_run_once(fx->loop, next) < 0)
				_exit(1);
			control_tick(fx->ctl, now_ms());
		}
		/* Let the answer to "quit" go out before closing. */
		while (control_next_deadline(fx->ctl) && now_ms() < hard_stop) {
			if (loop_run_once(fx->loop, now_ms() + 100) < 0)
				_exit(1);
			control_tick(fx->ctl, now_ms());
		}
		control_close(fx->ctl);
		_exit(fx->quit ? 0 : 1);
	}
	close(pipefd[1]);
	pfd = (struct pollfd){ .fd = pipefd[0], .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, STEP_MS), 1);
	assert_int_equal(read(pipefd[0], &ready, 1), 1);
	close(pipefd[0]);
	return pid;
}

static void stop_server(struct fixture *fx, pid_t pid)
{
	bool ok = false;
	char *body = NULL;
	int status;

	assert_int_equal(control_request(fx->path, "quit", STEP_MS, &ok, &body),
			 0);
	assert_true(ok);
	free(body);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The child's control_close() removed the socket. */
	assert_int_equal(access(fx->path, F_OK), -1);
}

static void test_request(void **state)
{
	struct fixture *fx = *state;
	pid_t pid = spawn_server(fx);
	char *body = NULL;
	bool ok = false;

	assert_int_equal(
		control_request(fx->path, "status", STEP_MS, &ok, &body), 0);
	assert_true(ok);
	assert_string_equal(body, "state: up\n");
	free(body);

	assert_int_equal(control_request(fx->path, "fail", STEP_MS, &ok, &body),
			 0);
	assert_false(ok);
	assert_string_equal(body, "no such command\n");
	free(body);

	assert_int_equal(control_request(fx->path, "big", STEP_MS, &ok, &body),
			 0);
	assert_true(ok);
	check_big_body(body, strlen(body));
	free(body);

	/* A newline would end the request early: refused locally. */
	assert_int_equal(control_request(fx->path, "status\nreload", STEP_MS,
					 &ok, &body),
			 -EINVAL);

	stop_server(fx, pid);
}

static void test_request_oversize(void **state)
{
	struct fixture *fx = *state;
	pid_t pid = spawn_server(fx);
	char *req = malloc(100000);
	char *body = NULL;
	bool ok = true;

	/* Far more than the server reads: it answers, drains and closes. */
	assert_non_null(req);
	memset(req, 'x', 99999);
	req[99999] = '\0';
	assert_int_equal(control_request(fx->path, req, STEP_MS, &ok, &body),
			 0);
	assert_false(ok);
	assert_string_equal(body, "request too long\n");
	free(body);
	free(req);

	stop_server(fx, pid);
}

static void test_request_unreachable(void **state)
{
	struct fixture *fx = *state;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	uint64_t start;
	char *body = NULL;
	bool ok;
	int fd;

	assert_int_equal(control_request(fx->path, "status", 1000, &ok, &body),
			 -ENOENT);

	/* Listening, but nobody ever accepts or answers. */
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/mute.sock", fx->dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 1), 0);
	start = now_ms();
	assert_int_equal(control_request(sun.sun_path, "status", 200, &ok,
					 &body),
			 -ETIMEDOUT);
	assert_true(now_ms() - start >= 200);
	assert_true(now_ms() - start < 2000);
	close(fd);
	unlink(sun.sun_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_oversize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_idle_timeout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_max_clients, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_large_reply, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_client_gone_mid_reply,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_close_unlinks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stale_replaced, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(test_live_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_a_socket, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_paths, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(test_request, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(test_request_oversize,
						setup_bare, teardown),
		cmocka_unit_test_setup_teardown(test_request_unreachable,
						setup_bare, teardown),
	};

	/*
	 * SIGPIPE keeps its default action: if the server ever wrote to a
	 * departed client without MSG_NOSIGNAL, this test would die of it.
	 */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
