// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-package verification: packages are built here (manifest text with
 * real checksums, tar in memory), then spoiled one way each.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplice/package.h"
#include "ksplice/sha256.h"
#include "ksplice/tar.h"
#include "tarhelp.h"

static struct ks_manifest *m;
static const ks_u8 *data[KS_MAX_MEMBERS];
static char msg[KS_MSG_LEN];

static void setup(void)
{
	m = malloc(sizeof(*m));
	ck_assert_ptr_nonnull(m);
}

static void teardown(void)
{
	free(m);
}

struct member {
	const char *name;
	const char *data;
};

static const struct member good[] = {
	{ "ksplice-x/update.ko", "\177ELF update module" },
	{ "ksplice-x/pre/vmlinux.o", "pre code" },
	{ "ksplice-x/empty", "" },
};

#define NGOOD	(sizeof(good) / sizeof(good[0]))

/* "member" line for @name with the size and checksum of @content. */
static int member_line(char *out, size_t cap, const char *name,
		       const char *content)
{
	ks_u8 d[KS_SHA256_LEN];
	char hex[65];

	ks_sha256(content, strlen(content), d);
	ks_sha256_hex(d, hex);
	return snprintf(out, cap, "member %s %zu %s\n", name, strlen(content),
			hex);
}

/* The manifest for the members @mem, plus @extra lines. */
static char *manifest(const struct member *mem, size_t n, const char *extra)
{
	static char text[65536];
	size_t len, i;

	len = (size_t)snprintf(text, sizeof(text),
			       "format 1\nid x\ndescription test\n"
			       "kernel-release 6.1.0-56-amd64\n"
			       "target vmlinux\nfunction f 10\n"
			       "module ksplice-x/update.ko\n");
	for (i = 0; i < n; i++)
		len += (size_t)member_line(text + len, sizeof(text) - len,
					   mem[i].name, mem[i].data);
	snprintf(text + len, sizeof(text) - len, "%s", extra ? extra : "");
	return text;
}

/* Directory, manifest, the good members. */
static void build(struct tb *b, const char *manifest_text)
{
	size_t i;

	tb_init(b);
	tb_add(b, "ksplice-x/", '5', NULL, 0);
	tb_file(b, "ksplice-x/manifest", manifest_text);
	tb_add(b, "ksplice-x/pre/", '5', NULL, 0);
	for (i = 0; i < NGOOD; i++)
		tb_file(b, good[i].name, good[i].data);
}

static int verify(struct tb *b)
{
	return ks_package_verify(b->buf, b->len, m, data, msg, sizeof(msg));
}

static void expect(struct tb *b, int err, const char *text)
{
	int r = verify(b);

	ck_assert_msg(r == err, "got %d (%s), want %d", r, msg, err);
	ck_assert_str_eq(msg, text);
	tb_free(b);
}

START_TEST(test_good)
{
	struct tb b;
	size_t i;

	build(&b, manifest(good, NGOOD, NULL));
	tb_end(&b);
	ck_assert_msg(verify(&b) == 0, "%s", msg);
	ck_assert_str_eq(msg, "");
	ck_assert_str_eq(m->id, "x");
	ck_assert_uint_eq(m->nr_members, NGOOD);
	for (i = 0; i < NGOOD; i++) {
		int k = ks_manifest_find_member(m, good[i].name);

		ck_assert_int_eq(k, (int)i);
		ck_assert_ptr_nonnull(data[k]);
		ck_assert(data[k] >= b.buf && data[k] < b.buf + b.len);
		ck_assert_mem_eq(data[k], good[i].data, strlen(good[i].data));
	}
	ck_assert_ptr_null(data[NGOOD]);
	tb_free(&b);
}
END_TEST

/* Members in any order, without directory entries, manifest last. */
START_TEST(test_good_any_order)
{
	struct tb b;
	size_t i;

	tb_init(&b);
	for (i = NGOOD; i-- > 0;)
		tb_file(&b, good[i].name, good[i].data);
	tb_file(&b, "ksplice-x/manifest", manifest(good, NGOOD, NULL));
	tb_end(&b);
	ck_assert_msg(verify(&b) == 0, "%s", msg);
	tb_free(&b);
}
END_TEST

/* Flip a bit of byte @off of member @name's data, in place. */
static void flip(struct tb *b, const char *name, size_t off)
{
	struct ks_tar_entry e;
	struct ks_tar t;

	ks_tar_init(&t, b->buf, b->len);
	while (ks_tar_next(&t, &e, msg, sizeof(msg)) > 0)
		if (!strcmp(e.name, name))
			b->buf[e.data - b->buf + off] ^= 1;
}

