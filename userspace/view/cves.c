// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-view --cves: the CVEs the running kernel is protected against,
 * those that applied updates fix, from ksplice-apply's record of each
 * package (/run/ksplice/<id>, tool/state.c).  A pending update protects
 * nothing yet: its CVEs are listed apart, and only those no applied
 * update already fixes.  An applied update without a record is named:
 * what it fixes is unknown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ksplice/manifest.h"
#include "../tool/tool.h"
#include "view.h"

/* A CVE and the updates that fix it. */
struct cve {
	char *id;
	char **updates;
	unsigned int nr_updates;
};

struct cve_set {
	struct cve *v;
	unsigned int n;
};

static struct cve *find(const struct cve_set *s, const char *id)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].id, id))
			return &s->v[i];
	return NULL;
}

static void add(struct cve_set *s, const char *id, const char *update)
{
	struct cve *c = find(s, id);

	if (!c) {
		s->v = xrealloc(s->v, s->n + 1, sizeof(*s->v));
		c = &s->v[s->n++];
		c->id = xstrdup(id);
		c->updates = NULL;
		c->nr_updates = 0;
	}
	c->updates = xrealloc(c->updates, c->nr_updates + 1,
			      sizeof(*c->updates));
	c->updates[c->nr_updates++] = xstrdup(update);
}

static int cmp(const void *a, const void *b)
{
	return ks_cve_cmp(((const struct cve *)a)->id,
			  ((const struct cve *)b)->id);
}

static void set_free(struct cve_set *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].id);
		free_strv(s->v[i].updates, s->v[i].nr_updates);
	}
	free(s->v);
}

static void print_set(const struct cve_set *s)
{
	unsigned int i, j;

	for (i = 0; i < s->n; i++) {
		printf("  %-16s ", esc(s->v[i].id));
		for (j = 0; j < s->v[i].nr_updates; j++)
			printf("%s%s", j ? ", " : "update ",
			       esc(s->v[i].updates[j]));
		putchar('\n');
	}
}

static void json_set(const char *key, const struct cve_set *s)
{
	unsigned int i, j;

	json_begin(key, '[');
	for (i = 0; i < s->n; i++) {
		json_begin(NULL, '{');
		json_str("cve", s->v[i].id);
		json_begin("updates", '[');
		for (j = 0; j < s->v[i].nr_updates; j++)
			json_str(NULL, s->v[i].updates[j]);
		json_end();
		json_end();
	}
	json_end();
}

static bool has_record(const char *id)
{
	char *text = state_read_file(id);
	bool yes = text != NULL;

	free(text);
	return yes;
}

int view_cves(bool json)
{
	struct cve_set fixed = { 0 }, pending = { 0 };
	struct update_info *list;
	unsigned int n = update_list(&list), i, j, nr_unknown = 0;
	char **unknown = NULL;

	for (i = 0; i < n; i++) {
		bool applied = !strcmp(list[i].stage, "applied");
		struct state_info info;

		if (!applied && strcmp(list[i].stage, "pending"))
			continue;
		if (applied && !has_record(list[i].id)) {
			unknown = xrealloc(unknown, nr_unknown + 1,
					   sizeof(*unknown));
			unknown[nr_unknown++] = xstrdup(list[i].id);
		}
		state_read_info(list[i].id, &info);
		for (j = 0; j < info.nr_cves; j++)
			add(applied ? &fixed : &pending, info.cves[j],
			    list[i].id);
		state_info_free(&info);
	}
	update_list_free(list, n);
	/* Pending ones an applied update already fixes add nothing. */
	for (i = 0; i < pending.n; i++) {
		if (!find(&fixed, pending.v[i].id))
			continue;
		free(pending.v[i].id);
		free_strv(pending.v[i].updates, pending.v[i].nr_updates);
		pending.v[i--] = pending.v[--pending.n];
	}
	qsort(fixed.v, fixed.n, sizeof(*fixed.v), cmp);
	qsort(pending.v, pending.n, sizeof(*pending.v), cmp);
	if (json) {
		json_begin(NULL, '{');
		json_set("protected", &fixed);
		json_set("pending", &pending);
		json_begin("unknown", '[');
		for (i = 0; i < nr_unknown; i++)
			json_str(NULL, unknown[i]);
		json_end();
		json_end();
	} else {
		if (fixed.n)
			printf("protected against %u CVE%s:\n", fixed.n,
			       fixed.n == 1 ? "" : "s");
		else
			printf("no CVEs: no applied update names one\n");
		print_set(&fixed);
		if (pending.n)
			printf("not yet: pending updates fix these when their "
			       "modules load:\n");
		print_set(&pending);
		for (i = 0; i < nr_unknown; i++)
			printf("update %s is applied without ksplice-apply's "
			       "record: its CVEs are not known\n",
			       esc(unknown[i]));
	}
	set_free(&fixed);
	set_free(&pending);
	free_strv(unknown, nr_unknown);
	return EXIT_DONE;
}
