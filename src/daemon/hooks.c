// SPDX-License-Identifier: MIT
/*
 * hooks.c - running the administrator's hook executables.
 *
 * An event (a gateway state change, a reload) becomes one job per hook in
 * the directory, read at the time of the event and sorted by name. Jobs
 * wait in a FIFO queue and run one at a time, like run-parts: the hooks of
 * one event run in name order, and a hook never sees an older event after
 * a newer one. During flapping a hook that is behind gets the latest state,
 * not a backlog: a gateway event drops the queued (not yet started) jobs
 * of older events of the same gateway. Each job is started with
 * posix_spawn() - the file itself, with an argv and environment we build,
 * never a shell, so a hook's name is never interpreted. The daemon learns
 * that a hook ended through a pidfd registered in its event loop, so
 * nothing here ever waits: probing and failover go on while a hook runs.
 * On kernels without pidfd_open() (before 5.3) the loop polls with
 * waitpid(WNOHANG) instead.
 *
 * Only root's hooks run, as cron and sudo require of their files: the
 * directory and each hook (a link's target) must be owned by root (or by
 * ecmpd's own user, for tests) and writable by nobody else; anything else
 * is refused with a log line, since whoever can write there runs code as
 * root at the next gateway change.
 *
 * The timeout kills the hook's whole process tree, also what it started
 * in sessions or process groups of its own (setsid, daemon(3)), which a
 * kill of the process group misses: the daemon is a child subreaper, so
 * what a hook leaves behind is re-parented to it, and proctree.c walks
 * /proc for the tree. Orphans that were the daemon's children before the
 * hook started (left by hooks that ended normally) are spared; orphans
 * are reaped at every tick. Why not a cgroup or a PID namespace per hook:
 * proctree.c.
 *
 * The daemon blocks SIGHUP, SIGINT and SIGTERM for its signalfd and ignores
 * SIGPIPE; a child inherits both, so the spawn resets them: a hook gets the
 * signal state of a process started from a shell.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/hooks.h"
#include "base/log.h"
#include "daemon/loop.h"
#include "daemon/proctree.h"

/* How often the fallback without pidfds looks for an ended hook. */
#define HOOKS_POLL_MS 20

extern char **environ;

/* What the jobs of one event share; freed with the last of them. */
struct event_data {
	unsigned refs;
	char **env;
	const char *arg; /* "gateway" or "reload" */
	char label[128]; /* "gateway wlan1 up->down", "reload ok" */
	char gateway[160]; /* "wlan1 10.111.0.1"; "" for a reload */
};

struct job {
	char *name;
	struct event_data *ev;
};

struct hooks {
	struct loop *loop;
	char *dir;
	unsigned timeout_ms;

	struct job *queue;
	size_t q_head, q_len, q_cap;

	/* The running job; pid 0 when none. */
	struct job cur;
	pid_t pid;
	int pidfd; /* -1: polling instead */
	uint64_t started_ms, deadline_ms, poll_ms;
	bool killed;
	/* The daemon's children when the job started: not the job's. */
	pid_t *before;
	size_t n_before;
};

static void event_put(struct event_data *ev)
{
	if (!ev || --ev->refs)
		return;
	hooks_strv_free(ev->env);
	free(ev);
}

static void job_clear(struct job *j)
{
	free(j->name);
	event_put(j->ev);
	j->name = NULL;
	j->ev = NULL;
}

void hooks_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

const char *hooks_event_name(const struct hook_event *ev)
{
	if (ev->kind == HOOK_EVENT_ROLE)
		return "role";
	if (ev->kind == HOOK_EVENT_NETWATCH)
		return "netwatch";
	return ev->kind == HOOK_EVENT_RELOAD ? "reload" : "gateway";
}

/* ---- the directory ---- */

static bool hook_name_ok(const char *name)
{
	size_t len = strlen(name);

	/* Dotfiles include "." and ".."; '~' marks an editor's backup. */
	return len && name[0] != '.' && name[len - 1] != '~';
}

