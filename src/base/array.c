// SPDX-License-Identifier: MIT
/*
 * array.c - the one growth policy for ecmpd's arrays: double when full, so
 * n appends cost O(n) copies in all.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/array.h"

int array_grow(void *arrp, size_t *cap, size_t n, size_t size)
{
	void **arr = arrp;
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap < *cap || ncap > SIZE_MAX / size)
		return -ENOMEM;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}
