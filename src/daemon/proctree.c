// SPDX-License-Identifier: MIT
/*
 * proctree.c - a process tree, found and killed through /proc, for the
 * hook runner's timeout (hooks.c).
 *
 * A kill of the process group misses what a hook started in a session or
 * process group of its own (setsid, daemon(3)). The caller is a child
 * subreaper (PR_SET_CHILD_SUBREAPER), so whatever a hook leaves behind is
 * re-parented to it rather than to init, and the tree is: the hook, the
 * caller's children that are not spared (orphans that came to it while
 * the hook ran; the spared ones were its children before the hook
 * started), and every descendant of those, by the parent pid in
 * /proc/PID/stat. It is killed (SIGKILL) round after round until a round
 * finds no live member not killed already: a process that forks while it
 * is being killed shows its child in the next round (fork fails once
 * SIGKILL is pending, and a child made before it is visible).
 *
 * Chosen over a cgroup per hook because the shipped unit has
 * ProtectControlGroups=yes and no Delegate= (the cgroup tree is read-only
 * to ecmpd, and should stay so), and over a PID namespace per hook (whose
 * init's death kills all) because that takes CAP_SYS_ADMIN, which the unit
 * does not grant (RestrictNamespaces=yes). The process group is still
 * killed first, the cheap common case.
 *
 * Every child ecmpd starts (a hook, a DHCP client, a role's command)
 * starts through proctree_spawn(), so each is a process group of its own
 * with default signals, an empty mask (ecmpd blocks the signals its
 * signalfd reads) and none of ecmpd's descriptors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/proctree.h"

struct proc_entry {
	pid_t pid, ppid;
	bool alive; /* not a zombie */
};

/* Every process in /proc: its parent and whether it still runs. */
static int proc_scan(struct proc_entry **out, size_t *n_out)
{
	struct proc_entry *v = NULL, *nv;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir("/proc");

	*out = NULL;
	*n_out = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[64], buf[512], state, *end;
		const char *rp;
		int fd, ppid;
		ssize_t len;
		long pid;

		pid = strtol(de->d_name, &end, 10);
		if (pid <= 0 || *end)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue; /* gone meanwhile */
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "PID (COMM) S PPID ...": COMM may hold ')' and spaces. */
		rp = strrchr(buf, ')');
		if (!rp || sscanf(rp + 1, " %c %d", &state, &ppid) != 2)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = (struct proc_entry){ .pid = (pid_t)pid,
					      .ppid = ppid,
					      .alive = state != 'Z' &&
						       state != 'X' };
	}
	closedir(d);
	*out = v;
	*n_out = n;
	return 0;
}

static bool pid_in(const pid_t *v, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pid)
			return true;
	return false;
}

int proctree_children(pid_t except, pid_t **out, size_t *n_out)
{
	struct proc_entry *e;
	pid_t self = getpid();
	size_t n;
	int err;

	*out = NULL;
	*n_out = 0;
	err = proc_scan(&e, &n);
	if (err)
		return err;
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		free(e);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (e[i].ppid == self && e[i].pid != except)
			(*out)[(*n_out)++] = e[i].pid;
	free(e);
	return 0;
}

/*
 * Marks root's tree in e (see the top of the file): root, the caller's
 * children but the spared ones, and their descendants.
 */
static void mark_tree(pid_t root, const pid_t *spared, size_t n_spared,
		      const struct proc_entry *e, size_t n, bool *in)
{
	pid_t self = getpid();
	bool grew = true;

	for (size_t i = 0; i < n; i++)
		in[i] = e[i].pid == root ||
			(e[i].ppid == self &&
			 !pid_in(spared, n_spared, e[i].pid));
	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (in[i])
				continue;
			for (size_t j = 0; j < n; j++) {
				if (in[j] && e[j].pid == e[i].ppid) {
					in[i] = grew = true;
					break;
				}
			}
		}
	}
}

size_t proctree_kill(pid_t root, const pid_t *spared, size_t n_spared)
{
	pid_t *killed = NULL;
	size_t n_killed = 0;

	/* The cheap common case first: root's own process group. */
	kill(-root, SIGKILL);
	kill(root, SIGKILL);
	for (int round = 0; round < 64; round++) {
		struct proc_entry *e;
		size_t n, fresh = 0;
		bool *in;
		pid_t *nk;

		if (proc_scan(&e, &n) < 0)
			break;
		in = calloc(n ? n : 1, sizeof(*in));
		nk = realloc(killed, (n_killed + n + 1) * sizeof(*killed));
		if (!in || !nk) {
			free(in);
			free(e);
			free(nk ? nk : killed);
			return n_killed;
		}
		killed = nk;
		mark_tree(root, spared, n_spared, e, n, in);
		for (size_t i = 0; i < n; i++) {
			if (!in[i] || !e[i].alive ||
			    pid_in(killed, n_killed, e[i].pid))
				continue;
			kill(e[i].pid, SIGKILL);
			killed[n_killed++] = e[i].pid;
			fresh++;
		}
		free(in);
		free(e);
		if (!fresh)
			break;
	}
	free(killed);
	return n_killed;
}

void proctree_reap(pid_t keep)
{
	for (;;) {
		siginfo_t si = { 0 };

		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    si.si_pid == 0 || (keep && si.si_pid == keep))
			return;
		if (waitpid(si.si_pid, NULL, WNOHANG) <= 0)
			return;
	}
}

int proctree_spawn(pid_t *pid, const char *path, char *const argv[],
		   char *const envp[])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int err;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
						POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	/*
	 * No stdin; stdout joins stderr, where the daemon logs; no other
	 * descriptor of the daemon (sockets, the epoll) leaks into a child.
	 */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
#if defined(__GLIBC__) && \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	err = posix_spawn(pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return err;
}

int proctree_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	errno = ENOSYS;
	return -1;
#endif
}
