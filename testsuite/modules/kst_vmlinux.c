// SPDX-License-Identifier: GPL-2.0
/* An update of vmlinux itself: /proc/cmdline gains a marker line. */
#include <linux/module.h>
#include <linux/seq_file.h>
#include <ksplice/update.h>

static noinline int cmdline_proc_show_v2(struct seq_file *m, void *v)
{
	seq_puts(m, "ksplice-was-here\n");
	return 0;
}

static const struct ksplice_func kst_funcs[] = {
	{ .name = "cmdline_proc_show", .object = "vmlinux",
	  .new_code = cmdline_proc_show_v2 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_vmlinux",
	.description = "/proc/cmdline says ksplice-was-here",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
};

static int __init kst_vmlinux_init(void)
{
	return ksplice_register_update(&kst_update);
}

static void __exit kst_vmlinux_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_vmlinux_init);
module_exit(kst_vmlinux_exit);
MODULE_LICENSE("GPL");
