/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - ecmpd's state in the Prometheus text exposition format
 * (version 0.0.4), for `ecmpctl metrics` and an optional HTTP listener
 * that serves it at /metrics.
 *
 * The daemon takes a snapshot of its state (status.h); metrics_write()
 * only formats it, so the format is unit-tested without a daemon.
 */
#ifndef ECMPD_METRICS_H
#define ECMPD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct status;
struct loop;
struct sockaddr_storage;

/*
 * Writes s to out in the text exposition format: a HELP and a TYPE line
 * for every metric family, then its samples, label values escaped.
 * Families per gateway (labels interface, gateway):
 *   ecmpd_uplink_up, ecmpd_uplink_usable      gauge 1/0
 *   ecmpd_uplink_state{state=up|down|unknown}  gauge, 1 for the current
 *   ecmpd_probes_sent_total, ecmpd_probes_lost_total   counter
 *   ecmpd_uplink_rtt_seconds                   gauge, window mean
 *   ecmpd_uplink_loss_ratio                    gauge 0..1, window
 *   ecmpd_connections                           gauge, pinned entries
 *   ecmpd_uplink_packets_total, ecmpd_uplink_bytes_total  counter
 * and totals: ecmpd_state_changes_total, ecmpd_failovers_total,
 * ecmpd_reloads_total{result=ok|failed}, ecmpd_kernel_write_errors_total,
 * ecmpd_connections_flushed_total, ecmpd_uptime_seconds.
 */
void metrics_write(FILE *out, const struct status *s);

/* Writes the metrics body to out; called for every scrape. */
typedef void (*metrics_fill_fn)(void *ctx, FILE *out);

struct metrics_server;

/*
 * Listens on addr ("127.0.0.1:9100", "[::1]:9100"; numeric only) and
 * serves GET (and HEAD) /metrics over HTTP/1.0 from inside loop. The body
 * is rendered by fill(ctx, out) at most once per METRICS_CACHE_MS: the
 * scrapes in between get the same bytes (so a body is at most that old),
 * and no rate of scrapes makes the daemon render, or count connections,
 * more often. Never blocks. At most METRICS_MAX_CLIENTS at once and
 * METRICS_MAX_PER_PEER from one address; a client that has not sent its
 * request head (of at most METRICS_REQUEST_MAX bytes) within
 * METRICS_EVICT_MS gives up its slot to a newcomer that finds none, and is
 * closed anyway after METRICS_HEAD_TIMEOUT_MS; an answer that makes no
 * progress for METRICS_TIMEOUT_MS is dropped. Returns the server, or NULL
 * with errno set (EINVAL for a bad addr, bind's errors).
 */
struct metrics_server *metrics_server_open(struct loop *loop, const char *addr,
					   metrics_fill_fn fill, void *ctx);

#define METRICS_MAX_CLIENTS 32
#define METRICS_MAX_PER_PEER 4
#define METRICS_HEAD_TIMEOUT_MS 1000
#define METRICS_EVICT_MS 250
#define METRICS_TIMEOUT_MS 5000
#define METRICS_CACHE_MS 1000
/* The request head, its blank line included. */
#define METRICS_REQUEST_MAX 4096

/* Closes the listener and every client; NULL is a no-op. */
void metrics_server_close(struct metrics_server *m);

/* Earliest client timeout (monotonic ms, see now_ms()), or 0 for none. */
uint64_t metrics_server_next_deadline(const struct metrics_server *m);

/* Closes clients whose timeout is at or before now_ms. */
void metrics_server_tick(struct metrics_server *m, uint64_t now_ms);

/* How many times the body was rendered (fill called), for tests. */
unsigned long metrics_server_renders(const struct metrics_server *m);

/*
 * Parses "A.B.C.D:PORT" or "[IPV6]:PORT" into *ss and *len.
 * Returns 0 or -EINVAL.
 */
int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss,
		       unsigned *len) __attribute__((warn_unused_result));

#endif
