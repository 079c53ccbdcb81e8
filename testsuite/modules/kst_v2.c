// SPDX-License-Identifier: GPL-2.0
/*
 * Update for kst_target: kst_add returns x + 2.  It parks like the old
 * code, reaching the target's static wait queue and flags through ksplice
 * relocations (R_64 into data), as ksplice-create's output does.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/wait.h>
#include <ksplice/update.h>
#include "kst.h"

static wait_queue_head_t *kst_wq_p;
static int *kst_released_p;
static atomic_t *kst_parked_p;
static void (*kst_nap_p)(void);

static noinline int kst_add_v2(int x)
{
	if (unlikely(x == KST_PARK)) {
		atomic_inc(kst_parked_p);
		wait_event(*kst_wq_p, READ_ONCE(*kst_released_p));
		atomic_dec(kst_parked_p);
	}
	if (unlikely(x == KST_NAP))
		kst_nap_p();
	return x + 2;
}

static const struct ksplice_func kst_funcs[] = {
	{ .name = "kst_add", .object = "kst_target", .new_code = kst_add_v2 },
};

static const struct ksplice_reloc kst_relocs[] = {
	{ &kst_wq_p, "kst_wq", "kst_target", 0, KSPLICE_R_64 },
	{ &kst_released_p, "kst_released", "kst_target", 0, KSPLICE_R_64 },
	{ &kst_parked_p, "kst_parked", "kst_target", 0, KSPLICE_R_64 },
	{ &kst_nap_p, "kst_nap", "kst_target", 0, KSPLICE_R_64 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_v2",
	.description = "kst_add returns x + 2",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
	.relocs = kst_relocs,
	.nr_relocs = ARRAY_SIZE(kst_relocs),
};

static int __init kst_v2_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_v2_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_v2_init);
module_exit(kst_v2_exit);
MODULE_LICENSE("GPL");
