// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: turn a patch into a ksplice update package.
 *
 *   ksplice-create [--id=ID] [--description=TEXT] --patch=FILE...
 *                  [-o DIR] [-j N] [--kdir=DIR] [--force-compiler]
 *                  [--debian[=RELEASE]] [--explain]
 *                  [--sign-key=KEY --sign-cert=CERT] [--cve=ID...]
 *                  [--effective-release=RELEASE] [SOURCE]
 *   ksplice-create --prepare [--full-tree] [--debian[=RELEASE]]
 *   ksplice-create --list-objects [--patch=FILE...] [--debian[=RELEASE]]
 *
 * SOURCE is an out-of-tree module's source or a prepared kernel tree.
 * Without SOURCE, the kernel itself: Debian's source of RELEASE (default:
 * the running kernel if it is a Debian 6.1 one, else the VM test bed's),
 * prepared once into a cached tree (tree.c, debian.c).  The objects the
 * patch touches are built before and after it, with -ffunction-sections
 * -fdata-sections, and compared (objdiff); the update module is built
 * against the release's headers and written into ksplice-<id>.tar.gz;
 * with --sign-key/--sign-cert, the module is signed with the kernel's
 * scripts/sign-file and the manifest with the same key (manifest.sig).
 * The CVE ids of --cve and of the patches' headers (cve.c) and the
 * release the fixed code equals (--effective-release) go into the
 * manifest.  The package path is the last line on stdout.  Exit: 0 done, 2 bad
 * usage/input or refused change, 3 missing tools, headers or downloads,
 * 4 cannot tell which objects of the kernel a change concerns.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "create/create.h"
#include "ksplice/error.h"
#include "ksplice/manifest.h"
#include "signature.h"
#include "../objdiff/objdiff.h"

static struct create ctx;
/* --explain: print each changed function's instruction diff */
static bool explain;
/* --skip-init, --skip-exit: leave changed __init / __exit code out; how many were */
static bool skip_init, skip_exit;
static unsigned int nr_init_skipped, nr_exit_skipped;
/* where the patches move each line: a shifted __LINE__ is no change */
static struct od_linemap *linemap;

