// SPDX-License-Identifier: MIT
/*
 * test_hooks.c - the hook runner: which files are hooks and in what order,
 * the environment a hook gets, and real runs inside an event loop (the
 * event reaches the hook in argv and environment, hooks run one after the
 * other in name order, a hanging hook is killed at its timeout without
 * the loop ever blocking - with its whole process tree, setsid'd
 * descendants included - and a name full of shell metacharacters is run
 * as the file it names); hooks and directories that others than their
 * owner can write are refused; a hook that is behind gets a gateway's
 * latest state, not its backlog. Needs no root.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/hooks.h"
#include "base/log.h"
#include "daemon/loop.h"

static char tmpdir[64];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_hooks.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes file name in dir with text and mode. */
static void put_file(const char *dir, const char *name, const char *text,
		     mode_t mode)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static char *read_all(const char *path)
{
	static char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_list_sorted_and_filtered(void **state)
{
	char dir[128], sub[160], **names = NULL;
	int n;

	snprintf(dir, sizeof(dir), "%s/list", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	put_file(dir, "20-b", "#!/bin/sh\n", 0755);
	put_file(dir, "10-a", "#!/bin/sh\n", 0700);
	put_file(dir, "B-upper", "#!/bin/sh\n", 0755);
	put_file(dir, ".hidden", "#!/bin/sh\n", 0755);
	put_file(dir, "backup~", "#!/bin/sh\n", 0755);
	put_file(dir, "README", "not a hook\n", 0644);
	put_file(dir, "a;touch pwned", "#!/bin/sh\n", 0755);
	snprintf(sub, sizeof(sub), "%s/dir.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);

	n = hooks_list(dir, &names);
	assert_int_equal(n, 4);
	/* Byte order: digits, then upper case, then lower case. */
	assert_string_equal(names[0], "10-a");
	assert_string_equal(names[1], "20-b");
	assert_string_equal(names[2], "B-upper");
	assert_string_equal(names[3], "a;touch pwned");
	assert_null(names[4]);
	hooks_strv_free(names);
}

static void test_list_missing_dir(void **state)
{
	char **names = NULL;

	assert_int_equal(hooks_list("/nonexistent/ecmpd/hooks.d", &names), 0);
	assert_non_null(names);
	assert_null(names[0]);
	hooks_strv_free(names);
}

static int count_prefix(char **env, const char *prefix)
{
	int n = 0;

	for (; *env; env++)
		n += !strncmp(*env, prefix, strlen(prefix));
	return n;
}

static bool has(char **env, const char *var)
{
	for (; *env; env++)
		if (!strcmp(*env, var))
			return true;
	return false;
}

static void test_env_gateway(void **state)
{
	char *base[] = { "PATH=/usr/bin:/bin", "ECMPD_EVENT=stale",
			 "NOTIFY_SOCKET=/run/systemd/notify", "HOME=/root",
			 NULL };
	struct hook_event ev = {
		.kind = HOOK_EVENT_GATEWAY,
		.config = "/etc/ecmpd/ecmpd.rsc",
		.interface = "wlan1",
		.gateway = "10.111.0.1",
		.old_state = "up",
		.new_state = "down",
		.rtt_ms = 12.3456,
		.loss_pct = 100,
	};
	char **env = hooks_build_env(&ev, base);

	assert_non_null(env);
	assert_true(has(env, "PATH=/usr/bin:/bin"));
	assert_true(has(env, "HOME=/root"));
	assert_int_equal(count_prefix(env, "NOTIFY_SOCKET="), 0);
	assert_int_equal(count_prefix(env, "ECMPD_EVENT="), 1);
	assert_true(has(env, "ECMPD_EVENT=gateway"));
	assert_true(has(env, "ECMPD_CONFIG=/etc/ecmpd/ecmpd.rsc"));
	assert_true(has(env, "ECMPD_INTERFACE=wlan1"));
	assert_true(has(env, "ECMPD_GATEWAY=10.111.0.1"));
	assert_true(has(env, "ECMPD_OLD_STATE=up"));
	assert_true(has(env, "ECMPD_NEW_STATE=down"));
	assert_true(has(env, "ECMPD_RTT_MS=12.346"));
	assert_true(has(env, "ECMPD_LOSS_PCT=100.0"));
	assert_int_equal(count_prefix(env, "ECMPD_RELOAD_RESULT="), 0);
	assert_string_equal(hooks_event_name(&ev), "gateway");
	hooks_strv_free(env);
}

static void test_env_reload(void **state)
{
	struct hook_event ev = { .kind = HOOK_EVENT_RELOAD,
				 .reload_ok = false };
	char **env = hooks_build_env(&ev, NULL);

	assert_non_null(env);
	assert_true(has(env, "ECMPD_EVENT=reload"));
	assert_true(has(env, "ECMPD_RELOAD_RESULT=failed"));
	assert_int_equal(count_prefix(env, "ECMPD_INTERFACE="), 0);
	assert_int_equal(count_prefix(env, "ECMPD_CONFIG="), 0);
	assert_string_equal(hooks_event_name(&ev), "reload");
	hooks_strv_free(env);
}

/* Runs the loop until h is idle or timeout_ms passes; returns elapsed ms. */
static uint64_t run_until_idle(struct loop *l, struct hooks *h,
			       uint64_t timeout_ms)
{
	uint64_t start = now_ms(), next;

	while (hooks_busy(h) && now_ms() - start < timeout_ms) {
		next = hooks_next_deadline(h);
		if (!next || next > start + timeout_ms)
			next = start + timeout_ms;
		assert_int_equal(loop_run_once(l, next), 0);
		hooks_tick(h, now_ms());
	}
	return now_ms() - start;
}

static void test_run_in_order_with_event(void **state)
{
	char dir[128], out[160], script[512];
	struct loop *l = loop_new();
	struct hooks *h;
	struct hook_event ev = {
		.kind = HOOK_EVENT_GATEWAY,
		.interface = "wlan1",
		.gateway = "10.111.0.1",
		.old_state = "up",
		.new_state = "down",
	};
	struct hook_event rl = { .kind = HOOK_EVENT_RELOAD, .reload_ok = true };

	assert_non_null(l);
	snprintf(dir, sizeof(dir), "%s/run", tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho \"$(basename \"$0\") $1 "
		 "$ECMPD_INTERFACE $ECMPD_OLD_STATE $ECMPD_NEW_STATE "
		 "$ECMPD_RELOAD_RESULT\" >> '%s'\n",
		 out);
	/* The first sleeps a little: order must not depend on speed. */
	put_file(dir, "10-first", "#!/bin/sh\nsleep 0.2\n", 0755);
	put_file(dir, "20-second", script, 0755);
	put_file(dir, "30-third", script, 0755);

	h = hooks_new(l, dir, 5000);
	assert_non_null(h);
	assert_int_equal(hooks_run(h, &ev), 3);
	assert_int_equal(hooks_run(h, &rl), 3);
	assert_true(hooks_busy(h));
	run_until_idle(l, h, 10000);
	assert_false(hooks_busy(h));
	assert_string_equal(read_all(out), "20-second gateway wlan1 up down \n"
					   "30-third gateway wlan1 up down \n"
					   "20-second reload    ok\n"
					   "30-third reload    ok\n");
	hooks_free(h);
	loop_free(l);
}

static void test_hanging_hook_killed(void **state)
{
	char dir[128], out[160], script[256];
	struct loop *l = loop_new();
	struct hooks *h;
	struct hook_event ev = { .kind = HOOK_EVENT_RELOAD, .reload_ok = true };
	uint64_t ms;

	assert_non_null(l);
	snprintf(dir, sizeof(dir), "%s/hang", tmpdir);
	snprintf(out, sizeof(out), "%s/after-hang", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* A child in the background: the whole group must die. */
	put_file(dir, "10-hang", "#!/bin/sh\nsleep 1000 &\nsleep 1000\n", 0755);
	snprintf(script, sizeof(script), "#!/bin/sh\ntouch '%s'\n", out);
	put_file(dir, "20-after", script, 0755);

	h = hooks_new(l, dir, 300);
	assert_non_null(h);
	assert_int_equal(hooks_run(h, &ev), 2);
	ms = run_until_idle(l, h, 5000);
	assert_false(hooks_busy(h));
	assert_true(ms >= 300);
	assert_true(ms < 3000);
	/* The next hook still ran. */
	assert_int_equal(access(out, F_OK), 0);
	hooks_free(h);
	loop_free(l);
}

static void test_metacharacters_literal(void **state)
{
	char dir[128], cwd[512], script[256], marker[160];
	struct loop *l = loop_new();
	struct hooks *h;
	struct hook_event ev = { .kind = HOOK_EVENT_RELOAD, .reload_ok = true };

	assert_non_null(l);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(dir, sizeof(dir), "%s/meta", tmpdir);
	snprintf(marker, sizeof(marker), "%s/ran", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(script, sizeof(script), "#!/bin/sh\necho \"$0\" >> '%s'\n",
		 marker);
	put_file(dir, "a;touch pwned", script, 0755);
	put_file(dir, "$(touch pwned2)", script, 0755);
	put_file(dir, "`touch pwned3` x", script, 0755);
	/* Run from the temp dir: a shell would create the files here. */
	assert_int_equal(chdir(tmpdir), 0);
	h = hooks_new(l, dir, 5000);
	assert_non_null(h);
	assert_int_equal(hooks_run(h, &ev), 3);
	run_until_idle(l, h, 5000);
	hooks_free(h);
	assert_int_equal(access("pwned", F_OK), -1);
	assert_int_equal(access("pwned2", F_OK), -1);
	assert_int_equal(access("pwned3", F_OK), -1);
	assert_int_equal(chdir(cwd), 0);
	/* Each ran, as the file it is. */
	assert_non_null(strstr(read_all(marker), "/a;touch pwned\n"));
	assert_non_null(strstr(read_all(marker), "/$(touch pwned2)\n"));
	assert_non_null(strstr(read_all(marker), "/`touch pwned3` x\n"));
	loop_free(l);
}

static void test_not_executable_format(void **state)
{
	char dir[128];
	struct loop *l = loop_new();
	struct hooks *h;
	struct hook_event ev = { .kind = HOOK_EVENT_RELOAD, .reload_ok = true };

	/* Executable bit but no #! and not ELF: exec fails, logged, skipped. */
	assert_non_null(l);
	snprintf(dir, sizeof(dir), "%s/bad", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	put_file(dir, "10-noshebang", "echo hi\n", 0755);
	h = hooks_new(l, dir, 1000);
	assert_non_null(h);
	assert_true(hooks_run(h, &ev) >= 0);
	run_until_idle(l, h, 3000);
	assert_false(hooks_busy(h));
	hooks_free(h);
	loop_free(l);
}

static void test_owner_ok(void **state)
{
	struct stat st = { .st_uid = 0, .st_mode = S_IFREG | 0755 };

	assert_true(hooks_owner_ok(&st, 1000));
	st.st_mode = S_IFREG | 0700;
	assert_true(hooks_owner_ok(&st, 1000));
	st.st_mode = S_IFREG | 0775;
	assert_false(hooks_owner_ok(&st, 1000));
	st.st_mode = S_IFREG | 0757;
	assert_false(hooks_owner_ok(&st, 1000));
	st.st_mode = S_IFDIR | 01777; /* /tmp-like: still writable */
	assert_false(hooks_owner_ok(&st, 0));
	st.st_mode = S_IFREG | 0755;
	st.st_uid = 1000;
	assert_true(hooks_owner_ok(&st, 1000)); /* ecmpd's own user */
	assert_false(hooks_owner_ok(&st, 0));
	assert_false(hooks_owner_ok(&st, 1001));
}

static void test_list_refuses_writable(void **state)
{
	char dir[128], **names;

	snprintf(dir, sizeof(dir), "%s/owner", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	put_file(dir, "10-ok", "#!/bin/sh\n", 0755);
	put_file(dir, "20-group-writable", "#!/bin/sh\n", 0775);
	put_file(dir, "30-world-writable", "#!/bin/sh\n", 0757);
	assert_int_equal(hooks_list(dir, &names), 1);
	assert_string_equal(names[0], "10-ok");
	hooks_strv_free(names);
	assert_int_equal(chmod(dir, 0775), 0);
	assert_int_equal(hooks_list(dir, &names), -EPERM);
	assert_null(names);
}

static void test_latest_state_delivered(void **state)
{
	char dir[128], out[160], script[256];
	struct loop *l = loop_new();
	struct hooks *h;
	struct hook_event ev = { .kind = HOOK_EVENT_GATEWAY,
				 .interface = "wlan1",
				 .gateway = "10.111.0.1" };
	struct hook_event other = { .kind = HOOK_EVENT_GATEWAY,
				    .interface = "wlan2",
				    .gateway = "10.112.0.1",
				    .old_state = "up",
				    .new_state = "down" };
	static const char *const flaps[][2] = {
		{ "up", "down" }, { "down", "up" }, { "up", "down" },
		{ "down", "up" }, { "up", "down" },
	};

	assert_non_null(l);
	snprintf(dir, sizeof(dir), "%s/flap", tmpdir);
	snprintf(out, sizeof(out), "%s/flap-out", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* The first hook is slow: the flapping happens while it runs. */
	put_file(dir, "10-slow", "#!/bin/sh\nsleep 0.3\n", 0755);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho \"$ECMPD_INTERFACE $ECMPD_OLD_STATE "
		 "$ECMPD_NEW_STATE\" >> '%s'\n",
		 out);
	put_file(dir, "20-record", script, 0755);
	h = hooks_new(l, dir, 5000);
	assert_non_null(h);
	for (size_t i = 0; i < sizeof(flaps) / sizeof(flaps[0]); i++) {
		ev.old_state = flaps[i][0];
		ev.new_state = flaps[i][1];
		assert_int_equal(hooks_run(h, &ev), 2);
		if (i == 1)
			assert_int_equal(hooks_run(h, &other), 2);
	}
	run_until_idle(l, h, 10000);
	assert_false(hooks_busy(h));
	/* The other gateway's change stays; wlan1's backlog is its latest. */
	assert_string_equal(read_all(out), "wlan2 up down\n"
					   "wlan1 up down\n");
	hooks_free(h);
	loop_free(l);
}

/* Whether pid ended (gone, or a zombie not reaped yet). */
static bool ended(pid_t pid)
{
	char path[64], buf[256], *rp;
	FILE *f;
	bool z;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	z = fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) &&
	    rp[1] == ' ' && rp[2] == 'Z';
	fclose(f);
	return z;
}

static pid_t read_pid(const char *path)
{
	char *text = read_all(path);

	return text ? (pid_t)atoi(text) : 0;
}

static void test_setsid_tree_killed(void **state)
{
	char dir[128], p1[160], p2[160], script[2048];
	struct loop *l = loop_new();
	struct hooks *h;
	struct hook_event ev = { .kind = HOOK_EVENT_RELOAD, .reload_ok = true };
	uint64_t start;
	pid_t a, b;

	assert_non_null(l);
	snprintf(dir, sizeof(dir), "%s/tree", tmpdir);
	snprintf(p1, sizeof(p1), "%s/setsid-pid", tmpdir);
	snprintf(p2, sizeof(p2), "%s/orphan-pid", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* A session of its own; and one whose parent exits (an orphan). */
	snprintf(script, sizeof(script),
		 "#!/bin/sh\n"
		 "setsid sh -c 'echo $$ > %s.tmp; mv %s.tmp %s; "
		 "exec sleep 1000' &\n"
		 "( setsid sh -c 'echo $$ > %s.tmp; mv %s.tmp %s; "
		 "exec sleep 1000' & )\n"
		 "exec sleep 1000\n",
		 p1, p1, p1, p2, p2, p2);
	put_file(dir, "10-tree", script, 0755);
	h = hooks_new(l, dir, 500);
	assert_non_null(h);
	assert_int_equal(hooks_run(h, &ev), 1);
	run_until_idle(l, h, 5000);
	assert_false(hooks_busy(h));
	a = read_pid(p1);
	b = read_pid(p2);
	assert_true(a > 0);
	assert_true(b > 0);
	start = now_ms();
	while ((!ended(a) || !ended(b)) && now_ms() - start < 3000) {
		hooks_tick(h, now_ms());
		usleep(20000);
	}
	assert_true(ended(a));
	assert_true(ended(b));
	hooks_free(h);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_sorted_and_filtered),
		cmocka_unit_test(test_list_missing_dir),
		cmocka_unit_test(test_env_gateway),
		cmocka_unit_test(test_env_reload),
		cmocka_unit_test(test_run_in_order_with_event),
		cmocka_unit_test(test_hanging_hook_killed),
		cmocka_unit_test(test_metacharacters_literal),
		cmocka_unit_test(test_not_executable_format),
		cmocka_unit_test(test_owner_ok),
		cmocka_unit_test(test_list_refuses_writable),
		cmocka_unit_test(test_latest_state_delivered),
		cmocka_unit_test(test_setsid_tree_killed),
	};

	log_init(false);
	return cmocka_run_group_tests(tests, setup, teardown);
}
