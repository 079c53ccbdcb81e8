// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: what runs keep beside a prepared tree.
 *
 * A prepared tree never changes, so what runs read from it again and
 * again is kept beside it, trees/.NAME-<release>: kbuild's object map
 * (objmap.c), the tree's file list and #include lines (includers.c; a
 * built tree's apart), kbuild's environment for single objects
 * (kbenv.c) and for the update module (updmake.c), the list of the
 * preparation's outputs (below; unshare.c copies them, kbenv.c reads
 * their kbuild records).  A tree of the user's own is read anew each
 * run.  A tree prepared anew, perhaps by another compiler, starts
 * without any of it.
 */
#include <stdio.h>
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

/*
 * The files the preparation generated (every file modified after the
 * tree was unpacked, i.e. newer than its top-level Makefile, and in a
 * tree ksplice-create prepared, before .ksplice-complete), NUL-separated:
 * the path of their list, kept beside a prepared tree, else in
 * <work>/prepared-outputs.
 */
char *prepared_outputs(struct create *c)
{
	char *kept = tree_kept(c, "outputs");
	char *list = kept ? kept : xasprintf("%s/prepared-outputs", c->work);
	char *tmp = xasprintf("%s.tmp%d", list, (int)getpid());
	char *complete = xasprintf("%s/.ksplice-complete", c->tree);
	char *qt, *ql, *cmd;

	if (is_file(list))
		goto out;
	qt = shell_quote(c->tree);
	ql = shell_quote(tmp);
	cmd = xasprintf("cd %s && find . -type f -newer Makefile%s "
			"! -name '.ksplice-*' -print0 > %s", qt,
			is_file(complete) ? " ! -newer .ksplice-complete" : "",
			ql);
	/* renamed into place: a run beside this one may list the same */
	if (run_sh(NULL, cmd) || rename(tmp, list)) {
		unlink(tmp);
		die(EXIT_ENV, "cannot list the generated files of %s", c->tree);
	}
	free(cmd);
	free(ql);
	free(qt);
out:
	free(complete);
	free(tmp);
	return list;
}
