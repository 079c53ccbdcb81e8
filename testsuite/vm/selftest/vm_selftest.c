// SPDX-License-Identifier: GPL-2.0
/*
 * vm_selftest.ko: makes the kernel misbehave on purpose, so that the test
 * bed (testsuite/vm/run) can be shown to notice.  mode=null dereferences
 * NULL in init (an oops), mode=warn hits WARN_ON(1), mode=ok loads.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/string.h>

static char *mode = "ok";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "ok, warn or null");

static int __init vm_selftest_init(void)
{
	if (!strcmp(mode, "null")) {
		int *volatile p = NULL;

		pr_info("vm_selftest: dereferencing NULL\n");
		return *p;
	}
	if (!strcmp(mode, "warn")) {
		WARN_ON(1);
		return 0;
	}
	pr_info("vm_selftest: loaded\n");
	return 0;
}

static void __exit vm_selftest_exit(void)
{
}

module_init(vm_selftest_init);
module_exit(vm_selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test bed self-test: oops and warning on demand");
