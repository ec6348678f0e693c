/* SPDX-License-Identifier: MIT */
/*
 * status.h - one snapshot of the daemon's state, taken when a request asks
 * for it, and its renderings: `ecmpctl status` (text and JSON). Metrics
 * (metrics.h) and RouterOS-style print (print.h) render from the same
 * snapshot, so the three never disagree about an uplink.
 */
#ifndef ECMPD_STATUS_H
#define ECMPD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/ipv4.h"
#include "config/config.h"
#include "daemon/role.h"
#include "health/health.h"
#include "plan/plan.h"

struct netwatches;
struct uplink;

/* One uplink as the snapshot shows it. */
struct status_uplink {
	unsigned id;
	char interface[LINUX_IFNAME_MAX];
	bool has_gateway;
	uint32_t gateway;
	char gateway_text[IPV4_STR_MAX]; /* the address, or the interface */
	enum check_gateway check;
	enum plan_source source; /* static, kernel, dhcp, pppoe */
	struct health health; /* a copy: state, window, counters */
	uint64_t holddown_left_ms; /* health_holddown_left_ms() at the time */
	char reason[160]; /* health_reason() */
	bool usable; /* what the plan in force assumes */
	bool link_up;
	uint32_t mark, table;
	/* From conntrack: valid only when the snapshot's counted is set. */
	unsigned connections;
	uint64_t packets, bytes;
};

/* A client ecmpd runs (clients.h), as the snapshot shows it. */
struct status_client {
	const char *kind; /* "dhcp" */
	char interface[LINUX_IFNAME_MAX];
	bool running; /* else waiting to be restarted */
	int pid; /* 0 while restarting */
	unsigned failures; /* exits in a row (a minute's run resets it) */
	double restart_in_s; /* while restarting */
};

/* The daemon's running totals. */
struct status_counters {
	unsigned long reloads_ok, reloads_failed;
	unsigned long state_changes, failovers;
	unsigned long kernel_errors, flushed;
	uint64_t loop_busy_max_ms; /* loop_busy_max_ms() */
};

struct status {
	const char *config_path; /* the caller's */
	uint64_t now_ms;
	double uptime_s;
	struct status_uplink *uplinks;
	size_t n_uplinks;
	struct status_counters counters;
	bool counted; /* the conntrack dump worked: connections are known */
	bool traffic; /* conntrack accounting is on: packets/bytes mean it */
	struct role_status role; /* filled by the caller (role.h) */
	/* the caller's, for the JSON status (netwatch.h); NULL: none */
	const struct netwatches *netwatches;
	struct status_client *clients; /* malloc'd, by the caller */
	size_t n_clients;
};

/*
 * Takes a snapshot of the records v[0..n) at now_ms (monotonic, now_ms()):
 * their state plus the connections, packets and bytes pinned to each, from
 * the last conntrack dump of a worker thread (status.c: normally at most
 * STATUS_COUNTS_MAX_AGE_MS, or STATUS_COUNTS_DUTY dumps' time for a table
 * so large that a dump takes longer than a tenth of that, plus one dump
 * old; the loop never runs the dump). Returns 0 or -ENOMEM; a failed or missing dump is not an error
 * (counted stays false).
 */
#define STATUS_COUNTS_MAX_AGE_MS 1000
#define STATUS_COUNTS_DUTY 10
#define STATUS_COUNTS_WAIT_MS 100
int status_take(struct status *s, const char *config_path,
		const struct uplink *v, size_t n,
		const struct status_counters *counters, uint64_t started_ms,
		uint64_t now_ms) __attribute__((warn_unused_result));

/* Makes the next status_take() ask for a new dump (after a flush). */
void status_counts_forget(void);

/* Frees what status_take() allocated. */
void status_free(struct status *s);

/* `ecmpctl status`: a header line and one line per uplink. */
void status_text(FILE *out, const struct status *s);

/* `ecmpctl -j status`: one JSON object. */
void status_json(FILE *out, const struct status *s);

#endif
