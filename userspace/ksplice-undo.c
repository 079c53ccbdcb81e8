// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-undo: take an applied update out and unload its modules.
 *
 *   ksplice-undo [--json] [--tries=N] [--delay=MS] [--state-dir=DIR] ID
 *   ksplice-undo [--json] [--tries=N] [--delay=MS] [--state-dir=DIR] --all
 *   ksplice-undo [--json] --uninstall ID
 *
 * An update undone is also uninstalled (ksplice-apply --install): it is
 * not applied again at the next boot, as after an incident one wants;
 * --keep-installed leaves it installed.  An update installed but not
 * loaded (it failed at boot, or ksplice=off) is just uninstalled.
 * --uninstall only uninstalls: what runs now stays.
 *
 * --all undoes the applied updates newest first (the engine refuses to
 * take out one that a later update stacks on), then stops the pending
 * ones and unloads them and the ones that are loaded but not applied.
 * A pending update is just stopped and unloaded: nothing was written.  It stops at the first refusal.
 * Exit: 0 done, 1 refused by the kernel, 2 bad usage or no such update,
 * 3 environment (not root).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "tool/tool.h"
#include "tool/store.h"

struct undo_opts {
	const char *id;
	bool all;
	bool json;
	bool keep_installed;
	bool uninstall_only;		/* --uninstall */
	unsigned long tries;
	unsigned long delay;
	bool delay_set;
};

/* What happened to one update, for the report. */
struct outcome {
	char *id;
	char *was;			/* its stage before */
	bool reversed;
	bool cancelled;			/* was pending: no longer waits */
	bool uninstalled;		/* taken out of the installed ones */
	struct update_info info;	/* after the undo */
	bool have_info;
	char **unloaded;
	unsigned int nr_unloaded;
	int rc;
};

static void usage(FILE *f)
{
	fputs("usage: ksplice-undo [--json] [--tries=N] [--delay=MS] ID\n"
	      "       ksplice-undo [--json] [--tries=N] [--delay=MS] --all\n"
	      "       ksplice-undo [--json] --uninstall ID\n"
	      "  ID          an update id, as ksplice-view lists them\n"
	      "  --all       every update, newest first\n"
	      "  an update undone is uninstalled too: not applied again at "
	      "boot\n"
	      "  --keep-installed  undo now, but apply it again at the next "
	      "boot\n"
	      "  --uninstall       only uninstall: not applied at the next "
	      "boot, left as it\n"
	      "                    is now\n"
	      "  --store-dir=DIR   the installed updates (default "
	      STORE_DIR ")\n"
	      "  --json      print the result as JSON on stdout\n"
	      "  --tries=N   attempts while tasks run the code (1..1000)\n"
	      "  --delay=MS  between attempts (0..60000)\n"
	      "  --state-dir=DIR  ksplice-apply's records (default "
	      "/run/ksplice)\n"
	      "exit: 0 done, 1 refused by the kernel, 2 bad usage or no "
	      "such update,\n"
	      "      3 environment (not root)\n", f);
}

static void parse_args(struct undo_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "tries", required_argument, NULL, 't' },
		{ "delay", required_argument, NULL, 'd' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "keep-installed", no_argument, NULL, 'K' },
		{ "uninstall", no_argument, NULL, 'u' },
		{ "store-dir", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'j': o->json = true; break;
		case 't':
			if (!parse_uint(optarg, 1, 1000, &o->tries)) {
				tool_error("--tries: not a number in 1..1000: %s",
					   optarg);
				exit(EXIT_USAGE);
			}
			break;
		case 'd':
			if (!parse_uint(optarg, 0, 60000, &o->delay)) {
				tool_error("--delay: not a number in 0..60000: %s",
					   optarg);
				exit(EXIT_USAGE);
			}
			o->delay_set = true;
			break;
		case 'S': tool_state_dir = optarg; break;
		case 'K': o->keep_installed = true; break;
		case 'u': o->uninstall_only = true; break;
		case 'T': tool_store_dir = optarg; break;
		case 'h': usage(stdout); exit(EXIT_DONE);
		default: usage(stderr); exit(EXIT_USAGE);
		}
	}
	if (argc - optind != !o->all ||
	    (o->uninstall_only && (o->all || o->keep_installed))) {
		usage(stderr);
		exit(EXIT_USAGE);
	}
	if (o->all)
		return;
	o->id = argv[optind];
	if (!valid_id(o->id)) {
		tool_error("bad update id \"%s\": 1 to 64 of [A-Za-z0-9_-]",
			   o->id);
		exit(EXIT_USAGE);
	}
}

