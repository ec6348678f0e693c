// SPDX-License-Identifier: MIT
/*
 * control.c - the control socket: a Unix stream socket inside the event
 * loop, one request line in, "ok"/"error" plus a body out (protocol in
 * ctl/protocol.h, client in ctl/client.c).
 *
 * stream.c does the connections: the bounded slots, reading a request
 * within CONTROL_TIMEOUT_MS, writing an answer of any size without blocking
 * the loop, and the protocol's own error answers (too many clients,
 * timeout, request too long, EOF within the line). What is left here is
 * the socket file and the request line: a line is refused as soon as a byte
 * that cannot be in one arrives, and a complete line goes to the daemon's
 * handler, whose answer is written into a body with room for the "ok" or
 * "error" line in front, so a body of megabytes is never copied.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/control.h"
#include "daemon/stream.h"

/* The longer of the two answer lines, reserved in front of the body. */
#define HEAD_MAX (sizeof(CONTROL_ERROR) - 1)
#define MALFORMED CONTROL_ERROR "malformed request\n"

struct control {
	struct stream_server *server;
	char *path;
	/* Identify our socket file, so close never unlinks a successor's. */
	dev_t dev;
	ino_t ino;
	control_handler handler;
	void *ctx;
};

/* Runs the handler on a complete request line and sends its answer. */
static void control_answer(struct control *c, struct stream_client *cl,
			   const char *request)
{
	FILE *body = stream_reply_begin(cl, HEAD_MAX);
	int rc;

	if (!body)
		return;
	rc = c->handler(c->ctx, request, body);
	if (stream_reply_end(cl, body) < 0)
		return;
	stream_reply_send(cl, rc == 0 ? CONTROL_OK : CONTROL_ERROR, true);
}

/* Printable ASCII; '\r' is checked once the line is complete. */
static bool request_byte_ok(unsigned char ch)
{
	return (ch >= 0x20 && ch < 0x7f) || ch == '\r';
}

/* Called with the line's newline replaced by NUL. */
static void control_line(struct control *c, struct stream_client *cl,
			 char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len == 0 || memchr(line, '\r', len)) {
		stream_reply_text(cl, MALFORMED);
		return;
	}
	log_debug("control: request \"%s\"", line);
	control_answer(c, cl, line);
}

static void control_input(void *ctx, struct stream_client *cl, char *in,
			  size_t len, size_t fresh)
{
	for (size_t i = fresh; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];

		if (ch == '\n') {
			in[i] = '\0';
			control_line(ctx, cl, in, i);
			return;
		}
		/* Refuse at once; no need to wait for the newline. */
		if (!request_byte_ok(ch)) {
			stream_reply_text(cl, MALFORMED);
			return;
		}
	}
}

static const struct stream_params control_params = {
	.name = "control",
	.input = control_input,
	.limits = { .clients = CONTROL_MAX_CLIENTS,
		    .backlog = SOMAXCONN,
		    .request_bytes = CONTROL_REQUEST_MAX,
		    .request_ms = CONTROL_TIMEOUT_MS,
		    .progress_ms = CONTROL_TIMEOUT_MS },
	.replies = { .busy = CONTROL_ERROR "too many clients\n",
		     .timeout = CONTROL_ERROR "timeout\n",
		     .overflow = CONTROL_ERROR "request too long\n",
		     .truncated = MALFORMED },
};

/* Only the last directory: a missing /run would be a broken system. */
static int make_parent(const char *path)
{
	char *dir = strdup(path);
	char *slash;
	int err = 0;

	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			err = -errno;
	}
	free(dir);
	return err;
}

/*
 * A socket file left by a daemon that died is in the way of bind(). Remove
 * it, but only after trying to connect: a live daemon answers (or has a full
 * backlog, EAGAIN), and we must not steal its socket. There is a window
 * between the check and bind() in which another starting daemon could do
 * the same; the pid file, not this, is what keeps two daemons apart.
 */
static int remove_stale(const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, err;

	if (lstat(sun->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0)
		err = -EADDRINUSE;
	else if (errno == EAGAIN)
		err = -EADDRINUSE;
	else if (errno == ECONNREFUSED)
		err = 0;
	else
		err = -errno;
	close(fd);
	if (err)
		return err;
	log_info("control: removing stale socket %s", sun->sun_path);
	if (unlink(sun->sun_path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

struct control *control_open(struct loop *loop, const char *path,
			     control_handler handler, void *ctx)
{
	struct sockaddr_un sun;
	struct control *c;
	struct stat st;
	int fd, err;

	if (!loop || !path || !handler) {
		errno = EINVAL;
		return NULL;
	}
	err = control_sockaddr(&sun, path);
	if (err) {
		errno = -err;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->handler = handler;
	c->ctx = ctx;
	c->path = strdup(path);
	if (!c->path) {
		err = -ENOMEM;
		goto out_free;
	}
	err = make_parent(path);
	if (err)
		goto out_free;
	err = remove_stale(&sun);
	if (err)
		goto out_free;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		goto out_free;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = -errno;
		goto out_close;
	}
	/*
	 * bind() created the file with the umask's mode; restrict it before
	 * stream_server_open() listens, so nobody can connect in between.
	 */
	if (chmod(path, 0600) < 0 || stat(path, &st) < 0) {
		err = -errno;
		goto out_unlink;
	}
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->server = stream_server_open(loop, fd, &control_params, c);
	if (!c->server) {
		err = -errno;
		goto out_unlink;
	}
	return c;

out_unlink:
	unlink(path);
out_close:
	close(fd);
out_free:
	free(c->path);
	free(c);
	errno = -err;
	return NULL;
}

void control_close(struct control *c)
{
	struct stat st;

	if (!c)
		return;
	stream_server_close(c->server);
	if (lstat(c->path, &st) == 0 && st.st_dev == c->dev &&
	    st.st_ino == c->ino)
		unlink(c->path);
	free(c->path);
	free(c);
}

uint64_t control_next_deadline(const struct control *c)
{
	return stream_server_next_deadline(c->server);
}

void control_tick(struct control *c, uint64_t now)
{
	stream_server_tick(c->server, now);
}
