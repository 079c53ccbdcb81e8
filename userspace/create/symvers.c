// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: symbol versions.  With CONFIG_MODVERSIONS an exported
 * symbol's version is a CRC that genksyms computes from every type its
 * declaration reaches; kbuild keeps an object's in its .cmd record
 * ("#SYMVER get_device 0x62c2ce88") and the release's Module.symvers
 * holds the running kernel's.  When the patched source gives an export
 * another version, the types its users see are not the running kernel's
 * (a struct changed, or a header made one visible): the modules loaded
 * were built against the old ones, new code that calls it would be
 * versioned against types that do not run, and an update cannot change
 * either.  Such a patch is refused, naming each symbol, first those the
 * update's own objects call.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"

/* How many disagreeing symbols not used by the update to name. */
#define SV_SHOW_UNUSED 8

struct sv_entry {
	char *symbol;
	char *crc;
};

struct sv_table {
	struct sv_entry *v;
	size_t n, cap;
};

static int sv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sv_entry *)a)->symbol,
		      ((const struct sv_entry *)b)->symbol);
}

static void sv_add(struct sv_table *t, const char *symbol, const char *crc)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = xrealloc(t->v, t->cap, sizeof(*t->v));
	}
	t->v[t->n].symbol = xstrdup(symbol);
	t->v[t->n].crc = xstrdup(crc);
	t->n++;
}

static const char *sv_find(const struct sv_table *t, const char *symbol)
{
	struct sv_entry key = { .symbol = (char *)symbol }, *e;

	e = bsearch(&key, t->v, t->n, sizeof(*t->v), sv_cmp);
	return e ? e->crc : NULL;
}

static void sv_free(struct sv_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].symbol);
		free(t->v[i].crc);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* Module.symvers: crc, symbol, module, export type, namespace (tabs). */
static void sv_read_symvers(struct sv_table *t, const char *path)
{
	char *text = read_file(path, NULL), *line, *save = NULL;

	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), *end;

		if (!tab)
			continue;
		*tab = '\0';
		end = strchr(tab + 1, '\t');
		if (end)
			*end = '\0';
		sv_add(t, tab + 1, line);
	}
	free(text);
	qsort(t->v, t->n, sizeof(*t->v), sv_cmp);
}

/* The "#SYMVER name crc" lines of the .cmd record of @dir/@rel. */
static void sv_read_cmd(struct sv_table *t, const char *dir, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	char *path = slash ?
		xasprintf("%s/%.*s/.%s.cmd", dir, (int)(slash - rel), rel, slash + 1) :
		xasprintf("%s/.%s.cmd", dir, rel);
	char *text = read_file(path, NULL), *line, *save = NULL;

	free(path);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[512], crc[32];

		if (!strncmp(line, "#SYMVER ", 8) &&
		    sscanf(line + 8, "%511s %31s", name, crc) == 2)
			sv_add(t, name, crc);
	}
	free(text);
	qsort(t->v, t->n, sizeof(*t->v), sv_cmp);
}

struct sv_use {
	struct sv_table *t;
	const char *rel;
};

static void sv_add_use(const char *name, void *arg)
{
	struct sv_use *u = arg;

	sv_add(u->t, name, u->rel);
}

/* The symbols @object leaves undefined, into @t (crc: the object). */
static void sv_read_undefined(struct sv_table *t, const char *object,
			      const char *rel)
{
	struct sv_use u = { .t = t, .rel = rel };

	for_each_undefined(object, sv_add_use, &u);
}

/*
 * Refuse (exit 2) when the patch gives an export of @objs another version
 * than the running kernel's (or, for a symbol the release's Module.symvers
 * does not list, than the unpatched source's).  A version the unpatched
 * source already disagreed on is left to run-pre matching.
 */
void check_symbol_versions(const struct create *c, const struct cobject *objs,
			   unsigned int n)
{
	struct sv_table running = { 0 }, used = { 0 };
	unsigned int i, bad = 0, shown = 0, pass;
	char *path;

	if (elf_version(EV_CURRENT) == EV_NONE)
		die(EXIT_ENV, "libelf is too old");
	path = xasprintf("%s/Module.symvers", c->kdir);
	sv_read_symvers(&running, path);
	free(path);
	for (i = 0; i < n; i++) {
		char *o = xasprintf("%s/%s", c->post, objs[i].rel);

		if (is_file(o))
			sv_read_undefined(&used, o, objs[i].rel);
		free(o);
	}
	qsort(used.v, used.n, sizeof(*used.v), sv_cmp);

	/* Two passes: the symbols the update's code calls, then the rest. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			struct sv_table pre = { 0 }, post = { 0 };
			size_t k;

			sv_read_cmd(&pre, c->pre, objs[i].rel);
			sv_read_cmd(&post, c->post, objs[i].rel);
			for (k = 0; k < post.n; k++) {
				const char *sym = post.v[k].symbol;
				const char *now = sv_find(&running, sym);
				const char *was = sv_find(&pre, sym);
				const char *old = now ? now : was;
				const char *user = sv_find(&used, sym);

				/* not the patch's doing: run-pre matching judges */
				if (was && !strcmp(was, post.v[k].crc))
					continue;
				if (!old || !strcmp(old, post.v[k].crc) ||
				    !!user != !pass)
					continue;
				bad++;
				if (!user && shown >= SV_SHOW_UNUSED)
					continue;
				shown++;
				fprintf(stderr, "  %s: refused: the symbol version of %s "
					"disagrees: %s after the patch, %s in %s%s%s\n",
					objs[i].rel, sym, post.v[k].crc, old,
					now ? "the running kernel" : "the unpatched source",
					user ? "; called from " : "",
					user ? user : "");
			}
			sv_free(&pre);
			sv_free(&post);
		}
	}
	if (bad > shown)
		fprintf(stderr, "  ... and %u more exported symbol%s whose "
			"version disagrees\n", bad - shown, bad - shown == 1 ? "" : "s");
	sv_free(&running);
	sv_free(&used);
	/* the likely cause, if the patch changes a struct's members */
	for (i = 0; bad && i < c->layouts.n; i++)
		fprintf(stderr, "  hint: the patch changes the members of %s "
			"(%s; its layout stays the same), and genksyms reads "
			"the members of every struct an export's declaration "
			"reaches: keeping their declarations as they are keeps "
			"the versions\n", c->layouts.v[i].type,
			c->layouts.v[i].file);
	if (bad)
		die(EXIT_REFUSED, "refused: the patch changes the symbol versions "
		    "(CRCs) of %u exported symbol%s (see above): the types %s "
		    "changed, and the running kernel and its modules use the "
		    "old ones; leave the declarations and the headers the file "
		    "includes as they are", bad, bad == 1 ? "" : "s",
		    bad == 1 ? "its declaration reaches" : "their declarations reach");
}
