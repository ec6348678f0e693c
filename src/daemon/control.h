/* SPDX-License-Identifier: MIT */
/*
 * control.h - ecmpd's side of the control socket: the server, inside the
 * event loop. The protocol and its limits are in ctl/protocol.h, the
 * client that ecmpctl and the tests use in ctl/client.h.
 */
#ifndef ECMPD_CONTROL_H
#define ECMPD_CONTROL_H

#include <stdint.h>
#include <stdio.h>

#include "ctl/protocol.h"

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

#endif
