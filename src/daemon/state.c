// SPDX-License-Identifier: MIT
/*
 * state.c - the state file: one line per thing to undo,
 *
 *   address IFNAME ADDR LEN BROADCAST
 *   sysctl KEY VALUE
 *
 * written to a temporary file and renamed over the old one, so a crash
 * never leaves half a file. The in-memory lists are the truth while the
 * daemon runs; the file is their copy for the next run.
 *
 * The instance lock lives here too: the state file and the kernel state
 * it describes belong to one process at a time, and whoever does not hold
 * the lock must not read the one or touch the other. It is an fcntl()
 * record lock rather than flock() so that a refused process can name the
 * holder (F_GETLK); a stopping holder unlinks the file while it still
 * holds it, so a process that locked the unlinked file checks that its
 * file is still the one at the path and tries again otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ipv4.h"
#include "base/log.h"
#include "daemon/state.h"

void state_init(struct state *s, const char *socket_path)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s.state", socket_path);
	s->lock_fd = -1;
}

/* The pid holding fd's file's write lock, or 0. */
static pid_t lock_holder(int fd)
{
	struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (fcntl(fd, F_GETLK, &q) < 0 || q.l_type == F_UNLCK)
		return 0;
	return q.l_pid > 0 ? q.l_pid : 0;
}

/* Whether fd is still the file at path (not unlinked by a stopping one). */
static bool lock_file_current(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int state_lock(struct state *s, const char *dir, pid_t *holder)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat ns;
	char pid[32];
	int fd, err, len;

	*holder = 0;
	if (stat("/proc/self/ns/net", &ns) < 0)
		return -errno;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	len = snprintf(s->lock_path, sizeof(s->lock_path), "%s/netns-%llu.lock",
		       dir, (unsigned long long)ns.st_ino);
	if (len < 0 || (size_t)len >= sizeof(s->lock_path))
		return -ENAMETOOLONG;
	for (int tries = 0; tries < 10; tries++) {
		fd = open(s->lock_path,
			  O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		if (fcntl(fd, F_SETLK, &fl) < 0) {
			err = errno == EACCES || errno == EAGAIN ? -EAGAIN :
								   -errno;
			if (err == -EAGAIN)
				*holder = lock_holder(fd);
			close(fd);
			return err;
		}
		if (!lock_file_current(fd, s->lock_path)) {
			close(fd);
			continue;
		}
		/* For people: the lock, not this text, is what counts. */
		len = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
		if (ftruncate(fd, 0) < 0 || write(fd, pid, (size_t)len) != len)
			log_debug("writing the pid into %s: %s", s->lock_path,
				  strerror(errno));
		s->lock_fd = fd;
		return 0;
	}
	return -EAGAIN;
}

/* Releases the lock; the file goes first, while it is still held. */
static void state_unlock(struct state *s)
{
	if (s->lock_fd < 0)
		return;
	if (lock_file_current(s->lock_fd, s->lock_path))
		unlink(s->lock_path);
	close(s->lock_fd);
	s->lock_fd = -1;
}

void state_free(struct state *s)
{
	state_unlock(s);
	free(s->added);
	free(s->saved);
	s->added = NULL;
	s->saved = NULL;
	s->n_added = s->n_saved = 0;
}

/*
 * A new file beside the state file, created (O_EXCL) rather than opened, so
 * that no symlink planted at a fixed temporary name is ever followed.
 */
static FILE *temp_create(const struct state *s, char *tmp, size_t size)
{
	FILE *f;
	int fd;

	if (snprintf(tmp, size, "%s.XXXXXX", s->path) >= (int)size) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		unlink(tmp);
		close(fd);
	}
	return f;
}

void state_write(const struct state *s)
{
	char tmp[PATH_MAX + 8];
	char a[IPV4_STR_MAX], b[IPV4_STR_MAX];
	FILE *f;

	f = temp_create(s, tmp, sizeof(tmp));
	if (!f) {
		log_warn("cannot write %s: %s", s->path, strerror(errno));
		return;
	}
	for (size_t i = 0; i < s->n_added; i++) {
		const struct plan_address *pa = &s->added[i];

		fprintf(f, "address %s %s %u %s\n", pa->interface,
			ipv4_str(pa->addr, a), pa->len,
			ipv4_str(pa->broadcast, b));
	}
	for (size_t i = 0; i < s->n_saved; i++)
		fprintf(f, "sysctl %s %s\n", s->saved[i].key,
			s->saved[i].value);
	/* rename() replaces a symlink at the path, never its target. */
	if (fclose(f) != 0 || rename(tmp, s->path) != 0) {
		log_warn("cannot write %s: %s", s->path, strerror(errno));
		unlink(tmp);
	}
}

