// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-view: what the engine holds.  Without ID, every update: the
 * applied ones in the order they were applied, then the pending ones
 * (waiting for a module to load), then the loaded ones not applied.
 * With ID, that update in detail, the last refusal included.
 * The list ends with the updates installed for this kernel's release
 * (ksplice-apply --install) and what ksplice-load did with each at boot.
 *
 *   ksplice-view [--json] [--state-dir=DIR] [ID]
 *   ksplice-view --cves [--json] [--state-dir=DIR]
 *   ksplice-view --prometheus [--state-dir=DIR]
 *
 * --cves lists the CVEs the applied updates fix (cves.c), --prometheus
 * prints the metrics ksplice-apply and ksplice-undo write for
 * node_exporter (tool/metrics.c).
 *
 * Reading needs no root, but the engine shows functions, abort reasons and
 * conflicts (kernel addresses) to root only: without root they are left
 * out, and a note on stderr says so.  Exit: 0 done, 2 bad usage or no such
 * update.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "tool/tool.h"
#include "tool/store.h"
#include "view/view.h"

static void usage(FILE *f)
{
	fputs("usage: ksplice-view [--json] [--state-dir=DIR] "
	      "[--store-dir=DIR] [ID]\n"
	      "       ksplice-view --cves [--json] [--state-dir=DIR]\n"
	      "       ksplice-view --prometheus [--state-dir=DIR]\n"
	      "  (no ID)   every update, applied ones in the order applied\n"
	      "  ID        that update in detail, with the last abort's "
	      "cause\n"
	      "  --json    print JSON on stdout\n"
	      "  --cves    the CVEs the running kernel is protected against "
	      "(applied\n"
	      "            updates), and those of pending updates apart\n"
	      "  --prometheus  metrics in Prometheus text format "
	      "(node_exporter)\n"
	      "  --state-dir=DIR  ksplice-apply's records (default "
	      "/run/ksplice)\n"
	      "  --store-dir=DIR  the installed updates (default "
	      STORE_DIR ")\n"
	      "exit: 0 done, 2 bad usage or no such update\n", f);
}

/* The modules that carry @id: ksplice-apply's record, else a guess. */
static unsigned int modules_of(const char *id, char ***mods)
{
	unsigned int n = state_read(id, mods);

	if (n)
		return n;
	free(*mods);
	return guess_modules(id, mods);
}

static void json_modules(const char *id)
{
	char **mods;
	unsigned int i, n = modules_of(id, &mods);

	json_begin("modules", '[');
	for (i = 0; i < n; i++)
		json_str(NULL, mods[i]);
	json_end();
	free_strv(mods, n);
}

static int view_one(const char *id, bool json)
{
	struct update_info u;
	char **mods;
	unsigned int n;

	if (!engine_loaded() || update_read(id, &u)) {
		tool_error("no update %s is loaded", id);
		return EXIT_USAGE;
	}
	if (json) {
		json_begin(NULL, '{');
		json_update(&u);
		json_modules(id);
		json_end();
	} else {
		n = modules_of(id, &mods);
		print_detail(&u, mods, n);
		free_strv(mods, n);
	}
	update_free(&u);
	return EXIT_DONE;
}

/* ksplice-load's words for a result of boot.status */
static const char *boot_words(const char *result)
{
	if (!strcmp(result, "reapplied"))
		return "reapplied at boot";
	if (!strcmp(result, "pending"))
		return "pending at boot";
	if (!strcmp(result, "failed"))
		return "failed at boot";
	if (!strcmp(result, "not-tried"))
		return "not tried at boot";
	if (!strcmp(result, "applied"))
		return "already applied when ksplice-load ran";
	return result;
}

