// SPDX-License-Identifier: GPL-2.0
/* Baseline: the same change as kst_v2 (kst_add returns x + 2), made with
 * the kernel's own livepatch, to compare apply time and call cost. */
#include <linux/livepatch.h>
#include <linux/module.h>

static int ksb_klp_add(int x)
{
	return x + 2;
}

static struct klp_func ksb_klp_funcs[] = {
	{ .old_name = "kst_add", .new_func = ksb_klp_add },
	{ }
};

static struct klp_object ksb_klp_objs[] = {
	{ .name = "kst_target", .funcs = ksb_klp_funcs },
	{ }
};

static struct klp_patch ksb_klp_patch = {
	.mod = THIS_MODULE,
	.objs = ksb_klp_objs,
};

static int __init ksb_klp_init(void)
{
	return klp_enable_patch(&ksb_klp_patch);
}

static void __exit ksb_klp_exit(void)
{
}

module_init(ksb_klp_init);
module_exit(ksb_klp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
