// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics for node_exporter's textfile collector: ksplice.prom, rewritten
 * after every ksplice-apply and ksplice-undo (temporary file and rename
 * in the same directory, so the collector never reads half of it), and
 * printed by ksplice-view --prometheus.  Applied and pending come from
 * the engine; what the engine forgets (failed applies since boot, the
 * last pause once its update is gone, the last apply time) is kept in
 * the state directory's ".metrics", which no update id can name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "tool.h"

#define STATS_FILE	".metrics"
#define PROM_FILE	"ksplice.prom"

const char *metrics_conf = KSPLICE_METRICS_CONF;

/* What is kept between runs. */
struct stats {
	unsigned long long failed;
	unsigned long long pause_ns;
	long long pause_time;		/* 0: no pause seen since boot */
	long long last_apply;
};

static void stats_read(struct stats *s)
{
	char *text = state_read_file(STATS_FILE), *line, *save = NULL;

	memset(s, 0, sizeof(*s));
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		sscanf(line, "failed-applies %llu", &s->failed);
		sscanf(line, "last-pause-ns %llu", &s->pause_ns);
		sscanf(line, "last-pause-time %lld", &s->pause_time);
		sscanf(line, "last-apply-time %lld", &s->last_apply);
	}
	free(text);
}

static int stats_write(const struct stats *s)
{
	char *text = xasprintf("failed-applies %llu\nlast-pause-ns %llu\n"
			       "last-pause-time %lld\nlast-apply-time %lld\n",
			       s->failed, s->pause_ns, s->pause_time,
			       s->last_apply);
	int err = state_write_file(STATS_FILE, text);

	free(text);
	return err;
}

void metrics_format(FILE *f, const struct metrics *m)
{
	fprintf(f,
		"# HELP ksplice_updates_applied Live updates applied to the "
		"running kernel.\n"
		"# TYPE ksplice_updates_applied gauge\n"
		"ksplice_updates_applied %u\n"
		"# HELP ksplice_updates_pending Updates loaded and waiting for "
		"a module to load.\n"
		"# TYPE ksplice_updates_pending gauge\n"
		"ksplice_updates_pending %u\n"
		"# HELP ksplice_apply_failures_total ksplice-apply runs that "
		"failed since boot.\n"
		"# TYPE ksplice_apply_failures_total counter\n"
		"ksplice_apply_failures_total %llu\n"
		"# HELP ksplice_cves_protected CVEs the applied updates fix.\n"
		"# TYPE ksplice_cves_protected gauge\n"
		"ksplice_cves_protected %u\n",
		m->applied, m->pending, m->failed, m->cves);
	if (m->have_pause)
		fprintf(f,
			"# HELP ksplice_last_pause_seconds How long the last "
			"apply or undo stopped the machine.\n"
			"# TYPE ksplice_last_pause_seconds gauge\n"
			"ksplice_last_pause_seconds %llu.%09llu\n",
			m->pause_ns / 1000000000ULL,
			m->pause_ns % 1000000000ULL);
	if (m->last_apply)
		fprintf(f,
			"# HELP ksplice_last_apply_timestamp_seconds When an "
			"update was last applied (Unix time).\n"
			"# TYPE ksplice_last_apply_timestamp_seconds gauge\n"
			"ksplice_last_apply_timestamp_seconds %lld\n",
			m->last_apply);
}

/* Distinct CVEs over the applied updates' records. */
static unsigned int count_cves(const struct update_info *list, unsigned int n)
{
	char **seen = NULL;
	unsigned int i, j, k, nr = 0;

	for (i = 0; i < n; i++) {
		struct state_info info;

		if (strcmp(list[i].stage, "applied"))
			continue;
		state_read_info(list[i].id, &info);
		for (j = 0; j < info.nr_cves; j++) {
			for (k = 0; k < nr; k++)
				if (!strcmp(seen[k], info.cves[j]))
					break;
			if (k < nr)
				continue;
			seen = xrealloc(seen, nr + 1, sizeof(*seen));
			seen[nr++] = xstrdup(info.cves[j]);
		}
		state_info_free(&info);
	}
	free_strv(seen, nr);
	return nr;
}

