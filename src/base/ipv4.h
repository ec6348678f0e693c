/* SPDX-License-Identifier: MIT */
/*
 * ipv4.h - IPv4 addresses as ecmpd's model keeps them: host byte order in a
 * uint32_t. One copy of the formatting and masking every layer needs.
 */
#ifndef ECMPD_IPV4_H
#define ECMPD_IPV4_H

#include <arpa/inet.h>
#include <stdint.h>

/* Room for any dotted quad with its NUL: "255.255.255.255". */
#define IPV4_STR_MAX INET_ADDRSTRLEN

/* Writes addr (host byte order) as a dotted quad into buf; returns buf. */
const char *ipv4_str(uint32_t addr, char buf[IPV4_STR_MAX]);

/* The netmask of a prefix length 0..32, in host byte order. */
static inline uint32_t ipv4_mask(unsigned len)
{
	return len ? ~0u << (32 - len) : 0;
}

#endif
