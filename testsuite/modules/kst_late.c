// SPDX-License-Identifier: GPL-2.0
/*
 * Target module for the pending-update test, loaded after its update
 * (kst_late_v2).  kst_late_calc() is the function replaced.
 *   /sys/kernel/kst_late/call	write x, read kst_late_calc(x)
 *   fail_init=1		init calls kst_late_calc(1), says what it
 *				returned, and fails: the module goes away
 *				right after an update was applied at its load
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

static bool fail_init;
module_param(fail_init, bool, 0444);

noinline int kst_late_calc(int x)
{
	return x + 100;
}

static int kst_late_input;

static ssize_t call_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", kst_late_calc(READ_ONCE(kst_late_input)));
}

static ssize_t call_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t n)
{
	int ret = kstrtoint(buf, 0, &kst_late_input);

	return ret ? ret : n;
}

static struct kobj_attribute kst_late_call = __ATTR(call, 0644, call_show,
						    call_store);
static struct kobject *kst_late_kobj;

static int __init kst_late_init(void)
{
	if (fail_init) {
		pr_info("kst_late: init sees kst_late_calc(1) = %d, fails on purpose\n",
			kst_late_calc(1));
		return -EAGAIN;
	}
	kst_late_kobj = kobject_create_and_add("kst_late", kernel_kobj);
	if (!kst_late_kobj)
		return -ENOMEM;
	if (sysfs_create_file(kst_late_kobj, &kst_late_call.attr)) {
		kobject_put(kst_late_kobj);
		return -ENOMEM;
	}
	return 0;
}

static void __exit kst_late_exit(void)
{
	kobject_put(kst_late_kobj);
}

module_init(kst_late_init);
module_exit(kst_late_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test target loaded after its update");
