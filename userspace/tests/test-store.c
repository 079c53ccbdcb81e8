// SPDX-License-Identifier: GPL-2.0
/*
 * The installed updates (tool/store.c): install order kept, a second
 * install of an id keeps its place, a package for another release is
 * refused and leaves nothing, removal, writes that replace whole files
 * (a crash's leftover or a planted symlink changes nothing outside),
 * a directory others can write is refused; and the boot status record.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tool/tool.h"
#include "../tool/store.h"

#define REL "6.1.0-57-amd64"

/* tool/state.c's, which this test does not link */
const char *tool_state_dir;

static char root[64];
static char pkg[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static char *read_file(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/test-store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	chmod(root, 0755);
	tool_store_dir = xasprintf("%s/store", root);
	tool_state_dir = xasprintf("%s/run", root);
	snprintf(pkg, sizeof(pkg), "%s/pkg.tar.gz", root);
	write_file(pkg, "package one");
}

static void teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", root);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void install(const char *id, bool unsigned_ok, bool want_again)
{
	bool again = !want_again;

	ck_assert_int_eq(store_install(REL, REL, id, pkg, unsigned_ok,
				       &again), 0);
	ck_assert_int_eq(again, want_again);
}

static void expect_order(const char *want)
{
	struct store_entry *list;
	int i, n = store_list(REL, &list);
	char got[512] = "";

	ck_assert_int_ge(n, 0);
	for (i = 0; i < n; i++) {
		strcat(got, list[i].id);
		strcat(got, list[i].allow_unsigned ? "! " : " ");
	}
	free(list);
	ck_assert_str_eq(got, want);
}

START_TEST(test_order)
{
	char *p;

	expect_order("");	/* no store yet: nothing installed */
	install("u1", false, false);
	install("u2", true, false);
	install("u3", false, false);
	expect_order("u1 u2! u3 ");
	/* again: same place, new copy, new flag */
	write_file(pkg, "package two");
	install("u2", false, true);
	expect_order("u1 u2 u3 ");
	p = store_package(REL, "u2");
	ck_assert_str_eq(read_file(p), "package two");
	ck_assert_int_eq(access(p, F_OK), 0);
	free(p);
	p = store_package(REL, "u1");
	ck_assert_str_eq(read_file(p), "package one");
	free(p);
	ck_assert(store_has(REL, "u3"));
	ck_assert(!store_has(REL, "u4"));
	ck_assert(!store_has("6.1.0-54-amd64", "u3"));
}
END_TEST

START_TEST(test_package_mode)
{
	struct stat st;
	char *p;

	install("u1", false, false);
	p = store_package(REL, "u1");
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	free(p);
}
END_TEST

START_TEST(test_wrong_release)
{
	bool again;
	char *dir = store_release_dir(REL);

	ck_assert_int_eq(store_install(REL, "6.1.0-54-amd64", "u1", pkg,
				       false, &again), -EINVAL);
	ck_assert_int_ne(access(dir, F_OK), 0);	/* nothing written */
	ck_assert_int_eq(store_install("../etc", "../etc", "u1", pkg, false,
				       &again), -EINVAL);
	ck_assert_int_eq(store_install(REL, REL, "bad/id", pkg, false,
				       &again), -EINVAL);
	expect_order("");
	free(dir);
}
END_TEST

START_TEST(test_remove)
{
	char *p;

	install("u1", false, false);
	install("u2", false, false);
	install("u3", false, false);
	ck_assert_int_eq(store_remove(REL, "u2"), 0);
	expect_order("u1 u3 ");
	p = store_package(REL, "u2");
	ck_assert_int_ne(access(p, F_OK), 0);
	free(p);
	ck_assert_int_eq(store_remove(REL, "u2"), -ENOENT);
	ck_assert_int_eq(store_remove("6.1.0-54-amd64", "u1"), -ENOENT);
	/* installed again: it goes last */
	install("u2", false, false);
	expect_order("u1 u3 u2 ");
}
END_TEST

/* A crash's leftover temp file, or a symlink planted as one, is replaced:
 * nothing outside the store is written through it. */
START_TEST(test_atomic)
{
	char *dir, *tmp, *victim, *link;

	install("u1", false, false);
	dir = store_release_dir(REL);
	tmp = xasprintf("%s/order.tmp", dir);
	write_file(tmp, "half a record");
	victim = xasprintf("%s/victim", root);
	write_file(victim, "untouched");
	link = xasprintf("%s/u2.tar.gz.tmp", dir);
	ck_assert_int_eq(symlink(victim, link), 0);
	install("u2", false, false);
	expect_order("u1 u2 ");
	ck_assert_int_ne(access(tmp, F_OK), 0);
	ck_assert_int_ne(access(link, F_OK), 0);
	ck_assert_str_eq(read_file(victim), "untouched");
	/* the record is whole, with its header line */
	free(tmp);
	tmp = xasprintf("%s/order", dir);
	ck_assert_str_eq(read_file(tmp), "# ksplice: updates ksplice-load "
			 "applies at boot of " REL ", in this order\n"
			 "update u1\nupdate u2\n");
	free(tmp);
	free(link);
	free(victim);
	free(dir);
}
END_TEST

/* A store directory someone else can write, or a symlink, is refused. */
START_TEST(test_unsafe_dir)
{
	char *dir, *target;
	struct store_entry *list;
	bool again;

	install("u1", false, false);
	dir = store_release_dir(REL);
	chmod(dir, 0777);
	ck_assert_int_eq(store_list(REL, &list), -EPERM);
	ck_assert_int_eq(store_install(REL, REL, "u2", pkg, false, &again),
			 -EPERM);
	ck_assert_int_eq(store_remove(REL, "u1"), -EPERM);
	chmod(dir, 0755);
	/* a symlink in place of the release's directory */
	target = xasprintf("%s/elsewhere", root);
	ck_assert_int_eq(rename(dir, target), 0);
	ck_assert_int_eq(symlink(target, dir), 0);
	ck_assert_int_lt(store_list(REL, &list), 0);
	ck_assert_int_lt(store_install(REL, REL, "u2", pkg, false, &again), 0);
	free(target);
	free(dir);
}
END_TEST

START_TEST(test_boot_status)
{
	char *text, *result, *reason;

	ck_assert_ptr_null(boot_status_read());
	ck_assert_int_eq(boot_status_write(
		"update u1 reapplied\n"
		"update u2 failed u2.tar.gz is for kernel 6.1.0-54-amd64 "
		"(exit 1)\n"
		"update u3 not-tried u2 failed before it\n"), 0);
	text = boot_status_read();
	ck_assert_ptr_nonnull(text);
	ck_assert(boot_status_of(text, "u1", &result, &reason));
	ck_assert_str_eq(result, "reapplied");
	ck_assert_ptr_null(reason);
	free(result);
	ck_assert(boot_status_of(text, "u2", &result, &reason));
	ck_assert_str_eq(result, "failed");
	ck_assert_str_eq(reason, "u2.tar.gz is for kernel 6.1.0-54-amd64 "
			 "(exit 1)");
	free(result);
	free(reason);
	ck_assert(!boot_status_of(text, "u", &result, &reason));
	ck_assert(!boot_status_of(text, "u4", &result, &reason));
	ck_assert_ptr_null(boot_status_skipped(text));
	free(text);
	/* an id named "skipped" is not a skip */
	ck_assert_int_eq(boot_status_write("update skipped reapplied\n"), 0);
	text = boot_status_read();
	ck_assert_ptr_null(boot_status_skipped(text));
	free(text);
	ck_assert_int_eq(boot_status_write("skipped " STORE_DISABLE
					   " exists\n"), 0);
	text = boot_status_read();
	reason = boot_status_skipped(text);
	ck_assert_str_eq(reason, STORE_DISABLE " exists");
	free(reason);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_package_mode);
	tcase_add_test(tc, test_wrong_release);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_atomic);
	tcase_add_test(tc, test_unsafe_dir);
	tcase_add_test(tc, test_boot_status);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
