// SPDX-License-Identifier: GPL-2.0
/*
 * An ftrace direct call on kst_target's kst_add that redirects it: the
 * fentry call goes straight to a small trampoline, which drops its return
 * address (kst_add + 5, where ksplice's jmp would be) and jumps to a
 * function returning x + 10000.  The engine must refuse kst_add meanwhile.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/objtool.h>

static noinline __used int kst_add_direct(int x)
{
	return x + 10000;
}

/* Entered by the fentry call: the stack holds kst_add + 5, then the
 * caller's return address, which kst_add_direct returns to. */
asm(".pushsection .text, \"ax\"\n"
    ".type kst_direct_tramp, @function\n"
    "kst_direct_tramp:\n"
    "	addq $8, %rsp\n"
    "	jmp kst_add_direct\n"
    ".size kst_direct_tramp, . - kst_direct_tramp\n"
    ".popsection\n");
void kst_direct_tramp(void);
STACK_FRAME_NON_STANDARD(kst_direct_tramp);

static unsigned long kst_ip;

static int __init kst_direct_init(void)
{
	/* A kprobe that is never armed tells where kst_add is. */
	struct kprobe kp = { .symbol_name = "kst_add" };
	int ret = register_kprobe(&kp);

	if (ret)
		return ret;
	kst_ip = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return register_ftrace_direct(kst_ip, (unsigned long)kst_direct_tramp);
}

static void __exit kst_direct_exit(void)
{
	unregister_ftrace_direct(kst_ip, (unsigned long)kst_direct_tramp);
}

module_init(kst_direct_init);
module_exit(kst_direct_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test: ftrace direct call redirecting kst_add");
