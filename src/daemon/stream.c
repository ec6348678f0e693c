// SPDX-License-Identifier: MIT
/*
 * stream.c - one request, one reply, over a stream socket inside the event
 * loop; the part the control socket and the metrics listener share.
 *
 * The daemon is single-threaded, so nothing here may block: the listening
 * socket and every client are non-blocking and driven by the loop. A client
 * lives in one of a fixed array of limits.clients slots, so a flood of
 * connections costs a bounded amount of memory and the slot pointer can be
 * the loop's callback context. A slot reads into its own buffer of
 * request_bytes and hands what it has to the protocol after every read;
 * the protocol builds its reply in an open_memstream() buffer, which the
 * slot then writes as far as the socket takes it, waiting for EPOLLOUT for
 * the rest, so a reply may be far larger than the socket buffer. Each slot
 * has one deadline (request complete within request_ms of connecting; while
 * writing, progress_ms without progress), which the owner folds into the
 * loop's deadline through stream_server_next_deadline() and enforces by
 * calling stream_server_tick(). All sends use MSG_NOSIGNAL: a client that
 * goes away must not kill the daemon with SIGPIPE.
 *
 * The limits are per server (clients, clients per peer, request size, the
 * two deadlines, eviction) and accept() is in one place. A peer is its IP
 * address (or its uid on a Unix socket); a new client whose peer holds its
 * share, or that finds every slot taken, takes the slot of the oldest
 * client still sending its request after evict_ms, when the protocol asks
 * for eviction: so neither idle connections nor a request trickled a byte
 * at a time (slowloris) lock others out, and a flood from one address
 * leaves room for everyone else.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/loop.h"
#include "daemon/stream.h"

/* How long accepting pauses after running out of descriptors. */
#define ACCEPT_RETRY_MS 1000
/* What a slot reads and discards before closing (see close_drained()). */
#define DRAIN_MAX 65536

enum slot_state {
	SLOT_FREE,
	SLOT_READING,
	SLOT_ANSWERING, /* inside the input callback, between begin and send */
	SLOT_WRITING,
};

/* Who is on the other end, as far as the per-peer bound cares. */
struct peer {
	sa_family_t family;
	uint8_t addr[16]; /* IPv4 or IPv6 address; a uid on a Unix socket */
};

struct stream_client {
	struct stream_server *srv;
	enum slot_state state;
	int fd;
	struct peer peer;
	uint64_t since; /* connected (monotonic ms) */
	uint64_t deadline;
	/* The request so far: request_bytes and a NUL, in srv->inbuf. */
	char *in;
	size_t in_len;
	/* The reply; out is malloc'd, out_off is what was already sent. */
	char *out;
	size_t out_len, out_off;
	size_t head_room; /* reserved by stream_reply_begin() */
};

struct stream_server {
	struct loop *loop;
	int fd;
	struct stream_params p;
	void *ctx;
	/* Non-zero while accepting is paused after EMFILE and friends. */
	uint64_t accept_resume;
	/* A refusal was logged and no client has found a slot since. */
	bool refusing;
	/* A pause was logged and nothing was accepted since. */
	bool pausing;
	char *inbuf;
	struct stream_client *slots;
};

/*
 * Closing a socket with unread data makes the peer's next read fail with
 * ECONNRESET (a TCP peer gets an RST) instead of seeing EOF. A client that
 * sent more than one request (or an oversized one) would then lose the
 * clean end of our reply, so read and discard what is already queued,
 * boundedly, before closing.
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

static void slot_close(struct stream_client *cl)
{
	loop_del(cl->srv->loop, cl->fd);
	close_drained(cl->fd);
	free(cl->out);
	cl->out = NULL;
	cl->out_len = cl->out_off = 0;
	cl->in_len = 0;
	cl->fd = -1;
	cl->state = SLOT_FREE;
}

/*
 * Sends as much of the reply as the socket takes. Returns 1 when all of it
 * is sent, 0 when the socket is full, -errno when the client is gone.
 */
static int slot_flush(struct stream_client *cl)
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
		cl->deadline = now_ms() + cl->srv->p.limits.progress_ms;
	}
	return 1;
}

/* Writes on after EPOLLOUT; closes the slot when done or gone. */
static void slot_write(struct stream_client *cl)
{
	int err = slot_flush(cl);

	if (err < 0)
		log_debug("%s: client went away: %s", cl->srv->p.name,
			  strerror(-err));
	if (err != 0)
		slot_close(cl);
}

