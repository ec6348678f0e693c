/* SPDX-License-Identifier: MIT */
/*
 * proctree.h - a process's whole tree, setsid'd descendants included,
 * killed through /proc, for the hooks' timeout. The caller must be a
 * child subreaper (PR_SET_CHILD_SUBREAPER) for orphans to stay in reach.
 */
#ifndef ECMPD_PROCTREE_H
#define ECMPD_PROCTREE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The calling process's children but except, as a malloc'd array in *out
 * (free() it). Returns 0 or -errno.
 */
int proctree_children(pid_t except, pid_t **out, size_t *n_out);

/*
 * SIGKILL to root's process group and whole tree: root, the caller's
 * children not in spared (orphans re-parented to the caller), and all
 * their descendants, round after round until a round finds no live
 * member not killed already. Returns how many processes were sent SIGKILL.
 */
size_t proctree_kill(pid_t root, const pid_t *spared, size_t n_spared);

/*
 * Starts path with argv and envp as ecmpd starts every child: a process
 * group of its own, default signals and an empty signal mask, stdin from
 * /dev/null, stdout to ecmpd's stderr, no other descriptor. Returns 0 or
 * an errno value (posix_spawn()'s); *pid is the child's.
 */
int proctree_spawn(pid_t *pid, const char *path, char *const argv[],
		   char *const envp[]);

/* A pidfd for pid (pidfd_open(2)), or -1 with errno (ENOSYS before 5.3). */
int proctree_pidfd(pid_t pid);

/*
 * Reaps every ended child of the caller but keep (0: none), without
 * waiting; stops at keep if it is the first ended one.
 */
void proctree_reap(pid_t keep);

#endif
