// SPDX-License-Identifier: GPL-2.0
/*
 * CVE ids for the manifest (create/cve.c): --cve's check and the ids in
 * a patch's header, which ends at the first "diff " or "---" line; ids
 * in the diff itself (a comment the patch adds) are not the fix's.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../create/create.h"
#include "ksplice/manifest.h"

static struct create c;

static void reset(void)
{
	unsigned int i;

	for (i = 0; i < c.nr_cves; i++)
		free(c.cves[i]);
	free(c.cves);
	c.cves = NULL;
	c.nr_cves = 0;
}

/* The ids found, joined by spaces. */
static const char *scan(const char *text)
{
	static char out[1024];
	unsigned int i;

	reset();
	cve_scan_header(&c, text, strlen(text));
	out[0] = '\0';
	for (i = 0; i < c.nr_cves; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, c.cves[i]);
	}
	return out;
}

START_TEST(test_normalize)
{
	char id[KS_CVE_MAX + 1];

	ck_assert(cve_normalize("CVE-2026-1234", 13, id));
	ck_assert_str_eq(id, "CVE-2026-1234");
	ck_assert(cve_normalize("cve-2026-12345678901234", 23, id));
	ck_assert_str_eq(id, "CVE-2026-12345678901234");
	ck_assert(!cve_normalize("CVE-2026-123456789012345", 24, id));
	ck_assert(!cve_normalize("CVE-2026-123", 12, id));
	ck_assert(!cve_normalize("CVE-26-1234", 11, id));
	ck_assert(!cve_normalize("CVE-2026-12a4", 13, id));
	ck_assert(!cve_normalize("CVE_2026_1234", 13, id));
	ck_assert(!cve_normalize("", 0, id));
}
END_TEST

START_TEST(test_format_patch)
{
	const char *p =
		"From 1234 Mon Sep 17 00:00:00 2001\n"
		"From: A Developer <a@example.org>\n"
		"Subject: [PATCH] net: fix the foo overflow (CVE-2026-9999)\n"
		"\n"
		"The length was not checked.  See also cve-2025-00042,\n"
		"CVE-2026-10000. and CVE-2026-9999 again.\n"
		"\n"
		"CVE: CVE-2024-1234\n"
		"Signed-off-by: A Developer <a@example.org>\n"
		"---\n"
		" net/foo.c | 2 +-\n"
		"diff --git a/net/foo.c b/net/foo.c\n"
		"--- a/net/foo.c\n"
		"+++ b/net/foo.c\n"
		"@@ -1 +1 @@\n"
		"-/* CVE-2020-1111 */\n"
		"+/* CVE-2021-2222 */\n";

	/* In the order found; the manifest sorts. */
	ck_assert_str_eq(scan(p), "CVE-2026-9999 CVE-2025-00042 "
			 "CVE-2026-10000 CVE-2024-1234");
}
END_TEST

START_TEST(test_edges)
{
	/* No header at all: a bare diff. */
	ck_assert_str_eq(scan("--- a/x.c\n+++ b/x.c\n+CVE-2026-1234\n"), "");
	ck_assert_str_eq(scan("diff -u a b\nCVE-2026-1234\n"), "");
	/* Not ids: glued to a word, a letter after, too few digits. */
	ck_assert_str_eq(scan("XCVE-2026-1234 CVE-2026-1234abc CVE-2026-123\n"
			      "CVE-2026-123456789012345\n---\n"), "");
	/* Ids with neighbours that end them. */
	ck_assert_str_eq(scan("(CVE-2026-1234),CVE-2026-5678-fix\n"
			      "[CVE-2026-0001]: CVE-2026-1234\n"),
			 "CVE-2026-1234 CVE-2026-5678 CVE-2026-0001");
	/* The header reaches the end of a text with no diff line. */
	ck_assert_str_eq(scan("Fixes CVE-2026-4321"), "CVE-2026-4321");
	/* A line that only contains "---" later is no end. */
	ck_assert_str_eq(scan("a --- b CVE-2026-4321\n---\n"), "CVE-2026-4321");
}
END_TEST

START_TEST(test_add_dedupes)
{
	reset();
	cve_add(&c, "CVE-2026-1");
	cve_add(&c, "CVE-2026-2");
	cve_add(&c, "CVE-2026-1");
	ck_assert_uint_eq(c.nr_cves, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cve");
	TCase *tc = tcase_create("cve");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_normalize);
	tcase_add_test(tc, test_format_patch);
	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_add_dedupes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	reset();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
