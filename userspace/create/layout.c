// SPDX-License-Identifier: GPL-2.0
/*
 * Structs whose members a header change touches keep their layout, or
 * the update is refused naming them.
 *
 * The header's text (headers.c) shows that a struct's members changed,
 * not whether running data still reads right: a renamed member, an int
 * become an atomic_t, a callback given one more parameter, all leave
 * every byte where it was.  The compiler knows.  Each object built
 * before and after the patch that defines the struct in its debug info
 * gives its layout (dwlayout.c), as that header declares it (another
 * header's struct of the same tag is not it); all must agree.  A struct that no
 * object describes on both sides cannot be compared: refused, as a
 * layout change that cannot be ruled out.  A header of too many users
 * to tell (struct sock) is compared the same way in the objects the rest
 * of the fix builds (sock.c beside sock.h): every object sees one
 * layout, so one object that shows a change is the answer.
 *
 * The text is not the only guard.  A struct a patched .c file defines
 * for itself (a driver's private state, allocated while the old code
 * ran) is as much running data as a header's, and a header whose text
 * cannot be read names no struct: every struct and union a patched file
 * defines at file scope, as the objects' debug info describes it before
 * and after, keeps its layout too.
 */
#include <stdlib.h>
#include <string.h>
#include "create.h"
#include "dwlayout.h"

static struct layout_check *find(const struct layout_checks *l,
				 const char *type)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].type, type))
			return &l->v[i];
	return NULL;
}

bool layout_checks_has(const struct layout_checks *l, const char *type)
{
	return find(l, type);
}

static struct layout_check *layout_check_get(struct layout_checks *l,
					     const char *file, const char *type)
{
	struct layout_check *k = find(l, type);

	if (k)
		return k;
	l->v = xrealloc(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].file = xstrdup(file);
	l->v[l->n].type = xstrdup(type);
	l->v[l->n].unruled = NULL;
	return &l->v[l->n++];
}

void layout_check_add(struct layout_checks *l, const char *file,
		      const char *type)
{
	layout_check_get(l, file, type);
}

/*
 * @type's members change in @file, whose users are too many to tell
 * (@why).  The objects built for the rest of the fix still say whether
 * its layout changes: a change is the answer (a refusal naming the
 * member), an equal layout leaves exit 4, and an object that describes
 * it nowhere leaves the refusal it always had.
 */
void layout_check_unruled(struct layout_checks *l, const char *file,
			  const char *type, const char *why)
{
	struct layout_check *k = layout_check_get(l, file, type);

	if (!k->unruled)
		k->unruled = xstrdup(why);
}

static void __attribute__((noreturn)) refuse_unruled(const struct layout_check *l)
{
	die(EXIT_REFUSED, "%s: %s changes its members, and %s: a layout "
	    "change cannot be ruled out (running code and data keep the old "
	    "layout)", l->file, l->type, l->unruled);
}

/* No object will be built to compare them in: refused as always. */
void layout_unruled_refuse(const struct create *c)
{
	unsigned int i;

	for (i = 0; i < c->layouts.n; i++)
		if (c->layouts.v[i].unruled)
			refuse_unruled(&c->layouts.v[i]);
}

void layout_checks_free(struct layout_checks *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].type);
		free(l->v[i].unruled);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void layout_checks_move(struct layout_checks *to, struct layout_checks *from)
{
	unsigned int i;

	for (i = 0; i < from->n; i++) {
		const struct layout_check *k = &from->v[i];

		if (k->unruled)
			layout_check_unruled(to, k->file, k->type, k->unruled);
		else
			layout_check_add(to, k->file, k->type);
	}
	layout_checks_free(from);
}

/*
 * @l in one object, open before (@a) and after (@b): 1 compared equal,
 * 0 not defined on both sides; dies if the layouts differ.
 */
