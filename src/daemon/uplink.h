/* SPDX-License-Identifier: MIT */
/*
 * uplink.h - the daemon's record of each uplink of the plan in force: its
 * health state machine, its probe socket, its link state, and what the
 * applied plan assumed about it. Records are rebuilt for every new plan;
 * an uplink that stays keeps its record (evidence and socket).
 */
#ifndef ECMPD_UPLINK_H
#define ECMPD_UPLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ipv4.h"
#include "config/config.h"
#include "health/health.h"
#include "plan/plan.h"

struct loop;
struct plan;
struct plan_target;
struct plan_uplink;
struct probe;

/*
 * One record per uplink of the plan (its first hop), then one per target
 * (a recursive gateway through an uplink, docs/design.md "Recursive
 * gateways"): a target's record has recursive set, the uplink's id,
 * interface and first hop (via), and the target as its gateway, the
 * address its probe pings through the uplink.
 */
struct uplink {
	unsigned id;
	char interface[LINUX_IFNAME_MAX];
	bool has_gateway;
	uint32_t gateway;
	bool recursive; /* a target's record */
	bool has_via; /* recursive: the uplink's first hop */
	uint32_t via;
	enum check_gateway check;
	enum plan_source source; /* where the interface's address comes from */
	struct health health;
	struct probe *probe;
	enum check_gateway probe_kind; /* what the open probe does */
	uint64_t probe_retry_ms; /* when to try opening it again */
	bool link_up;
	/* What the applied plan assumed; differs from health while pending. */
	bool usable;
	/* A state change to report once the plan reflects it. */
	bool changed;
	enum health_state reported;
};

/* Whether the link named ifname exists and is up (IFF_UP, carrier). */
typedef bool (*uplink_link_fn)(void *ctx, const char *ifname);

/* The gateway address as text, or the interface for "gateway=IF". */
const char *uplink_gateway_text(const struct uplink *u, char buf[IPV4_STR_MAX]);

/* The uplink record (not a target's) for (interface, gateway), or NULL. */
struct uplink *uplink_find(const struct uplink *v, size_t n,
			   const char *interface, bool has_gateway,
			   uint32_t gateway);

/*
 * Whether the planner may use uplink u, given the current records: a
 * record for it with the same check answers (its health); otherwise the
 * evidence does not exist yet and the link decides (a new uplink starts
 * usable when its link is up, so a restart disturbs nothing).
 */
bool uplink_usable(const struct uplink *v, size_t n,
		   const struct plan_uplink *u, uplink_link_fn link_up,
		   void *ctx);

/*
 * Whether the planner may count target t, the same way: its record's
 * health, else (a new target) its uplink's link.
 */
bool uplink_target_usable(const struct uplink *v, size_t n,
			  const struct plan_target *t, uplink_link_fn link_up,
			  void *ctx);

/* How many records plan p has: its uplinks, then its targets. */
size_t uplinks_count(const struct plan *p);

/*
 * Records for the uplinks and targets of plan p (uplinks_count() of
 * them): an uplink with a record in old keeps
 * it (health, probe); a new one, or one whose check changed (its evidence
 * was about another kind of probe), starts from what link_up says. The
 * returned array (NULL with errno on failure) shares
 * the probes of old: commit it with uplinks_commit().
 */
struct uplink *uplinks_for(const struct plan *p, const struct uplink *old,
			   size_t n_old, uplink_link_fn link_up, void *ctx,
			   uint64_t now_ms);

/*
 * Whether the n records v are exactly those plan p asks for (each uplink
 * and target with the same id and check): false when a gateway came or
 * went with the kernel's addresses (docs/design.md "Uplinks with dynamic
 * addresses") or a reload, and the records must be rebuilt.
 */
bool uplinks_match(const struct plan *p, const struct uplink *v, size_t n);

/* Logs each uplink of next that old has no record of. */
void uplinks_log_arrivals(const struct uplink *old, size_t n_old,
			  const struct uplink *next, size_t n_next);

/*
 * Frees old after next replaced it: the probes of records next does not
 * have are closed (and removed from loop).
 */
void uplinks_release(struct uplink *old, size_t n_old,
		     const struct uplink *next, size_t n_next,
		     struct loop *loop);

/* Closes u's probe, if any, after removing its socket from loop. */
void uplink_probe_close(struct uplink *u, struct loop *loop);

/*
 * Opens u's probe when it needs one (a check, a gateway address, link up,
 * none open, no retry pending) and registers its socket with loop (fn,
 * ctx). On failure the attempt is logged and retried after retry_ms.
 */
void uplink_probe_open(struct uplink *u, const struct probe_settings *ps,
		       struct loop *loop, void (*fn)(void *, int, uint32_t),
		       void *ctx, uint64_t now_ms, unsigned retry_ms);

/*
 * Runs u's probe and feeds every outcome to its health. Returns the number
 * of state changes (each also sets u->changed).
 */
unsigned uplink_probe_run(struct uplink *u, const struct health_params *hp,
			  uint64_t now_ms);

/*
 * When the loop should wake for the probes of the n records v: at the
 * first probe deadline, moved to the last one due within slack_ms of it,
 * so probes due close together are sent (and their timeouts judged) in
 * one wake-up instead of one each. Nothing waits longer than the slack,
 * which is well inside the +-10 % jitter every interval already has. 0:
 * nothing due.
 */
uint64_t uplinks_probe_wakeup(const struct uplink *v, size_t n,
			      unsigned slack_ms);

/*
 * Ends the hold-down of the records without probes whose link came back
 * during one (health_tick()), due by now_ms. Returns the number of state
 * changes (each also sets u->changed). uplinks_probe_wakeup() includes
 * their deadlines.
 */
unsigned uplinks_holddown_tick(struct uplink *v, size_t n, uint64_t now_ms);

/* The health parameters that the config's probe settings give. */
struct health_params uplink_health_params(const struct probe_settings *ps);

/* How many uplink records (not a target's) their health calls usable. */
unsigned uplinks_usable(const struct uplink *v, size_t n);

/*
 * Makes every open probe send at its next run (at now_ms): a router that
 * becomes master (role.h) learns its uplinks' states within one timeout.
 */
void uplinks_probe_now(struct uplink *v, size_t n, uint64_t now_ms);

#endif
