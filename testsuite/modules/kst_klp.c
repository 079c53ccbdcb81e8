// SPDX-License-Identifier: GPL-2.0
/*
 * A livepatch (upstream, through ftrace) on kst_target's kst_add: it
 * returns x + 100.  The engine must refuse to patch kst_add while this is
 * enabled, since livepatch redirects the call before ksplice's jmp.
 */
#include <linux/livepatch.h>
#include <linux/module.h>

static noinline int kst_add_klp(int x)
{
	return x + 100;
}

static struct klp_func kst_klp_funcs[] = {
	{ .old_name = "kst_add", .new_func = kst_add_klp },
	{ }
};

static struct klp_object kst_klp_objs[] = {
	{ .name = "kst_target", .funcs = kst_klp_funcs },
	{ }
};

static struct klp_patch kst_klp_patch = {
	.mod = THIS_MODULE,
	.objs = kst_klp_objs,
};

static int __init kst_klp_init(void)
{
	return klp_enable_patch(&kst_klp_patch);
}

static void __exit kst_klp_exit(void)
{
}

module_init(kst_klp_init);
module_exit(kst_klp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("ksplice test: livepatch on kst_add");