/*
 * A pending update that applied when its module loaded ran no tool: the
 * engine's account of it is newer than the records.
 */
static void fold_engine(struct stats *s, const struct update_info *list,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct update_info *u = &list[i];

		if (strcmp(u->stage, "applied"))
			continue;
		if (u->stage_time > s->last_apply)
			s->last_apply = u->stage_time;
		if (u->pause_ns && u->stage_time > s->pause_time) {
			s->pause_time = u->stage_time;
			s->pause_ns = u->pause_ns;
		}
	}
}

/* @m from the records @s (the engine's account folded in) and @list. */
static void collect(struct metrics *m, const struct stats *s,
		    const struct update_info *list, unsigned int n)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->failed = s->failed;
	m->have_pause = s->pause_time != 0;
	m->pause_ns = s->pause_ns;
	m->last_apply = s->last_apply;
	for (i = 0; i < n; i++) {
		m->applied += !strcmp(list[i].stage, "applied");
		m->pending += !strcmp(list[i].stage, "pending");
	}
	m->cves = count_cves(list, n);
}

void metrics_collect(struct metrics *m)
{
	struct update_info *list;
	unsigned int n = update_list(&list);
	struct stats s;

	stats_read(&s);
	fold_engine(&s, list, n);
	collect(m, &s, list, n);
	update_list_free(list, n);
}

/*
 * The collector's directory: the one line of /etc/ksplice/metrics-dir
 * if that file exists ("" or "off": none), else Debian's
 * prometheus-node-exporter directory.  NULL: write nothing.
 */
static char *collector_dir(void)
{
	FILE *f = fopen(metrics_conf, "re");
	char line[4096];
	struct stat st;
	size_t n;

	if (!f)
		return stat(KSPLICE_METRICS_DIR, &st) || !S_ISDIR(st.st_mode) ?
		       NULL : xstrdup(KSPLICE_METRICS_DIR);
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\n");
	line[n] = '\0';
	if (!n || !strcmp(line, "off"))
		return NULL;
	return xstrdup(line);
}

/* Temporary file in @dir, then rename: the collector sees old or new. */
static int write_prom(const char *dir, const struct metrics *m)
{
	char *path = xasprintf("%s/" PROM_FILE, dir);
	char *tmp = xasprintf("%s/." PROM_FILE ".XXXXXX", dir);
	int fd = mkstemp(tmp), err = 0;
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f)
		err = -errno;
	if (f) {
		metrics_format(f, m);
		if (fflush(f) || fchmod(fd, 0644) || fsync(fd))
			err = -errno;
		if (fclose(f) && !err)
			err = -errno;
		if (!err && rename(tmp, path))
			err = -errno;
		if (err)
			unlink(tmp);
	} else if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	if (err)
		tool_error("warning: cannot write the metrics file %s: %s",
			   path, strerror(-err));
	free(tmp);
	free(path);
	return err;
}

void metrics_update(enum metrics_event ev, int rc,
		    const struct update_info *u)
{
	struct update_info *list;
	struct metrics m;
	struct stats s;
	unsigned int n;
	char *dir;

	/* Only root keeps records; another user has changed nothing. */
	if (geteuid())
		return;
	stats_read(&s);
	/* Keep the engine's account: a later undo takes it away.  Missed:
	 * an update applied at a module's load and undone before any
	 * other run of a tool (its apply time is gone with it). */
	n = update_list(&list);
	fold_engine(&s, list, n);
	if (ev == METRICS_APPLY && rc)
		s.failed++;
	if (ev == METRICS_APPLY && !rc && u && !strcmp(u->stage, "applied"))
		s.last_apply = u->stage_time ? u->stage_time : time(NULL);
	if (u && u->pause_ns) {
		s.pause_ns = u->pause_ns;
		s.pause_time = time(NULL);
	}
	if (stats_write(&s))
		tool_error("warning: cannot record the metrics in the state "
			   "directory");
	dir = collector_dir();
	if (dir) {
		collect(&m, &s, list, n);
		write_prom(dir, &m);
	}
	free(dir);
	update_list_free(list, n);
}