/*
 * Starts sending out[off..len), which the slot owns; the slot is closed
 * once it is all sent or the client is gone.
 */
static void slot_send(struct stream_client *cl, size_t off, size_t len)
{
	const char *name = cl->srv->p.name;
	int err;

	cl->state = SLOT_WRITING;
	cl->out_off = off;
	cl->out_len = len;
	cl->deadline = now_ms() + cl->srv->p.limits.progress_ms;
	err = slot_flush(cl);
	if (err == 0) {
		/* Reading stops here: bytes after the request are ignored. */
		err = loop_mod(cl->srv->loop, cl->fd, EPOLLOUT);
		if (err == 0)
			return;
		log_warn("%s: cannot wait to write: %s", name, strerror(-err));
	} else if (err < 0) {
		log_debug("%s: client went away: %s", name, strerror(-err));
	}
	slot_close(cl);
}

void stream_reply_text(struct stream_client *cl, const char *text)
{
	cl->out = strdup(text);
	if (!cl->out) {
		slot_close(cl);
		return;
	}
	slot_send(cl, 0, strlen(text));
}

FILE *stream_reply_begin(struct stream_client *cl, size_t head_max)
{
	FILE *body;

	cl->state = SLOT_ANSWERING;
	cl->head_room = head_max;
	body = open_memstream(&cl->out, &cl->out_len);
	if (!body) {
		log_warn("%s: cannot buffer an answer: %s", cl->srv->p.name,
			 strerror(errno));
		slot_close(cl);
		return NULL;
	}
	for (size_t i = 0; i < head_max; i++)
		fputc(' ', body);
	return body;
}

ssize_t stream_reply_end(struct stream_client *cl, FILE *body)
{
	int err = 0;

	if (fclose(body) != 0)
		err = errno ? -errno : -EIO;
	else if (cl->out_len < cl->head_room)
		err = -EIO;
	if (err) {
		log_warn("%s: cannot buffer an answer: %s", cl->srv->p.name,
			 strerror(-err));
		slot_close(cl);
		return err;
	}
	return (ssize_t)(cl->out_len - cl->head_room);
}

void stream_reply_send(struct stream_client *cl, const char *head,
		       bool with_body)
{
	size_t len = strlen(head), off;

	if (len > cl->head_room) {
		log_warn("%s: answer head of %zu bytes, room for %zu",
			 cl->srv->p.name, len, cl->head_room);
		slot_close(cl);
		return;
	}
	off = cl->head_room - len;
	memcpy(cl->out + off, head, len);
	slot_send(cl, off, with_body ? cl->out_len : cl->head_room);
}

static void slot_read(struct stream_client *cl)
{
	const struct stream_params *p = &cl->srv->p;
	size_t room, fresh;
	ssize_t n;

	for (;;) {
		room = p->limits.request_bytes - cl->in_len;
		if (room == 0) {
			if (p->replies.overflow)
				stream_reply_text(cl, p->replies.overflow);
			else
				slot_close(cl);
			return;
		}
		n = recv(cl->fd, cl->in + cl->in_len, room, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				slot_close(cl);
			return;
		}
		if (n == 0) {
			/*
			 * A client that only connects (control_open()'s
			 * liveness check) goes quietly; a half-closed partial
			 * request may still read why it was refused.
			 */
			if (cl->in_len > 0 && p->replies.truncated)
				stream_reply_text(cl, p->replies.truncated);
			else
				slot_close(cl);
			return;
		}
		fresh = cl->in_len;
		cl->in_len += (size_t)n;
		cl->in[cl->in_len] = '\0';
		p->input(cl->srv->ctx, cl, cl->in, cl->in_len, fresh);
		if (cl->state != SLOT_READING)
			return;
	}
}

static void slot_event(void *ctx, int fd, uint32_t events)
{
	struct stream_client *cl = ctx;

	if (cl->state == SLOT_READING)
		slot_read(cl);
	else if (cl->state == SLOT_WRITING)
		slot_write(cl);
}

static struct stream_client *free_slot(struct stream_server *s)
{
	for (size_t i = 0; i < s->p.limits.clients; i++)
		if (s->slots[i].state == SLOT_FREE)
			return &s->slots[i];
	return NULL;
}

