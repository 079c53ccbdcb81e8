// SPDX-License-Identifier: GPL-2.0
/*
 * An update whose apply hook (inside the stop, after the trampolines are
 * written) fails: every trampoline must be restored before the stop ends.
 * Two functions, so a partial restore would show.
 */
#include <linux/module.h>
#include <ksplice/update.h>

static noinline int kst_add_v6(int x)
{
	return x + 6;
}

static noinline int kst_tiny_v6(void)
{
	return 6;
}

static int kst_apply_fails(void)
{
	return -EIO;
}

static const ksplice_call_t kst_apply[] = { kst_apply_fails, NULL };

static const struct ksplice_func kst_funcs[] = {
	{ .name = "kst_add", .object = "kst_target", .new_code = kst_add_v6 },
	{ .name = "cmdline_proc_show", .object = "vmlinux",
	  .new_code = kst_tiny_v6 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_applyfail",
	.description = "apply hook fails inside the stop",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
	.apply_hooks = { .apply = kst_apply },
};

static int __init kst_applyfail_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_applyfail_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_applyfail_init);
module_exit(kst_applyfail_exit);
MODULE_LICENSE("GPL");
