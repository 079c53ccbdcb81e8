// SPDX-License-Identifier: GPL-2.0
/*
 * Which objects of the map may include a file: a header, or a .c file
 * that no object is built from.  Only a file that names it in an
 * #include directive can include it, so the tree's sources are searched
 * for #include lines naming it, then for lines naming those includers,
 * and so on, and every built object on the way (objmap.c) is a
 * candidate.  The search errs towards too many: a name matches if the
 * included path ends like the file's (its -I directories are not known),
 * unless a quoted include resolves to another file beside the includer;
 * conditional includes count.  Candidates are then preprocessed
 * (kbuild.c) to keep only those whose dependencies really name the file.
 * Not seen: includes through macros (#include TRACE_INCLUDE(...)) when
 * no other file includes the header by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"

static const char *base_of(const char *p)
{
	return strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static bool in_set(char **v, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static void push(char ***v, unsigned int *n, const char *s)
{
	*v = xrealloc(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

/* "  #  include <net/route.h>" -> spec "net/route.h", quoted or not */
static char *include_spec(const char *line, bool *quoted)
{
	const char *p = line, *end;

	p += strspn(p, " \t");
	if (*p++ != '#')
		return NULL;
	p += strspn(p, " \t");
	if (strncmp(p, "include", 7))
		return NULL;
	p += 7;
	p += strspn(p, " \t");
	if (*p != '"' && *p != '<')
		return NULL;
	*quoted = *p == '"';
	end = strchr(p + 1, *quoted ? '"' : '>');
	return end ? strndup(p + 1, end - p - 1) : NULL;
}

/*
 * Does "#include spec" in @from name @file?  Quoted, it names the file
 * beside @from if there is one; else whatever file of an include path
 * ends like spec (after its last "..": the path it is relative to is not
 * known).
 */
static bool names(const char *tree, const char *from, const char *spec,
		  bool quoted, const char *file)
{
	char *dir, *local, *abs, *tail, *norm;
	const char *after = spec, *p;
	bool ok;

	if (strcmp(base_of(spec), base_of(file)))
		return false;
	dir = strrchr(from, '/') ? strndup(from, strrchr(from, '/') - from) :
		xstrdup(".");
	local = xasprintf("%s/%s", dir, spec);
	norm = path_normalize(local);
	abs = xasprintf("%s/%s", tree, norm);
	if (quoted && is_file(abs)) {
		ok = !strcmp(norm, file);
	} else {
		while ((p = strstr(after, "../")))
			after = p + 3;
		tail = xasprintf("/%s", after);
		norm = (free(norm), path_normalize(tail));
		free(tail);
		tail = xasprintf("/%s", norm);
		local = (free(local), xasprintf("/%s", file));
		ok = has_suffix(local, tail);
		free(tail);
	}
	free(abs);
	free(norm);
	free(local);
	free(dir);
	return ok;
}

/*
 * One level: the files of the tree with an #include naming one of
 * @todo; those not seen yet go to @next.
 */
static void search(struct create *c, char **todo, unsigned int ntodo,
		   char ***seen, unsigned int *nseen, char ***next,
		   unsigned int *nnext)
{
	char *pat = xasprintf("%s/includers.pat", c->work), *cmd, *out;
	char *line, *save = NULL;
	unsigned int i;
	FILE *f = fopen(pat, "w");

	if (!f)
		die(EXIT_ENV, "cannot write %s", pat);
	for (i = 0; i < ntodo; i++)
		fprintf(f, "%s\n", base_of(todo[i]));
	if (fclose(f))
		die(EXIT_ENV, "cannot write %s", pat);
	/* fixed strings (a few thousand names at once), then parsed here */
	cmd = xasprintf("cd %s && grep -rIF --include='*.[chS]' "
			"--include='*.inc' --exclude-dir=tools "
			"--exclude-dir=Documentation -f %s . ; test $? -le 1",
			shell_quote(c->tree), shell_quote(pat));
	out = capture_sh(cmd);
	if (!out)
		die(EXIT_ENV, "cannot search %s for #include lines", c->tree);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *from, *spec;
		bool quoted;

		if (!colon || strncmp(line, "./", 2))
			continue;
		*colon = '\0';
		from = line + 2;
		spec = include_spec(colon + 1, &quoted);
		if (!spec || in_set(*seen, *nseen, from)) {
			free(spec);
			continue;
		}
		for (i = 0; i < ntodo; i++) {
			if (names(c->tree, from, spec, quoted, todo[i])) {
				push(seen, nseen, from);
				push(next, nnext, from);
				break;
			}
		}
		free(spec);
	}
	unlink(pat);
	free(out);
	free(cmd);
	free(pat);
}

/*
 * The built objects whose sources may include @file, into @v.  Returns
 * their number, or -1 once more than @max of them would need
 * preprocessing (@has_record says which do not).  *@nfiles: how many
 * files include it, directly or not.
 */
int include_users(struct create *c, const char *file, unsigned int max,
		  bool (*has_record)(struct create *, const char *),
		  struct cand **v, unsigned int *n, unsigned int *nfiles)
{
	char **seen = NULL, **todo = NULL, **next = NULL;
	unsigned int nseen = 0, ntodo = 0, nnext = 0, i, costly = 0;
	int found = 0;
	double t = now();

	push(&seen, &nseen, file);
	push(&todo, &ntodo, file);
	while (ntodo && found >= 0) {
		search(c, todo, ntodo, &seen, &nseen, &next, &nnext);
		for (i = 0; i < ntodo; i++)
			free(todo[i]);
		free(todo);
		todo = next;
		ntodo = nnext;
		next = NULL;
		nnext = 0;
		for (i = 0; i < ntodo && found >= 0; i++) {
			const char *f = todo[i];
			size_t len = strlen(f);
			char *obj;
			unsigned int k, before = *n;

			if (len < 3 || (!has_suffix(f, ".c") && !has_suffix(f, ".S")))
				continue;
			obj = xasprintf("%.*s.o", (int)len - 2, f);
			found += objmap_targets(obj, v, n);
			for (k = before; k < *n; k++)
				costly += !has_record(c, (*v)[k].obj);
			if (costly > max)
				found = -1;
			free(obj);
		}
	}
	for (i = 0; i < ntodo; i++)
		free(todo[i]);
	free(todo);
	*nfiles = nseen - 1;
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	step("  %s: %s%u file%s of the tree include it, %s%d of them "
	     "built (%.1f s)", file, found < 0 ? "at least " : "", *nfiles,
	     *nfiles == 1 ? "" : "s", found < 0 ? "more than " : "",
	     found < 0 ? (int)max : found, now() - t);
	return found;
}
