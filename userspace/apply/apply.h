/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-apply's state, shared by its pipeline (ksplice-apply.c), the
 * checks before anything is loaded (apply/checks.c) and the account it
 * gives of what it did (apply/report.c).
 */
#ifndef _KSPLICE_APPLY_H
#define _KSPLICE_APPLY_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include "pkgfile.h"
#include "../tool/tool.h"

struct apply {
	/* options */
	const char *path;
	bool dry_run;
	bool json;
	unsigned long tries;		/* 0: the engine's default */
	unsigned long delay;
	bool delay_set;
	bool allow_unsigned;
	bool install;			/* --install: keep it for boot */
	/* progress */
	struct ks_pkgfile pkg;
	char signer[512];		/* subject of a trusted signer, or "" */
	const struct ks_manifest *m;
	char release[65];
	char *modules[KS_MAX_MODULES];	/* loaded by us, in order */
	unsigned int nr_modules;
	bool core_loaded;		/* by us */
	struct update_info info;
	bool have_info;
	bool pending;			/* waits for a module to load */
	char *unloaded[KS_MAX_MODULES + 1];
	unsigned int nr_unloaded;
	/* a cumulative update: the updates it took the place of */
	char **replaced;
	unsigned int nr_replaced;
	char **retired;			/* their modules, unloaded */
	unsigned int nr_retired;
	/* where the time goes, for --json and bench/: see run() */
	struct timespec t_start;
	unsigned long long us[4];	/* verify, checks, load, switch */
	char *live;			/* --install: already live: stage */
	bool installed, reinstalled;
};

/* apply/checks.c: each 0 or the exit status, with the error printed */
int check_package(struct apply *a);
int check_kernel(struct apply *a);
int check_environment(struct apply *a);
int check_state(struct apply *a);
char *find_core(const char *release);

/* apply/report.c: text or --json, after the run */
void report_apply(const struct apply *a, int rc);
void report_install(const struct apply *a, int rc);
void report_json(const struct apply *a, int rc);

#endif /* _KSPLICE_APPLY_H */
