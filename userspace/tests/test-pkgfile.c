// SPDX-License-Identifier: GPL-2.0
/*
 * Package files: gzip handling (not gzip, truncated, corrupt, too large),
 * verification through the file layer, the writer, and GNU tar agreeing
 * with both directions when it is installed.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pkgfile.h"
#include "ksplice/sha256.h"
#include "ksplice/tar.h"
#include "tarhelp.h"

static char msg[KS_MSG_LEN + 512];
static char dir[64];
static struct ks_manifest *m;

static void setup(void)
{
	strcpy(dir, "/tmp/test-pkgfile.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
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
static const char pre[] = "pre code";
static const struct ks_pkg_input inputs[] = {
	{ "ksplice-t1/update.ko", ko, sizeof(ko) },
	{ "ksplice-t1/pre/vmlinux.o", pre, sizeof(pre) - 1 },
	{ "ksplice-t1/pre/fs/ext4.o", "", 0 },
};

#define NINPUTS	(sizeof(inputs) / sizeof(inputs[0]))

/* A manifest with everything but the member lines, for id t1. */
static void header(struct ks_manifest *mf)
{
	ks_manifest_init(mf);
	ck_assert_int_eq(ks_manifest_set_id(mf, "t1", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_description(mf, "test update", msg,
						     sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_kernel_release(mf, "6.1.0-56-amd64",
							msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_target(mf, "vmlinux", msg,
						sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_function(mf, "do_foo", 42, msg,
						  sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_module(mf, "ksplice-t1/update.ko",
						msg, sizeof(msg)), 0);
}

static void build(unsigned char **gz, size_t *len)
{
	header(m);
	ck_assert_msg(ks_pkgfile_build(m, inputs, NINPUTS, gz, len, msg,
				       sizeof(msg)) == 0, "%s", msg);
}

static void gzip_of(const void *data, size_t len, unsigned char **gz,
		    size_t *gz_len)
{
	ck_assert_int_eq(ks_gzip(data, len, gz, gz_len, msg, sizeof(msg)), 0);
}

static void expect_load(const void *gz, size_t len, int err, const char *text)
{
	struct ks_pkgfile p;
	int r = ks_pkgfile_load(&p, gz, len, msg, sizeof(msg));

	ck_assert_msg(r == err, "got %d (%s), want %d", r, msg, err);
	ck_assert_str_eq(msg, text);
	ck_assert_ptr_null(p.tar);
	ck_assert_ptr_null(p.manifest);
	ks_pkgfile_close(&p);
}

START_TEST(test_build_load)
{
	struct ks_pkgfile p;
	unsigned char *gz;
	const unsigned char *d;
	size_t len, size;

	build(&gz, &len);
	ck_assert_uint_gt(len, 20);
	ck_assert_uint_eq(gz[0], 0x1f);
	ck_assert_uint_eq(gz[1], 0x8b);
	ck_assert_msg(ks_pkgfile_load(&p, gz, len, msg, sizeof(msg)) == 0,
		      "%s", msg);
	ck_assert_str_eq(p.manifest->id, "t1");
	ck_assert_uint_eq(p.manifest->nr_members, NINPUTS);
	ck_assert_uint_eq(p.manifest->nr_functions, 1);
	d = ks_pkgfile_member(&p, "ksplice-t1/update.ko", &size);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(size, sizeof(ko));
	ck_assert_mem_eq(d, ko, sizeof(ko));
	d = ks_pkgfile_member(&p, "ksplice-t1/pre/vmlinux.o", &size);
	ck_assert_uint_eq(size, 8);
	ck_assert_mem_eq(d, "pre code", 8);
	ck_assert_ptr_nonnull(ks_pkgfile_member(&p, "ksplice-t1/pre/fs/ext4.o",
						&size));
	ck_assert_uint_eq(size, 0);
	ck_assert_ptr_null(ks_pkgfile_member(&p, "ksplice-t1/manifest", NULL));
	ck_assert_ptr_null(ks_pkgfile_member(&p, "ksplice-t1/other", NULL));
	ks_pkgfile_close(&p);
	ck_assert_ptr_null(p.tar);
	ks_pkgfile_close(&p);		/* twice is harmless */
	free(gz);
}
END_TEST

/* The archive layout: top directory, manifest, then dirs before files. */
START_TEST(test_build_layout)
{
	static const char *const names[] = {
		"ksplice-t1", "ksplice-t1/manifest", "ksplice-t1/update.ko",
		"ksplice-t1/pre", "ksplice-t1/pre/vmlinux.o",
		"ksplice-t1/pre/fs", "ksplice-t1/pre/fs/ext4.o",
	};
	struct ks_tar_entry e;
	struct ks_tar t;
	unsigned char *gz, *tar;
	size_t len, tar_len;
	unsigned int i = 0;

	build(&gz, &len);
	ck_assert_int_eq(ks_gunzip(gz, len, KS_PKG_SIZE_MAX, &tar, &tar_len,
				   msg, sizeof(msg)), 0);
	ks_tar_init(&t, tar, tar_len);
	while (ks_tar_next(&t, &e, msg, sizeof(msg)) > 0) {
		ck_assert_uint_lt(i, 7);
		ck_assert_str_eq(e.name, names[i]);
		/* mtime from SOURCE_DATE_EPOCH, mode by type */
		ck_assert_str_eq((char *)tar + e.offset + 136, "14524770400");
		ck_assert_str_eq((char *)tar + e.offset + 100,
				 e.type == KS_TAR_DIR ? "0000755" : "0000644");
		i++;
	}
	ck_assert_uint_eq(i, 7);
	free(tar);
	free(gz);
}
END_TEST

/* The same input and SOURCE_DATE_EPOCH give the same bytes. */
START_TEST(test_build_reproducible)
{
	unsigned char *a, *b;
	size_t alen, blen;

	build(&a, &alen);
	build(&b, &blen);
	ck_assert_uint_eq(alen, blen);
	ck_assert_mem_eq(a, b, alen);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_build_refuses)
{
	struct ks_pkg_input in[2] = {
		{ "ksplice-t1/update.ko", ko, sizeof(ko) },
		{ NULL, "x", 1 },
	};
	unsigned char *gz = (unsigned char *)"untouched";
	size_t len = 99;

	header(m);
	in[1].path = "elsewhere/x";
	ck_assert_int_eq(ks_pkgfile_build(m, in, 2, &gz, &len, msg,
					  sizeof(msg)), KS_ERR_PATH);
	ck_assert_str_eq(msg, "manifest: member 'elsewhere/x' is not under ksplice-t1/");
	ck_assert_ptr_null(gz);
	ck_assert_uint_eq(len, 0);
	in[1].path = "ksplice-t1/manifest";
	ck_assert_int_eq(ks_pkgfile_build(m, in, 2, &gz, &len, msg,
					  sizeof(msg)), KS_ERR_PATH);
	ck_assert_str_eq(msg, "manifest: member 'ksplice-t1/manifest' is the manifest, which is not listed");
	in[1].path = "ksplice-t1/../x";
	ck_assert_int_eq(ks_pkgfile_build(m, in, 2, &gz, &len, msg,
					  sizeof(msg)), KS_ERR_PATH);
	ck_assert_str_eq(msg, "manifest: member 'ksplice-t1/../x' has a '..' component");
	in[1].path = "ksplice-t1/update.ko";
	ck_assert_int_eq(ks_pkgfile_build(m, in, 2, &gz, &len, msg,
					  sizeof(msg)), KS_ERR_DUPLICATE);
	ck_assert_str_eq(msg, "manifest: duplicate member 'ksplice-t1/update.ko'");
	/* The module has no member. */
	in[0].path = "ksplice-t1/other.ko";
	ck_assert_int_eq(ks_pkgfile_build(m, in, 1, &gz, &len, msg,
					  sizeof(msg)), KS_ERR_MISSING);
	ck_assert_str_eq(msg, "manifest: module 'ksplice-t1/update.ko' has no 'member' line");
	/* A component too long for any ustar split. */
	in[0].path = "ksplice-t1/update.ko";
	in[1].path = "ksplice-t1/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	ck_assert_int_eq(ks_pkgfile_build(m, in, 2, &gz, &len, msg,
					  sizeof(msg)), KS_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(msg, "cannot store ksplice-t1/xxx"));
}
END_TEST

START_TEST(test_not_gzip)
{
	struct tb b;

	expect_load("", 0, KS_ERR_GZIP, "not a gzip file");
	expect_load("\x1f", 1, KS_ERR_GZIP, "not a gzip file");
	expect_load("BZh91AY&SY", 10, KS_ERR_GZIP, "not a gzip file");
	expect_load("\xfd" "7zXZ\0", 6, KS_ERR_GZIP, "not a gzip file");
	/* An uncompressed tar is not accepted either. */
	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest", "format 1\n");
	tb_end(&b);
	expect_load(b.buf, b.len, KS_ERR_GZIP, "not a gzip file");
	tb_free(&b);
	/* gzip magic, then an unknown compression method. */
	expect_load("\x1f\x8b\x07\0\0\0\0\0\0\x03", 10, KS_ERR_GZIP,
		    "corrupt gzip data: unknown compression method");
}
END_TEST

START_TEST(test_truncated)
{
	unsigned char *gz;
	size_t len, cut;

	build(&gz, &len);
	/* Every cut point: header, deflate data, CRC and size trailer. */
	for (cut = 2; cut < len; cut++) {
		struct ks_pkgfile p;
		int r = ks_pkgfile_load(&p, gz, cut, msg, sizeof(msg));

		ck_assert_msg(r == KS_ERR_TRUNCATED, "cut at %zu: %d %s", cut,
			      r, msg);
		ck_assert_str_eq(msg, "truncated gzip data");
	}
	free(gz);
}
END_TEST

START_TEST(test_corrupt)
{
	struct ks_pkgfile p;
	unsigned char *gz;
	size_t len;

	build(&gz, &len);
	gz[len - 4] ^= 0x40;		/* the stored size */
	expect_load(gz, len, KS_ERR_GZIP,
		    "corrupt gzip data: incorrect length check");
	gz[len - 4] ^= 0x40;
	gz[len - 8] ^= 0x01;		/* the CRC */
	expect_load(gz, len, KS_ERR_GZIP,
		    "corrupt gzip data: incorrect data check");
	gz[len - 8] ^= 0x01;
	gz[len / 2] ^= 0xff;		/* the deflate stream */
	ck_assert_int_eq(ks_pkgfile_load(&p, gz, len, msg, sizeof(msg)),
			 KS_ERR_GZIP);
	ck_assert_int_eq(strncmp(msg, "corrupt gzip data: ", 19), 0);
	free(gz);
}
END_TEST

START_TEST(test_trailing_and_concatenated)
{
	unsigned char *gz, *two, *tar, *half1, *half2;
	size_t len, tar_len, l1, l2;
	struct ks_pkgfile p;

	build(&gz, &len);
	two = malloc(len + 4);
	memcpy(two, gz, len);
	memcpy(two + len, "junk", 4);
	expect_load(two, len + 4, KS_ERR_GZIP, "trailing garbage after gzip data");
	memset(two + len, 0, 4);
	expect_load(two, len + 4, KS_ERR_GZIP, "trailing garbage after gzip data");
	free(two);

	/* Two gzip members, as `cat a.gz b.gz` makes: one stream. */
	ck_assert_int_eq(ks_gunzip(gz, len, KS_PKG_SIZE_MAX, &tar, &tar_len,
				   msg, sizeof(msg)), 0);
	gzip_of(tar, 1000, &half1, &l1);
	gzip_of(tar + 1000, tar_len - 1000, &half2, &l2);
	two = malloc(l1 + l2);
	memcpy(two, half1, l1);
	memcpy(two + l1, half2, l2);
	ck_assert_msg(ks_pkgfile_load(&p, two, l1 + l2, msg, sizeof(msg)) == 0,
		      "%s", msg);
	ks_pkgfile_close(&p);
	/* ... and a truncated second member is still truncated. */
	expect_load(two, l1 + l2 / 2, KS_ERR_TRUNCATED, "truncated gzip data");
	free(two);
	free(half1);
	free(half2);
	free(tar);
	free(gz);
}
END_TEST

START_TEST(test_gunzip_limit)
{
	unsigned char data[5000], *gz, *out;
	size_t len, out_len;

	memset(data, 'z', sizeof(data));
	gzip_of(data, sizeof(data), &gz, &len);
	ck_assert_int_eq(ks_gunzip(gz, len, 5000, &out, &out_len, msg,
				   sizeof(msg)), 0);
	ck_assert_uint_eq(out_len, 5000);
	ck_assert_mem_eq(out, data, 5000);
	free(out);
	ck_assert_int_eq(ks_gunzip(gz, len, 4999, &out, &out_len, msg,
				   sizeof(msg)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "decompressed data too large (limit 4999 bytes)");
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(out_len, 0);
	free(gz);

	/* Empty input data round-trips. */
	gzip_of("", 0, &gz, &len);
	ck_assert_int_eq(ks_gunzip(gz, len, 10, &out, &out_len, msg,
				   sizeof(msg)), 0);
	ck_assert_uint_eq(out_len, 0);
	free(out);
	free(gz);
}
END_TEST

/* 256 MiB + 1 of zeros, compressed by streaming: a small bomb. */
START_TEST(test_package_too_large)
{
	static unsigned char zeros[1 << 16];
	size_t total = KS_PKG_SIZE_MAX + 1, cap = 1 << 20;
	unsigned char *gz = malloc(cap);
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_out = gz;
	zs.avail_out = (unsigned int)cap;
	while (total) {
		size_t n = total < sizeof(zeros) ? total : sizeof(zeros);

		zs.next_in = zeros;
		zs.avail_in = (unsigned int)n;
		total -= n;
		ck_assert_int_ne(deflate(&zs, total ? Z_NO_FLUSH : Z_FINISH),
				 Z_STREAM_ERROR);
		ck_assert_uint_eq(zs.avail_in, 0);
	}
	ck_assert_uint_gt(zs.avail_out, 0);
	expect_load(gz, zs.total_out, KS_ERR_LIMIT,
		    "package too large (limit 256 MiB)");
	deflateEnd(&zs);
	free(gz);
}
END_TEST

/* A spoiled archive, gzipped: core's message comes through. */
static void load_tar(struct tb *b, int err, const char *text)
{
	unsigned char *gz;
	size_t len;

	tb_end(b);
	gzip_of(b->buf, b->len, &gz, &len);
	expect_load(gz, len, err, text);
	free(gz);
	tb_free(b);
}

static char *manifest_for(const char *ko_text, const char *extra)
{
	static char text[4096];
	ks_u8 d[KS_SHA256_LEN];
	char hex[65];

	ks_sha256(ko_text, strlen(ko_text), d);
	ks_sha256_hex(d, hex);
	snprintf(text, sizeof(text),
		 "format 1\nid t1\ndescription d\nkernel-release r\n"
		 "module ksplice-t1/u.ko\nmember ksplice-t1/u.ko %zu %s\n%s",
		 strlen(ko_text), hex, extra);
	return text;
}

START_TEST(test_verify_through_gzip)
{
	struct tb b;

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest", manifest_for("module", ""));
	tb_file(&b, "ksplice-t1/u.ko", "modulE");
	load_tar(&b, KS_ERR_CHECKSUM, "checksum mismatch for ksplice-t1/u.ko");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest", manifest_for("module", ""));
	load_tar(&b, KS_ERR_MISSING, "missing member ksplice-t1/u.ko");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest", manifest_for("module", ""));
	tb_file(&b, "ksplice-t1/u.ko", "module");
	tb_file(&b, "ksplice-t1/u.ko", "module");
	load_tar(&b, KS_ERR_DUPLICATE, "duplicate member ksplice-t1/u.ko");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest", manifest_for("module", "id t2\n"));
	tb_file(&b, "ksplice-t1/u.ko", "module");
	load_tar(&b, KS_ERR_DUPLICATE, "manifest line 7: duplicate 'id'");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest", "format 7\n");
	load_tar(&b, KS_ERR_VERSION,
		 "manifest line 1: unsupported format version 7 (this ksplice reads 1)");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest",
		manifest_for("module", "member ksplice-t1/../../etc/x 1 "
			     "0123456789abcdef0123456789abcdef"
			     "0123456789abcdef0123456789abcdef\n"));
	load_tar(&b, KS_ERR_PATH,
		 "manifest line 7: member 'ksplice-t1/../../etc/x' has a '..' component");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest",
		manifest_for("module", "member /etc/x 1 "
			     "0123456789abcdef0123456789abcdef"
			     "0123456789abcdef0123456789abcdef\n"));
	load_tar(&b, KS_ERR_PATH, "manifest line 7: member '/etc/x' is absolute");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest",
		manifest_for("module", "member ksplice-t1/big -1 "
			     "0123456789abcdef0123456789abcdef"
			     "0123456789abcdef0123456789abcdef\n"));
	load_tar(&b, KS_ERR_RANGE, "manifest line 7: negative member size '-1'");

	tb_init(&b);
	tb_file(&b, "ksplice-t1/manifest", manifest_for("module", ""));
	tb_file(&b, "ksplice-t1/u.ko", "module");
	tb_file(&b, "/ksplice-t1/evil", "x");
	load_tar(&b, KS_ERR_PATH, "tar member '/ksplice-t1/evil': name is absolute");
}
END_TEST

START_TEST(test_files)
{
	char path[128], out[256];
	unsigned char *gz, *back;
	size_t len, back_len;
	struct ks_pkgfile p;

	/* Write, open, extract. */
	snprintf(path, sizeof(path), "%s/ksplice-t1.tar.gz", dir);
	header(m);
	ck_assert_msg(ks_pkgfile_write(path, m, inputs, NINPUTS, msg,
				       sizeof(msg)) == 0, "%s", msg);
	ck_assert_msg(ks_pkgfile_open(&p, path, msg, sizeof(msg)) == 0, "%s",
		      msg);
	snprintf(out, sizeof(out), "%s/update.ko", dir);
	ck_assert_int_eq(ks_pkgfile_extract(&p, "ksplice-t1/update.ko", out,
					    msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_read_file(out, 1 << 20, &back, &back_len, msg,
				      sizeof(msg)), 0);
	ck_assert_uint_eq(back_len, sizeof(ko));
	ck_assert_mem_eq(back, ko, sizeof(ko));
	free(back);
	ck_assert_int_eq(ks_pkgfile_extract(&p, "ksplice-t1/nope", out, msg,
					    sizeof(msg)), KS_ERR_MISSING);
	ck_assert_str_eq(msg, "no member ksplice-t1/nope in the package");
	ks_pkgfile_close(&p);

	/* Messages from open name the file. */
	ck_assert_int_eq(ks_read_file(path, 1 << 20, &gz, &len, msg,
				      sizeof(msg)), 0);
	len /= 2;
	ck_assert_int_eq(ks_write_file(path, gz, len, 0644, msg, sizeof(msg)), 0);
	free(gz);
	ck_assert_int_eq(ks_pkgfile_open(&p, path, msg, sizeof(msg)),
			 KS_ERR_TRUNCATED);
	snprintf(out, sizeof(out), "%s: truncated gzip data", path);
	ck_assert_str_eq(msg, out);
	ck_assert_int_eq(ks_write_file(path, "plain", 5, 0644, msg,
				       sizeof(msg)), 0);
	ck_assert_int_eq(ks_pkgfile_open(&p, path, msg, sizeof(msg)),
			 KS_ERR_GZIP);
	snprintf(out, sizeof(out), "%s: not a gzip file", path);
	ck_assert_str_eq(msg, out);

	snprintf(path, sizeof(path), "%s/absent.tar.gz", dir);
	ck_assert_int_eq(ks_pkgfile_open(&p, path, msg, sizeof(msg)), KS_ERR_IO);
	snprintf(out, sizeof(out), "cannot open %s: No such file or directory",
		 path);
	ck_assert_str_eq(msg, out);

	/* read_file's own limit. */
	snprintf(path, sizeof(path), "%s/update.ko", dir);
	ck_assert_int_eq(ks_read_file(path, 10, &back, &back_len, msg,
				      sizeof(msg)), KS_ERR_LIMIT);
	snprintf(out, sizeof(out), "%s: file too large (limit 10 bytes)", path);
	ck_assert_str_eq(msg, out);

	/* Writing into a missing directory fails cleanly. */
	snprintf(path, sizeof(path), "%s/no/such/dir/x", dir);
	ck_assert_int_eq(ks_write_file(path, "x", 1, 0644, msg, sizeof(msg)),
			 KS_ERR_IO);
	ck_assert_ptr_nonnull(strstr(msg, "No such file or directory"));
}
END_TEST

/* GNU tar, if present, reads what we write and writes what we read. */
static int have_tar(void)
{
	return system("tar --version >/dev/null 2>&1 && "
		      "gzip --version >/dev/null 2>&1") == 0;
}

START_TEST(test_gnu_tar_reads_ours)
{
	char path[128], cmd[512], listing[4096];
	size_t n;
	FILE *f;

	if (!have_tar())
		return;
	snprintf(path, sizeof(path), "%s/ksplice-t1.tar.gz", dir);
	header(m);
	ck_assert_int_eq(ks_pkgfile_write(path, m, inputs, NINPUTS, msg,
					  sizeof(msg)), 0);
	snprintf(cmd, sizeof(cmd), "tar -tzf %s", path);
	f = popen(cmd, "r");
	n = fread(listing, 1, sizeof(listing) - 1, f);
	listing[n] = '\0';
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_str_eq(listing,
			 "ksplice-t1/\nksplice-t1/manifest\n"
			 "ksplice-t1/update.ko\nksplice-t1/pre/\n"
			 "ksplice-t1/pre/vmlinux.o\nksplice-t1/pre/fs/\n"
			 "ksplice-t1/pre/fs/ext4.o\n");
	snprintf(cmd, sizeof(cmd),
		 "cd %s && tar -xzf ksplice-t1.tar.gz && "
		 "printf 'pre code' | cmp -s - ksplice-t1/pre/vmlinux.o && "
		 "grep -q '^module ksplice-t1/update.ko$' ksplice-t1/manifest "
		 "&& test -d ksplice-t1/pre/fs",
		 dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_ours_reads_gnu_tar)
{
	static const char *const formats[] = { "ustar", "gnu", "v7" };
	char path[128], cmd[1024];
	struct ks_pkgfile p;
	unsigned int i;
	FILE *f;

	if (!have_tar())
		return;
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/src/ksplice-t1 && "
		 "printf module > %s/src/ksplice-t1/u.ko", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/src/ksplice-t1/manifest", dir);
	f = fopen(path, "w");
	fputs(manifest_for("module", "# made by GNU tar\n"), f);
	fclose(f);
	for (i = 0; i < 3; i++) {
		int r;

		snprintf(path, sizeof(path), "%s/%s.tar.gz", dir, formats[i]);
		snprintf(cmd, sizeof(cmd),
			 "tar --format=%s -C %s/src -czf %s ksplice-t1",
			 formats[i], dir, path);
		ck_assert_int_eq(system(cmd), 0);
		r = ks_pkgfile_open(&p, path, msg, sizeof(msg));
		if (i < 2) {
			ck_assert_msg(r == 0, "%s: %s", formats[i], msg);
			ck_assert_str_eq(p.manifest->id, "t1");
			ck_assert_mem_eq(ks_pkgfile_member(&p, "ksplice-t1/u.ko",
							   NULL), "module", 6);
		} else {
			/* v7 has no ustar magic: refused, not guessed. */
			ck_assert_int_eq(r, KS_ERR_SYNTAX);
			ck_assert_ptr_nonnull(strstr(msg, "not a ustar header at offset 0"));
		}
		ks_pkgfile_close(&p);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pkgfile");
	TCase *tc = tcase_create("pkgfile");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_build_load);
	tcase_add_test(tc, test_build_layout);
	tcase_add_test(tc, test_build_reproducible);
	tcase_add_test(tc, test_build_refuses);
	tcase_add_test(tc, test_not_gzip);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_corrupt);
	tcase_add_test(tc, test_trailing_and_concatenated);
	tcase_add_test(tc, test_gunzip_limit);
	tcase_add_test(tc, test_package_too_large);
	tcase_add_test(tc, test_verify_through_gzip);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_gnu_tar_reads_ours);
	tcase_add_test(tc, test_ours_reads_gnu_tar);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
