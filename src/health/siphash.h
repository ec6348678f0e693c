/* SPDX-License-Identifier: MIT */
/*
 * siphash.h - SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed hash,
 * short-input PRF with a 128-bit key and a 64-bit tag. The probes use it
 * to sign what they send (probe.h), so a reply can only be made by one
 * who saw the request it answers.
 */
#ifndef ECMPD_SIPHASH_H
#define ECMPD_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_LEN 16

/* SipHash-2-4 of data[0..len) under key, as the reference returns it. */
uint64_t siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *data,
		   size_t len);

#endif
