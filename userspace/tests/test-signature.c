// SPDX-License-Identifier: GPL-2.0
/*
 * Package signatures (lib/signature.c): a good signature, an unsigned
 * package, a wrong key, a tampered manifest, a tampered member, and
 * fuzzed signatures: truncated, trailing or random bytes never verify;
 * flipped bytes never crash nor make another manifest verify.  Keys and self-signed certificates are made here with
 * libcrypto, so the test needs no openssl command.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pkgfile.h"
#include "signature.h"

static char msg[KS_MSG_LEN + 512];
static char dir[64], trusted[96], empty[96];
static char key_a[96], cert_a[96], key_b[96], cert_b[96];
static struct ks_manifest *m;

/* A P-256 key and a self-signed certificate "CN=@cn" in two PEM files. */
static void make_key(const char *cn, const char *key, const char *cert)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	FILE *f;

	ck_assert_ptr_nonnull(k);
	ck_assert_ptr_nonnull(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	ck_assert_int_gt(X509_sign(x, k, EVP_sha256()), 0);
	f = fopen(key, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL,
					      NULL), 1);
	fclose(f);
	f = fopen(cert, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_X509(f, x), 1);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void setup(void)
{
	char cmd[256];

	strcpy(dir, "/tmp/test-signature.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(trusted, sizeof(trusted), "%s/trusted.d", dir);
	snprintf(empty, sizeof(empty), "%s/empty.d", dir);
	snprintf(key_a, sizeof(key_a), "%s/a.key", dir);
	snprintf(cert_a, sizeof(cert_a), "%s/trusted.d/a.pem", dir);
	snprintf(key_b, sizeof(key_b), "%s/b.key", dir);
	snprintf(cert_b, sizeof(cert_b), "%s/b.pem", dir);
	snprintf(cmd, sizeof(cmd), "mkdir %s %s", trusted, empty);
	ck_assert_int_eq(system(cmd), 0);
	make_key("ksplice test key A", key_a, cert_a);
	make_key("ksplice test key B", key_b, cert_b);
	m = malloc(sizeof(*m));
	ck_assert_ptr_nonnull(m);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(m);
}

static const char ko[] = "\177ELF pretend update module";
static const char evil[] = "\177ELF another module, same size";

/* Package t1 with @data as its module, signed with @key/@cert if given. */
static void build(const char *data, size_t size, const char *key,
		  const char *cert, struct ks_pkgfile *p)
{
	struct ks_pkg_input in = { "ksplice-t1/update.ko", data, size };
	struct ks_signer *s = NULL;
	unsigned char *gz;
	size_t len;

	ks_manifest_init(m);
	ck_assert_int_eq(ks_manifest_set_id(m, "t1", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_description(m, "test", msg,
						     sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_kernel_release(m, "6.1.0-56-amd64",
							msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_module(m, in.path, msg,
						sizeof(msg)), 0);
	if (key)
		ck_assert_msg(ks_signer_load(&s, key, cert, msg,
					     sizeof(msg)) == 0, "%s", msg);
	ck_assert_msg(ks_pkgfile_build_signed(m, &in, 1, s, &gz, &len, msg,
					      sizeof(msg)) == 0, "%s", msg);
	ks_signer_free(s);
	ck_assert_msg(ks_pkgfile_load(p, gz, len, msg, sizeof(msg)) == 0,
		      "%s", msg);
	free(gz);
}

static int verify(const struct ks_pkgfile *p, const char *trust)
{
	return ks_sig_verify(p->manifest_text, p->manifest_len, p->sig,
			     p->sig_len, trust, NULL, 0, msg, sizeof(msg));
}

START_TEST(test_good)
{
	struct ks_pkgfile p;
	char who[256];

	build(ko, sizeof(ko), key_a, cert_a, &p);
	ck_assert_ptr_nonnull(p.sig);
	ck_assert_msg(ks_sig_verify(p.manifest_text, p.manifest_len, p.sig,
				    p.sig_len, trusted, who, sizeof(who), msg,
				    sizeof(msg)) == 0, "%s", msg);
	ck_assert_ptr_nonnull(strstr(who, "CN = ksplice test key A"));
	ks_pkgfile_close(&p);
}
END_TEST

START_TEST(test_unsigned)
{
	struct ks_pkgfile p;

	build(ko, sizeof(ko), NULL, NULL, &p);
	ck_assert_ptr_null(p.sig);
	ck_assert_int_eq(verify(&p, trusted), KS_ERR_UNSIGNED);
	ck_assert_str_eq(msg, "package is not signed (no manifest.sig)");
	ks_pkgfile_close(&p);
}
END_TEST

START_TEST(test_wrong_key)
{
	struct ks_pkgfile p;

	build(ko, sizeof(ko), key_b, cert_b, &p);
	ck_assert_int_eq(verify(&p, trusted), KS_ERR_UNTRUSTED);
	ck_assert_ptr_nonnull(strstr(msg, "signed by CN = ksplice test key B, which no certificate in"));
	/* No trusted certificate at all, or no directory. */
	ck_assert_int_eq(verify(&p, empty), KS_ERR_UNTRUSTED);
	ck_assert_ptr_nonnull(strstr(msg, "holds no certificate to trust"));
	ck_assert_int_eq(verify(&p, "/nonexistent"), KS_ERR_UNTRUSTED);
	ks_pkgfile_close(&p);
}
END_TEST

/* A trust directory or certificate others can write counts for nothing. */
START_TEST(test_writable_trust)
{
	struct ks_pkgfile p;

	build(ko, sizeof(ko), key_a, cert_a, &p);
	ck_assert_int_eq(chmod(cert_a, 0666), 0);
	ck_assert_int_eq(verify(&p, trusted), KS_ERR_UNTRUSTED);
	ck_assert_int_eq(chmod(cert_a, 0644), 0);
	ck_assert_int_eq(chmod(trusted, 0777), 0);
	ck_assert_int_eq(verify(&p, trusted), KS_ERR_UNTRUSTED);
	ck_assert_int_eq(chmod(trusted, 0755), 0);
	ck_assert_int_eq(verify(&p, trusted), 0);
	ks_pkgfile_close(&p);
}
END_TEST

/* A key with someone else's certificate is refused at signing. */
START_TEST(test_key_cert_mismatch)
{
	struct ks_signer *s;

	ck_assert_int_ne(ks_signer_load(&s, key_a, cert_b, msg, sizeof(msg)),
			 0);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(msg, "is not the certificate of the key"));
	ck_assert_int_ne(ks_signer_load(&s, "/nonexistent", cert_a, msg,
					sizeof(msg)), 0);
}
END_TEST

START_TEST(test_tampered_manifest)
{
	struct ks_pkgfile p;
	unsigned char *text;
	char *d;

	build(ko, sizeof(ko), key_a, cert_a, &p);
	text = malloc(p.manifest_len);
	ck_assert_ptr_nonnull(text);
	memcpy(text, p.manifest_text, p.manifest_len);
	d = memmem(text, p.manifest_len, "description test", 16);
	ck_assert_ptr_nonnull(d);
	d[12] = 'b';
	ck_assert_int_eq(ks_sig_verify(text, p.manifest_len, p.sig, p.sig_len,
				       trusted, NULL, 0, msg, sizeof(msg)),
			 KS_ERR_SIGNATURE);
	ck_assert_ptr_nonnull(strstr(msg, "does not match the manifest"));
	/* One byte less or more. */
	ck_assert_int_eq(ks_sig_verify(p.manifest_text, p.manifest_len - 1,
				       p.sig, p.sig_len, trusted, NULL, 0,
				       msg, sizeof(msg)), KS_ERR_SIGNATURE);
	free(text);
	ks_pkgfile_close(&p);
}
END_TEST

/*
 * A member swapped for another: its new SHA-256 in the manifest breaks
 * the signature; left out of the manifest, the checksum catches it.
 */
START_TEST(test_tampered_member)
{
	struct ks_pkgfile good, bad;
	unsigned char *tar, *gz;
	size_t gz_len;
	void *at;

	build(ko, sizeof(ko), key_a, cert_a, &good);
	build(evil, sizeof(evil), NULL, NULL, &bad);
	ck_assert_int_eq(ks_sig_verify(bad.manifest_text, bad.manifest_len,
				       good.sig, good.sig_len, trusted, NULL,
				       0, msg, sizeof(msg)), KS_ERR_SIGNATURE);
	ks_pkgfile_close(&bad);

	tar = malloc(good.tar_len);
	ck_assert_ptr_nonnull(tar);
	memcpy(tar, good.tar, good.tar_len);
	at = memmem(tar, good.tar_len, "pretend", 7);
	ck_assert_ptr_nonnull(at);
	memcpy(at, "PRETEND", 7);
	ck_assert_int_eq(ks_gzip(tar, good.tar_len, &gz, &gz_len, msg,
				 sizeof(msg)), 0);
	ck_assert_int_eq(ks_pkgfile_load(&bad, gz, gz_len, msg, sizeof(msg)),
			 KS_ERR_CHECKSUM);
	free(gz);
	free(tar);
	ks_pkgfile_close(&good);
}
END_TEST

/* Must be refused: never 0, only the two "bad" answers. */
static void expect_refused(const struct ks_pkgfile *p, const void *sig,
			   size_t len)
{
	int r = ks_sig_verify(p->manifest_text, p->manifest_len, sig, len,
			      trusted, NULL, 0, msg, sizeof(msg));

	ck_assert_msg(r == KS_ERR_SIGNATURE || r == KS_ERR_UNTRUSTED,
		      "malformed signature (%zu bytes) gave %d: %s", len, r,
		      msg);
}

/*
 * A mutated signature may still verify when the bytes changed are ones
 * the signature does not cover (SignedData's version, say): then it must
 * still be a signature of exactly this manifest.  Returns 1 if refused.
 */
static int mutated(const struct ks_pkgfile *p, const unsigned char *sig,
		   size_t len, const unsigned char *other)
{
	int r = ks_sig_verify(p->manifest_text, p->manifest_len, sig, len,
			      trusted, NULL, 0, msg, sizeof(msg));

	ck_assert_msg(r == 0 || r == KS_ERR_SIGNATURE || r == KS_ERR_UNTRUSTED,
		      "mutated signature gave %d: %s", r, msg);
	if (r == 0)
		ck_assert_int_eq(ks_sig_verify(other, p->manifest_len, sig, len,
					       trusted, NULL, 0, msg,
					       sizeof(msg)), KS_ERR_SIGNATURE);
	return r != 0;
}

START_TEST(test_malformed)
{
	struct ks_pkgfile p;
	unsigned char *sig, *other, junk[512];
	unsigned int seed = 1, refused = 0, tries = 0;
	size_t i, n;

	build(ko, sizeof(ko), key_a, cert_a, &p);
	sig = malloc(p.sig_len + 1);
	other = malloc(p.manifest_len);
	ck_assert_ptr_nonnull(sig);
	ck_assert_ptr_nonnull(other);
	memcpy(other, p.manifest_text, p.manifest_len);
	other[p.manifest_len - 2] ^= 1;
	for (n = 0; n < p.sig_len; n++)
		expect_refused(&p, p.sig, n);
	/* A byte of garbage after the DER. */
	memcpy(sig, p.sig, p.sig_len);
	sig[p.sig_len] = 0;
	expect_refused(&p, sig, p.sig_len + 1);
	/* Every byte flipped in turn, then random mutations. */
	for (i = 0; i < p.sig_len; i++) {
		memcpy(sig, p.sig, p.sig_len);
		sig[i] ^= 0xff;
		refused += mutated(&p, sig, p.sig_len, other);
		tries++;
	}
	for (i = 0; i < 2000; i++) {
		memcpy(sig, p.sig, p.sig_len);
		for (n = 0; n < 1 + (size_t)rand_r(&seed) % 4; n++)
			sig[rand_r(&seed) % p.sig_len] = rand_r(&seed);
		if (!memcmp(sig, p.sig, p.sig_len))
			continue;
		refused += mutated(&p, sig, p.sig_len, other);
		tries++;
	}
	/* Nearly every byte is covered by the signature or the DER. */
	ck_assert_msg(refused * 100 >= tries * 95, "%u of %u refused",
		      refused, tries);
	for (i = 0; i < 200; i++) {
		for (n = 0; n < sizeof(junk); n++)
			junk[n] = rand_r(&seed);
		junk[0] = 0x30;	/* a DER SEQUENCE, to get past the tag */
		expect_refused(&p, junk, 1 + rand_r(&seed) % sizeof(junk));
	}
	free(other);
	free(sig);
	ks_pkgfile_close(&p);
}
END_TEST

/* manifest.sig is not a member: listing it is refused. */
START_TEST(test_sig_not_listed)
{
	struct ks_pkg_input in[2] = {
		{ "ksplice-t1/update.ko", ko, sizeof(ko) },
		{ "ksplice-t1/manifest.sig", "x", 1 },
	};
	unsigned char *gz;
	size_t len;

	ks_manifest_init(m);
	ks_manifest_set_id(m, "t1", msg, sizeof(msg));
	ks_manifest_set_description(m, "test", msg, sizeof(msg));
	ks_manifest_set_kernel_release(m, "6.1.0-56-amd64", msg, sizeof(msg));
	ks_manifest_add_module(m, in[0].path, msg, sizeof(msg));
	ck_assert_int_ne(ks_pkgfile_build(m, in, 2, &gz, &len, msg,
					  sizeof(msg)), 0);
	ck_assert_ptr_nonnull(strstr(msg, "manifest's signature"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("signature");
	TCase *tc = tcase_create("cms");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_unsigned);
	tcase_add_test(tc, test_wrong_key);
	tcase_add_test(tc, test_writable_trust);
	tcase_add_test(tc, test_key_cert_mismatch);
	tcase_add_test(tc, test_tampered_manifest);
	tcase_add_test(tc, test_tampered_member);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_sig_not_listed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
