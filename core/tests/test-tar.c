// SPDX-License-Identifier: GPL-2.0
/*
 * The ustar reader against archives built here (tarhelp.h) and then
 * damaged one way each, and ks_tar_header against the reader.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplice/tar.h"
#include "tarhelp.h"

static char msg[KS_MSG_LEN];

/* Read the whole archive; the result of the first failing call, or 0. */
static int read_all(const struct tb *b, unsigned int *count)
{
	struct ks_tar_entry e;
	struct ks_tar t;
	int r;

	*count = 0;
	ks_tar_init(&t, b->buf, b->len);
	while ((r = ks_tar_next(&t, &e, msg, sizeof(msg))) > 0)
		++*count;
	return r;
}

START_TEST(test_good)
{
	static char big[1024];
	struct ks_tar_entry e;
	struct ks_tar t;
	struct tb b;
	char long_name[256];

	memset(big, 'b', sizeof(big));
	snprintf(long_name, sizeof(long_name), "ksplice-x/%0144d/%099d", 0, 0);
	ck_assert_uint_eq(strlen(long_name), 254);
	tb_init(&b);
	tb_add(&b, "ksplice-x/", '5', NULL, 0);
	tb_file(&b, "ksplice-x/manifest", "format 1\n");
	tb_add(&b, "ksplice-x/empty", '0', NULL, 0);
	tb_add(&b, "ksplice-x/big", '0', big, sizeof(big));	/* no padding */
	tb_add(&b, long_name, '\0', "x", 1);		/* old-style type */
	tb_end(&b);
	tb_grow(&b, 10240 - b.len % 10240);	/* record padding, as tar does */

	ks_tar_init(&t, b.buf, b.len);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 1);
	ck_assert_str_eq(e.name, "ksplice-x");
	ck_assert_int_eq(e.type, KS_TAR_DIR);
	ck_assert_uint_eq(e.size, 0);
	ck_assert_uint_eq(e.offset, 0);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 1);
	ck_assert_str_eq(e.name, "ksplice-x/manifest");
	ck_assert_int_eq(e.type, KS_TAR_FILE);
	ck_assert_uint_eq(e.size, 9);
	ck_assert_uint_eq(e.offset, 512);
	ck_assert_ptr_eq(e.data, b.buf + 1024);
	ck_assert_mem_eq(e.data, "format 1\n", 9);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 1);
	ck_assert_str_eq(e.name, "ksplice-x/empty");
	ck_assert_uint_eq(e.size, 0);
	ck_assert_uint_eq(e.offset, 1536);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 1);
	ck_assert_str_eq(e.name, "ksplice-x/big");
	ck_assert_uint_eq(e.size, 1024);
	ck_assert_mem_eq(e.data, big, sizeof(big));
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 1);
	ck_assert_str_eq(e.name, long_name);
	ck_assert_int_eq(e.type, KS_TAR_FILE);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "");
	tb_free(&b);
}
END_TEST

START_TEST(test_empty_archive)
{
	struct tb b;
	unsigned int n;

	tb_init(&b);
	tb_end(&b);
	ck_assert_int_eq(read_all(&b, &n), 0);
	ck_assert_uint_eq(n, 0);
	tb_free(&b);
}
END_TEST

/* GNU tar's default format: "ustar  \0" magic, prefix field not a name. */
START_TEST(test_gnu_magic)
{
	struct ks_tar_entry e;
	struct ks_tar t;
	struct tb b;

	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	memcpy(b.buf + 257, "ustar  \0", 8);
	memcpy(b.buf + 345, "atime", 5);	/* GNU keeps times there */
	tb_checksum(b.buf);
	tb_end(&b);
	ks_tar_init(&t, b.buf, b.len);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 1);
	ck_assert_str_eq(e.name, "ksplice-x/a");
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 0);
	tb_free(&b);
}
END_TEST

