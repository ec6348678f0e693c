/* SPDX-License-Identifier: MIT */
/*
 * state.h - what ecmpd changed on the system and must undo at stop: the
 * addresses it added and the sysctl values it replaced. Kept in memory and
 * in a state file beside the control socket (SOCKET.state), so a daemon
 * killed with SIGKILL and started again adopts them and a later clean stop
 * still restores everything.
 */
#ifndef ECMPD_STATE_H
#define ECMPD_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "plan/plan.h"

struct saved_sysctl {
	char key[96];
	char value[96];
};

struct state {
	char path[PATH_MAX];
	char lock_path[PATH_MAX];
	int lock_fd; /* -1: the instance lock is not held */
	struct plan_address *added; /* addresses ecmpd added, to remove */
	size_t n_added;
	struct saved_sysctl *saved; /* original values, to restore */
	size_t n_saved;
};

/* An empty state whose file is SOCKET_PATH.state. */
void state_init(struct state *s, const char *socket_path);

/* Frees the lists (the file stays) and releases the instance lock. */
void state_free(struct state *s);

/*
 * Takes the instance lock: one ecmpd per network namespace, whatever its
 * socket or state file, because the namespace's routes, rules, nft table
 * and sysctls are what an instance owns. The lock is an fcntl() write lock
 * on DIR/netns-INODE.lock (INODE: this network namespace's), created with
 * DIR when missing; the kernel drops it when the process dies, however it
 * dies. Never waits. Returns 0, -EAGAIN when another process holds it
 * (*holder: its pid, 0 when unknown), or another -errno.
 */
int state_lock(struct state *s, const char *dir, pid_t *holder)
	__attribute__((warn_unused_result));

/*
 * Adopts what a previous run (killed, not stopped) recorded in the file;
 * a missing file is an empty state. The file is trusted only when it is a
 * regular file (not a symlink) owned by root or this process's user and
 * writable by nobody else; sysctl lines only for the n_keys keys ecmpd
 * sets (keys: the plan's sysctls) with an integer value, the first line
 * of a key only. Other lines are skipped (and counted in the log).
 */
void state_read(struct state *s, const struct plan_sysctl *keys, size_t n_keys);

/*
 * One line of the file into s, by the rules of state_read(). Returns 1
 * when taken, 0 when skipped, -ENOMEM.
 */
int state_parse_line(struct state *s, const char *line,
		     const struct plan_sysctl *keys, size_t n_keys);

/*
 * Writes the file: a new temporary file in the same directory (created,
 * so never through a symlink), renamed over the path (which replaces a
 * symlink there rather than following it); logs a failure.
 */
void state_write(const struct state *s);

/* Deletes the file (after a clean stop undid everything). */
void state_remove(const struct state *s);

/* Records an address ecmpd added (once). Returns 0 or -ENOMEM. */
int state_add_address(struct state *s, const struct plan_address *pa)
	__attribute__((warn_unused_result));

/* Whether the original value of sysctl key is recorded. */
bool state_has_sysctl(const struct state *s, const char *key);

/* Records the original value of sysctl key. Returns 0 or -ENOMEM. */
int state_save_sysctl(struct state *s, const char *key, const char *value)
	__attribute__((warn_unused_result));

#endif