/*
 * Stops watching the listening socket for a while. Without this, a
 * level-triggered listener that cannot accept (no descriptors left) would
 * wake the loop again at once, forever.
 */
static void pause_accept(struct stream_server *s, int error)
{
	int err;

	/* One line per shortage, not one per second of it. */
	if (!s->pausing)
		log_warn("%s: cannot accept, pausing for %d ms at a time until "
			 "it works again: %s",
			 s->p.name, ACCEPT_RETRY_MS, strerror(error));
	else
		log_debug("%s: still cannot accept: %s", s->p.name,
			  strerror(error));
	s->pausing = true;
	err = loop_mod(s->loop, s->fd, 0);
	if (err)
		log_warn("%s: cannot pause accepting: %s", s->p.name,
			 strerror(-err));
	s->accept_resume = now_ms() + ACCEPT_RETRY_MS;
}

/*
 * Turns away a client for want of a slot. Only the first refusal of a run
 * is a warning: a flood of connections must not become a flood of log
 * lines.
 */
static void refuse(struct stream_server *s, int fd)
{
	const char *msg = s->p.replies.busy;

	if (!s->refusing)
		log_warn("%s: more than %zu clients (or %zu from one peer), "
			 "refusing",
			 s->p.name, s->p.limits.clients,
			 s->p.limits.per_peer ? s->p.limits.per_peer :
						s->p.limits.clients);
	else
		log_debug("%s: refusing one more client", s->p.name);
	s->refusing = true;
	/* Best effort: a fresh socket's buffer takes a line. */
	if (msg && send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("%s: cannot refuse a client: %s", s->p.name,
			  strerror(errno));
	close_drained(fd);
}

static void peer_of(int fd, const struct sockaddr_storage *ss, struct peer *p)
{
	memset(p, 0, sizeof(*p));
	p->family = ss->ss_family;
	if (ss->ss_family == AF_INET) {
		memcpy(p->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		memcpy(p->addr, &((const struct sockaddr_in6 *)ss)->sin6_addr,
		       16);
	} else {
		struct ucred cred;
		socklen_t len = sizeof(cred);

		p->family = AF_UNIX;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
			memcpy(p->addr, &cred.uid, sizeof(cred.uid));
	}
}

static bool same_peer(const struct peer *a, const struct peer *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, 16);
}

/*
 * The client to close for a newcomer: the oldest one, of peer (or of any
 * peer when NULL), still sending its request after evict_ms. NULL when
 * there is none or the protocol does not evict.
 */
static struct stream_client *victim(struct stream_server *s,
				    const struct peer *peer, uint64_t now)
{
	struct stream_client *v = NULL;

	if (!s->p.limits.evict_ms)
		return NULL;
	for (size_t i = 0; i < s->p.limits.clients; i++) {
		struct stream_client *cl = &s->slots[i];

		if (cl->state != SLOT_READING ||
		    cl->since + s->p.limits.evict_ms > now ||
		    (peer && !same_peer(&cl->peer, peer)))
			continue;
		if (!v || cl->since < v->since)
			v = cl;
	}
	return v;
}

static void evict(struct stream_client *cl)
{
	const char *msg = cl->srv->p.replies.timeout;

	if (msg)
		(void)!send(cl->fd, msg, strlen(msg),
			    MSG_NOSIGNAL | MSG_DONTWAIT);
	log_debug("%s: closing a client that sent no request, for a newer "
		  "one",
		  cl->srv->p.name);
	slot_close(cl);
}

/*
 * A slot for a client of peer: a free one within the peer's share, else
 * one freed by eviction. NULL: refuse the client.
 */
static struct stream_client *slot_for(struct stream_server *s,
				      const struct peer *peer, uint64_t now)
{
	struct stream_client *v;
	size_t mine = 0;

	if (s->p.limits.per_peer) {
		for (size_t i = 0; i < s->p.limits.clients; i++)
			if (s->slots[i].state != SLOT_FREE &&
			    same_peer(&s->slots[i].peer, peer))
				mine++;
		if (mine >= s->p.limits.per_peer) {
			v = victim(s, peer, now);
			if (!v)
				return NULL;
			evict(v);
			return v;
		}
	}
	v = free_slot(s);
	if (v)
		return v;
	v = victim(s, NULL, now);
	if (v)
		evict(v);
	return v;
}

static void stream_accept(void *ctx, int fd, uint32_t events)
{
	struct stream_server *s = ctx;
	struct stream_client *cl;
	struct sockaddr_storage ss;
	struct peer peer;
	socklen_t sslen;
	uint64_t now;
	int cfd, err;

	for (;;) {
		sslen = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		cfd = accept4(fd, (struct sockaddr *)&ss, &sslen,
			      SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				pause_accept(s, errno);
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("%s: accept: %s", s->p.name,
					 strerror(errno));
			return;
		}
		s->pausing = false;
		now = now_ms();
		peer_of(cfd, &ss, &peer);
		cl = slot_for(s, &peer, now);
		if (!cl) {
			refuse(s, cfd);
			continue;
		}
		err = loop_add(s->loop, cfd, EPOLLIN, slot_event, cl);
		if (err) {
			log_warn("%s: cannot watch a client: %s", s->p.name,
				 strerror(-err));
			close(cfd);
			continue;
		}
		s->refusing = false;
		cl->fd = cfd;
		cl->peer = peer;
		cl->since = now;
		cl->state = SLOT_READING;
		cl->in_len = 0;
		cl->in[0] = '\0';
		cl->deadline = now + s->p.limits.request_ms;
	}
}

struct stream_server *stream_server_open(struct loop *loop, int fd,
					 const struct stream_params *p,
					 void *ctx)
{
	struct stream_server *s;
	int err;

	if (!loop || fd < 0 || !p || !p->input || !p->limits.clients ||
	    !p->limits.request_bytes) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = loop;
	s->fd = fd;
	s->p = *p;
	s->ctx = ctx;
	s->slots = calloc(p->limits.clients, sizeof(*s->slots));
	s->inbuf = malloc(p->limits.clients * (p->limits.request_bytes + 1));
	if (!s->slots || !s->inbuf) {
		err = -ENOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < p->limits.clients; i++) {
		s->slots[i].srv = s;
		s->slots[i].fd = -1;
		s->slots[i].in = s->inbuf + i * (p->limits.request_bytes + 1);
	}
	if (listen(fd, p->limits.backlog) < 0) {
		err = -errno;
		goto out_free;
	}
	err = loop_add(loop, fd, EPOLLIN, stream_accept, s);
	if (err)
		goto out_free;
	return s;

out_free:
	free(s->inbuf);
	free(s->slots);
	free(s);
	errno = -err;
	return NULL;
}

void stream_server_close(struct stream_server *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->p.limits.clients; i++)
		if (s->slots[i].state != SLOT_FREE)
			slot_close(&s->slots[i]);
	loop_del(s->loop, s->fd);
	close(s->fd);
	free(s->inbuf);
	free(s->slots);
	free(s);
}

