// SPDX-License-Identifier: GPL-2.0
/* Update for kst_nmi: kst_nmi_fn returns x + 2. */
#include <linux/module.h>
#include <ksplice/update.h>

static noinline int kst_nmi_fn_v2(int x)
{
	return x + 2;
}

static const struct ksplice_func kst_funcs[] = {
	{ .name = "kst_nmi_fn", .object = "kst_nmi",
	  .new_code = kst_nmi_fn_v2 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_nmi_v2",
	.description = "kst_nmi_fn returns x + 2",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
};

static int __init kst_nmi_v2_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_nmi_v2_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_nmi_v2_init);
module_exit(kst_nmi_v2_exit);
MODULE_LICENSE("GPL");
