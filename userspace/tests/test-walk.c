// SPDX-License-Identifier: GPL-2.0
/*
 * Which directories kbuild walks again for a patched tree (create/walk.c):
 * those whose makefiles the patch changes, as the map lists them, and
 * those holding a file it adds; none below another; the whole tree for a
 * makefile the top level reads, scripts/ or a Kconfig file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../create/create.h"

static const char map[] =
	"T Makefile arch/x86/Makefile\n"
	"F . Kbuild\n"
	"P . 1 1\n"
	"F fs fs/Makefile\n"
	"P fs 1 1\n"
	"F fs/proc fs/proc/Makefile\n"
	"P fs/proc 1 0\n"
	"Y fs/proc fs/proc/cmdline.o\n"
	"F arch/x86/kvm arch/x86/kvm/Makefile virt/kvm/Makefile.kvm\n"
	"P arch/x86/kvm 0 1\n"
	"M arch/x86/kvm/kvm arch/x86/kvm/x86.o virt/kvm/kvm_main.o\n"
	"F drivers/net drivers/net/Makefile\n"
	"P drivers/net 1 1\n";

static char pre[] = "/tmp/test-walk.XXXXXX";
static struct create c = { .pre = pre };

/* The directories for a patch touching @files (NULL-terminated). */
static char *dirs_for(const char *const *files)
{
	static char *out;
	char *text = strdup(map);

	c.nr_touched = 0;
	while (files[c.nr_touched])
		c.nr_touched++;
	c.touched = (char **)files;
	free(out);
	out = walk_changed_dirs(&c, text);
	free(text);
	return out;
}

START_TEST(test_makefiles)
{
	const char *proc[] = { "fs/proc/Makefile", NULL };
	const char *kvm[] = { "virt/kvm/Makefile.kvm", NULL };
	const char *nested[] = { "fs/proc/Makefile", "fs/Makefile", NULL };
	const char *two[] = { "drivers/net/Makefile", "fs/proc/Makefile", NULL };
	const char *source[] = { "fs/proc/cmdline.c", NULL };

	ck_assert_str_eq(dirs_for(proc), "fs/proc");
	/* included through a relative path: the directory that reads it */
	ck_assert_str_eq(dirs_for(kvm), "arch/x86/kvm");
	/* fs's walk covers fs/proc */
	ck_assert_str_eq(dirs_for(nested), "fs");
	ck_assert_str_eq(dirs_for(two), "fs/proc drivers/net");
	/* a changed source file changes no directory's build */
	ck_assert_str_eq(dirs_for(source), "");
}
END_TEST

START_TEST(test_added_files)
{
	const char *added[] = { "fs/proc/new.c", NULL };
	const char *elsewhere[] = { "lib/new.c", NULL };

	/* a $(wildcard) in fs/proc/Makefile may find it */
	ck_assert_str_eq(dirs_for(added), "fs/proc");
	/* a directory kbuild never reads builds nothing */
	ck_assert_str_eq(dirs_for(elsewhere), "");
}
END_TEST

START_TEST(test_whole_tree)
{
	const char *top[] = { "arch/x86/Makefile", NULL };
	const char *kbuild[] = { "Kbuild", NULL };
	const char *scripts[] = { "scripts/Makefile.build", NULL };
	const char *kconfig[] = { "fs/proc/Kconfig", NULL };

	ck_assert_ptr_null(dirs_for(top));
	ck_assert_ptr_null(dirs_for(kbuild));
	ck_assert_ptr_null(dirs_for(scripts));
	ck_assert_ptr_null(dirs_for(kconfig));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("walk");
	TCase *tc = tcase_create("walk");
	SRunner *sr;
	char path[64];
	int failed;

	/* fs/proc/cmdline.c exists in the unpatched tree; new.c does not */
	if (!mkdtemp(pre))
		return 1;
	snprintf(path, sizeof(path), "%s/fs", pre);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/fs/proc", pre);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/fs/proc/cmdline.c", pre);
	fclose(fopen(path, "w"));
	tcase_add_test(tc, test_makefiles);
	tcase_add_test(tc, test_added_files);
	tcase_add_test(tc, test_whole_tree);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(path);
	snprintf(path, sizeof(path), "%s/fs/proc", pre);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/fs", pre);
	rmdir(path);
	rmdir(pre);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
