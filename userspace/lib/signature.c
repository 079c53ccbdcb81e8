// SPDX-License-Identifier: GPL-2.0
/*
 * Package signatures: sign a manifest with a key and certificate, verify
 * one against the trusted certificates of a directory (signature.h).
 * The signature is CMS, the format the kernel's own sign-file writes for
 * modules, so one key pair and one enrolled certificate serve both.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "ksplice/error.h"
#include "signature.h"

struct ks_signer {
	EVP_PKEY *key;
	X509 *cert;
};

static int __attribute__((format(printf, 4, 5)))
fail(char *msg, size_t msg_len, int err, const char *fmt, ...)
{
	va_list ap;

	if (msg && msg_len) {
		va_start(ap, fmt);
		vsnprintf(msg, msg_len, fmt, ap);
		va_end(ap);
	}
	ERR_clear_error();
	return err;
}

/* OpenSSL's last reason, for a message: "bad decrypt" and the like. */
static const char *ssl_reason(void)
{
	static char buf[256];
	unsigned long e = ERR_peek_last_error();

	if (!e)
		return "no detail";
	ERR_error_string_n(e, buf, sizeof(buf));
	return buf;
}

static X509 *read_cert(const char *path)
{
	BIO *b = BIO_new_file(path, "rb");
	X509 *x;

	if (!b)
		return NULL;
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (!x && BIO_reset(b) == 0)
		x = d2i_X509_bio(b, NULL);
	BIO_free(b);
	return x;
}

int ks_signer_load(struct ks_signer **sp, const char *key, const char *cert,
		   char *msg, size_t msg_len)
{
	struct ks_signer *s = calloc(1, sizeof(*s));
	BIO *b;

	*sp = NULL;
	if (!s)
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	b = BIO_new_file(key, "rb");
	if (b) {
		s->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	if (!s->key) {
		fail(msg, msg_len, KS_ERR_IO,
		     "%s: cannot read a PEM private key (%s)", key,
		     ssl_reason());
		goto out;
	}
	s->cert = read_cert(cert);
	if (!s->cert) {
		fail(msg, msg_len, KS_ERR_IO,
		     "%s: cannot read an X.509 certificate (%s)", cert,
		     ssl_reason());
		goto out;
	}
	if (X509_check_private_key(s->cert, s->key) != 1) {
		fail(msg, msg_len, KS_ERR_SIGNATURE,
		     "%s is not the certificate of the key %s", cert, key);
		goto out;
	}
	*sp = s;
	return 0;
out:
	ks_signer_free(s);
	return KS_ERR_IO;
}

void ks_signer_free(struct ks_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	free(s);
}

int ks_sign(const struct ks_signer *s, const void *data, size_t len,
	    unsigned char **sig, size_t *sig_len, char *msg, size_t msg_len)
{
	BIO *in = BIO_new_mem_buf(data, (int)len);
	CMS_ContentInfo *cms = NULL;
	unsigned char *der = NULL;
	int n = -1;

	*sig = NULL;
	*sig_len = 0;
	if (in)
		cms = CMS_sign(s->cert, s->key, NULL, in, CMS_DETACHED |
			       CMS_BINARY | CMS_NOSMIMECAP);
	if (cms)
		n = i2d_CMS_ContentInfo(cms, &der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	if (n <= 0)
		return fail(msg, msg_len, KS_ERR_SIGNATURE,
			    "cannot sign the manifest (%s)", ssl_reason());
	/* OpenSSL's allocation, copied so that callers can free() it. */
	*sig = malloc(n);
	if (*sig) {
		memcpy(*sig, der, n);
		*sig_len = n;
	}
	OPENSSL_free(der);
	return *sig ? 0 : fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
}

/* Add every certificate of @path (PEM, several allowed; or one DER). */
static int add_file(X509_STORE *st, const char *path)
{
	BIO *b = BIO_new_file(path, "rb");
	int added = 0;
	X509 *x;

	if (!b)
		return 0;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		added += X509_STORE_add_cert(st, x) == 1;
		X509_free(x);
	}
	if (!added && BIO_reset(b) == 0 && (x = d2i_X509_bio(b, NULL))) {
		added += X509_STORE_add_cert(st, x) == 1;
		X509_free(x);
	}
	BIO_free(b);
	ERR_clear_error();
	return added;
}

/*
 * Only its owner may change what is trusted: root (or whoever runs us),
 * and nobody through group or other write permission.
 */
static int safe_owner(const struct stat *sb)
{
	return (sb->st_uid == 0 || sb->st_uid == geteuid()) &&
	       !(sb->st_mode & (S_IWGRP | S_IWOTH));
}

/*
 * The trust store: every regular file of @dir that is safe_owner's, in a
 * directory that is; how many certificates.
 */
static int load_trust(X509_STORE *st, const char *dir)
{
	char path[4096];
	struct dirent *de;
	struct stat sb;
	int added = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	if (fstat(dirfd(d), &sb) || !safe_owner(&sb)) {
		closedir(d);
		return 0;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || stat(path, &sb) ||
		    !S_ISREG(sb.st_mode) || !safe_owner(&sb))
			continue;
		added += add_file(st, path);
	}
	closedir(d);
	return added;
}

