// SPDX-License-Identifier: GPL-2.0
/*
 * Update for kst_keys: kst_key_fn returns x + 2 (x + 200 with the key),
 * kst_sleepy_fn x + 2.  The replacements read the target's key through
 * its exported symbol; the old functions keep their own key and static
 * call sites, which the kernel goes on rewriting while this is applied.
 * Once applied it owns a shadow variable of kst_key holding 3, which
 * kst_keys_v3, cumulative, takes over when it replaces this update.
 */
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <ksplice/shadow.h>
#include <ksplice/update.h>
#include "kst.h"

extern struct static_key_false kst_key;

static noinline int kst_key_fn_v2(int x)
{
	if (static_key_enabled(&kst_key))
		return x + 200;
	return x + 2;
}

static noinline int kst_sleepy_fn_v2(int x)
{
	might_sleep();
	return x + 2;
}

static const struct ksplice_func kst_funcs[] = {
	{ .name = "kst_key_fn", .object = "kst_keys",
	  .new_code = kst_key_fn_v2 },
	{ .name = "kst_sleepy_fn", .object = "kst_keys",
	  .new_code = kst_sleepy_fn_v2 },
};

static void kst_keys_v2_post(void)
{
	int *step = ksplice_shadow_alloc(&kst_key, KST_KEYS_SHADOW,
					 sizeof(*step), GFP_KERNEL, NULL, NULL);

	if (step)
		*step = 3;
}

static const ksplice_notify_t kst_post[] = { kst_keys_v2_post, NULL };

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_keys_v2",
	.description = "kst_keys: + 2 and + 200",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
	.apply_hooks = { .post = kst_post },
};

static int __init kst_keys_v2_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_keys_v2_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_keys_v2_init);
module_exit(kst_keys_v2_exit);
MODULE_LICENSE("GPL");
