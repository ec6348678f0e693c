/* SPDX-License-Identifier: MIT */
/*
 * daemon.h - ecmpd's control plane: applies the plan, probes gateways,
 * fails over, reloads, answers the control socket, and cleans up on stop.
 */
#ifndef ECMPD_DAEMON_H
#define ECMPD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#define DAEMON_DEFAULT_SOCKET "/run/ecmpd/ecmpd.sock"

struct daemon_options {
	const char *config_path;
	const char *socket_path;
	const char *const *maps; /* "rsc=linux" interface maps */
	size_t n_maps;
	bool strict;
	const char *hooks_dir; /* NULL: HOOKS_DEFAULT_DIR */
	unsigned hook_timeout_ms; /* 0: HOOKS_DEFAULT_TIMEOUT_MS */
	const char *metrics_listen; /* NULL: no HTTP listener */
};

/*
 * Runs the daemon in the current network namespace until SIGTERM or
 * SIGINT. Returns the process exit status: 0 after a clean stop, 1 when
 * the config or the first apply failed (after undoing what was applied).
 */
int daemon_run(const struct daemon_options *opt);

#endif
