// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: why an export's symbol version changed.
 *
 * genksyms computes a version from the text of every type an export's
 * declaration reaches.  Asked for foo.symtypes, kbuild has it write those
 * types one per line, each by name, and each export's declaration in the
 * same names:
 *
 *	s#device struct device { ... s#device_private * p ; ... }
 *	get_device s#device * get_device ( s#device * )
 *
 * Compared name by name before and after the patch, the lines say which
 * definitions the patch changed.  A renamed member, or an int become an
 * atomic_t, changes the text and so the version, not one byte the running
 * code reads: when every changed definition an export reaches is a
 * struct whose layout the debug info proved the same (layout.c), running
 * callers and the update still agree, and the disagreement is the text's.
 * Any other change (the declaration itself, a typedef, an enum, a struct
 * only declared before and defined after) keeps the refusal.
 *
 * A name on one side only does not count by itself: whatever reaches it
 * on the other side reached it through a definition that changed.
 */
#include <stdlib.h>
#include <string.h>
#include "create.h"
#include "hdrparse.h"
#include "symtypes.h"

struct st_line {
	char *name;
	char *def;
};

struct symtypes {
	struct st_line *v;
	size_t n;
};

static int st_cmp(const void *a, const void *b)
{
	return strcmp(((const struct st_line *)a)->name,
		      ((const struct st_line *)b)->name);
}

struct symtypes *symtypes_parse(const char *text)
{
	struct symtypes *t = xrealloc(NULL, 1, sizeof(*t));
	const char *p = text, *nl, *sp;
	size_t cap = 0;

	memset(t, 0, sizeof(*t));
	for (; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		sp = memchr(p, ' ', nl ? (size_t)(nl - p) : strlen(p));
		if (!sp || sp == p)
			continue;
		if (t->n == cap) {
			cap = cap ? 2 * cap : 64;
			t->v = xrealloc(t->v, cap, sizeof(*t->v));
		}
		t->v[t->n].name = hdr_strndup(p, sp - p);
		t->v[t->n].def = hdr_strndup(sp + 1, nl ? (size_t)(nl - sp - 1) :
					  strlen(sp + 1));
		t->n++;
	}
	qsort(t->v, t->n, sizeof(*t->v), st_cmp);
	return t;
}

void symtypes_free(struct symtypes *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].def);
	}
	free(t->v);
	free(t);
}

static const char *st_find(const struct symtypes *t, const char *name)
{
	struct st_line key = { .name = (char *)name }, *e;

	e = bsearch(&key, t->v, t->n, sizeof(*t->v), st_cmp);
	return e ? e->def : NULL;
}

/* "s#device" -> "struct device", as headers.c labels it; else NULL */
static char *st_label(const char *name)
{
	static const struct { char tag; const char *kind; } kinds[] = {
		{ 's', "struct" }, { 'u', "union" }, { 'e', "enum" },
		{ 't', "typedef" }, { 'E', "enum constant" },
	};
	size_t i;

	for (i = 0; name[0] && name[1] == '#' && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].tag == name[0])
			return xasprintf("%s %s", kinds[i].kind, name + 2);
	return NULL;
}

struct st_walk {
	const struct symtypes *pre, *post;
	bool (*proven)(const char *label, void *arg);
	void *arg;
	struct strv seen, todo;
	char *why;
};

/* queue every type name @def refers to */
static void st_refs(struct st_walk *w, const char *def)
{
	const char *p = def, *end;
	char *tok;

	while (def && *p) {
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		if (end - p > 2 && p[1] == '#') {
			tok = hdr_strndup(p, end - p);
			if (!sv_has(&w->seen, tok)) {
				sv_push(&w->seen, tok);
				sv_push(&w->todo, tok);
			}
			free(tok);
		}
		p = *end ? end + 1 : end;
	}
}

/* @name reached: its change, if any, is proven harmless or the answer */
static void st_visit(struct st_walk *w, const char *name)
{
	const char *a = st_find(w->pre, name), *b = st_find(w->post, name);
	char *label;

	st_refs(w, a);
	st_refs(w, b);
	if (!a || !b || !strcmp(a, b) || w->why)
		return;
	label = st_label(name);
	if (!label)
		w->why = xasprintf("its declaration changes");
	else if (strstr(a, "{ UNKNOWN }"))
		w->why = xasprintf("%s is only declared before the patch, "
				   "defined after it", label);
	else if (strstr(b, "{ UNKNOWN }"))
		w->why = xasprintf("%s is defined before the patch, only "
				   "declared after it", label);
	else if (label[0] == 'e' || !w->proven(label, w->arg))
		w->why = xasprintf("%s changes", label);
	free(label);
}

char *symtypes_explain(const struct symtypes *pre,
		       const struct symtypes *post, const char *symbol,
		       bool (*proven)(const char *label, void *arg), void *arg)
{
	struct st_walk w = { .pre = pre, .post = post, .proven = proven,
			     .arg = arg };
	unsigned int i;

	if (!st_find(pre, symbol) || !st_find(post, symbol))
		return xasprintf("genksyms did not describe it");
	sv_push(&w.seen, symbol);
	sv_push(&w.todo, symbol);
	for (i = 0; i < w.todo.n && !w.why; i++)
		st_visit(&w, w.todo.v[i]);
	sv_free(&w.seen);
	sv_free(&w.todo);
	return w.why;
}
