/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 for package member checksums.  core/ declares it and does not
 * implement it: the tools link OpenSSL's (userspace/lib/sha256.c), so
 * that no hash of our own is in use.  ksplice.ko does not check packages.
 */
#ifndef _KSPLICE_SHA256_H
#define _KSPLICE_SHA256_H

#include "ksplice/types.h"

#define KS_SHA256_LEN		32
#define KS_SHA256_HEX_LEN	64	/* without the NUL */

/* One-shot digest of @len bytes at @data. */
void ks_sha256(const void *data, ks_size len, ks_u8 out[KS_SHA256_LEN]);

/* Lowercase hex of a digest, NUL-terminated: @out holds 65 bytes. */
void ks_sha256_hex(const ks_u8 digest[KS_SHA256_LEN],
		   char out[KS_SHA256_HEX_LEN + 1]);

#endif /* _KSPLICE_SHA256_H */