START_TEST(test_checksum_mismatch)
{
	struct member spoiled[NGOOD];
	struct tb b;

	memcpy(spoiled, good, sizeof(good));
	spoiled[0].data = "\177ELF update mod\xf5le";	/* same size */
	build(&b, manifest(spoiled, NGOOD, NULL));
	tb_end(&b);
	expect(&b, KS_ERR_CHECKSUM, "checksum mismatch for ksplice-x/update.ko");

	/* A flipped bit in the archive's copy. */
	build(&b, manifest(good, NGOOD, NULL));
	tb_end(&b);
	flip(&b, "ksplice-x/pre/vmlinux.o", 3);
	expect(&b, KS_ERR_CHECKSUM,
	       "checksum mismatch for ksplice-x/pre/vmlinux.o");
}
END_TEST

START_TEST(test_size_mismatch)
{
	struct member spoiled[NGOOD];
	struct tb b;

	memcpy(spoiled, good, sizeof(good));
	spoiled[1].data = "pre code!";
	build(&b, manifest(spoiled, NGOOD, NULL));
	tb_end(&b);
	expect(&b, KS_ERR_SIZE,
	       "size mismatch for ksplice-x/pre/vmlinux.o: manifest says 9 bytes, archive has 8");
}
END_TEST

START_TEST(test_missing_member)
{
	struct member more[NGOOD + 1];
	struct tb b;

	memcpy(more, good, sizeof(good));
	more[NGOOD].name = "ksplice-x/pre/ext4.o";
	more[NGOOD].data = "ext4";
	build(&b, manifest(more, NGOOD + 1, NULL));
	tb_end(&b);
	expect(&b, KS_ERR_MISSING, "missing member ksplice-x/pre/ext4.o");

	/* The module itself missing from the archive. */
	tb_init(&b);
	tb_file(&b, "ksplice-x/manifest", manifest(good, NGOOD, NULL));
	tb_file(&b, good[1].name, good[1].data);
	tb_file(&b, good[2].name, good[2].data);
	tb_end(&b);
	expect(&b, KS_ERR_MISSING, "missing member ksplice-x/update.ko");
}
END_TEST

START_TEST(test_unlisted_member)
{
	struct tb b;

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-x/extra.ko", "surprise");
	tb_end(&b);
	expect(&b, KS_ERR_UNLISTED, "unlisted member ksplice-x/extra.ko");

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "other/file", "surprise");
	tb_end(&b);
	expect(&b, KS_ERR_UNLISTED,
	       "unlisted member other/file (not under ksplice-x/)");

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-x/sub/manifest", "format 1\n");
	tb_end(&b);
	expect(&b, KS_ERR_UNLISTED, "unlisted member ksplice-x/sub/manifest");
}
END_TEST

/* manifest.sig: unlisted, placed anywhere, once; core does not read it. */
START_TEST(test_manifest_sig)
{
	struct tb b;

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-x/manifest.sig", "not even DER");
	tb_end(&b);
	ck_assert_msg(verify(&b) == 0, "%s", msg);
	tb_free(&b);

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-x/manifest.sig", "one");
	tb_file(&b, "ksplice-x/manifest.sig", "two");
	tb_end(&b);
	expect(&b, KS_ERR_DUPLICATE, "duplicate member ksplice-x/manifest.sig");

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-x/sub/manifest.sig", "x");
	tb_end(&b);
	expect(&b, KS_ERR_UNLISTED, "unlisted member ksplice-x/sub/manifest.sig");
}
END_TEST

START_TEST(test_duplicates)
{
	struct tb b;

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, good[0].name, good[0].data);
	tb_end(&b);
	expect(&b, KS_ERR_DUPLICATE, "duplicate member ksplice-x/update.ko");

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-x/manifest", manifest(good, NGOOD, NULL));
	tb_end(&b);
	expect(&b, KS_ERR_DUPLICATE, "duplicate member ksplice-x/manifest");

	build(&b, manifest(good, NGOOD, NULL));
	tb_add(&b, "ksplice-x/pre", '5', NULL, 0);
	tb_end(&b);
	expect(&b, KS_ERR_DUPLICATE, "duplicate member ksplice-x/pre/");

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-y/manifest", "format 1\n");
	tb_end(&b);
	expect(&b, KS_ERR_DUPLICATE,
	       "more than one manifest: ksplice-y/manifest and ksplice-x/manifest");

	/* Duplicate ids inside the manifest: the parser's message. */
	build(&b, manifest(good, NGOOD, "id x\n"));
	tb_end(&b);
	expect(&b, KS_ERR_DUPLICATE, "manifest line 11: duplicate 'id'");
}
END_TEST

