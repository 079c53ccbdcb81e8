// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: symbol versions.  With CONFIG_MODVERSIONS an exported
 * symbol's version is a CRC that genksyms computes from every type its
 * declaration reaches; kbuild keeps an object's in its .cmd record
 * ("#SYMVER get_device 0x62c2ce88") and the release's Module.symvers
 * holds the running kernel's.  When the patched source gives an export
 * another version, the types its users see may not be the running
 * kernel's (a struct changed, or a header made one visible): the modules
 * loaded were built against the old ones, new code that calls it would
 * be versioned against types that do not run, and an update cannot
 * change either.  In a kernel tree, genksyms says which types changed
 * (symtypes.c): structs whose layout the debug info proved the same
 * leave every byte where it was, and the running version stands.  Any
 * other change is refused, naming each symbol and the type, first those
 * the update's own objects call.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"
#include "strmap.h"
#include "symtypes.h"

/* How many disagreeing symbols not used by the update to name. */
#define SV_SHOW_UNUSED 8

/* Module.symvers: crc, symbol, module, export type, namespace (tabs). */
static void sv_read_symvers(struct strmap *t, const char *path)
{
	char *text = read_file(path, NULL), *line, *save = NULL;

	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), *end;

		if (!tab)
			continue;
		*tab = '\0';
		end = strchr(tab + 1, '\t');
		if (end)
			*end = '\0';
		strmap_add(t, tab + 1, line);
	}
	free(text);
	strmap_sort(t);
}

/* The "#SYMVER name crc" lines of the .cmd record of @dir/@rel. */
static void sv_read_cmd(struct strmap *t, const char *dir, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	char *path = slash ?
		xasprintf("%s/%.*s/.%s.cmd", dir, (int)(slash - rel), rel, slash + 1) :
		xasprintf("%s/.%s.cmd", dir, rel);
	char *text = read_file(path, NULL), *line, *save = NULL;

	free(path);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[512], crc[32];

		if (!strncmp(line, "#SYMVER ", 8) &&
		    sscanf(line + 8, "%511s %31s", name, crc) == 2)
			strmap_add(t, name, crc);
	}
	free(text);
	strmap_sort(t);
}

struct sv_use {
	struct strmap *t;
	const char *rel;
};

static void sv_add_use(const char *name, void *arg)
{
	struct sv_use *u = arg;

	strmap_add(u->t, name, u->rel);
}

/* The symbols @object leaves undefined, into @t (crc: the object). */
static void sv_read_undefined(struct strmap *t, const char *object,
			      const char *rel)
{
	struct sv_use u = { .t = t, .rel = rel };

	for_each_undefined(object, sv_add_use, &u);
}

/* One export whose version the patch changes. */
struct sv_change {
	unsigned int obj;		/* index into the objects */
	char *symbol, *crc, *old;	/* after the patch; running (or pre) */
	bool kernel;			/* @old is the running kernel's */
	char *user;			/* an update object that calls it */
	char *why;			/* what genksyms saw change */
};

struct sv_changes {
	struct sv_change *v;
	unsigned int n;
};

static void sv_change_add(struct sv_changes *l, unsigned int obj,
			  const char *symbol, const char *crc,
			  const char *old, bool kernel, const char *user)
{
	struct sv_change *ch;

	l->v = xrealloc(l->v, l->n + 1, sizeof(*l->v));
	ch = &l->v[l->n++];
	ch->obj = obj;
	ch->symbol = xstrdup(symbol);
	ch->crc = xstrdup(crc);
	ch->old = xstrdup(old);
	ch->kernel = kernel;
	ch->user = user ? xstrdup(user) : NULL;
	ch->why = NULL;
}

static void sv_change_free(struct sv_change *ch)
{
	free(ch->symbol);
	free(ch->crc);
	free(ch->old);
	free(ch->user);
	free(ch->why);
}

static void sv_changes_free(struct sv_changes *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		sv_change_free(&l->v[i]);
	free(l->v);
}

