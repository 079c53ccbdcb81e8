// SPDX-License-Identifier: GPL-2.0
/* Targets kst_tiny, 4 bytes long: must be refused as not patchable. */
#include <linux/module.h>
#include <ksplice/update.h>

static noinline int kst_tiny_v2(void)
{
	return 2;
}

static const struct ksplice_func kst_funcs[] = {
	/* .size is st_size of the 4-byte asm function, as ksplice-create
	 * would take it from the object. */
	{ .name = "kst_tiny", .object = "kst_target", .size = 4,
	  .new_code = kst_tiny_v2 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_tiny",
	.description = "too short to patch",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
};

static int __init kst_tiny_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_tiny_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_tiny_init);
module_exit(kst_tiny_exit);
MODULE_LICENSE("GPL");
