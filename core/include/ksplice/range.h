/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address ranges of code that no task may be executing: the stack check
 * compares every word of every stack against a sorted set of them.
 */
#ifndef _KSPLICE_RANGE_H
#define _KSPLICE_RANGE_H

#include "ksplice/types.h"

struct ks_range {
	ks_u64 start;
	ks_u64 end;	/* last address inside, inclusive (see below) */
	unsigned int owner;	/* index of the function it belongs to */
};

/*
 * Sort @r by start and merge overlapping ranges, in place and without
 * allocation; returns the count kept.
 */
unsigned int ks_ranges_sort(struct ks_range *r, unsigned int n);

/*
 * A function's range ends at start + size - 1, or at start + size when a
 * call ends the function: the return address of a noreturn call there
 * equals start + size, and the task is still inside (ks_call_ends_at).
 *
 * Binary search in ranges prepared by ks_ranges_sort: the range with
 * start <= addr <= end, or NULL.
 */
const struct ks_range *ks_ranges_find(const struct ks_range *r, unsigned int n,
				      ks_u64 addr);

#endif /* _KSPLICE_RANGE_H */