/* Some old tars summed the header as signed chars. */
START_TEST(test_signed_checksum)
{
	struct tb b;
	unsigned int n, i;
	int sum = 0;

	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	b.buf[265] = 0xe9;	/* uname "\xe9oot" */
	memset(b.buf + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += (signed char)b.buf[i];
	snprintf((char *)b.buf + 148, 8, "%06o", sum);
	tb_end(&b);
	ck_assert_int_eq(read_all(&b, &n), 0);
	ck_assert_uint_eq(n, 1);
	tb_free(&b);
}
END_TEST

/* One member @name of @type with @size bytes of 'd' then the end marker. */
static void one(struct tb *b, const char *name, char type, size_t size)
{
	char *data = malloc(size + 1);

	memset(data, 'd', size);
	tb_init(b);
	tb_add(b, name, type, data, size);
	tb_end(b);
	free(data);
}

static int expect(struct tb *b, int err, const char *text)
{
	unsigned int n;
	int r = read_all(b, &n);

	ck_assert_msg(r == err, "got %d (%s), want %d", r, msg, err);
	ck_assert_str_eq(msg, text);
	tb_free(b);
	return r;
}

START_TEST(test_truncated)
{
	struct tb b;

	/* Header cut short. */
	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	tb_grow(&b, 100);
	expect(&b, KS_ERR_TRUNCATED,
	       "truncated tar header at offset 1024 (100 of 512 bytes)");

	/* No end-of-archive marker at all. */
	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	expect(&b, KS_ERR_TRUNCATED,
	       "tar archive ends at offset 1024 without an end-of-archive marker");

	/* Half a marker. */
	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	tb_grow(&b, 512);
	expect(&b, KS_ERR_TRUNCATED,
	       "tar archive truncated after one zero block at offset 1024 (the end-of-archive marker has two)");

	/* Data cut short. */
	one(&b, "ksplice-x/a", '0', 1000);
	b.len = 512 + 100;
	expect(&b, KS_ERR_TRUNCATED,
	       "data of tar member 'ksplice-x/a' truncated (1024 bytes with padding, 100 left)");

	/* Data complete, padding cut. */
	one(&b, "ksplice-x/a", '0', 1000);
	b.len = 512 + 1000;
	expect(&b, KS_ERR_TRUNCATED,
	       "data of tar member 'ksplice-x/a' truncated (1024 bytes with padding, 1000 left)");

	/* Size field larger than what follows. */
	one(&b, "ksplice-x/a", '0', 1);
	snprintf((char *)b.buf + 124, 12, "%011o", 4096);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_TRUNCATED,
	       "data of tar member 'ksplice-x/a' truncated (4096 bytes with padding, 1536 left)");

	/* Nothing at all. */
	tb_init(&b);
	expect(&b, KS_ERR_TRUNCATED,
	       "tar archive ends at offset 0 without an end-of-archive marker");
}
END_TEST

START_TEST(test_checksum)
{
	struct tb b;

	one(&b, "ksplice-x/a", '0', 10);
	b.buf[0] = 'K';				/* changed after summing */
	expect(&b, KS_ERR_CHECKSUM, "bad tar header checksum at offset 0");

	one(&b, "ksplice-x/a", '0', 10);
	memcpy(b.buf + 148, "zzzzzz", 6);	/* unreadable checksum */
	expect(&b, KS_ERR_CHECKSUM, "bad tar header checksum at offset 0");

	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	tb_file(&b, "ksplice-x/b", "b");
	b.buf[1024 + 124 + 10] = '2';		/* size of the second */
	tb_end(&b);
	expect(&b, KS_ERR_CHECKSUM, "bad tar header checksum at offset 1024");
}
END_TEST

START_TEST(test_magic)
{
	struct tb b;

	one(&b, "ksplice-x/a", '0', 10);
	memset(b.buf + 257, 0, 8);		/* v7 tar */
	tb_checksum(b.buf);
	expect(&b, KS_ERR_SYNTAX, "not a ustar header at offset 0");

	one(&b, "ksplice-x/a", '0', 10);
	memcpy(b.buf + 263, "01", 2);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_SYNTAX, "not a ustar header at offset 0");
}
END_TEST

