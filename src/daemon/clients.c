// SPDX-License-Identifier: MIT
/*
 * clients.c - the DHCP clients ecmpd starts and supervises (clients.h).
 *
 * One ISC dhclient per enabled /ip dhcp-client entry, on its Linux
 * interface: in the foreground (-d), with the shipped hook (-sf), which
 * sets the leased address and never a default route (the gateway is the
 * config's route, placed by ecmpd once the lease's network is there), and
 * its pid and lease files under a directory of this network namespace's
 * own, so two ecmpd in two namespaces never share them. ecmpd learns the
 * address from the kernel, as with a client it did not start.
 *
 * A client that exits is started again after a back-off (1 s, doubling,
 * at most 60 s; a client that ran a minute starts over at 1 s). Its end is
 * seen through a pidfd in the loop, or by polling waitpid() where the
 * kernel has no pidfd_open(). The hook runner may reap it first (it reaps
 * every orphan, hooks.c): the pidfd still tells, and the exit status is
 * then unknown. On stop (ecmpd's exit, the entry gone on reload) the client
 * gets SIGTERM, a short wait, and then its whole process tree SIGKILL
 * (proctree.c).
 *
 * PPPoE (pppd) is not started yet: --pppoe=external is what ecmpd does.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "config/config.h"
#include "daemon/clients.h"
#include "daemon/loop.h"
#include "daemon/proctree.h"

/* Without pidfds, how often a client's end is looked for. */
#define CLIENTS_POLL_MS 500
/* How long a client has after SIGTERM before its tree is killed. */
#define CLIENTS_STOP_MS 1000

extern char **environ;

uint64_t client_backoff_ms(unsigned failures)
{
	uint64_t ms = CLIENT_BACKOFF_MIN_MS;

	for (unsigned i = 1; i < failures && ms < CLIENT_BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < CLIENT_BACKOFF_MAX_MS ? ms : CLIENT_BACKOFF_MAX_MS;
}

unsigned client_failures_after(unsigned failures, uint64_t ran_ms)
{
	if (ran_ms >= CLIENT_STABLE_MS)
		return 1;
	return failures < 64 ? failures + 1 : failures;
}

void clients_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

char **client_dhclient_argv(const char *dhclient, const char *hook,
			    const char *dir, const char *ifname)
{
	char **v = calloc(11, sizeof(*v));
	int ok = !!v;

	if (!v)
		return NULL;
	ok = (v[0] = strdup(dhclient)) && (v[1] = strdup("-d")) &&
	     (v[2] = strdup("-q")) && (v[3] = strdup("-sf")) &&
	     (v[4] = strdup(hook)) && (v[5] = strdup("-pf")) &&
	     asprintf(&v[6], "%s/dhclient-%s.pid", dir, ifname) >= 0 &&
	     (v[7] = strdup("-lf")) &&
	     asprintf(&v[8], "%s/dhclient-%s.leases", dir, ifname) >= 0 &&
	     (v[9] = strdup(ifname));
	if (!ok) {
		/* asprintf leaves its pointer undefined on failure */
		for (int i = 0; i < 10; i++)
			if (i != 6 && i != 8)
				free(v[i]);
		free(v);
		errno = ENOMEM;
		return NULL;
	}
	return v;
}

/* Writes s to f as a pppd quoted word; -EINVAL on a control char. */
static int quote_word(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return -EINVAL;
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
	return 0;
}

/* A name pppd takes unquoted: letters, digits, '-', '_', '.'. */
static bool plain_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_.",
			    *s))
			return false;
	return true;
}

char *client_pppd_options(const struct pppoe_client *c, const char *ifname)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err = 0;

	if (!plain_name(ifname) || !plain_name(c->name)) {
		errno = EINVAL;
		return NULL;
	}
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f,
		"# written by ecmpd for /interface pppoe-client %s\n"
		"plugin rp-pppoe.so\nnic-%s\nifname %s\n",
		c->name, ifname, c->name);
	fputs("user ", f);
	err |= quote_word(f, c->user);
	fputs("\npassword ", f);
	err |= quote_word(f, c->password);
	fputs("\nhide-password\nnoauth\nnodefaultroute\nnoipdefault\n"
	      "nodetach\n",
	      f);
	if (c->use_peer_dns)
		fputs("usepeerdns\n", f);
	if (fclose(f) || err) {
		free(buf);
		errno = err ? EINVAL : ENOMEM;
		return NULL;
	}
	return buf;
}

