/* SPDX-License-Identifier: MIT */
/*
 * internal.h - the daemon's own record, shared by daemon.c (the loop,
 * planning, failover, reload, start and stop) and services.c (the control
 * requests, the metrics listener and the instance lock). Private to
 * src/daemon.
 */
#ifndef ECMPD_DAEMON_INTERNAL_H
#define ECMPD_DAEMON_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "daemon/apply.h"
#include "daemon/daemon.h"
#include "daemon/netwatch.h"
#include "daemon/role.h"
#include "daemon/state.h"
#include "daemon/status.h"
#include "daemon/uplink.h"

struct daemon {
	const struct daemon_options *opt;
	struct loop *loop;
	struct netlink *nl;
	struct link_monitor *mon;
	struct fw *fw;
	struct control *ctl;
	struct hooks *hooks;
	struct clients *clients; /* the DHCP clients ecmpd runs (clients.h) */
	struct metrics_server *metrics;
	struct flusher *flusher; /* NULL: flushes run on the loop */
	int sigfd;

	struct config *cfg;
	struct plan *plan; /* applied; NULL before the first apply */
	struct uplink *uplinks; /* one per uplink of plan */
	size_t n_uplinks;
	struct netwatches netwatches; /* one per cfg->netwatches entry */
	struct state state;
	struct applier apply;

	bool stopping;
	bool replan;
	bool adopted; /* a previous run's state was found at start */
	bool touched; /* the first apply ran: the kernel may be written */
	uint64_t resync_at; /* 0: none pending */
	uint64_t started_ms, applied_ms;
	struct status_counters counters;
	struct role_state role; /* in a pair (role.h) */
};

/*
 * Deletes the connections pinned to uplink u (ctx: the daemon), in the
 * flusher when there is one.
 */
void daemon_flush_uplink(void *ctx, const struct uplink *u);

/* Reloads the config, then tells the hooks how it went (daemon.c). */
int daemon_reload(struct daemon *d, FILE *diag);

/*
 * The control socket, the hooks and the metrics listener, opened on d's
 * loop (services.c). 0, or -1 with the reason logged.
 */
int daemon_open_services(struct daemon *d);

/*
 * Takes the instance lock (state.h); nothing may read the state file or
 * touch the kernel without it. 0 or -errno, the reason logged.
 */
int daemon_lock_instance(struct daemon *d);

#endif
