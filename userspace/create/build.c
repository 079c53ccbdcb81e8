// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: build the target's pre and post objects with kbuild,
 * each function and data object in its own section, and find the
 * objects the patches can have changed (from kbuild's dependency files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "create.h"

/*
 * Every function and data object in a section of its own; and __FILE__
 * (WARN, pr_debug) naming the original source in both trees, so that
 * pre and post strings compare equal.
 */
char *kbuild_flags(struct create *c, const char *dir)
{
	const char *user = getenv("KCFLAGS");

	/* -I: <ksplice/patch.h> for a patch's hooks and shadow variables */
	return xasprintf("KCFLAGS=-ffunction-sections -fdata-sections "
			 "-I%s -fmacro-prefix-map=%s=%s%s%s", c->incdir, dir,
			 c->source,
			 user && *user ? " " : "", user && *user ? user : "");
}

/* make -C KDIR M=DIR [targets...], output to LOG. */
static int kbuild(struct create *c, const char *dir, const char *log,
		  char **targets, unsigned int n)
{
	char *argv[16 + 256];
	char *mflag = xasprintf("M=%s", dir), *jflag = xasprintf("-j%u", c->jobs);
	char *kflags = kbuild_flags(c, dir), *ccflag = NULL;
	unsigned int a = 0, i;
	int ret;

	argv[a++] = "make";
	argv[a++] = "-C";
	argv[a++] = (char *)c->kdir;
	argv[a++] = mflag;
	argv[a++] = jflag;
	argv[a++] = kflags;
	if (getenv("CC") && *getenv("CC"))
		argv[a++] = ccflag = xasprintf("CC=%s", c->cc);
	for (i = 0; i < n && i < 256; i++)
		argv[a++] = targets[i];
	if (!n)
		argv[a++] = "modules";
	argv[a] = NULL;
	ret = run(NULL, log, argv);
	free(mflag);
	free(jflag);
	free(kflags);
	free(ccflag);
	return ret;
}

void build_pre(struct create *c)
{
	char *log = xasprintf("%s/build-pre.log", c->work);

	step("building the unpatched source (log: %s)", log);
	if (kbuild(c, c->pre, log, NULL, 0)) {
		print_log_tail(log, 25);
		die(EXIT_REFUSED, "the unpatched source does not build");
	}
	free(log);
}

static char **lines_of(const char *path, unsigned int *n)
{
	char *text = read_file(path, NULL), *line, *save = NULL;
	char **out = NULL;

	*n = 0;
	if (!text)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		out = xrealloc(out, *n + 1, sizeof(char *));
		out[(*n)++] = xstrdup(line);
	}
	free(text);
	return out;
}

/* Does the kbuild .cmd file of @obj name @file as its source or a dep? */
static bool depends_on(const char *obj, const char *file)
{
	char *slash = strrchr(obj, '/');
	char *cmd = xasprintf("%.*s/.%s.cmd", (int)(slash - obj), obj, slash + 1);
	char *text = read_file(cmd, NULL);
	bool found = text && names_path(text, file);

	free(text);
	free(cmd);
	return found;
}

static bool is_build_file(const char *rel)
{
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;

	return !strcmp(base, "Kbuild") || !strcmp(base, "Makefile") ||
	       !strcmp(base, "Kconfig") || strstr(base, ".mk");
}

static char *module_name(const char *ko)
{
	const char *base = strrchr(ko, '/') ? strrchr(ko, '/') + 1 : ko;
	char *name = xstrdup(base), *p;

	if (strlen(name) > 3 && !strcmp(name + strlen(name) - 3, ".ko"))
		name[strlen(name) - 3] = '\0';
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

/*
 * The objects of every module of the pre build whose source or headers
 * the patches touch.  A touched Kbuild/Makefile makes every object a
 * candidate.
 */
struct cobject *find_objects(struct create *c, unsigned int *nr)
{
	char *order = xasprintf("%s/modules.order", c->pre);
	unsigned int nmods, m, i, t;
	char **mods = lines_of(order, &nmods);
	struct cobject *objs = NULL;
	bool all = false;

	if (!nmods)
		die(EXIT_REFUSED, "%s builds no module", c->source);
	for (t = 0; t < c->nr_touched; t++) {
		const char *f = c->touched[t];
		char *inpre = xasprintf("%s/%s", c->pre, f);
		size_t len = strlen(f);

		all |= is_build_file(f);
		if (!is_file(inpre) && len > 2 &&
		    (!strcmp(f + len - 2, ".c") || !strcmp(f + len - 2, ".S")))
			die(EXIT_REFUSED, "%s is a new source file: an update "
			    "of an out-of-tree module cannot add objects to it "
			    "(put the code into an existing file)", f);
		free(inpre);
	}
	*nr = 0;
	for (m = 0; m < nmods; m++) {
		char *ko = mods[m][0] == '/' ? xstrdup(mods[m]) :
			   xasprintf("%s/%s", c->pre, mods[m]);
		char *mod = xasprintf("%.*s.mod", (int)strlen(ko) - 3, ko);
		unsigned int nobj;
		char **obj = lines_of(mod, &nobj);

		for (i = 0; i < nobj; i++) {
			char *abs = obj[i][0] == '/' ? xstrdup(obj[i]) :
				    xasprintf("%s/%s", c->pre, obj[i]);
			bool hit = all;

			for (t = 0; t < c->nr_touched && !hit; t++) {
				char *f = xasprintf("%s/%s", c->pre, c->touched[t]);

				hit = depends_on(abs, f);
				free(f);
			}
			if (hit && !strncmp(abs, c->pre, strlen(c->pre))) {
				objs = xrealloc(objs, *nr + 1, sizeof(*objs));
				objs[*nr].rel = xstrdup(abs + strlen(c->pre) + 1);
				objs[*nr].module = module_name(ko);
				objs[*nr].tag = xasprintf("o%u", *nr + 1);
				(*nr)++;
			}
			free(abs);
			free(obj[i]);
		}
		free(obj);
		free(mod);
		free(ko);
		free(mods[m]);
	}
	free(mods);
	free(order);
	if (!*nr)
		die(EXIT_REFUSED, "no functional change: the patches touch no "
		    "file the modules are built from");
	return objs;
}

void build_post(struct create *c, struct cobject *objs, unsigned int n)
{
	char *log = xasprintf("%s/build-post.log", c->work);
	char **targets = xrealloc(NULL, n, sizeof(char *));
	unsigned int i;

	for (i = 0; i < n; i++)
		targets[i] = objs[i].rel;
	step("building %u changed object%s of the patched source (log: %s)",
	     n, n == 1 ? "" : "s", log);
	if (kbuild(c, c->post, log, targets, n)) {
		step("single-object build failed; building all modules");
		if (kbuild(c, c->post, log, NULL, 0)) {
			print_log_tail(log, 25);
			die(EXIT_REFUSED, "the patched source does not build");
		}
	}
	for (i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", c->post, objs[i].rel);

		if (!is_file(p))
			die(EXIT_REFUSED, "%s was not built from the patched "
			    "source", objs[i].rel);
		free(p);
	}
	free(targets);
	free(log);
}
