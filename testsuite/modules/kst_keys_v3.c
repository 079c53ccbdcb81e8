// SPDX-License-Identifier: GPL-2.0
/*
 * A cumulative update for kst_keys: it replaces kst_key_fn only (x + the
 * step kst_keys_v2 left in its shadow variable, or x + 1000 without it;
 * x + 300 with the key), so that applying it over kst_keys_v2 switches
 * kst_key_fn to this code and sends kst_sleepy_fn back to the original,
 * both through ftrace.
 */
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <ksplice/shadow.h>
#include <ksplice/update.h>
#include "kst.h"

extern struct static_key_false kst_key;

static noinline int kst_key_fn_v3(int x)
{
	int *step = ksplice_shadow_get(&kst_key, KST_KEYS_SHADOW);

	if (static_key_enabled(&kst_key))
		return x + 300;
	return x + (step ? *step : 1000);
}

static const struct ksplice_func kst_funcs[] = {
	{ .name = "kst_key_fn", .object = "kst_keys",
	  .new_code = kst_key_fn_v3 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_keys_v3",
	.description = "kst_keys: cumulative, + 3 and + 300",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
	.flags = KSPLICE_F_REPLACE,
};

static int __init kst_keys_v3_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_keys_v3_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_keys_v3_init);
module_exit(kst_keys_v3_exit);
MODULE_LICENSE("GPL");
