// SPDX-License-Identifier: GPL-2.0
/*
 * The ksplice demo target: /proc/ksplice_hello prints one line built by
 * hello_line().  ../hello.patch changes that line; ksplice-create turns
 * the patch into an update that changes it in the running module.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

/* Survives the update: the new code keeps counting on the running copy. */
static unsigned int hello_reads;

static noinline void hello_line(struct seq_file *m)
{
	hello_reads++;
	seq_printf(m, "hello from the original module (read %u)\n",
		   hello_reads);
}

static int hello_show(struct seq_file *m, void *v)
{
	hello_line(m);
	return 0;
}

static int __init hello_init(void)
{
	if (!proc_create_single("ksplice_hello", 0444, NULL, hello_show))
		return -ENOMEM;
	return 0;
}

static void __exit hello_exit(void)
{
	remove_proc_entry("ksplice_hello", NULL);
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice example target: /proc/ksplice_hello");