START_TEST(test_manifest_problems)
{
	char text[65536];
	struct tb b;

	tb_init(&b);
	tb_file(&b, good[0].name, good[0].data);
	tb_end(&b);
	expect(&b, KS_ERR_MISSING,
	       "missing member ksplice-<id>/manifest (no manifest in the package)");

	tb_init(&b);
	tb_end(&b);
	expect(&b, KS_ERR_MISSING,
	       "missing member ksplice-<id>/manifest (no manifest in the package)");

	/* Unsupported format version. */
	snprintf(text, sizeof(text), "%s", manifest(good, NGOOD, NULL));
	text[7] = '7';
	build(&b, text);
	tb_end(&b);
	expect(&b, KS_ERR_VERSION,
	       "manifest line 1: unsupported format version 7 (this ksplice reads 1)");

	/* A manifest in another package's directory. */
	tb_init(&b);
	tb_file(&b, "ksplice-y/manifest", manifest(good, NGOOD, NULL));
	tb_end(&b);
	expect(&b, KS_ERR_PATH,
	       "manifest ksplice-y/manifest says id 'x', so it belongs in ksplice-x/manifest");

	/* Member lines the manifest itself refuses. */
	build(&b, manifest(good, NGOOD,
			   "member ksplice-x/../../etc/shadow 1 "
			   "0123456789abcdef0123456789abcdef"
			   "0123456789abcdef0123456789abcdef\n"));
	tb_end(&b);
	expect(&b, KS_ERR_PATH,
	       "manifest line 11: member 'ksplice-x/../../etc/shadow' has a '..' component");
	build(&b, manifest(good, NGOOD,
			   "member /etc/shadow 1 "
			   "0123456789abcdef0123456789abcdef"
			   "0123456789abcdef0123456789abcdef\n"));
	tb_end(&b);
	expect(&b, KS_ERR_PATH,
	       "manifest line 11: member '/etc/shadow' is absolute");
	build(&b, manifest(good, NGOOD, "module ksplice-x/pre/vmlinux.o\n"));
	tb_end(&b);
	expect(&b, KS_ERR_SYNTAX,
	       "manifest line 11: module 'ksplice-x/pre/vmlinux.o' does not end in .ko");
}
END_TEST

/* What the tar reader refuses, the package refuses with its message. */
START_TEST(test_archive_problems)
{
	struct tb b;

	build(&b, manifest(good, NGOOD, NULL));
	expect(&b, KS_ERR_TRUNCATED,
	       "tar archive ends at offset 4608 without an end-of-archive marker");

	build(&b, manifest(good, NGOOD, NULL));
	tb_end(&b);
	b.len = 4096 + 100;	/* into the last member's header */
	expect(&b, KS_ERR_TRUNCATED,
	       "truncated tar header at offset 4096 (100 of 512 bytes)");

	build(&b, manifest(good, NGOOD, NULL));
	tb_add(&b, "ksplice-x/link", '2', NULL, 0);
	tb_end(&b);
	expect(&b, KS_ERR_TYPE,
	       "tar member 'ksplice-x/link': unsupported type '2' (symbolic link); only regular files and directories");

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "/ksplice-x/update.ko", "x");
	tb_end(&b);
	expect(&b, KS_ERR_PATH, "tar member '/ksplice-x/update.ko': name is absolute");

	build(&b, manifest(good, NGOOD, NULL));
	tb_file(&b, "ksplice-x/../update.ko", "x");
	tb_end(&b);
	expect(&b, KS_ERR_PATH,
	       "tar member 'ksplice-x/../update.ko': name has a '..' component");

	build(&b, manifest(good, NGOOD, NULL));
	tb_add(&b, "elsewhere", '5', NULL, 0);
	tb_end(&b);
	expect(&b, KS_ERR_PATH, "directory elsewhere is not under ksplice-x/");

	build(&b, manifest(good, NGOOD, NULL));
	tb_add(&b, "ksplice-xy", '5', NULL, 0);
	tb_end(&b);
	expect(&b, KS_ERR_PATH, "directory ksplice-xy is not under ksplice-x/");

	build(&b, manifest(good, NGOOD, NULL));
	tb_end(&b);
	b.buf[512 + 148] ^= 1;		/* the manifest's header */
	expect(&b, KS_ERR_CHECKSUM, "bad tar header checksum at offset 512");
}
END_TEST

START_TEST(test_too_many_dirs)
{
	char name[64];
	struct tb b;
	int i;

	build(&b, manifest(good, NGOOD, NULL));
	for (i = 0; i < KS_MAX_DIRS - 2; i++) {
		snprintf(name, sizeof(name), "ksplice-x/d%d", i);
		tb_add(&b, name, '5', NULL, 0);
	}
	tb_end(&b);
	ck_assert_msg(verify(&b) == 0, "%s", msg);
	b.len -= 1024;
	tb_add(&b, "ksplice-x/one-more", '5', NULL, 0);
	tb_end(&b);
	expect(&b, KS_ERR_LIMIT, "too many directories (limit 256)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("package");
	TCase *tc = tcase_create("package");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_good_any_order);
	tcase_add_test(tc, test_checksum_mismatch);
	tcase_add_test(tc, test_size_mismatch);
	tcase_add_test(tc, test_missing_member);
	tcase_add_test(tc, test_unlisted_member);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_manifest_sig);
	tcase_add_test(tc, test_manifest_problems);
	tcase_add_test(tc, test_archive_problems);
	tcase_add_test(tc, test_too_many_dirs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
