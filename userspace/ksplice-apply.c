// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-apply: check an update package, load ksplice.ko and the
 * update's modules, and apply it (or, with --dry-run, run every check of
 * an apply, the stack check included, and change nothing).
 *
 *   ksplice-apply [--dry-run] [--json] [--tries=N] [--delay=MS]
 *                 [--allow-unsigned] [--module-dir=DIR] [--state-dir=DIR]
 *                 [--install [--store-dir=DIR]] TARBALL
 *
 * The package must be root's alone (no other user can write it) and
 * signed by a key in /etc/ksplice/trusted.d/ (lib/signature.h), unless
 * --allow-unsigned says to go without a trusted signature.
 * A target module that is not loaded does not stop it: the update is
 * left pending, and the engine applies it when the module loads (or
 * refuses that load if the module's code is not what the update was built
 * from).  Whatever fails, it leaves nothing loaded that it loaded itself.
 * --install also keeps the package, once applied, under
 * /var/lib/ksplice/<release>/ for ksplice-load to apply again at boot
 * (tool/store.h); an update already live is kept without a second apply.
 * Exit: 0 done (applied or pending), 1 refused by the kernel, 2 bad usage
 * or package, 3 environment.  The checks before anything loads are in
 * apply/checks.c, the account of the run in apply/report.c.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkgfile.h"
#include "signature.h"
#include "apply/apply.h"
#include "tool/store.h"

/* Microseconds since the last mark, into phase @i. */
static void mark(struct apply *a, unsigned int i)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	a->us[i] = (now.tv_sec - a->t_start.tv_sec) * 1000000ULL +
		   (now.tv_nsec - a->t_start.tv_nsec) / 1000;
	a->t_start = now;
}

static volatile sig_atomic_t interrupted;

static void usage(FILE *f)
{
	fputs("usage: ksplice-apply [--dry-run] [--json] [--tries=N] "
	      "[--delay=MS]\n"
	      "                     [--allow-unsigned] [--module-dir=DIR] "
	      "[--state-dir=DIR]\n"
	      "                     [--install [--store-dir=DIR]] TARBALL\n"
	      "  TARBALL     an update package, ksplice-<id>.tar.gz, signed "
	      "by a key in\n"
	      "              " KS_TRUST_DIR "/; only root may write it\n"
	      "  --dry-run   every check of an apply, the stack check "
	      "included; change nothing\n"
	      "  --json      print the result as JSON on stdout\n"
	      "  --tries=N   attempts while tasks run the code (1..1000, "
	      "engine default 5)\n"
	      "  --delay=MS  between attempts (0..60000, engine default "
	      "1000)\n"
	      "  --allow-unsigned  apply a package without a trusted "
	      "signature (warns)\n"
	      "  --module-dir=DIR  ksplice.ko is DIR/ksplice.ko (default "
	      "PREFIX/lib/ksplice/<release>)\n"
	      "  --state-dir=DIR   record what was loaded in DIR (default "
	      "/run/ksplice)\n"
	      "  --install   once applied, keep it for every boot of this "
	      "kernel (ksplice-load);\n"
	      "              an update already applied or pending is kept "
	      "as it is\n"
	      "  --store-dir=DIR   keep installed updates in DIR (default "
	      STORE_DIR ")\n"
	      "a target module not loaded: the update waits for it "
	      "(pending) and applies\nwhen it loads\n"
	      "exit: 0 done (applied or pending), 1 refused by the kernel, "
	      "2 bad usage or\n      package, 3 environment (not root, "
	      "module loading disabled, lockdown)\n", f);
}

static void parse_args(struct apply *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "tries", required_argument, NULL, 't' },
		{ "delay", required_argument, NULL, 'd' },
		{ "allow-unsigned", no_argument, NULL, 'U' },
		{ "module-dir", required_argument, NULL, 'M' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "install", no_argument, NULL, 'I' },
		{ "store-dir", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'n': a->dry_run = true; break;
		case 'j': a->json = true; break;
		case 't':
			if (!parse_uint(optarg, 1, 1000, &a->tries)) {
				tool_error("--tries: not a number in 1..1000: %s",
					   optarg);
				exit(EXIT_USAGE);
			}
			break;
		case 'd':
			if (!parse_uint(optarg, 0, 60000, &a->delay)) {
				tool_error("--delay: not a number in 0..60000: %s",
					   optarg);
				exit(EXIT_USAGE);
			}
			a->delay_set = true;
			break;
		case 'U': a->allow_unsigned = true; break;
		case 'M': tool_module_dir = optarg; break;
		case 'S': tool_state_dir = optarg; break;
		case 'I': a->install = true; break;
		case 'T': tool_store_dir = optarg; break;
		case 'h': usage(stdout); exit(EXIT_DONE);
		default: usage(stderr); exit(EXIT_USAGE);
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		exit(EXIT_USAGE);
	}
	a->path = argv[optind];
}

