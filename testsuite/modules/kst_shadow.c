// SPDX-License-Identifier: GPL-2.0
/*
 * An update made of hooks alone that tries the shadow-variable API
 * (<ksplice/shadow.h>) from its pre-apply hook, logging "kst_shadow: ok"
 * or "kst_shadow: FAIL" per rule, and refusing the apply if one fails.
 * It leaves three variables of its own for undo to free, or, when its
 * check hook refuses (refuse_check=1), for its unload to free.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <ksplice/update.h>
#include <ksplice/shadow.h>

static int objs[4];
static int ctor_calls, dtor_calls, failures;

static void kst_expect(bool cond, const char *what)
{
	if (!cond)
		failures++;
	pr_info("kst_shadow: %s %s\n", cond ? "ok" : "FAIL", what);
}

static int kst_ctor(void *obj, void *data, void *arg)
{
	ctor_calls++;
	*(int *)data = *(int *)arg;
	return 0;
}

static int kst_ctor_fails(void *obj, void *data, void *arg)
{
	return -EINVAL;
}

static void kst_dtor(void *obj, void *data)
{
	if (obj >= (void *)objs && obj < (void *)(objs + 4))
		dtor_calls++;
}

static int kst_try_shadows(void)
{
	int seven = 7, *a, *b;
	unsigned int i;

	failures = ctor_calls = dtor_calls = 0;
	kst_expect(!ksplice_shadow_get(&objs[0], 1), "get of nothing is NULL");
	a = ksplice_shadow_alloc(&objs[0], 1, sizeof(int), GFP_KERNEL,
				 kst_ctor, &seven);
	kst_expect(a && *a == 7 && ctor_calls == 1, "alloc runs the ctor");
	kst_expect(ksplice_shadow_get(&objs[0], 1) == a, "get finds it");
	kst_expect(!ksplice_shadow_get(&objs[0], 2) &&
		   !ksplice_shadow_get(&objs[1], 1), "keyed by object and id");
	b = ksplice_shadow_get_or_alloc(&objs[0], 1, sizeof(int), GFP_KERNEL,
					kst_ctor, &seven);
	kst_expect(b == a && ctor_calls == 1, "get_or_alloc returns the existing one");
	b = ksplice_shadow_get_or_alloc(&objs[1], 1, 64, GFP_ATOMIC, NULL, NULL);
	kst_expect(b && !b[15], "get_or_alloc makes a zeroed one");
	kst_expect(!ksplice_shadow_alloc(&objs[2], 1, sizeof(int), GFP_KERNEL,
					 kst_ctor_fails, NULL) &&
		   !ksplice_shadow_get(&objs[2], 1), "a failing ctor leaves none");
	ksplice_shadow_free(&objs[0], 1, kst_dtor);
	kst_expect(dtor_calls == 1 && !ksplice_shadow_get(&objs[0], 1),
		   "free runs the dtor");
	for (i = 0; i < 4; i++)
		ksplice_shadow_get_or_alloc(&objs[i], 2, 8, GFP_KERNEL, NULL, NULL);
	dtor_calls = 0;
	ksplice_shadow_free_all(1, kst_dtor);
	kst_expect(dtor_calls == 1 && !ksplice_shadow_get(&objs[1], 1) &&
		   ksplice_shadow_get(&objs[1], 2), "free_all frees one id");
	ksplice_shadow_free(&objs[3], 2, NULL);
	/* objs[0..2] keep id 2: undo frees them */
	return failures ? -EINVAL : 0;
}

static bool refuse_check;
module_param(refuse_check, bool, 0644);

static int kst_check(void)
{
	return refuse_check ? -EAGAIN : 0;
}

static const ksplice_call_t kst_pre[] = { kst_try_shadows, NULL };
static const ksplice_call_t kst_checks[] = { kst_check, NULL };

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_shadow",
	.description = "shadow variables, hooks alone",
	.owner = THIS_MODULE,
	.apply_hooks = { .pre = kst_pre, .check = kst_checks },
};

static int __init kst_shadow_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_shadow_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_shadow_init);
module_exit(kst_shadow_exit);
MODULE_LICENSE("GPL");
