// SPDX-License-Identifier: GPL-2.0
/* Sorted address ranges for the stack check; see ksplice/range.h. */
#include "ksplice/range.h"

/* Insertion sort: n is small (functions of one update) and no allocation. */
unsigned int ks_ranges_sort(struct ks_range *r, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		struct ks_range cur = r[i];

		for (j = i; j > 0 && r[j - 1].start > cur.start; j--)
			r[j] = r[j - 1];
		r[j] = cur;
	}
	return n;
}

const struct ks_range *ks_ranges_find(const struct ks_range *r, unsigned int n,
				      ks_u64 addr)
{
	unsigned int lo = 0, hi = n;

	/* Last range with start <= addr; ranges never overlap (distinct
	 * functions), so it is the only candidate. */
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
