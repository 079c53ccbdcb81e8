// SPDX-License-Identifier: GPL-2.0
/*
 * Source of the fuzz seed corpus: built twice, without and with -DPOST,
 * with the flags of a kernel build, so that the pre and post objects hold
 * what objdiff walks in real ones: changed, new and unchanged functions,
 * a cold part, static locals, strings, merged constants, and the tables
 * the kernel's asm macros write (exception table, jump label, alternative,
 * lock prefix, static call, paravirt, WARN, return and retpoline sites).
 */
#ifdef POST
#define V 7
#else
#define V 5
#endif

extern int ext(int);
extern int key;
extern void report(const char *s);
int (*fp)(int);

#define TABLE(sec, body) \
	".pushsection " sec ",\"a\"\n" body ".popsection\n"

int table_user(int *p)
{
	int v = 0;

	asm volatile("1: lock; movl (%1), %0\n2:\n"
		     TABLE("__ex_table", ".long 1b - .\n.long 2b - .\n.long 3\n")
		     TABLE(".smp_locks", ".long 1b - .\n")
		     TABLE("__jump_table", ".long 1b - .\n.long 2b - .\n"
			   ".quad key + 1\n")
		     TABLE(".altinstructions", ".long 1b - .\n.long 3f - .\n"
			   ".word 0x75\n.byte 5\n.byte 5\n")
		     TABLE(".altinstr_replacement", "3: .byte 0x90,0x90,0x90,0x90,0x90\n")
		     TABLE(".static_call_sites", ".long 1b - .\n.long key - .\n")
		     TABLE(".parainstructions", ".quad 1b\n.byte 1\n.byte 5\n"
			   ".skip 6\n")
		     TABLE("__bug_table", ".long 1b - .\n.long 4f - .\n"
			   ".word 12\n.word 0\n")
		     TABLE(".rodata.str1.1", "4: .asciz \"seed.c\"\n")
		     TABLE(".return_sites", ".long 2b - .\n")
		     TABLE(".retpoline_sites", ".long 2b - .\n")
		     : "+r"(v) : "r"(p));
	return v + V;
}

__attribute__((noinline)) static int helper(int x)
{
	static int count;

	asm("");
	return x * V + ++count;
}

#ifdef POST
__attribute__((noinline)) static int added(int x)
{
	asm("");
	return x - 3;
}
#endif

int changed(int x)
{
	static const long consts[] = { 0x1234567890, 5, 3 };

	report("changed was called");
#ifdef POST
	x = added(x);
#endif
	if (__builtin_expect(x == 42, 0))
		report("the unlikely path");
	return helper(x) + fp(x) + ext(x) + (int)consts[x & 1];
}

int unchanged(int x)
{
	return ext(x) + 1;
}

#ifdef POST
/* a hook (<ksplice/patch.h>): carried as a root, listed in the glue */
static int seed_hook(void)
{
	return unchanged(1) == 0;
}
int __ksplice_hook_apply_pre__seed_hook(void)
	__attribute__((alias("seed_hook")));
#endif
