/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Package signatures (docs/ARCHITECTURE.md, "Package format"): a
 * detached CMS SignedData in DER over the manifest's exact bytes, stored
 * as ksplice-<id>/manifest.sig.  Since the manifest holds every member's
 * SHA-256, it authenticates the whole package.  OpenSSL's libcrypto does
 * the work; functions return 0 or a negative KS_ERR_* with one line in
 * @msg, as pkgfile.h's do.
 */
#ifndef _KSPLICE_SIGNATURE_H
#define _KSPLICE_SIGNATURE_H

#include <stddef.h>

/* Where ksplice-apply looks for trusted certificates by default. */
#define KS_TRUST_DIR		"/etc/ksplice/trusted.d"
/* Largest manifest.sig accepted (a few certificates at most). */
#define KS_SIG_MAX		(64 << 10)

struct ks_signer;

/*
 * Load a private key and its X.509 certificate (PEM, or DER for the
 * certificate; both may be the same file, as the kernel's
 * signing_key.pem is) and check that they belong together.
 */
int ks_signer_load(struct ks_signer **s, const char *key, const char *cert,
		   char *msg, size_t msg_len);
void ks_signer_free(struct ks_signer *s);

/* Sign @len bytes: *@sig is a malloc'd DER CMS of *@sig_len bytes. */
int ks_sign(const struct ks_signer *s, const void *data, size_t len,
	    unsigned char **sig, size_t *sig_len, char *msg, size_t msg_len);

/*
 * Verify @sig (NULL: none) over @len bytes at @data against every
 * certificate in @trust_dir (PEM files, one or more certificates each, or
 * DER; a certificate there is a trust anchor as is).  The directory and
 * each file must belong to root or to the caller and be writable by
 * nobody else, or they are left out.  Returns 0, with the
 * signer's subject in @signer (control characters escaped), or
 * KS_ERR_UNSIGNED, KS_ERR_SIGNATURE (malformed, or not over these bytes),
 * KS_ERR_UNTRUSTED (valid, but no certificate in @trust_dir vouches for
 * it, or there is none), KS_ERR_NOMEM.
 */
int ks_sig_verify(const void *data, size_t len, const void *sig,
		  size_t sig_len, const char *trust_dir, char *signer,
		  size_t signer_len, char *msg, size_t msg_len);

#endif /* _KSPLICE_SIGNATURE_H */
