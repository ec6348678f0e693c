// SPDX-License-Identifier: MIT
/*
 * role.c - this router's part in a pair (role.h, docs/ha.md).
 *
 * keepalived decides who is master; conntrackd carries the connections
 * over; ecmpd only has to agree with them. The decisions are small and
 * pure (which role flushes, which uplinks a new master flushes); the rest
 * is the order of a takeover: conntrackd's external cache committed into
 * the kernel first, so the replicated connections are there to keep, then
 * only the connections pinned to uplinks this router knows dead deleted,
 * then every uplink probed at once, so an uplink that works here but was
 * dead for the old master comes back within one probe, then the hooks.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/hooks.h"
#include "daemon/proctree.h"
#include "daemon/uplink.h"
#include "daemon/role.h"

extern char **environ;

static const char *const role_names[ROLES] = {
	[ROLE_ALONE] = "alone",
	[ROLE_MASTER] = "master",
	[ROLE_BACKUP] = "backup",
	[ROLE_FAULT] = "fault",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLES ? role_names[r] : "?";
}

int role_parse(const char *name, enum role *r)
{
	for (unsigned i = ROLE_MASTER; i < ROLES; i++)
		if (!strcmp(name, role_names[i])) {
			*r = (enum role)i;
			return 0;
		}
	return -EINVAL;
}

bool role_flushes(enum role r)
{
	return r == ROLE_ALONE || r == ROLE_MASTER;
}

bool role_flush_now(struct role_state *s, bool stopped, unsigned healthy,
		    uint64_t now_ms)
{
	(void)healthy;
	if (!stopped)
		return false;
	if (s->role == ROLE_ALONE)
		return true;
	if (s->role == ROLE_MASTER && !s->withheld) {
		s->withheld = true;
		s->flush_at = now_ms + ROLE_FLUSH_DELAY_MS;
	}
	return false;
}

bool role_release(struct role_state *s, unsigned healthy, uint64_t now_ms)
{
	if (!s->withheld || s->role != ROLE_MASTER || now_ms < s->flush_at)
		return false;
	/* None left: wait for one to return (no timer, the return asks). */
	if (!healthy) {
		s->flush_at = 0;
		return false;
	}
	s->withheld = false;
	return true;
}

uint64_t role_next_deadline(const struct role_state *s)
{
	return s->withheld && s->role == ROLE_MASTER ? s->flush_at : 0;
}

bool role_flush_on_promotion(const struct health *h)
{
	return !health_usable(h);
}

bool role_mismatch(const struct role_state *s)
{
	return s->peer_hash[0] && strcmp(s->peer_hash, s->hash) != 0;
}

void role_init(struct role_state *s, bool ha, const char *on_master,
	       const char *on_backup, uint64_t now_ms)
{
	memset(s, 0, sizeof(*s));
	s->role = ha ? ROLE_BACKUP : ROLE_ALONE;
	s->since_ms = now_ms;
	s->on_master = on_master ? on_master : ha ? ROLE_MASTER_COMMAND : NULL;
	s->on_backup = on_backup ? on_backup : ha ? ROLE_BACKUP_COMMAND : NULL;
}

static void warn_mismatch(const struct role_state *s)
{
	log_warn("CONFIG MISMATCH: this router's config hash is %s, the "
		 "other router's is %s; a replicated connection's mark may "
		 "mean another uplink here (docs/ha.md)",
		 s->hash, s->peer_hash);
}

void role_set_config(struct role_state *s, const struct config *cfg)
{
	if (config_hash(cfg, s->hash) < 0) {
		log_warn("cannot hash the config: %s", strerror(errno));
		snprintf(s->hash, sizeof(s->hash), "unknown");
	}
	if (role_mismatch(s))
		warn_mismatch(s);
}

void role_status_take(const struct role_state *s, struct role_status *st,
		      uint64_t now_ms)
{
	st->role = role_name(s->role);
	st->hash = s->hash;
	st->peer_hash = s->peer_hash;
	st->mismatch = role_mismatch(s);
	st->role_s = (double)(now_ms - s->since_ms) / 1000.0;
}

