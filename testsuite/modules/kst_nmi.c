// SPDX-License-Identifier: GPL-2.0
/*
 * Target module whose function runs in NMI context, on every CPU, while
 * the machine is stopped.  Writing 1 to /sys/kernel/kst_nmi/storm starts
 * a ping-pong of NMIs: each handler calls kst_nmi_fn() and sends the next
 * NMI to the next CPU, so NMIs keep coming with every CPU held in
 * stop_machine and interrupts off (under TCG there is no perf NMI
 * watchdog to do it).  Read: "nmis N old A new B wrong W".
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include <asm/apic.h>
#include <asm/nmi.h>

noinline int kst_nmi_fn(int x)
{
	return x + 1;
}

static int kst_storm;
static bool kst_started;	/* NMIs still in flight after a stop are ours */
static atomic64_t kst_nmis, kst_old, kst_new, kst_wrong;

static void kst_nmi_next(void)
{
	int cpu = cpumask_next(smp_processor_id(), cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	apic->send_IPI(cpu, NMI_VECTOR);
}

static int kst_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	int x, r;

	if (!READ_ONCE(kst_storm))
		return READ_ONCE(kst_started) ? NMI_HANDLED : NMI_DONE;
	x = (int)atomic64_inc_return(&kst_nmis) & 0xffff;
	r = kst_nmi_fn(x) - x;
	if (r == 1)
		atomic64_inc(&kst_old);
	else if (r == 2)
		atomic64_inc(&kst_new);
	else
		atomic64_inc(&kst_wrong);
	kst_nmi_next();
	return NMI_HANDLED;
}

static ssize_t storm_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "nmis %lld old %lld new %lld wrong %lld\n",
			  atomic64_read(&kst_nmis), atomic64_read(&kst_old),
			  atomic64_read(&kst_new), atomic64_read(&kst_wrong));
}

static ssize_t storm_store(struct kobject *k, struct kobj_attribute *a,
			   const char *buf, size_t n)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	WRITE_ONCE(kst_storm, on);
	if (on) {
		WRITE_ONCE(kst_started, true);
		/* One NMI per CPU starts as many chains. */
		preempt_disable();
		apic->send_IPI_allbutself(NMI_VECTOR);
		kst_nmi_next();
		preempt_enable();
	}
	return n;
}

static struct kobj_attribute kst_attr_storm = __ATTR(storm, 0644, storm_show,
						     storm_store);
static struct kobject *kst_kobj;

static int __init kst_nmi_init(void)
{
	int ret = register_nmi_handler(NMI_LOCAL, kst_nmi_handler, 0, "kst_nmi");

	if (ret)
		return ret;
	kst_kobj = kobject_create_and_add("kst_nmi", kernel_kobj);
	if (!kst_kobj || sysfs_create_file(kst_kobj, &kst_attr_storm.attr)) {
		kobject_put(kst_kobj);
		unregister_nmi_handler(NMI_LOCAL, "kst_nmi");
		return -ENOMEM;
	}
	return 0;
}

static void __exit kst_nmi_exit(void)
{
	WRITE_ONCE(kst_storm, 0);
	unregister_nmi_handler(NMI_LOCAL, "kst_nmi");
	kobject_put(kst_kobj);
}

module_init(kst_nmi_init);
module_exit(kst_nmi_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test target: a function called from NMIs");
