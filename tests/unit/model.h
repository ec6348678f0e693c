/* SPDX-License-Identifier: MIT */
/*
 * model.h - what the planner's unit tests share to build a config by hand
 * (test_plan.c, test_plan_rules.c, test_plan_resolve.c, test_ruleset.c).
 * Include after cmocka.h: a failed step fails the test.
 */
#ifndef ECMPD_TEST_MODEL_H
#define ECMPD_TEST_MODEL_H

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An IPv4 address in host order, from its text. */
static inline uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

/* v (n entries of size bytes) grown by one zeroed entry. */
static inline void *grow(void *v, size_t n, size_t size)
{
	char *p = realloc(v, (n + 1) * size);

	assert_non_null(p);
	memset(p + n * size, 0, size);
	return p;
}

#endif
