// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-256 for core/'s package checks (ksplice/sha256.h), from OpenSSL's
 * libcrypto: the tools rely on a maintained, audited hash rather than
 * one of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>

#include "ksplice/sha256.h"

void ks_sha256(const void *data, ks_size len, ks_u8 out[KS_SHA256_LEN])
{
	unsigned int n = 0;

	/* Fails only when libcrypto cannot allocate: nothing to go on. */
	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) ||
	    n != KS_SHA256_LEN) {
		fputs("ksplice: SHA-256 failed (libcrypto)\n", stderr);
		abort();
	}
}

void ks_sha256_hex(const ks_u8 digest[KS_SHA256_LEN],
		   char out[KS_SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < KS_SHA256_LEN; i++) {
		out[2 * i] = digits[digest[i] >> 4];
		out[2 * i + 1] = digits[digest[i] & 15];
	}
	out[KS_SHA256_HEX_LEN] = '\0';
}
