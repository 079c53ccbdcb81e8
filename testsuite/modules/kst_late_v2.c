// SPDX-License-Identifier: GPL-2.0
/*
 * Update for kst_late, loaded before its target: kst_late_calc returns
 * x + 200.  Applied pending (echo pending > stage), it waits for kst_late.
 */
#include <linux/module.h>
#include <ksplice/update.h>

static noinline int kst_late_calc_v2(int x)
{
	return x + 200;
}

static const struct ksplice_func kst_late_funcs[] = {
	{ .name = "kst_late_calc", .object = "kst_late",
	  .new_code = kst_late_calc_v2 },
};

static struct ksplice_update kst_late_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_late_v2",
	.description = "kst_late_calc returns x + 200",
	.owner = THIS_MODULE,
	.funcs = kst_late_funcs,
	.nr_funcs = ARRAY_SIZE(kst_late_funcs),
};

static int __init kst_late_v2_init(void)
{
	return ksplice_register_update(&kst_late_update);
}

static void __exit kst_late_v2_exit(void)
{
	ksplice_unregister_update(&kst_late_update);
}

module_init(kst_late_v2_init);
module_exit(kst_late_v2_exit);
MODULE_LICENSE("GPL");
