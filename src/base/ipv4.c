// SPDX-License-Identifier: MIT
/*
 * ipv4.c - IPv4 text. inet_ntop() cannot fail for AF_INET with a buffer of
 * INET_ADDRSTRLEN, so the result is always a terminated string.
 */
#include "base/ipv4.h"

const char *ipv4_str(uint32_t addr, char buf[IPV4_STR_MAX])
{
	struct in_addr a = { .s_addr = htonl(addr) };

	return inet_ntop(AF_INET, &a, buf, IPV4_STR_MAX);
}
