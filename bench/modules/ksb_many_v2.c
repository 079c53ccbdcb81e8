// SPDX-License-Identifier: GPL-2.0
/* Bench update: replaces all 500 functions of ksb_many (x + 2). */
#include <linux/module.h>
#include <ksplice/update.h>
#include "ksb_many.h"

#define KSB_NEW(n) static noinline int ksb_f##n##_v2(int x) { return x + 2; }
KSB_X500(KSB_NEW)

#define KSB_FUNC(n) { .name = "ksb_f" #n, .object = "ksb_many", \
		      .new_code = ksb_f##n##_v2 },
static const struct ksplice_func ksb_funcs[] = { KSB_X500(KSB_FUNC) };

static struct ksplice_update ksb_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "ksb_many_v2",
	.description = "bench: 500 functions",
	.owner = THIS_MODULE,
	.funcs = ksb_funcs,
	.nr_funcs = ARRAY_SIZE(ksb_funcs),
};

static int __init ksb_many_v2_init(void)
{
	return ksplice_register_update(&ksb_update);
}

static void __exit ksb_many_v2_exit(void)
{
	ksplice_unregister_update(&ksb_update);
}

module_init(ksb_many_v2_init);
module_exit(ksb_many_v2_exit);
MODULE_LICENSE("GPL");
