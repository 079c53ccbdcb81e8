// SPDX-License-Identifier: GPL-2.0
/*
 * regs-sleep ADDR: put ADDR (hex) in every register a system call leaves
 * alone and sleep in pause() for good.  An unprivileged user can do this
 * with any kernel address it learns; the register frame it leaves on its
 * kernel stack must not make the stack check call the code busy.
 * Freestanding (no libc), so it runs in the busybox guest as it is.
 */
#define SYS_PAUSE	34

static unsigned long parse_hex(const char *s)
{
	unsigned long v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
		if (d < 0)
			break;
		v = v * 16 + d;
	}
	return v;
}

__attribute__((noreturn, used)) static void sleep_with(unsigned long a)
{
	for (;;)
		__asm__ volatile("mov %0, %%rbx\n\t"
				 "mov %0, %%rbp\n\t"
				 "mov %0, %%r12\n\t"
				 "mov %0, %%r13\n\t"
				 "mov %0, %%r14\n\t"
				 "mov %0, %%r15\n\t"
				 "mov %0, %%rdi\n\t"
				 "mov %0, %%rsi\n\t"
				 "mov %0, %%rdx\n\t"
				 "mov %0, %%r8\n\t"
				 "mov %0, %%r9\n\t"
				 "mov %0, %%r10\n\t"
				 "mov %1, %%eax\n\t"
				 "syscall"
				 : : "r"(a), "i"(SYS_PAUSE)
				 : "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
				   "r8", "r9", "r10", "r11", "r12", "r13",
				   "r14", "r15", "memory");
}

__attribute__((used)) static void start_c(unsigned long *sp)
{
	char **argv = (char **)(sp + 1);

	sleep_with(sp[0] > 1 ? parse_hex(argv[1]) : 0);
}

__asm__(".globl _start\n"
	"_start:\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call start_c\n");
