/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (FIPS 180-4) for package member checksums.  Freestanding: no
 * libc, no allocation; the context lives wherever the caller puts it.
 */
#ifndef _KSPLICE_SHA256_H
#define _KSPLICE_SHA256_H

#include "ksplice/types.h"

#define KS_SHA256_LEN		32
#define KS_SHA256_HEX_LEN	64	/* without the NUL */
#define KS_SHA256_BLOCK		64

struct ks_sha256 {
	ks_u32 state[8];
	ks_u64 bytes;			/* message length so far */
	ks_u8 buf[KS_SHA256_BLOCK];	/* partial block */
	unsigned int buf_len;
};

/* Start a new digest. */
void ks_sha256_init(struct ks_sha256 *c);

/* Hash @len more bytes of the message. */
void ks_sha256_update(struct ks_sha256 *c, const void *data, ks_size len);

/* Pad, store the digest in @out; @c must be re-initialised before reuse. */
void ks_sha256_final(struct ks_sha256 *c, ks_u8 out[KS_SHA256_LEN]);

/* One-shot digest of @len bytes at @data. */
void ks_sha256(const void *data, ks_size len, ks_u8 out[KS_SHA256_LEN]);

/* Lowercase hex of a digest, NUL-terminated: @out holds 65 bytes. */
void ks_sha256_hex(const ks_u8 digest[KS_SHA256_LEN],
		   char out[KS_SHA256_HEX_LEN + 1]);

#endif /* _KSPLICE_SHA256_H */
