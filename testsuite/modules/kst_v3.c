// SPDX-License-Identifier: GPL-2.0
/* Update stacked on kst_v2: kst_add returns x + 3. */
#include <linux/module.h>
#include <ksplice/update.h>

static noinline int kst_add_v3(int x)
{
	return x + 3;
}

static const struct ksplice_func kst_funcs[] = {
	{ .name = "kst_add", .object = "kst_target", .new_code = kst_add_v3 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_v3",
	.description = "kst_add returns x + 3",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
};

static int __init kst_v3_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_v3_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_v3_init);
module_exit(kst_v3_exit);
MODULE_LICENSE("GPL");
