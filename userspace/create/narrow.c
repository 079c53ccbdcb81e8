// SPDX-License-Identifier: GPL-2.0
/*
 * Of the objects that may include a changed header, those that may use
 * what changed (headers.c names it).  An object's preprocessed text can
 * hold a changed name only if its source, or a file it includes, spells
 * the name as an identifier, or pastes it together with ## from a piece
 * of it.  Those files come from one grep over the tree (about a second
 * once the tree is in the page cache) and a scan of the files that
 * paste; every file that includes one of them, directly or not, is added
 * (includers.c), and an object stays if its source is among them.  The
 * header itself is left out of the search: headers.c closed the change
 * over it.  Files every object includes from the command line (kbuild's
 * -include of kconfig.h and compiler_types.h) have no #include line to
 * follow: if one of them, or what it includes, mentions a changed name,
 * nothing is narrowed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "create.h"
#include "headers.h"

static const char *const grep_files =
	"grep -rlIF --include='*.[chS]' --include='*.inc' "
	"--exclude-dir=tools --exclude-dir=Documentation";

static void push(char ***v, unsigned int *n, const char *s)
{
	*v = xrealloc(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

static bool in_list(char **v, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The files grep lists (relative to the tree), into @v. */
static void grep_list(struct create *c, const char *args, char ***v,
		      unsigned int *n)
{
	char *cmd = xasprintf("cd %s && %s %s . ; test $? -le 1",
			      shell_quote(c->tree), grep_files, args);
	char *out = capture_sh(cmd), *line, *save = NULL;

	if (!out)
		die(EXIT_ENV, "cannot search %s", c->tree);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "./", 2))
			push(v, n, line + 2);
	free(out);
	free(cmd);
}

static bool word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/*
 * Does @text paste (##) a piece of one of @names?  What stands left of
 * a ## begins the pasted name, what stands right ends it, unless another
 * ## continues the paste: "name##_enabled" may make "foo_enabled", so
 * "_enabled" counts for it.  Pieces of one character are too common to
 * tell (and are, in practice, macro parameters).
 */
static bool piece_of(const char *name, const char *p, size_t len, bool head,
		     bool tail)
{
	size_t n = strlen(name);

	if (len < 2 || len > n)
		return false;
	if (head)
		return !strncmp(name, p, len);
	if (tail)
		return !strncmp(name + n - len, p, len);
	return memmem(name, n, p, len) != NULL;
}

static bool pastes_piece(const char *text, char **names, unsigned int n)
{
	const char *p = text;
	unsigned int i;

	while ((p = strstr(p, "##"))) {
		const char *l = p, *r = p + 2, *lb, *re, *q;
		bool more_left, more_right;

		while (l > text && (l[-1] == ' ' || l[-1] == '\t'))
			l--;
		for (lb = l; lb > text && word_char(lb[-1]); lb--)
			;
		for (q = lb; q > text && (q[-1] == ' ' || q[-1] == '\t'); q--)
			;
		more_left = q - text >= 2 && q[-1] == '#' && q[-2] == '#';
		while (*r == ' ' || *r == '\t')
			r++;
		for (re = r; word_char(*re); re++)
			;
		for (q = re; *q == ' ' || *q == '\t'; q++)
			;
		more_right = q[0] == '#' && q[1] == '#';
		for (i = 0; i < n; i++)
			if (piece_of(names[i], lb, l - lb, !more_left, false) ||
			    piece_of(names[i], r, re - r, false, !more_right))
				return true;
		p += 2;
	}
	return false;
}

/*
 * The files kbuild makes every object include (-include on its command
 * line), and what they include in turn: #include lines resolved against
 * the source's own include directories.
 */
static void forced_includes(struct create *c, char ***v, unsigned int *n)
{
	static const char *const roots[] = { "include", "arch/x86/include",
		"arch/x86/include/generated", "include/uapi",
		"arch/x86/include/uapi", "arch/x86/include/generated/uapi",
		NULL };
	unsigned int i, r;

	push(v, n, "include/linux/compiler-version.h");
	push(v, n, "include/linux/kconfig.h");
	push(v, n, "include/linux/compiler_types.h");
	for (i = 0; i < *n; i++) {
		char *path = xasprintf("%s/%s", c->tree, (*v)[i]);
		char *text = read_file(path, NULL), *line, *save = NULL;

		for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *p = line + strspn(line, " \t"), *end, *spec;

			if (*p++ != '#')
				continue;
			p += strspn(p, " \t");
			if (strncmp(p, "include", 7))
				continue;
			p += 7 + strspn(p + 7, " \t");
			if ((*p != '<' && *p != '"') ||
			    !(end = strchr(p + 1, *p == '<' ? '>' : '"')))
				continue;
			spec = strndup(p + 1, end - p - 1);
			for (r = 0; roots[r]; r++) {
				char *rel = xasprintf("%s/%s", roots[r], spec);
				char *abs = xasprintf("%s/%s", c->tree, rel);

				if (is_file(abs) && !in_list(*v, *n, rel))
					push(v, n, rel);
				free(abs);
				free(rel);
			}
			free(spec);
		}
		free(text);
		free(path);
	}
}

