// SPDX-License-Identifier: MIT
/*
 * control.c - the control socket: a Unix stream socket inside the event
 * loop, one request line in, "ok"/"error" plus a body out (protocol in
 * control.h).
 *
 * The daemon is single-threaded, so nothing here may block: the listening
 * socket and every client are non-blocking and driven by the loop. A client
 * lives in one of a fixed array of CONTROL_MAX_CLIENTS slots, so a flood of
 * connections costs a bounded amount of memory and the slot pointer can be
 * the loop's callback context. A slot reads into a fixed buffer until it sees
 * a newline, calls the handler with an open_memstream() FILE, then writes the
 * answer as far as the socket takes it and waits for EPOLLOUT for the rest,
 * so an answer may be far larger than the socket buffer. Each slot has one
 * deadline (request complete within CONTROL_TIMEOUT_MS of connecting; while
 * writing, CONTROL_TIMEOUT_MS without progress), which the daemon folds into
 * the loop's deadline through control_next_deadline() and enforces by calling
 * control_tick(). All sends use MSG_NOSIGNAL: a client that goes away must not
 * kill the daemon with SIGPIPE.
 *
 * The client is ctl/client.c; both ends share ctl/protocol.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/control.h"
#include "base/log.h"
#include "daemon/loop.h"

/* How long accepting pauses after running out of descriptors. */
#define ACCEPT_RETRY_MS 1000
/* What a slot reads and discards before closing (see client_close()). */
#define DRAIN_MAX 65536

/* The answer header, reserved in front of the body (see client_answer()). */
#define HDR_OK CONTROL_OK
#define HDR_ERROR CONTROL_ERROR
#define HDR_LEN (sizeof(HDR_ERROR) - 1)

enum client_state {
	CLIENT_FREE,
	CLIENT_READING,
	CLIENT_WRITING,
};

struct control;

struct client {
	struct control *ctl;
	enum client_state state;
	int fd;
	uint64_t deadline;
	size_t in_len;
	char in[CONTROL_REQUEST_MAX];
	/* The answer; out is malloc'd, out_off is what was already sent. */
	char *out;
	size_t out_len, out_off;
};

struct control {
	struct loop *loop;
	int fd;
	char *path;
	/* Identify our socket file, so close never unlinks a successor's. */
	dev_t dev;
	ino_t ino;
	control_handler handler;
	void *ctx;
	/* Non-zero while accepting is paused after EMFILE and friends. */
	uint64_t accept_resume;
	struct client clients[CONTROL_MAX_CLIENTS];
};

/*
 * Closing a Unix socket with unread data makes the peer's next read fail
 * with ECONNRESET instead of seeing EOF. A client that sent more than one
 * line (or an oversized one) would then lose the clean end of our answer, so
 * read and discard what is already queued, boundedly, before closing.
 */