/* The signer's subject, one line, control characters escaped. */
static void signer_name(CMS_ContentInfo *cms, char *out, size_t out_len)
{
	STACK_OF(X509) *signers = CMS_get0_signers(cms);
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	if (!out_len)
		goto done;
	snprintf(out, out_len, "an unknown signer");
	if (!b || !signers || sk_X509_num(signers) < 1)
		goto done;
	X509_NAME_print_ex(b, X509_get_subject_name(sk_X509_value(signers, 0)),
			   0, (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) |
			   ASN1_STRFLGS_ESC_CTRL);
	n = BIO_get_mem_data(b, &p);
	if (n > 0)
		snprintf(out, out_len, "%.*s", (int)n, p);
done:
	sk_X509_free(signers);
	BIO_free(b);
}

/* Does @cms sign these bytes at all, trust aside (its own certificate)? */
static int sig_matches(CMS_ContentInfo *cms, const void *data, size_t len)
{
	BIO *in = BIO_new_mem_buf(data, (int)len);
	int ok = in && CMS_verify(cms, NULL, NULL, in, NULL, CMS_BINARY |
				  CMS_NO_SIGNER_CERT_VERIFY) == 1;

	BIO_free(in);
	return ok;
}

/* The same with the signer's certificate checked against @st. */
static int sig_trusted(CMS_ContentInfo *cms, X509_STORE *st,
		       const void *data, size_t len)
{
	BIO *in = BIO_new_mem_buf(data, (int)len);
	int ok = in && CMS_verify(cms, NULL, st, in, NULL, CMS_BINARY) == 1;

	BIO_free(in);
	return ok;
}

int ks_sig_verify(const void *data, size_t len, const void *sig,
		  size_t sig_len, const char *trust_dir, char *signer,
		  size_t signer_len, char *msg, size_t msg_len)
{
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	X509_STORE *st = NULL;
	char who[512] = "";
	bool trusted;
	int err = 0;

	if (signer && signer_len)
		signer[0] = '\0';
	if (!sig)
		return fail(msg, msg_len, KS_ERR_UNSIGNED,
			    "package is not signed (no manifest.sig)");
	if (sig_len > KS_SIG_MAX || len > INT32_MAX)
		return fail(msg, msg_len, KS_ERR_SIGNATURE,
			    "manifest.sig is too large (limit %d bytes)",
			    KS_SIG_MAX);
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
	if (!cms || p != (const unsigned char *)sig + sig_len ||
	    OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		err = fail(msg, msg_len, KS_ERR_SIGNATURE,
			   "manifest.sig is not a DER CMS signature");
		goto out;
	}
	st = X509_STORE_new();
	if (!st) {
		err = fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
		goto out;
	}
	/*
	 * A certificate in the directory is trusted as is (no root needed),
	 * for any purpose (module signing keys say codeSigning), and, like
	 * the kernel's module signature check, without validity dates: an
	 * update stays applicable after its certificate's end date.
	 */
	X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN |
			     X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_set_purpose(st, X509_PURPOSE_ANY);
	trusted = load_trust(st, trust_dir);
	/*
	 * One verification when all is well (it costs most of an apply under
	 * emulation); a second only to say what is wrong.  The signer is
	 * known once a verification has read the CMS.
	 */
	if (trusted && sig_trusted(cms, st, data, len)) {
		signer_name(cms, who, sizeof(who));
		if (signer && signer_len)
			snprintf(signer, signer_len, "%s", who);
	} else if (!sig_matches(cms, data, len)) {
		err = fail(msg, msg_len, KS_ERR_SIGNATURE,
			   "manifest.sig does not match the manifest (%s)",
			   ssl_reason());
	} else {
		signer_name(cms, who, sizeof(who));
		err = fail(msg, msg_len, KS_ERR_UNTRUSTED, trusted ?
			   "signed by %s, which no certificate in %s vouches for" :
			   "signed by %s, but %s holds no certificate to trust",
			   who, trust_dir);
	}
out:
	X509_STORE_free(st);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return err;
}
