// SPDX-License-Identifier: MIT
/*
 * sysctl.c - sysctls through /proc/sys.
 *
 * A dotted key maps to a path by turning dots into slashes, except that
 * the interface name in net.ipv4.conf.<if>.<name> (and ipv6, and neigh)
 * may itself hold dots (VLANs: eth0.100), so for those prefixes everything
 * between the prefix and the last dot is kept as one component, as
 * sysctl(8) would need "/" to express. A key already written with slashes
 * is taken as it is. Keys are checked so that no path can leave
 * /proc/sys. The values ecmpd writes live in the network namespace
 * (kernel-facts 19).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "kernel/sysctl.h"

#define SYSCTL_ROOT "/proc/sys/"

static const char *const if_prefixes[] = {
	"net.ipv4.conf.",
	"net.ipv6.conf.",
	"net.ipv4.neigh.",
	"net.ipv6.neigh.",
};

/* Whether every component between slashes is a plain name. */
static bool path_safe(const char *rel)
{
	const char *c = rel;

	if (!*rel || *rel == '/')
		return false;
	while (*c) {
		const char *end = strchrnul(c, '/');
		size_t n = (size_t)(end - c);

		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!*end)
			break;
		c = end + 1;
	}
	return c[0] != '\0';
}

static int key_path(const char *key, char *path, size_t len)
{
	char rel[256];
	size_t n = strlen(key);

	if (n == 0 || n >= sizeof(rel) || strlen(SYSCTL_ROOT) + n >= len)
		return -EINVAL;
	memcpy(rel, key, n + 1);
	if (!strchr(key, '/')) {
		size_t keep_from = 0, keep_to = 0;

		for (size_t i = 0;
		     i < sizeof(if_prefixes) / sizeof(*if_prefixes); i++) {
			size_t pl = strlen(if_prefixes[i]);
			const char *last = strrchr(key, '.');

			if (strncmp(key, if_prefixes[i], pl) == 0 &&
			    last > key + pl) {
				keep_from = pl;
				keep_to = (size_t)(last - key);
			}
		}
		for (size_t i = 0; i < n; i++)
			if (rel[i] == '.' && (i < keep_from || i >= keep_to))
				rel[i] = '/';
	}
	if (!path_safe(rel))
		return -EINVAL;
	snprintf(path, len, SYSCTL_ROOT "%s", rel);
	return 0;
}

int sysctl_read(const char *key, char *value, size_t len)
{
	char path[300];
	ssize_t n;
	int fd, err;

	if (len == 0)
		return -ENOSPC;
	err = key_path(key, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, value, len);
	while (n < 0 && errno == EINTR);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	/* A full buffer may mean a cut value: refuse rather than guess. */
	if ((size_t)n >= len)
		return -ENOSPC;
	value[n] = '\0';
	while (n > 0 && (value[n - 1] == '\n' || value[n - 1] == ' '))
		value[--n] = '\0';
	return 0;
}

int sysctl_write(const char *key, const char *value)
{
	char path[300];
	size_t len = strlen(value);
	ssize_t n;
	int fd, err;

	err = key_path(key, path, sizeof(path));
	if (err) {
		log_error("setting sysctl %s=%s: malformed key", key, value);
		return err;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out_log;
	}
	/* procfs takes the value in one write; a short write is an error. */
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err)
		return 0;
out_log:
	log_error("setting sysctl %s=%s: %s", key, value, strerror(-err));
	return err;
}
