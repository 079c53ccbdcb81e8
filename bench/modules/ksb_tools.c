// SPDX-License-Identifier: GPL-2.0
/*
 * Baselines for bench/: /sys/kernel/ksb/
 *   stop_machine	write N: N bare stop_machine() calls with an empty
 *			callback; read: "min median max" in ns
 *   threads		write N: start N kthreads that sleep; read: count
 *   call		write N: time N calls of a function pointer set by
 *			"target" (a kallsyms address); read: ns per call
 *   target		write a symbol name resolved through kallsyms
 */
#include <linux/kobject.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stop_machine.h>
#include <linux/sysfs.h>

#define KSB_MAX_RUNS	1000
#define KSB_MAX_THREADS	10240

static u64 ksb_runs[KSB_MAX_RUNS];
static unsigned int ksb_nruns;
static struct task_struct *ksb_threads[KSB_MAX_THREADS];
static unsigned int ksb_nthreads;
static int (*ksb_target)(int);
static u64 ksb_call_ps;		/* picoseconds per call */
static volatile int ksb_sink;	/* keeps the calls from going away */

static int ksb_empty(void *unused)
{
	return 0;
}

static int ksb_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static ssize_t stop_machine_show(struct kobject *k, struct kobj_attribute *a,
				 char *buf)
{
	if (!ksb_nruns)
		return sysfs_emit(buf, "0 0 0\n");
	return sysfs_emit(buf, "%llu %llu %llu\n", ksb_runs[0],
			  ksb_runs[ksb_nruns / 2], ksb_runs[ksb_nruns - 1]);
}

static ssize_t stop_machine_store(struct kobject *k, struct kobj_attribute *a,
				  const char *buf, size_t n)
{
	unsigned int i, runs;
	int ret = kstrtouint(buf, 0, &runs);

	if (ret)
		return ret;
	runs = clamp(runs, 1U, (unsigned int)KSB_MAX_RUNS);
	for (i = 0; i < runs; i++) {
		u64 t0 = ktime_get_ns();

		stop_machine(ksb_empty, NULL, NULL);
		ksb_runs[i] = ktime_get_ns() - t0;
	}
	ksb_nruns = runs;
	sort(ksb_runs, runs, sizeof(u64), ksb_cmp, NULL);
	return n;
}

static int ksb_sleeper(void *unused)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static void ksb_stop_threads(void)
{
	while (ksb_nthreads)
		kthread_stop(ksb_threads[--ksb_nthreads]);
}

static ssize_t threads_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", ksb_nthreads);
}

static ssize_t threads_store(struct kobject *k, struct kobj_attribute *a,
			     const char *buf, size_t n)
{
	unsigned int want;
	int ret = kstrtouint(buf, 0, &want);

	if (ret)
		return ret;
	want = min_t(unsigned int, want, KSB_MAX_THREADS);
	ksb_stop_threads();
	while (ksb_nthreads < want) {
		struct task_struct *t = kthread_run(ksb_sleeper, NULL, "ksb/%u",
						    ksb_nthreads);
		if (IS_ERR(t))
			return PTR_ERR(t);
		ksb_threads[ksb_nthreads++] = t;
	}
	return n;
}

static unsigned long ksb_lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*lookup)(const char *);
	unsigned long addr;

	if (register_kprobe(&kp) < 0)
		return 0;
	lookup = (void *)kp.addr;
	unregister_kprobe(&kp);
	addr = lookup(name);
	return addr;
}

static ssize_t target_store(struct kobject *k, struct kobj_attribute *a,
			    const char *buf, size_t n)
{
	char name[KSYM_NAME_LEN];
	unsigned long addr;

	strscpy(name, buf, sizeof(name));
	strim(name);
	addr = ksb_lookup(name);
	if (!addr)
		return -ENOENT;
	ksb_target = (void *)addr;
	return n;
}

static ssize_t call_show(struct kobject *k, struct kobj_attribute *a,
			 char *buf)
{
	return sysfs_emit(buf, "%llu.%03llu\n", ksb_call_ps / 1000,
			  ksb_call_ps % 1000);
}

static ssize_t call_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t n)
{
	int (*fn)(int) = READ_ONCE(ksb_target);
	unsigned int i, calls;
	int ret = kstrtouint(buf, 0, &calls);
	u64 t0;
	int sum = 0;

	if (ret)
		return ret;
	if (!fn || !calls)
		return -EINVAL;
	t0 = ktime_get_ns();
	for (i = 0; i < calls; i++)
		sum += fn(i);
	ksb_call_ps = (ktime_get_ns() - t0) * 1000 / calls;
	ksb_sink = sum;
	return n;
}

static struct kobj_attribute ksb_attrs[] = {
	__ATTR(stop_machine, 0644, stop_machine_show, stop_machine_store),
	__ATTR(threads, 0644, threads_show, threads_store),
	__ATTR(call, 0644, call_show, call_store),
	__ATTR(target, 0200, NULL, target_store),
};
static struct kobject *ksb_kobj;

static int __init ksb_init(void)
{
	unsigned int i;
	int ret;

	ksb_kobj = kobject_create_and_add("ksb", kernel_kobj);
	if (!ksb_kobj)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(ksb_attrs); i++) {
		ret = sysfs_create_file(ksb_kobj, &ksb_attrs[i].attr);
		if (ret) {
			kobject_put(ksb_kobj);
			return ret;
		}
	}
	return 0;
}

static void __exit ksb_exit(void)
{
	ksb_stop_threads();
	kobject_put(ksb_kobj);
}

module_init(ksb_init);
module_exit(ksb_exit);
MODULE_LICENSE("GPL");
