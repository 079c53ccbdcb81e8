// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the manifest parser (src/manifest.c): every update
 * package's manifest passes through it before anything is loaded, and a
 * package may come from anywhere.  Any input must parse or be refused
 * without a memory error; what parses must pass ks_manifest_check, write
 * back out, and parse again to the same text.
 *
 *   make -C core fuzz-run FUZZ_TIME=120
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ksplice/manifest.h>

static struct ks_manifest m, again;
static char text[1 << 20], text2[1 << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[KS_MSG_LEN];
	ks_size len, len2;

	ks_manifest_init(&m);
	if (ks_manifest_parse(&m, (const char *)data, size, msg, sizeof(msg)))
		return 0;
	if (ks_manifest_check(&m, msg, sizeof(msg)))
		abort();	/* parsed, yet the checker refuses it */
	if (ks_manifest_write(&m, text, sizeof(text), &len, msg, sizeof(msg)))
		abort();
	ks_manifest_init(&again);
	if (ks_manifest_parse(&again, text, len, msg, sizeof(msg)) ||
	    ks_manifest_write(&again, text2, sizeof(text2), &len2, msg,
			      sizeof(msg)) ||
	    len != len2 || memcmp(text, text2, len))
		abort();	/* what it writes does not read back */
	return 0;
}