static void close_drained(int fd)
{
	char scratch[4096];
	size_t total = 0;
	ssize_t n;

	while (total < DRAIN_MAX) {
		n = recv(fd, scratch, sizeof(scratch), MSG_DONTWAIT);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	close(fd);
}

static void client_close(struct client *cl)
{
	loop_del(cl->ctl->loop, cl->fd);
	close_drained(cl->fd);
	free(cl->out);
	cl->out = NULL;
	cl->out_len = cl->out_off = 0;
	cl->in_len = 0;
	cl->fd = -1;
	cl->state = CLIENT_FREE;
}

/*
 * Sends as much of the answer as the socket takes. Returns 1 when all of it
 * is sent, 0 when the socket is full, -errno when the client is gone.
 */
static int client_flush(struct client *cl)
{
	ssize_t n;

	while (cl->out_off < cl->out_len) {
		n = send(cl->fd, cl->out + cl->out_off,
			 cl->out_len - cl->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		cl->out_off += (size_t)n;
		/* A slow reader is fine as long as it makes progress. */
		cl->deadline = now_ms() + CONTROL_TIMEOUT_MS;
	}
	return 1;
}

static void client_write(struct client *cl)
{
	int err = client_flush(cl);

	if (err < 0)
		log_debug("control: client went away: %s", strerror(-err));
	if (err != 0)
		client_close(cl);
}

/*
 * Takes ownership of out (len bytes starting at off) and starts sending it;
 * the slot is closed once it is all sent or the client is gone.
 */
static void client_send(struct client *cl, char *out, size_t off, size_t len)
{
	int err;

	cl->state = CLIENT_WRITING;
	cl->out = out;
	cl->out_off = off;
	cl->out_len = len;
	cl->deadline = now_ms() + CONTROL_TIMEOUT_MS;
	err = client_flush(cl);
	if (err == 0) {
		/* Reading stops here: bytes after the request are ignored. */
		err = loop_mod(cl->ctl->loop, cl->fd, EPOLLOUT);
		if (err == 0)
			return;
		log_warn("control: cannot wait to write: %s", strerror(-err));
	} else if (err < 0) {
		log_debug("control: client went away: %s", strerror(-err));
	}
	client_close(cl);
}

/* Answers with "error\n" and a one-line message of the module's own. */
static void client_fail(struct client *cl, const char *msg)
{
	size_t len = HDR_LEN + strlen(msg) + 1;
	char *out = malloc(len + 1);

	if (!out) {
		client_close(cl);
		return;
	}
	snprintf(out, len + 1, HDR_ERROR "%s\n", msg);
	client_send(cl, out, 0, len);
}

/*
 * Runs the handler on a complete request line and sends its answer. The
 * memstream starts with HDR_LEN placeholder bytes, so once the handler's
 * verdict is known the header is written in place in front of the body
 * instead of copying a body that may be megabytes long.
 */
static void client_answer(struct client *cl, const char *request)
{
	struct control *c = cl->ctl;
	char *buf = NULL;
	size_t len = 0, off;
	FILE *f;
	int rc;

	f = open_memstream(&buf, &len);
	if (!f) {
		log_warn("control: cannot buffer an answer: %s",
			 strerror(errno));
		client_close(cl);
		return;
	}
	fputs(HDR_ERROR, f);
	rc = c->handler(c->ctx, request, f);
	if (fclose(f) != 0 || len < HDR_LEN) {
		/* The body may be truncated: better no answer than a wrong one. */
		log_warn("control: cannot buffer an answer: %s",
			 strerror(errno));
		free(buf);
		client_close(cl);
		return;
	}
	if (rc == 0) {
		off = HDR_LEN - (sizeof(HDR_OK) - 1);
		memcpy(buf + off, HDR_OK, sizeof(HDR_OK) - 1);
	} else {
		off = 0;
	}
	client_send(cl, buf, off, len);
}

/* Printable ASCII; '\r' is checked once the line is complete. */
static bool request_byte_ok(unsigned char ch)
{
	return (ch >= 0x20 && ch < 0x7f) || ch == '\r';
}

/* Called with the line's newline replaced by NUL. */
static void client_line(struct client *cl, char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len == 0 || memchr(line, '\r', len)) {
		client_fail(cl, "malformed request");
		return;
	}
	log_debug("control: request \"%s\"", line);
	client_answer(cl, line);
}

static void client_read(struct client *cl)
{
	size_t room, start;
	ssize_t n;

	for (;;) {
		room = sizeof(cl->in) - cl->in_len;
		if (room == 0) {
			client_fail(cl, "request too long");
			return;
		}
		n = recv(cl->fd, cl->in + cl->in_len, room, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				client_close(cl);
			return;
		}
		if (n == 0) {
			/*
			 * A client that only connects (control_open()'s
			 * liveness check) goes quietly; a half-closed partial
			 * line may still read why it was refused.
			 */
			if (cl->in_len == 0)
				client_close(cl);
			else
				client_fail(cl, "malformed request");
			return;
		}
		start = cl->in_len;
		cl->in_len += (size_t)n;
		for (size_t i = start; i < cl->in_len; i++) {
			unsigned char ch = (unsigned char)cl->in[i];

			if (ch == '\n') {
				cl->in[i] = '\0';
				client_line(cl, cl->in, i);
				return;
			}
			/* Refuse at once; no need to wait for the newline. */
			if (!request_byte_ok(ch)) {
				client_fail(cl, "malformed request");
				return;
			}
		}
	}
}

static void client_event(void *ctx, int fd, uint32_t events)
{
	struct client *cl = ctx;

	if (cl->state == CLIENT_READING)
		client_read(cl);
	else if (cl->state == CLIENT_WRITING)
		client_write(cl);
}

static struct client *control_free_slot(struct control *c)
{
	for (size_t i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (c->clients[i].state == CLIENT_FREE)
			return &c->clients[i];
	return NULL;
}

/*
 * Stops watching the listening socket for a while. Without this, a
 * level-triggered listener that cannot accept (no descriptors left) would
 * wake the loop again at once, forever.
 */
static void control_pause_accept(struct control *c, int error)
{
	int err;

	log_warn("control: cannot accept, pausing for %d ms: %s",
		 ACCEPT_RETRY_MS, strerror(error));
	err = loop_mod(c->loop, c->fd, 0);
	if (err)
		log_warn("control: cannot pause accepting: %s", strerror(-err));
	c->accept_resume = now_ms() + ACCEPT_RETRY_MS;
}

static void control_reject(int fd)
{
	static const char msg[] = HDR_ERROR "too many clients\n";

	/* Best effort: a fresh socket's buffer takes a line. */
	if (send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("control: cannot refuse a client: %s",
			  strerror(errno));
	close_drained(fd);
}

static void control_accept(void *ctx, int fd, uint32_t events)
{
	struct control *c = ctx;
	struct client *cl;
	int cfd, err;

	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				control_pause_accept(c, errno);
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("control: accept: %s",
					 strerror(errno));
			return;
		}
		cl = control_free_slot(c);
		if (!cl) {
			log_warn("control: more than %d clients, refusing one",
				 CONTROL_MAX_CLIENTS);
			control_reject(cfd);
			continue;
		}
		err = loop_add(c->loop, cfd, EPOLLIN, client_event, cl);
		if (err) {
			log_warn("control: cannot watch a client: %s",
				 strerror(-err));
			close(cfd);
			continue;
		}
		cl->fd = cfd;
		cl->state = CLIENT_READING;
		cl->in_len = 0;
		cl->deadline = now_ms() + CONTROL_TIMEOUT_MS;
	}
}

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
	int err;

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
	c->loop = loop;
	c->handler = handler;
	c->ctx = ctx;
	for (size_t i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		c->clients[i].ctl = c;
		c->clients[i].fd = -1;
	}
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
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		err = -errno;
		goto out_free;
	}
	if (bind(c->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = -errno;
		goto out_close;
	}
	/*
	 * bind() created the file with the umask's mode; restrict it before
	 * listen(), so nobody can connect during the window.
	 */
	if (chmod(path, 0600) < 0 || stat(path, &st) < 0) {
		err = -errno;
		goto out_unlink;
	}
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	if (listen(c->fd, SOMAXCONN) < 0) {
		err = -errno;
		goto out_unlink;
	}
	err = loop_add(loop, c->fd, EPOLLIN, control_accept, c);
	if (err)
		goto out_unlink;
	return c;

out_unlink:
	unlink(path);
out_close:
	close(c->fd);
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
	for (size_t i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (c->clients[i].state != CLIENT_FREE)
			client_close(&c->clients[i]);
	loop_del(c->loop, c->fd);
	close(c->fd);
	if (lstat(c->path, &st) == 0 && st.st_dev == c->dev &&
	    st.st_ino == c->ino)
		unlink(c->path);
	free(c->path);
	free(c);
}

uint64_t control_next_deadline(const struct control *c)
{
	uint64_t next = c->accept_resume;

	for (size_t i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		const struct client *cl = &c->clients[i];

		if (cl->state == CLIENT_FREE)
			continue;
		if (!next || cl->deadline < next)
			next = cl->deadline;
	}
	return next;
}

void control_tick(struct control *c, uint64_t now)
{
	static const char timeout_msg[] = HDR_ERROR "timeout\n";
	int err;

	for (size_t i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		struct client *cl = &c->clients[i];

		if (cl->state == CLIENT_FREE || cl->deadline > now)
			continue;
		if (cl->state == CLIENT_READING) {
			/* Tell a human typing into socat why it hung up. */
			if (send(cl->fd, timeout_msg, sizeof(timeout_msg) - 1,
				 MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				log_debug("control: cannot send timeout: %s",
					  strerror(errno));
		}
		log_debug("control: closing an idle client");
		client_close(cl);
	}
	if (c->accept_resume && c->accept_resume <= now) {
		err = loop_mod(c->loop, c->fd, EPOLLIN);
		if (err) {
			log_warn("control: cannot resume accepting: %s",
				 strerror(-err));
			c->accept_resume = now + ACCEPT_RETRY_MS;
		} else {
			c->accept_resume = 0;
		}
	}
}
