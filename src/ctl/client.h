/* SPDX-License-Identifier: MIT */
/*
 * client.h - the control socket's client, for ecmpctl and the tests. It
 * links only base/ and ctl/: no event loop, no kernel libraries.
 */
#ifndef ECMPD_CTL_CLIENT_H
#define ECMPD_CTL_CLIENT_H

#include <stdbool.h>

#include "ctl/protocol.h"

/*
 * Connects to path, sends request (which must not contain a newline), and
 * reads the whole answer. On success *ok tells whether the server said
 * "ok" and *body holds the rest of the answer, NUL-terminated, malloc'd,
 * owned by the caller. timeout_ms bounds connect and answer together; <= 0
 * waits forever. Returns 0, or -errno: connect's errors (-ENOENT,
 * -ECONNREFUSED, -EACCES...), -ETIMEDOUT, -EINVAL for a request with a
 * newline, -EPROTO for an answer that starts with neither "ok" nor
 * "error", -EMSGSIZE for an answer over 64 MiB.
 */
int control_request(const char *path, const char *request, int timeout_ms,
		    bool *ok, char **body) __attribute__((warn_unused_result));

#endif
