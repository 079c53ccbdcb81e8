// SPDX-License-Identifier: GPL-2.0
/* Sorted address ranges for the stack check; see ksplice/range.h. */
#include "ksplice/range.h"

/*
 * Insertion sort (n is small: the functions of one update; no allocation),
 * then merge ranges that overlap, so that a search needs one candidate.
 * A merged range keeps the owner of its first part.
 */
unsigned int ks_ranges_sort(struct ks_range *r, unsigned int n)
{
	unsigned int i, j, out;

	for (i = 1; i < n; i++) {
		struct ks_range cur = r[i];

		for (j = i; j > 0 && r[j - 1].start > cur.start; j--)
			r[j] = r[j - 1];
		r[j] = cur;
	}
	if (n == 0)
		return 0;
	for (out = 0, i = 1; i < n; i++) {
		if (r[i].start <= r[out].end) {
			if (r[i].end > r[out].end)
				r[out].end = r[i].end;
		} else {
			r[++out] = r[i];
		}
	}
	return out + 1;
}

const struct ks_range *ks_ranges_find(const struct ks_range *r, unsigned int n,
				      ks_u64 addr)
{
	unsigned int lo = 0, hi = n;

	/* Last range with start <= addr: after the merge it is the only
	 * candidate. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (r[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && addr <= r[lo - 1].end)
		return r + lo - 1;
	return 0;
}
