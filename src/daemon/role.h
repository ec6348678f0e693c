/* SPDX-License-Identifier: MIT */
/*
 * role.h - this router's part in a pair (docs/ha.md): the VRRP role that
 * keepalived's notify script gives it (`ecmpctl role master|backup|fault`),
 * what that role allows (only a master deletes connections), the answer to
 * keepalived's track_script (`ecmpctl check`), and the config hashes the
 * two routers compare.
 *
 * A standalone ecmpd (no --ha) starts "alone" and behaves as a master; one
 * started with --ha starts as backup, so that no connection replicated by
 * conntrackd is deleted before keepalived has decided who is master.
 */
#ifndef ECMPD_ROLE_H
#define ECMPD_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "health/health.h"

struct hooks;
struct uplink;

enum role {
	ROLE_ALONE, /* no pair: flushes as a master does */
	ROLE_MASTER,
	ROLE_BACKUP,
	ROLE_FAULT,
};
#define ROLES 4

/*
 * What runs on becoming master, before the connections of dead uplinks
 * are deleted: conntrackd's steps for a primary taking over in FTFW mode
 * (its primary-backup.sh): commit the external cache into the kernel,
 * flush both caches, resync the internal cache from the kernel, send a
 * bulk update to the other router. On becoming backup: ask the master
 * for a resync. Both run with /bin/sh -c; --on-master/--on-backup replace
 * them (to give conntrackd -C FILE, say).
 */
#define ROLE_MASTER_COMMAND \
	"conntrackd -c; conntrackd -f; conntrackd -R; conntrackd -B"
#define ROLE_BACKUP_COMMAND "conntrackd -n"
/* Past this, the command is killed: the loop waits for it. */
#define ROLE_COMMAND_TIMEOUT_MS 5000
/*
 * How long a master keeps the connections of an uplink that died before
 * deleting them: long enough for keepalived to hand over when the other
 * router is better off (track_script fall 2 x interval 1 s, then one
 * advert), so that conntrackd does not replicate the deletion to it.
 */
#define ROLE_FLUSH_DELAY_MS 5000

struct role_state {
	enum role role;
	uint64_t since_ms; /* monotonic, when role was entered */
	unsigned long changes;
	unsigned long command_failures;
	bool withheld; /* a master kept a dead uplink's connections */
	uint64_t flush_at; /* then, when to delete them (monotonic ms) */
	char hash[CONFIG_HASH_LEN + 1]; /* of the config in force */
	char peer_hash[CONFIG_HASH_LEN + 1]; /* "": not given */
	const char *on_master, *on_backup; /* NULL: no command */
};

/* What a status snapshot shows of the role (status.h). */
struct role_status {
	const char *role;
	const char *hash;
	const char *peer_hash; /* "" when not given */
	bool mismatch; /* a peer hash was given and differs */
	double role_s; /* seconds in the role */
};

/* "alone", "master", "backup", "fault". */
const char *role_name(enum role r);

/* Parses one of role_name()'s names but "alone"; -EINVAL otherwise. */
int role_parse(const char *name, enum role *r);

/*
 * Whether a router in role r deletes connections at all: alone or master.
 * A backup's or a faulty router's are the master's, replicated (an uplink
 * that leaves the config on reload keeps them too: the master deletes
 * them, and conntrackd replicates that).
 */
bool role_flushes(enum role r);

/*
 * Whether to delete, at now_ms, the connections of an uplink that stopped
 * being usable (stopped; false: nothing to decide). Alone: at once, as
 * ever. A backup or a faulty router never: the connections in its table
 * are the master's, replicated, pinned to uplinks the master may still
 * reach. A master not yet: if keepalived hands over because the other
 * router is better off, conntrackd would have replicated the deletions
 * to the router that can keep the connections. It withholds them and
 * deletes them ROLE_FLUSH_DELAY_MS later if it is still master and has
 * a usable uplink (role_release()); with none, only once one returns.
 */
bool role_flush_now(struct role_state *s, bool stopped, unsigned healthy,
		    uint64_t now_ms);

/*
 * Whether a master that withheld flushes should delete, at now_ms, the
 * connections of the uplinks still dead: its delay is over, it has a
 * usable uplink, no handover came. Clears the memory when it says yes.
 */
bool role_release(struct role_state *s, unsigned healthy, uint64_t now_ms);

/* When to ask role_release() (0: no time, an uplink's return asks). */
uint64_t role_next_deadline(const struct role_state *s);

/*
 * On becoming master: whether the connections pinned to an uplink with
 * this health are deleted. Only those of an uplink known dead (its probes
 * or its link said so): an uplink still unknown may well work, and
 * deleting its connections would lose what the failover is meant to keep.
 */
bool role_flush_on_promotion(const struct health *h);

/* Whether a peer hash was given and differs from ours. */
bool role_mismatch(const struct role_state *s);

/*
 * Sets up s: --ha starts as backup, else alone. on_master/on_backup are
 * the commands (NULL for the defaults when ha, none when not).
 */
void role_init(struct role_state *s, bool ha, const char *on_master,
	       const char *on_backup, uint64_t now_ms);

/*
 * Records the hash of the config now in force (at start and after a
 * reload) and warns loudly when it differs from the peer's.
 */
void role_set_config(struct role_state *s, const struct config *cfg);

/* Fills st from s at now_ms; st points into s. */
void role_status_take(const struct role_state *s, struct role_status *st,
		      uint64_t now_ms);

/*
 * Runs cmd with /bin/sh -c, waiting at most timeout_ms (then SIGKILL).
 * Returns its exit status (0..255), 128+signal when a signal ended it,
 * or -errno when it could not be started or was killed for the time.
 */
int role_run_command(const char *cmd, unsigned timeout_ms);

/* What the requests below act on: the daemon's records and hooks. */
struct role_env {
	struct uplink *uplinks;
	size_t n_uplinks;
	struct hooks *hooks; /* NULL: none */
	const char *config_path;
	/* Deletes the connections pinned to u (on the flusher, maybe). */
	void (*flush)(void *ctx, const struct uplink *u);
	void *ctx;
};

/*
 * The control requests of a pair:
 *   "role master|backup|fault"  keepalived's notify script (examples/ha)
 *   "check"                     ok with at least one usable uplink, else
 *                               error (ecmpctl exits 1): track_script
 *   "peer-hash HEX"             the other router's config hash
 *   "hash"                      this router's config hash
 * Returns -1 when request is none of these (the caller goes on), else 0
 * for an "ok" answer and 1 for an "error" one, written to reply.
 */
int role_request(struct role_state *s, const char *request, FILE *reply,
		 const struct role_env *env);

#endif
