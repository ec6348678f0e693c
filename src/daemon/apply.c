// SPDX-License-Identifier: MIT
/*
 * apply.c - the plan to the kernel, step by step. Sysctls go last because
 * the nft table's ct expressions load conntrack, whose sysctls only exist
 * afterwards. What ecmpd adds or replaces is recorded in the state before
 * the next step runs, so a crash at any point leaves a state file that
 * names everything to undo.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "daemon/apply.h"
#include "daemon/state.h"
#include "kernel/address.h"
#include "kernel/error.h"
#include "kernel/fw.h"
#include "kernel/route.h"
#include "kernel/rule.h"
#include "kernel/sysctl.h"
#include "plan/plan.h"

static int apply_sysctls(struct applier *a, const struct plan *p)
{
	for (size_t i = 0; i < p->n_sysctls; i++) {
		const struct plan_sysctl *s = &p->sysctls[i];
		char cur[64];
		int err;

		err = sysctl_read(s->key, cur, sizeof(cur));
		if (err == -ENOENT) {
			/* e.g. conntrack not loaded: the rest still works. */
			log_warn("sysctl %s does not exist here; skipped",
				 s->key);
			continue;
		}
		if (err) {
			log_error("reading sysctl %s: %s", s->key,
				  strerror(-err));
			return err;
		}
		if (!state_has_sysctl(a->state, s->key)) {
			err = state_save_sysctl(a->state, s->key, cur);
			if (err)
				return err;
		}
		if (!strcmp(cur, s->value))
			continue;
		err = sysctl_write(s->key, s->value);
		if (err) {
			log_error("setting sysctl %s=%s: %s", s->key, s->value,
				  strerror(-err));
			return err;
		}
		log_debug("sysctl %s: %s -> %s", s->key, cur, s->value);
	}
	return 0;
}

static int apply_addresses(struct applier *a, const struct plan *p,
			   struct kernel_error *why)
{
	struct plan_address *added = NULL;
	size_t n_added = 0;
	int err;

	err = address_add_missing(a->nl, p, &added, &n_added, why);
	for (size_t i = 0; i < n_added; i++)
		if (state_add_address(a->state, &added[i]) < 0)
			err = err ? err : -ENOMEM;
	free(added);
	return err;
}

const char *apply_step_name(enum apply_step step)
{
	static const char *const names[APPLY_STEPS] = {
		[APPLY_ADDRESSES] = "addresses", [APPLY_ROUTES] = "routes",
		[APPLY_RULES] = "rules",	 [APPLY_NFT] = "nft table",
		[APPLY_SYSCTLS] = "sysctls",
	};

	return step < APPLY_STEPS ? names[step] : "?";
}

/* Records a step's outcome: its bit, and the text of the first failure. */
static void step_done(struct applier *a, enum apply_step step, int err,
		      const struct kernel_error *why, int *first)
{
	if (!err)
		return;
	a->failed |= 1u << step;
	if (!*first)
		snprintf(a->error, sizeof(a->error), "%s: %s",
			 apply_step_name(step),
			 why->text[0] ? why->text : strerror(-err));
	first_error(first, err);
}

int apply_plan(struct applier *a, const struct plan *p,
	       const struct plan *applied, bool force_fw)
{
	/* Each step clears why and fills it only when it fails. */
	struct kernel_error why = { "" };
	int first = 0;

	a->failed = 0;
	a->error[0] = '\0';
	step_done(a, APPLY_ADDRESSES, apply_addresses(a, p, &why), &why,
		  &first);
	step_done(a, APPLY_ROUTES, route_sync(a->nl, p, &why), &why, &first);
	step_done(a, APPLY_RULES, rule_sync(a->nl, p, &why), &why, &first);
	if (force_fw || !applied || strcmp(applied->ruleset, p->ruleset) != 0 ||
	    !fw_present(a->fw))
		step_done(a, APPLY_NFT, fw_apply(a->fw, p->ruleset, &why), &why,
			  &first);
	/* Last: the nft table's ct expressions load conntrack's sysctls. */
	kernel_error_clear(&why);
	step_done(a, APPLY_SYSCTLS, apply_sysctls(a, p), &why, &first);
	state_write(a->state);
	return first;
}

static bool plan_has_address(const struct plan *p,
			     const struct plan_address *pa)
{
	for (size_t i = 0; i < p->n_addresses; i++)
		if (!strcmp(p->addresses[i].interface, pa->interface) &&
		    p->addresses[i].addr == pa->addr &&
		    p->addresses[i].len == pa->len)
			return true;
	return false;
}

void apply_rollback(struct applier *a, const struct plan *previous,
		    size_t n_added_before)
{
	struct state *s = a->state;
	size_t kept = n_added_before;

	if (previous && apply_plan(a, previous, NULL, true))
		log_error("restoring the previous state failed too");
	for (size_t i = n_added_before; i < s->n_added; i++) {
		if (previous && plan_has_address(previous, &s->added[i])) {
			s->added[kept++] = s->added[i];
			continue;
		}
		if (address_delete(a->nl, &s->added[i], 1, NULL))
			s->added[kept++] = s->added[i]; /* try again at stop */
	}
	s->n_added = kept;
	state_write(s);
}

void apply_remove_all(struct applier *a)
{
	struct state *s = a->state;
	int err;

	err = rule_remove_all(a->nl, NULL);
	if (err)
		log_error("removing rules: %s", strerror(-err));
	err = route_remove_all(a->nl, NULL);
	if (err)
		log_error("removing routes: %s", strerror(-err));
	err = fw_remove(a->fw, NULL);
	if (err)
		log_error("removing table ip ecmpd: %s", strerror(-err));
	if (s->n_added) {
		err = address_delete(a->nl, s->added, s->n_added, NULL);
		if (err)
			log_error("removing addresses: %s", strerror(-err));
	}
	for (size_t i = s->n_saved; i-- > 0;) {
		err = sysctl_write(s->saved[i].key, s->saved[i].value);
		if (err)
			log_error("restoring sysctl %s=%s: %s", s->saved[i].key,
				  s->saved[i].value, strerror(-err));
	}
	state_remove(s);
}
