// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: what runs keep beside a prepared tree.
 *
 * A prepared tree never changes, so what runs read from it again and
 * again is kept beside it, trees/.NAME-<release>: kbuild's object map
 * (objmap.c), the tree's file list and #include lines (includers.c; a
 * built tree's apart), kbuild's environment for single objects
 * (kbenv.c) and for the update module (updmake.c), the list of the
 * preparation's outputs (unshare.c).  A tree of the user's own is read
 * anew each run.  A tree prepared anew, perhaps by another compiler,
 * starts without any of it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"

static const char *const kept_names[] = { "objmap", "kbenv", "kbenv-update",
					  "outputs", "files", "files-built",
					  "includes", "includes-built", NULL };

/* trees/.NAME-<release>, or NULL. */
char *tree_kept(const struct create *c, const char *name)
{
	const char *slash = c->tree ? strrchr(c->tree, '/') : NULL;

	/* none beside a tree of the user's, nor for an out-of-tree module */
	if (c->source || !slash)
		return NULL;
	return xasprintf("%.*s/.%s-%s", (int)(slash - c->tree), c->tree,
			 name, slash + 1);
}

/* Before @release's tree is prepared in @root/trees again. */
void tree_forget_kept(const char *root, const char *release)
{
	unsigned int i;

	for (i = 0; kept_names[i]; i++) {
		char *p = xasprintf("%s/trees/.%s-%s", root, kept_names[i],
				    release);

		unlink(p);
		free(p);
	}
}