static char *source_of(struct create *c, const char *obj)
{
	int stem = (int)strlen(obj) - 2;
	char *src = xasprintf("%.*s.c", stem, obj), *abs;

	abs = xasprintf("%s/%s", c->tree, src);
	if (!is_file(abs)) {
		free(src);
		src = xasprintf("%.*s.S", stem, obj);
	}
	free(abs);
	return src;
}

unsigned int narrow_users(struct create *c, const char *file,
			  const struct hdr_diff *d, struct cand *cands,
			  unsigned int n, struct cand **out, unsigned int *nout)
{
	char *pat = xasprintf("%s/names.pat", c->work), *args;
	char **men = NULL, **paste = NULL, **forced = NULL, *shown = NULL;
	unsigned int nmen = 0, npaste = 0, nforced = 0, i, kept = 0;
	unsigned int nwords;
	struct include_set *users;
	double t = now();
	FILE *f = fopen(pat, "w");

	if (!f)
		die(EXIT_ENV, "cannot write %s", pat);
	for (i = 0; i < d->nr_names; i++)
		fprintf(f, "%s\n", d->names[i]);
	if (fclose(f))
		die(EXIT_ENV, "cannot write %s", pat);
	args = xasprintf("-w -f %s", shell_quote(pat));
	grep_list(c, args, &men, &nmen);
	/* the header itself: headers.c closed the change over it */
	for (i = 0; i < nmen; i++)
		if (!strcmp(men[i], file)) {
			free(men[i]);
			men[i] = men[--nmen];
			break;
		}
	nwords = nmen;
	grep_list(c, "-e '##'", &paste, &npaste);
	for (i = 0; i < npaste; i++) {
		char *abs = xasprintf("%s/%s", c->tree, paste[i]);
		char *text = in_list(men, nmen, paste[i]) ||
			     !strcmp(paste[i], file) ? NULL :
			     read_file(abs, NULL);

		if (text && pastes_piece(text, d->names, d->nr_names)) {
			push(&men, &nmen, paste[i]);
			if (getenv("KSPLICE_DEBUG_NARROW"))
				step("    pastes: %s", paste[i]);
		}
		free(text);
		free(abs);
		free(paste[i]);
	}
	free(paste);
	for (i = 0; i < d->nr_names && i < 6; i++) {
		char *s = xasprintf("%s%s%s", shown ? shown : "",
				    shown ? " " : "", d->names[i]);

		free(shown);
		shown = s;
	}
	step("  %s: the patch changes %u name%s (%s%s); %u other file%s of "
	     "the tree spell one, %u paste a piece of one with ##",
	     file, d->nr_names, d->nr_names == 1 ? "" : "s", shown,
	     d->nr_names > 6 ? " ..." : "", nwords, nwords == 1 ? "" : "s",
	     nmen - nwords);
	forced_includes(c, &forced, &nforced);
	for (i = 0; i < nforced; i++) {
		if (in_list(men, nmen, forced[i])) {
			step("  %s: %s mentions one, and every object includes "
			     "it from kbuild's command line: every includer "
			     "counts", file, forced[i]);
			for (kept = 0; kept < n; kept++)
				add_cand(out, nout, cands[kept].obj,
					 cands[kept].target);
			goto out;
		}
	}
	users = include_closure(c, men, nmen);
	for (i = 0; i < n; i++) {
		char *src = source_of(c, cands[i].obj);

		if (include_closure_has(users, src)) {
			add_cand(out, nout, cands[i].obj, cands[i].target);
			kept++;
		}
		free(src);
	}
	step("  %s: %u of the %u objects that may include it may use what "
	     "changed (%u files spell a changed name or include one that "
	     "does; %.1f s)", file, kept, n, include_closure_size(users),
	     now() - t);
	include_closure_free(users);
out:
	for (i = 0; i < nforced; i++)
		free(forced[i]);
	free(forced);
	for (i = 0; i < nmen; i++)
		free(men[i]);
	free(men);
	unlink(pat);
	free(pat);
	free(args);
	free(shown);
	return kept;
}
