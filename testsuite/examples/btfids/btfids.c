// SPDX-License-Identifier: GPL-2.0
/*
 * Target of testsuite/tests/create-btfids.sh: a set in .BTF_ids, as
 * BTF_SET_START makes, whose content the object file does not hold: the
 * kernel's resolve_btfids fills it when vmlinux or a module is linked
 * (here the module's init does, so that the test can tell).  The object
 * says 42, the running set 99.  /proc/ksplice_btfids prints btf_read(),
 * 99 + 1 here; ../btfids.patch changes btf_read to + 2: its new code must
 * read the running set (101), never a copy of the object's (44).
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

/* Writable here only so that init can play resolve_btfids. */
asm(".pushsection .BTF_ids,\"aw\"\n"
    ".local btf_demo_set\n"
    "btf_demo_set:\n"
    ".long 1\n"
    ".long 42\n"
    ".popsection\n");
extern u32 btf_demo_set[];

static noinline int btf_read(void)
{
	return READ_ONCE(btf_demo_set[1]) + 1;
}

static int btf_show(struct seq_file *m, void *v)
{
	seq_printf(m, "btfids: %d\n", btf_read());
	return 0;
}

static int __init btf_init(void)
{
	WRITE_ONCE(btf_demo_set[1], 99);
	if (!proc_create_single("ksplice_btfids", 0444, NULL, btf_show))
		return -ENOMEM;
	return 0;
}

static void __exit btf_exit(void)
{
	remove_proc_entry("ksplice_btfids", NULL);
}

module_init(btf_init);
module_exit(btf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice example target: a BTF id set filled at link time");
