// SPDX-License-Identifier: GPL-2.0
/*
 * Target of the stacking test (testsuite/tests/stack-runpre.sh):
 * /proc/ksplice_stack prints stack_calc(7), 71 here.  ../stack-a.patch
 * changes stack_scale and stack_calc (142) and adds a counter;
 * ../stack-b.patch changes stack_calc again and applies to this source
 * with or without stack-a.patch (426 on top of it); ../stack-c.patch
 * changes only stack_show.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

/* Not a constant, so that the compiler cannot fold the calls away. */
static int stack_input = 7;

static noinline int stack_scale(int x)
{
	return x * 10;
}

static noinline int stack_calc(int x)
{
	int v = stack_scale(x);

	v += 1;
	/*
	 * stack-a.patch changes the line above, stack-b.patch the line
	 * below: with this comment between them, the context of either
	 * patch does not depend on the other.
	 */
	return v;
}

static int stack_show(struct seq_file *m, void *v)
{
	seq_printf(m, "stack: %d\n", stack_calc(READ_ONCE(stack_input)));
	return 0;
}

static int __init stack_init(void)
{
	if (!proc_create_single("ksplice_stack", 0444, NULL, stack_show))
		return -ENOMEM;
	return 0;
}

static void __exit stack_exit(void)
{
	remove_proc_entry("ksplice_stack", NULL);
}

module_init(stack_init);
module_exit(stack_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice example target: updates stacked on updates");