int role_run_command(const char *cmd, unsigned timeout_ms)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	uint64_t deadline = now_ms() + timeout_ms;
	struct timespec nap = { .tv_nsec = 5 * 1000 * 1000 };
	int status, err;
	pid_t pid, got;

	err = proctree_spawn(&pid, "/bin/sh", argv, environ);
	if (err)
		return -err;
	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return -errno;
		if (now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -ETIMEDOUT;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Runs a role's command, logging how it went. */
static void run_role_command(struct role_state *s, const char *what,
			     const char *cmd, FILE *reply)
{
	uint64_t t0 = now_ms();
	int rc;

	if (!cmd || !cmd[0])
		return;
	rc = role_run_command(cmd, ROLE_COMMAND_TIMEOUT_MS);
	if (rc == 0) {
		log_info("role %s: \"%s\" done in %llu ms", what, cmd,
			 (unsigned long long)(now_ms() - t0));
		return;
	}
	s->command_failures++;
	if (rc < 0) {
		log_warn("role %s: \"%s\": %s", what, cmd, strerror(-rc));
		fprintf(reply, "warning: \"%s\": %s\n", cmd, strerror(-rc));
	} else {
		log_warn("role %s: \"%s\" exited %d", what, cmd, rc);
		fprintf(reply, "warning: \"%s\" exited %d\n", cmd, rc);
	}
}

/* Deletes the connections of the uplinks dead here; how many uplinks. */
static unsigned flush_dead(const struct role_env *env)
{
	unsigned n = 0;

	for (size_t i = 0; i < env->n_uplinks; i++) {
		const struct uplink *u = &env->uplinks[i];

		if (!u->recursive && role_flush_on_promotion(&u->health)) {
			env->flush(env->ctx, u);
			n++;
		}
	}
	return n;
}

static void role_hook(const struct role_env *env, enum role old, enum role now)
{
	struct hook_event ev = { .kind = HOOK_EVENT_ROLE,
				 .config = env->config_path,
				 .old_state = role_name(old),
				 .new_state = role_name(now) };
	int err = env->hooks ? hooks_run(env->hooks, &ev) : 0;

	if (err < 0)
		log_warn("hooks for the role change: %s", strerror(-err));
}

/* "role NAME": the change and what it sets off. */
static int change_role(struct role_state *s, const char *name, FILE *reply,
		       const struct role_env *env, uint64_t now)
{
	enum role old = s->role, r;
	unsigned flushed;

	if (role_parse(name, &r) < 0) {
		fprintf(reply,
			"unknown role \"%.32s\" (master, backup or fault)\n",
			name);
		return 1;
	}
	if (r == old) {
		fprintf(reply, "role %s already\n", role_name(r));
		return 0;
	}
	log_info("role %s -> %s", role_name(old), role_name(r));
	if (r == ROLE_MASTER)
		run_role_command(s, "master", s->on_master, reply);
	s->role = r;
	s->withheld = false;
	s->since_ms = now;
	s->changes++;
	if (r == ROLE_MASTER) {
		flushed = flush_dead(env);
		uplinks_probe_now(env->uplinks, env->n_uplinks, now);
		fprintf(reply,
			"role master; flushing the connections of %u "
			"dead uplink(s)\n",
			flushed);
	} else {
		if (r == ROLE_BACKUP)
			run_role_command(s, "backup", s->on_backup, reply);
		fprintf(reply, "role %s; no connection will be flushed\n",
			role_name(r));
	}
	if (role_mismatch(s))
		warn_mismatch(s);
	role_hook(env, old, r);
	return 0;
}

/* Whether text is CONFIG_HASH_LEN hex digits. */
static bool hash_ok(const char *text)
{
	size_t n = strspn(text, "0123456789abcdef");

	return n == CONFIG_HASH_LEN && !text[n];
}

int role_request(struct role_state *s, const char *request, FILE *reply,
		 const struct role_env *env)
{
	unsigned n;

	if (!strncmp(request, "role ", 5))
		return change_role(s, request + 5, reply, env, now_ms());
	if (!strcmp(request, "check")) {
		n = uplinks_usable(env->uplinks, env->n_uplinks);
		fprintf(reply, "%u usable uplink(s), role %s\n", n,
			role_name(s->role));
		return n ? 0 : 1;
	}
	if (!strcmp(request, "hash")) {
		fprintf(reply, "%s\n", s->hash);
		return 0;
	}
	if (!strncmp(request, "peer-hash ", 10)) {
		if (!hash_ok(request + 10)) {
			fprintf(reply,
				"peer-hash wants %d lowercase hex "
				"digits, as `ecmpd -n` prints\n",
				CONFIG_HASH_LEN);
			return 1;
		}
		memcpy(s->peer_hash, request + 10, CONFIG_HASH_LEN + 1);
		if (role_mismatch(s)) {
			warn_mismatch(s);
			fprintf(reply,
				"CONFIG MISMATCH: this router %s, the other "
				"%s\n",
				s->hash, s->peer_hash);
			return 0;
		}
		fprintf(reply, "config hashes match (%s)\n", s->hash);
		return 0;
	}
	return -1;
}