static int set_knobs(const struct undo_opts *o, const char *id)
{
	char v[32];
	int err = 0;

	if (o->tries) {
		snprintf(v, sizeof(v), "%lu", o->tries);
		err = update_write(id, "max_tries", v);
	}
	if (!err && o->delay_set) {
		snprintf(v, sizeof(v), "%lu", o->delay);
		err = update_write(id, "retry_delay_ms", v);
	}
	if (err)
		tool_error("cannot set the retry policy of %s: %s", id,
			   strerror(-err));
	return err ? EXIT_KERNEL : 0;
}

static int reverse(const struct undo_opts *o, struct outcome *r)
{
	int err, rc = set_knobs(o, r->id);

	if (rc)
		return rc;
	err = update_write(r->id, "stage", "reversed");
	r->have_info = !update_read(r->id, &r->info);
	if (!err) {
		/* A pending update goes back to loaded: it stops waiting. */
		if (r->have_info && !strcmp(r->info.stage, "loaded"))
			r->cancelled = true;
		else
			r->reversed = true;
		return 0;
	}
	tool_error("undo of update %s refused: %s", r->id,
		   r->have_info && *r->info.cause ? r->info.cause :
		   strerror(-err));
	if (r->have_info)
		print_failure(&r->info);
	return EXIT_KERNEL;
}

/* The modules ksplice-apply recorded, or a guess from the id. */
static int unload(struct outcome *r)
{
	return unload_update(r->id, &r->unloaded, &r->nr_unloaded);
}

/* Out of the installed updates of the running kernel, if there. */
static int uninstall(struct outcome *r)
{
	struct utsname u;
	int err;

	uname(&u);
	err = store_remove(u.release, r->id);
	r->uninstalled = !err;
	if (!err || err == -ENOENT)
		return 0;
	tool_error("cannot uninstall update %s from %s/%s: %s (it would be "
		   "applied again at the next boot)", r->id, tool_store_dir ?
		   tool_store_dir : STORE_DIR, u.release, err == -EPERM ?
		   "not a directory only root can write" : strerror(-err));
	return EXIT_ENV;
}

/* Not loaded: for undo an error, unless it is installed. */
static int not_loaded(const struct undo_opts *o, struct outcome *r)
{
	struct utsname u;

	uname(&u);
	if (o->keep_installed || !store_has(u.release, r->id)) {
		tool_error("no update %s is loaded (see ksplice-view)", r->id);
		return r->rc = EXIT_USAGE;
	}
	r->was = xstrdup("not loaded");
	return r->rc = uninstall(r);
}

static int undo_one(const struct undo_opts *o, const char *id,
		    struct outcome *r)
{
	struct update_info before;

	memset(r, 0, sizeof(*r));
	r->id = xstrdup(id);
	if (o->uninstall_only) {
		r->rc = uninstall(r);
		if (!r->rc && !r->uninstalled) {
			tool_error("update %s is not installed for this kernel "
				   "(see ksplice-view)", id);
			r->rc = EXIT_USAGE;
		}
		return r->rc;
	}
	if (update_read(id, &before))
		return not_loaded(o, r);
	r->was = xstrdup(before.stage);
	update_free(&before);
	/* pending: stop the wait first, so that the module's load cannot
	 * apply it while its module is being unloaded (and if that just
	 * happened, this undoes it). */
	if (!strcmp(r->was, "applied") || !strcmp(r->was, "pending"))
		r->rc = reverse(o, r);
	if (!r->rc)
		r->rc = unload(r);
	if (!r->rc && !o->keep_installed)
		r->rc = uninstall(r);
	return r->rc;
}

