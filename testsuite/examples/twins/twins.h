/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A static helper in a header: each file that includes it gets its own
 * copy, named twin_step in both, with the same code, as gcc makes of a
 * header's inline (zero_user_segments.constprop.0 in ext4).  A file may
 * set TWIN_BIAS before including it.
 */
#ifndef TWIN_BIAS
#define TWIN_BIAS 1
#endif

static noinline __attribute__((__noipa__)) int twin_step(int x)
{
	return x * 10 + TWIN_BIAS;
}
