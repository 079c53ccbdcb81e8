// SPDX-License-Identifier: GPL-2.0
/*
 * The object map of a kernel tree: every object kbuild builds under the
 * tree's .config and what it is linked into, vmlinux or which module,
 * with the makefiles each directory reads.  kbuild answers, not a reading
 * of Makefiles: its own walk of the tree (walk.c) prints what
 * Makefile.build and Makefile.lib computed in each directory.  Relative
 * includes (virt/kvm/Makefile.kvm from arch/x86/kvm/Makefile), paths
 * built from variables (amdgpu's), composite objects, subdir- and
 * obj-$(CONFIG_X) += dir/ all resolve as in a real build.  Its modules
 * are exactly those of the image's modules.order
 * (testsuite/tests/create-objmap.sh checks).  The whole tree costs about
 * 45 s on 2 CPUs; the map of a prepared Debian tree is kept beside it
 * (trees/.objmap-<release>).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"

struct mapent {
	char *obj;		/* "virt/kvm/kvm_main.o" */
	char *target;		/* "vmlinux" or the module's lsmod name */
	char *ko;		/* "arch/x86/kvm/kvm.ko", or NULL */
	char *dir;		/* the directory whose Makefile lists it */
};

struct mapdir {
	char *dir;
	char **mk;		/* makefiles kbuild reads there */
	unsigned int nmk;
	char **other;		/* objects it builds for neither (vDSO, */
	unsigned int nother;	/* boot code, host and user programs) */
};

static struct mapent *ents;
static unsigned int nents;
static struct mapdir *dirs;
static unsigned int ndirs;
static char **topmk;		/* read by the top level: every object */
static unsigned int ntopmk;

void add_cand(struct cand **v, unsigned int *n, const char *obj,
	      const char *target)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].obj, obj) && !strcmp((*v)[i].target, target))
			return;
	*v = xrealloc(*v, *n + 1, sizeof(**v));
	(*v)[*n].obj = xstrdup(obj);
	(*v)[*n].target = xstrdup(target);
	(*n)++;
}

void free_cands(struct cand *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		free(v[i].obj);
		free(v[i].target);
	}
	free(v);
}

static char *module_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *name = xstrdup(base), *p;

	for (p = name; *p; p++)	/* as lsmod shows it */
		if (*p == '-')
			*p = '_';
	return name;
}

static void add_ent(const char *obj, const char *target, const char *ko,
		    const char *dir)
{
	struct mapent *e;

	ents = xrealloc(ents, nents + 1, sizeof(*ents));
	e = &ents[nents++];
	e->obj = path_normalize(obj);
	e->target = xstrdup(target);
	e->ko = ko ? xstrdup(ko) : NULL;
	e->dir = xstrdup(dir);
}

