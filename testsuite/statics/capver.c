// SPDX-License-Identifier: GPL-2.0
/*
 * capver VERSION: call capget(2) with the capability header version
 * VERSION (hex) for the current process, and print what it returned.
 * The create-statics test drives kernel/capability.c's version check
 * (and its once-only warnings) with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

struct cap_header {
	unsigned int version;
	int pid;
};

struct cap_data {
	unsigned int effective, permitted, inheritable;
};

int main(int argc, char **argv)
{
	struct cap_header h = { 0, 0 };
	struct cap_data d[2];
	long ret;

	if (argc != 2) {
		fprintf(stderr, "usage: capver VERSION\n");
		return 2;
	}
	h.version = strtoul(argv[1], NULL, 16);
	ret = syscall(SYS_capget, &h, d);
	printf("capget %#x: %ld\n", (unsigned int)strtoul(argv[1], NULL, 16),
	       ret);
	return 0;
}
