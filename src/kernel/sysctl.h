/* SPDX-License-Identifier: MIT */
/*
 * sysctl.h - reading and writing sysctls by their dotted names
 * ("net.ipv4.ip_forward" is /proc/sys/net/ipv4/ip_forward).
 */
#ifndef ECMPD_SYSCTL_H
#define ECMPD_SYSCTL_H

#include <stddef.h>

/*
 * Reads key into value (at most len bytes with the NUL, trailing newline
 * removed). Interface names with dots work in net.ipv{4,6}.conf/neigh keys
 * ("net.ipv4.conf.eth0.100.rp_filter"); a key may also be written with
 * slashes. Returns 0, -EINVAL for a malformed key, -ENOSPC when value is
 * too small, or the -errno of opening or reading the file.
 */
int sysctl_read(const char *key, char *value, size_t len)
	__attribute__((warn_unused_result));

/*
 * Writes value to key, logging a failure with the key and value. Returns 0
 * or -errno.
 */
int sysctl_write(const char *key, const char *value)
	__attribute__((warn_unused_result));

#endif