static int compare_in(const struct layout_check *l, const char *rel,
		      struct dw_object *a, struct dw_object *b)
{
	struct dw_layout la, lb;
	int ra = dw_layout(a, l->type, l->file, &la);
	int rb = dw_layout(b, l->type, l->file, &lb);
	char *why = NULL;

	if (!ra && !rb)
		why = dw_layout_diff(&la, &lb);
	dw_layout_free(&la);
	dw_layout_free(&lb);
	if (why)
		die(EXIT_REFUSED, "%s: %s changes its layout: %s, as %s is "
		    "compiled (running code and data keep the old layout; "
		    "keep the struct as it is and attach new data with a "
		    "shadow variable, ksplice(7))", l->file, l->type, why, rel);
	return !ra && !rb;
}

struct own_types {
	struct layout_checks *l;
	const char *file;
};

static void own_type(const char *type, void *arg)
{
	struct own_types *o = arg;

	layout_check_add(o->l, o->file, type);
}

/*
 * The structs and unions the patched files themselves define, as @a (an
 * object before the patch) describes them, compared in it and @b; those
 * the header change already names are left to the loop above.  How many
 * compared equal.
 */
static unsigned int compare_own(const struct create *c, const char *rel,
				struct dw_object *a, struct dw_object *b)
{
	struct layout_checks own = { 0 };
	struct own_types o = { .l = &own };
	unsigned int t, k, n = 0;

	for (t = 0; t < c->nr_touched; t++) {
		o.file = c->touched[t];
		dw_file_types(a, o.file, own_type, &o);
	}
	for (k = 0; k < own.n; k++)
		if (!layout_checks_has(&c->layouts, own.v[k].type))
			n += compare_in(&own.v[k], rel, a, b);
	layout_checks_free(&own);
	return n;
}

void check_layouts(struct create *c, const struct cobject *objs,
		   unsigned int n)
{
	unsigned int nl = c->layouts.n, *same, i, j, nodebug = 0, own = 0;
	double t = now();

	same = xrealloc(NULL, nl + 1, sizeof(*same));
	memset(same, 0, (nl + 1) * sizeof(*same));
	/* each object's debug info read once, for every struct */
	for (j = 0; j < n; j++) {
		char *pre = xasprintf("%s/%s", c->pre, objs[j].rel);
		char *post = xasprintf("%s/%s", c->post, objs[j].rel);
		struct dw_object *a = dw_open(pre), *b = dw_open(post);

		if (!a || !b) {
			nodebug++;
			if (is_file(pre))
				warn("%s: no debug info (CONFIG_DEBUG_INFO): "
				     "the layouts of the structs its patched "
				     "sources define are not compared",
				     objs[j].rel);
		}
		for (i = 0; i < nl; i++)
			same[i] += compare_in(&c->layouts.v[i], objs[j].rel,
					      a, b);
		if (a && b)
			own += compare_own(c, objs[j].rel, a, b);
		dw_close(a);
		dw_close(b);
		free(pre);
		free(post);
	}
	for (i = 0; i < nl; i++) {
		const struct layout_check *l = &c->layouts.v[i];

		if (!same[i] && l->unruled)
			refuse_unruled(l);
		if (!same[i])
			die(EXIT_REFUSED, "%s: %s changes its members, and no "
			    "object built describes it before and after in its "
			    "debug info%s: a layout change cannot be ruled out "
			    "(running code and data keep the old layout)",
			    l->file, l->type, nodebug ? " (built without "
			    "CONFIG_DEBUG_INFO)" : "");
		step("  %s: %s: its members change, its layout does not (the "
		     "debug info of %u object%s before and after; %.1f s)%s",
		     l->file, l->type, same[i], same[i] == 1 ? "" : "s",
		     now() - t, l->unruled ? "; its other users cannot be "
		     "told" : "");
	}
	if (own)
		step("  the structs and unions the patched files define keep "
		     "their layouts (%u compared in the debug info of %u "
		     "object%s; %.1f s)", own, n, n == 1 ? "" : "s", now() - t);
	free(same);
}
