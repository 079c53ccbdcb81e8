// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-uname: uname(1) as the running code is, not as it booted.  The
 * kernel release is the effective release the newest applied update
 * states (its package's manifest, recorded by ksplice-apply in
 * /run/ksplice/<id>); the other fields are uname's.  Without an applied
 * update that states one, the output is exactly uname's.
 *
 *   ksplice-uname [-snrvmoa] [--state-dir=DIR]
 *
 * Exit: 0 done, 2 bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "tool/tool.h"

enum { SYSNAME = 1, NODENAME = 2, RELEASE = 4, VERSION = 8, MACHINE = 16,
       OS = 32 };

static void usage(FILE *f)
{
	fputs("usage: ksplice-uname [-snrvmoa] [--state-dir=DIR]\n"
	      "  uname's output with the kernel release replaced by the "
	      "effective release\n"
	      "  of the newest applied update that states one "
	      "(ksplice-create\n"
	      "  --effective-release); without one, exactly uname's output\n"
	      "  -s, --kernel-name       -n, --nodename\n"
	      "  -r, --kernel-release    (the effective one)\n"
	      "  -v, --kernel-version    (the booted kernel's)\n"
	      "  -m, --machine           -o, --operating-system\n"
	      "  -a, --all               all of these, in this order\n"
	      "  --state-dir=DIR   ksplice-apply's records (default "
	      "/run/ksplice)\n"
	      "exit: 0 done, 2 bad usage\n", f);
}

/* The effective release of the newest applied update stating one. */
static char *effective_release(void)
{
	struct update_info *list;
	unsigned int n = update_list(&list), i;
	char *rel = NULL;

	/* update_list(): the applied ones first, oldest first. */
	for (i = 0; i < n && !strcmp(list[i].stage, "applied"); i++) {
		struct state_info info;

		state_read_info(list[i].id, &info);
		if (info.effective_release) {
			free(rel);
			rel = xstrdup(info.effective_release);
		}
		state_info_free(&info);
	}
	update_list_free(list, n);
	return rel;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel-name", no_argument, NULL, 's' },
		{ "nodename", no_argument, NULL, 'n' },
		{ "kernel-release", no_argument, NULL, 'r' },
		{ "kernel-version", no_argument, NULL, 'v' },
		{ "machine", no_argument, NULL, 'm' },
		{ "operating-system", no_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fields[6];
	unsigned int want = 0, i, printed = 0;
	struct utsname u;
	char *rel;
	int c;

	tool_name = "ksplice-uname";
	while ((c = getopt_long(argc, argv, "snrvmoah", opts, NULL)) != -1) {
		switch (c) {
		case 's': want |= SYSNAME; break;
		case 'n': want |= NODENAME; break;
		case 'r': want |= RELEASE; break;
		case 'v': want |= VERSION; break;
		case 'm': want |= MACHINE; break;
		case 'o': want |= OS; break;
		case 'a': want |= SYSNAME | NODENAME | RELEASE | VERSION |
				  MACHINE | OS; break;
		case 'S': tool_state_dir = optarg; break;
		case 'h': usage(stdout); return EXIT_DONE;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("extra operand '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!want)
		want = SYSNAME;
	if (uname(&u)) {
		tool_error("uname: %m");
		return EXIT_ENV;
	}
	rel = want & RELEASE ? effective_release() : NULL;
	fields[0] = u.sysname;
	fields[1] = u.nodename;
	fields[2] = rel ? rel : u.release;
	fields[3] = u.version;
	fields[4] = u.machine;
	fields[5] = "GNU/Linux";	/* what uname -o says on Linux */
	for (i = 0; i < 6; i++)
		if (want & (1u << i))
			printf("%s%s", printed++ ? " " : "", fields[i]);
	putchar('\n');
	free(rel);
	return fflush(stdout) ? EXIT_ENV : EXIT_DONE;
}