static void usage(FILE *f)
{
	fputs("usage: ksplice-create [--id=ID] [--description=TEXT] "
	      "--patch=FILE... [-o DIR]\n"
	      "                      [-j N] [--kdir=DIR] [--force-compiler] "
	      "[--debian[=RELEASE]] [SOURCE]\n"
	      "       ksplice-create --prepare [--full-tree] "
	      "[--debian[=RELEASE]]\n"
	      "       ksplice-create --list-objects [--patch=FILE...] "
	      "[--debian[=RELEASE]] [SOURCE]\n"
	      "  SOURCE             an out-of-tree module's source, or a prepared "
	      "kernel tree;\n"
	      "                     without it, Debian's kernel source (--debian)\n"
	      "  --debian=RELEASE   Debian kernel release, e.g. 6.1.0-54-amd64 "
	      "(default: the\n"
	      "                     running one if Debian 6.1, else the VM test "
	      "bed's)\n"
	      "  --prepare          only prepare (and cache) the kernel tree\n"
	      "  --full-tree        compile the tree's vmlinux objects once (slow),"
	      " so that\n"
	      "                     header changes find every vmlinux user\n"
	      "  --list-objects     print the objects the patches change and "
	      "what each is\n"
	      "                     linked into (without --patch: every "
	      "object), build nothing\n"
	      "  --max-candidates=N objects to preprocess to find a header's "
	      "users (100)\n"
	      "  --patch=FILE       a patch for `patch -p1` (repeatable)\n"
	      "  --id=ID            update id, [A-Za-z0-9_-], 1..64 (default: random)\n"
	      "  --description=TEXT one line for sysadmins\n"
	      "  -o DIR             where to write ksplice-<id>.tar.gz (default .)\n"
	      "  -j N               parallel build jobs (kernel trees: default "
	      "all CPUs)\n"
	      "  --kdir=DIR         kernel build directory (default: the "
	      "release's headers)\n"
	      "  --force-compiler   build even if the compiler differs from the kernel's\n"
	      "  --keep-work        keep the work directory\n"
	      "  --explain          show why each function counts as changed: "
	      "the diff of\n"
	      "                     its pre and post instructions\n"
	      "  --cumulative       an update that carries the fixes of every "
	      "update applied\n"
	      "                     before it (PATCH is against the original "
	      "source): applying\n"
	      "                     it replaces them all in one stop\n"
	      "  --skip-init        leave changed __init code and data out "
	      "(it has run)\n"
	      "                     instead of refusing the update\n"
	      "  --skip-exit        leave a module's changed __exit code and "
	      "data out (the\n"
	      "                     module unloads with its own) instead of "
	      "refusing\n"
	      "  --allow-retyped-callbacks\n"
	      "                     a struct an exported symbol reaches may "
	      "change the type of\n"
	      "                     a callback member: no out-of-tree module "
	      "implements or\n"
	      "                     calls it (in-tree ones are in the update)\n"
	      "  --sign-key=KEY --sign-cert=CERT\n"
	      "                     sign the update module with the kernel's "
	      "sign-file and\n"
	      "                     the package's manifest (CMS), for "
	      "module.sig_enforce=1\n"
	      "                     and ksplice-apply's trusted.d; KEY is PEM, "
	      "CERT PEM or DER\n"
	      "  --cve=CVE-YYYY-NNNN  a CVE the update fixes (repeatable); "
	      "ids in the\n"
	      "                     patches' headers (before the first diff) "
	      "count too\n"
	      "  --effective-release=RELEASE\n"
	      "                     the release the fixed code is equivalent "
	      "to, shown by\n"
	      "                     ksplice-uname (e.g. 6.1.192-1)\n"
	      "exit: 0 done, 2 bad input or refused change, 3 environment,\n"
	      "      4 cannot tell which objects a change concerns\n", f);
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

/* A kernel tree (not an out-of-tree module): its top-level files. */
static bool is_kernel_tree(const char *dir)
{
	static const char *const files[] = { "Kbuild", "Makefile", "Kconfig",
		"scripts/Kbuild.include", "include/linux/kernel.h", NULL };
	unsigned int i;
	bool ok = true;

	for (i = 0; files[i] && ok; i++) {
		char *p = xasprintf("%s/%s", dir, files[i]);

		ok = is_file(p);
		free(p);
	}
	return ok;
}

/* A bad key fails now, not after the build. */
static void load_signer(struct create *c)
{
	char msg[KS_MSG_LEN + 4096];

	if (!c->sign_key != !c->sign_cert)
		die(EXIT_REFUSED, "--sign-key and --sign-cert go together");
	if (c->sign_key && (c->prepare_only || c->list_objects))
		die(EXIT_REFUSED, "--sign-key signs an update: not with "
		    "--prepare or --list-objects");
	if (c->sign_key &&
	    ks_signer_load(&c->signer, c->sign_key, c->sign_cert, msg,
			   sizeof(msg)))
		die(EXIT_REFUSED, "%s", msg);
}

static void add_cve_option(struct create *c, const char *arg)
{
	char id[KS_CVE_MAX + 1];

	if (!cve_normalize(arg, strlen(arg), id))
		die(EXIT_REFUSED, "--cve: bad CVE id \"%s\": expected "
		    "CVE-YYYY-NNNN (4 to 14 digits)", arg);
	cve_add(c, id);
}

/* The manifest's own check, now rather than after the build. */
static void check_effective_release(struct create *c, const char *arg)
{
	struct ks_manifest *m = malloc(sizeof(*m));
	char msg[KS_MSG_LEN];

	if (!m)
		die(EXIT_ENV, "out of memory");
	ks_manifest_init(m);
	if (ks_manifest_set_effective_release(m, arg, msg, sizeof(msg)))
		die(EXIT_REFUSED, "--effective-release: %s", msg);
	if (!*arg)
		die(EXIT_REFUSED, "--effective-release: empty");
	free(m);
	c->effective_release = arg;
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
		{ "debian", optional_argument, NULL, 'D' },
		{ "prepare", no_argument, NULL, 'P' },
		{ "full-tree", no_argument, NULL, 'F' },
		{ "list-objects", no_argument, NULL, 'L' },
		{ "max-candidates", required_argument, NULL, 'M' },
		{ "explain", no_argument, NULL, 'E' },
		{ "skip-init", no_argument, NULL, 'I' },
		{ "skip-exit", no_argument, NULL, 'X' },
		{ "allow-retyped-callbacks", no_argument, NULL, 'A' },
		{ "cumulative", no_argument, NULL, 'R' },
		{ "sign-key", required_argument, NULL, 'S' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ "cve", required_argument, NULL, 'V' },
		{ "effective-release", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool debian = false, jobs = false;
	char *end;
	int o;

	c->outdir = ".";
	c->jobs = 1;
	c->max_candidates = 100;
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
			jobs = true;
			break;
		case 'D':
			debian = true;
			c->debian = optarg;
			/* "--debian 6.1.0-54-amd64" as well */
			if (!optarg && optind < argc && argv[optind][0] != '-' &&
			    !is_dir(argv[optind]))
				c->debian = argv[optind++];
			break;
		case 'P': c->prepare_only = true; break;
		case 'F': c->full_tree = true; break;
		case 'L': c->list_objects = true; break;
		case 'M':
			c->max_candidates = strtoul(optarg, &end, 10);
			if (*end || !c->max_candidates)
				die(EXIT_REFUSED, "bad --max-candidates value %s",
				    optarg);
			break;
		case 'k': c->kdir = optarg; break;
		case 'f': c->force_compiler = true; break;
		case 'K': c->keep_work = true; break;
		case 'E': explain = true; break;
		case 'I': skip_init = true; break;
		case 'X': skip_exit = true; break;
		case 'A': c->allow_retyped_callbacks = true; break;
		case 'R': c->cumulative = true; break;
		case 'S': c->sign_key = optarg; break;
		case 'C': c->sign_cert = optarg; break;
		case 'V': add_cve_option(c, optarg); break;
		case 'e': check_effective_release(c, optarg); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(EXIT_REFUSED);
		}
	}
	if (argc - optind > 1 ||
	    (!c->nr_patches && !c->prepare_only && !c->list_objects)) {
		usage(stderr);
		exit(EXIT_REFUSED);
	}
	if (argc - optind == 1) {
		c->source = realpath(argv[optind], NULL);
		if (!c->source || !is_dir(c->source))
			die(EXIT_REFUSED, "%s: not a directory", argv[optind]);
		c->tree_mode = is_kernel_tree(c->source);
		if (c->tree_mode && debian)
			die(EXIT_REFUSED, "--debian takes Debian's source: give "
			    "it or a kernel tree, not both");
	} else {
		c->tree_mode = true;
		debian = true;
	}
	if (c->list_objects && !c->tree_mode)
		die(EXIT_REFUSED, "--list-objects lists a kernel tree's objects");
	if ((c->prepare_only || c->full_tree) && !(c->tree_mode && debian))
		die(EXIT_REFUSED, "--prepare and --full-tree prepare Debian's "
		    "kernel tree: use them without SOURCE");
	if (debian && !c->debian)
		c->debian = default_release();
	if (debian && !c->kdir)
		c->kdir = xasprintf("/lib/modules/%s/build", c->debian);
	if (c->tree_mode && c->source && !c->kdir) {
		char *rel = uts_release(c->source);

		if (rel)
			c->kdir = xasprintf("/lib/modules/%s/build", rel);
		free(rel);
	}
	if (c->tree_mode && !jobs)
		c->jobs = online_cpus();
	if (!is_dir(c->outdir))
		die(EXIT_REFUSED, "%s: not a directory", c->outdir);
	if (c->id && !valid_id(c->id))
		die(EXIT_REFUSED, "bad id \"%s\": use 1 to 64 of [A-Za-z0-9_-]",
		    c->id);
	if (!c->id)
		c->id = random_id();
	if (!c->description)
		c->description = xasprintf("ksplice update %s", c->id);
	load_signer(c);
	cve_scan_patches(c);
}