/*
 * The exports of @objs to which the patch gives another version than the
 * running kernel's (or, for a symbol the release's Module.symvers does
 * not list, than the unpatched source's), those the update's own objects
 * call first.  A version the unpatched source already disagreed on is not
 * the patch's doing: run-pre matching judges the code.
 */
static void find_changes(const struct create *c, const struct cobject *objs,
			 unsigned int n, struct sv_changes *l)
{
	struct strmap running = { 0 }, used = { 0 };
	unsigned int i, pass;
	char *path;

	path = xasprintf("%s/Module.symvers", c->kdir);
	sv_read_symvers(&running, path);
	free(path);
	for (i = 0; i < n; i++) {
		char *o = xasprintf("%s/%s", c->post, objs[i].rel);

		if (is_file(o))
			sv_read_undefined(&used, o, objs[i].rel);
		free(o);
	}
	strmap_sort(&used);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			struct strmap pre = { 0 }, post = { 0 };
			size_t k;

			sv_read_cmd(&pre, c->pre, objs[i].rel);
			sv_read_cmd(&post, c->post, objs[i].rel);
			for (k = 0; k < post.n; k++) {
				const char *sym = post.v[k].key;
				const char *now = strmap_find(&running, sym);
				const char *was = strmap_find(&pre, sym);
				const char *old = now ? now : was;
				const char *user = strmap_find(&used, sym);

				if (was && !strcmp(was, post.v[k].val))
					continue;
				if (!old || !strcmp(old, post.v[k].val) ||
				    !!user != !pass)
					continue;
				sv_change_add(l, i, sym, post.v[k].val, old,
					      now, user);
			}
			strmap_free(&pre);
			strmap_free(&post);
		}
	}
	strmap_free(&running);
	strmap_free(&used);
}

static char *symtypes_target(const char *rel)
{
	size_t len = strlen(rel);

	return xasprintf("%.*s.symtypes", (int)(len > 2 ? len - 2 : len), rel);
}

/* kbuild's @target (x.symtypes) in the copy @dir, parsed; NULL if none. */
static struct symtypes *read_symtypes(const char *dir, const char *target)
{
	char *path = xasprintf("%s/%s", dir, target);
	char *text = read_file(path, NULL);
	struct symtypes *t = text ? symtypes_parse(text) : NULL;

	free(text);
	free(path);
	return t;
}

static bool layout_proven(const char *label, void *arg)
{
	return layout_checks_has(arg, label);
}

/*
 * Ask genksyms, before and after the patch, what each changed version
 * reads (symtypes.c); drop the changes that only structs of proven
 * layout (check_layouts() ran first) explain.  The .symtypes files come
 * from kbuild, in the tree's copies, one pair an object, read once;
 * without them a change stays.
 */
static void explain_changes(struct create *c, const struct cobject *objs,
			    struct sv_changes *l)
{
	struct { char *target; struct symtypes *pre, *post; } *t;
	char **targets = xrealloc(NULL, l->n, sizeof(char *));
	char *prelog = xasprintf("%s/symtypes-pre.log", c->work);
	char *postlog = xasprintf("%s/symtypes-post.log", c->work);
	struct st_policy policy = {
		.proven = layout_proven, .arg = &c->layouts,
		.allow_retyped_callbacks = c->allow_retyped_callbacks,
	};
	unsigned int i, j, nt = 0, kept = 0, *of = xrealloc(NULL, l->n,
							    sizeof(*of));
	int pid;

