// SPDX-License-Identifier: GPL-2.0
/*
 * The tools' SHA-256 (lib/sha256.c, libcrypto) against the NIST FIPS
 * 180-4 examples and padding boundaries.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ksplice/sha256.h"

static void hex_of(const void *data, size_t len, char out[65])
{
	ks_u8 d[KS_SHA256_LEN];

	ks_sha256(data, len, d);
	ks_sha256_hex(d, out);
}

START_TEST(test_empty)
{
	char hex[65];

	hex_of("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
			      "27ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(test_abc)
{
	char hex[65];

	hex_of("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
			      "b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(test_448_bits)
{
	const char *msg =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];

	ck_assert_uint_eq(strlen(msg) * 8, 448);
	hex_of(msg, strlen(msg), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
			      "a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_896_bits)
{
	const char *msg = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklm"
			  "ghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
			  "mnopqrstnopqrstu";
	char hex[65];

	hex_of(msg, strlen(msg), hex);
	ck_assert_str_eq(hex, "cf5b16a778af8380036ce59e7b049237"
			      "0b249b11e8f07a51afac45037afee9d1");
}
END_TEST

/* A million 'a'. */
START_TEST(test_million_a)
{
	static char a[1000000];
	char hex[65];

	memset(a, 'a', sizeof(a));
	hex_of(a, sizeof(a), hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			      "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Lengths around the 56-byte padding boundary and the 64-byte block. */
static const struct {
	size_t len;
	const char *hex;
} boundaries[] = {
	{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
	{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
	{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
	{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
	{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
};

START_TEST(test_boundaries)
{
	char a[128], hex[65];

	memset(a, 'a', sizeof(a));
	hex_of(a, boundaries[_i].len, hex);
	ck_assert_str_eq(hex, boundaries[_i].hex);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("nist");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_abc);
	tcase_add_test(tc, test_448_bits);
	tcase_add_test(tc, test_896_bits);
	tcase_add_test(tc, test_million_a);
	tcase_add_loop_test(tc, test_boundaries, 0,
			    sizeof(boundaries) / sizeof(boundaries[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