static bool same_fs(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev;
}

/*
 * Under $TMPDIR, or for a kernel tree under the cache, beside the
 * prepared trees: the copies of a tree are hard links, which need the
 * tree's file system.
 */
static void make_workdir(struct create *c)
{
	const char *env = getenv("TMPDIR");
	const char *tmp = env && *env ? env : "/tmp";
	char *base = NULL, *tmpl;

	if (c->tree_mode && !(c->source && same_fs(c->source, tmp))) {
		char *root = cache_root();
		char *argv[] = { "mkdir", "-p", NULL, NULL };

		base = xasprintf("%s/work", root);
		argv[2] = base;
		if (run(NULL, NULL, argv))
			die(EXIT_ENV, "cannot create %s", base);
		if (c->source && !same_fs(c->source, base))
			die(EXIT_ENV, "%s is neither on the file system of %s nor "
			    "on that of %s: set TMPDIR to a directory beside it",
			    c->source, tmp, base);
		free(root);
	}
	tmpl = xasprintf("%s/ksplice-create.XXXXXX", base ? base : tmp);
	free(base);
	if (!mkdtemp(tmpl))
		die(EXIT_ENV, "cannot create a work directory: %s", strerror(errno));
	c->work = tmpl;
	c->pre = xasprintf("%s/pre", tmpl);
	c->post = xasprintf("%s/post", tmpl);
	c->upd = xasprintf("%s/update", tmpl);
}