static const struct {
	char type;
	const char *msg;
} bad_types[] = {
	{ '1', "tar member 'ksplice-x/l': unsupported type '1' (hard link); only regular files and directories" },
	{ '2', "tar member 'ksplice-x/l': unsupported type '2' (symbolic link); only regular files and directories" },
	{ '3', "tar member 'ksplice-x/l': unsupported type '3' (character device); only regular files and directories" },
	{ '4', "tar member 'ksplice-x/l': unsupported type '4' (block device); only regular files and directories" },
	{ '6', "tar member 'ksplice-x/l': unsupported type '6' (FIFO); only regular files and directories" },
	{ '7', "tar member 'ksplice-x/l': unsupported type '7' (contiguous file); only regular files and directories" },
	{ 'x', "tar member 'ksplice-x/l': unsupported type 'x' (pax extended header); only regular files and directories" },
	{ 'g', "tar member 'ksplice-x/l': unsupported type 'g' (pax global header); only regular files and directories" },
	{ 'L', "tar member 'ksplice-x/l': unsupported type 'L' (GNU long name); only regular files and directories" },
	{ 'K', "tar member 'ksplice-x/l': unsupported type 'K' (GNU long link name); only regular files and directories" },
	{ 'Z', "tar member 'ksplice-x/l': unsupported type 'Z' (unknown type); only regular files and directories" },
};

START_TEST(test_types)
{
	struct tb b;

	one(&b, "ksplice-x/l", bad_types[_i].type, 0);
	expect(&b, KS_ERR_TYPE, bad_types[_i].msg);
}
END_TEST

START_TEST(test_sizes)
{
	struct tb b;
	unsigned int n;

	/* Oversized: beyond the 256 MiB limit, and far beyond. */
	one(&b, "ksplice-x/a", '0', 0);
	snprintf((char *)b.buf + 124, 12, "%011o", KS_TAR_SIZE_MAX + 1);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_RANGE,
	       "tar member 'ksplice-x/a': size 268435457 too large (limit 268435456)");
	one(&b, "ksplice-x/a", '0', 0);
	memcpy(b.buf + 124, "77777777777", 11);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_RANGE,
	       "tar member 'ksplice-x/a': size 8589934591 too large (limit 268435456)");
	/* GNU base-256 encoding: only for sizes we never accept. */
	one(&b, "ksplice-x/a", '0', 0);
	memset(b.buf + 124, 0, 12);
	b.buf[124] = 0x80;
	b.buf[135] = 1;
	tb_checksum(b.buf);
	expect(&b, KS_ERR_RANGE,
	       "tar member 'ksplice-x/a': size too large (limit 268435456)");
	/* Negative or not octal. */
	one(&b, "ksplice-x/a", '0', 0);
	memcpy(b.buf + 124, "-0000000001", 11);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_SYNTAX, "tar member 'ksplice-x/a': bad size field");
	one(&b, "ksplice-x/a", '0', 0);
	memcpy(b.buf + 124, "00000000009", 11);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_SYNTAX, "tar member 'ksplice-x/a': bad size field");
	one(&b, "ksplice-x/a", '0', 0);
	memset(b.buf + 124, 0, 12);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_SYNTAX, "tar member 'ksplice-x/a': bad size field");
	one(&b, "ksplice-x/a", '0', 0);
	memcpy(b.buf + 124, "0000 000001", 11);
	tb_checksum(b.buf);
	expect(&b, KS_ERR_SYNTAX, "tar member 'ksplice-x/a': bad size field");
	/* Leading spaces and a space terminator are fine (old tars). */
	one(&b, "ksplice-x/a", '0', 3);
	memcpy(b.buf + 124, "         3 ", 12);
	tb_checksum(b.buf);
	ck_assert_int_eq(read_all(&b, &n), 0);
	ck_assert_uint_eq(n, 1);
	tb_free(&b);
	/* A directory carries no data. */
	one(&b, "ksplice-x/d", '5', 0);
	snprintf((char *)b.buf + 124, 12, "%011o", 512);
	tb_checksum(b.buf);
	tb_grow(&b, 512);
	expect(&b, KS_ERR_SYNTAX, "tar member 'ksplice-x/d': directory with size 512");
}
END_TEST

