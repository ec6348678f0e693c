/* SPDX-License-Identifier: MIT */
/*
 * control.h - the control socket: ecmpd's side (server, inside the event
 * loop) and the client that ecmpctl and the tests use.
 *
 * Protocol. A Unix stream socket, one request per connection:
 *
 *   client: one request line, at most CONTROL_REQUEST_MAX bytes including
 *           the terminating "\n" (a "\r" before it is ignored). Printable
 *           ASCII only. Known requests: "status", "status json", "reload";
 *           anything else goes to the daemon's handler as well.
 *   server: "ok\n" or "error\n", then the body (free-form, possibly large),
 *           then it closes the connection.
 *
 * Errors the server gives without calling the handler:
 *   "error\nrequest too long\n"   no newline within CONTROL_REQUEST_MAX bytes
 *   "error\nmalformed request\n"  NUL, control or non-ASCII byte, an empty
 *                                 line, or EOF before the newline
 *   "error\ntimeout\n"            no complete request within
 *                                 CONTROL_TIMEOUT_MS of connecting
 *   "error\ntoo many clients\n"   CONTROL_MAX_CLIENTS already connected
 * Bytes after the newline are ignored.
 */
#ifndef ECMPD_CONTROL_H
#define ECMPD_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONTROL_DEFAULT_PATH "/run/ecmpd/ecmpd.sock"
#define CONTROL_REQUEST_MAX 4096
#define CONTROL_MAX_CLIENTS 16
#define CONTROL_TIMEOUT_MS 5000

struct loop;
struct control;

/*
 * Handles one request line (without the newline) and writes the body of the
 * answer to reply, which the control module owns and flushes. Returns 0 for
 * "ok", non-zero for "error". Runs inside the loop, so it must not block, and
 * must not call control_close() on the control that called it.
 */
typedef int (*control_handler)(void *ctx, const char *request, FILE *reply);

/*
 * Opens the control socket at path and registers it with loop; handler(ctx,
 * ...) is called from the loop for every complete request. Creates the parent
 * directory if missing (mode 0755). A socket file already at path is removed
 * only if nothing answers on it; if a daemon does, fails with EADDRINUSE; if
 * path is not a socket, fails with EEXIST. The socket gets mode 0600.
 * Returns the control object, or NULL with errno set.
 */
struct control *control_open(struct loop *loop, const char *path,
			     control_handler handler, void *ctx);

/*
 * Unregisters from the loop, closes every client without an answer, unlinks
 * the socket (unless another process has replaced it) and frees c. NULL is a
 * no-op.
 */
void control_close(struct control *c);

/*
 * The earliest monotonic time in ms (see now_ms()) at which control_tick()
 * has work to do, or 0 if none.
 */
uint64_t control_next_deadline(const struct control *c);

/*
 * Closes clients whose deadline is at or before now_ms: those that sent no
 * complete request within CONTROL_TIMEOUT_MS of connecting, and those that
 * read none of their answer for CONTROL_TIMEOUT_MS.
 */
void control_tick(struct control *c, uint64_t now_ms);

/*
 * Client side. Connects to path, sends request (which must not contain a
 * newline), and reads the whole answer. On success *ok tells whether the
 * server said "ok" and *body holds the rest of the answer, NUL-terminated,
 * malloc'd, owned by the caller. timeout_ms bounds connect and answer
 * together; <= 0 waits forever. Returns 0, or -errno: connect's errors
 * (-ENOENT, -ECONNREFUSED, -EACCES...), -ETIMEDOUT, -EINVAL for a request
 * with a newline, -EPROTO for an answer that starts with neither "ok" nor
 * "error", -EMSGSIZE for an answer over 64 MiB.
 */
int control_request(const char *path, const char *request, int timeout_ms,
		    bool *ok, char **body) __attribute__((warn_unused_result));

#endif
