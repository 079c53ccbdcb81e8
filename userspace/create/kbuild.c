// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create in a kernel tree: which objects a patch changes, which
 * running object (vmlinux or a module) each belongs to, and building
 * them.  kbuild answers the first two (objmap.c: its own walk of the
 * tree); what it cannot answer fails with EXIT_UNKNOWN, naming the file,
 * and "no functional change" is said only of files proved to build no
 * object, or of objects that compiled identically.  A changed header
 * (includers.c finds the candidates) recompiles the objects whose dependency
 * records name it: those of a full build if the tree had one, else those
 * of preprocessing (make x.i) every candidate object, which costs about a
 * fifth of compiling it.  Structs whose members the header changes are
 * left to the built objects' debug info (layout.c); a source file the
 * patch adds, to kbuild's walk of the patched tree (added.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"
#include "headers.h"

static void push(char ***v, unsigned int *n, const char *s)
{
	*v = xrealloc(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

/* Does kbuild's record @cmdfile list @file among the dependencies? */
static bool record_names(const char *cmdfile, const char *file)
{
	char *text = read_file(cmdfile, NULL), *p, *save = NULL, *w;
	bool found = false, in_deps = false;

	if (!text)
		return false;
	for (w = strtok_r(text, " \t\n\\", &save); w && !found;
	     w = strtok_r(NULL, " \t\n\\", &save)) {
		if (!strncmp(w, "deps_", 5) || !strncmp(w, "source_", 7)) {
			in_deps = true;
			continue;
		}
		if (!in_deps || w[0] == '$' || w[0] == ':' || !strcmp(w, ":="))
			continue;
		p = path_normalize(w);
		found = !strcmp(p, file);
		free(p);
	}
	free(text);
	return found;
}

static char *dot_file(const char *base, const char *obj, const char *suffix)
{
	const char *slash = strrchr(obj, '/');
	int stem = (int)strlen(obj) - 2;	/* without ".o" */

	if (!slash)
		return xasprintf("%s/.%.*s%s", base, stem, obj, suffix);
	return xasprintf("%s/%.*s/.%.*s%s", base, (int)(slash - obj), obj,
			 (int)(stem - (slash + 1 - obj)), slash + 1, suffix);
}

static bool is_source(const char *f)
{
	size_t n = strlen(f);

	return n > 2 && (!strcmp(f + n - 2, ".c") || !strcmp(f + n - 2, ".S"));
}

/* Does the prepared tree hold @obj from its full build? */
static bool built_in_tree(struct create *c, const char *obj)
{
	char *o = xasprintf("%s/%s", c->tree, obj);
	char *rec = dot_file(c->tree, obj, ".o.cmd");
	bool ok = c->full_deps && is_file(o) && is_file(rec);

	free(o);
	free(rec);
	return ok;
}

/*
 * The candidates whose dependency records name @file: the full build's
 * .o records, or those of preprocessing the candidate in the pre copy.
 */
static unsigned int filter_by_deps(struct create *c, const char *file,
				   struct cand *cands, unsigned int ncands,
				   struct cand **out, unsigned int *nout)
{
	char **pp = NULL, *log = xasprintf("%s/deps.log", c->work);
	unsigned int npp = 0, i, found = 0, unread = 0;
	double t = now();

	for (i = 0; i < ncands; i++) {
		int stem = (int)strlen(cands[i].obj) - 2;
		char *src, *pre;

		if (built_in_tree(c, cands[i].obj))
			continue;
		materialize(c, c->pre, cands[i].obj);
		src = xasprintf("%s/%.*s.c", c->pre, stem, cands[i].obj);
		pre = xasprintf("%.*s.%s", stem, cands[i].obj,
				is_file(src) ? "i" : "s");
		push(&pp, &npp, pre);
		free(pre);
		free(src);
	}
	if (npp) {
		/* keep going past an object that does not preprocess */
		push(&pp, &npp, "-k");
		step("reading the dependencies of %u object%s (make *.i; log: %s)",
		     npp - 1, npp == 2 ? "" : "s", log);
		tree_make(c, c->pre, log, pp, npp, c->jobs, true);
		step("  %.1f s", now() - t);
	}
	for (i = 0; i < ncands; i++) {
		char *rec;

		if (built_in_tree(c, cands[i].obj)) {
			rec = dot_file(c->tree, cands[i].obj, ".o.cmd");
		} else {
			rec = dot_file(c->pre, cands[i].obj, ".i.cmd");
			if (!is_file(rec)) {
				free(rec);
				rec = dot_file(c->pre, cands[i].obj, ".s.cmd");
			}
		}
		/*
		 * No record: it did not preprocess alone, often for a header
		 * its directory generates only on the way to the .o
		 * (kvm-asm-offsets.h).  That says nothing of what it
		 * includes, so it stays, and is built in full.
		 */
		if (!is_file(rec)) {
			if (!unread++)
				step("  %s: did not preprocess alone (log: %s): "
				     "kept, as it may include %s",
				     cands[i].obj, log, file);
			add_cand(out, nout, cands[i].obj, cands[i].target);
			found++;
		} else if (record_names(rec, file)) {
			add_cand(out, nout, cands[i].obj, cands[i].target);
			found++;
		}
		free(rec);
	}
	if (unread > 1)
		step("  %u objects did not preprocess alone, and are kept",
		     unread);
	for (i = 0; i < npp; i++) {
		char *p = xasprintf("%s/%s", c->pre, pp[i]);

		if (pp[i][0] != '-')
			unlink(p);	/* megabytes each */
		free(p);
		free(pp[i]);
	}
	free(pp);
	free(log);
	return found;
}

/* Files kbuild never reads: their changes build nothing. */
static bool not_built(const char *f)
{
	static const char *const top[] = { "MAINTAINERS", "CREDITS", "README",
		"COPYING", ".mailmap", ".gitignore", ".clang-format",
		".cocciconfig", ".get_maintainer.ignore", ".gitattributes",
		".rustfmt.toml", NULL };
	unsigned int i;

	if (!strncmp(f, "Documentation/", 14) || !strncmp(f, "LICENSES/", 9))
		return true;
	for (i = 0; top[i]; i++)
		if (!strcmp(f, top[i]))
			return true;
	return false;
}

static const char *base_of(const char *f)
{
	return strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void __attribute__((noreturn)) unknown(const char *f, const char *why)
{
	die(EXIT_UNKNOWN, "%s: cannot tell which objects of this kernel the "
	    "change concerns: %s", f, why);
}

/*
 * More users of @f than --max-candidates: which objects it concerns
 * cannot be told, so the answer is exit 4, kept until the structs whose
 * members change are compared in the objects the rest of the fix builds
 * (layout.c): a layout change there refuses the fix whatever @f does,
 * which is the truer answer (raising the limit would only lead to it).
 * A struct of @f itself that no object built describes stays refused
 * as a layout change that cannot be ruled out.
 */
static void too_many(struct create *c, const char *f,
		     const struct hdr_diff *d, char *why)
{
	unsigned int i;

	for (i = 0; i < d->nr_types; i++)
		layout_check_unruled(&c->layouts, f, d->types[i], why);
	if (!c->cannot_tell)
		c->cannot_tell = xasprintf("%s: cannot tell which objects of "
					   "this kernel the change concerns: "
					   "%s", f, why);
	step("  %s: cannot tell which objects use it: %s", f, why);
	free(why);
}

/* A file whose objects could not be told: exit 4, never a "no change". */
void tree_cannot_tell(const struct create *c)
{
	if (c->cannot_tell)
		die(EXIT_UNKNOWN, "%s", c->cannot_tell);
}

/* What the patch changes in @f, by name (headers.c). */
static void header_change(struct create *c, const char *f, struct hdr_diff *d)
{
	char *a = xasprintf("%s/%s", c->pre, f), *b = xasprintf("%s/%s", c->post, f);
	char *pre = read_file(a, NULL), *post = read_file(b, NULL);

	if (pre && post) {
		hdr_diff(pre, post, d);
	} else {
		memset(d, 0, sizeof(*d));
		d->verdict = HDR_ALL;
		d->why = xstrdup(pre ? "the patch removes it" :
				 "the patch adds it");
	}
	free(pre);
	free(post);
	free(a);
	free(b);
}

static unsigned int costly(struct create *c, struct cand *v, unsigned int n)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++)
		k += !built_in_tree(c, v[i].obj);
	return k;
}

/*
 * A file no object is built from: a header, a .c file, anything an
 * #include may name.  Its users are the built objects whose sources
 * include it (includers.c); of those, the ones that may use a name the
 * patch changes in it (headers.c, narrow.c), or all of them when the
 * change cannot be put to names; then narrowed by their dependency
 * records.  Returns how many; 0 only once proved, saying how, or when
 * too many to tell left exit 4 waiting in c->cannot_tell.
 */
static unsigned int included_users(struct create *c, const char *f,
				   struct cand **v, unsigned int *n)
{
	struct cand *cands = NULL, *kept = NULL;
	unsigned int ncands = 0, nkept = 0, nfiles, found, i;
	struct layout_checks types = { 0 };
	struct hdr_diff d;
	int k;

	if (forced_include(c, f))
		unknown(f, "every object includes it from kbuild's command "
			"line (-include), not through an #include line");
	header_change(c, f, &d);
	if (d.verdict == HDR_NAMES && !d.nr_names) {
		step("  %s: no object of this configuration uses the change: "
		     "no definition in it changes (comments or spacing only)",
		     f);
		hdr_diff_free(&d);
		return 0;
	}
	if (d.verdict == HDR_ALL)
		step("  %s: every object that includes it counts: %s", f, d.why);
	k = include_users(c, f, d.verdict != HDR_ALL ? UINT_MAX :
			  c->max_candidates, built_in_tree, &cands, &ncands,
			  &nfiles);
	/* a layout change matters only where something includes it */
	if (k && d.verdict == HDR_REFUSE)
		die(EXIT_REFUSED, "%s: %s", f, d.why);
	if (k < 0) {
		char *why = xasprintf("more than %u objects of this configuration "
				      "may include it, directly or through %u "
				      "other files; telling which do would "
				      "mean preprocessing each (raise the "
				      "limit with --max-candidates=N)",
				      c->max_candidates, nfiles);

		too_many(c, f, &d, why);
		free_cands(cands, ncands);
		hdr_diff_free(&d);
		return 0;
	}
	if (!k) {
		if (!is_source(f) && !ends_with(f, ".h"))
			unknown(f, "kbuild builds no object from it, and no "
				"source #includes it: whatever reads it (a "
				"build rule, a script) is not known");
		step("  %s: no object of this configuration uses it: %s"
		     "no file of the tree #includes it", f, is_source(f) ?
		     "kbuild's walk of its directory builds no object from "
		     "it, and " : "");
		free_cands(cands, ncands);
		hdr_diff_free(&d);
		return 0;
	}
	for (i = 0; i < d.nr_types; i++)
		layout_check_add(&types, f, d.types[i]);
	if (d.verdict == HDR_NAMES) {
		narrow_users(c, f, &d, cands, ncands, &kept, &nkept, &types);
		if (!nkept) {
			step("  %s: no object of this configuration uses the "
			     "change: none of the %u objects whose sources may "
			     "include it mentions a name it changes, directly "
			     "or through another file", f, ncands);
			free_cands(cands, ncands);
			hdr_diff_free(&d);
			layout_checks_free(&types);
			return 0;
		}
		free_cands(cands, ncands);
		cands = kept;
		ncands = nkept;
		if (costly(c, cands, ncands) > c->max_candidates) {
			char *why = xasprintf("%u objects of this configuration "
					      "may use what it changes; telling "
					      "which do would mean "
					      "preprocessing each (raise the "
					      "limit of %u with "
					      "--max-candidates=N)", ncands,
					      c->max_candidates);

			too_many(c, f, &d, why);
			free_cands(cands, ncands);
			hdr_diff_free(&d);
			layout_checks_free(&types);
			return 0;
		}
	}
	hdr_diff_free(&d);
	found = filter_by_deps(c, f, cands, ncands, v, n);
	/* a struct's layout matters only where an object uses it */
	if (found)
		layout_checks_move(&c->layouts, &types);
	layout_checks_free(&types);
	if (!found)
		step("  %s: no object of this configuration uses it: none of "
		     "the %u objects whose sources may include it names it in "
		     "its dependencies", f, ncands);
	free_cands(cands, ncands);
	return found;
}

/* The objects @f (touched by the patch) changes, into @v; how many. */
static unsigned int objects_for(struct create *c, const char *f,
				struct cand **v, unsigned int *n)
{
	char *obj = NULL, *dir;
	unsigned int found = 0;
	int users;

	if (!strncmp(base_of(f), "Kconfig", 7))
		die(EXIT_REFUSED, "%s: a change to the configuration cannot be "
		    "applied to a running kernel", f);
	if (not_built(f)) {
		step("  %s: no object of this configuration uses it: kbuild "
		     "never reads it", f);
		return 0;
	}
	if (!strncmp(f, "tools/", 6))
		unknown(f, "kbuild runs tools (objtool, resolve_btfids) built "
			"from it on every object");
	if (is_source(f)) {
		obj = xasprintf("%.*s.o", (int)strlen(f) - 2, f);
		found = objmap_targets(obj, v, n);
		if (found || ends_with(f, ".lds.S") || objmap_other(obj)) {
			if (!found)
				unknown(f, "kbuild builds it, but into neither "
					"vmlinux nor a module (a linker script, "
					"the vDSO, boot code or a host program)");
			free(obj);
			return found;
		}
		dir = strrchr(f, '/') ? strndup(f, strrchr(f, '/') - f) :
			xstrdup(".");
		if (!objmap_visits(dir) && objmap_named(c, obj)) {
			char *why = xasprintf("kbuild builds no object from it "
					      "through vmlinux or modules, and "
					      "under this configuration never "
					      "reads %s's Makefile, but a "
					      "makefile it reads names the file "
					      "by a path, so cannot say whether "
					      "a rule of its own builds it",
					      dir);

			unknown(f, why);
		}
		free(dir);
		free(obj);
		return included_users(c, f, v, n);
	}
	users = objmap_makefile(f, v, n);
	if (users < 0)
		unknown(f, "the top-level build reads it: it may change how "
			"every object is built");
	if (users) {
		step("  %s: read by kbuild in %d director%s", f, users,
		     users == 1 ? "y" : "ies");
		return *n;
	}
	if (!strncmp(base_of(f), "Makefile", 8) ||
	    !strncmp(base_of(f), "Kbuild", 6)) {
		step("  %s: no object of this configuration uses it: kbuild's "
		     "walk of the tree never reads it", f);
		return 0;
	}
	return included_users(c, f, v, n);
}

struct cobject *tree_find_objects(struct create *c, unsigned int *nr)
{
	struct cand *v = NULL;
	struct cobject *objs;
	unsigned int n = 0, t, i;

	objmap_load(c);
	step("finding the objects the patch changes (%u objects in this "
	     "configuration)", objmap_size());
	for (t = 0; t < c->nr_touched; t++) {
		const char *f = c->touched[t];
		char *inpre = xasprintf("%s/%s", c->pre, f);
		unsigned int before = n;

		if (is_source(f) && !is_file(inpre))
			added_source(c, f, &v, &n);
		else if (objects_for(c, f, &v, &n) && n == before)
			step("  %s: its objects are listed above", f);
		free(inpre);
		for (i = before; i < n; i++)
			step("  %s: %s (%s)", f, v[i].obj, v[i].target);
	}
	/* only a layout refusal could answer first */
	if (!n || c->list_objects)
		layout_unruled_refuse(c);
	if (!n || !c->layouts.n || c->list_objects)
		tree_cannot_tell(c);
	if (c->list_objects) {
		for (i = 0; i < n; i++)
			printf("%s %s\n", v[i].obj, v[i].target);
		exit(0);
	}
	if (!n)
		die(EXIT_REFUSED, "no functional change: no object of this "
		    "kernel configuration is built from the files the patch "
		    "touches, or uses what it changes in a header (proved "
		    "above for each)");
	objs = xrealloc(NULL, n, sizeof(*objs));
	for (i = 0; i < n; i++) {
		objs[i].rel = v[i].obj;
		objs[i].module = v[i].target;
		objs[i].tag = xasprintf("o%u", i + 1);
	}
	free(v);
	*nr = n;
	return objs;
}

/* Remove what the build of @obj writes, so it never writes through a link. */
static void unlink_outputs(const char *copy, const char *obj)
{
	static const char *const suffixes[] = { ".o.cmd", ".o.d", NULL };
	char *p = xasprintf("%s/%s", copy, obj);
	unsigned int i;

	unlink(p);
	free(p);
	for (i = 0; suffixes[i]; i++) {
		p = dot_file(copy, obj, suffixes[i]);
		unlink(p);
		free(p);
	}
}

/*
 * Compile the objects in pre and post at the same time, each make with
 * half the jobs: one object each keeps two CPUs busy.
 */
void tree_build(struct create *c, struct cobject *objs, unsigned int n)
{
	char *prelog = xasprintf("%s/build-pre.log", c->work);
	char *postlog = xasprintf("%s/build-post.log", c->work);
	char **pre = xrealloc(NULL, n, sizeof(char *));
	char **post = xrealloc(NULL, n, sizeof(char *));
	unsigned int npre = 0, i, half = c->jobs > 1 ? (c->jobs + 1) / 2 : 1;
	int pid_pre = -1, pid_post, st_pre = 0, st_post;
	double t = now();

	for (i = 0; i < n; i++) {
		materialize(c, c->pre, objs[i].rel);
		materialize(c, c->post, objs[i].rel);
		post[i] = objmap_make_target(objs[i].rel);
		unlink_outputs(c->post, objs[i].rel);
		if (built_in_tree(c, objs[i].rel))
			continue;
		if (added_object(c, objs[i].rel)) {
			empty_object(c, objs[i].rel);
			continue;
		}
		pre[npre++] = objmap_make_target(objs[i].rel);
		unlink_outputs(c->pre, objs[i].rel);
	}
	step("compiling %u object%s before the patch and %u after it "
	     "(logs: %s, %s)", npre, npre == 1 ? "" : "s", n, prelog, postlog);
	if (npre)
		pid_pre = tree_make(c, c->pre, prelog, pre, npre, half, false);
	pid_post = tree_make(c, c->post, postlog, post, n, half, false);
	if (npre)
		st_pre = tree_make_wait(c, pid_pre);
	st_post = wait_run(pid_post);
	if (st_pre) {
		print_log_tail(prelog, 25);
		die(EXIT_ENV, "the unpatched tree does not build (see %s)", prelog);
	}
	if (st_post) {
		print_log_tail(postlog, 25);
		die(EXIT_REFUSED, "the patched tree does not build");
	}
	step("  %.1f s", now() - t);
	for (i = 0; i < n; i++) {
		char *a = xasprintf("%s/%s", c->pre, objs[i].rel);
		char *b = xasprintf("%s/%s", c->post, objs[i].rel);

		if (!is_file(a) || !is_file(b))
			die(EXIT_ENV, "%s was not built", objs[i].rel);
		free(a);
		free(b);
	}
	check_untouched(c);
	for (i = 0; i < npre; i++)
		free(pre[i]);
	for (i = 0; i < n; i++)
		free(post[i]);
	free(pre);
	free(post);
	free(prelog);
	free(postlog);
}