static int load_core(struct apply *a)
{
	char *path;
	int err;

	if (engine_loaded())
		return 0;
	path = find_core(a->release);
	err = module_load_file(path);
	if (err == -ENOENT)
		tool_error("cannot find ksplice.ko for kernel %s: not at %s "
			   "nor in /lib/modules/%s/updates/dkms (install it, "
			   "or ksplice-dkms, or give --module-dir)",
			   a->release, path, a->release);
	else if (err && err != -EEXIST && signature_policy() &&
		 (err == -EPERM || err == -EKEYREJECTED || err == -ENOKEY))
		refuse_unsigned(signature_policy(), path, true);
	else if (err && err != -EEXIST)
		tool_error("cannot load %s: %s", path, module_load_hint(-err));
	free(path);
	if (err && err != -EEXIST)
		return EXIT_ENV;
	a->core_loaded = !err;
	if (engine_loaded())
		return 0;
	tool_error("ksplice.ko is loaded but %s is missing", KSPLICE_SYSFS);
	return EXIT_ENV;
}

/*
 * The kernel refused update module @path with -@err.  A signature
 * refusal (the module is signed, or the early check would have said it
 * is not) is the environment's: exit 3, with how to sign and enroll.
 */
static int refused_update(const char *path, int err)
{
	const char *policy = signature_policy();
	bool sig = err == -EKEYREJECTED || err == -ENOKEY ||
		   err == -EBADMSG || (err == -EPERM && policy);

	if (sig)
		return refuse_unsigned(policy ? policy :
				       "the kernel refused its signature",
				       path, true);
	tool_error("the kernel refused %s: %s", path, module_load_hint(-err));
	return err == -EPERM ? EXIT_ENV : EXIT_KERNEL;
}

static int load_updates(struct apply *a)
{
	unsigned int i;

	for (i = 0; i < a->m->nr_modules && !interrupted; i++) {
		const char *path = a->m->modules[i].path;
		size_t size;
		const unsigned char *data = ks_pkgfile_member(&a->pkg, path, &size);
		int err = module_load_mem(data, size);

		if (err)
			return refused_update(path, err);
		a->modules[a->nr_modules++] = module_name(path);
		if (!module_loaded(a->modules[a->nr_modules - 1]))
			tool_error("warning: %s loaded under another name than "
				   "%s: unload it by hand", path,
				   a->modules[a->nr_modules - 1]);
	}
	if (interrupted) {
		tool_error("interrupted");
		return EXIT_KERNEL;
	}
	if (update_exists(a->m->id))
		return 0;
	tool_error("%s: its modules loaded but registered no update %s",
		   a->path, a->m->id);
	return EXIT_USAGE;
}

static int set_knobs(struct apply *a)
{
	char v[32];
	int err = 0;

	if (a->tries) {
		snprintf(v, sizeof(v), "%lu", a->tries);
		err = update_write(a->m->id, "max_tries", v);
	}
	if (!err && a->delay_set) {
		snprintf(v, sizeof(v), "%lu", a->delay);
		err = update_write(a->m->id, "retry_delay_ms", v);
	}
	if (!err)
		return 0;
	tool_error("cannot set the retry policy of %s: %s", a->m->id,
		   strerror(-err));
	return EXIT_KERNEL;
}

/* Write the stage and collect the engine's account of it. */
static int drive(struct apply *a)
{
	const char *id = a->m->id;
	/* pending: apply now if every module it names is loaded, else
	 * when the last of them loads. */
	int err = update_write(id, "stage", a->dry_run ? "dry-run" : "pending");

	a->have_info = !update_read(id, &a->info);
	if (!err) {
		a->pending = a->have_info && !strcmp(a->info.stage, "pending");
		return 0;
	}
	if (err == -EINVAL && !a->dry_run) {
		tool_error("this ksplice.ko cannot wait for modules (an older "
			   "engine): install a newer ksplice.ko");
		return EXIT_ENV;
	}
	if (err == -EINVAL && a->dry_run) {
		tool_error("this ksplice.ko has no dry-run mode (an older "
			   "engine): nothing was checked inside the stop; "
			   "install a newer ksplice.ko");
		return EXIT_ENV;
	}
	tool_error("%s of update %s refused: %s", a->dry_run ? "dry run" :
		   "apply", id, a->have_info && *a->info.cause ?
		   a->info.cause : strerror(-err));
	if (a->have_info)
		print_failure(&a->info);
	return EXIT_KERNEL;
}

/*
 * A cumulative update took the place of the updates applied before it:
 * the engine reversed them; their modules go now.  The fix is live
 * whatever happens here, so a module that will not unload is a warning.
 */
static void retire_replaced(struct apply *a)
{
	struct update_info o;
	unsigned int i, n = 0;
	bool replaced;

	if (!a->have_info || !a->info.cumulative || a->pending)
		return;
	for (i = 0; i < a->nr_replaced; i++) {
		if (update_read(a->replaced[i], &o))
			continue;
		replaced = o.replaced_by && !strcmp(o.replaced_by, a->m->id);
		update_free(&o);
		if (!replaced) {
			free(a->replaced[i]);
			continue;
		}
		a->replaced[n++] = a->replaced[i];
		if (unload_update(a->replaced[i], &a->retired, &a->nr_retired))
			tool_error("warning: update %s is replaced, but its "
				   "modules stay loaded (ksplice-undo %s "
				   "unloads them)", a->replaced[i],
				   a->replaced[i]);
	}
	a->nr_replaced = n;
}