uint64_t stream_server_next_deadline(const struct stream_server *s)
{
	uint64_t next;

	if (!s)
		return 0;
	next = s->accept_resume;
	for (size_t i = 0; i < s->p.limits.clients; i++) {
		const struct stream_client *cl = &s->slots[i];

		if (cl->state == SLOT_FREE)
			continue;
		if (!next || cl->deadline < next)
			next = cl->deadline;
	}
	return next;
}

void stream_server_tick(struct stream_server *s, uint64_t now)
{
	const char *msg;
	int err;

	if (!s)
		return;
	msg = s->p.replies.timeout;
	for (size_t i = 0; i < s->p.limits.clients; i++) {
		struct stream_client *cl = &s->slots[i];

		if (cl->state == SLOT_FREE || cl->deadline > now)
			continue;
		/* Tell a human typing into socat why it hung up. */
		if (cl->state == SLOT_READING && msg &&
		    send(cl->fd, msg, strlen(msg),
			 MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			log_debug("%s: cannot send timeout: %s", s->p.name,
				  strerror(errno));
		log_debug("%s: closing an idle client", s->p.name);
		slot_close(cl);
	}
	if (s->accept_resume && s->accept_resume <= now) {
		err = loop_mod(s->loop, s->fd, EPOLLIN);
		if (err) {
			log_warn("%s: cannot resume accepting: %s", s->p.name,
				 strerror(-err));
			s->accept_resume = now + ACCEPT_RETRY_MS;
		} else {
			s->accept_resume = 0;
		}
	}
}