void state_remove(const struct state *s)
{
	unlink(s->path);
}

int state_add_address(struct state *s, const struct plan_address *pa)
{
	struct plan_address *n;

	for (size_t i = 0; i < s->n_added; i++)
		if (!strcmp(s->added[i].interface, pa->interface) &&
		    s->added[i].addr == pa->addr && s->added[i].len == pa->len)
			return 0;
	n = realloc(s->added, (s->n_added + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	s->added = n;
	s->added[s->n_added++] = *pa;
	return 0;
}

bool state_has_sysctl(const struct state *s, const char *key)
{
	for (size_t i = 0; i < s->n_saved; i++)
		if (!strcmp(s->saved[i].key, key))
			return true;
	return false;
}

int state_save_sysctl(struct state *s, const char *key, const char *value)
{
	struct saved_sysctl *n =
		realloc(s->saved, (s->n_saved + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	s->saved = n;
	memset(&s->saved[s->n_saved], 0, sizeof(*n));
	snprintf(s->saved[s->n_saved].key, sizeof(n->key), "%s", key);
	snprintf(s->saved[s->n_saved].value, sizeof(n->value), "%s", value);
	s->n_saved++;
	return 0;
}

/* Parses "address IFNAME ADDR LEN BROADCAST"; false when malformed. */
static bool parse_address(const char *line, struct plan_address *pa)
{
	char ifname[96], addr[96], bcast[96];
	unsigned len;
	struct in_addr a, b;

	if (sscanf(line, "address %95s %95s %u %95s", ifname, addr, &len,
		   bcast) != 4 ||
	    strlen(ifname) >= sizeof(pa->interface) ||
	    inet_pton(AF_INET, addr, &a) != 1 ||
	    inet_pton(AF_INET, bcast, &b) != 1 || len > 32)
		return false;
	memset(pa, 0, sizeof(*pa));
	strcpy(pa->interface, ifname);
	pa->addr = ntohl(a.s_addr);
	pa->len = (uint8_t)len;
	pa->broadcast = ntohl(b.s_addr);
	return true;
}

/* Whether key is one of the n keys ecmpd writes. */
static bool key_known(const char *key, const struct plan_sysctl *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i].key, key))
			return true;
	return false;
}

/* A sysctl value as ecmpd reads them: an integer, nothing else. */
static bool value_ok(const char *v)
{
	size_t len = strlen(v), i = v[0] == '-';

	if (len == i || len > 20)
		return false;
	for (; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

int state_parse_line(struct state *s, const char *line,
		     const struct plan_sysctl *keys, size_t n_keys)
{
	char key[96], value[96], rest[2];
	struct plan_address pa;

	if (parse_address(line, &pa))
		return state_add_address(s, &pa) < 0 ? -ENOMEM : 1;
	if (sscanf(line, "sysctl %95s %95s %1s", key, value, rest) != 2 ||
	    !key_known(key, keys, n_keys) || !value_ok(value) ||
	    state_has_sysctl(s, key))
		return 0;
	return state_save_sysctl(s, key, value) < 0 ? -ENOMEM : 1;
}

/*
 * Opens the state file for reading if it can be trusted: not a symlink, a
 * regular file owned by root or by this process's user, writable by
 * nobody else. NULL (logged unless missing) otherwise.
 */
static FILE *state_open(const struct state *s)
{
	struct stat st;
	FILE *f;
	int fd;

	fd = open(s->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			log_error("state file %s: %s; not adopted", s->path,
				  errno == ELOOP ? "a symlink" :
						   strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022)) {
		log_error("state file %s: not a regular file of root's that "
			  "only root can write; not adopted",
			  s->path);
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

void state_read(struct state *s, const struct plan_sysctl *keys, size_t n_keys)
{
	char line[256];
	unsigned skipped = 0;
	FILE *f = state_open(s);
	int r;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		r = state_parse_line(s, line, keys, n_keys);
		if (r < 0)
			break;
		skipped += r == 0;
	}
	fclose(f);
	if (skipped)
		log_warn("state file %s: %u lines skipped (not an address or a "
			 "sysctl ecmpd sets)",
			 s->path, skipped);
	if (s->n_added || s->n_saved)
		log_info("adopted state of a previous run: %zu addresses, "
			 "%zu sysctls to restore at stop",
			 s->n_added, s->n_saved);
}
