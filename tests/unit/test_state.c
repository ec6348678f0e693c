// SPDX-License-Identifier: MIT
/*
 * test_state.c - the state file (daemon/state.c): what is read back, what
 * is refused (keys ecmpd does not set, values that are no integers, a
 * symlink, a file others can write), that writing never follows a
 * symlink, and the instance lock: a second holder is refused and told
 * the first one's pid.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/state.h"

static const struct plan_sysctl keys[] = {
	{ "net.ipv4.ip_forward", "1" },
	{ "net.ipv4.fib_multipath_hash_policy", "0" },
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

struct fixture {
	char dir[64];
	char sock[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/ecmpd-test-state-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->sock, sizeof(f->sock), "%s/ecmpd.sock", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static const char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_parse_lines(void **state)
{
	struct state s;

	(void)state;
	state_init(&s, "/nonexistent/ecmpd.sock");
	assert_int_equal(state_parse_line(&s, "sysctl net.ipv4.ip_forward 0\n",
					  keys, N_KEYS),
			 1);
	/* Only the keys ecmpd sets. */
	assert_int_equal(
		state_parse_line(&s, "sysctl kernel.core_pattern |/tmp/x\n",
				 keys, N_KEYS),
		0);
	assert_int_equal(state_parse_line(&s, "sysctl kernel.modprobe /x\n",
					  keys, N_KEYS),
			 0);
	assert_int_equal(state_parse_line(&s, "sysctl ../../../etc/passwd 1\n",
					  keys, N_KEYS),
			 0);
	/* Integers only, and nothing after them. */
	assert_int_equal(
		state_parse_line(&s,
				 "sysctl net.ipv4.fib_multipath_hash_policy "
				 "1x\n",
				 keys, N_KEYS),
		0);
	assert_int_equal(
		state_parse_line(&s,
				 "sysctl net.ipv4.fib_multipath_hash_policy "
				 "1 2\n",
				 keys, N_KEYS),
		0);
	assert_int_equal(
		state_parse_line(&s,
				 "sysctl net.ipv4.fib_multipath_hash_policy "
				 "-1\n",
				 keys, N_KEYS),
		1);
	/* The first value of a key counts. */
	assert_int_equal(state_parse_line(&s, "sysctl net.ipv4.ip_forward 1\n",
					  keys, N_KEYS),
			 0);
	assert_int_equal(s.n_saved, 2);
	assert_string_equal(s.saved[0].key, "net.ipv4.ip_forward");
	assert_string_equal(s.saved[0].value, "0");
	assert_string_equal(s.saved[1].value, "-1");

	assert_int_equal(state_parse_line(&s,
					  "address wlan1 10.111.0.2 24 "
					  "10.111.0.255\n",
					  keys, N_KEYS),
			 1);
	assert_int_equal(state_parse_line(&s,
					  "address wlan1 10.111.0.2 33 "
					  "10.111.0.255\n",
					  keys, N_KEYS),
			 0);
	assert_int_equal(state_parse_line(&s,
					  "address wlan1 10.111.0.300 24 "
					  "10.111.0.255\n",
					  keys, N_KEYS),
			 0);
	assert_int_equal(state_parse_line(&s,
					  "address "
					  "an-interface-name-far-too-long "
					  "10.111.0.2 24 10.111.0.255\n",
					  keys, N_KEYS),
			 0);
	assert_int_equal(state_parse_line(&s, "garbage\n", keys, N_KEYS), 0);
	assert_int_equal(state_parse_line(&s, "\n", keys, N_KEYS), 0);
	assert_int_equal(s.n_added, 1);
	assert_int_equal(s.added[0].addr, 0x0a6f0002);
	assert_int_equal(s.added[0].len, 24);
	state_free(&s);
}

