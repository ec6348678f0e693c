/* SPDX-License-Identifier: MIT */
/*
 * hooks.h - the administrator's scripts: executables in a hooks directory
 * (default /etc/ecmpd/hooks.d), run on every gateway state change and on
 * every reload, never through a shell, each with a timeout, without ever
 * blocking the daemon's loop.
 *
 * A hook is called as "HOOK EVENT" (EVENT is "gateway" or "reload") with
 * the event in its environment as well:
 *   ECMPD_EVENT          gateway | reload
 *   ECMPD_INTERFACE      Linux interface of the gateway     (gateway)
 *   ECMPD_GATEWAY        gateway address, or the interface  (gateway)
 *   ECMPD_OLD_STATE      unknown | up | down                (gateway)
 *   ECMPD_NEW_STATE      unknown | up | down                (gateway)
 *   ECMPD_RTT_MS         mean RTT of the probe window, "12.345" (gateway)
 *   ECMPD_LOSS_PCT       loss in the probe window, "40.0"   (gateway)
 *   ECMPD_RELOAD_RESULT  ok | failed                        (reload)
 * A netwatch event ("netwatch": a /tool netwatch host changed state)
 * passes ECMPD_HOST (the host), ECMPD_INTERFACE (the uplink probed
 * through, "" for none), the states, RTT and loss as above, and
 * ECMPD_REASON (why: which threshold, by how much).
 *   ECMPD_CONFIG         the config file, when known
 */
#ifndef ECMPD_HOOKS_H
#define ECMPD_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define HOOKS_DEFAULT_DIR "/etc/ecmpd/hooks.d"
#define HOOKS_DEFAULT_TIMEOUT_MS 10000
/* Hook runs waiting to start; more are dropped with a warning. */
#define HOOKS_QUEUE_MAX 256

struct loop;
struct hooks;

enum hook_event_kind {
	HOOK_EVENT_GATEWAY,
	HOOK_EVENT_RELOAD,
	HOOK_EVENT_ROLE, /* old_state/new_state: the roles (role.h) */
	HOOK_EVENT_NETWATCH,
};

/* One event; hooks_run() copies what it needs, the caller keeps this. */
struct hook_event {
	enum hook_event_kind kind;
	const char *config; /* NULL: not passed */
	/* HOOK_EVENT_GATEWAY */
	const char *interface;
	const char *gateway;
	const char *old_state;
	const char *new_state;
	double rtt_ms;
	double loss_pct;
	/* HOOK_EVENT_RELOAD */
	bool reload_ok;
	/* HOOK_EVENT_NETWATCH: the gateway fields (gateway is the host), and */
	const char *reason;
};

/*
 * Creates the hook runner for the executables in dir (which need not exist
 * yet: it is read again at every event, so adding a hook needs no reload).
 * Each hook is killed with its whole process tree - setsid'd descendants
 * included - timeout_ms after it started (0: HOOKS_DEFAULT_TIMEOUT_MS).
 * Makes the calling process a child subreaper, so that what hooks leave
 * behind is its to kill and to reap. Reads dir once, so that a refused
 * directory or hook is logged at start (it is not an error: the
 * directory is read again at every event). Keeps loop to watch the
 * children.
 * Returns the runner, or NULL with errno set.
 */
struct hooks *hooks_new(struct loop *loop, const char *dir,
			unsigned timeout_ms);

/*
 * Kills (SIGKILL to the process tree) and reaps a hook still running,
 * drops the queue and frees h. NULL is a no-op.
 */
void hooks_free(struct hooks *h);

/*
 * Queues one run of every hook in the directory for ev, in name order, and
 * starts the first if none is running. Hooks run one at a time, so each
 * hook sees events in the order they happened. A gateway event replaces
 * the queued (not started) runs of older events of the same gateway: a
 * hook that is behind during flapping gets the latest state. Never
 * blocks. Returns the number of hooks queued (0 when there are none), or
 * -errno (-ENOMEM; -ENOBUFS when the queue is full and some runs were
 * dropped; -EPERM when the directory is refused, see hooks_list()).
 */
int hooks_run(struct hooks *h, const struct hook_event *ev)
	__attribute__((warn_unused_result));

/*
 * The earliest monotonic time in ms at which hooks_tick() has work to do
 * (a hook's timeout), or 0 if none.
 */
uint64_t hooks_next_deadline(const struct hooks *h);

/* Kills hooks whose timeout passed and starts the next queued one. */
void hooks_tick(struct hooks *h, uint64_t now_ms);

/* Whether a hook is running or queued (tests, shutdown). */
bool hooks_busy(const struct hooks *h);

/*
 * Whether a hook or the hooks directory with status st may be trusted:
 * owned by root (or by self, ecmpd's own user) and writable by nobody
 * else, as cron and sudo require of their files.
 */
bool hooks_owner_ok(const struct stat *st, uid_t self);

/*
 * The hooks in dir, in the order they run: regular files (or links to
 * them) with an execute bit, sorted by byte value of the name, skipping
 * dotfiles and backups ending in '~', and refusing (with a log line) those
 * hooks_owner_ok() rejects. *names is a NULL-terminated, malloc'd array of
 * malloc'd names (free with hooks_strv_free()). A missing dir gives an
 * empty list. Returns the count, -EPERM (logged) when hooks_owner_ok()
 * rejects the directory itself, or another -errno.
 */
int hooks_list(const char *dir, char ***names)
	__attribute__((warn_unused_result));

/*
 * The environment of a hook for ev: base (normally environ) without any
 * ECMPD_* or NOTIFY_SOCKET variable, then the ECMPD_* variables above.
 * Returns a NULL-terminated malloc'd array (free with hooks_strv_free()),
 * or NULL with errno set.
 */
char **hooks_build_env(const struct hook_event *ev, char *const *base);

/* What a hook's argv[1] is for ev: "gateway" or "reload". */
const char *hooks_event_name(const struct hook_event *ev);

/* Frees a NULL-terminated array of strings and the strings. */
void hooks_strv_free(char **v);

#endif
