// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the two source trees.  pre is a copy of the target's
 * source, post a copy with the patches applied; the patches name the
 * files they touch, which tells which objects to compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "create.h"

static void copy_tree(const char *from, const char *to)
{
	char *src = xasprintf("%s/.", from);
	char *argv[] = { "cp", "-a", src, (char *)to, NULL };
	char *mk[] = { "mkdir", "-p", (char *)to, NULL };

	if (run(NULL, NULL, mk) || run(NULL, NULL, argv))
		die(EXIT_ENV, "cannot copy %s to %s", from, to);
	free(src);
}

static void add_touched(struct create *c, const char *path)
{
	unsigned int i;

	for (i = 0; i < c->nr_touched; i++)
		if (!strcmp(c->touched[i], path))
			return;
	c->touched = xrealloc(c->touched, c->nr_touched + 1, sizeof(char *));
	c->touched[c->nr_touched++] = xstrdup(path);
}

/* "+++ b/dir/file.c<TAB>date" -> "dir/file.c" (as patch -p1 reads it) */
static void touched_from_line(struct create *c, const char *line)
{
	char *path = xstrdup(line + 4), *slash;

	path[strcspn(path, "\t\n")] = '\0';
	if (path[0] == '"' || !strcmp(path, "/dev/null")) {
		free(path);
		return;
	}
	slash = strchr(path, '/');
	if (slash && slash[1])
		add_touched(c, slash + 1);
	free(path);
}

void read_touched(struct create *c, const char *patchfile)
{
	char *text = read_file(patchfile, NULL), *line, *save = NULL;

	if (!text)
		die(EXIT_REFUSED, "cannot read %s", patchfile);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "+++ ", 4) || !strncmp(line, "--- ", 4))
			touched_from_line(c, line);
	free(text);
}

static void apply_patch(struct create *c, const char *patchfile)
{
	char *log = xasprintf("%s/patch.log", c->work);
	char *dry[] = { "patch", "-p1", "--batch", "--forward", "--dry-run",
			"-d", c->post, "-i", (char *)patchfile, NULL };
	char *real[] = { "patch", "-p1", "--batch", "--forward", "--silent",
			 "-d", c->post, "-i", (char *)patchfile, NULL };

	step("applying %s", patchfile);
	if (run(NULL, log, dry)) {
		print_log_tail(log, 20);
		die(EXIT_REFUSED, "patch does not apply: %s", patchfile);
	}
	if (run(NULL, log, real))
		die(EXIT_REFUSED, "patch does not apply: %s", patchfile);
	free(log);
}

/*
 * Give @path a file of its own before it is patched: in a copy of the
 * prepared tree it is a hard link to the tree's file.
 */
static void break_link(const char *path)
{
	char *tmp = xasprintf("%s.ksplice-tmp", path);
	size_t len;
	char *data = read_file(path, &len);
	FILE *f;

	if (!data)
		return;		/* a file the patch creates */
	f = fopen(tmp, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) ||
	    rename(tmp, path))
		die(EXIT_ENV, "cannot write %s", path);
	free(data);
	free(tmp);
}

/*
 * A patch may add hooks and shadow variables (#include <ksplice/patch.h>):
 * each work copy gets ksplice's headers in its include/, as new files of
 * the copy (never links into the prepared tree), so that kbuild's own
 * -I include finds them without a flag that would change every object's
 * command line.
 */
static void add_ksplice_headers(struct create *c, const char *copy)
{
	char *from, *to;
	char *argv[] = { "cp", "-r", NULL, NULL, NULL };

	if (!c->incdir)		/* --list-objects: nothing is compiled */
		return;
	from = xasprintf("%s/ksplice", c->incdir);
	to = xasprintf("%s/include/ksplice", copy);
	argv[2] = from;
	argv[3] = to;
	if (is_dir(to))
		die(EXIT_REFUSED, "the kernel tree has its own include/ksplice/");
	if (run(NULL, NULL, argv))
		die(EXIT_ENV, "cannot copy %s to %s", from, to);
	free(from);
	free(to);
}

static void apply_patches(struct create *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_touched; i++) {
		char *p = xasprintf("%s/%s", c->post, c->touched[i]);

		break_link(p);
		free(p);
	}
	for (i = 0; i < c->nr_patches; i++)
		apply_patch(c, c->patches[i]);
}

void prepare_sources(struct create *c)
{
	double t = now();
	unsigned int i;

	for (i = 0; i < c->nr_patches; i++)
		read_touched(c, c->patches[i]);
	if (!c->nr_touched)
		die(EXIT_REFUSED, "the patches change no file");
	if (c->tree_mode) {
		int pre, post;

		step("copying the prepared tree to %s (links)", c->work);
		stamp_work(c);
		pre = copy_tree_work(c, c->pre);
		post = copy_tree_work(c, c->post);
		if (wait_run(pre) || wait_run(post))
			die(EXIT_ENV, "cannot copy %s with hard links (the work "
			    "directory must be on its file system)", c->tree);
		for (i = 0; i < c->nr_touched; i++) {
			materialize(c, c->pre, c->touched[i]);
			materialize(c, c->post, c->touched[i]);
		}
		unshare_outputs(c, c->pre);
		unshare_outputs(c, c->post);
		add_ksplice_headers(c, c->pre);
		add_ksplice_headers(c, c->post);
		step("  %.1f s", now() - t);
	} else {
		step("copying %s to %s", c->source, c->work);
		copy_tree(c->source, c->pre);
		copy_tree(c->source, c->post);
	}
	apply_patches(c);
}
