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
	"grep -rlIF --include='*.[chS]' --include='*.inc' --include='*.inl' "
	"--include='*.lds' --include='*.in' --include='*.pro' "
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

/* A growing list of strings with a hash index (names, files). */
struct list {
	char **v;
	unsigned int n;
	unsigned int *slot;	/* index + 1, or 0 */
	unsigned int size;
};

static unsigned int hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static bool list_has(const struct list *l, const char *s)
{
	unsigned int i;

	if (!l->size)
		return false;
	for (i = hash(s) & (l->size - 1); l->slot[i];
	     i = (i + 1) & (l->size - 1))
		if (!strcmp(l->v[l->slot[i] - 1], s))
			return true;
	return false;
}

/* Adds @s; false if it was there. */
static bool list_add(struct list *l, const char *s)
{
	unsigned int i, k;

	if (list_has(l, s))
		return false;
	push(&l->v, &l->n, s);
	if (2 * l->n > l->size) {
		free(l->slot);
		l->size = l->size ? 2 * l->size : 256;
		l->slot = xrealloc(NULL, l->size, sizeof(unsigned int));
		memset(l->slot, 0, l->size * sizeof(unsigned int));
		k = 0;
	} else {
		k = l->n - 1;
	}
	for (; k < l->n; k++) {
		for (i = hash(l->v[k]) & (l->size - 1); l->slot[i];
		     i = (i + 1) & (l->size - 1))
			;
		l->slot[i] = k + 1;
	}
	return true;
}

static void list_free(struct list *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->slot);
	memset(l, 0, sizeof(*l));
}

/*
 * Does @text paste (##) a piece of one of @names?  What stands left of
 * a ## begins the pasted name, what stands right ends it, unless another
 * ## continues the paste: "name##_enabled" may make "foo_enabled", so
 * "_enabled" counts for it.  Pieces of fewer than two letters or digits
 * ("x", "__") are too common to tell; beside them stands, in practice, a
 * macro parameter, whose argument is the other piece (the limit that
 * narrow_users() states).
 */
static bool piece_of(const char *name, const char *p, size_t len, bool head,
		     bool tail)
{
	size_t n = strlen(name), i, alnum = 0;

	for (i = 0; i < len; i++)
		alnum += p[i] != '_';
	if (alnum < 2 || len > n)
		return false;
	if (head)
		return !strncmp(name, p, len);
	if (tail)
		return !strncmp(name + n - len, p, len);
	return memmem(name, n, p, len) != NULL;
}

/*
 * Is @p (@len bytes) a parameter of the #define that @at is in?  The
 * argument, not the parameter's name, is what gets pasted.
 */
static bool is_param(const char *text, const char *at, const char *p,
		     size_t len)
{
	const char *b = at, *q;

	/* the start of the logical line: a newline not continued */
	while (b > text && !(b[-1] == '\n' && (b - 1 == text || b[-2] != '\\')))
		b--;
	b += strspn(b, " \t");
	if (*b++ != '#')
		return false;
	b += strspn(b, " \t");
	if (strncmp(b, "define", 6))
		return false;
	b += 6;
	b += strspn(b, " \t");
	while (word_char(*b))
		b++;
	if (*b != '(')
		return false;
	for (q = b + 1; *q && *q != ')' && q < at; q++) {
		const char *w = q;

		while (word_char(*q))
			q++;
		if ((size_t)(q - w) == len && !strncmp(w, p, len))
			return true;
		if (q == w && *q != ',' && *q != ' ' && *q != '\t' &&
		    *q != '.' && *q != '\\' && *q != '\n')
			return false;
		if (*q == ')')
			break;
	}
	return false;
}

/*
 * Does @text paste (##) a piece of one of @names?  Returns true if the
 * file itself must count.  A piece pasted to a macro parameter
 * ("netif_##level") makes the name only with an argument that is the
 * rest of it ("needs_gso" for netif_needs_gso), spelled where the macro
 * is used: that rest goes to @rests, and the files that spell it count
 * instead of the macro's.
 */
static bool pastes_piece(const char *text, char **names, unsigned int n,
			 struct list *rests)
{
	const char *p = text;
	unsigned int i;
	bool whole = false;

