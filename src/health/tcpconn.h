/* SPDX-License-Identifier: MIT */
/*
 * tcpconn.h - a TCP connect probe (/tool netwatch type=tcp-conn): once
 * per interval a non-blocking connect() to host:port from a socket bound
 * to the uplink's interface and marked with its pin; connected within
 * the timeout is a reply (its time the RTT), refused, unreachable or
 * late is a loss. The connection is reset at once (SO_LINGER 0), leaving
 * no TIME_WAIT behind.
 *
 * Each attempt has its own socket: tcp_probe_fd() changes, and
 * tcp_probe_generation() tells the caller when to watch the new one.
 */
#ifndef ECMPD_TCPCONN_H
#define ECMPD_TCPCONN_H

#include <stddef.h>
#include <stdint.h>

#include "health/probe.h"

struct tcp_probe_config {
	char ifname[LINUX_IFNAME_MAX]; /* "": not bound */
	uint32_t mark; /* SO_MARK; 0: none */
	uint32_t host; /* host byte order */
	uint16_t port;
	unsigned interval_ms, timeout_ms;
	uint64_t seed; /* the jitter's PRNG */
};

struct tcp_probe;

/* NULL with errno (ENOMEM). Nothing is sent before tcp_probe_run(). */
struct tcp_probe *tcp_probe_new(const struct tcp_probe_config *cfg);
void tcp_probe_free(struct tcp_probe *p);

/* The socket of the attempt in flight, to watch for EPOLLOUT; -1: none. */
int tcp_probe_fd(const struct tcp_probe *p);

/* Changes whenever tcp_probe_fd() names another socket. */
unsigned tcp_probe_generation(const struct tcp_probe *p);

/* When tcp_probe_run() has work: the next attempt or the timeout. */
uint64_t tcp_probe_next_deadline(const struct tcp_probe *p);

/*
 * Finishes the attempt in flight when it connected, failed or timed out,
 * and starts the next when due. Writes at most max outcomes (seq is the
 * attempt's number). Never blocks.
 */
size_t tcp_probe_run(struct tcp_probe *p, uint64_t now_ms,
		     struct probe_outcome *out, size_t max);

#endif