/* A cumulative update: what the engine says it is about to replace. */
static void note_replaces(struct apply *a)
{
	if (!a->dry_run)
		a->replaced = update_read_lines(a->m->id, "replaces",
						&a->nr_replaced);
}

/* Take out what we loaded, newest first. */
static int unload_all(struct apply *a)
{
	int rc = 0, err;

	while (a->nr_modules) {
		char *name = a->modules[--a->nr_modules];

		err = module_unload(name);
		if (!err) {
			a->unloaded[a->nr_unloaded++] = name;
			continue;
		}
		tool_error("cannot unload %s: %s (try ksplice-undo %s)",
			   name, strerror(-err), a->m->id);
		free(name);
		rc = EXIT_KERNEL;
	}
	/* Still used by other updates: leave it, that is no failure. */
	if (a->core_loaded && !module_unload(KSPLICE_CORE))
		a->unloaded[a->nr_unloaded++] = xstrdup(KSPLICE_CORE);
	a->core_loaded = false;
	return rc;
}

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * From the first module load on, a signal must not kill us before we
 * unload: note it, let the blocked stage write return, clean up.
 */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * --install: keep the package for ksplice-load at each boot of this
 * release.  Only after an apply that worked, never after a dry run.
 */
/*
 * An installed cumulative update carries the fixes of the ones it took
 * the place of: they need not come back first at the next boot.
 */
static void uninstall_replaced(struct apply *a)
{
	unsigned int i;
	int err;

	for (i = 0; i < a->nr_replaced; i++) {
		err = store_remove(a->release, a->replaced[i]);
		if (err && err != -ENOENT)
			tool_error("warning: update %s is replaced but stays "
				   "installed (%s): ksplice-undo --uninstall %s",
				   a->replaced[i], strerror(-err),
				   a->replaced[i]);
	}
}

static int install(struct apply *a)
{
	int err;

	if (a->dry_run)
		return 0;
	err = store_install(a->release, a->m->kernel_release, a->m->id,
			    a->path, a->allow_unsigned, &a->reinstalled);
	a->installed = !err;
	if (!err) {
		uninstall_replaced(a);
		return 0;
	}
	tool_error("update %s is %s for this boot only: cannot keep it in "
		   "%s/%s: %s", a->m->id, a->live ? a->live : "applied",
		   tool_store_dir ? tool_store_dir : STORE_DIR, a->release,
		   err == -EPERM ? "not a directory only root can write" :
		   strerror(-err));
	return EXIT_ENV;
}

/* --install of an update already applied or pending: keep it, as it is. */
static bool already_live(struct apply *a)
{
	char *stage = xasprintf("%s/%s/stage", KSPLICE_SYSFS, a->m->id);

	a->live = a->install ? read_line(stage) : NULL;
	free(stage);
	if (a->live && (!strcmp(a->live, "applied") ||
			!strcmp(a->live, "pending")))
		return true;
	free(a->live);
	a->live = NULL;
	return false;
}

static int run(struct apply *a)
{
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &a->t_start);
	rc = check_package(a);
	mark(a, 0);
	if (!rc)
		rc = check_kernel(a);
	if (!rc)
		rc = check_environment(a);
	if (!rc && already_live(a))
		return install(a);
	if (!rc)
		rc = check_state(a);
	mark(a, 1);
	if (rc)
		return rc;
	catch_signals();
	rc = load_core(a);
	if (!rc)
		rc = load_updates(a);
	mark(a, 2);
	if (!rc)
		rc = set_knobs(a);
	if (!rc) {
		note_replaces(a);
		rc = drive(a);
	}
	mark(a, 3);
	if (rc || a->dry_run) {
		int urc = unload_all(a);

		free_strv(a->replaced, a->nr_replaced);	/* nothing was */
		a->replaced = NULL;
		a->nr_replaced = 0;
		rc = rc ? rc : urc;
	} else {
		state_write(a->m->id, a->modules, a->nr_modules, a->m);
		retire_replaced(a);
	}
	if (!rc && a->install)
		rc = install(a);
	return rc;
}

int main(int argc, char **argv)
{
	static struct apply a;
	int rc;

	tool_name = "ksplice-apply";
	parse_args(&a, argc, argv);
	rc = run(&a);
	metrics_update(a.dry_run ? METRICS_DRY_RUN : METRICS_APPLY, rc,
		       a.have_info ? &a.info : NULL);
	if (a.json) {
		report_json(&a, rc);
	} else {
		report_apply(&a, rc);
		report_install(&a, rc);
	}
	if (a.have_info)
		update_free(&a.info);
	ks_pkgfile_close(&a.pkg);
	free(a.live);
	return rc;
}
