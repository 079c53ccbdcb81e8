// SPDX-License-Identifier: GPL-2.0
/*
 * Target of testsuite/tests/create-twins.sh: two files of one module each
 * hold a copy of twins.h's twin_step, same name, same code, so run-pre
 * matching alone cannot tell which copy an update built from this file
 * replaces.  /proc/ksplice_twins prints twin_a(7) and twin_b(7), 171 and
 * 71 here.  ../twins.patch changes this file's copy (TWIN_BIAS 2) and its
 * caller (+ 200): the engine finds this file's copy through the caller's
 * pre code, and prints 272 71.  ../twins-alone.patch changes the copy
 * alone: nothing tells the copies apart, and the update is refused.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include "twins.h"

int twin_b(int x);

/* Not a constant, so that the compiler cannot fold the calls away. */
static int twin_input = 7;

static noinline int twin_a(int x)
{
	return twin_step(x) + 100;
}

static int twin_show(struct seq_file *m, void *v)
{
	int x = READ_ONCE(twin_input);

	seq_printf(m, "twins: %d %d\n", twin_a(x), twin_b(x));
	return 0;
}

static int __init twin_init(void)
{
	if (!proc_create_single("ksplice_twins", 0444, NULL, twin_show))
		return -ENOMEM;
	return 0;
}

static void __exit twin_exit(void)
{
	remove_proc_entry("ksplice_twins", NULL);
}

module_init(twin_init);
module_exit(twin_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice example target: same-named identical static copies");