static void test_write_read_back(void **state)
{
	struct fixture *f = *state;
	struct plan_address pa = { .interface = "wlan2",
				   .addr = 0x0a700002,
				   .len = 24,
				   .broadcast = 0x0a7000ff };
	struct state s, t;
	struct stat st;

	state_init(&s, f->sock);
	assert_int_equal(state_add_address(&s, &pa), 0);
	assert_int_equal(state_save_sysctl(&s, "net.ipv4.ip_forward", "0"), 0);
	assert_int_equal(state_save_sysctl(
				 &s, "net.ipv4.fib_multipath_hash_policy", "1"),
			 0);
	state_write(&s);
	assert_int_equal(stat(s.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_string_equal(slurp(s.path),
			    "address wlan2 10.112.0.2 24 10.112.0.255\n"
			    "sysctl net.ipv4.ip_forward 0\n"
			    "sysctl net.ipv4.fib_multipath_hash_policy 1\n");
	state_init(&t, f->sock);
	state_read(&t, keys, N_KEYS);
	assert_int_equal(t.n_added, 1);
	assert_string_equal(t.added[0].interface, "wlan2");
	assert_int_equal(t.n_saved, 2);
	assert_string_equal(t.saved[1].value, "1");
	state_free(&t);
	/* A key the plan no longer has is not adopted. */
	state_init(&t, f->sock);
	state_read(&t, keys, 1);
	assert_int_equal(t.n_saved, 1);
	state_free(&t);
	state_free(&s);
}

static void test_write_never_follows_a_symlink(void **state)
{
	struct fixture *f = *state;
	char victim[128], tmpname[PATH_MAX + 8];
	struct state s;
	struct stat st;

	snprintf(victim, sizeof(victim), "%s/victim", f->dir);
	put(victim, "precious\n", 0644);
	state_init(&s, f->sock);
	assert_int_equal(symlink(victim, s.path), 0);
	/* The old fixed temporary name, planted too. */
	snprintf(tmpname, sizeof(tmpname), "%s.tmp", s.path);
	assert_int_equal(symlink(victim, tmpname), 0);
	assert_int_equal(state_save_sysctl(&s, "net.ipv4.ip_forward", "0"), 0);
	state_write(&s);
	assert_string_equal(slurp(victim), "precious\n");
	assert_int_equal(lstat(s.path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(slurp(s.path), "sysctl net.ipv4.ip_forward 0\n");
	state_remove(&s);
	assert_int_equal(lstat(s.path, &st), -1);
	assert_string_equal(slurp(victim), "precious\n");
	state_free(&s);
}

static void test_read_refuses_untrusted_files(void **state)
{
	struct fixture *f = *state;
	char real[128];
	struct state s;

	snprintf(real, sizeof(real), "%s/real", f->dir);
	put(real, "sysctl net.ipv4.ip_forward 0\n", 0600);
	state_init(&s, f->sock);
	/* A symlink, even to a good file. */
	assert_int_equal(symlink(real, s.path), 0);
	state_read(&s, keys, N_KEYS);
	assert_int_equal(s.n_saved, 0);
	assert_int_equal(unlink(s.path), 0);
	/* Writable by others. */
	put(s.path, "sysctl net.ipv4.ip_forward 0\n", 0666);
	state_read(&s, keys, N_KEYS);
	assert_int_equal(s.n_saved, 0);
	/* The same file, private: taken. */
	assert_int_equal(chmod(s.path, 0600), 0);
	state_read(&s, keys, N_KEYS);
	assert_int_equal(s.n_saved, 1);
	state_free(&s);
}

static void test_lock_one_holder(void **state)
{
	struct fixture *f = *state;
	struct state s;
	pid_t holder = -1, child;
	int status;

	state_init(&s, f->sock);
	assert_int_equal(state_lock(&s, f->dir, &holder), 0);
	assert_non_null(strstr(s.lock_path, "/netns-"));
	assert_int_equal(access(s.lock_path, F_OK), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct state t;
		pid_t h = 0;
		int err;

		state_init(&t, "/nonexistent/other.sock");
		err = state_lock(&t, f->dir, &h);
		_exit(err == -EAGAIN && h == getppid() ? 0 : 1);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Released (and its file gone) with the state. */
	state_free(&s);
	assert_int_equal(access(s.lock_path, F_OK), -1);
	state_init(&s, f->sock);
	assert_int_equal(state_lock(&s, f->dir, &holder), 0);
	state_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test_setup_teardown(test_write_read_back, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_write_never_follows_a_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_read_refuses_untrusted_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_one_holder, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
