// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: turn a patch to an out-of-tree module's source into a
 * ksplice update package.
 *
 *   ksplice-create [--id=ID] [--description=TEXT] --patch=FILE...
 *                  [-o DIR] [-j N] [--kdir=DIR] [--force-compiler] SOURCE
 *
 * Copies SOURCE twice (pre, and post with the patches applied), builds
 * both with kbuild and -ffunction-sections -fdata-sections, compares the
 * objects the patches touch (objdiff), builds the update module and
 * writes ksplice-<id>.tar.gz.  The package path is the last line on
 * stdout.  Exit: 0 done, 2 bad usage/input or refused change, 3 missing
 * tools or kernel build directory.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "create/create.h"
#include "../objdiff/objdiff.h"

static struct create ctx;

static void usage(FILE *f)
{
	fputs("usage: ksplice-create [--id=ID] [--description=TEXT] "
	      "--patch=FILE... [-o DIR]\n"
	      "                      [-j N] [--kdir=DIR] [--force-compiler] "
	      "SOURCE\n"
	      "  SOURCE             an out-of-tree module's source directory\n"
	      "  --patch=FILE       a patch for `patch -p1` in SOURCE (repeatable)\n"
	      "  --id=ID            update id, [A-Za-z0-9_-], 1..64 (default: random)\n"
	      "  --description=TEXT one line for sysadmins\n"
	      "  -o DIR             where to write ksplice-<id>.tar.gz (default .)\n"
	      "  -j N               parallel build jobs\n"
	      "  --kdir=DIR         kernel build directory (default: running kernel's)\n"
	      "  --force-compiler   build even if the compiler differs from the kernel's\n"
	      "  --keep-work        keep the work directory\n"
	      "exit: 0 done, 2 bad input or refused change, 3 environment\n", f);
}

