// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics for node_exporter (tool/metrics.c): the exact text format, and
 * the counts kept in the state directory across runs: failed applies,
 * the last pause, the last apply time; ksplice.prom written into the
 * configured directory, atomically (no temporary file left).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tool/tool.h"

static char *format(const struct metrics *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	metrics_format(f, m);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

START_TEST(test_format)
{
	struct metrics m = { .applied = 2, .pending = 1, .failed = 3,
			     .cves = 4, .have_pause = true,
			     .pause_ns = 1000412345ULL,
			     .last_apply = 1764523000 };
	char *text = format(&m);

	ck_assert_str_eq(text,
		"# HELP ksplice_updates_applied Live updates applied to the running kernel.\n"
		"# TYPE ksplice_updates_applied gauge\n"
		"ksplice_updates_applied 2\n"
		"# HELP ksplice_updates_pending Updates loaded and waiting for a module to load.\n"
		"# TYPE ksplice_updates_pending gauge\n"
		"ksplice_updates_pending 1\n"
		"# HELP ksplice_apply_failures_total ksplice-apply runs that failed since boot.\n"
		"# TYPE ksplice_apply_failures_total counter\n"
		"ksplice_apply_failures_total 3\n"
		"# HELP ksplice_cves_protected CVEs the applied updates fix.\n"
		"# TYPE ksplice_cves_protected gauge\n"
		"ksplice_cves_protected 4\n"
		"# HELP ksplice_last_pause_seconds How long the last apply or undo stopped the machine.\n"
		"# TYPE ksplice_last_pause_seconds gauge\n"
		"ksplice_last_pause_seconds 1.000412345\n"
		"# HELP ksplice_last_apply_timestamp_seconds When an update was last applied (Unix time).\n"
		"# TYPE ksplice_last_apply_timestamp_seconds gauge\n"
		"ksplice_last_apply_timestamp_seconds 1764523000\n");
	free(text);

	/* Nothing seen since boot: no pause, no apply time lines. */
	memset(&m, 0, sizeof(m));
	text = format(&m);
	ck_assert_ptr_null(strstr(text, "pause"));
	ck_assert_ptr_null(strstr(text, "last_apply"));
	ck_assert_ptr_nonnull(strstr(text, "\nksplice_apply_failures_total 0\n"));
	free(text);
}
END_TEST

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

/* Runs as root only (the records are root's); skipped otherwise. */
START_TEST(test_records)
{
	char dir[] = "/tmp/test-metrics.XXXXXX";
	char *state, *prom, *conf, *text;
	struct update_info u = { .stage = "applied", .pause_ns = 2500,
				 .stage_time = 1700000000 };
	struct metrics m;
	struct dirent *e;
	FILE *f;
	DIR *d;

	if (geteuid())
		return;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	state = xasprintf("%s/state", dir);
	prom = xasprintf("%s/prom", dir);
	conf = xasprintf("%s/conf", dir);
	ck_assert_int_eq(mkdir(prom, 0755), 0);
	f = fopen(conf, "w");
	fprintf(f, "%s\n", prom);
	fclose(f);
	tool_state_dir = state;
	metrics_conf = conf;

	metrics_update(METRICS_APPLY, 1, NULL);
	metrics_update(METRICS_DRY_RUN, 1, NULL);	/* no failed apply */
	metrics_update(METRICS_APPLY, 2, NULL);
	metrics_update(METRICS_APPLY, 0, &u);
	metrics_collect(&m);
	ck_assert_uint_eq(m.failed, 2);
	ck_assert(m.have_pause);
	ck_assert_uint_eq(m.pause_ns, 2500);
	ck_assert_int_eq(m.last_apply, 1700000000);
	u.pause_ns = 7000;
	metrics_update(METRICS_UNDO, 0, &u);	/* the pause, not the time */
	metrics_collect(&m);
	ck_assert_uint_eq(m.pause_ns, 7000);
	ck_assert_int_eq(m.last_apply, 1700000000);

	text = xasprintf("%s/ksplice.prom", prom);
	free(prom);
	prom = slurp(text);
	free(text);
	ck_assert_ptr_nonnull(prom);
	ck_assert_ptr_nonnull(strstr(prom, "\nksplice_apply_failures_total 2\n"));
	ck_assert_ptr_nonnull(strstr(prom, "\nksplice_last_pause_seconds 0.000007000\n"));
	ck_assert_ptr_nonnull(strstr(prom, "\nksplice_last_apply_timestamp_seconds 1700000000\n"));
	/* Only ksplice.prom: no temporary file left behind. */
	text = xasprintf("%s/prom", dir);
	d = opendir(text);
	while ((e = readdir(d)))
		ck_assert(e->d_name[0] == '.' ? !strcmp(e->d_name, ".") ||
			  !strcmp(e->d_name, "..") :
			  !strcmp(e->d_name, "ksplice.prom"));
	closedir(d);
	free(text);

	/* "off" in the configuration: nothing is written. */
	f = fopen(conf, "w");
	fprintf(f, "off\n");
	fclose(f);
	text = xasprintf("rm -rf %s/prom/ksplice.prom", dir);
	ck_assert_int_eq(system(text), 0);
	free(text);
	metrics_update(METRICS_APPLY, 1, NULL);
	text = xasprintf("%s/prom/ksplice.prom", dir);
	ck_assert_int_ne(access(text, F_OK), 0);
	free(text);

	text = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(text), 0);
	free(text);
	free(prom);
	free(state);
	free(conf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_records);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
