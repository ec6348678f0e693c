/* SPDX-License-Identifier: MIT */
/*
 * daemon.h - ecmpd's control plane: applies the plan, probes gateways,
 * fails over, reloads, answers the control socket, and cleans up on stop.
 */
#ifndef ECMPD_DAEMON_H
#define ECMPD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon/clients.h"

#define DAEMON_DEFAULT_SOCKET "/run/ecmpd/ecmpd.sock"
/* Where the instance lock is, whatever the socket (state.h). */
#define DAEMON_RUNTIME_DIR "/run/ecmpd"

struct daemon_options {
	const char *config_path;
	const char *socket_path;
	const char *const *maps; /* "rsc=linux" interface maps */
	size_t n_maps;
	bool strict;
	const char *hooks_dir; /* NULL: HOOKS_DEFAULT_DIR */
	unsigned hook_timeout_ms; /* 0: HOOKS_DEFAULT_TIMEOUT_MS */
	const char *metrics_listen; /* NULL: no HTTP listener */
	bool ha; /* one of a pair: starts as backup (role.h) */
	const char *on_master; /* NULL: ROLE_MASTER_COMMAND */
	const char *on_backup; /* NULL: ROLE_BACKUP_COMMAND */
	struct clients_options clients; /* the DHCP clients ecmpd runs */
};

/*
 * Runs the daemon in the current network namespace until SIGTERM or
 * SIGINT. Takes the namespace's instance lock and opens its sockets
 * before it reads the state file or touches the kernel: while another
 * ecmpd runs here, it exits having changed nothing. Returns the process
 * exit status: 0 after a clean stop, 1 when the config, the lock, a socket
 * or the first apply failed. A failed first apply undoes what this process
 * applied, unless it had adopted a previous run's state, which then stays
 * in force.
 */
int daemon_run(const struct daemon_options *opt);

#endif
