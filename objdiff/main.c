// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-objdiff: compare a pre and a post object and write the update
 * object and its C glue.  ksplice-create does the same through the
 * library; this tool is for inspecting one object by hand.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "objdiff.h"

enum {
	EXIT_CHANGED = 0, EXIT_NO_CHANGE = 1, EXIT_REFUSED = 2, EXIT_ERR = 3,
	EXIT_MALFORMED = 4,
};

static void usage(FILE *f)
{
	fputs("usage: ksplice-objdiff [options] PRE.o POST.o\n"
	      "  --target=NAME       running object: module name or vmlinux\n"
	      "  --tag=TAG           prefix of the anchors ([A-Za-z0-9_])\n"
	      "  --symvers=FILE      exported symbols (Module.symvers), repeatable\n"
	      "  --provided=NAME     a new global another update object defines\n"
	      "  --objname=PATH      the object's path in the kernel tree (names\n"
	      "                      its unnamed sections in the run-pre data)\n"
	      "  --target-binary=KO  the running module's own file (tells its\n"
	      "                      same-named statics apart)\n"
	      "  -o, --output=FILE   write the update object\n"
	      "  --c=FILE            write the C glue of a one-object update\n"
	      "  --skip-init         leave changed __init code and data out\n"
	      "  --skip-exit         leave a module's changed __exit code and "
	      "data out\n"
	      "  --id=ID, --description=TEXT   for the C glue\n"
	      "exit: 0 changed, 1 no functional change, 2 refused, 3 error,\n"
	      "      4 malformed object\n", f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "tag", required_argument, NULL, 'g' },
		{ "symvers", required_argument, NULL, 's' },
		{ "provided", required_argument, NULL, 'p' },
		{ "objname", required_argument, NULL, 'n' },
		{ "target-binary", required_argument, NULL, 'B' },
		{ "output", required_argument, NULL, 'o' },
		{ "c", required_argument, NULL, 'c' },
		{ "id", required_argument, NULL, 'i' },
		{ "description", required_argument, NULL, 'd' },
		{ "skip-init", no_argument, NULL, 'I' },
		{ "skip-exit", no_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct od_symset *exported = od_symset_new(), *provided = od_symset_new();
	struct od_options opt = { .target = "vmlinux", .tag = "o" };
	struct od_update_info info = { .id = "objdiff", .description = "objdiff" };
	const char *out = NULL, *cfile = NULL;
	struct od_result *res;
	int c, ret;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': opt.target = optarg; break;
		case 'g': opt.tag = optarg; break;
		case 's':
			if (od_symset_load_symvers(exported, optarg)) {
				perror(optarg);
				return EXIT_ERR;
			}
			break;
		case 'p': od_symset_add(provided, optarg); break;
		case 'n': opt.objname = optarg; break;
		case 'B': opt.target_binary = optarg; break;
		case 'I': opt.skip_init = true; break;
		case 'X': opt.skip_exit = true; break;
		case 'o': out = optarg; break;
		case 'c': cfile = optarg; break;
		case 'i': info.id = optarg; break;
		case 'd': info.description = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_REFUSED;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return EXIT_REFUSED;
	}
	opt.exported = exported;
	opt.provided = provided;
	res = od_diff(argv[optind], argv[optind + 1], &opt);
	od_print_msgs(res, stderr, "");
	switch (res->status) {
	case OD_CHANGED:
		ret = EXIT_CHANGED;
		if (out && od_write_object(res, out)) {
			fprintf(stderr, "%s: cannot write\n", out);
			ret = EXIT_ERR;
		}
		if (cfile) {
			FILE *f = fopen(cfile, "w");

			if (!f || od_write_c(f, &info, &res, 1) || fclose(f)) {
				fprintf(stderr, "%s: cannot write\n", cfile);
				ret = EXIT_ERR;
			}
		}
		break;
	case OD_NO_CHANGE:
		fputs("no functional change\n", stderr);
		ret = EXIT_NO_CHANGE;
		break;
	case OD_REFUSED:
		ret = EXIT_REFUSED;
		break;
	case OD_MALFORMED:
		ret = EXIT_MALFORMED;
		break;
	default:
		ret = EXIT_ERR;
	}
	od_result_free(res);
	od_symset_free(exported);
	od_symset_free(provided);
	return ret;
}