/* Interrupted: remove the work directory all the same (atexit). */
static void on_signal(int sig)
{
	exit(128 + sig);
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
	/* ksplice.ko's API for update code (shadow variables) */
	od_symset_add_owner(set, "ksplice_shadow_get", "ksplice");
	od_symset_add_owner(set, "ksplice_shadow_alloc", "ksplice");
	od_symset_add_owner(set, "ksplice_shadow_get_or_alloc", "ksplice");
	od_symset_add_owner(set, "ksplice_shadow_free", "ksplice");
	od_symset_add_owner(set, "ksplice_shadow_free_all", "ksplice");
	free(kernel);
	free(tree);
	return set;
}

struct module_ask {
	const struct create *c;
	const char *module;
};

/* objdiff asks for the module's file only when a static needs it. */
static char *ask_module_file(void *arg)
{
	const struct module_ask *a = arg;

	return target_module_file(a->c, a->module);
}

static struct od_result *diff_one(struct create *c, struct cobject *o,
				  const struct od_symset *exported,
				  const struct od_symset *provided)
{
	struct module_ask ask = { .c = c, .module = o->module };
	struct od_options opt = {
		.target = o->module, .tag = o->tag,
		.exported = exported, .provided = provided,
		.objname = o->rel, .lines = linemap,
		.skip_init = skip_init, .nr_init_skipped = &nr_init_skipped,
		.skip_exit = skip_exit, .nr_exit_skipped = &nr_exit_skipped,
	};
	char *pre = xasprintf("%s/%s", c->pre, o->rel);
	char *post = xasprintf("%s/%s", c->post, o->rel);
	struct od_result *res;

	if (strcmp(o->module, "vmlinux") && c->release) {
		opt.find_target_binary = ask_module_file;
		opt.find_arg = &ask;
	}
	res = od_diff(pre, post, &opt);
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

	linemap = od_linemap_new();
	for (i = 0; i < c->nr_patches; i++)
		if (od_linemap_add_patch(linemap, c->patches[i]))
			die(EXIT_REFUSED, "%s: %s", c->patches[i], strerror(errno));

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
	od_linemap_free(linemap);
	linemap = NULL;
	return res;
}

/*
 * What a refusal concerns: "the running kernel", "the running module
 * ext4", or both ("the running kernel and module ext4").
 */
static char *refused_targets(struct od_result **res, struct cobject *objs,
			     unsigned int n)
{
	char *mods = NULL, *out;
	unsigned int i, j, nmods = 0;
	bool kernel = false;

	for (i = 0; i < n; i++) {
		bool seen = false;

		if (res[i]->status != OD_REFUSED)
			continue;
		if (!strcmp(objs[i].module, "vmlinux")) {
			kernel = true;
			continue;
		}
		for (j = 0; j < i; j++)
			seen |= res[j]->status == OD_REFUSED &&
				!strcmp(objs[j].module, objs[i].module);
		if (seen)
			continue;
		out = mods ? xasprintf("%s, %s", mods, objs[i].module) :
			     xasprintf("%s", objs[i].module);
		free(mods);
		mods = out;
		nmods++;
	}
	if (!mods)
		return xasprintf("the running kernel");
	out = xasprintf("the running %s%s %s", kernel ? "kernel and " : "",
			nmods > 1 ? "modules" : "module", mods);
	free(mods);
	return out;
}

