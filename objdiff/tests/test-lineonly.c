// SPDX-License-Identifier: GPL-2.0
/*
 * Line-number-only differences (lineonly.c): x.c is compiled before and
 * after a patch, both times as "x.c" so that __FILE__ agrees, and the
 * patch made with diff -u gives the line map.  A blank line added at the
 * top moves every __LINE__ (a __might_sleep argument, a bug-table line,
 * a "x.c:NN" message) and is no change; a real change beside it is one,
 * and only in its function.  --explain's listing shows it.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "objdiff.h"
#include "internal.h"

#define CFLAGS "-O2 -ffunction-sections -fdata-sections -fno-pic " \
	"-mcmodel=kernel -fno-asynchronous-unwind-tables " \
	"-fno-stack-protector -fcf-protection=none -w -c"

/* f: __might_sleep(__FILE__, __LINE__); g: a "file:line" string; h: BUG */
#define SRC "%s" \
	"void __might_sleep(const char *file, int line);\n" \
	"void report(const char *s);\n" \
	"#define STR2(x) #x\n" \
	"#define STR(x) STR2(x)\n" \
	"#define BUG_ON(c) do { if (c) asm volatile(\"1: ud2\\n\" \\\n" \
	"	\".pushsection __bug_table,\\\"aw\\\"\\n\" \\\n" \
	"	\".long 1b - .\\n.long %%c0 - .\\n.word %%c1\\n.word 0\\n\" \\\n" \
	"	\".popsection\" :: \"i\"(__FILE__), \"i\"(__LINE__)); } while (0)\n" \
	"int f(int x)\n{\n	__might_sleep(__FILE__, __LINE__);\n" \
	"	return x + 1;\n}\n" \
	"void g(int x)\n{\n	if (x)\n" \
	"		report(\"failed at \" __FILE__ \":\" STR(__LINE__));\n}\n" \
	"void h(int x)\n{\n	BUG_ON(x > %d);\n}\n" \
	"int k(void)\n{\n	return %d;\n}\n"

static char workdir[] = "/tmp/objdiff-lineonly.XXXXXX";

static void write_src(const char *dir, const char *top, int limit, int k)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", workdir, dir);
	ck_assert_int_eq(mkdir(path, 0755) == 0 || errno == EEXIST, 1);
	snprintf(path, sizeof(path), "%s/%s/x.c", workdir, dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, SRC, top, limit, k);
	fclose(f);
}

static void build(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "cd %s/%s && gcc " CFLAGS " -o x.o x.c",
		 workdir, dir);
	ck_assert_int_eq(system(cmd), 0);
}

/*
 * Diff pre/x.c and post/x.c (written by the caller), with the line map of
 * their patch when @use_map.
 */
static struct od_result *diff(bool use_map)
{
	struct od_symset *exported = od_symset_new();
	struct od_linemap *map = od_linemap_new();
	struct od_options opt = { .target = "vmlinux", .tag = "t",
				  .exported = exported };
	char a[256], b[256], cmd[512];
	struct od_result *res;

	build("pre");
	build("post");
	snprintf(cmd, sizeof(cmd), "cd %s && diff -u pre/x.c post/x.c "
		 ">x.patch; test $? = 1", workdir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(a, sizeof(a), "%s/x.patch", workdir);
	ck_assert_int_eq(od_linemap_add_patch(map, a), 0);
	if (use_map)
		opt.lines = map;
	od_symset_add(exported, "report");
	od_symset_add(exported, "__might_sleep");
	snprintf(a, sizeof(a), "%s/pre/x.o", workdir);
	snprintf(b, sizeof(b), "%s/post/x.o", workdir);
	res = od_diff(a, b, &opt);
	od_print_msgs(res, stderr, "  | ");
	od_linemap_free(map);
	od_symset_free(exported);
	return res;
}

static bool has_msg(const struct od_result *r, enum od_msg_kind kind,
		    const char *sym, const char *text)
{
	unsigned int i;

	for (i = 0; i < r->nr_msgs; i++)
		if (r->msgs[i].kind == kind && r->msgs[i].symbol &&
		    !strcmp(r->msgs[i].symbol, sym) &&
		    strstr(r->msgs[i].text, text))
			return true;
	return false;
}

static unsigned int nr_changed(const struct od_result *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->nr_msgs; i++)
		n += r->msgs[i].kind == OD_MSG_INFO &&
		     !strcmp(r->msgs[i].text, "changed function");
	return n;
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(workdir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(workdir + strlen(workdir) - 6, "XXXXXX");
}

START_TEST(test_map)
{
	struct od_linemap *m = od_linemap_new();
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/m.patch", workdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("--- a/fs/x.c\n+++ b/fs/x.c\n@@ -1,3 +1,4 @@\n+\n a\n b\n c\n"
	      "@@ -10,3 +11,2 @@\n j\n-k\n l\n", f);
	fclose(f);
	ck_assert_int_eq(od_linemap_add_patch(m, path), 0);
	ck_assert_uint_eq(od_linemap_map(m, "fs/x.c", 1), 2);
	ck_assert_uint_eq(od_linemap_map(m, "fs/x.c", 9), 10);
	ck_assert_uint_eq(od_linemap_map(m, "fs/x.c", 10), 11);
	ck_assert_uint_eq(od_linemap_map(m, "fs/x.c", 11), 0);	/* removed */
	ck_assert_uint_eq(od_linemap_map(m, "fs/x.c", 12), 12);
	ck_assert_uint_eq(od_linemap_map(m, "fs/x.c", 500), 500);
	ck_assert_uint_eq(od_linemap_map(m, "/src/linux/fs/x.c", 1), 2);
	ck_assert_uint_eq(od_linemap_map(m, "x.c", 1), 2);
	ck_assert_uint_eq(od_linemap_map(m, "gs/x.c", 1), 0);
	ck_assert_uint_eq(od_linemap_map(m, "fs/y.c", 1), 0);
	od_linemap_free(m);
}
END_TEST

