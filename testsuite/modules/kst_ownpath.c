// SPDX-License-Identifier: GPL-2.0
/*
 * An update for a vmlinux function on ksplice's own path: the sysfs
 * write that drives an apply (vfs_write, by default) or the stop_machine
 * path every held CPU runs (target=multi_cpu_stop).  The engine must
 * refuse it at once, saying why, instead of retrying into code_busy.
 * The replacement is never meant to run: it only has to exist.
 */
#include <linux/module.h>
#include <ksplice/update.h>

static char *target = "vfs_write";
module_param(target, charp, 0444);

static noinline long kst_ownpath_new(void)
{
	return -EIO;
}

static struct ksplice_func kst_funcs[] = {
	{ .object = "vmlinux", .new_code = kst_ownpath_new },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_ownpath",
	.description = "a function on ksplice's own path",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
};

/* Names the engine reads must lie in the update module itself. */
static const char *const kst_targets[] = { "vfs_write", "multi_cpu_stop" };

static int __init kst_ownpath_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kst_targets); i++)
		if (!strcmp(target, kst_targets[i]))
			kst_funcs[0].name = kst_targets[i];
	if (!kst_funcs[0].name)
		return -EINVAL;
	return ksplice_register_update(&kst_update);
}

static void __exit kst_ownpath_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_ownpath_init);
module_exit(kst_ownpath_exit);
MODULE_LICENSE("GPL");