static int name_cmp(const void *a, const void *b)
{
	/* Byte order, not the locale's: the order must not depend on LANG. */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool hooks_owner_ok(const struct stat *st, uid_t self)
{
	return (st->st_uid == 0 || st->st_uid == self) &&
	       !(st->st_mode & (S_IWGRP | S_IWOTH));
}

int hooks_list(const char *dir, char ***names)
{
	struct dirent *de;
	struct stat dst = { 0 };
	char **v = NULL, **nv;
	size_t n = 0;
	int dfd, err = 0;
	DIR *d;

	*names = NULL;
	d = opendir(dir);
	if (!d) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -errno;
		v = calloc(1, sizeof(*v));
		if (!v)
			return -ENOMEM;
		*names = v;
		return 0;
	}
	dfd = dirfd(d);
	/* The directory opened, not the path: nothing to swap in between. */
	if (fstat(dfd, &dst) < 0 || !hooks_owner_ok(&dst, geteuid())) {
		log_warn("hooks: directory %s is not root's (owner uid %u) or "
			 "writable by others than root (mode %04o): no hook "
			 "runs from it",
			 dir, (unsigned)dst.st_uid,
			 (unsigned)(dst.st_mode & 07777));
		closedir(d);
		return -EPERM;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (!hook_name_ok(de->d_name))
			continue;
		/* Follows links: a link to an executable is a hook. */
		if (fstatat(dfd, de->d_name, &st, 0) < 0 ||
		    !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
			continue;
		if (!hooks_owner_ok(&st, geteuid())) {
			log_warn("hooks: %s/%s is not root's (owner uid %u) or "
				 "writable by others than root (mode %04o): "
				 "not run",
				 dir, de->d_name, (unsigned)st.st_uid,
				 (unsigned)(st.st_mode & 07777));
			continue;
		}
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv) {
			err = -ENOMEM;
			break;
		}
		v = nv;
		v[n] = strdup(de->d_name);
		if (!v[n]) {
			err = -ENOMEM;
			break;
		}
		v[++n] = NULL;
	}
	closedir(d);
	if (!err && !v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			err = -ENOMEM;
	}
	if (err) {
		if (v)
			v[n] = NULL;
		hooks_strv_free(v);
		return err;
	}
	qsort(v, n, sizeof(*v), name_cmp);
	*names = v;
	return (int)n;
}

/* ---- the environment ---- */

static bool env_inherited(const char *var)
{
	return strncmp(var, "ECMPD_", 6) != 0 &&
	       strncmp(var, "NOTIFY_SOCKET=", 14) != 0;
}

/* Appends "KEY=value" to v (room is reserved by the caller). */
static int env_add(char **v, size_t *n, const char *key, const char *value)
{
	if (asprintf(&v[*n], "%s=%s", key, value ? value : "") < 0) {
		v[*n] = NULL;
		return -ENOMEM;
	}
	v[++*n] = NULL;
	return 0;
}

char **hooks_build_env(const struct hook_event *ev, char *const *base)
{
	size_t nbase = 0, n = 0;
	char num[32];
	char **v;
	int err = 0;

	while (base && base[nbase])
		nbase++;
	/* Base, at most 8 of ours, the NULL. */
	v = calloc(nbase + 10, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < nbase && !err; i++) {
		if (!env_inherited(base[i]))
			continue;
		v[n] = strdup(base[i]);
		if (!v[n])
			err = -ENOMEM;
		else
			n++;
	}
	if (!err)
		err = env_add(v, &n, "ECMPD_EVENT", hooks_event_name(ev));
	if (!err && ev->config)
		err = env_add(v, &n, "ECMPD_CONFIG", ev->config);
	if (!err && ev->kind == HOOK_EVENT_RELOAD)
		err = env_add(v, &n, "ECMPD_RELOAD_RESULT",
			      ev->reload_ok ? "ok" : "failed");
	if (!err && ev->kind == HOOK_EVENT_ROLE) {
		err = env_add(v, &n, "ECMPD_OLD_ROLE", ev->old_state);
		if (!err)
			err = env_add(v, &n, "ECMPD_NEW_ROLE", ev->new_state);
	}
	if (!err && (ev->kind == HOOK_EVENT_GATEWAY ||
		     ev->kind == HOOK_EVENT_NETWATCH)) {
		bool nw = ev->kind == HOOK_EVENT_NETWATCH;

		err = env_add(v, &n, "ECMPD_INTERFACE", ev->interface);
		if (!err)
			err = env_add(v, &n,
				      nw ? "ECMPD_HOST" : "ECMPD_GATEWAY",
				      ev->gateway);
		if (!err && nw && ev->reason)
			err = env_add(v, &n, "ECMPD_REASON", ev->reason);
		if (!err)
			err = env_add(v, &n, "ECMPD_OLD_STATE", ev->old_state);
		if (!err)
			err = env_add(v, &n, "ECMPD_NEW_STATE", ev->new_state);
		snprintf(num, sizeof(num), "%.3f", ev->rtt_ms);
		if (!err)
			err = env_add(v, &n, "ECMPD_RTT_MS", num);
		snprintf(num, sizeof(num), "%.1f", ev->loss_pct);
		if (!err)
			err = env_add(v, &n, "ECMPD_LOSS_PCT", num);
	}
	if (err) {
		hooks_strv_free(v);
		errno = -err;
		return NULL;
	}
	return v;
}

