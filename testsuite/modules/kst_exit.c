// SPDX-License-Identifier: GPL-2.0
/*
 * An update whose code runs in exiting tasks after they left the task
 * list: it replaces proc_exit_connector(), which do_exit() calls right
 * after exit_notify(), and makes a task named "kst_exiter" sleep there
 * for delay_ms.  Once its parent reaps it, no stack scan can see it, yet
 * it will return into this module.  (While applied, proc connector exit
 * events are not sent; nothing in the test VM listens.)
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <ksplice/update.h>

static unsigned int delay_ms = 2000;
module_param(delay_ms, uint, 0444);

static noinline void kst_proc_exit_v2(struct task_struct *task)
{
	if (!strcmp(task->comm, "kst_exiter"))
		msleep(delay_ms);
}

static const struct ksplice_func kst_funcs[] = {
	{ .name = "proc_exit_connector", .object = "vmlinux",
	  .new_code = kst_proc_exit_v2 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_exit",
	.description = "kst_exiter sleeps after exit_notify()",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
};

static int __init kst_exit_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_exit_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_exit_init);
module_exit(kst_exit_exit);
MODULE_LICENSE("GPL");
