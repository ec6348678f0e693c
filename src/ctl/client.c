// SPDX-License-Identifier: MIT
/*
 * client.c - the control socket's client (protocol in ctl/protocol.h).
 *
 * It runs in ecmpctl and in tests, outside any event loop, so it simply
 * poll()s against one overall deadline: connect, send the request line,
 * read until the server closes, then split off the "ok"/"error" line. The
 * answer may be megabytes (a long print), so it grows a buffer up to
 * ANSWER_MAX rather than trusting any length the server might announce.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log.h"
#include "ctl/client.h"

/* The client refuses answers beyond this rather than eat all memory. */
#define ANSWER_MAX ((size_t)64 << 20)

/* Milliseconds left until deadline (0: none), -1 for "forever". */
static int remaining_ms(uint64_t deadline)
{
	uint64_t now;

	if (!deadline)
		return -1;
	now = now_ms();
	if (now >= deadline)
		return 0;
	return deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
}

static int wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	for (;;) {
		n = poll(&pfd, 1, remaining_ms(deadline));
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/*
 * connect() on a Unix socket whose backlog is full sleeps until there is
 * room (or fails with EAGAIN when non-blocking, with nothing to poll for), so
 * connect blocking and let SO_SNDTIMEO bound the sleep.
 */
static int client_connect(int fd, const struct sockaddr_un *sun,
			  uint64_t deadline)
{
	struct timeval tv = { 0 };
	int ms = remaining_ms(deadline);

	if (ms == 0)
		return -ETIMEDOUT;
	if (ms > 0) {
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
		if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) <
		    0)
			return -errno;
	}
	while (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) < 0) {
		if (errno == EAGAIN || errno == EINPROGRESS)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static int client_send_all(int fd, const char *buf, size_t len,
			   uint64_t deadline)
{
	size_t off = 0;
	ssize_t n;
	int err;

	while (off < len) {
		n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		err = wait_fd(fd, POLLOUT, deadline);
		if (err)
			return err;
	}
	return 0;
}

/* Reads until EOF into *buf (NUL-terminated); *len excludes the NUL. */
static int client_recv_all(int fd, char **buf, size_t *len, uint64_t deadline)
{
	size_t cap = 4096, used = 0;
	char *b = malloc(cap), *nb;
	ssize_t n;
	int err;

	if (!b)
		return -ENOMEM;
	for (;;) {
		/* Always keep a byte for the terminating NUL. */
		if (cap - used < 2) {
			if (cap >= ANSWER_MAX) {
				err = -EMSGSIZE;
				goto out_free;
			}
			nb = realloc(b, cap * 2);
			if (!nb) {
				err = -ENOMEM;
				goto out_free;
			}
			b = nb;
			cap *= 2;
		}
		n = recv(fd, b + used, cap - used - 1, 0);
		if (n > 0) {
			used += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		/* The server closed with our surplus unread: the answer is in. */
		if (errno == ECONNRESET && used > 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			err = -errno;
			goto out_free;
		}
		err = wait_fd(fd, POLLIN, deadline);
		if (err)
			goto out_free;
	}
	b[used] = '\0';
	*buf = b;
	*len = used;
	return 0;

out_free:
	free(b);
	return err;
}

/* Whether the answer (len bytes) starts with the header line hdr. */
static bool has_prefix(const char *answer, size_t len, const char *hdr)
{
	size_t n = strlen(hdr);

	return len >= n && !memcmp(answer, hdr, n);
}

int control_request(const char *path, const char *request, int timeout_ms,
		    bool *ok, char **body)
{
	uint64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	struct sockaddr_un sun;
	size_t reqlen, len = 0, hdr;
	char *line, *answer = NULL;
	int fd, err;

	if (strchr(request, '\n'))
		return -EINVAL;
	err = control_sockaddr(&sun, path);
	if (err)
		return err;
	reqlen = strlen(request);
	line = malloc(reqlen + 2);
	if (!line)
		return -ENOMEM;
	memcpy(line, request, reqlen);
	line[reqlen] = '\n';
	line[reqlen + 1] = '\0';

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		goto out_free_line;
	}
	err = client_connect(fd, &sun, deadline);
	if (err)
		goto out_close;
	err = client_send_all(fd, line, reqlen + 1, deadline);
	/*
	 * The server may answer and close before reading everything (an
	 * oversized request): its answer is still worth reading.
	 */
	if (err && err != -EPIPE && err != -ECONNRESET)
		goto out_close;
	err = client_recv_all(fd, &answer, &len, deadline);
	if (err)
		goto out_close;

	if (has_prefix(answer, len, CONTROL_OK)) {
		*ok = true;
		hdr = strlen(CONTROL_OK);
	} else if (has_prefix(answer, len, CONTROL_ERROR)) {
		*ok = false;
		hdr = strlen(CONTROL_ERROR);
	} else {
		free(answer);
		err = -EPROTO;
		goto out_close;
	}
	memmove(answer, answer + hdr, len - hdr + 1);
	*body = answer;

out_close:
	close(fd);
out_free_line:
	free(line);
	return err;
}