static const struct {
	const char *name;
	char type;
	int err;
	const char *msg;
} bad_names[] = {
	{ "/etc/passwd", '0', KS_ERR_PATH,
	  "tar member '/etc/passwd': name is absolute" },
	{ "/", '5', KS_ERR_PATH, "tar member '/': name is absolute" },
	{ "ksplice-x/../../etc/passwd", '0', KS_ERR_PATH,
	  "tar member 'ksplice-x/../../etc/passwd': name has a '..' component" },
	{ "..", '5', KS_ERR_PATH, "tar member '..': name has a '..' component" },
	{ "ksplice-x/..", '5', KS_ERR_PATH,
	  "tar member 'ksplice-x/..': name has a '..' component" },
	{ "./ksplice-x/a", '0', KS_ERR_PATH,
	  "tar member './ksplice-x/a': name has a '.' component" },
	{ "ksplice-x//a", '0', KS_ERR_PATH,
	  "tar member 'ksplice-x//a': name has an empty component" },
	{ "ksplice-x/a/", '0', KS_ERR_PATH,
	  "tar member 'ksplice-x/a/': name has an empty component" },
	{ "ksplice-x//", '5', KS_ERR_PATH,
	  "tar member 'ksplice-x/': name has an empty component" },
	{ "", '0', KS_ERR_PATH, "tar member '': name is empty" },
	{ "ksplice-x/a\nb", '0', KS_ERR_PATH,
	  "tar member 'ksplice-x/a\\x0ab': name has a character other than printable ASCII" },
	{ "ksplice-x/a b", '0', KS_ERR_PATH,
	  "tar member 'ksplice-x/a b': name has a character other than printable ASCII" },
};

START_TEST(test_names)
{
	struct tb b;

	one(&b, bad_names[_i].name, bad_names[_i].type, 0);
	expect(&b, bad_names[_i].err, bad_names[_i].msg);
}
END_TEST

/* prefix + '/' + name holds 256 bytes; a member path holds 255. */
START_TEST(test_name_length)
{
	char name[300];
	struct tb b;
	unsigned int n;

	snprintf(name, sizeof(name), "ksplice-x/%0145d/%0100d", 0, 0);
	ck_assert_uint_eq(strlen(name), 255 + 1);
	one(&b, name, '0', 1);
	ck_assert_int_eq(read_all(&b, &n), KS_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(msg, "name too long (256 bytes, limit 255)"));
	tb_free(&b);

	snprintf(name, sizeof(name), "ksplice-x/%0144d/%099d", 0, 0);
	one(&b, name, '0', 1);
	ck_assert_int_eq(read_all(&b, &n), 0);
	tb_free(&b);

	/* A directory may use the 256th byte for its slash. */
	snprintf(name, sizeof(name), "ksplice-x/%0145d/%099d/", 0, 0);
	one(&b, name, '5', 0);
	ck_assert_int_eq(read_all(&b, &n), 0);
	ck_assert_uint_eq(n, 1);
	tb_free(&b);
}
END_TEST

START_TEST(test_after_marker)
{
	struct tb b;
	unsigned int n;

	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	tb_end(&b);
	tb_file(&b, "ksplice-x/hidden", "h");
	expect(&b, KS_ERR_SYNTAX,
	       "data after the tar end-of-archive marker at offset 1024");

	/* A single zero block then a header is no marker either. */
	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	tb_grow(&b, 512);
	tb_file(&b, "ksplice-x/hidden", "h");
	tb_end(&b);
	expect(&b, KS_ERR_SYNTAX,
	       "data after the tar end-of-archive marker at offset 1024");

	/* Zeros of any length after it are fine. */
	tb_init(&b);
	tb_file(&b, "ksplice-x/a", "a");
	tb_end(&b);
	tb_grow(&b, 7);
	ck_assert_int_eq(read_all(&b, &n), 0);
	tb_free(&b);
}
END_TEST

/* ks_tar_header's output reads back; names it cannot store are refused. */
static void header_round_trip(const char *name, enum ks_tar_type type,
			      ks_u64 size, const char *expect_name)
{
	struct ks_tar_entry e;
	struct ks_tar t;
	struct tb b;

	tb_init(&b);
	ck_assert_int_eq(ks_tar_header(tb_grow(&b, 512), name, type, size,
				       0644, 1700000000), 0);
	tb_grow(&b, (size_t)(size + ks_tar_padding(size)));
	tb_end(&b);
	ks_tar_init(&t, b.buf, b.len);
	ck_assert_msg(ks_tar_next(&t, &e, msg, sizeof(msg)) == 1, "%s", msg);
	ck_assert_str_eq(e.name, expect_name);
	ck_assert_int_eq(e.type, type);
	ck_assert_uint_eq(e.size, size);
	ck_assert_int_eq(ks_tar_next(&t, &e, msg, sizeof(msg)), 0);
	tb_free(&b);
}

