// SPDX-License-Identifier: GPL-2.0
/*
 * A second update for kst_late whose check hook refuses: pending next to
 * kst_late_v2, it makes kst_late's load fail, and kst_late_v2, applied
 * at that load just before, must come out again.
 */
#include <linux/module.h>
#include <ksplice/update.h>

static noinline int kst_late_calc_v3(int x)
{
	return x + 300;
}

static int kst_late_check_refuses(void)
{
	return -EAGAIN;
}

static const ksplice_call_t kst_late_checks[] = { kst_late_check_refuses,
						  NULL };

static const struct ksplice_func kst_late_funcs[] = {
	{ .name = "kst_late_calc", .object = "kst_late",
	  .new_code = kst_late_calc_v3 },
};

static struct ksplice_update kst_late_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_late_bad",
	.description = "check hook refuses",
	.owner = THIS_MODULE,
	.funcs = kst_late_funcs,
	.nr_funcs = ARRAY_SIZE(kst_late_funcs),
	.apply_hooks = { .check = kst_late_checks },
};

static int __init kst_late_bad_init(void)
{
	return ksplice_register_update(&kst_late_update);
}

static void __exit kst_late_bad_exit(void)
{
	ksplice_unregister_update(&kst_late_update);
}

module_init(kst_late_bad_init);
module_exit(kst_late_bad_exit);
MODULE_LICENSE("GPL");