/* ---- running ---- */

static void on_pidfd(void *ctx, int fd, uint32_t events);

/* ---- process trees (proctree.h) ---- */

/* The daemon's children now, but for the hook that is starting. */
static void remember_children(struct hooks *h)
{
	free(h->before);
	h->before = NULL;
	h->n_before = 0;
	if (proctree_children(h->pid, &h->before, &h->n_before) < 0)
		log_debug("hooks: cannot list the daemon's children");
}

/* SIGKILL to the running hook's whole tree. */
static void kill_tree(struct hooks *h)
{
	size_t n = proctree_kill(h->pid, h->before, h->n_before);

	if (n > 1)
		log_debug("hook %s: killed %zu processes of its tree",
			  h->cur.name, n);
}

/* Reaps what hooks left behind; the running hook is try_reap()'s. */
static void reap_orphans(const struct hooks *h)
{
	proctree_reap(h->pid);
}

/* Spawns job j. Returns 0 or -errno (the job is then done). */
static int spawn_job(struct hooks *h, struct job *j)
{
	char *path = NULL;
	char *argv[3];
	int err;

	if (asprintf(&path, "%s/%s", h->dir, j->name) < 0)
		return -ENOMEM;
	argv[0] = path;
	argv[1] = (char *)j->ev->arg;
	argv[2] = NULL;

	err = proctree_spawn(&h->pid, path, argv, j->ev->env);
	free(path);
	if (err) {
		h->pid = 0;
		return -err;
	}

	remember_children(h);
	h->started_ms = now_ms();
	h->deadline_ms = h->started_ms + h->timeout_ms;
	h->killed = false;
	h->pidfd = proctree_pidfd(h->pid);
	if (h->pidfd >= 0 &&
	    loop_add(h->loop, h->pidfd, EPOLLIN, on_pidfd, h) < 0) {
		close(h->pidfd);
		h->pidfd = -1;
	}
	h->poll_ms = h->pidfd < 0 ? h->started_ms + HOOKS_POLL_MS : 0;
	log_debug("hook %s (%s): started, pid %d", j->name, j->ev->label,
		  (int)h->pid);
	return 0;
}

static bool queue_pop(struct hooks *h, struct job *out)
{
	if (!h->q_len)
		return false;
	*out = h->queue[h->q_head];
	h->q_head = (h->q_head + 1) % h->q_cap;
	h->q_len--;
	return true;
}

/* Starts queued jobs until one is running or the queue is empty. */
static void start_next(struct hooks *h)
{
	int err;

	while (!h->pid && queue_pop(h, &h->cur)) {
		err = spawn_job(h, &h->cur);
		if (!err)
			return;
		log_warn("hook %s (%s): cannot run: %s", h->cur.name,
			 h->cur.ev->label, strerror(-err));
		job_clear(&h->cur);
	}
}