/* The installed updates of this release, and what the boot did. */
static void installed_text(void)
{
	char *status = boot_status_read(), *skip = boot_status_skipped(status);
	char *result, *reason;
	struct store_entry *list;
	struct utsname u;
	int i, n;

	uname(&u);
	n = store_list(u.release, &list);
	if (n > 0)
		printf("\ninstalled for each boot of %s, in this order:\n",
		       u.release);
	for (i = 0; i < n; i++) {
		if (!boot_status_of(status, list[i].id, &result, &reason)) {
			printf("  %s: installed\n", list[i].id);
			continue;
		}
		printf("  %s: installed, %s%s%s\n", list[i].id,
		       boot_words(result), reason ? ": " : "",
		       reason ? esc(reason) : "");
		free(result);
		free(reason);
	}
	if (skip)
		printf("%sreapply skipped at boot: %s\n", n > 0 ? "" : "\n",
		       esc(skip));
	free(list);
	free(skip);
	free(status);
}

static void installed_json(void)
{
	char *status = boot_status_read(), *skip = boot_status_skipped(status);
	char *result, *reason;
	struct store_entry *list;
	struct utsname u;
	int i, n;

	uname(&u);
	n = store_list(u.release, &list);
	json_begin("installed", '{');
	json_str("release", u.release);
	/* why ksplice-load applied nothing at this boot, or null */
	json_str("boot_skipped", skip);
	json_begin("updates", '[');
	for (i = 0; i < n; i++) {
		bool known = boot_status_of(status, list[i].id, &result,
					    &reason);

		json_begin(NULL, '{');
		json_str("id", list[i].id);
		/* reapplied, pending, failed, not-tried, applied; null:
		 * installed after ksplice-load ran */
		json_str("boot", known ? result : NULL);
		json_str("boot_reason", known ? reason : NULL);
		json_bool("allow_unsigned", list[i].allow_unsigned);
		json_end();
		if (known) {
			free(result);
			free(reason);
		}
	}
	json_end();
	json_end();
	free(list);
	free(skip);
	free(status);
}

static void list_text(const struct update_info *list, unsigned int n)
{
	unsigned int i, applied = 0, pending = 0;

	for (i = 0; i < n; i++) {
		applied += !strcmp(list[i].stage, "applied");
		pending += !strcmp(list[i].stage, "pending");
	}
	if (!engine_loaded())
		printf("no updates: ksplice.ko is not loaded\n");
	else if (!applied)
		printf("no updates applied\n");
	else
		printf("%u update%s applied, oldest first:\n", applied,
		       applied == 1 ? "" : "s");
	/* update_list() sorts: applied, pending, then the rest. */
	for (i = 0; i < n; i++) {
		if (i == applied && pending)
			printf("\npending, applied when a module loads:\n");
		if (i == applied + pending)
			printf("\nloaded, not applied:\n");
		print_summary(&list[i]);
	}
	installed_text();
}

static void list_json(const struct update_info *list, unsigned int n)
{
	unsigned int i;

	json_begin(NULL, '{');
	json_bool("engine_loaded", engine_loaded());
	json_begin("updates", '[');
	for (i = 0; i < n; i++) {
		json_begin(NULL, '{');
		json_update(&list[i]);
		json_modules(list[i].id);
		json_end();
	}
	json_end();
	installed_json();
	json_end();
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "cves", no_argument, NULL, 'C' },
		{ "prometheus", no_argument, NULL, 'P' },
		{ "store-dir", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct update_info *list;
	bool json = false, cves = false, prom = false;
	unsigned int n;
	int c;

	tool_name = "ksplice-view";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'S': tool_state_dir = optarg; break;
		case 'C': cves = true; break;
		case 'P': prom = true; break;
		case 'T': tool_store_dir = optarg; break;
		case 'h': usage(stdout); return EXIT_DONE;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > 1 || (cves + prom && argc - optind) ||
	    (prom && (cves || json))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cves)
		return view_cves(json);
	if (prom)
		return view_prometheus();
	if (argc - optind == 1 && !valid_id(argv[optind])) {
		tool_error("bad update id \"%s\": 1 to 64 of [A-Za-z0-9_-]",
			   argv[optind]);
		return EXIT_USAGE;
	}
	if (geteuid() && engine_loaded())
		fprintf(stderr, "ksplice-view: not root: functions, abort reasons and conflicts are root-only and left out\n");
	if (argc - optind == 1)
		return view_one(argv[optind], json);
	n = update_list(&list);
	if (json)
		list_json(list, n);
	else
		list_text(list, n);
	update_list_free(list, n);
	return EXIT_DONE;
}