char **client_pppd_argv(const char *pppd, const char *options_path)
{
	char **v = calloc(4, sizeof(*v));

	if (!v)
		return NULL;
	if (!(v[0] = strdup(pppd)) || !(v[1] = strdup("file")) ||
	    !(v[2] = strdup(options_path))) {
		clients_argv_free(v);
		errno = ENOMEM;
		return NULL;
	}
	return v;
}

int client_write_secret_file(const char *path, const char *text)
{
	size_t len = strlen(text), off = 0;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return -errno;
	/* An older file of another mode keeps it through O_CREAT. */
	if (fchmod(fd, 0600) < 0)
		err = -errno;
	while (!err && off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			err = -errno;
		else
			off += (size_t)w;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

struct client {
	char ifname[64];
	char **argv;
	pid_t pid;
	int pidfd;
	unsigned failures;
	uint64_t started_ms, restart_at, poll_at;
	bool keep; /* in the config of the current sync */
};

struct clients {
	struct loop *loop;
	struct clients_options opt;
	const char *dhclient, *hook;
	char dir[256];
	struct client *v;
	size_t n;
};

static const char *pick(const char *given, const char *env, const char *def)
{
	const char *e = getenv(env);

	return given ? given : e && *e ? e : def;
}

struct clients *clients_new(struct loop *loop,
			    const struct clients_options *opt,
			    const char *runtime_dir)
{
	struct clients *c = calloc(1, sizeof(*c));
	char dir[sizeof(c->dir)];
	struct stat ns;

	if (!c)
		return NULL;
	/* This namespace's own directory: netns-INODE, as the lock's name. */
	if (stat("/proc/self/ns/net", &ns) < 0 ||
	    (mkdir(runtime_dir, 0755) < 0 && errno != EEXIST)) {
		free(c);
		return NULL;
	}
	snprintf(dir, sizeof(dir), "%s/netns-%llu", runtime_dir,
		 (unsigned long long)ns.st_ino);
	c->loop = loop;
	c->opt = *opt;
	c->dhclient =
		pick(opt->dhclient, "ECMPD_DHCLIENT", CLIENTS_DEFAULT_DHCLIENT);
	c->hook = pick(opt->dhclient_hook, "ECMPD_DHCLIENT_HOOK",
		       CLIENTS_DEFAULT_DHCLIENT_HOOK);
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		log_warn("clients: cannot make %s: %s", dir, strerror(errno));
		free(c);
		return NULL;
	}
	return c;
}

int clients_check(const struct clients_options *opt, const struct config *cfg,
		  const char *config_path, FILE *out)
{
	const char *dhclient =
		pick(opt->dhclient, "ECMPD_DHCLIENT", CLIENTS_DEFAULT_DHCLIENT);
	const char *hook = pick(opt->dhclient_hook, "ECMPD_DHCLIENT_HOOK",
				CLIENTS_DEFAULT_DHCLIENT_HOOK);
	int rc = 0;

	if (opt->dhcp_external)
		return 0;
	for (size_t i = 0; i < cfg->n_dhcp_clients; i++) {
		const struct dhcp_client *d = &cfg->dhcp_clients[i];

		if (!entry_enabled(&d->c))
			continue;
		if (access(dhclient, X_OK) < 0) {
			fprintf(out,
				"%s:%d:%d: error: the DHCP client on %s needs "
				"%s, which is missing (%s); install "
				"isc-dhcp-client, or run the client yourself "
				"with --dhcp=external\n",
				config_path, d->interface_loc.line,
				d->interface_loc.col, d->interface, dhclient,
				strerror(errno));
			rc = -1;
		} else if (access(hook, X_OK) < 0) {
			fprintf(out,
				"%s:%d:%d: error: the DHCP client on %s needs "
				"its hook %s, which is missing (%s)\n",
				config_path, d->interface_loc.line,
				d->interface_loc.col, d->interface, hook,
				strerror(errno));
			rc = -1;
		}
	}
	return rc;
}

static void on_pidfd(void *ctx, int fd, uint32_t events);

static void client_start(struct clients *c, struct client *cl, uint64_t now)
{
	int err;

	err = proctree_spawn(&cl->pid, cl->argv[0], cl->argv, environ);
	if (err) {
		cl->pid = 0;
		cl->failures = client_failures_after(cl->failures, 0);
		cl->restart_at = now + client_backoff_ms(cl->failures);
		log_warn("DHCP client on %s: cannot start %s: %s; again in "
			 "%llu ms",
			 cl->ifname, cl->argv[0], strerror(err),
			 (unsigned long long)(cl->restart_at - now));
		return;
	}
	cl->started_ms = now;
	cl->restart_at = 0;
	cl->pidfd = proctree_pidfd(cl->pid);
	if (cl->pidfd >= 0 &&
	    loop_add(c->loop, cl->pidfd, EPOLLIN, on_pidfd, c) < 0) {
		close(cl->pidfd);
		cl->pidfd = -1;
	}
	cl->poll_at = cl->pidfd < 0 ? now + CLIENTS_POLL_MS : 0;
	log_info("DHCP client on %s: started %s, pid %d", cl->ifname,
		 cl->argv[0], (int)cl->pid);
}

static void close_pidfd(struct clients *c, struct client *cl)
{
	if (cl->pidfd >= 0) {
		loop_del(c->loop, cl->pidfd);
		close(cl->pidfd);
	}
	cl->pidfd = -1;
}

/* Has cl's process ended? Reaps it; *status -1 when another reaped it. */
static bool client_ended(struct client *cl, int *status)
{
	pid_t r;

	*status = -1;
	do
		r = waitpid(cl->pid, status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	if (r < 0) {
		/*
		 * ECHILD: reaped by the hooks' orphan reaper. Trust it only
		 * when the process is gone (the pidfd said so, or kill 0).
		 */
		*status = -1;
		return kill(cl->pid, 0) < 0 && errno == ESRCH;
	}
	return true;
}

static void client_exited(struct clients *c, struct client *cl, int status,
			  uint64_t now)
{
	uint64_t ran = now - cl->started_ms;
	char how[64];

	if (status == -1)
		snprintf(how, sizeof(how), "ended");
	else if (WIFEXITED(status))
		snprintf(how, sizeof(how), "exited %d", WEXITSTATUS(status));
	else
		snprintf(how, sizeof(how), "killed by signal %d",
			 WTERMSIG(status));
	close_pidfd(c, cl);
	cl->pid = 0;
	cl->poll_at = 0;
	cl->failures = client_failures_after(cl->failures, ran);
	cl->restart_at = now + client_backoff_ms(cl->failures);
	log_warn("DHCP client on %s: %s after %llu ms; restarting in %llu ms",
		 cl->ifname, how, (unsigned long long)ran,
		 (unsigned long long)(cl->restart_at - now));
}

static void check_ended(struct clients *c, uint64_t now)
{
	int status;

	for (size_t i = 0; i < c->n; i++) {
		struct client *cl = &c->v[i];

		if (cl->pid && client_ended(cl, &status))
			client_exited(c, cl, status, now);
		else if (cl->pid && cl->poll_at)
			cl->poll_at = now + CLIENTS_POLL_MS;
	}
}

static void on_pidfd(void *ctx, int fd, uint32_t events)
{
	struct clients *c = ctx;

	check_ended(c, now_ms());
}

/* SIGTERM, a short wait, then SIGKILL to its whole tree. */
static void client_stop(struct clients *c, struct client *cl)
{
	struct timespec nap = { .tv_nsec = 10 * 1000 * 1000 };
	uint64_t deadline = now_ms() + CLIENTS_STOP_MS;
	pid_t *others = NULL;
	size_t n_others = 0;
	int status;

	close_pidfd(c, cl);
	if (!cl->pid)
		return;
	kill(-cl->pid, SIGTERM);
	kill(cl->pid, SIGTERM);
	while (!client_ended(cl, &status) && now_ms() < deadline)
		nanosleep(&nap, NULL);
	/* Whatever it left: its group, its tree; not ecmpd's other children. */
	if (proctree_children(cl->pid, &others, &n_others) == 0) {
		proctree_kill(cl->pid, others, n_others);
		free(others);
	}
	while (waitpid(cl->pid, &status, WNOHANG) < 0 && errno == EINTR)
		;
	log_info("DHCP client on %s: stopped (pid %d)", cl->ifname,
		 (int)cl->pid);
	cl->pid = 0;
}

static struct client *find(struct clients *c, const char *ifname)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].ifname, ifname))
			return &c->v[i];
	return NULL;
}

