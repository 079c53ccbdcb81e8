// SPDX-License-Identifier: GPL-2.0
/*
 * What a patch changes in a header, by name.  The header before and after
 * is cut into top-level items (hdrparse.c): #define/#undef of a name,
 * struct, union and enum bodies, typedefs, functions and declarations, each
 * normalised (comments and spacing gone) with the #if context it sits
 * in.  Items are paired by what they define; the names of those that
 * differ, appeared or went are the change, closed over the header
 * itself: an item that mentions a changed name changes too.  An object
 * can then be affected only if it mentions one of these names (narrow.c).
 *
 * Erring side: too many names, never too few.  What cannot be pinned to
 * a name (a top-level macro invocation, which may paste names together;
 * an #include or #if that changed or tests a changed macro; a function
 * or variable every includer emits; anything this parser does not
 * follow) answers HDR_ALL.  A struct or union whose members changed, or
 * that uses a changed macro or enumerator, may change its layout: its
 * name goes into @types, for the compiler's debug info of the objects
 * built to decide (layout.c).  One without a name to find it by, and a
 * typedef that changed, is a layout change, refused naming it
 * (HDR_REFUSE).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "headers.h"
#include "hdrparse.h"

/* The comparison under way. */
struct cmp {
	struct strv names;	/* changed names */
	struct strv layout;	/* those that may size a type: macros, enums */
	struct strv types;	/* structs whose layout the objects decide */
	char *all;		/* why every includer, or NULL */
	char *refuse;		/* why refused, or NULL */
	bool grew;
};

static void set_all(struct cmp *c, const char *fmt, const char *a,
		    const char *b)
{
	char buf[512];

	if (c->all)
		return;
	snprintf(buf, sizeof(buf), fmt, a, b);
	c->all = hdr_strdup(buf);
}

static void set_refuse(struct cmp *c, const char *fmt, const char *a,
		       const char *b)
{
	char buf[512];

	if (c->refuse)
		return;
	snprintf(buf, sizeof(buf), fmt, a, b);
	c->refuse = hdr_strdup(buf);
}

/*
 * @it (a struct or union) may change its layout: the objects' debug info
 * decides if it has a name to find it by ("struct x", "typedef x").
 */
static void may_move(struct cmp *c, const struct item *it, const char *fmt,
		     const char *a, const char *b)
{
	if (!it->named)
		set_refuse(c, fmt, a, b);
	else
		sv_add(&c->types, it->label);
}

static void add_names(struct cmp *c, const struct item *it, bool layout)
{
	unsigned int i;

	for (i = 0; it && i < it->names.n; i++) {
		if (!sv_has(&c->names, it->names.v[i])) {
			sv_push(&c->names, it->names.v[i]);
			c->grew = true;
		}
		if (layout)
			sv_add(&c->layout, it->names.v[i]);
	}
}

/* @a before, @b after (either may be NULL) differ: what that means. */
static void changed(struct cmp *c, struct item *a, struct item *b)
{
	struct item *it = b ? b : a;
	enum kind k = a && b && hdr_rank(a->kind) > hdr_rank(b->kind) ? a->kind :
		      it->kind;

	if (a)
		a->changed = true;
	if (b)
		b->changed = true;
	if (a && b && a->layout && b->layout && strcmp(a->body, b->body))
		may_move(c, it, "%s changes its members: a layout change "
			 "(running code and data keep the old layout)%s",
			 it->label, "");
	switch (k) {
	case K_INCLUDE:
		set_all(c, "an #include changes (%s)%s", it->label, "");
		break;
	case K_DIRECTIVE:
		set_all(c, "a directive changes (%s)%s", it->label, "");
		break;
	case K_INVOKE:
	case K_OTHER:
		set_all(c, "%s at top level changes, and what it defines "
			"cannot be told by name%s", it->label,
			k == K_INVOKE ? " (a macro may paste names together)" :
			"");
		break;
	case K_EMIT:
		set_all(c, "%s changes, and every object that includes the "
			"file defines it%s", it->label, "");
		break;
	case K_ASSERT:
		break;
	case K_ASM:
		if (!it->names.n)
			set_all(c, "%s changes, and what it defines cannot be "
				"told by name%s", it->label, "");
		add_names(c, a, false);
		add_names(c, b, false);
		break;
	case K_STRUCT:
		add_names(c, a, false);
		add_names(c, b, false);
		break;
	case K_TYPEDEF:
		if (a && b)
			set_refuse(c, "typedef %s changes: a layout change of "
				   "whatever holds it%s", it->label, "");
		add_names(c, a, false);
		add_names(c, b, false);
		break;
	case K_ENUM:
	case K_DEFINE:
		add_names(c, a, true);
		add_names(c, b, true);
		break;
	default:
		add_names(c, a, false);
		add_names(c, b, false);
	}
}

/* The first changed name @toks mention (from @set), or NULL. */
static const char *mentioned(const struct strv *toks, const struct strv *set)
{
	unsigned int i;

	for (i = 0; i < toks->n; i++)
		if (sv_has(set, toks->v[i]))
			return toks->v[i];
	return NULL;
}

/*
 * The first changed name @it uses, not counting what it defines: another
 * header's enumerator or typedef of the same name (drivers reuse them:
 * RSVD2, priority_t) is not this definition's.
 */