START_TEST(test_header_writer)
{
	char name[300];
	ks_u8 h[512];

	header_round_trip("ksplice-x/a.ko", KS_TAR_FILE, 1234, "ksplice-x/a.ko");
	header_round_trip("ksplice-x", KS_TAR_DIR, 0, "ksplice-x");
	header_round_trip("ksplice-x/pre", KS_TAR_DIR, 0, "ksplice-x/pre");
	header_round_trip("e", KS_TAR_FILE, 0, "e");
	/* Exactly 100 bytes: no NUL in the name field. */
	snprintf(name, sizeof(name), "ksplice-x/%090d", 0);
	header_round_trip(name, KS_TAR_FILE, 1, name);
	/* 100 bytes as a directory: 101 with the slash, needs the prefix. */
	header_round_trip(name, KS_TAR_DIR, 0, name);
	/* Long names through the prefix field. */
	snprintf(name, sizeof(name), "ksplice-x/%0144d/%099d", 0, 0);
	header_round_trip(name, KS_TAR_FILE, 513, name);
	snprintf(name, sizeof(name), "ksplice-x/%050d/%050d/%050d", 0, 0, 0);
	header_round_trip(name, KS_TAR_FILE, 1, name);
	header_round_trip("ksplice-x/a", KS_TAR_FILE, KS_TAR_SIZE_MAX - 600,
			  "ksplice-x/a");

	/* Refusals. */
	snprintf(name, sizeof(name), "ksplice-x/%0145d/%0100d", 0, 0);
	ck_assert_int_eq(ks_tar_header(h, name, KS_TAR_FILE, 1, 0644, 0),
			 KS_ERR_LIMIT);
	snprintf(name, sizeof(name), "ksplice-x/%0200d", 0);	/* no split */
	ck_assert_int_eq(ks_tar_header(h, name, KS_TAR_FILE, 1, 0644, 0),
			 KS_ERR_LIMIT);
	ck_assert_int_eq(ks_tar_header(h, "/abs", KS_TAR_FILE, 1, 0644, 0),
			 KS_ERR_PATH);
	ck_assert_int_eq(ks_tar_header(h, "a/../b", KS_TAR_FILE, 1, 0644, 0),
			 KS_ERR_PATH);
	ck_assert_int_eq(ks_tar_header(h, "a", KS_TAR_FILE,
				       KS_TAR_SIZE_MAX + 1ULL, 0644, 0),
			 KS_ERR_RANGE);
	ck_assert_int_eq(ks_tar_header(h, "a", KS_TAR_DIR, 1, 0755, 0),
			 KS_ERR_RANGE);
}
END_TEST

/* The header writer's fields, byte for byte where they are fixed. */
START_TEST(test_header_fields)
{
	ks_u8 h[512];

	ck_assert_int_eq(ks_tar_header(h, "ksplice-x/pre", KS_TAR_DIR, 0,
				       0755, 0777777777777ULL), 0);
	ck_assert_str_eq((char *)h, "ksplice-x/pre/");
	ck_assert_str_eq((char *)h + 100, "0000755");
	ck_assert_str_eq((char *)h + 124, "00000000000");
	ck_assert_str_eq((char *)h + 136, "77777777777");	/* clamped */
	ck_assert_int_eq(h[156], '5');
	ck_assert_mem_eq(h + 257, "ustar\0" "00", 8);
	ck_assert_str_eq((char *)h + 265, "root");
	ck_assert_int_eq(h[154], '\0');
	ck_assert_int_eq(h[155], ' ');
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tar");
	TCase *tc = tcase_create("tar");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_empty_archive);
	tcase_add_test(tc, test_gnu_magic);
	tcase_add_test(tc, test_signed_checksum);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_checksum);
	tcase_add_test(tc, test_magic);
	tcase_add_loop_test(tc, test_types, 0,
			    sizeof(bad_types) / sizeof(bad_types[0]));
	tcase_add_test(tc, test_sizes);
	tcase_add_loop_test(tc, test_names, 0,
			    sizeof(bad_names) / sizeof(bad_names[0]));
	tcase_add_test(tc, test_name_length);
	tcase_add_test(tc, test_after_marker);
	tcase_add_test(tc, test_header_writer);
	tcase_add_test(tc, test_header_fields);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