static void report_text(const struct outcome *r)
{
	unsigned int i;

	if (r->reversed) {
		printf("reversed update %s: ", r->id);
		print_pause(stdout, &r->info);
		putchar('\n');
	} else if (r->cancelled) {
		printf("update %s was pending: it no longer waits\n", r->id);
	} else if (!r->rc && r->was && !strcmp(r->was, "not loaded")) {
		printf("update %s was not loaded\n", r->id);
	} else if (!r->rc && r->was) {
		printf("update %s was not applied (stage %s)\n", r->id, r->was);
	}
	if (r->uninstalled && !r->was)
		printf("update %s uninstalled: not applied at the next boot; "
		       "what runs now is unchanged\n", r->id);
	else if (r->uninstalled)
		printf("  uninstalled: not applied again at the next boot\n");
	if (!r->nr_unloaded)
		return;
	printf("  unloaded");
	for (i = 0; i < r->nr_unloaded; i++)
		printf(" %s", r->unloaded[i]);
	putchar('\n');
}

static void report_json(const struct outcome *r)
{
	unsigned int i;

	json_begin(NULL, '{');
	json_str("id", r->id);
	json_str("was", r->was);
	json_bool("reversed", r->reversed);
	json_bool("cancelled", r->cancelled);
	json_bool("uninstalled", r->uninstalled);
	json_bool("ok", !r->rc);
	json_int("exit", r->rc);
	json_begin("unloaded", '[');
	for (i = 0; i < r->nr_unloaded; i++)
		json_str(NULL, r->unloaded[i]);
	json_end();
	if (r->have_info) {
		json_begin("update", '{');
		json_update(&r->info);
		json_end();
	}
	json_end();
}

static void outcome_free(struct outcome *r)
{
	if (r->have_info)
		update_free(&r->info);
	free_strv(r->unloaded, r->nr_unloaded);
	free(r->id);
	free(r->was);
}

/* Undo @id and report it at once, so messages come in order. */
static int undo_report(const struct undo_opts *o, const char *id)
{
	struct outcome r;
	int rc = undo_one(o, id, &r);

	metrics_update(METRICS_UNDO, rc, r.have_info ? &r.info : NULL);
	if (o->json)
		report_json(&r);
	else
		report_text(&r);
	outcome_free(&r);
	return rc;
}

/* Applied ones newest first, then the rest; the first refusal stops. */
static int undo_all(const struct undo_opts *o)
{
	struct update_info *list;
	unsigned int n = update_list(&list), i, applied = 0;
	int rc = 0;

	while (applied < n && !strcmp(list[applied].stage, "applied"))
		applied++;
	for (i = 0; i < n && !rc; i++)
		rc = undo_report(o, list[i < applied ? applied - 1 - i : i].id);
	if (!n && !o->json)
		printf("no updates to undo\n");
	update_list_free(list, n);
	return rc;
}

int main(int argc, char **argv)
{
	struct undo_opts o = { 0 };
	int rc;

	tool_name = "ksplice-undo";
	parse_args(&o, argc, argv);
	if (o.json) {
		json_begin(NULL, '{');
		json_begin("updates", '[');
	}
	rc = need_root();
	if (!rc)
		rc = o.all ? undo_all(&o) : undo_report(&o, o.id);
	if (o.json) {
		json_end();
		json_bool("ok", !rc);
		json_int("exit", rc);
		json_str("error", rc ? tool_first_error() : NULL);
		json_end();
	}
	return rc;
}