/* Print what objdiff found; exit on a refusal or if nothing changed. */
static void judge(struct od_result **res, struct cobject *objs, unsigned int n)
{
	unsigned int i, changed = 0, refused = 0, errors = 0, replaced = 0;

	for (i = 0; i < n; i++) {
		char *prefix = xasprintf("  %s: ", objs[i].rel);

		od_print_msgs(res[i], stderr, prefix);
		if (explain)
			od_explain(res[i], stdout, prefix);
		free(prefix);
		changed += res[i]->status == OD_CHANGED;
		/* a hook is code the update runs, even if nothing calls it */
		if (res[i]->status == OD_CHANGED)
			replaced += res[i]->nr_funcs + res[i]->nr_hooks;
		refused += res[i]->status == OD_REFUSED;
		errors += res[i]->status == OD_ERROR;
	}
	if (errors)
		die(EXIT_REFUSED, "cannot compare the objects (see above)");
	fflush(stdout);
	if (refused)
		die(EXIT_REFUSED, "refused: this change cannot be applied to %s "
		    "safely (see above)", refused_targets(res, objs, n));
	if (!changed && (nr_init_skipped || nr_exit_skipped))
		die(EXIT_REFUSED, "nothing to apply live: the patch changes only "
		    "%s code or data, which runs only when the code is loaded "
		    "or unloaded; a reboot (or reloading the module) applies it",
		    !nr_exit_skipped ? "__init" : !nr_init_skipped ? "__exit" :
		    "__init and __exit");
	if (!changed)
		die(EXIT_REFUSED, "no functional change");
	if (nr_init_skipped)
		warn("%u changed __init item%s left out (--skip-init): the "
		     "update fixes the code that runs from now on, not what ran "
		     "at load", nr_init_skipped, nr_init_skipped > 1 ? "s" : "");
	if (nr_exit_skipped)
		warn("%u changed __exit item%s left out (--skip-exit): the "
		     "module still unloads with the exit code it was loaded "
		     "with", nr_exit_skipped, nr_exit_skipped > 1 ? "s" : "");
	/* New symbols alone (and no hook): nothing running calls them */
	if (!replaced)
		die(EXIT_REFUSED, "no functional change: the patch only adds "
		    "new functions or data, which no running code calls");
}

int main(int argc, char **argv)
{
	struct cobject *objs;
	struct od_result **res;
	unsigned int n, i;
	char *ko, *pkg;
	double t0 = now();

	parse_args(&ctx, argc, argv);
	if (!ctx.prepare_only && !ctx.list_objects)
		check_environment(&ctx);
	make_workdir(&ctx);
	atexit(remove_workdir);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, on_signal);	/* its reader gone: `| head` */
	if (ctx.tree_mode && !ctx.source)
		prepare_tree(&ctx);
	if (ctx.full_tree && !ctx.full_deps)
		build_full_tree(&ctx);
	if (ctx.tree_mode && ctx.source)
		use_kernel_tree(&ctx);
	if (ctx.prepare_only) {
		printf("%s\n", ctx.tree);
		return 0;
	}
	if (ctx.list_objects && !ctx.nr_patches) {
		objmap_load(&ctx);
		objmap_print(stdout);
		return 0;
	}
	if (ctx.tree_mode && ctx.source == NULL && !ctx.list_objects &&
	    strcmp(ctx.release, ctx.debian))
		die(EXIT_ENV, "%s holds the headers of %s, not %s", ctx.kdir,
		    ctx.release, ctx.debian);
	prepare_sources(&ctx);
	if (ctx.tree_mode) {
		objs = tree_find_objects(&ctx, &n);
		tree_build(&ctx, objs, n);
		check_compiler(&ctx, objs[0].rel);
	} else {
		build_pre(&ctx);
		objs = find_objects(&ctx, &n);
		check_compiler(&ctx, objs[0].rel);
		build_post(&ctx, objs, n);
	}
	check_layouts(&ctx, objs, n);
	if (ctx.tree_mode)
		tree_cannot_tell(&ctx);
	check_symbol_versions(&ctx, objs, n);
	res = diff_all(&ctx, objs, n);
	judge(res, objs, n);
	generate_update(&ctx, objs, res, n);
	ko = build_update(&ctx);
	pkg = write_package(&ctx, res, objs, n, ko);
	for (i = 0; i < n; i++)
		od_result_free(res[i]);
	free(res);
	step("done in %.1f s", now() - t0);
	printf("%s\n", pkg);
	free(pkg);
	free(ko);
	return 0;
}
