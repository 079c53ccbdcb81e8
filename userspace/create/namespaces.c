// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: symbol namespaces.  A symbol exported into a namespace
 * (EXPORT_SYMBOL_NS_GPL(usb_stor_ctrl_transfer, USB_STORAGE)) may be
 * used only by a module that imports the namespace, and modpost refuses
 * any other.  The target module imports what its code uses; the update
 * module carries that code, so it must import the same: every namespace
 * of every symbol its objects leave undefined, as the kernel's
 * Module.symvers records them.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"

struct ns_export {
	char *symbol;
	char *ns;
};

struct ns_table {
	struct ns_export *v;
	size_t n, cap;
};

static int ns_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ns_export *)a)->symbol,
		      ((const struct ns_export *)b)->symbol);
}

/* Module.symvers: crc, symbol, module, export type, namespace (tabs). */
static void ns_read_symvers(struct ns_table *t, const char *path)
{
	char *text = read_file(path, NULL), *line, *save = NULL;

	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[5] = { NULL }, *p = line;
		unsigned int i;

		for (i = 0; i < 5 && p; i++) {
			f[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (!f[4] || !*f[4] || !f[1] || !*f[1])
			continue;
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 256;
			t->v = xrealloc(t->v, t->cap, sizeof(*t->v));
		}
		t->v[t->n].symbol = xstrdup(f[1]);
		t->v[t->n].ns = xstrdup(f[4]);
		t->n++;
	}
	free(text);
}

static const char *ns_of(const struct ns_table *t, const char *symbol)
{
	struct ns_export key = { .symbol = (char *)symbol }, *e;

	e = bsearch(&key, t->v, t->n, sizeof(*t->v), ns_cmp);
	return e ? e->ns : NULL;
}

/* Add @ns to @seen (a NULL-terminated list) unless it is there. */
static bool ns_add(char ***seen, unsigned int *n, const char *ns)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*seen)[i], ns))
			return false;
	*seen = xrealloc(*seen, *n + 1, sizeof(**seen));
	(*seen)[(*n)++] = xstrdup(ns);
	return true;
}

struct ns_scan {
	const struct ns_table *t;
	char ***seen;
	unsigned int *n;
};

static void ns_add_use(const char *name, void *arg)
{
	struct ns_scan *sc = arg;
	const char *ns = ns_of(sc->t, name);

	if (ns)
		ns_add(sc->seen, sc->n, ns);
}

/* The namespaces of the symbols @object leaves undefined. */
static void ns_scan_object(const struct ns_table *t, const char *object,
			   char ***seen, unsigned int *n)
{
	struct ns_scan sc = { .t = t, .seen = seen, .n = n };

	for_each_undefined(object, ns_add_use, &sc);
}

/*
 * Write MODULE_IMPORT_NS() to @glue for every namespace the update's
 * @objects use, looked up in the Module.symvers of @kdir and of the
 * prepared tree (which has its own when it was built in full).
 */
void write_namespace_imports(FILE *glue, const struct create *c,
			     char *const *objects, unsigned int nr)
{
	struct ns_table t = { 0 };
	char *path, **seen = NULL;
	unsigned int i, n = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		die(EXIT_ENV, "libelf is too old");
	path = xasprintf("%s/Module.symvers", c->kdir);
	ns_read_symvers(&t, path);
	free(path);
	if (c->tree) {
		path = xasprintf("%s/Module.symvers", c->tree);
		ns_read_symvers(&t, path);
		free(path);
	}
	qsort(t.v, t.n, sizeof(*t.v), ns_cmp);
	for (i = 0; i < nr; i++)
		ns_scan_object(&t, objects[i], &seen, &n);
	for (i = 0; i < n; i++) {
		step("  the new code uses symbols of namespace %s: importing it",
		     seen[i]);
		fprintf(glue, "MODULE_IMPORT_NS(%s);\n", seen[i]);
		free(seen[i]);
	}
	free(seen);
	for (i = 0; i < t.n; i++) {
		free(t.v[i].symbol);
		free(t.v[i].ns);
	}
	free(t.v);
}