/* Logs how the running job ended and frees its slot. */
static void job_done(struct hooks *h, int status)
{
	uint64_t ms = now_ms() - h->started_ms;
	const char *name = h->cur.name, *label = h->cur.ev->label;

	if (h->killed)
		log_warn("hook %s (%s): killed after %llu ms timeout", name,
			 label, (unsigned long long)h->timeout_ms);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		log_info("hook %s (%s): exit 0 after %llu ms", name, label,
			 (unsigned long long)ms);
	else if (WIFEXITED(status))
		log_warn("hook %s (%s): exit %d after %llu ms", name, label,
			 WEXITSTATUS(status), (unsigned long long)ms);
	else
		log_warn("hook %s (%s): killed by signal %d after %llu ms",
			 name, label, WTERMSIG(status), (unsigned long long)ms);
	if (h->pidfd >= 0) {
		loop_del(h->loop, h->pidfd);
		close(h->pidfd);
	}
	h->pidfd = -1;
	h->pid = 0;
	h->poll_ms = 0;
	job_clear(&h->cur);
}

/* Reaps the running job if it ended. Returns true when it did. */
static bool try_reap(struct hooks *h)
{
	int status = 0;
	pid_t r;

	if (!h->pid)
		return false;
	do
		r = waitpid(h->pid, &status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	if (r < 0) {
		/* ECHILD: someone else reaped it; nothing more to learn. */
		log_warn("hook %s: waiting for pid %d: %s", h->cur.name,
			 (int)h->pid, strerror(errno));
		status = 0;
	}
	job_done(h, status);
	return true;
}

static void on_pidfd(void *ctx, int fd, uint32_t events)
{
	struct hooks *h = ctx;

	if (try_reap(h))
		start_next(h);
	reap_orphans(h);
}

struct hooks *hooks_new(struct loop *loop, const char *dir, unsigned timeout_ms)
{
	struct hooks *h = calloc(1, sizeof(*h));
	char **names;

	if (!h)
		return NULL;
	h->dir = strdup(dir ? dir : HOOKS_DEFAULT_DIR);
	if (!h->dir) {
		free(h);
		errno = ENOMEM;
		return NULL;
	}
	h->loop = loop;
	h->timeout_ms = timeout_ms ? timeout_ms : HOOKS_DEFAULT_TIMEOUT_MS;
	h->pidfd = -1;
	/* What a hook leaves behind comes to us, not to init. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		log_warn("hooks: cannot become a child subreaper (%s): the "
			 "timeout may miss what a hook left in the background",
			 strerror(errno));
	/* Says at start, not at the first gateway change, what is refused. */
	if (hooks_list(h->dir, &names) >= 0)
		hooks_strv_free(names);
	return h;
}

void hooks_free(struct hooks *h)
{
	struct job j;

	if (!h)
		return;
	if (h->pid) {
		int status;

		/* Killed, so this wait is short. */
		kill_tree(h);
		while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
			;
		if (h->pidfd >= 0) {
			loop_del(h->loop, h->pidfd);
			close(h->pidfd);
		}
		job_clear(&h->cur);
	}
	h->pid = 0;
	reap_orphans(h);
	while (queue_pop(h, &j))
		job_clear(&j);
	free(h->queue);
	free(h->before);
	free(h->dir);
	free(h);
}

static int queue_push(struct hooks *h, char *name, struct event_data *ev)
{
	if (h->q_len == h->q_cap) {
		size_t cap = h->q_cap ? h->q_cap * 2 : 16;
		struct job *q;

		if (h->q_len >= HOOKS_QUEUE_MAX)
			return -ENOBUFS;
		if (cap > HOOKS_QUEUE_MAX)
			cap = HOOKS_QUEUE_MAX;
		q = malloc(cap * sizeof(*q));
		if (!q)
			return -ENOMEM;
		/* Unwrap the ring into the new array. */
		for (size_t i = 0; i < h->q_len; i++)
			q[i] = h->queue[(h->q_head + i) % h->q_cap];
		free(h->queue);
		h->queue = q;
		h->q_head = 0;
		h->q_cap = cap;
	}
	h->queue[(h->q_head + h->q_len) % h->q_cap] =
		(struct job){ .name = name, .ev = ev };
	h->q_len++;
	ev->refs++;
	return 0;
}

/*
 * Drops the queued jobs of older events of ev's gateway: the hooks get
 * the latest state instead (ev's jobs are queued next). Returns how many.
 */
static size_t queue_drop_gateway(struct hooks *h, const char *gateway)
{
	size_t kept = 0, dropped = 0;

	for (size_t i = 0; i < h->q_len; i++) {
		struct job *j = &h->queue[(h->q_head + i) % h->q_cap];

		if (!strcmp(j->ev->gateway, gateway)) {
			job_clear(j);
			dropped++;
			continue;
		}
		/* kept <= i: the slot written was read already. */
		h->queue[(h->q_head + kept) % h->q_cap] = *j;
		kept++;
	}
	h->q_len = kept;
	return dropped;
}

int hooks_run(struct hooks *h, const struct hook_event *ev)
{
	size_t dropped = 0;
	struct event_data *ed;
	char **names;
	int n, queued = 0, err = 0;

	n = hooks_list(h->dir, &names);
	if (n == -EPERM)
		return n; /* logged, with the reason */
	if (n < 0) {
		log_warn("reading hooks directory %s: %s", h->dir,
			 strerror(-n));
		return n;
	}
	if (n == 0) {
		hooks_strv_free(names);
		return 0;
	}
	ed = calloc(1, sizeof(*ed));
	if (!ed) {
		hooks_strv_free(names);
		return -ENOMEM;
	}
	ed->env = hooks_build_env(ev, environ);
	if (!ed->env) {
		free(ed);
		hooks_strv_free(names);
		return -ENOMEM;
	}
	ed->arg = hooks_event_name(ev);
	if (ev->kind == HOOK_EVENT_RELOAD)
		snprintf(ed->label, sizeof(ed->label), "reload %s",
			 ev->reload_ok ? "ok" : "failed");
	else if (ev->kind == HOOK_EVENT_ROLE)
		snprintf(ed->label, sizeof(ed->label), "role %s->%s",
			 ev->old_state, ev->new_state);
	else {
		snprintf(ed->label, sizeof(ed->label), "%s %s %s->%s",
			 hooks_event_name(ev),
			 ev->kind == HOOK_EVENT_NETWATCH ? ev->gateway :
			 ev->interface			 ? ev->interface :
							   "",
			 ev->old_state ? ev->old_state : "",
			 ev->new_state ? ev->new_state : "");
		snprintf(ed->gateway, sizeof(ed->gateway), "%s%s %s",
			 ev->kind == HOOK_EVENT_NETWATCH ? "netwatch " : "",
			 ev->interface ? ev->interface : "",
			 ev->gateway ? ev->gateway : "");
		dropped = queue_drop_gateway(h, ed->gateway);
	}
	if (dropped)
		log_info("hooks: %zu stale run%s for gateway %s replaced by "
			 "the latest (%s)",
			 dropped, dropped == 1 ? "" : "s", ed->gateway,
			 ed->label);
	/* The queue holds the references; this one only guards the loop. */
	ed->refs = 1;
	for (int i = 0; i < n; i++) {
		if (!err)
			err = queue_push(h, names[i], ed);
		if (err) {
			log_warn("hook %s (%s): not run: %s", names[i],
				 ed->label, strerror(-err));
			free(names[i]);
			continue;
		}
		queued++;
	}
	free(names);
	event_put(ed);
	start_next(h);
	return err ? err : queued;
}

uint64_t hooks_next_deadline(const struct hooks *h)
{
	if (!h || !h->pid)
		return 0;
	if (h->poll_ms && h->poll_ms < h->deadline_ms)
		return h->poll_ms;
	/* Once killed, only the pidfd (or the poll) is waited for. */
	return h->killed ? h->poll_ms : h->deadline_ms;
}

void hooks_tick(struct hooks *h, uint64_t now)
{
	if (!h)
		return;
	if (h->pid && h->pidfd < 0 && try_reap(h)) {
		start_next(h);
		return;
	}
	if (h->pid && !h->killed && now >= h->deadline_ms) {
		kill_tree(h);
		h->killed = true;
	}
	reap_orphans(h);
	if (h->pid && h->pidfd < 0)
		h->poll_ms = now + HOOKS_POLL_MS;
	start_next(h);
}

bool hooks_busy(const struct hooks *h)
{
	return h && (h->pid || h->q_len);
}
