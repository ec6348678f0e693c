/* SPDX-License-Identifier: MIT */
/*
 * array.h - growable arrays: the caller keeps the pointer, the count and
 * the capacity; array_grow() makes room for one more element.
 */
#ifndef ECMPD_ARRAY_H
#define ECMPD_ARRAY_H

#include <stddef.h>

/*
 * Makes room for element n of an array of elements of size bytes at *arrp
 * (a pointer to the array pointer) with capacity *cap, doubling it (from 8)
 * when full. Returns 0, or -ENOMEM with the array and *cap unchanged.
 */
int array_grow(void *arrp, size_t *cap, size_t n, size_t size)
	__attribute__((warn_unused_result));

#endif