static void add(struct clients *c, const char *ifname, uint64_t now)
{
	struct client *nv = realloc(c->v, (c->n + 1) * sizeof(*nv)), *cl;

	if (!nv) {
		log_error("DHCP client on %s: %s", ifname, strerror(ENOMEM));
		return;
	}
	c->v = nv;
	cl = &c->v[c->n];
	*cl = (struct client){ .pidfd = -1, .keep = true };
	snprintf(cl->ifname, sizeof(cl->ifname), "%s", ifname);
	cl->argv = client_dhclient_argv(c->dhclient, c->hook, c->dir, ifname);
	if (!cl->argv) {
		log_error("DHCP client on %s: %s", ifname, strerror(ENOMEM));
		return;
	}
	c->n++;
	client_start(c, cl, now);
}

void clients_sync(struct clients *c, const struct config *cfg, uint64_t now)
{
	size_t kept = 0;

	for (size_t i = 0; i < c->n; i++)
		c->v[i].keep = false;
	for (size_t i = 0; !c->opt.dhcp_external && i < cfg->n_dhcp_clients;
	     i++) {
		const struct dhcp_client *d = &cfg->dhcp_clients[i];
		const char *ifname = config_linux_name(cfg, d->interface);
		struct client *cl;

		if (!entry_enabled(&d->c))
			continue;
		cl = find(c, ifname);
		if (cl)
			cl->keep = true;
		else
			add(c, ifname, now);
	}
	for (size_t i = 0; i < c->n; i++) {
		if (!c->v[i].keep) {
			log_info("DHCP client on %s: gone from the config",
				 c->v[i].ifname);
			client_stop(c, &c->v[i]);
			clients_argv_free(c->v[i].argv);
			continue;
		}
		c->v[kept++] = c->v[i];
	}
	c->n = kept;
}

