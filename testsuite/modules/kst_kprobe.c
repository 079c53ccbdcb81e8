// SPDX-License-Identifier: GPL-2.0
/*
 * A kprobe on kst_target's kst_add that redirects it: its pre handler
 * sends the call to a function returning x + 1000.  It has a post handler,
 * so kprobes arms it through the IPMODIFY ftrace_ops, as it does for any
 * probe that may change the IP.  The engine must refuse kst_add meanwhile.
 * /sys/module/kst_kprobe/parameters/hits counts the redirected calls.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>

static int hits;
module_param(hits, int, 0444);

static noinline int kst_add_kp(int x)
{
	return x + 1000;
}

static int kst_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	hits++;
	instruction_pointer_set(regs, (unsigned long)kst_add_kp);
	return 1;	/* we changed the IP: resume there */
}

static void kst_kp_post(struct kprobe *p, struct pt_regs *regs,
			unsigned long flags)
{
}

static struct kprobe kst_kp = {
	.symbol_name = "kst_add",
	.pre_handler = kst_kp_pre,
	.post_handler = kst_kp_post,
};

static int __init kst_kprobe_init(void)
{
	return register_kprobe(&kst_kp);
}

static void __exit kst_kprobe_exit(void)
{
	unregister_kprobe(&kst_kp);
}

module_init(kst_kprobe_init);
module_exit(kst_kprobe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test: IP-changing kprobe on kst_add");
