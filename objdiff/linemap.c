// SPDX-License-Identifier: GPL-2.0
/*
 * Line maps: where each line of a file moves to under a patch.  Read from
 * the unified diffs ksplice-create applies, they tell objdiff that a
 * __LINE__ of 41 in pre and 42 in post is the same line, shifted by a
 * blank line added above it, and not a change of a constant.  A line the
 * patch removes maps to nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Old lines [lo, hi] of a file become [lo + delta, hi + delta]. */
struct seg {
	unsigned long lo, hi;
	long delta;
};

struct lm_file {
	char *name;
	struct seg *segs;
	size_t nsegs;
	unsigned long next_old;	/* first old line not yet mapped */
	long delta;		/* after the last hunk read */
};

struct od_linemap {
	struct lm_file *files;
	size_t nfiles;
};

struct od_linemap *od_linemap_new(void)
{
	return od_xcalloc(1, sizeof(struct od_linemap));
}

void od_linemap_free(struct od_linemap *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nfiles; i++) {
		free(m->files[i].name);
		free(m->files[i].segs);
	}
	free(m->files);
	free(m);
}

static void add_seg(struct lm_file *f, unsigned long lo, unsigned long hi,
		    long delta)
{
	struct seg *last = f->nsegs ? &f->segs[f->nsegs - 1] : NULL;

	if (lo > hi)
		return;
	if (last && last->hi + 1 == lo && last->delta == delta) {
		last->hi = hi;
		return;
	}
	f->segs = od_xrealloc(f->segs, f->nsegs + 1, sizeof(*f->segs));
	f->segs[f->nsegs++] = (struct seg){ lo, hi, delta };
}

/* The file of a "+++ b/path" line, without its first component (-p1). */
static struct lm_file *start_file(struct od_linemap *m, const char *line)
{
	const char *p = line + 4, *slash;
	size_t len;
	struct lm_file *f;

	slash = strchr(p, '/');
	if (slash)
		p = slash + 1;
	len = strcspn(p, "\t\n");
	m->files = od_xrealloc(m->files, m->nfiles + 1, sizeof(*m->files));
	f = &m->files[m->nfiles++];
	memset(f, 0, sizeof(*f));
	f->name = od_xasprintf("%.*s", (int)len, p);
	f->next_old = 1;
	return f;
}

/* After the file's last hunk: every later line moves by the last delta. */
static void end_file(struct lm_file *f)
{
	if (f)
		add_seg(f, f->next_old, (unsigned long)-1 / 2, f->delta);
}

int od_linemap_add_patch(struct od_linemap *m, const char *path)
{
	FILE *in = fopen(path, "r");
	struct lm_file *f = NULL;
	unsigned long old = 0, new = 0, oleft = 0, nleft = 0;
	char *line = NULL;
	size_t cap = 0;

	if (!in)
		return -1;
	while (getline(&line, &cap, in) >= 0) {
		unsigned long os, oc = 1, ns, nc = 1;

		if (oleft || nleft) {
			if (line[0] == ' ' || line[0] == '\n') {
				add_seg(f, old, old, (long)new - (long)old);
				old++, new++, oleft--, nleft--;
			} else if (line[0] == '-') {
				old++, oleft--;
			} else if (line[0] == '+') {
				new++, nleft--;
			} else if (line[0] != '\\') {
				oleft = nleft = 0;	/* malformed: stop */
			}
			if (!oleft && !nleft && f) {
				f->next_old = old;
				f->delta = (long)new - (long)old;
			}
			continue;
		}
		if (!strncmp(line, "+++ ", 4)) {
			end_file(f);
			f = start_file(m, line);
		} else if (f && (sscanf(line, "@@ -%lu,%lu +%lu,%lu @@", &os, &oc,
					&ns, &nc) == 4 ||
				 sscanf(line, "@@ -%lu +%lu,%lu @@", &os, &ns,
					&nc) == 3 ||
				 sscanf(line, "@@ -%lu,%lu +%lu @@", &os, &oc,
					&ns) == 3 ||
				 sscanf(line, "@@ -%lu +%lu @@", &os, &ns) == 2)) {
			/* an empty side names the line before it */
			if (!oc)
				os++;
			if (!nc)
				ns++;
			add_seg(f, f->next_old, os - 1, f->delta);
			old = os, new = ns, oleft = oc, nleft = nc;
		}
	}
	end_file(f);
	free(line);
	if (ferror(in)) {
		int e = errno;

		fclose(in);
		errno = e;
		return -1;
	}
	fclose(in);
	return 0;
}

/* @path names @name: equal, or one ends with "/" and the other. */
static bool same_file(const char *path, const char *name)
{
	size_t lp = strlen(path), ln = strlen(name);

	if (lp == ln)
		return !strcmp(path, name);
	if (lp > ln)
		return path[lp - ln - 1] == '/' && !strcmp(path + lp - ln, name);
	return name[ln - lp - 1] == '/' && !strcmp(name + ln - lp, path);
}

unsigned long od_linemap_map(const struct od_linemap *m, const char *file,
			     unsigned long old)
{
	size_t i, j;

	if (!m)
		return 0;
	for (i = 0; i < m->nfiles; i++) {
		const struct lm_file *f = &m->files[i];

		if (!same_file(f->name, file))
			continue;
		for (j = 0; j < f->nsegs; j++)
			if (old >= f->segs[j].lo && old <= f->segs[j].hi)
				return old + f->segs[j].delta;
		return 0;
	}
	return 0;
}

bool od_linemap_shift(const struct od_linemap *m, const char *file,
		      unsigned long old, unsigned long new)
{
	size_t i;

	if (!m || old == new || !old)
		return false;
	if (file)
		return od_linemap_map(m, file, old) == new;
	for (i = 0; i < m->nfiles; i++)
		if (od_linemap_map(m, m->files[i].name, old) == new)
			return true;
	return false;
}