uint64_t clients_next_deadline(const struct clients *c)
{
	uint64_t next = 0;

	for (size_t i = 0; c && i < c->n; i++) {
		uint64_t t = c->v[i].pid ? c->v[i].poll_at : c->v[i].restart_at;

		if (t && (!next || t < next))
			next = t;
	}
	return next;
}

void clients_tick(struct clients *c, uint64_t now)
{
	if (!c)
		return;
	check_ended(c, now);
	for (size_t i = 0; i < c->n; i++) {
		struct client *cl = &c->v[i];

		if (!cl->pid && cl->restart_at && cl->restart_at <= now)
			client_start(c, cl, now);
	}
}

size_t clients_count(const struct clients *c)
{
	return c ? c->n : 0;
}

void clients_view(const struct clients *c, size_t i, struct client_view *v)
{
	const struct client *cl = &c->v[i];

	*v = (struct client_view){
		.kind = "dhcp",
		.ifname = cl->ifname,
		.state = cl->pid ? CLIENT_RUNNING : CLIENT_RESTARTING,
		.pid = cl->pid,
		.failures = cl->failures,
		.restart_at = cl->restart_at,
	};
}

void clients_free(struct clients *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		client_stop(c, &c->v[i]);
		clients_argv_free(c->v[i].argv);
	}
	free(c->v);
	free(c);
}