/* A blank line at the top: every __LINE__ moves, nothing changes. */
START_TEST(test_blank_line_no_change)
{
	struct od_result *r;

	write_src("pre", "", 3, 7);
	write_src("post", "\n", 3, 7);
	r = diff(true);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	ck_assert(has_msg(r, OD_MSG_NOTE, "f", "only in line numbers"));
	ck_assert(has_msg(r, OD_MSG_NOTE, "g", "only in line numbers"));
	od_result_free(r);
}
END_TEST

/* Without the patch's map, the same objects differ in f and g. */
START_TEST(test_blank_line_without_map)
{
	struct od_result *r;

	write_src("pre", "", 3, 7);
	write_src("post", "\n", 3, 7);
	r = diff(false);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_msg(r, OD_MSG_INFO, "f", "changed function"));
	ck_assert(has_msg(r, OD_MSG_INFO, "g", "changed function"));
	ck_assert(!has_msg(r, OD_MSG_INFO, "h", "changed function"));
	od_result_free(r);
}
END_TEST

/* The blank line and a real change in h: h alone is changed. */
START_TEST(test_blank_line_and_change)
{
	struct od_result *r;

	write_src("pre", "", 3, 7);
	write_src("post", "\n", 4, 7);
	r = diff(true);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_msg(r, OD_MSG_INFO, "h", "changed function"));
	ck_assert_uint_eq(nr_changed(r), 1);
	od_result_free(r);
}
END_TEST

/*
 * A constant that changes as a line does (k returns its own line number
 * before and after) is still a change: k names no file.
 */
START_TEST(test_constant_like_line_changed)
{
	struct od_result *r;

	/* "return %d" sits on line 25 of pre, 26 of post */
	write_src("pre", "", 3, 25);
	write_src("post", "\n", 3, 26);
	r = diff(true);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_msg(r, OD_MSG_INFO, "k", "changed function"));
	ck_assert_uint_eq(nr_changed(r), 1);
	od_result_free(r);
}
END_TEST

/* --explain: the changed compare, the unchanged call by name. */
START_TEST(test_explain)
{
	struct od_result *r;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	write_src("pre", "", 3, 7);
	write_src("post", "", 3, 9);
	r = diff(true);
	ck_assert_int_eq(r->status, OD_CHANGED);
	f = open_memstream(&out, &len);
	od_explain(r, f, "> ");
	fclose(f);
	fputs(out, stderr);
	ck_assert_ptr_nonnull(strstr(out, "> k: changed function"));
	ck_assert_ptr_nonnull(strstr(out, "mov $0x7,%eax"));
	ck_assert_ptr_nonnull(strstr(out, "mov $0x9,%eax"));
	ck_assert_ptr_null(strstr(out, "> f:"));
	free(out);
	od_result_free(r);
}
END_TEST

static Suite *lineonly_suite(void)
{
	Suite *s = suite_create("lineonly");
	TCase *tc = tcase_create("lines");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_map);
	tcase_add_test(tc, test_blank_line_no_change);
	tcase_add_test(tc, test_blank_line_without_map);
	tcase_add_test(tc, test_blank_line_and_change);
	tcase_add_test(tc, test_constant_like_line_changed);
	tcase_add_test(tc, test_explain);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lineonly_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