static const char *uses(const struct item *it, const struct strv *set)
{
	unsigned int i;

	for (i = 0; i < it->toks.n; i++)
		if (sv_has(set, it->toks.v[i]) &&
		    !sv_has(&it->names, it->toks.v[i]))
			return it->toks.v[i];
	return NULL;
}

/* Unchanged items of @d that mention a changed name change too. */
static void close_over(struct cmp *c, struct defs *d)
{
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		struct item *it = &d->v[i];
		const char *n;

		if (it->changed || !(n = uses(it, &c->names)))
			continue;
		if (it->layout && (n = uses(it, &c->layout))) {
			may_move(c, it, "%s uses %s, which the patch changes: "
				 "its layout may change", it->label, n);
			changed(c, it, NULL);
			continue;
		}
		switch (it->kind) {
		case K_ASSERT:
			break;
		case K_STRUCT:
		case K_TYPEDEF:
			n = uses(it, &c->layout);
			if (n)
				set_refuse(c, "%s uses %s, which the patch "
					   "changes: its layout may change",
					   it->label, n);
			break;
		case K_DEFINE: case K_FUNC: case K_DECL: case K_ENUM:
		case K_ASM:
			changed(c, it, NULL);
			break;
		default:
			set_all(c, "%s at top level mentions %s, which the "
				"patch changes", it->label, n);
		}
	}
	for (i = 0; i < d->conds.n; i++) {
		struct strv ids = { 0 };
		const char *n;
		char *t = hdr_norm(d->conds.v[i], &ids);

		if ((n = mentioned(&ids, &c->names)))
			set_all(c, "%s tests %s, which the patch changes",
				d->conds.v[i], n);
		sv_free(&ids);
		free(t);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* @v (less what @skip holds), sorted, into a new array. */
static char **sorted(const struct strv *v, const struct strv *skip,
		     unsigned int *n)
{
	char **out = hdr_alloc((v->n + 1) * sizeof(char *));
	unsigned int i;

	*n = 0;
	for (i = 0; i < v->n; i++)
		if (!skip || !sv_has(skip, v->v[i]))
			out[(*n)++] = hdr_strdup(v->v[i]);
	if (*n)
		qsort(out, *n, sizeof(char *), by_name);
	return out;
}

static void verdict(struct cmp *c, struct hdr_diff *out,
		    const struct strv *given)
{
	if (c->refuse) {
		out->verdict = HDR_REFUSE;
		out->why = c->refuse;
		free(c->all);
	} else if (c->all) {
		out->verdict = HDR_ALL;
		out->why = c->all;
	} else {
		out->verdict = HDR_NAMES;
		out->names = sorted(&c->names, given, &out->nr_names);
		out->layout = sorted(&c->layout, given, &out->nr_layout);
	}
	if (!c->refuse)
		out->types = sorted(&c->types, NULL, &out->nr_types);
	sv_free(&c->names);
	sv_free(&c->layout);
	sv_free(&c->types);
}

void hdr_diff(const char *pre, const char *post, struct hdr_diff *out)
{
	struct defs a, b;
	struct cmp c = { 0 };
	unsigned int i;

	memset(out, 0, sizeof(*out));
	hdr_parse(pre, &a);
	hdr_parse(post, &b);
	if (a.error || b.error) {
		char buf[512];

		snprintf(buf, sizeof(buf), "its %s text is beyond this "
			 "reading of C (%s)", a.error ? "old" : "new",
			 a.error ? a.error : b.error);
		out->verdict = HDR_ALL;
		out->why = hdr_strdup(buf);
		goto done;
	}
	for (i = 0; i < a.n; i++) {
		struct item *q = hdr_find(&b, a.v[i].key);

		if (!q || strcmp(q->text, a.v[i].text))
			changed(&c, &a.v[i], q);
	}
	for (i = 0; i < b.n; i++)
		if (!hdr_find(&a, b.v[i].key))
			changed(&c, NULL, &b.v[i]);
	do {
		c.grew = false;
		close_over(&c, &a);
		close_over(&c, &b);
	} while (c.grew);
	verdict(&c, out, NULL);
done:
	hdr_free_defs(&a);
	hdr_free_defs(&b);
}

void hdr_uses(const char *text, char **names, unsigned int n, char **layout,
	      unsigned int nl, struct hdr_diff *out)
{
	struct defs a;
	struct cmp c = { 0 };
	struct strv given = { 0 };
	unsigned int i;

	memset(out, 0, sizeof(*out));
	hdr_parse(text, &a);
	if (a.error) {
		out->verdict = HDR_ALL;
		out->why = hdr_cat(hdr_strdup("beyond this reading of C"), ": ", a.error);
		hdr_free_defs(&a);
		return;
	}
	for (i = 0; i < n; i++) {
		sv_add(&c.names, names[i]);
		sv_add(&given, names[i]);
	}
	for (i = 0; i < nl; i++)
		sv_add(&c.layout, layout[i]);
	do {
		c.grew = false;
		close_over(&c, &a);
	} while (c.grew);
	verdict(&c, out, &given);
	sv_free(&given);
	hdr_free_defs(&a);
}

void hdr_diff_free(struct hdr_diff *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_names; i++)
		free(d->names[i]);
	free(d->names);
	for (i = 0; i < d->nr_layout; i++)
		free(d->layout[i]);
	free(d->layout);
	for (i = 0; i < d->nr_types; i++)
		free(d->types[i]);
	free(d->types);
	free(d->why);
	memset(d, 0, sizeof(*d));
}
