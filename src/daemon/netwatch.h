/* SPDX-License-Identifier: MIT */
/*
 * netwatch.h - the daemon's record of each /tool netwatch: the probe that
 * pings its host through the uplink the plan in force routes it through,
 * the host's state (health/watch.h), and what the plan in force assumed
 * about it. The routes its scripts name follow that state: the planner
 * reads netwatches_down() (plan_input.netwatch_down).
 */
#ifndef ECMPD_DAEMON_NETWATCH_H
#define ECMPD_DAEMON_NETWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "health/watch.h"

struct hooks;
struct loop;
struct plan;
struct probe;
struct tcp_probe;

struct netwatch_record {
	uint32_t host;
	bool enabled;
	unsigned uplink; /* the id probed through; 0: none */
	char interface[LINUX_IFNAME_MAX];
	struct watch_params params;
	unsigned probe_interval_ms, timeout_ms;
	struct watch watch;
	struct probe *probe; /* simple, icmp */
	bool tcp; /* tcp-conn: a connect to port instead */
	uint16_t port;
	struct tcp_probe *tcp_probe;
	int tcp_fd; /* the attempt's socket in the loop, or -1 */
	unsigned tcp_generation;
	uint64_t retry_ms;
	enum health_state reported; /* the state hooks and the log last saw */
};

struct netwatches {
	struct netwatch_record *v; /* one per cfg->netwatches entry */
	size_t n;
	bool *down; /* what the plan reads; changes only with a replan */
	/* where attempts' sockets are watched (tcp-conn), from follow */
	struct loop *loop;
	void (*fn)(void *, int, uint32_t);
	void *ctx;
};

/*
 * Records for cfg's netwatches after closing what ws had (a start or a
 * reload): a netwatch whose host is judged as before (same host,
 * thresholds, intervals) keeps its state and evidence, every other one
 * starts UNKNOWN (counted up). The plan must be built again from the
 * new down flags. 0 or -ENOMEM.
 */
int netwatches_reset(struct netwatches *ws, const struct config *cfg,
		     struct loop *loop, uint64_t now_ms);

/* Closes every probe and frees the records. */
void netwatches_free(struct netwatches *ws, struct loop *loop);

/*
 * After plan p is in force: probes each netwatch through the uplink p
 * routes its host through (a changed uplink gets a new probe, its state
 * stays), opening probes that are missing, registered with loop (fn,
 * ctx). Then logs each state change and tells the hooks.
 */
void netwatches_follow(struct netwatches *ws, const struct config *cfg,
		       const struct plan *p, struct loop *loop,
		       void (*fn)(void *, int, uint32_t), void *ctx,
		       struct hooks *hooks, const char *config_path,
		       uint64_t now_ms);

/*
 * Runs the probe of fd (or, fd < 0, every probe and hold-down due by
 * now). Returns true when a netwatch's state changed in a way the plan
 * must follow (ws->down changed).
 */
bool netwatches_run(struct netwatches *ws, int fd, uint32_t events,
		    uint64_t now_ms);

/* The earliest probe or hold-down deadline; 0: none. */
uint64_t netwatches_deadline(const struct netwatches *ws);

/* The down flags for plan_input.netwatch_down (NULL: none). */
const bool *netwatches_down(const struct netwatches *ws);

/* One line per netwatch for `ecmpctl status`. */
void netwatches_status(FILE *out, const struct netwatches *ws);

/*
 * The netwatches for `ecmpctl -j status`: a JSON array of objects with
 * host, interface, state, loss_pct, rtt_ms, jitter_ms, holddown_s,
 * holddown_left_s (at now_ms), failures and reason.
 */
void netwatches_json(FILE *out, const struct netwatches *ws, uint64_t now_ms);

/* The netwatch metrics (Prometheus text). */
void netwatches_metrics(FILE *out, const struct netwatches *ws);

#endif
