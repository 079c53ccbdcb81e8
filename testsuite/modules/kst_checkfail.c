// SPDX-License-Identifier: GPL-2.0
/* An update whose check hook refuses: apply must abort with call_failed. */
#include <linux/module.h>
#include <ksplice/update.h>

static noinline int kst_add_v5(int x)
{
	return x + 5;
}

static int kst_check_refuses(void)
{
	return -EAGAIN;
}

static const ksplice_call_t kst_checks[] = { kst_check_refuses, NULL };

static const struct ksplice_func kst_funcs[] = {
	{ .name = "kst_add", .object = "kst_target", .new_code = kst_add_v5 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_checkfail",
	.description = "check hook refuses",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
	.apply_hooks = { .check = kst_checks },
};

static int __init kst_checkfail_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_checkfail_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_checkfail_init);
module_exit(kst_checkfail_exit);
MODULE_LICENSE("GPL");
