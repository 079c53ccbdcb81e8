// SPDX-License-Identifier: GPL-2.0
/*
 * Target module for the engine tests.  kst_add() is the function the
 * updates replace.  /sys/kernel/kst_target/:
 *   call	write x, read kst_add(x)
 *   park	write 1: a kthread "kst_parker" sleeps inside kst_add;
 *		write 0: release it; read: 1 while it is inside
 *   hammer	write 1: one kthread per CPU calls kst_add in a loop;
 *		write 0: stop; read: "calls N old A new B wrong W"
 *   nap	write 1: a kthread "kst_napper" calls kst_add(KST_NAP), which
 *		sleeps in kst_nap(); write 0: release it; read: 1 while asleep
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include "kst.h"

/* Static on purpose: updates reach them through ksplice relocations. */
static DECLARE_WAIT_QUEUE_HEAD(kst_wq);
static int kst_released;
static atomic_t kst_parked = ATOMIC_INIT(0);

static DECLARE_WAIT_QUEUE_HEAD(kst_nap_wq);
static int kst_nap_released;
static atomic_t kst_napping = ATOMIC_INIT(0);

noinline void kst_nap(void)
{
	atomic_inc(&kst_napping);
	wait_event(kst_nap_wq, READ_ONCE(kst_nap_released));
	atomic_dec(&kst_napping);
}

noinline int kst_add(int x)
{
	if (unlikely(x == KST_NAP))
		kst_nap();
	if (unlikely(x == KST_PARK)) {
		atomic_inc(&kst_parked);
		wait_event(kst_wq, READ_ONCE(kst_released));
		atomic_dec(&kst_parked);
	}
	return x + 1;
}

/* 4 bytes, no fentry: too short for any trampoline. */
asm(".pushsection .text.kst_tiny, \"ax\"\n"
    ".globl kst_tiny\n"
    ".type kst_tiny, @function\n"
    "kst_tiny:\n"
    "	xorl %eax, %eax\n"
    /* a bare ret is fine here: tell objtool, as the kernel does */
    "	.pushsection .discard.retpoline_safe\n"
    "	.quad 999f\n"
    "	.popsection\n"
    "999:	ret\n"
    "	int3\n"
    ".size kst_tiny, . - kst_tiny\n"
    ".popsection\n");
int kst_tiny(void);

static int kst_input;

static ssize_t call_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", kst_add(READ_ONCE(kst_input)));
}

static ssize_t call_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t n)
{
	int ret = kstrtoint(buf, 0, &kst_input);

	return ret ? ret : n;
}

/*
 * A kthread that calls kst_add(@magic) and so sleeps inside it (park)
 * or in kst_nap() under it (nap), until released.
 */
struct kst_sleeper {
	int magic;
	const char *name;
	int *released;
	wait_queue_head_t *wq;
	atomic_t *inside;
	struct task_struct *task;
};

static struct kst_sleeper kst_parker = {
	KST_PARK, "kst_parker", &kst_released, &kst_wq, &kst_parked
};
static struct kst_sleeper kst_napper = {
	KST_NAP, "kst_napper", &kst_nap_released, &kst_nap_wq, &kst_napping
};

static int kst_sleeper_fn(void *data)
{
	struct kst_sleeper *s = data;

	kst_add(s->magic);
	while (!kthread_should_stop())
		msleep(10);
	return 0;
}

static int kst_sleeper_set(struct kst_sleeper *s, bool on)
{
	if (on && !s->task) {
		WRITE_ONCE(*s->released, 0);
		s->task = kthread_run(kst_sleeper_fn, s, "%s", s->name);
		if (IS_ERR(s->task)) {
			int ret = PTR_ERR(s->task);

			s->task = NULL;
			return ret;
		}
		/* Return once it sleeps inside, so tests need not poll. */
		while (!atomic_read(s->inside))
			msleep(1);
	} else if (!on && s->task) {
		WRITE_ONCE(*s->released, 1);
		wake_up_all(s->wq);
		kthread_stop(s->task);
		s->task = NULL;
	}
	return 0;
}

static ssize_t kst_sleeper_store(struct kst_sleeper *s, const char *buf,
				 size_t n)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (!ret)
		ret = kst_sleeper_set(s, on);
	return ret ? ret : n;
}

static ssize_t park_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kst_parked));
}

static ssize_t park_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t n)
{
	return kst_sleeper_store(&kst_parker, buf, n);
}

static ssize_t nap_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kst_napping));
}

static ssize_t nap_store(struct kobject *k, struct kobj_attribute *a,
			 const char *buf, size_t n)
{
	return kst_sleeper_store(&kst_napper, buf, n);
}

/* The hammer: every CPU calls kst_add while updates come and go. */
static struct task_struct **kst_hammers;
static atomic64_t kst_calls, kst_old, kst_new, kst_wrong;

static int kst_hammer_fn(void *unused)
{
	int x = 0;

	while (!kthread_should_stop()) {
		int r = kst_add(x) - x;

		atomic64_inc(&kst_calls);
		if (r == 1)
			atomic64_inc(&kst_old);
		else if (r == 2)
			atomic64_inc(&kst_new);
		else
			atomic64_inc(&kst_wrong);
		x = (x + 1) & 0xffff;
		if (!(x & 0xff))
			cond_resched();
	}
	return 0;
}

static void kst_hammer_stop(void)
{
	int cpu;

	if (!kst_hammers)
		return;
	for_each_possible_cpu(cpu)
		if (kst_hammers[cpu])
			kthread_stop(kst_hammers[cpu]);
	kfree(kst_hammers);
	kst_hammers = NULL;
}

static ssize_t hammer_show(struct kobject *k, struct kobj_attribute *a,
			   char *buf)
{
	return sysfs_emit(buf, "calls %lld old %lld new %lld wrong %lld\n",
			  atomic64_read(&kst_calls), atomic64_read(&kst_old),
			  atomic64_read(&kst_new), atomic64_read(&kst_wrong));
}

static ssize_t hammer_store(struct kobject *k, struct kobj_attribute *a,
			    const char *buf, size_t n)
{
	bool on;
	int cpu, ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	if (!on || kst_hammers) {
		kst_hammer_stop();
		return n;
	}
	kst_hammers = kcalloc(nr_cpu_ids, sizeof(*kst_hammers), GFP_KERNEL);
	if (!kst_hammers)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		t = kthread_create(kst_hammer_fn, NULL, "kst_hammer/%d", cpu);
		if (IS_ERR(t))
			continue;
		kthread_bind(t, cpu);
		kst_hammers[cpu] = t;
		wake_up_process(t);
	}
	return n;
}

static ssize_t tiny_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", kst_tiny());
}

static struct kobj_attribute kst_attrs[] = {
	__ATTR(call, 0644, call_show, call_store),
	__ATTR(park, 0644, park_show, park_store),
	__ATTR(hammer, 0644, hammer_show, hammer_store),
	__ATTR(tiny, 0444, tiny_show, NULL),
	__ATTR(nap, 0644, nap_show, nap_store),
};
static struct kobject *kst_kobj;

static int __init kst_init(void)
{
	unsigned int i;
	int ret;

	kst_kobj = kobject_create_and_add("kst_target", kernel_kobj);
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

static void __exit kst_exit(void)
{
	kst_hammer_stop();
	kst_sleeper_set(&kst_parker, false);
	kst_sleeper_set(&kst_napper, false);
	kobject_put(kst_kobj);
}

module_init(kst_init);
module_exit(kst_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test target");
