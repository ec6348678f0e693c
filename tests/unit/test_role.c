// SPDX-License-Identifier: MIT
/*
 * test_role.c - a router's part in a pair (daemon/role.h, docs/ha.md):
 * which role deletes connections, which uplinks a new master flushes,
 * the track_script's answer, the config hashes, and that the same config
 * gives the same plan numbering however its menus are ordered.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/parser.h"
#include "daemon/hooks.h"
#include "daemon/metrics.h"
#include "daemon/role.h"
#include "daemon/status.h"
#include "daemon/uplink.h"
#include "plan/plan.h"

/* ---- decisions ---- */

static void test_names(void **state)
{
	enum role r;

	(void)state;
	assert_int_equal(role_parse("master", &r), 0);
	assert_int_equal(r, ROLE_MASTER);
	assert_int_equal(role_parse("backup", &r), 0);
	assert_int_equal(r, ROLE_BACKUP);
	assert_int_equal(role_parse("fault", &r), 0);
	assert_int_equal(r, ROLE_FAULT);
	/* "alone" is where a daemon without --ha starts, not a request. */
	assert_int_equal(role_parse("alone", &r), -EINVAL);
	assert_int_equal(role_parse("MASTER", &r), -EINVAL);
	assert_string_equal(role_name(ROLE_ALONE), "alone");
}

static void test_who_flushes(void **state)
{
	struct role_state s;

	(void)state;
	assert_true(role_flushes(ROLE_ALONE));
	assert_true(role_flushes(ROLE_MASTER));
	assert_false(role_flushes(ROLE_BACKUP));
	assert_false(role_flushes(ROLE_FAULT));
	role_init(&s, false, NULL, NULL, 0);
	assert_false(role_flush_now(&s, false, 1, 0));
	assert_true(role_flush_now(&s, true, 1, 0));
	/* Alone, the last uplink's connections go too (t_all_dead). */
	assert_true(role_flush_now(&s, true, 0, 0));
	s.role = ROLE_BACKUP;
	assert_false(role_flush_now(&s, true, 1, 0));
	assert_false(s.withheld);
	assert_int_equal(role_next_deadline(&s), 0);
	s.role = ROLE_FAULT;
	assert_false(role_flush_now(&s, true, 1, 0));
	/* A master waits for a handover that would keep them... */
	s.role = ROLE_MASTER;
	assert_false(role_flush_now(&s, true, 1, 1000));
	assert_true(s.withheld);
	assert_int_equal(role_next_deadline(&s), 1000 + ROLE_FLUSH_DELAY_MS);
	/* ...another uplink dying meanwhile does not push the time... */
	assert_false(role_flush_now(&s, true, 1, 2000));
	assert_int_equal(role_next_deadline(&s), 1000 + ROLE_FLUSH_DELAY_MS);
	assert_false(role_release(&s, 1, 1000 + ROLE_FLUSH_DELAY_MS - 1));
	/* ...and none came: the dead uplinks' connections go now. */
	assert_true(role_release(&s, 1, 1000 + ROLE_FLUSH_DELAY_MS));
	assert_false(s.withheld);
	assert_false(role_release(&s, 1, 99999));
	/* No uplink left at the time: wait for one to return. */
	assert_false(role_flush_now(&s, true, 0, 10000));
	assert_false(role_release(&s, 0, 10000 + ROLE_FLUSH_DELAY_MS));
	assert_true(s.withheld);
	assert_int_equal(role_next_deadline(&s), 0);
	assert_true(role_release(&s, 1, 20000 + ROLE_FLUSH_DELAY_MS));
	/* A handover came: the new role deletes nothing withheld. */
	assert_false(role_flush_now(&s, true, 1, 30000));
	s.role = ROLE_BACKUP;
	assert_int_equal(role_next_deadline(&s), 0);
	assert_false(role_release(&s, 1, 99999));
}

static void test_promotion_flushes_only_dead(void **state)
{
	struct health h = { .state = HEALTH_UP, .link_up = true };

	(void)state;
	assert_false(role_flush_on_promotion(&h));
	h.state = HEALTH_UNKNOWN;
	assert_false(role_flush_on_promotion(&h));
	h.state = HEALTH_DOWN;
	assert_true(role_flush_on_promotion(&h));
	h.state = HEALTH_UNKNOWN;
	h.link_up = false;
	assert_true(role_flush_on_promotion(&h));
}