static void push_norm(char ***v, unsigned int *n, const char *s)
{
	*v = xrealloc(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = path_normalize(s);
}

static void parse_line(char *line)
{
	char *save = NULL, *kind = strtok_r(line, " ", &save);
	char *first = strtok_r(NULL, " ", &save), *w;
	char *target = NULL, *ko = NULL, *dir = NULL;
	struct mapdir *d = NULL;

	if (!kind || !first)
		return;
	switch (kind[0]) {
	case 'T':
		push_norm(&topmk, &ntopmk, first);
		break;
	case 'F':
		dirs = xrealloc(dirs, ndirs + 1, sizeof(*dirs));
		d = &dirs[ndirs++];
		memset(d, 0, sizeof(*d));
		d->dir = path_normalize(first);
		break;
	case 'X':	/* follows its directory's F line */
		if (!ndirs)
			return;
		d = &dirs[ndirs - 1];
		break;
	case 'Y':
		target = xstrdup("vmlinux");
		dir = path_normalize(first);
		break;
	case 'M':
		target = module_name(first);
		ko = xasprintf("%s.ko", first);
		dir = strrchr(first, '/') ? strndup(first, strrchr(first, '/') -
						    first) : xstrdup(".");
		break;
	default:
		return;
	}
	while ((w = strtok_r(NULL, " ", &save))) {
		if (kind[0] == 'T')
			push_norm(&topmk, &ntopmk, w);
		else if (d && kind[0] == 'X')
			push_norm(&d->other, &d->nother, w);
		else if (d)
			push_norm(&d->mk, &d->nmk, w);
		else
			add_ent(w, target, ko, dir);
	}
	free(target);
	free(ko);
	free(dir);
}

static int ent_cmp(const void *a, const void *b)
{
	const struct mapent *x = a, *y = b;

	return strcmp(x->obj, y->obj);
}

static char *map_path;		/* the unpatched tree's map */

/*
 * Load the tree's map, asking kbuild first if no map is kept, or if the
 * kept one is older than the "P" lines walk_patched() reads.
 */
void objmap_load(struct create *c)
{
	char *path, *text, *line, *save = NULL;

	if (ents)
		return;
	path = tree_kept(c, "objmap");
	if (!path)
		path = xasprintf("%s/objmap", c->work);
	text = read_file(path, NULL);
	if (!text || !strstr(text, "\nP ")) {
		free(text);
		walk_tree(c, c->tree, path);
		text = read_file(path, NULL);
	}
	if (!text)
		die(EXIT_ENV, "cannot read %s", path);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		parse_line(line);
	if (!nents || !ntopmk)
		die(EXIT_ENV, "%s: kbuild's walk found no objects", path);
	qsort(ents, nents, sizeof(*ents), ent_cmp);
	free(text);
	map_path = path;
}

/* The running objects @obj is linked into: how many (0: not built). */
unsigned int objmap_targets(const char *obj, struct cand **v, unsigned int *n)
{
	struct mapent key = { .obj = (char *)obj }, *e;
	unsigned int found = 0;

	e = bsearch(&key, ents, nents, sizeof(*ents), ent_cmp);
	if (!e)
		return 0;
	while (e > ents && !strcmp(e[-1].obj, obj))
		e--;
	for (; e < ents + nents && !strcmp(e->obj, obj); e++, found++)
		add_cand(v, n, e->obj, e->target);
	return found;
}

/*
 * @obj as the makefile listing it names it, for "make <target>": kbuild
 * builds a single object while descending to that makefile's directory,
 * with its flags, so amdgpu's "../display/dc/bios/bios_parser.o" must
 * be asked for through drivers/gpu/drm/amd/amdgpu/.  Unknown objects
 * and those inside their directory are returned as they are.
 */
char *objmap_make_target(const char *obj)
{
	struct mapent key = { .obj = (char *)obj }, *e;
	size_t common = 0, i;
	char *up = xstrdup(""), *t;

	e = ents ? bsearch(&key, ents, nents, sizeof(*ents), ent_cmp) : NULL;
	if (!e || !e->dir || !strcmp(e->dir, ".") ||
	    (!strncmp(obj, e->dir, strlen(e->dir)) &&
	     obj[strlen(e->dir)] == '/'))
		return xstrdup(obj);
	for (i = 0; e->dir[i] && e->dir[i] == obj[i]; i++)
		if (e->dir[i] == '/')
			common = i + 1;
	for (i = common; e->dir[i]; i++)
		if (i == common || e->dir[i] == '/') {
			t = xasprintf("%s../", up);
			free(up);
			up = t;
		}
	t = xasprintf("%s/%s%s", e->dir, up, obj + common);
	free(up);
	return t;
}

static bool listed(char **v, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/*
 * A makefile the patch changes: -1 if the top level reads it (it may
 * change how every object is built), else the number of directories
 * whose build reads it; their objects are added to @v.
 */
int objmap_makefile(const char *file, struct cand **v, unsigned int *n)
{
	unsigned int i, j;
	int users = 0;

	if (listed(topmk, ntopmk, file) || !strncmp(file, "scripts/", 8))
		return -1;
	for (i = 0; i < ndirs; i++) {
		if (!listed(dirs[i].mk, dirs[i].nmk, file))
			continue;
		users++;
		for (j = 0; j < nents; j++)
			if (!strcmp(ents[j].dir, dirs[i].dir))
				add_cand(v, n, ents[j].obj, ents[j].target);
	}
	return users;
}

/* Does kbuild's walk of this configuration read @dir's Makefile? */
bool objmap_visits(const char *dir)
{
	unsigned int i;

	for (i = 0; i < ndirs; i++)
		if (!strcmp(dirs[i].dir, dir))
			return true;
	return false;
}

/*
 * Might a makefile kbuild reads build @obj of a directory it never
 * visits?  Every object a read makefile lists, however it composes the
 * path, is in the map already; what is left is a rule of its own naming
 * the file by a path, ".../name.c" or ".../name.o": search the makefiles
 * of this configuration for "/name" followed by its suffix.
 */
/*
 * Does the path ending at @slash in @text name directory @parent before
 * it ("qce/common.o"), or a variable that may ("$(QCE)/common.o")?
 * "eventlog/common.o" names another file.
 */
static bool names_dir(const char *text, const char *slash, const char *parent,
		      bool own_dir)
{
	size_t n = strlen(parent);

	/* $(obj) and $(src) are the makefile's own directory */
	if (slash - text >= 6 && (!strncmp(slash - 6, "$(obj)", 6) ||
				  !strncmp(slash - 6, "$(src)", 6)))
		return own_dir;
	if (slash > text && (slash[-1] == ')' || slash[-1] == '}'))
		return true;
	return slash - text >= (long)n && !strncmp(slash - n, parent, n) &&
	       (slash - text == (long)n || !(isalnum((unsigned char)slash[-n - 1]) ||
					      strchr("_-.", slash[-n - 1])));
}

bool objmap_named(struct create *c, const char *obj)
{
	const char *base = strrchr(obj, '/') ? strrchr(obj, '/') + 1 : obj;
	char *parent = base > obj ? xasprintf("%.*s", (int)(base - obj - 1),
					      obj) : xstrdup("");
	const char *pname = strrchr(parent, '/') ? strrchr(parent, '/') + 1 :
			    parent;
	char *stem = xasprintf("%.*s", (int)strcspn(base, "."), base);
	size_t len = strlen(stem);
	char **seen = NULL;
	unsigned int nseen = 0, i, j;
	bool named = false;

	for (i = 0; i < ndirs && !named; i++) {
		for (j = 0; j < dirs[i].nmk && !named; j++) {
			const char *mk = dirs[i].mk[j];
			char *path, *text, *p;

			if (listed(seen, nseen, mk))
				continue;
			seen = xrealloc(seen, nseen + 1, sizeof(*seen));
			seen[nseen++] = xstrdup(mk);
			path = xasprintf("%s/%s", c->tree, mk);
			text = read_file(path, NULL);
			for (p = text; p && (p = strstr(p, stem)); p++) {
				if (p > text && p[-1] == '/' && p[len] == '.' &&
				    names_dir(text, p - 1, pname,
					      !strncmp(mk, parent, strlen(parent)) &&
					      mk[strlen(parent)] == '/' &&
					      !strchr(mk + strlen(parent) + 1, '/'))) {
					named = true;
					break;
				}
			}
			free(text);
			free(path);
		}
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	free(stem);
	free(parent);
	return named;
}

/* Does kbuild build @obj for something but vmlinux and modules? */
bool objmap_other(const char *obj)
{
	unsigned int i;

	for (i = 0; i < ndirs; i++)
		if (listed(dirs[i].other, dirs[i].nother, obj))
			return true;
	return false;
}

/*
 * What the patched tree links @obj, the object of a source file the
 * patch adds, into: "vmlinux", a module's name, or NULL if kbuild's walk
 * of the patched tree (its makefiles as the patch leaves them) builds it
 * into neither.  The walk runs once, into the work directory, after
 * objmap_load().
 */
char *objmap_new_object(struct create *c, const char *obj)
{
	char *path = xasprintf("%s/objmap-post", c->work), *text;
	char *line, *save = NULL, *target = NULL;

	if (!is_file(path))
		walk_patched(c, map_path, path);
	text = read_file(path, NULL);
	if (!text)
		die(EXIT_ENV, "cannot read %s", path);
	for (line = strtok_r(text, "\n", &save); line && !target;
	     line = strtok_r(NULL, "\n", &save)) {
		char *s2 = NULL, *kind = strtok_r(line, " ", &s2);
		char *first = strtok_r(NULL, " ", &s2), *w;

		if (!kind || !first || (strcmp(kind, "Y") && strcmp(kind, "M")))
			continue;
		while ((w = strtok_r(NULL, " ", &s2)) && !target) {
			char *norm = path_normalize(w);

			if (!strcmp(norm, obj))
				target = kind[0] == 'Y' ? xstrdup("vmlinux") :
					 module_name(first);
			free(norm);
		}
	}
	free(text);
	free(path);
	return target;
}

unsigned int objmap_size(void)
{
	return nents;
}

/* --list-objects without a patch: "object vmlinux" or "object dir/x.ko". */
void objmap_print(FILE *f)
{
	unsigned int i;

	for (i = 0; i < nents; i++)
		fprintf(f, "%s %s\n", ents[i].obj,
			ents[i].ko ? ents[i].ko : ents[i].target);
}
