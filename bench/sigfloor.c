// SPDX-License-Identifier: GPL-2.0
/*
 * The least an OpenSSL check of a signed package can cost: start a
 * program that links libcrypto and verify one RSA signature (PKCS#1 v1.5
 * over SHA-256) of a file, the key given as its raw modulus: no
 * certificate, no CMS, none of OpenSSL 3's decoders.  bench/run times it
 * in the guest beside ksplice-apply, whose own check does more (CMS, the
 * trusted certificates, every member's SHA-256).
 *
 *   sigfloor FILE SIGNATURE MODULUS-HEX     exit 0 if the signature holds
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

static unsigned char *slurp(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;

	if (f && !fseek(f, 0, SEEK_END) && (*len = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET) && (buf = malloc(*len + 1)) &&
	    fread(buf, 1, *len, f) == (size_t)*len) {
		buf[*len] = '\0';
	} else {
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	long dlen, slen, hlen;
	unsigned char *data, *sig, *hex;
	BIGNUM *n = NULL, *e = NULL;
	OSSL_PARAM_BLD *bld;
	OSSL_PARAM *params;
	EVP_PKEY_CTX *pc;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *md;
	int ok;

	if (argc != 4)
		return 2;
	data = slurp(argv[1], &dlen);
	sig = slurp(argv[2], &slen);
	hex = slurp(argv[3], &hlen);
	if (!data || !sig || !hex)
		return 2;
	hex[strcspn((char *)hex, "\n")] = '\0';
	if (!BN_hex2bn(&n, (char *)hex) || !BN_dec2bn(&e, "65537"))
		return 2;
	bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
	params = OSSL_PARAM_BLD_to_param(bld);
	pc = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !pc || EVP_PKEY_fromdata_init(pc) <= 0 ||
	    EVP_PKEY_fromdata(pc, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		return 2;
	md = EVP_MD_CTX_new();
	ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
	     EVP_DigestVerify(md, sig, slen, data, dlen) == 1;
	return ok ? 0 : 1;
}
