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
 * A callback member whose type changes (one more parameter, int become
 * void) keeps the layout too, and the update carries every in-tree caller
 * and implementation.  Not those of an out-of-tree module, built against
 * the old type, that the version protected: such a change is refused,
 * naming the callback, unless the patch author says no such module uses
 * it (--allow-retyped-callbacks).
 *
 * A name on one side only does not count by itself: whatever reaches it
 * on the other side reached it through a definition that changed.
 */
#include <stdlib.h>
#include <string.h>
#include "create.h"
#include "hdrparse.h"
#include "strmap.h"
#include "symtypes.h"

struct symtypes {
	struct strmap defs;	/* name -> definition */
};

struct symtypes *symtypes_parse(const char *text)
{
	struct symtypes *t = xrealloc(NULL, 1, sizeof(*t));
	const char *p = text, *nl, *sp;

	memset(t, 0, sizeof(*t));
	for (; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		sp = memchr(p, ' ', nl ? (size_t)(nl - p) : strlen(p));
		if (!sp || sp == p)
			continue;
		strmap_add_n(&t->defs, p, sp - p, sp + 1,
			     nl ? (size_t)(nl - sp - 1) : strlen(sp + 1));
	}
	strmap_sort(&t->defs);
	return t;
}

void symtypes_free(struct symtypes *t)
{
	if (!t)
		return;
	strmap_free(&t->defs);
	free(t);
}

static const char *st_find(const struct symtypes *t, const char *name)
{
	return strmap_find(&t->defs, name);
}

/* "s#device" -> "struct device", as headers.c labels it; else NULL */
static char *st_label(const char *name)
{
	static const struct { char tag; const char *kind; } kinds[] = {
		{ 's', "struct" }, { 'u', "union" }, { 'e', "enum" },
		{ 't', "typedef" }, { 'E', "enum constant" },
	};
	size_t i, n = sizeof(kinds) / sizeof(kinds[0]);

	for (i = 0; name[0] && name[1] == '#' && i < n; i++)
		if (kinds[i].tag == name[0])
			return xasprintf("%s %s", kinds[i].kind, name + 2);
	return NULL;
}

struct st_walk {
	const struct symtypes *pre, *post;
	const struct st_policy *policy;
	struct strv seen, todo;
	char *why, *note;
};

/* A definition's tokens, split at its spaces. */
struct st_tokens {
	char **t;
	unsigned int n;
};

static void st_split(const char *def, struct st_tokens *tk)
{
	const char *p = def, *end;

	tk->t = NULL;
	tk->n = 0;
	while (*p) {
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		if (end > p) {
			tk->t = xrealloc(tk->t, tk->n + 1, sizeof(char *));
			tk->t[tk->n++] = hdr_strndup(p, end - p);
		}
		p = *end ? end + 1 : end;
	}
}

static void st_tokens_free(struct st_tokens *tk)
{
	unsigned int i;

	for (i = 0; i < tk->n; i++)
		free(tk->t[i]);
	free(tk->t);
}

/*
 * The callback members of a struct's definition, in order: for each
 * "ret ( * name ) ( params )", its name into @names and its type with
 * the name left out into @types.
 */
static void st_callbacks(const char *def, struct strv *names,
			 struct strv *types)
{
	struct st_tokens tk;
	unsigned int i, j, start = 0, depth;
	char *type;

	st_split(def, &tk);
	for (i = 0; i + 3 < tk.n; i++) {
		if (!strcmp(tk.t[i], ";") || !strcmp(tk.t[i], "{"))
			start = i + 1;
		if (strcmp(tk.t[i], "(") || strcmp(tk.t[i + 1], "*") ||
		    strcmp(tk.t[i + 3], ")") || strchr(tk.t[i + 2], '#') ||
		    i + 4 >= tk.n || strcmp(tk.t[i + 4], "("))
			continue;
		type = hdr_strdup("");
		for (j = start; j < i; j++)
			type = hdr_cat(type, " ", tk.t[j]);
		type = hdr_cat(type, " ", "( * )");
		for (j = i + 4, depth = 0; j < tk.n; j++) {
			type = hdr_cat(type, " ", tk.t[j]);
			depth += !strcmp(tk.t[j], "(");
			if (!strcmp(tk.t[j], ")") && !--depth)
				break;
		}
		sv_push(names, tk.t[i + 2]);
		sv_push(types, type);
		free(type);
		i = j;
	}
	st_tokens_free(&tk);
}

/* The first callback of @label whose type changes from @a to @b, or NULL. */
static char *st_retyped(const char *label, const char *a, const char *b)
{
	struct strv na = { 0 }, ta = { 0 }, nb = { 0 }, tb = { 0 };
	char *why = NULL;
	unsigned int i;

	st_callbacks(a, &na, &ta);
	st_callbacks(b, &nb, &tb);
	if (na.n != nb.n)
		why = xasprintf("%s has %u callback%s before the patch, %u "
				"after it", label, na.n, na.n == 1 ? "" : "s",
				nb.n);
	for (i = 0; !why && i < na.n; i++)
		if (strcmp(ta.v[i], tb.v[i]))
			why = xasprintf("%s's callback %s changes its type",
					label, nb.v[i]);
	sv_free(&na);
	sv_free(&ta);
	sv_free(&nb);
	sv_free(&tb);
	return why;
}

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

/* A proven struct's callbacks: retyped ones refused, or noted if allowed */
static void st_callback_check(struct st_walk *w, const char *label,
			      const char *a, const char *b)
{
	char *retyped = st_retyped(label, a, b);

	if (!retyped)
		return;
	if (!w->policy->allow_retyped_callbacks) {
		w->why = xasprintf("%s: an out-of-tree module built against "
				   "the old type would call it or be called "
				   "wrongly; --allow-retyped-callbacks if none "
				   "does", retyped);
		free(retyped);
	} else if (!w->note) {
		w->note = retyped;
	} else {
		free(retyped);
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
	else if (label[0] == 'e' || !w->policy->proven(label, w->policy->arg))
		w->why = xasprintf("%s changes", label);
	else
		st_callback_check(w, label, a, b);
	free(label);
}

char *symtypes_explain(const struct symtypes *pre,
		       const struct symtypes *post, const char *symbol,
		       const struct st_policy *policy, char **note)
{
	struct st_walk w = { .pre = pre, .post = post, .policy = policy };
	unsigned int i;

	if (note)
		*note = NULL;
	if (!st_find(pre, symbol) || !st_find(post, symbol))
		return xasprintf("genksyms did not describe it");
	sv_push(&w.seen, symbol);
	sv_push(&w.todo, symbol);
	for (i = 0; i < w.todo.n && !w.why; i++)
		st_visit(&w, w.todo.v[i]);
	sv_free(&w.seen);
	sv_free(&w.todo);
	if (note && !w.why)
		*note = w.note;
	else
		free(w.note);
	return w.why;
}
