// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-view: what the engine holds.  Without ID, every update: the
 * applied ones in the order they were applied, then the pending ones
 * (waiting for a module to load), then the loaded ones not applied.
 * With ID, that update in detail, the last refusal included.
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
#include "tool/tool.h"
#include "view/view.h"

static void usage(FILE *f)
{
	fputs("usage: ksplice-view [--json] [--state-dir=DIR] [ID]\n"
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
	json_end();
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "cves", no_argument, NULL, 'C' },
		{ "prometheus", no_argument, NULL, 'P' },
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
