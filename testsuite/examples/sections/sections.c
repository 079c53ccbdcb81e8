// SPDX-License-Identifier: GPL-2.0
/*
 * Target of testsuite/tests/create-sections.sh: functions with a section
 * attribute, which share one section even under -ffunction-sections, so
 * that the assembler resolves the calls between them.  /proc/ksplice_sections
 * prints sect_calc(7), 71 here; ../sections.patch changes sect_calc alone
 * (72), whose new code must still reach the running sect_scale;
 * ../sections-noinstr.patch changes sect_mark, which is noinstr.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#define SHARED __section(".sched.text") noinline

/* Not a constant, so that the compiler cannot fold the calls away. */
static int sect_input = 7;
static int sect_marks;

static SHARED int sect_scale(int x)
{
	return x * 10;
}

static SHARED int sect_calc(int x)
{
	return sect_scale(x) + 1;
}

static noinstr void sect_mark(void)
{
	sect_marks++;
}

static int sect_show(struct seq_file *m, void *v)
{
	sect_mark();
	seq_printf(m, "sections: %d\n", sect_calc(READ_ONCE(sect_input)));
	return 0;
}

static int __init sect_init(void)
{
	if (!proc_create_single("ksplice_sections", 0444, NULL, sect_show))
		return -ENOMEM;
	return 0;
}

static void __exit sect_exit(void)
{
	remove_proc_entry("ksplice_sections", NULL);
}

module_init(sect_init);
module_exit(sect_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice example target: functions that share a section");
