/* SPDX-License-Identifier: MIT */
/*
 * protocol.h - the control protocol, the one thing ecmpd's control socket
 * (daemon/control.c) and its client (ctl/client.c) share.
 *
 * A Unix stream socket, one request per connection:
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
#ifndef ECMPD_CTL_PROTOCOL_H
#define ECMPD_CTL_PROTOCOL_H

struct sockaddr_un;

#define CONTROL_DEFAULT_PATH "/run/ecmpd/ecmpd.sock"
#define CONTROL_REQUEST_MAX 4096
#define CONTROL_MAX_CLIENTS 16
#define CONTROL_TIMEOUT_MS 5000

/* The first line of every answer. */
#define CONTROL_OK "ok\n"
#define CONTROL_ERROR "error\n"

/*
 * Fills *sun with the address of the socket at path. Returns 0, -EINVAL
 * for an empty path, or -ENAMETOOLONG for one that does not fit sun_path.
 */
int control_sockaddr(struct sockaddr_un *sun, const char *path)
	__attribute__((warn_unused_result));

#endif