	for (i = 0; i < l->n; i++) {
		char *target = symtypes_target(objs[l->v[i].obj].rel);

		for (j = 0; j < nt && strcmp(targets[j], target); j++)
			;
		if (j < nt)
			free(target);
		else
			targets[nt++] = target;
		of[i] = j;
	}
	step("asking genksyms what changes the versions of %u export%s "
	     "(logs: %s, %s)", l->n, l->n == 1 ? "" : "s", prelog, postlog);
	pid = tree_make(c, c->pre, prelog, targets, nt, 1, false);
	tree_make(c, c->post, postlog, targets, nt, 1, true);
	tree_make_wait(c, pid);
	t = xrealloc(NULL, nt, sizeof(*t));
	for (j = 0; j < nt; j++) {
		t[j].pre = read_symtypes(c->pre, targets[j]);
		t[j].post = read_symtypes(c->post, targets[j]);
	}
	for (i = 0; i < l->n; i++) {
		struct sv_change *ch = &l->v[i];
		const char *rel = objs[ch->obj].rel;
		char *note = NULL;

		ch->why = t[of[i]].pre && t[of[i]].post ?
			symtypes_explain(t[of[i]].pre, t[of[i]].post,
					 ch->symbol, &policy, &note) :
			xasprintf("kbuild wrote no symbol types for %s", rel);
		if (ch->why) {
			l->v[kept++] = *ch;
			continue;
		}
		step("  %s: %s: its version changes with the text of structs "
		     "whose layout stays the same: the running version is kept",
		     rel, ch->symbol);
		if (note)
			warn("%s: %s (--allow-retyped-callbacks: no out-of-tree "
			     "module uses it)", ch->symbol, note);
		free(note);
		sv_change_free(ch);
	}
	l->n = kept;
	for (j = 0; j < nt; j++) {
		symtypes_free(t[j].pre);
		symtypes_free(t[j].post);
		free(targets[j]);
	}
	free(t);
	free(of);
	free(targets);
	free(prelog);
	free(postlog);
}

/*
 * Refuse (exit 2) when the patch changes the version of an export of
 * @objs, unless genksyms shows that only structs whose layout stays the
 * same changed (tree mode: kbuild writes what genksyms read).
 */
void check_symbol_versions(struct create *c, const struct cobject *objs,
			   unsigned int n)
{
	struct sv_changes l = { 0 };
	unsigned int i, shown = 0, bad, retyped = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		die(EXIT_ENV, "libelf is too old");
	find_changes(c, objs, n, &l);
	if (l.n && c->tree_mode)
		explain_changes(c, objs, &l);
	for (i = 0; i < l.n; i++) {
		const struct sv_change *ch = &l.v[i];

		retyped += ch->why && strstr(ch->why, "--allow-retyped-callbacks");
		if (!ch->user && shown >= SV_SHOW_UNUSED)
			continue;
		shown++;
		fprintf(stderr, "  %s: refused: the symbol version of %s "
			"disagrees: %s after the patch, %s in %s%s%s%s%s%s\n",
			objs[ch->obj].rel, ch->symbol, ch->crc, ch->old,
			ch->kernel ? "the running kernel" : "the unpatched source",
			ch->why ? " (" : "", ch->why ? ch->why : "",
			ch->why ? ")" : "", ch->user ? "; called from " : "",
			ch->user ? ch->user : "");
	}
	bad = l.n;
	sv_changes_free(&l);
	if (bad > shown)
		fprintf(stderr, "  ... and %u more exported symbol%s whose "
			"version disagrees\n", bad - shown,
			bad - shown == 1 ? "" : "s");
	/* without genksyms' account, the likely cause */
	for (i = 0; bad && !c->tree_mode && i < c->layouts.n; i++)
		fprintf(stderr, "  hint: the patch changes the members of %s "
			"(%s; its layout stays the same), and genksyms reads "
			"the members of every struct an export's declaration "
			"reaches: keeping their declarations as they are keeps "
			"the versions\n", c->layouts.v[i].type,
			c->layouts.v[i].file);
	/* only the author's word stands in the way: say which */
	if (bad && retyped == bad)
		die(EXIT_REFUSED, "refused: the patch retypes callbacks that "
		    "the declarations of %u exported symbol%s reach (see "
		    "above): a module built outside the tree against the old "
		    "types would call them, or be called, with the wrong ones; "
		    "--allow-retyped-callbacks if no such module uses them",
		    bad, bad == 1 ? "" : "s");
	if (bad)
		die(EXIT_REFUSED, "refused: the patch changes the symbol versions "
		    "(CRCs) of %u exported symbol%s (see above): the types %s "
		    "changed, and the running kernel and its modules use the "
		    "old ones; leave the declarations and the headers the file "
		    "includes as they are", bad, bad == 1 ? "" : "s",
		    bad == 1 ? "its declaration reaches" : "their declarations reach");
}
