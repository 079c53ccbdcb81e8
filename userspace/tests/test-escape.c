// SPDX-License-Identifier: GPL-2.0
/*
 * Text output of what the engine reports (tool/report.c): a task name
 * with a newline, or any control character, stays on its line; a
 * conflict list read from sysfs prints one "conflict:" line per entry.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tool/tool.h"

START_TEST(test_plain)
{
	ck_assert_str_eq(esc("ext4_writepages"), "ext4_writepages");
	ck_assert_str_eq(esc("kworker/0:1 [pid 12]"), "kworker/0:1 [pid 12]");
	ck_assert_str_eq(esc("caf\xc3\xa9"), "caf\xc3\xa9");	/* UTF-8 kept */
	ck_assert_str_eq(esc(""), "");
}
END_TEST

START_TEST(test_controls)
{
	ck_assert_str_eq(esc("evil\nconflict: forged"),
			 "evil\\x0aconflict: forged");
	ck_assert_str_eq(esc("a\tb\rc\x1b[2J\x7f"),
			 "a\\x09b\\x0dc\\x1b[2J\\x7f");
	ck_assert_str_eq(esc("back\\slash"), "back\\x5cslash");
	ck_assert_str_eq(esc("c1\xc2\x9b" "31m"), "c1\\xc2\\x9b31m");
}
END_TEST

/* Several in one printf: the buffers rotate. */
START_TEST(test_rotation)
{
	char out[256];

	snprintf(out, sizeof(out), "%s|%s|%s", esc("a\n"), esc("b\n"),
		 esc("c"));
	ck_assert_str_eq(out, "a\\x0a|b\\x0a|c");
}
END_TEST

START_TEST(test_long)
{
	char *s = malloc(10000);
	const char *e;

	memset(s, '\n', 9999);
	s[9999] = '\0';
	e = esc(s);
	ck_assert_uint_le(strlen(e), 4096 + 4);
	ck_assert_ptr_null(strchr(e, '\n'));
	free(s);
}
END_TEST

/* A task name with a newline prints as one conflict line, not two. */
START_TEST(test_conflict_lines)
{
	char *conflicts[] = { "pid 7 evil\nconflict: pid 1 init",
			      "pid 8 ok" };
	struct update_info u = {
		.cause = "code_busy", .reason = "", .conflicts = conflicts,
		.nr_conflicts = 2,
	};
	char *buf = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	FILE *saved = stderr;
	int lines = 0;

	ck_assert_ptr_nonnull(f);
	stderr = f;
	print_failure(&u);
	stderr = saved;
	fclose(f);
	/* Lines that start as a conflict line; the forged one must not. */
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		lines += !strncmp(p, "  conflict: ", 12);
	ck_assert_int_eq(lines, 2);
	ck_assert_ptr_nonnull(strstr(buf, "  conflict: pid 7 evil\\x0aconflict: pid 1 init\n"));
	free(buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("esc");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_controls);
	tcase_add_test(tc, test_rotation);
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_conflict_lines);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
