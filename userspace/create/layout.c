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
 * layout change that cannot be ruled out.
 */
#include <stdlib.h>
#include <string.h>
#include "create.h"
#include "dwlayout.h"

void layout_check_add(struct layout_checks *l, const char *file,
		      const char *type)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].type, type))
			return;
	l->v = xrealloc(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].file = xstrdup(file);
	l->v[l->n].type = xstrdup(type);
	l->n++;
}

void layout_checks_free(struct layout_checks *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].type);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void layout_checks_move(struct layout_checks *to, struct layout_checks *from)
{
	unsigned int i;

	for (i = 0; i < from->n; i++)
		layout_check_add(to, from->v[i].file, from->v[i].type);
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

void check_layouts(struct create *c, const struct cobject *objs,
		   unsigned int n)
{
	unsigned int nl = c->layouts.n, *same, i, j, nodebug = 0;
	double t = now();

	if (!nl)
		return;
	same = xrealloc(NULL, nl, sizeof(*same));
	memset(same, 0, nl * sizeof(*same));
	/* each object's debug info read once, for every struct */
	for (j = 0; j < n; j++) {
		char *pre = xasprintf("%s/%s", c->pre, objs[j].rel);
		char *post = xasprintf("%s/%s", c->post, objs[j].rel);
		struct dw_object *a = dw_open(pre), *b = dw_open(post);

		nodebug += !a || !b;
		for (i = 0; i < nl; i++)
			same[i] += compare_in(&c->layouts.v[i], objs[j].rel,
					      a, b);
		dw_close(a);
		dw_close(b);
		free(pre);
		free(post);
	}
	for (i = 0; i < nl; i++) {
		const struct layout_check *l = &c->layouts.v[i];

		if (!same[i])
			die(EXIT_REFUSED, "%s: %s changes its members, and no "
			    "object built describes it before and after in its "
			    "debug info%s: a layout change cannot be ruled out "
			    "(running code and data keep the old layout)",
			    l->file, l->type, nodebug ? " (built without "
			    "CONFIG_DEBUG_INFO)" : "");
		step("  %s: %s: its members change, its layout does not (the "
		     "debug info of %u object%s before and after; %.1f s)",
		     l->file, l->type, same[i], same[i] == 1 ? "" : "s",
		     now() - t);
	}
	free(same);
}
