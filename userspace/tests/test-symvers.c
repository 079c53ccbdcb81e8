// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol versions (create/symvers.c): a patch that changes an export's
 * CRC is refused with exit 2, naming the symbol, those other objects of
 * the update call first; agreeing versions, new exports and a version
 * the unpatched source already disagreed on pass.  Each case builds a
 * small tree: kdir/Module.symvers, pre/ and post/ with kbuild's .cmd
 * records, and post objects compiled with cc.  In a kernel tree a
 * changed version is explained by genksyms' .symtypes: a stand-in make
 * "builds" d/core.symtypes from d/core.symtypes.in, in the copy it is
 * asked to.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../create/create.h"

static char dir[64];
static struct create c;

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Compile @src into post/@rel (and pre/@rel). */
static void object(const char *rel, const char *src)
{
	char cmd[512];

	put("src.c", src);
	snprintf(cmd, sizeof(cmd), "cc -c -o %s/post/%s %s/src.c && cp %s/post/%s %s/pre/%s",
		 dir, rel, dir, dir, rel, dir, rel);
	ck_assert_int_eq(system(cmd), 0);
}

static void setup(void)
{
	char cmd[128];

	strcpy(dir, "/tmp/test-symvers.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/kdir %s/pre/d %s/post/d", dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	memset(&c, 0, sizeof(c));
	c.kdir = xasprintf("%s/kdir", dir);
	c.pre = xasprintf("%s/pre", dir);
	c.post = xasprintf("%s/post", dir);
	put("kdir/Module.symvers",
	    "0x62c2ce88\tget_device\tvmlinux\tEXPORT_SYMBOL_GPL\t\n"
	    "0x11111111\tput_device\tvmlinux\tEXPORT_SYMBOL_GPL\t\n"
	    "0x22222222\t_dev_err\tvmlinux\tEXPORT_SYMBOL\t\n");
	object("d/core.o", "int get_device(void) { return 0; }\n");
	object("d/usb.o", "int get_device(void);\nint f(void) { return get_device(); }\n");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free((char *)c.kdir);
	free(c.pre);
	free(c.post);
	free(c.work);
	layout_checks_free(&c.layouts);
}

/* Run the check in a child; its exit status, its stderr in @out. */
static int check(char *out, size_t len)
{
	struct cobject objs[] = {
		{ .rel = "d/core.o", .module = "vmlinux", .tag = "o1" },
		{ .rel = "d/usb.o", .module = "usbcore", .tag = "o2" },
	};
	char path[128];
	int status;
	pid_t pid;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		if (!freopen(path, "w", stderr))
			_exit(99);
		check_symbol_versions(&c, objs, 2);
		exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
	return WEXITSTATUS(status);
}

/* Tree mode, make on PATH the stand-in; struct acpi_battery_hook proven. */
static void tree_mode(void)
{
	char bin[128], *path;

	snprintf(bin, sizeof(bin), "mkdir -p %s/bin", dir);
	ck_assert_int_eq(system(bin), 0);
	put("bin/make", "#!/bin/sh\n"
	    "while [ $# -gt 1 ]; do\n"
	    "  [ \"$1\" = -C ] && d=$2\n"
	    "  shift\n"
	    "done\n"
	    "[ -f \"$d/$1.in\" ] && cp \"$d/$1.in\" \"$d/$1\"\n"
	    "exit 0\n");
	snprintf(bin, sizeof(bin), "chmod +x %s/bin/make", dir);
	ck_assert_int_eq(system(bin), 0);
	path = xasprintf("%s/bin:%s", dir, getenv("PATH"));
	setenv("PATH", path, 1);
	free(path);
	c.tree_mode = true;
	c.tree = "/nonexistent";
	c.work = xasprintf("%s", dir);
	c.jobs = 1;
	layout_check_add(&c.layouts, "include/acpi/battery.h",
			 "struct acpi_battery_hook");
	put("pre/d/.core.o.cmd", "#SYMVER get_device 0x62c2ce88\n");
	put("post/d/.core.o.cmd", "#SYMVER get_device 0x7cd45b0c\n");
}

#define HOOK(name) \
	"s#acpi_battery_hook struct acpi_battery_hook { const char * " name " ; " \
	"int ( * add_battery ) ( void * ) ; }\n"
#define GET "get_device int get_device ( s#acpi_battery_hook * )\n"

/* Only a struct of proven layout changed: the running version stands. */
START_TEST(explained_by_layout)
{
	char out[4096];

	tree_mode();
	put("pre/d/core.symtypes.in", HOOK("name") GET);
	put("post/d/core.symtypes.in", HOOK("label") GET);
	ck_assert_int_eq(check(out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "d/core.o: get_device: its version "
				     "changes with the text of structs whose "
				     "layout stays the same"));
}
END_TEST

START_TEST(unexplained_refused)
{
	char out[4096];

	tree_mode();
	put("pre/d/core.symtypes.in", HOOK("name") GET);
	put("post/d/core.symtypes.in", HOOK("name")
	    "get_device long get_device ( s#acpi_battery_hook * )\n");
	ck_assert_int_eq(check(out, sizeof(out)), 2);
	ck_assert_ptr_nonnull(strstr(out, "version of get_device disagrees: "
				     "0x7cd45b0c after the patch, 0x62c2ce88 in "
				     "the running kernel (its declaration "
				     "changes); called from d/usb.o\n"));
	ck_assert_ptr_nonnull(strstr(out, "leave the declarations"));
	/* genksyms' account replaces the guess */
	ck_assert_ptr_null(strstr(out, "hint:"));
}
END_TEST

/* A callback retyped: refused, or kept with a warning when allowed. */
START_TEST(callback_allowed)
{
	char out[4096];

	tree_mode();
	put("pre/d/core.symtypes.in", HOOK("name") GET);
	put("post/d/core.symtypes.in",
	    "s#acpi_battery_hook struct acpi_battery_hook { const char * name ; "
	    "int ( * add_battery ) ( void * , int ) ; }\n" GET);
	ck_assert_int_eq(check(out, sizeof(out)), 2);
	ck_assert_ptr_nonnull(strstr(out, "(struct acpi_battery_hook's callback "
				     "add_battery changes its type: an out-of-tree"));
	/* the last line names the flag, not "leave the declarations" */
	ck_assert_ptr_nonnull(strstr(out, "refused: the patch retypes callbacks "
				     "that the declarations of 1 exported "
				     "symbol reach"));
	ck_assert_ptr_null(strstr(out, "leave the declarations"));
	c.allow_retyped_callbacks = true;
	ck_assert_int_eq(check(out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "warning: get_device: struct "
				     "acpi_battery_hook's callback add_battery "
				     "changes its type (--allow-retyped-callbacks"));
}
END_TEST

START_TEST(no_symtypes_refused)
{
	char out[4096];

	tree_mode();
	ck_assert_int_eq(check(out, sizeof(out)), 2);
	ck_assert_ptr_nonnull(strstr(out, "(kbuild wrote no symbol types for "
				     "d/core.o)"));
}
END_TEST

START_TEST(agree)
{
	char out[4096];

	put("pre/d/.core.o.cmd", "cmd_x := cc\n#SYMVER get_device 0x62c2ce88\n");
	put("post/d/.core.o.cmd", "cmd_x := cc\n#SYMVER get_device 0x62c2ce88\n");
	ck_assert_int_eq(check(out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(changed_crc_refused)
{
	char out[4096];

	put("pre/d/.core.o.cmd", "#SYMVER _dev_err 0x22222222\n#SYMVER get_device 0x62c2ce88\n");
	put("post/d/.core.o.cmd", "#SYMVER _dev_err 0x33333333\n#SYMVER get_device 0x7cd45b0c\n");
	ck_assert_int_eq(check(out, sizeof(out)), 2);
	/* the one the update's other object calls first */
	ck_assert_ptr_nonnull(strstr(out, "d/core.o: refused: the symbol version of "
				     "get_device disagrees: 0x7cd45b0c after the patch, "
				     "0x62c2ce88 in the running kernel; called from d/usb.o\n"));
	ck_assert_ptr_nonnull(strstr(out, "of _dev_err disagrees"));
	ck_assert(strstr(out, "get_device") < strstr(out, "_dev_err"));
	ck_assert_ptr_nonnull(strstr(out, "symbol versions (CRCs) of 2 exported symbols"));
}
END_TEST

/* Not in the release's Module.symvers: the unpatched source's version. */
START_TEST(unknown_to_kernel)
{
	char out[4096];

	put("pre/d/.usb.o.cmd", "#SYMVER f 0x1\n");
	put("post/d/.usb.o.cmd", "#SYMVER f 0x2\n");
	ck_assert_int_eq(check(out, sizeof(out)), 2);
	ck_assert_ptr_nonnull(strstr(out, "version of f disagrees: 0x2 after the patch, "
				     "0x1 in the unpatched source\n"));
}
END_TEST

START_TEST(new_export_passes)
{
	char out[4096];

	put("post/d/.usb.o.cmd", "#SYMVER f 0x2\n");
	ck_assert_int_eq(check(out, sizeof(out)), 0);
}
END_TEST

/* Unpatched and patched agree, the kernel does not: not the patch's doing. */
START_TEST(tree_disagrees_already)
{
	char out[4096];

	put("pre/d/.core.o.cmd", "#SYMVER put_device 0x44444444\n");
	put("post/d/.core.o.cmd", "#SYMVER put_device 0x44444444\n");
	ck_assert_int_eq(check(out, sizeof(out)), 0);
}
END_TEST

/* More than a few: the rest counted, not named. */
START_TEST(many_counted)
{
	char pre[4096] = "", post[4096] = "", out[8192];
	int i;

	for (i = 0; i < 20; i++) {
		sprintf(pre + strlen(pre), "#SYMVER s%02d 0x%x\n", i, i);
		sprintf(post + strlen(post), "#SYMVER s%02d 0x%x\n", i, i + 100);
	}
	put("pre/d/.core.o.cmd", pre);
	put("post/d/.core.o.cmd", post);
	ck_assert_int_eq(check(out, sizeof(out)), 2);
	ck_assert_ptr_nonnull(strstr(out, "version of s07 disagrees"));
	ck_assert_ptr_null(strstr(out, "version of s08 disagrees"));
	ck_assert_ptr_nonnull(strstr(out, "... and 12 more exported symbols"));
	ck_assert_ptr_nonnull(strstr(out, "of 20 exported symbols"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symvers");
	TCase *tc = tcase_create("symvers");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, agree);
	tcase_add_test(tc, changed_crc_refused);
	tcase_add_test(tc, unknown_to_kernel);
	tcase_add_test(tc, new_export_passes);
	tcase_add_test(tc, tree_disagrees_already);
	tcase_add_test(tc, many_counted);
	tcase_add_test(tc, explained_by_layout);
	tcase_add_test(tc, unexplained_refused);
	tcase_add_test(tc, no_symtypes_refused);
	tcase_add_test(tc, callback_allowed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