static void test_init(void **state)
{
	struct role_state s;

	(void)state;
	role_init(&s, false, NULL, NULL, 5);
	assert_int_equal(s.role, ROLE_ALONE);
	assert_null(s.on_master);
	role_init(&s, true, NULL, "true", 5);
	assert_int_equal(s.role, ROLE_BACKUP);
	assert_string_equal(s.on_master, ROLE_MASTER_COMMAND);
	assert_string_equal(s.on_backup, "true");
}

/* ---- requests ---- */

static unsigned flushed_ids[8];
static size_t n_flushed;

static void fake_flush(void *ctx, const struct uplink *u)
{
	(void)ctx;
	flushed_ids[n_flushed++] = u->id;
}

static char *ask(struct role_state *s, const struct role_env *env,
		 const char *request, int *rc)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);

	assert_non_null(f);
	*rc = role_request(s, request, f, env);
	fclose(f);
	return body;
}

static void test_requests(void **state)
{
	struct uplink v[3] = {
		{ .id = 1,
		  .usable = true,
		  .health = { .state = HEALTH_UP, .link_up = true } },
		{ .id = 2,
		  .usable = false,
		  .health = { .state = HEALTH_DOWN, .link_up = true } },
		/* A recursive target's record is never flushed by itself. */
		{ .id = 2,
		  .recursive = true,
		  .usable = false,
		  .health = { .state = HEALTH_DOWN, .link_up = true } },
	};
	struct role_env env = { v, 3, NULL, "x.rsc", fake_flush, NULL };
	struct role_state s;
	char *body;
	int rc;

	(void)state;
	role_init(&s, true, "true", "exit 3", 0);
	strcpy(s.hash, "0123456789abcdef");

	body = ask(&s, &env, "status", &rc);
	assert_int_equal(rc, -1);
	free(body);

	body = ask(&s, &env, "check", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(body, "1 usable"));
	free(body);
	v[0].health.link_up = false;
	body = ask(&s, &env, "check", &rc);
	assert_int_equal(rc, 1);
	free(body);
	v[0].health.link_up = true;

	/* A backup flushes nothing; a new master only the dead uplink. */
	n_flushed = 0;
	body = ask(&s, &env, "role backup", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(n_flushed, 0);
	free(body);
	body = ask(&s, &env, "role master", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(s.role, ROLE_MASTER);
	assert_int_equal(n_flushed, 1);
	assert_int_equal(flushed_ids[0], 2);
	free(body);
	body = ask(&s, &env, "role master", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(n_flushed, 1);
	free(body);
	/* The backup command fails: a warning, the role changes anyway. */
	body = ask(&s, &env, "role backup", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(s.role, ROLE_BACKUP);
	assert_non_null(strstr(body, "exited 3"));
	assert_int_equal(s.command_failures, 1);
	free(body);
	body = ask(&s, &env, "role boss", &rc);
	assert_int_equal(rc, 1);
	free(body);

	body = ask(&s, &env, "hash", &rc);
	assert_string_equal(body, "0123456789abcdef\n");
	free(body);
	body = ask(&s, &env, "peer-hash 0123", &rc);
	assert_int_equal(rc, 1);
	free(body);
	body = ask(&s, &env, "peer-hash 0123456789abcdef", &rc);
	assert_int_equal(rc, 0);
	assert_false(role_mismatch(&s));
	free(body);
	body = ask(&s, &env, "peer-hash fedcba9876543210", &rc);
	assert_int_equal(rc, 0);
	assert_true(role_mismatch(&s));
	assert_non_null(strstr(body, "MISMATCH"));
	free(body);
}

static void test_run_command(void **state)
{
	(void)state;
	assert_int_equal(role_run_command("true", 2000), 0);
	assert_int_equal(role_run_command("exit 7", 2000), 7);
	assert_int_equal(role_run_command("sleep 5", 100), -ETIMEDOUT);
}

/* ---- the same config, the same hash and numbering ---- */

static const char seed[] =
	"/ip address\n"
	"add address=192.168.0.1/24 interface=Local\n"
	"add address=10.111.0.2/24 interface=wlan1\n"
	"add address=10.112.0.2/24 interface=wlan2\n"
	"/ip route\n"
	"add gateway=10.111.0.1,10.112.0.1 check-gateway=ping\n"
	"/ip firewall nat\n"
	"add chain=srcnat out-interface=wlan1 action=masquerade\n"
	"add chain=srcnat out-interface=wlan2 action=masquerade\n"
	"/ip firewall mangle\n"
	"add chain=input in-interface=wlan1 action=mark-connection "
	"new-connection-mark=wlan1_conn\n"
	"add chain=input in-interface=wlan2 action=mark-connection "
	"new-connection-mark=wlan2_conn\n"
	"add chain=output connection-mark=wlan1_conn action=mark-routing "
	"new-routing-mark=to_wlan1\n"
	"add chain=output connection-mark=wlan2_conn action=mark-routing "
	"new-routing-mark=to_wlan2\n"
	"/ip route\n"
	"add gateway=10.111.0.1 routing-mark=to_wlan1\n"
	"add gateway=10.112.0.1 routing-mark=to_wlan2\n";

/*
 * The same, menus in another order, comments, blanks. (Slash paths would
 * be another config: they make it RouterOS v7, whose equal-distance routes
 * are ECMP.)
 */
static const char reordered[] =
	"# the other router's copy\n"
	"/ip firewall mangle\n"
	"add chain=input in-interface=wlan1 action=mark-connection "
	"new-connection-mark=wlan1_conn\n"
	"add chain=input in-interface=wlan2 action=mark-connection "
	"new-connection-mark=wlan2_conn\n"
	"add chain=output connection-mark=wlan1_conn action=mark-routing "
	"new-routing-mark=to_wlan1\n"
	"add chain=output connection-mark=wlan2_conn action=mark-routing "
	"new-routing-mark=to_wlan2\n"
	"\n"
	"/ip firewall nat\n"
	"add chain=srcnat out-interface=wlan1 action=masquerade\n"
	"add chain=srcnat out-interface=wlan2 action=masquerade\n"
	"/ip route\n"
	"add gateway=10.111.0.1,10.112.0.1 check-gateway=ping\n"
	"add gateway=10.111.0.1 routing-mark=to_wlan1\n"
	"add gateway=10.112.0.1 routing-mark=to_wlan2\n"
	"/ip address\n"
	"add address=192.168.0.1/24 interface=Local\n"
	"add address=10.111.0.2/24 interface=wlan1\n"
	"add address=10.112.0.2/24 interface=wlan2\n";

static struct config *load_text(const char *text)
{
	char path[] = "/tmp/test_role_XXXXXX";
	int fd = mkstemp(path), errors = 0;
	FILE *devnull = fopen("/dev/null", "w");
	struct config *cfg;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cfg = config_load(path, NULL, 0, false, devnull, &errors);
	fclose(devnull);
	unlink(path);
	assert_non_null(cfg);
	return cfg;
}

/* The plan's full text: marks, tables, rule priorities, nft names. */
static char *plan_text(const struct config *cfg, const struct plan_ids *ids)
{
	struct plan_input in = { .ids = ids };
	struct plan *p = plan_build(cfg, &in);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(p);
	assert_non_null(f);
	plan_print(p, f);
	fclose(f);
	plan_free(p);
	return text;
}

static void test_same_config_same_plan(void **state)
{
	struct config *a = load_text(seed), *b = load_text(seed);
	struct config *c = load_text(reordered);
	char ha[CONFIG_HASH_LEN + 1], hb[CONFIG_HASH_LEN + 1];
	char hc[CONFIG_HASH_LEN + 1];
	char *pa, *pb, *pc;

	(void)state;
	assert_int_equal(config_hash(a, ha), 0);
	assert_int_equal(config_hash(b, hb), 0);
	assert_int_equal(config_hash(c, hc), 0);
	assert_int_equal(strlen(ha), CONFIG_HASH_LEN);
	assert_string_equal(ha, hb);
	assert_string_equal(ha, hc);
	pa = plan_text(a, NULL);
	pb = plan_text(b, NULL);
	pc = plan_text(c, NULL);
	assert_string_equal(pa, pb);
	assert_string_equal(pa, pc);
	free(pa);
	free(pb);
	free(pc);
	config_free(a);
	config_free(b);
	config_free(c);
}

/* Any attribute changes the hash: the other router must be told. */
static void test_changed_config_other_hash(void **state)
{
	struct config *a = load_text(seed);
	char *text = strdup(seed), *at;
	struct config *b;
	char ha[CONFIG_HASH_LEN + 1], hb[CONFIG_HASH_LEN + 1];

	(void)state;
	at = strstr(text, "check-gateway=ping");
	assert_non_null(at);
	memcpy(at + 14, "arp\n", 4); /* check-gateway=arp */
	b = load_text(text);
	assert_int_equal(config_hash(a, ha), 0);
	assert_int_equal(config_hash(b, hb), 0);
	assert_string_not_equal(ha, hb);
	free(text);
	config_free(a);
	config_free(b);
}

/*
 * What the hash does not cover (docs/ha.md): the ids a running daemon
 * keeps across a reload. A router that reloaded into a config numbers
 * the uplinks it already had as before; one started on that config
 * numbers them in the order written. Equal hashes then do not mean equal
 * marks, which is why docs/ha.md says to restart, not reload, a pair
 * whose uplinks changed.
 */
static const char before[] = "/ip route\n"
			     "add gateway=10.112.0.1%wlan2\n";
static const char after[] = "/ip route\n"
			    "add gateway=10.111.0.1%wlan1,10.112.0.1%wlan2\n";

static void test_reload_keeps_ids(void **state)
{
	struct config *a = load_text(before), *b = load_text(after);
	struct plan_input in = { 0 };
	struct plan *pa = plan_build(a, &in);
	char *fresh, *reloaded;

	(void)state;
	assert_non_null(pa);
	fresh = plan_text(b, NULL);
	reloaded = plan_text(b, &pa->ids);
	assert_string_not_equal(fresh, reloaded);
	free(fresh);
	free(reloaded);
	plan_free(pa);
	config_free(a);
	config_free(b);
}

/*
 * ecmpd -n --ha: the seed's masquerades lose connections in a failover,
 * its addresses would be on both routers; examples/ha's way has neither.
 */
static unsigned ha_warnings(const char *text)
{
	struct config *cfg = load_text(text);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct diag *d;
	unsigned n;

	assert_non_null(f);
	d = diag_new("x.rsc", text, strlen(text), f, false);
	assert_non_null(d);
	n = config_ha_masquerades(cfg, d) + config_ha_addresses(cfg, d);
	assert_int_equal(diag_warnings(d), (int)n);
	diag_free(d);
	fclose(f);
	if (n)
		assert_non_null(strstr(out, "--ha: masquerade takes"));
	free(out);
	config_free(cfg);
	return n;
}

static void test_ha_check(void **state)
{
	(void)state;
	/* Two masquerades, three addresses. */
	assert_int_equal(ha_warnings(seed), 5);
	assert_int_equal(ha_warnings(
				 "/ip route\n"
				 "add gateway=10.111.0.1%wlan1\n"
				 "/ip firewall nat\n"
				 "add chain=srcnat src-address=192.168.0.0/24 "
				 "out-interface=wlan1 action=src-nat "
				 "to-addresses=10.111.0.10\n"
				 "add chain=srcnat out-interface=wlan1 "
				 "action=masquerade disabled=yes\n"),
			 0);
}

/* The pair's metrics: the role as an enum, the hash, the mismatch. */
static void test_metrics(void **state)
{
	struct role_state r;
	struct status s;
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);

	(void)state;
	role_init(&r, true, NULL, NULL, 0);
	strcpy(r.hash, "0123456789abcdef");
	strcpy(r.peer_hash, "fedcba9876543210");
	memset(&s, 0, sizeof(s));
	role_status_take(&r, &s.role, 1000);
	assert_non_null(f);
	metrics_write(f, &s);
	fclose(f);
	assert_non_null(strstr(body, "ecmpd_role{role=\"backup\"} 1\n"));
	assert_non_null(strstr(body, "ecmpd_role{role=\"master\"} 0\n"));
	assert_non_null(strstr(
		body, "ecmpd_config_info{hash=\"0123456789abcdef\"} 1\n"));
	assert_non_null(strstr(body, "ecmpd_config_mismatch 1\n"));
	free(body);
}

/* The hooks learn of a role change: ECMPD_EVENT=role and both roles. */
static void test_role_hook_env(void **state)
{
	char *base[] = { "PATH=/bin", NULL };
	struct hook_event ev = { .kind = HOOK_EVENT_ROLE,
				 .config = "ha.rsc",
				 .old_state = "backup",
				 .new_state = "master" };
	char **env = hooks_build_env(&ev, base);
	bool event = false, old = false, now = false;

	(void)state;
	assert_non_null(env);
	assert_string_equal(hooks_event_name(&ev), "role");
	for (char **e = env; *e; e++) {
		event |= !strcmp(*e, "ECMPD_EVENT=role");
		old |= !strcmp(*e, "ECMPD_OLD_ROLE=backup");
		now |= !strcmp(*e, "ECMPD_NEW_ROLE=master");
		assert_null(strstr(*e, "ECMPD_GATEWAY="));
	}
	assert_true(event && old && now);
	hooks_strv_free(env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_who_flushes),
		cmocka_unit_test(test_promotion_flushes_only_dead),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_run_command),
		cmocka_unit_test(test_same_config_same_plan),
		cmocka_unit_test(test_changed_config_other_hash),
		cmocka_unit_test(test_reload_keeps_ids),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_role_hook_env),
		cmocka_unit_test(test_ha_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
