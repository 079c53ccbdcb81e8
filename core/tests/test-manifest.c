// SPDX-License-Identifier: GPL-2.0
/*
 * Manifest parser, validator, writer and lookups.  Inputs are made at test
 * time from one good manifest by replacing, inserting, deleting or
 * appending one line; every refusal is checked by code and exact message.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplice/manifest.h"

#define HEX64 "0123456789abcdef0123456789abcdef" \
	      "0123456789abcdef0123456789abcdef"

static const char *const base[] = {
	"format 1",					/* 1 */
	"id x",						/* 2 */
	"description Fix the foo race",			/* 3 */
	"kernel-release 6.1.0-56-amd64",		/* 4 */
	"target vmlinux",				/* 5 */
	"function do_foo 120",				/* 6 */
	"function do_bar.isra.0 64",			/* 7 */
	"target ext4",					/* 8 */
	"function ext4_thing 300",			/* 9 */
	"module ksplice-x/update.ko",			/* 10 */
	"member ksplice-x/update.ko 1234 " HEX64,	/* 11 */
};

#define NBASE	(sizeof(base) / sizeof(base[0]))

static struct ks_manifest *m;
static char msg[KS_MSG_LEN];

static void setup(void)
{
	m = malloc(sizeof(*m));
	ck_assert_ptr_nonnull(m);
	memset(msg, 0, sizeof(msg));
}

static void teardown(void)
{
	free(m);
}

enum op { KEEP, REPLACE, INSERT, DELETE, APPEND };

/* The base manifest with one line edited; a static buffer. */
static const char *edit(enum op op, unsigned int line, const char *text)
{
	static char buf[1 << 16];
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 1; i <= NBASE; i++) {
		const char *l = base[i - 1];

		if (i == line && op == INSERT)
			len += (size_t)sprintf(buf + len, "%s\n", text);
		if (i == line && op == DELETE)
			continue;
		if (i == line && op == REPLACE)
			l = text;
		len += (size_t)sprintf(buf + len, "%s\n", l);
	}
	if (op == APPEND)
		sprintf(buf + len, "%s\n", text);
	return buf;
}

static int parse(const char *text)
{
	return ks_manifest_parse(m, text, strlen(text), msg, sizeof(msg));
}

/* A string of @n copies of @c; a static buffer per call site slot. */
static const char *rep(char c, size_t n)
{
	static char bufs[4][2048];
	static int next;
	char *b = bufs[next++ % 4];

	memset(b, c, n);
	b[n] = '\0';
	return b;
}

START_TEST(test_good)
{
	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	ck_assert_str_eq(msg, "");
	ck_assert_uint_eq(m->format, 1);
	ck_assert_str_eq(m->id, "x");
	ck_assert_str_eq(m->description, "Fix the foo race");
	ck_assert_str_eq(m->kernel_release, "6.1.0-56-amd64");
	ck_assert_uint_eq(m->build_id_len, 0);
	ck_assert_uint_eq(m->nr_targets, 2);
	ck_assert_uint_eq(m->nr_functions, 3);
	ck_assert_str_eq(m->targets[0].name, "vmlinux");
	ck_assert_uint_eq(m->targets[0].first, 0);
	ck_assert_uint_eq(m->targets[0].nr, 2);
	ck_assert_uint_eq(m->targets[0].line, 5);
	ck_assert_str_eq(m->targets[1].name, "ext4");
	ck_assert_uint_eq(m->targets[1].first, 2);
	ck_assert_uint_eq(m->targets[1].nr, 1);
	ck_assert_str_eq(m->functions[1].name, "do_bar.isra.0");
	ck_assert_uint_eq(m->functions[1].size, 64);
	ck_assert_uint_eq(m->functions[1].target, 0);
	ck_assert_uint_eq(m->functions[2].target, 1);
	ck_assert_uint_eq(m->functions[2].line, 9);
	ck_assert_uint_eq(m->nr_modules, 1);
	ck_assert_str_eq(m->modules[0].path, "ksplice-x/update.ko");
	ck_assert_uint_eq(m->nr_members, 1);
	ck_assert_uint_eq(m->members[0].size, 1234);
	ck_assert_uint_eq(m->members[0].sha256[0], 0x01);
	ck_assert_uint_eq(m->members[0].sha256[31], 0xef);
	ck_assert_uint_eq(m->members[0].line, 11);
}
END_TEST

/* Things the format allows that a strict parser might wrongly refuse. */
static const struct {
	enum op op;
	unsigned int line;
	const char *text;
} good_cases[] = {
	{ APPEND, 0, "# a comment, anywhere after the first line" },
	{ INSERT, 2, "#" },
	{ APPEND, 0, "kernel-build-id 0123456789abcdefABCDEF0123456789abcdef01" },
	{ APPEND, 0, "kernel-build-id 00" },
	{ REPLACE, 9, "function do_foo 300" },	/* same name, other target */
	{ REPLACE, 6, "function do_foo 16777216" },
	{ REPLACE, 6, "function do_foo 1" },
	{ REPLACE, 3, "description Fix \xc3\xbc and \xe2\x82\xac and \xf0\x9f\x90\xa7" },
	{ REPLACE, 3, "description  leading and  double spaces" },
	{ APPEND, 0, "target empty_section" },
	{ APPEND, 0, "member ksplice-x/pre/vmlinux.o 0 " HEX64 },
	{ INSERT, 2, "member ksplice-x/early 1 " HEX64 },	/* before id */
	{ REPLACE, 2, "module ksplice-x/early.ko\nmember ksplice-x/early.ko 2 "
	  HEX64 "\nid x" },	/* module and member before the id */
	{ REPLACE, 4, "kernel-release 6.1.0+debug_1-amd64" },
	{ APPEND, 0, "member ksplice-x/a.b/..c/.d 1 " HEX64 },
};

