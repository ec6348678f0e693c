/* SPDX-License-Identifier: MIT */
/*
 * stream.h - a stream-socket server inside the event loop: a listening
 * socket, a bounded set of client slots, one request per connection read
 * up to a size cap and within a deadline, one reply of any size written
 * without blocking the loop, then close. The control socket (control.c)
 * and the metrics listener (metrics.c) are protocol layers on it.
 */
#ifndef ECMPD_STREAM_H
#define ECMPD_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct loop;
struct stream_server;
struct stream_client;

/*
 * Called after every read with all that the client has sent so far:
 * in[0..len), followed by a NUL at in[len]; the bytes from in[fresh] on are
 * the new ones. The protocol either answers, with stream_reply_text() or
 * with stream_reply_begin(), _end() and _send() in this one call, or
 * returns without answering to wait for more. It may change the bytes of
 * in. It runs inside the loop, so it must not block, and it must not close
 * the server.
 */
typedef void (*stream_input_fn)(void *ctx, struct stream_client *cl, char *in,
				size_t len, size_t fresh);

/* The bounds of one server. */
struct stream_limits {
	size_t clients; /* slots; a client beyond them is refused */
	int backlog; /* listen()'s */
	size_t request_bytes; /* a request, its end included */
	unsigned request_ms; /* from connect to a complete request */
	unsigned progress_ms; /* the longest a reply may stand still */
	/*
	 * Slots one peer may hold (0: no bound). A peer is an IP address,
	 * or a user id (SO_PEERCRED) on a Unix socket.
	 */
	size_t per_peer;
	/*
	 * When a new client finds no slot (overall, or its peer's share),
	 * the oldest client that has been connected at least evict_ms
	 * without completing its request is closed to make room (0: never;
	 * the new client is refused). Idle and trickling connections then
	 * cannot lock anyone out: a client that sends its request at once is
	 * answered long before it could be chosen.
	 */
	unsigned evict_ms;
};

/*
 * What the server answers on its own: static strings, NULL closes without
 * a word. busy and timeout are sent best effort only, as one send() that
 * never waits.
 */
struct stream_replies {
	const char *busy; /* every slot taken */
	const char *timeout; /* no complete request within request_ms */
	const char *overflow; /* request_bytes, no complete request */
	const char *truncated; /* EOF within a request */
};

/* A protocol on the server; copied by stream_server_open(). */
struct stream_params {
	const char *name; /* the log lines' prefix: "control", "metrics" */
	stream_input_fn input;
	struct stream_limits limits;
	struct stream_replies replies;
};

/*
 * Serves the bound, non-blocking stream socket fd from loop: listen()s
 * with p->limits.backlog and calls p->input(ctx, ...) as requests arrive. A
 * client that connects and closes without a byte goes quietly. After
 * EMFILE and other shortages accepting pauses for a second instead of
 * waking the loop at once, forever (one warning per run of pauses). Returns the server, which owns fd
 * from then on, or NULL with errno set (fd stays the caller's).
 */
struct stream_server *stream_server_open(struct loop *loop, int fd,
					 const struct stream_params *p,
					 void *ctx);

/*
 * Closes every client without an answer, unregisters and closes the
 * listening socket and frees s. NULL is a no-op.
 */
void stream_server_close(struct stream_server *s);

/*
 * The earliest monotonic time in ms (see now_ms()) at which
 * stream_server_tick() has work to do, or 0 for none (also for NULL).
 */
uint64_t stream_server_next_deadline(const struct stream_server *s);

/*
 * Closes the clients whose deadline is at or before now_ms (sending
 * replies.timeout to those still reading a request) and resumes accepting
 * after a pause. NULL is a no-op.
 */
void stream_server_tick(struct stream_server *s, uint64_t now_ms);

/*
 * Answers cl with text (copied) and closes it once that is sent. From
 * stream_input_fn only.
 */
void stream_reply_text(struct stream_client *cl, const char *text);

/*
 * Starts a reply whose head depends on its body (a verdict, a length):
 * returns a FILE for the body, with head_max bytes reserved in front of it
 * so that the head can be put there without copying a body that may be
 * megabytes long. NULL if that fails; cl is closed then. From
 * stream_input_fn only, followed by stream_reply_end() in the same call.
 */
FILE *stream_reply_begin(struct stream_client *cl, size_t head_max);

/*
 * Closes body. Returns the body's length in bytes, or -errno if it could
 * not be buffered whole (cl is closed then: better no answer than a
 * truncated one).
 */
ssize_t stream_reply_end(struct stream_client *cl, FILE *body)
	__attribute__((warn_unused_result));

/*
 * Sends head (at most head_max bytes) and, if with_body, the body ended by
 * stream_reply_end(); then closes cl.
 */
void stream_reply_send(struct stream_client *cl, const char *head,
		       bool with_body);

#endif