	while ((p = strstr(p, "##"))) {
		const char *l = p, *r = p + 2, *lb, *re, *q;
		bool more_left, more_right, lparam, rparam, single;

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
		lparam = is_param(text, p, lb, l - lb);
		rparam = is_param(text, p, r, re - r);
		single = !more_left && !more_right;
		for (i = 0; i < n; i++) {
			const char *name = names[i];
			size_t len = strlen(name), ll = l - lb, rl = re - r;

			if (!lparam && piece_of(name, lb, ll, !more_left, false)) {
				if (rparam && single && len > ll) {
					list_add(rests, name + ll);
					continue;
				}
			} else if (!rparam &&
				   piece_of(name, r, rl, false, !more_right)) {
				if (lparam && single && len > rl) {
					char *rest = strndup(name, len - rl);

					list_add(rests, rest);
					free(rest);
					continue;
				}
			} else {
				continue;
			}
			whole = true;
			if (getenv("KSPLICE_DEBUG_NARROW"))
				step("    piece %.*s | %.*s of %s", (int)ll, lb,
				     (int)rl, r, name);
		}
		p += 2;
	}
	return whole;
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

/* Does every object include @file from kbuild's command line? */
bool forced_include(struct create *c, const char *file)
{
	char **forced = NULL;
	unsigned int n = 0, i;
	bool found;

	forced_includes(c, &forced, &n);
	found = in_list(forced, n, file);
	for (i = 0; i < n; i++)
		free(forced[i]);
	free(forced);
	return found;
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

static bool is_header(const char *f)
{
	size_t n = strlen(f);

	return n > 2 && !strcmp(f + n - 2, ".h");
}

/* Rounds of deriving names through other headers before giving up. */
#define MAX_ROUNDS 12

/*
 * The files that may bring a changed name into an object, into @whole.
 * A .c file (or a header beyond headers.c) that spells a changed name
 * counts whole.  A header that spells one only inside its own
 * definitions does not: those definitions' names change too (its inline
 * that calls a changed inline), and the search goes on with them until
 * no name is added.  A struct there that a changed macro or enumerator
 * sizes goes into @types, for the objects' debug info to judge, as in
 * the patched header.
 */
static void spelling_files(struct create *c, const char *file,
			   struct list *names, struct list *layout,
			   struct list *whole, unsigned int *rounds,
			   struct layout_checks *types)
{
	char *pat = xasprintf("%s/names.pat", c->work);
	char *args = xasprintf("-w -f %s", shell_quote(pat));
	unsigned int r, i, k;

	for (r = 0; r < MAX_ROUNDS; r++) {
		char **men = NULL;
		unsigned int nmen = 0, added = 0;
		FILE *f = fopen(pat, "w");

		if (!f)
			die(EXIT_ENV, "cannot write %s", pat);
		for (i = 0; i < names->n; i++)
			fprintf(f, "%s\n", names->v[i]);
		if (fclose(f))
			die(EXIT_ENV, "cannot write %s", pat);
		grep_list(c, args, &men, &nmen);
		for (i = 0; i < nmen; i++) {
			struct hdr_diff u;
			char *abs, *text;

			/* the header itself: headers.c closed the change over it */
			if (!strcmp(men[i], file) || list_has(whole, men[i]))
				continue;
			if (!is_header(men[i]) || r + 1 == MAX_ROUNDS) {
				list_add(whole, men[i]);
				continue;
			}
			abs = xasprintf("%s/%s", c->tree, men[i]);
			text = read_file(abs, NULL);
			if (!text) {
				list_add(whole, men[i]);
				free(abs);
				continue;
			}
			hdr_uses(text, names->v, names->n, layout->v,
				 layout->n, &u);
			if (u.verdict == HDR_REFUSE)
				die(EXIT_REFUSED, "%s: in %s, %s", file,
				    men[i], u.why);
			for (k = 0; k < u.nr_types; k++)
				layout_check_add(types, men[i], u.types[k]);
			if (u.verdict == HDR_ALL)
				list_add(whole, men[i]);
			for (k = 0; k < u.nr_names; k++)
				added += list_add(names, u.names[k]);
			for (k = 0; k < u.nr_layout; k++)
				list_add(layout, u.layout[k]);
			hdr_diff_free(&u);
			free(text);
			free(abs);
		}
		for (i = 0; i < nmen; i++)
			free(men[i]);
		free(men);
		if (!added)
			break;
	}
	*rounds = r + 1;
	unlink(pat);
	free(pat);
	free(args);
}

/* The files that spell one of @rests count whole. */
static void spell_rests(struct create *c, struct list *rests,
			struct list *whole)
{
	char *pat = xasprintf("%s/rests.pat", c->work);
	char *args = xasprintf("-w -f %s", shell_quote(pat));
	char **v = NULL;
	unsigned int n = 0, i;
	FILE *f = fopen(pat, "w");

	if (!f)
		die(EXIT_ENV, "cannot write %s", pat);
	for (i = 0; i < rests->n; i++)
		fprintf(f, "%s\n", rests->v[i]);
	if (fclose(f))
		die(EXIT_ENV, "cannot write %s", pat);
	grep_list(c, args, &v, &n);
	for (i = 0; i < n; i++) {
		list_add(whole, v[i]);
		free(v[i]);
	}
	free(v);
	unlink(pat);
	free(pat);
	free(args);
}

unsigned int narrow_users(struct create *c, const char *file,
			  const struct hdr_diff *d, struct cand *cands,
			  unsigned int n, struct cand **out, unsigned int *nout,
			  struct layout_checks *types)
{
	char **paste = NULL, **forced = NULL, *shown = NULL;
	unsigned int npaste = 0, nforced = 0, i, kept = 0, nwords, rounds;
	struct list names = { 0 }, layout = { 0 }, whole = { 0 }, rests = { 0 };
	unsigned int npasted;
	struct include_set *users;
	double t = now();

	for (i = 0; i < d->nr_names; i++)
		list_add(&names, d->names[i]);
	for (i = 0; i < d->nr_layout; i++)
		list_add(&layout, d->layout[i]);
	spelling_files(c, file, &names, &layout, &whole, &rounds, types);
	nwords = whole.n;
	grep_list(c, "-e '##'", &paste, &npaste);
	for (i = 0; i < npaste; i++) {
		char *abs = xasprintf("%s/%s", c->tree, paste[i]);
		/* the header too: its macros may paste a changed name */
		char *text = list_has(&whole, paste[i]) ? NULL :
			     read_file(abs, NULL);

		if (text && pastes_piece(text, names.v, names.n, &rests)) {
			list_add(&whole, paste[i]);
			if (getenv("KSPLICE_DEBUG_NARROW"))
				step("    pastes: %s", paste[i]);
		}
		free(text);
		free(abs);
		free(paste[i]);
	}
	free(paste);
	npasted = whole.n - nwords;
	if (rests.n)
		spell_rests(c, &rests, &whole);
	for (i = 0; i < d->nr_names && i < 6; i++) {
		char *s = xasprintf("%s%s%s", shown ? shown : "",
				    shown ? " " : "", d->names[i]);

		free(shown);
		shown = s;
	}
	step("  %s: the patch changes %u name%s (%s%s), %u with the "
	     "definitions of other headers that use them (%u round%s); %u "
	     "file%s of the tree spell one, %u paste a piece of one with ##, "
	     "%u spell the rest of one that a macro pastes a piece to",
	     file, d->nr_names, d->nr_names == 1 ? "" : "s", shown,
	     d->nr_names > 6 ? " ..." : "", names.n, rounds,
	     rounds == 1 ? "" : "s", nwords, nwords == 1 ? "" : "s",
	     npasted, whole.n - nwords - npasted);
	if (getenv("KSPLICE_DEBUG_NARROW"))
		for (i = 0; i < names.n; i++)
			step("    name: %s", names.v[i]);
	if (getenv("KSPLICE_DEBUG_NARROW"))
		for (i = 0; i < whole.n; i++)
			step("    spells: %s", whole.v[i]);
	forced_includes(c, &forced, &nforced);
	for (i = 0; i < nforced; i++) {
		if (list_has(&whole, forced[i])) {
			step("  %s: %s mentions one, and every object includes "
			     "it from kbuild's command line: every includer "
			     "counts", file, forced[i]);
			for (kept = 0; kept < n; kept++)
				add_cand(out, nout, cands[kept].obj,
					 cands[kept].target);
			goto out;
		}
	}
	users = include_closure(c, whole.v, whole.n);
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
	list_free(&names);
	list_free(&layout);
	list_free(&whole);
	list_free(&rests);
	free(shown);
	return kept;
}