START_TEST(test_good_variants)
{
	const char *text = edit(good_cases[_i].op, good_cases[_i].line,
				good_cases[_i].text);
	int err = parse(text);

	ck_assert_msg(err == 0, "case %d refused: %s", _i, msg);
}
END_TEST

static const struct {
	enum op op;
	unsigned int line;
	const char *text;
	int err;
	const char *msg;
} bad_cases[] = {
	/* format */
	{ REPLACE, 1, "format 7", KS_ERR_VERSION,
	  "manifest line 1: unsupported format version 7 (this ksplice reads 1)" },
	{ REPLACE, 1, "format 0", KS_ERR_VERSION,
	  "manifest line 1: unsupported format version 0 (this ksplice reads 1)" },
	{ REPLACE, 1, "format 99999999999999999999999", KS_ERR_VERSION,
	  "manifest line 1: unsupported format version 99999999999999999999999 (this ksplice reads 1)" },
	{ REPLACE, 1, "format x", KS_ERR_SYNTAX,
	  "manifest line 1: format version 'x' is not a decimal number" },
	{ REPLACE, 1, "format -1", KS_ERR_SYNTAX,
	  "manifest line 1: format version '-1' is not a decimal number" },
	{ REPLACE, 1, "format", KS_ERR_SYNTAX,
	  "manifest line 1: expected 'format <version>'" },
	{ DELETE, 1, NULL, KS_ERR_MISSING,
	  "manifest line 1: the first line must be 'format <version>'" },
	{ INSERT, 1, "# comment", KS_ERR_MISSING,
	  "manifest line 1: the first line must be 'format <version>'" },
	{ APPEND, 0, "format 1", KS_ERR_DUPLICATE,
	  "manifest line 12: duplicate 'format'" },
	/* keys and line syntax */
	{ APPEND, 0, "foo bar", KS_ERR_UNKNOWN,
	  "manifest line 12: unknown key 'foo'" },
	{ APPEND, 0, "Format 1", KS_ERR_UNKNOWN,
	  "manifest line 12: unknown key 'Format'" },
	{ APPEND, 0, "verbose", KS_ERR_UNKNOWN,
	  "manifest line 12: unknown key 'verbose'" },
	{ REPLACE, 2, "id", KS_ERR_SYNTAX, "manifest line 2: expected 'id <id>'" },
	{ REPLACE, 2, "id x y", KS_ERR_SYNTAX,
	  "manifest line 2: expected 'id <id>'" },
	{ REPLACE, 2, "id  x", KS_ERR_SYNTAX,
	  "manifest line 2: expected 'id <id>'" },
	{ REPLACE, 6, "function do_foo  120", KS_ERR_SYNTAX,
	  "manifest line 6: expected 'function <name> <size>'" },
	{ REPLACE, 6, "function do_foo", KS_ERR_SYNTAX,
	  "manifest line 6: expected 'function <name> <size>'" },
	{ REPLACE, 6, "function do_foo 120 7", KS_ERR_SYNTAX,
	  "manifest line 6: expected 'function <name> <size>'" },
	{ REPLACE, 11, "member ksplice-x/update.ko 1234", KS_ERR_SYNTAX,
	  "manifest line 11: expected 'member <member> <size> <sha256-hex>'" },
	{ REPLACE, 2, "id x ", KS_ERR_SYNTAX, "manifest line 2: trailing space" },
	{ INSERT, 5, "", KS_ERR_SYNTAX, "manifest line 5: empty line" },
	{ REPLACE, 2, "id x\r", KS_ERR_SYNTAX,
	  "manifest line 2: control character '\\x0d'" },
	{ REPLACE, 3, "description tab\there", KS_ERR_SYNTAX,
	  "manifest line 3: control character '\\x09'" },
	{ REPLACE, 3, "description bell\a", KS_ERR_SYNTAX,
	  "manifest line 3: control character '\\x07'" },
	{ REPLACE, 3, "description del\x7f", KS_ERR_SYNTAX,
	  "manifest line 3: control character '\\x7f'" },
	{ REPLACE, 3, "description c1 \xc2\x85", KS_ERR_SYNTAX,
	  "manifest line 3: control character '\\xc2\\x85'" },
	{ REPLACE, 3, "description latin1 \xfc", KS_ERR_SYNTAX,
	  "manifest line 3: invalid UTF-8 '\\xfc'" },
	{ REPLACE, 3, "description overlong \xc0\xaf", KS_ERR_SYNTAX,
	  "manifest line 3: invalid UTF-8 '\\xc0'" },
	{ REPLACE, 3, "description surrogate \xed\xa0\x80", KS_ERR_SYNTAX,
	  "manifest line 3: invalid UTF-8 '\\xed\\xa0\\x80'" },
	{ REPLACE, 3, "description cut \xe2\x82", KS_ERR_SYNTAX,
	  "manifest line 3: invalid UTF-8 '\\xe2'" },
	{ APPEND, 0, "# comment with a tab\t", KS_ERR_SYNTAX,
	  "manifest line 12: control character '\\x09'" },
	/* required keys */
	{ DELETE, 2, NULL, KS_ERR_MISSING, "manifest: missing required key 'id'" },
	{ DELETE, 3, NULL, KS_ERR_MISSING,
	  "manifest: missing required key 'description'" },
	{ DELETE, 4, NULL, KS_ERR_MISSING,
	  "manifest: missing required key 'kernel-release'" },
	{ DELETE, 10, NULL, KS_ERR_MISSING,
	  "manifest: missing required key 'module' (at least one update module)" },
	/* duplicates */
	{ INSERT, 3, "id y", KS_ERR_DUPLICATE, "manifest line 3: duplicate 'id'" },
	{ INSERT, 3, "id x", KS_ERR_DUPLICATE, "manifest line 3: duplicate 'id'" },
	{ APPEND, 0, "description again", KS_ERR_DUPLICATE,
	  "manifest line 12: duplicate 'description'" },
	{ APPEND, 0, "kernel-release 6.1.0-57-amd64", KS_ERR_DUPLICATE,
	  "manifest line 12: duplicate 'kernel-release'" },
	{ APPEND, 0, "target vmlinux", KS_ERR_DUPLICATE,
	  "manifest line 12: duplicate target 'vmlinux'" },
	{ APPEND, 0, "member ksplice-x/update.ko 1234 " HEX64, KS_ERR_DUPLICATE,
	  "manifest line 12: duplicate member 'ksplice-x/update.ko'" },
	{ APPEND, 0, "member ksplice-x/update.ko 1 " HEX64, KS_ERR_DUPLICATE,
	  "manifest line 12: duplicate member 'ksplice-x/update.ko'" },
	{ APPEND, 0, "module ksplice-x/update.ko", KS_ERR_DUPLICATE,
	  "manifest line 12: duplicate module 'ksplice-x/update.ko'" },
	/* numbers */
	{ REPLACE, 6, "function do_foo 16777217", KS_ERR_RANGE,
	  "manifest line 6: function size '16777217' too large (limit 16777216)" },
	{ REPLACE, 6, "function do_foo 99999999999999999999999", KS_ERR_RANGE,
	  "manifest line 6: function size '99999999999999999999999' too large (limit 16777216)" },
	{ REPLACE, 6, "function do_foo 0", KS_ERR_RANGE,
	  "manifest line 6: function size '0' too small (minimum 1)" },
	{ REPLACE, 6, "function do_foo -5", KS_ERR_RANGE,
	  "manifest line 6: negative function size '-5'" },
	{ REPLACE, 6, "function do_foo +5", KS_ERR_SYNTAX,
	  "manifest line 6: function size '+5' is not a decimal number" },
	{ REPLACE, 6, "function do_foo 0x10", KS_ERR_SYNTAX,
	  "manifest line 6: function size '0x10' is not a decimal number" },
	{ REPLACE, 6, "function do_foo 12a", KS_ERR_SYNTAX,
	  "manifest line 6: function size '12a' is not a decimal number" },
	{ REPLACE, 6, "function do_foo 012", KS_ERR_SYNTAX,
	  "manifest line 6: function size '012' has a leading zero" },
	{ REPLACE, 11, "member ksplice-x/update.ko 268435457 " HEX64,
	  KS_ERR_RANGE,
	  "manifest line 11: member size '268435457' too large (limit 268435456)" },
	{ REPLACE, 11, "member ksplice-x/update.ko 18446744073709551616 " HEX64,
	  KS_ERR_RANGE,
	  "manifest line 11: member size '18446744073709551616' too large (limit 268435456)" },
	{ REPLACE, 11, "member ksplice-x/update.ko -1 " HEX64, KS_ERR_RANGE,
	  "manifest line 11: negative member size '-1'" },
	{ REPLACE, 11, "member ksplice-x/update.ko 1e3 " HEX64, KS_ERR_SYNTAX,
	  "manifest line 11: member size '1e3' is not a decimal number" },
	/* hex */
	{ REPLACE, 11, "member ksplice-x/update.ko 1234 "
	  "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	  KS_ERR_SYNTAX, "manifest line 11: bad hex digit 'g' in sha256" },
	{ REPLACE, 11, "member ksplice-x/update.ko 1234 abc", KS_ERR_SYNTAX,
	  "manifest line 11: sha256 'abc' of member 'ksplice-x/update.ko' is not 64 hex digits" },
	{ REPLACE, 11, "member ksplice-x/update.ko 1234 " HEX64 "0",
	  KS_ERR_SYNTAX,
	  "manifest line 11: sha256 '" HEX64 "0' of member 'ksplice-x/update.ko' is not 64 hex digits" },
	{ APPEND, 0, "kernel-build-id 0x12", KS_ERR_SYNTAX,
	  "manifest line 12: bad hex digit 'x' in kernel-build-id" },
	{ APPEND, 0, "kernel-build-id abc", KS_ERR_SYNTAX,
	  "manifest line 12: kernel-build-id needs an even number of hex digits, 2 to 40" },
	{ APPEND, 0, "kernel-build-id a", KS_ERR_SYNTAX,
	  "manifest line 12: kernel-build-id needs an even number of hex digits, 2 to 40" },
	{ APPEND, 0, "kernel-build-id "
	  "0123456789abcdef0123456789abcdef0123456789", KS_ERR_LIMIT,
	  "manifest line 12: kernel-build-id too long (42 hex digits, limit 40)" },
	/* characters of ids, targets, releases */
	{ REPLACE, 2, "id x/y", KS_ERR_SYNTAX,
	  "manifest line 2: bad character '/' in id 'x/y' (allowed: A-Z a-z 0-9 _ -)" },
	{ REPLACE, 2, "id x.y", KS_ERR_SYNTAX,
	  "manifest line 2: bad character '.' in id 'x.y' (allowed: A-Z a-z 0-9 _ -)" },
	{ REPLACE, 2, "id \xc3\xbc", KS_ERR_SYNTAX,
	  "manifest line 2: bad character '\\xc3' in id '\\xc3\\xbc' (allowed: A-Z a-z 0-9 _ -)" },
	{ REPLACE, 5, "target foo/bar", KS_ERR_SYNTAX,
	  "manifest line 5: bad character '/' in target 'foo/bar' (allowed: A-Z a-z 0-9 _ -)" },
	{ REPLACE, 4, "kernel-release ../../etc", KS_ERR_SYNTAX,
	  "manifest line 4: bad character '.' in kernel-release '../../etc' (allowed: A-Z a-z 0-9 . _ + -, starting with a letter or digit)" },
	{ REPLACE, 4, "kernel-release 6.1/x", KS_ERR_SYNTAX,
	  "manifest line 4: bad character '/' in kernel-release '6.1/x' (allowed: A-Z a-z 0-9 . _ + -, starting with a letter or digit)" },
	{ REPLACE, 6, "function \xc3\xbc 10", KS_ERR_SYNTAX,
	  "manifest line 6: bad character '\\xc3' in function name '\\xc3\\xbc'" },
	/* sections */
	{ INSERT, 5, "function early 10", KS_ERR_SYNTAX,
	  "manifest line 5: function 'early' outside a target section (no 'target' line before it)" },
	/* member and module paths */
	{ APPEND, 0, "member /etc/passwd 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member '/etc/passwd' is absolute" },
	{ APPEND, 0, "member ksplice-x/../etc/passwd 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-x/../etc/passwd' has a '..' component" },
	{ APPEND, 0, "member ksplice-x/a/.. 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-x/a/..' has a '..' component" },
	{ APPEND, 0, "member ../ksplice-x/a 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member '../ksplice-x/a' has a '..' component" },
	{ APPEND, 0, "member ksplice-x/./a 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-x/./a' has a '.' component" },
	{ APPEND, 0, "member ksplice-x//a 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-x//a' has an empty component" },
	{ APPEND, 0, "member ksplice-x/a/ 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-x/a/' has an empty component" },
	{ APPEND, 0, "member other/file 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'other/file' is not under ksplice-x/" },
	{ APPEND, 0, "member ksplice-xy/file 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-xy/file' is not under ksplice-x/" },
	{ APPEND, 0, "member ksplice-x 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-x' is not under ksplice-x/" },
	{ APPEND, 0, "member ksplice-x/manifest 1 " HEX64, KS_ERR_PATH,
	  "manifest line 12: member 'ksplice-x/manifest' is the manifest, which is not listed" },
	{ REPLACE, 10, "module ksplice-x/update.o", KS_ERR_SYNTAX,
	  "manifest line 10: module 'ksplice-x/update.o' does not end in .ko" },
	{ REPLACE, 10, "module ksplice-x/.ko", KS_ERR_SYNTAX,
	  "manifest line 10: module 'ksplice-x/.ko' does not end in .ko" },
	{ REPLACE, 10, "module /ksplice-x/update.ko", KS_ERR_PATH,
	  "manifest line 10: module '/ksplice-x/update.ko' is absolute" },
	{ REPLACE, 10, "module ksplice-x/../update.ko", KS_ERR_PATH,
	  "manifest line 10: module 'ksplice-x/../update.ko' has a '..' component" },
	{ REPLACE, 10, "module other/update.ko", KS_ERR_PATH,
	  "manifest line 10: module 'other/update.ko' is not under ksplice-x/" },
	{ APPEND, 0, "module ksplice-x/other.ko", KS_ERR_MISSING,
	  "manifest line 12: module 'ksplice-x/other.ko' has no 'member' line" },
};

START_TEST(test_bad)
{
	const char *text = edit(bad_cases[_i].op, bad_cases[_i].line,
				bad_cases[_i].text);
	int err = parse(text);

	ck_assert_msg(err == bad_cases[_i].err, "case %d (%s): got %d, %s",
		      _i, bad_cases[_i].msg, err, msg);
	if (bad_cases[_i].msg)
		ck_assert_str_eq(msg, bad_cases[_i].msg);
}
END_TEST

START_TEST(test_text_edges)
{
	static const char nul[] = "format 1\nid x\0y\n";
	const char *good = edit(KEEP, 0, NULL);
	char cut[4096];

	ck_assert_int_eq(parse(""), KS_ERR_MISSING);
	ck_assert_str_eq(msg, "manifest: empty; the first line must be 'format <version>'");
	/* No final newline. */
	strcpy(cut, good);
	cut[strlen(cut) - 1] = '\0';
	ck_assert_int_eq(parse(cut), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest line 11: no newline at the end of the last line");
	/* A NUL inside a line: the length counts, not the terminator. */
	ck_assert_int_eq(ks_manifest_parse(m, nul, sizeof(nul) - 1, msg,
					   sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest line 2: control character '\\x00'");
	/* Only the first @len bytes are read. */
	ck_assert_int_eq(ks_manifest_parse(m, good, 9, msg, sizeof(msg)),
			 KS_ERR_MISSING);
	ck_assert_str_eq(msg, "manifest: missing required key 'id'");
	/* A too-small message buffer is cut, NUL-terminated, not overrun. */
	memset(cut, 'Z', sizeof(cut));
	ck_assert_int_eq(ks_manifest_parse(m, "format 7\n", 9, cut, 10),
			 KS_ERR_VERSION);
	ck_assert_str_eq(cut, "manifest ");
	ck_assert_int_eq(cut[10], 'Z');
	ck_assert_int_eq(ks_manifest_parse(m, "format 7\n", 9, NULL, 0),
			 KS_ERR_VERSION);
}
END_TEST

START_TEST(test_lengths)
{
	char line[4096], path[300];

	/* id: 64 bytes of every allowed character fine, 65 refused. */
	snprintf(path, sizeof(path), "AZaz09_-%s", rep('i', 56));
	snprintf(line, sizeof(line),
		 "format 1\nid %s\ndescription d\nkernel-release r\n"
		 "module ksplice-%s/u.ko\nmember ksplice-%s/u.ko 1 %s\n",
		 path, path, path, HEX64);
	ck_assert_msg(parse(line) == 0, "%s", msg);
	ck_assert_str_eq(m->id, path);
	ck_assert_int_eq(parse(edit(REPLACE, 2, strcat(strcpy(line, "id "),
							rep('i', 65)))),
			 KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 2: id too long (65 bytes, limit 64)");

	/* description: 1024 fine, 1025 refused. */
	strcat(strcpy(line, "description "), rep('d', 1024));
	ck_assert_msg(parse(edit(REPLACE, 3, line)) == 0, "%s", msg);
	ck_assert_uint_eq(strlen(m->description), 1024);
	strcat(strcpy(line, "description "), rep('d', 1025));
	ck_assert_int_eq(parse(edit(REPLACE, 3, line)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 3: description too long (1025 bytes, limit 1024)");

	/* kernel-release: 64 fine, 65 refused. */
	strcat(strcpy(line, "kernel-release "), rep('6', 64));
	ck_assert_msg(parse(edit(REPLACE, 4, line)) == 0, "%s", msg);
	strcat(strcpy(line, "kernel-release "), rep('6', 65));
	ck_assert_int_eq(parse(edit(REPLACE, 4, line)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 4: kernel-release too long (65 bytes, limit 64)");

	/* function and target names: 255 fine, 256 refused. */
	snprintf(line, sizeof(line), "function %s 1", rep('f', 255));
	ck_assert_msg(parse(edit(REPLACE, 6, line)) == 0, "%s", msg);
	ck_assert_uint_eq(strlen(m->functions[0].name), 255);
	snprintf(line, sizeof(line), "function %s 1", rep('f', 256));
	ck_assert_int_eq(parse(edit(REPLACE, 6, line)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 6: function name too long (256 bytes, limit 255)");
	snprintf(line, sizeof(line), "target %s", rep('t', 255));
	ck_assert_msg(parse(edit(REPLACE, 5, line)) == 0, "%s", msg);
	snprintf(line, sizeof(line), "target %s", rep('t', 256));
	ck_assert_int_eq(parse(edit(REPLACE, 5, line)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 5: target name too long (256 bytes, limit 255)");

	/* member paths: 255 fine, 256 refused. */
	snprintf(path, sizeof(path), "ksplice-x/%s", rep('p', 245));
	snprintf(line, sizeof(line), "member %s 1 %s", path, HEX64);
	ck_assert_msg(parse(edit(APPEND, 0, line)) == 0, "%s", msg);
	ck_assert_int_eq(ks_manifest_find_member(m, path), 1);
	snprintf(path, sizeof(path), "ksplice-x/%s", rep('p', 246));
	snprintf(line, sizeof(line), "member %s 1 %s", path, HEX64);
	ck_assert_int_eq(parse(edit(APPEND, 0, line)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 12: member too long (256 bytes, limit 255)");
	snprintf(line, sizeof(line), "module %s", path);
	ck_assert_int_eq(parse(edit(REPLACE, 10, line)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 10: module too long (256 bytes, limit 255)");
}
END_TEST

/* A manifest with @n lines of @fmt (%u: the index) after the header. */
static char *many(const char *fmt, unsigned int n)
{
	size_t cap = 64 + (size_t)n * 128, len;
	char *text = malloc(cap);
	unsigned int i;

	ck_assert_ptr_nonnull(text);
	len = (size_t)sprintf(text, "format 1\nid x\ndescription d\n"
			      "kernel-release r\nmodule ksplice-x/u.ko\n"
			      "member ksplice-x/u.ko 1 " HEX64 "\n"
			      "target vmlinux\n");
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(text + len, cap - len, fmt, i);
		text[len++] = '\n';
	}
	text[len] = '\0';
	return text;
}

START_TEST(test_limits)
{
	char *t;

	t = many("target t%u", KS_MAX_TARGETS - 1);
	ck_assert_msg(parse(t) == 0, "%s", msg);
	free(t);
	t = many("target t%u", KS_MAX_TARGETS);
	ck_assert_int_eq(parse(t), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 263: too many targets (limit 256)");
	free(t);

	t = many("function f%u 1", KS_MAX_FUNCTIONS);
	ck_assert_msg(parse(t) == 0, "%s", msg);
	ck_assert_uint_eq(m->targets[0].nr, KS_MAX_FUNCTIONS);
	ck_assert_int_eq(ks_manifest_find_function(m, 0, "f4095"), 4095);
	free(t);
	t = many("function f%u 1", KS_MAX_FUNCTIONS + 1);
	ck_assert_int_eq(parse(t), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 4104: too many functions (limit 4096)");
	free(t);

	t = many("member ksplice-x/m%u 1 " HEX64, KS_MAX_MEMBERS - 1);
	ck_assert_msg(parse(t) == 0, "%s", msg);
	free(t);
	t = many("member ksplice-x/m%u 1 " HEX64, KS_MAX_MEMBERS);
	ck_assert_int_eq(parse(t), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 71: too many members (limit 64)");
	free(t);

	t = many("module ksplice-x/m%u.ko", KS_MAX_MODULES);
	ck_assert_int_eq(parse(t), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest line 71: too many modules (limit 64)");
	free(t);
}
END_TEST

/* Build with the setters, as ksplice-create does. */
static void build(struct ks_manifest *b)
{
	ks_u8 sha[KS_SHA256_LEN];

	ks_sha256("update", 6, sha);
	ks_manifest_init(b);
	ck_assert_int_eq(ks_manifest_set_id(b, "cve-2024_1", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_description(b, "Fix \xc3\xbc overflow", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_kernel_release(b, "6.1.0-56-amd64", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_build_id(b, "00ff10ee", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_target(b, "vmlinux", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_function(b, "do_foo", 100, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_function(b, "do_foo.cold", 7, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_target(b, "ext4", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_function(b, "do_foo", 1, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_module(b, "ksplice-cve-2024_1/a.ko", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_module(b, "ksplice-cve-2024_1/b.ko", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_member(b, "ksplice-cve-2024_1/b.ko", 6, sha, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_member(b, "ksplice-cve-2024_1/a.ko", 0, sha, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_member(b, "ksplice-cve-2024_1/pre/x.o", 268435456, sha, msg, sizeof(msg)), 0);
}

/* What build() writes; %s: the sha256 of "update", three times. */
static const char built_fmt[] =
	"format 1\n"
	"id cve-2024_1\n"
	"description Fix \xc3\xbc overflow\n"
	"kernel-release 6.1.0-56-amd64\n"
	"kernel-build-id 00ff10ee\n"
	"target vmlinux\n"
	"function do_foo 100\n"
	"function do_foo.cold 7\n"
	"target ext4\n"
	"function do_foo 1\n"
	"module ksplice-cve-2024_1/a.ko\n"
	"module ksplice-cve-2024_1/b.ko\n"
	"member ksplice-cve-2024_1/b.ko 6 %s\n"
	"member ksplice-cve-2024_1/a.ko 0 %s\n"
	"member ksplice-cve-2024_1/pre/x.o 268435456 %s\n";

START_TEST(test_round_trip)
{
	struct ks_manifest *b = malloc(sizeof(*b));
	char text[4096], again[4096], expect[4096];
	ks_size len = 0, len2 = 0;
	char sha_hex[65];

	ck_assert_ptr_nonnull(b);
	build(b);
	ck_assert_int_eq(ks_manifest_check(b, msg, sizeof(msg)), 0);
	/* Size query, then a buffer one byte short, then the real thing. */
	ck_assert_int_eq(ks_manifest_write(b, NULL, 0, &len, msg, sizeof(msg)),
			 KS_ERR_NOSPACE);
	ck_assert_uint_gt(len, 100);
	ck_assert_int_eq(ks_manifest_write(b, text, len, &len2, msg,
					   sizeof(msg)), KS_ERR_NOSPACE);
	ck_assert_uint_eq(len2, len);
	ck_assert_int_eq(ks_manifest_write(b, text, len + 1, &len2, msg,
					   sizeof(msg)), 0);
	ck_assert_uint_eq(len2, len);
	ck_assert_uint_eq(strlen(text), len);
	/* Canonical text, sha256 in lowercase hex. */
	ks_sha256_hex(b->members[0].sha256, sha_hex);
	snprintf(expect, sizeof(expect), built_fmt, sha_hex, sha_hex, sha_hex);
	ck_assert_str_eq(text, expect);
	ck_assert_str_eq(sha_hex, "2937013f2181810606b2a799b05bda28"
			 "49f3e369a20982a4138f0e0a55984ce4");

	/* Parse it back: the same manifest, which writes the same text. */
	ck_assert_msg(parse(text) == 0, "%s", msg);
	ck_assert_str_eq(m->id, b->id);
	ck_assert_str_eq(m->description, b->description);
	ck_assert_str_eq(m->kernel_release, b->kernel_release);
	ck_assert_uint_eq(m->build_id_len, 4);
	ck_assert_mem_eq(m->build_id, "\x00\xff\x10\xee", 4);
	ck_assert_uint_eq(m->nr_targets, 2);
	ck_assert_uint_eq(m->nr_functions, 3);
	ck_assert_uint_eq(m->nr_modules, 2);
	ck_assert_uint_eq(m->nr_members, 3);
	ck_assert_uint_eq(m->members[2].size, 268435456);
	ck_assert_mem_eq(m->members[1].sha256, b->members[1].sha256,
			 KS_SHA256_LEN);
	ck_assert_int_eq(ks_manifest_write(m, again, sizeof(again), &len2, msg,
					   sizeof(msg)), 0);
	ck_assert_str_eq(again, text);

	/* And the base manifest of the parser tests writes back verbatim. */
	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	ck_assert_int_eq(ks_manifest_write(m, again, sizeof(again), &len2, msg,
					   sizeof(msg)), 0);
	ck_assert_str_eq(again, edit(KEEP, 0, NULL));
	free(b);
}
END_TEST

/*
 * The compliance fields: CVE ids (sorted by year and number, each once)
 * and the effective release.  A manifest without them (format 1 as it
 * was) still reads, and writes back without them.
 */
START_TEST(test_cves)
{
	struct ks_manifest *b = malloc(sizeof(*b));
	char text[4096], again[4096];
	const char *p;
	ks_size len;

	ck_assert_ptr_nonnull(b);
	build(b);
	ck_assert_int_eq(ks_manifest_add_cve(b, "CVE-2026-10000", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_cve(b, "CVE-2026-9999", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_cve(b, "CVE-2014-0160", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_cve(b, "CVE-2026-9999", msg, sizeof(msg)),
			 KS_ERR_DUPLICATE);
	ck_assert_str_eq(msg, "manifest: duplicate cve 'CVE-2026-9999'");
	ck_assert_int_eq(ks_manifest_add_cve(b, "CVE-26-1", msg, sizeof(msg)),
			 KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest: bad CVE id 'CVE-26-1' (expected CVE-YYYY-NNNN, 4 to 14 digits)");
	ck_assert_int_eq(ks_manifest_add_cve(b, "cve-2026-1234", msg, sizeof(msg)),
			 KS_ERR_SYNTAX);
	ck_assert_int_eq(ks_manifest_add_cve(b, "CVE-2026-123456789012345", msg, sizeof(msg)),
			 KS_ERR_SYNTAX);
	ck_assert_uint_eq(b->nr_cves, 3);
	ck_assert_int_eq(ks_manifest_set_effective_release(b, "6.1.192-1", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_effective_release(b, "/etc", msg, sizeof(msg)),
			 KS_ERR_SYNTAX);
	ck_assert_str_eq(b->effective_release, "6.1.192-1");
	ck_assert_int_eq(ks_manifest_write(b, text, sizeof(text), &len, msg,
					   sizeof(msg)), 0);
	p = strstr(text, "kernel-build-id 00ff10ee\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(!strncmp(p + 25, "effective-release 6.1.192-1\n"
			       "cve CVE-2014-0160\n"
			       "cve CVE-2026-9999\n"
			       "cve CVE-2026-10000\n"
			       "target vmlinux\n", 93), "%s", p);

	/* Read back: the same fields, the same text. */
	ck_assert_msg(parse(text) == 0, "%s", msg);
	ck_assert_uint_eq(m->nr_cves, 3);
	ck_assert_str_eq(m->cves[0], "CVE-2014-0160");
	ck_assert_str_eq(m->cves[2], "CVE-2026-10000");
	ck_assert_str_eq(m->effective_release, "6.1.192-1");
	ck_assert_int_eq(ks_manifest_write(m, again, sizeof(again), &len, msg,
					   sizeof(msg)), 0);
	ck_assert_str_eq(again, text);

	/* Any order in, sorted out; a repeat, a bad id, refused by line. */
	ck_assert_int_eq(parse(edit(INSERT, 5, "cve CVE-2025-00001")), 0);
	ck_assert_int_eq(parse(edit(APPEND, 0, "cve CVE-2024-1234")), 0);
	ck_assert_str_eq(m->cves[0], "CVE-2024-1234");
	ck_assert_int_eq(parse(edit(APPEND, 0, "cve CVE-2024-12x4")),
			 KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest line 12: bad CVE id 'CVE-2024-12x4' (expected CVE-YYYY-NNNN, 4 to 14 digits)");
	ck_assert_int_eq(parse(edit(APPEND, 0, "cve CVE-2024-1234 x")),
			 KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest line 12: expected 'cve <CVE-YYYY-NNNN>'");
	ck_assert_int_eq(parse(edit(APPEND, 0, "effective-release a b")),
			 KS_ERR_SYNTAX);
	ck_assert_int_eq(parse(edit(APPEND, 0, "effective-release 1:6.1~rc1+b2")), 0);
	ck_assert_str_eq(m->effective_release, "1:6.1~rc1+b2");
	ck_assert_int_eq(parse(edit(APPEND, 0, "effective-release .x")),
			 KS_ERR_SYNTAX);

	/* An older manifest: no such lines, none in memory. */
	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	ck_assert_uint_eq(m->nr_cves, 0);
	ck_assert_str_eq(m->effective_release, "");

	/* ks_manifest_check refuses what the parser would: disorder. */
	ck_assert_int_eq(parse(text), 0);
	memcpy(m->cves[0], "CVE-2030-0001", 14);
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest: cve 'CVE-2026-9999' out of order or repeated");
	free(b);
}
END_TEST

START_TEST(test_setters_refuse)
{
	ks_u8 sha[KS_SHA256_LEN] = { 0 };

	ks_manifest_init(m);
	ck_assert_int_eq(ks_manifest_set_id(m, "a b", msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest: bad character ' ' in id 'a b' (allowed: A-Z a-z 0-9 _ -)");
	ck_assert_str_eq(m->id, "");
	ck_assert_int_eq(ks_manifest_set_id(m, "", msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest: empty id");
	ck_assert_int_eq(ks_manifest_set_id(m, "x", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_set_id(m, "y", msg, sizeof(msg)), 0);
	ck_assert_str_eq(m->id, "y");
	ck_assert_int_eq(ks_manifest_set_description(m, "a\nb", msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest: control character '\\x0a' in description");
	ck_assert_int_eq(ks_manifest_set_kernel_release(m, ".hidden", msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_int_eq(ks_manifest_set_build_id(m, "abc", msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_int_eq(ks_manifest_set_build_id(m, rep('a', 42), msg, sizeof(msg)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest: kernel-build-id too long (42 hex digits, limit 40)");
	ck_assert_uint_eq(m->build_id_len, 0);
	ck_assert_int_eq(ks_manifest_set_build_id(m, rep('a', 40), msg, sizeof(msg)), 0);
	ck_assert_uint_eq(m->build_id_len, 20);
	ck_assert_int_eq(ks_manifest_set_build_id(m, NULL, msg, sizeof(msg)), 0);
	ck_assert_uint_eq(m->build_id_len, 0);

	ck_assert_int_eq(ks_manifest_add_function(m, "f", 1, msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest: function 'f' outside a target section (no 'target' line before it)");
	ck_assert_int_eq(ks_manifest_add_target(m, "vmlinux", msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_function(m, "f", 0, msg, sizeof(msg)), KS_ERR_RANGE);
	ck_assert_str_eq(msg, "manifest: function size 0 out of range (1..16777216)");
	ck_assert_int_eq(ks_manifest_add_function(m, "f", 1ULL << 32, msg, sizeof(msg)), KS_ERR_RANGE);
	ck_assert_int_eq(ks_manifest_add_function(m, "f g", 1, msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_uint_eq(m->nr_functions, 0);
	ck_assert_int_eq(ks_manifest_add_member(m, "ksplice-y/a/../b", 1, sha, msg, sizeof(msg)), KS_ERR_PATH);
	ck_assert_str_eq(msg, "manifest: member 'ksplice-y/a/../b' has a '..' component");
	ck_assert_int_eq(ks_manifest_add_member(m, "ksplice-y/a", KS_MEMBER_SIZE_MAX + 1ULL, sha, msg, sizeof(msg)), KS_ERR_RANGE);
	ck_assert_str_eq(msg, "manifest: member size 268435457 too large (limit 268435456)");
	ck_assert_uint_eq(m->nr_members, 0);
	ck_assert_int_eq(ks_manifest_add_member(m, "ksplice-y/a.ko", 1, sha, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ks_manifest_add_member(m, "ksplice-y/a.ko", 1, sha, msg, sizeof(msg)), KS_ERR_DUPLICATE);
	ck_assert_str_eq(msg, "manifest: duplicate member 'ksplice-y/a.ko'");
	ck_assert_int_eq(ks_manifest_add_module(m, "ksplice-y/a", msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_uint_eq(m->nr_modules, 0);

	/* Incomplete: check and write refuse without a line number. */
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), KS_ERR_MISSING);
	ck_assert_str_eq(msg, "manifest: missing required key 'description'");
}
END_TEST

/* ks_manifest_check catches what a caller poked into the struct. */
START_TEST(test_check_poked)
{
	char text[4096];
	ks_size len;

	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	m->format = 2;
	ck_assert_int_eq(ks_manifest_write(m, text, sizeof(text), &len, msg,
					   sizeof(msg)), KS_ERR_VERSION);
	ck_assert_str_eq(msg, "manifest: unsupported format version 2 (this ksplice reads 1)");
	ck_assert_uint_eq(len, 0);

	/* same-named static functions of two files of one target */
	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	strcpy(m->functions[1].name, "do_foo");
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), 0);
	ck_assert_int_eq(parse(edit(REPLACE, 7, "function do_foo 64")), 0);
	ck_assert_uint_eq(m->targets[0].nr, 2);
	ck_assert_str_eq(m->functions[1].name, "do_foo");

	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	memset(m->id, 'i', sizeof(m->id));
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), KS_ERR_LIMIT);
	ck_assert_str_eq(msg, "manifest: id too long (65 bytes, limit 64)");

	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	m->members[0] = m->members[0];
	m->members[1] = m->members[0];
	m->members[1].line = 0;
	m->nr_members = 2;
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), KS_ERR_DUPLICATE);
	ck_assert_str_eq(msg, "manifest: duplicate member 'ksplice-x/update.ko'");

	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	m->targets[1].first = 1;
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), KS_ERR_SYNTAX);
	ck_assert_str_eq(msg, "manifest line 8: functions of target 'ext4' out of order");

	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	m->functions[0].size = 0;
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), KS_ERR_RANGE);

	ck_assert_int_eq(parse(edit(KEEP, 0, NULL)), 0);
	strcpy(m->members[0].path, "/abs.ko");
	ck_assert_int_eq(ks_manifest_check(m, msg, sizeof(msg)), KS_ERR_PATH);
	ck_assert_str_eq(msg, "manifest line 11: member '/abs.ko' is absolute");
}
END_TEST

START_TEST(test_lookups)
{
	ck_assert_int_eq(parse(edit(APPEND, 0, "member ksplice-x/pre/a.o 5 " HEX64)), 0);
	ck_assert_int_eq(ks_manifest_find_member(m, "ksplice-x/update.ko"), 0);
	ck_assert_int_eq(ks_manifest_find_member(m, "ksplice-x/pre/a.o"), 1);
	ck_assert_int_eq(ks_manifest_find_member(m, "ksplice-x/pre/a"), -1);
	ck_assert_int_eq(ks_manifest_find_member(m, "ksplice-x/pre/a.o2"), -1);
	ck_assert_int_eq(ks_manifest_find_member(m, ""), -1);
	ck_assert_int_eq(ks_manifest_find_member(m, rep('a', 1000)), -1);
	ck_assert_int_eq(ks_manifest_find_module(m, "ksplice-x/update.ko"), 0);
	ck_assert_int_eq(ks_manifest_find_module(m, "ksplice-x/pre/a.o"), -1);
	ck_assert_int_eq(ks_manifest_find_target(m, "vmlinux"), 0);
	ck_assert_int_eq(ks_manifest_find_target(m, "ext4"), 1);
	ck_assert_int_eq(ks_manifest_find_target(m, "ext"), -1);
	ck_assert_int_eq(ks_manifest_find_function(m, 0, "do_foo"), 0);
	ck_assert_int_eq(ks_manifest_find_function(m, 0, "do_bar.isra.0"), 1);
	ck_assert_int_eq(ks_manifest_find_function(m, 0, "ext4_thing"), -1);
	ck_assert_int_eq(ks_manifest_find_function(m, 1, "ext4_thing"), 2);
	ck_assert_int_eq(ks_manifest_find_function(m, 1, "do_foo"), -1);
	ck_assert_int_eq(ks_manifest_find_function(m, 2, "do_foo"), -1);
	ck_assert_int_eq(ks_manifest_is_own_path(m, "ksplice-x/manifest"), 1);
	ck_assert_int_eq(ks_manifest_is_own_path(m, "ksplice-y/manifest"), 0);
	ck_assert_int_eq(ks_manifest_is_own_path(m, "ksplice-x/manifest2"), 0);
	ck_assert_int_eq(ks_manifest_is_own_path(m, "ksplice-x/a/manifest"), 0);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(ks_strerror(0), "ok");
	ck_assert_str_eq(ks_strerror(KS_ERR_VERSION), "unsupported version");
	ck_assert_str_eq(ks_strerror(KS_ERR_NOMEM), "out of memory");
	ck_assert_str_eq(ks_strerror(-100), "unknown error");
	ck_assert_str_eq(ks_strerror(3), "unknown error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("manifest");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good);
	tcase_add_loop_test(tc, test_good_variants, 0,
			    sizeof(good_cases) / sizeof(good_cases[0]));
	tcase_add_loop_test(tc, test_bad, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_text_edges);
	tcase_add_test(tc, test_lengths);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_cves);
	tcase_add_test(tc, test_setters_refuse);
	tcase_add_test(tc, test_check_poked);
	tcase_add_test(tc, test_lookups);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
