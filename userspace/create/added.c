// SPDX-License-Identifier: GPL-2.0
/*
 * Source files a patch adds.  The tree's object map is of the unpatched
 * tree, so it knows nothing of them; kbuild's walk of the patched copy
 * (objmap_new_object()) says what its makefiles link the new object
 * into.  Its pre side is an empty object, so objdiff finds every
 * function and datum new and the update carries them whole, beside the
 * changed objects that call them.
 */
#include <stdlib.h>
#include <string.h>
#include "create.h"

/* The object of @f, a file the patch adds, if the patched tree builds it. */
unsigned int added_source(struct create *c, const char *f, struct cand **v,
			  unsigned int *n)
{
	char *obj = xasprintf("%.*s.o", (int)strlen(f) - 2, f);
	char *target = objmap_new_object(c, obj);

	if (target)
		add_cand(v, n, obj, target);
	else
		step("  %s: a new file, and kbuild's walk of the patched tree "
		     "builds no object of this configuration from it", f);
	free(target);
	free(obj);
	return !!target;
}

/* Is @obj built from a source file the patch adds? */
bool added_object(struct create *c, const char *obj)
{
	static const char *const exts[] = { ".c", ".S" };
	size_t len = strlen(obj) - 2;
	bool added = false;
	unsigned int i;

	for (i = 0; i < 2 && !added; i++) {
		char *a = xasprintf("%s/%.*s%s", c->pre, (int)len, obj, exts[i]);
		char *b = xasprintf("%s/%.*s%s", c->post, (int)len, obj, exts[i]);

		added = !is_file(a) && is_file(b);
		free(a);
		free(b);
	}
	return added;
}

/* The pre side of an added object: an object of nothing. */
void empty_object(struct create *c, const char *obj)
{
	char *path = xasprintf("%s/%s", c->pre, obj);
	char *dir = xstrdup(path), *log = xasprintf("%s/build-pre.log", c->work);
	char *mkdir_argv[] = { "mkdir", "-p", dir, NULL };
	char *cc_argv[] = { c->cc, "-c", "-x", "c", "/dev/null", "-o", path,
			    NULL };

	*strrchr(dir, '/') = '\0';
	if (run(NULL, NULL, mkdir_argv) || run(NULL, log, cc_argv))
		die(EXIT_ENV, "cannot compile an empty object for %s (see %s)",
		    obj, log);
	free(log);
	free(dir);
	free(path);
}
