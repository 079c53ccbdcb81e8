// SPDX-License-Identifier: GPL-2.0
/*
 * Target module whose functions begin with code the kernel rewrites
 * later, right where a trampoline after the fentry nop would go.
 * /sys/kernel/kst_keys/:
 *   key		write 0/1: flip the static key kst_key_fn tests first
 *   key_call	write x, read kst_key_fn(x): x + 1, or x + 100 with the key
 *   sleepy_call	write x, read kst_sleepy_fn(x): x + 1 (begins with
 *			might_sleep(), a static call under PREEMPT_DYNAMIC)
 */
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

DEFINE_STATIC_KEY_FALSE(kst_key);
EXPORT_SYMBOL_GPL(kst_key);

noinline int kst_key_fn(int x)
{
	if (static_branch_unlikely(&kst_key))
		return x + 100;
	return x + 1;
}

noinline int kst_sleepy_fn(int x)
{
	might_sleep();
	return x + 1;
}

static int kst_key_in, kst_sleepy_in;

static ssize_t key_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", static_key_enabled(&kst_key));
}

static ssize_t key_store(struct kobject *k, struct kobj_attribute *a,
			 const char *buf, size_t n)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	if (on)
		static_branch_enable(&kst_key);
	else
		static_branch_disable(&kst_key);
	return n;
}

#define KST_CALL(name, fn, in)						\
static ssize_t name##_show(struct kobject *k, struct kobj_attribute *a,	\
			   char *buf)					\
{									\
	return sysfs_emit(buf, "%d\n", fn(READ_ONCE(in)));		\
}									\
static ssize_t name##_store(struct kobject *k, struct kobj_attribute *a,	\
			    const char *buf, size_t n)			\
{									\
	int ret = kstrtoint(buf, 0, &in);				\
									\
	return ret ? ret : n;						\
}

KST_CALL(key_call, kst_key_fn, kst_key_in)
KST_CALL(sleepy_call, kst_sleepy_fn, kst_sleepy_in)

static struct kobj_attribute kst_attrs[] = {
	__ATTR(key, 0644, key_show, key_store),
	__ATTR(key_call, 0644, key_call_show, key_call_store),
	__ATTR(sleepy_call, 0644, sleepy_call_show, sleepy_call_store),
};
static struct kobject *kst_kobj;

static int __init kst_keys_init(void)
{
	unsigned int i;
	int ret;

	kst_kobj = kobject_create_and_add("kst_keys", kernel_kobj);
	if (!kst_kobj)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(kst_attrs); i++) {
		ret = sysfs_create_file(kst_kobj, &kst_attrs[i].attr);
		if (ret) {
			kobject_put(kst_kobj);
			return ret;
		}
	}
	return 0;
}

static void __exit kst_keys_exit(void)
{
	kobject_put(kst_kobj);
}

module_init(kst_keys_init);
module_exit(kst_keys_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test target: static branch and static call at entry");