static bool valid_id(const char *id)
{
	size_t n = strlen(id), i;

	if (!n || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-", id[i]))
			return false;
	return true;
}

static char *random_id(void)
{
	unsigned char b[4];

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		die(EXIT_ENV, "getrandom: %s", strerror(errno));
	return xasprintf("%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
}

static void parse_args(struct create *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "description", required_argument, NULL, 'd' },
		{ "patch", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "kdir", required_argument, NULL, 'k' },
		{ "force-compiler", no_argument, NULL, 'f' },
		{ "keep-work", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int o;

	c->outdir = ".";
	c->jobs = 1;
	while ((o = getopt_long(argc, argv, "o:j:h", longopts, NULL)) != -1) {
		switch (o) {
		case 'i': c->id = optarg; break;
		case 'd': c->description = optarg; break;
		case 'p':
			if (c->nr_patches == MAX_PATCHES)
				die(EXIT_REFUSED, "at most %d patches", MAX_PATCHES);
			c->patches[c->nr_patches] = realpath(optarg, NULL);
			if (!c->patches[c->nr_patches] || !is_file(optarg))
				die(EXIT_REFUSED, "%s: no such patch file", optarg);
			c->nr_patches++;
			break;
		case 'o': c->outdir = optarg; break;
		case 'j':
			c->jobs = strtoul(optarg, &end, 10);
			if (*end || !c->jobs || c->jobs > 1024)
				die(EXIT_REFUSED, "bad -j value %s", optarg);
			break;
		case 'k': c->kdir = optarg; break;
		case 'f': c->force_compiler = true; break;
		case 'K': c->keep_work = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(EXIT_REFUSED);
		}
	}
	if (argc - optind != 1 || !c->nr_patches) {
		usage(stderr);
		exit(EXIT_REFUSED);
	}
	c->source = realpath(argv[optind], NULL);
	if (!c->source || !is_dir(c->source))
		die(EXIT_REFUSED, "%s: not a directory", argv[optind]);
	if (!is_dir(c->outdir))
		die(EXIT_REFUSED, "%s: not a directory", c->outdir);
	if (c->id && !valid_id(c->id))
		die(EXIT_REFUSED, "bad id \"%s\": use 1 to 64 of [A-Za-z0-9_-]",
		    c->id);
	if (!c->id)
		c->id = random_id();
	if (!c->description)
		c->description = xasprintf("ksplice update %s", c->id);
}

static void make_workdir(struct create *c)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/ksplice-create.XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (!mkdtemp(tmpl))
		die(EXIT_ENV, "cannot create a work directory: %s", strerror(errno));
	c->work = tmpl;
	c->pre = xasprintf("%s/pre", tmpl);
	c->post = xasprintf("%s/post", tmpl);
	c->upd = xasprintf("%s/update", tmpl);
}

static void remove_workdir(void)
{
	char *argv[] = { "rm", "-rf", ctx.work, NULL };

	if (!ctx.work)
		return;
	if (ctx.keep_work) {
		fprintf(stderr, "ksplice-create: work directory kept: %s\n", ctx.work);
		return;
	}
	run(NULL, NULL, argv);
}

static struct od_symset *exported_symbols(struct create *c)
{
	struct od_symset *set = od_symset_new();
	char *kernel = xasprintf("%s/Module.symvers", c->kdir);
	char *tree = xasprintf("%s/Module.symvers", c->pre);

	if (od_symset_load_symvers(set, kernel))
		die(EXIT_ENV, "cannot read %s", kernel);
	od_symset_load_symvers(set, tree);	/* modules of the same tree */
	free(kernel);
	free(tree);
	return set;
}

static struct od_result *diff_one(struct create *c, struct cobject *o,
				  const struct od_symset *exported,
				  const struct od_symset *provided)
{
	struct od_options opt = {
		.target = o->module, .tag = o->tag,
		.exported = exported, .provided = provided,
	};
	char *pre = xasprintf("%s/%s", c->pre, o->rel);
	char *post = xasprintf("%s/%s", c->post, o->rel);
	struct od_result *res = od_diff(pre, post, &opt);

	free(pre);
	free(post);
	return res;
}

/*
 * Compare every object.  New global symbols one object defines may be
 * used by another: a second pass tells objdiff they are provided.
 */
static struct od_result **diff_all(struct create *c, struct cobject *objs,
				   unsigned int n)
{
	struct od_result **res = xrealloc(NULL, n, sizeof(*res));
	struct od_symset *exported = exported_symbols(c);
	struct od_symset *provided = od_symset_new();
	unsigned int i, j, nr_new = 0;

	for (i = 0; i < n; i++) {
		step("comparing %s", objs[i].rel);
		res[i] = diff_one(c, &objs[i], exported, provided);
		for (j = 0; j < res[i]->nr_new_globals; j++)
			nr_new += od_symset_add(provided, res[i]->new_globals[j]);
	}
	if (nr_new && n > 1) {
		for (i = 0; i < n; i++) {
			od_result_free(res[i]);
			res[i] = diff_one(c, &objs[i], exported, provided);
		}
	}
	od_symset_free(exported);
	od_symset_free(provided);
	return res;
}

/* Print what objdiff found; exit on a refusal or if nothing changed. */
static void judge(struct od_result **res, struct cobject *objs, unsigned int n)
{
	unsigned int i, changed = 0, refused = 0, errors = 0;

	for (i = 0; i < n; i++) {
		char *prefix = xasprintf("  %s: ", objs[i].rel);

		od_print_msgs(res[i], stderr, prefix);
		free(prefix);
		changed += res[i]->status == OD_CHANGED;
		refused += res[i]->status == OD_REFUSED;
		errors += res[i]->status == OD_ERROR;
	}
	if (errors)
		die(EXIT_REFUSED, "cannot compare the objects (see above)");
	if (refused)
		die(EXIT_REFUSED, "refused: this change cannot be applied to a "
		    "running module safely (see above)");
	if (!changed)
		die(EXIT_REFUSED, "no functional change");
}

int main(int argc, char **argv)
{
	struct cobject *objs;
	struct od_result **res;
	unsigned int n, i;
	char *ko, *pkg;

	parse_args(&ctx, argc, argv);
	check_environment(&ctx);
	make_workdir(&ctx);
	atexit(remove_workdir);
	prepare_sources(&ctx);
	build_pre(&ctx);
	objs = find_objects(&ctx, &n);
	check_compiler(&ctx, objs[0].rel);
	build_post(&ctx, objs, n);
	res = diff_all(&ctx, objs, n);
	judge(res, objs, n);
	generate_update(&ctx, objs, res, n);
	ko = build_update(&ctx);
	pkg = write_package(&ctx, res, objs, n, ko);
	for (i = 0; i < n; i++)
		od_result_free(res[i]);
	free(res);
	printf("%s\n", pkg);
	free(pkg);
	free(ko);
	return 0;
}
