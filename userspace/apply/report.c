// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-apply's account of a run: one line a step in text, or one
 * object with --json (the update, what it replaced, where the time went).
 */
#include <stdio.h>
#include <string.h>
#include "apply.h"

static const char *const phase_names[] = {
	"verify", "checks", "load", "switch",
};

/* What it unloaded again: after a refusal, or after a dry run. */
static void report_unloaded(const struct apply *a, FILE *f)
{
	unsigned int i;

	if (!a->nr_unloaded)
		return;
	fprintf(f, "%s: unloaded", tool_name);
	for (i = 0; i < a->nr_unloaded; i++)
		fprintf(f, " %s", a->unloaded[i]);
	fputc('\n', f);
}

/* A cumulative update: what it replaced, or in a dry run would. */
static void report_replaced(const struct apply *a)
{
	char *const *ids = a->dry_run ? a->info.replaces : a->replaced;
	unsigned int i, n = a->dry_run ? a->info.nr_replaces : a->nr_replaced;

	if (!a->info.cumulative)
		return;
	if (!n) {
		printf("  cumulative: no applied update to replace\n");
		return;
	}
	printf("  cumulative: %s the place of", a->dry_run ? "would take" :
	       "took");
	for (i = 0; i < n; i++)
		printf(" %s", esc(ids[i]));
	putchar('\n');
	if (!a->nr_retired)
		return;
	printf("  unloaded their modules:");
	for (i = 0; i < a->nr_retired; i++)
		printf(" %s", a->retired[i]);
	putchar('\n');
}

/* What --install did, after what the apply did. */
void report_install(const struct apply *a, int rc)
{
	if (a->live && !rc && a->dry_run)
		printf("update %s is already %s; dry run: --install would keep "
		       "it for the next boot of %s\n", a->m->id, a->live,
		       a->release);
	else if (a->live && !rc && a->reinstalled)
		printf("update %s is already %s and installed; its stored copy "
		       "is replaced\n", a->m->id, a->live);
	else if (a->live && !rc)
		printf("update %s is already %s; stored for the next boot of "
		       "%s\n", a->m->id, a->live, a->release);
	else if (a->installed)
		printf("  installed: ksplice-load applies it again at each "
		       "boot of %s%s\n", a->release, a->reinstalled ?
		       " (it was installed: stored copy replaced)" : "");
	else if (a->install && a->dry_run && !rc)
		printf("  --install: not stored (dry run)\n");
}

void report_apply(const struct apply *a, int rc)
{
	if (rc || !a->have_info) {
		report_unloaded(a, stderr);
		return;
	}
	if (a->pending) {
		printf("update %s is pending: it applies when module%s ",
		       a->m->id, a->info.nr_waiting_for > 1 ? "s" : "");
		print_waiting(stdout, &a->info);
		printf(" load%s: %s\n", a->info.nr_waiting_for > 1 ? "" : "s",
		       esc(a->info.description));
		printf("  a module whose code is not what the update was built "
		       "from is refused at load (dmesg says why);\n"
		       "  ksplice-undo %s stops the wait\n", a->m->id);
		return;
	}
	if (a->dry_run)
		printf("dry run of update %s passed: it would apply now; "
		       "nothing was changed\n", a->m->id);
	else
		printf("applied update %s: %s\n", a->m->id,
		       esc(a->info.description));
	print_functions(stdout, &a->info, "  ");
	fputs("  ", stdout);
	print_pause(stdout, &a->info);
	putchar('\n');
	report_replaced(a);
	report_unloaded(a, stdout);
}

void report_json(const struct apply *a, int rc)
{
	unsigned int i;

	json_begin(NULL, '{');
	json_str("package", a->path);
	json_str("id", a->m ? a->m->id : NULL);
	json_bool("dry_run", a->dry_run);
	/* who vouched for the package; null: unsigned (--allow-unsigned) */
	json_str("signed_by", a->signer[0] ? a->signer : NULL);
	json_bool("ok", !rc);
	/* applied, pending, or null (refused, or a dry run) */
	json_str("state", !rc && !a->dry_run && a->have_info ? a->info.stage :
		 NULL);
	json_bool("pending", a->pending);
	/* --install: kept for ksplice-load at boot */
	json_bool("installed", a->installed);
	json_str("already", a->live);
	json_int("exit", rc);
	json_str("error", rc ? tool_first_error() : NULL);
	if (a->have_info) {
		json_begin("update", '{');
		json_update(&a->info);
		json_end();
	}
	json_begin("unloaded", '[');
	for (i = 0; i < a->nr_unloaded; i++)
		json_str(NULL, a->unloaded[i]);
	for (i = 0; i < a->nr_retired; i++)
		json_str(NULL, a->retired[i]);
	json_end();
	/* microseconds: package checks (signature included), host checks,
	 * module loads, the engine's apply (run-pre, stop, retries) */
	json_begin("timing_us", '{');
	for (i = 0; i < 4; i++)
		json_uint(phase_names[i], a->us[i]);
	json_end();
	json_bool("cumulative", a->have_info && a->info.cumulative);
	/* taken the place of; in a dry run, would */
	json_begin("replaced", '[');
	for (i = 0; i < (a->dry_run ? a->info.nr_replaces : a->nr_replaced); i++)
		json_str(NULL, a->dry_run ? a->info.replaces[i] :
			 a->replaced[i]);
	json_end();
	json_end();
}
