// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the header reader (create/hdrparse.c, hdrasm.c,
 * headers.c): the input is a header before and after a patch, split at
 * the first NUL byte, compared as ksplice-create compares them.  The
 * texts come from a patch and a source tree, so they may be anything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../create/headers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *pre = malloc(n + 1), *post;
	size_t m = nul ? size - n - 1 : 0;
	struct hdr_diff d;

	post = malloc(m + 1);
	if (!pre || !post)
		abort();
	memcpy(pre, data, n);
	pre[n] = '\0';
	if (m)
		memcpy(post, nul + 1, m);
	post[m] = '\0';
	hdr_diff(pre, post, &d);
	hdr_diff_free(&d);
	free(pre);
	free(post);
	return 0;
}
