// SPDX-License-Identifier: GPL-2.0
/*
 * Which files of the tree may include a file, directly or not, and so
 * which objects of the map (objmap.c) may: a header, or a .c file that
 * no object is built from.  Only a file that names it in an #include
 * directive can include it.  The tree's #include lines are read into a
 * graph once a run (one grep, 2-8 s for 337,000 lines, whose output a
 * prepared tree keeps for the next run), walked
 * backwards from the file.  The graph errs towards too many edges: a
 * name matches if the included path ends like the file's (its -I
 * directories are not known), unless a quoted include resolves to a file
 * beside the includer; conditional includes count.  Candidates are then
 * preprocessed (kbuild.c) to keep only those whose dependencies really
 * name the file.  Not seen: includes through macros (#include
 * TRACE_INCLUDE(...)) when no other file includes the header by name.
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

/*
 * Paths to numbers: open addressing, so that the 53,000 files of the
 * tree are found in constant time each.
 */
struct pathset {
	char **slot;
	unsigned int *val;
	unsigned int size, used;
};

static unsigned int hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Maps @s (not there yet) to @val. */
static void set_put(struct pathset *ps, const char *s, unsigned int val)
{
	unsigned int i;

	if (2 * (ps->used + 1) > ps->size) {
		struct pathset bigger = { NULL, NULL,
					  ps->size ? 2 * ps->size : 1024, 0 };

		bigger.slot = xrealloc(NULL, bigger.size, sizeof(char *));
		bigger.val = xrealloc(NULL, bigger.size, sizeof(unsigned int));
		memset(bigger.slot, 0, bigger.size * sizeof(char *));
		for (i = 0; i < ps->size; i++)
			if (ps->slot[i])
				set_put(&bigger, ps->slot[i], ps->val[i]);
		for (i = 0; i < ps->size; i++)
			free(ps->slot[i]);
		free(ps->slot);
		free(ps->val);
		*ps = bigger;
	}
	for (i = hash(s) & (ps->size - 1); ps->slot[i];
	     i = (i + 1) & (ps->size - 1))
		;
	ps->slot[i] = xstrdup(s);
	ps->val[i] = val;
	ps->used++;
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


/* The tree's #include graph: files, and who includes each. */
struct graph {
	struct pathset ids;	/* path -> index into path[] */
	char **path;
	unsigned int n;
	unsigned int *bybase;	/* indexes sorted by base name */
	unsigned int **rev;	/* rev[i]: the files that include path[i] */
	unsigned int *nrev;
};

static struct graph g;

static int file_id(const char *p)
{
	const struct pathset *ps = &g.ids;
	unsigned int i;

	if (!ps->size)
		return -1;
	for (i = hash(p) & (ps->size - 1); ps->slot[i];
	     i = (i + 1) & (ps->size - 1))
		if (!strcmp(ps->slot[i], p))
			return ps->val[i];
	return -1;
}

static unsigned int add_file(const char *p)
{
	int id = file_id(p);

	if (id >= 0)
		return id;
	g.path = xrealloc(g.path, g.n + 1, sizeof(char *));
	g.path[g.n] = xstrdup(p);
	if (g.rev) {	/* a file found beside an includer: room for it */
		g.rev = xrealloc(g.rev, g.n + 1, sizeof(unsigned int *));
		g.nrev = xrealloc(g.nrev, g.n + 1, sizeof(unsigned int));
		g.rev[g.n] = NULL;
		g.nrev[g.n] = 0;
	}
	set_put(&g.ids, p, g.n);
	return g.n++;
}

static void add_edge(unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = 0; i < g.nrev[to]; i++)
		if (g.rev[to][i] == from)
			return;
	g.rev[to] = xrealloc(g.rev[to], g.nrev[to] + 1, sizeof(unsigned int));
	g.rev[to][g.nrev[to]++] = from;
}

static int by_base(const void *a, const void *b)
{
	const char *x = g.path[*(const unsigned int *)a];
	const char *y = g.path[*(const unsigned int *)b];

	return strcmp(base_of(x), base_of(y));
}

/* The first of g.bybase whose base name is not below @base. */
static unsigned int lower_bound(const char *base)
{
	unsigned int lo = 0, hi = g.n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (strcmp(base_of(g.path[g.bybase[mid]]), base) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The edges of "#include spec" in @from: quoted, to the file beside
 * @from if there is one; else to every file that ends like spec (after
 * its last "..": the path it is relative to is not known).
 */
static void add_include(struct create *c, unsigned int from, const char *spec,
			bool quoted)
{
	const char *f = g.path[from], *after = spec, *p;
	char *dir, *local, *norm, *abs, *tail;
	unsigned int i;

	dir = strrchr(f, '/') ? strndup(f, strrchr(f, '/') - f) : xstrdup(".");
	local = xasprintf("%s/%s", dir, spec);
	norm = path_normalize(local);
	abs = xasprintf("%s/%s", c->tree, norm);
	if (quoted && strncmp(norm, "../", 3) && is_file(abs)) {
		add_edge(from, add_file(norm));
		goto out;
	}
	while ((p = strstr(after, "../")))
		after = p + 3;
	tail = xasprintf("/%s", after);
	free(norm);
	norm = path_normalize(tail);
	free(tail);
	tail = xasprintf("/%s", norm);
	for (i = lower_bound(base_of(spec));
	     i < g.n && !strcmp(base_of(g.path[g.bybase[i]]), base_of(spec));
	     i++) {
		char *full = xasprintf("/%s", g.path[g.bybase[i]]);

		if (has_suffix(full, tail))
			add_edge(from, g.bybase[i]);
		free(full);
	}
	free(tail);
out:
	free(abs);
	free(norm);
	free(local);
	free(dir);
}

/* What an #include names in this tree: sources, and a few others. */
static const char grep_sources[] =
	"--include='*.[chS]' --include='*.inc' --include='*.inl' "
	"--include='*.lds' --include='*.in' --include='*.pro' "
	"--exclude-dir=tools --exclude-dir=Documentation";

/*
 * @cmd's output, run in a prepared tree: kept beside it
 * (trees/.NAME-<release>, a built tree's apart, its generated files
 * being more), since the tree never changes.  A tree of the user's own
 * is read anew each run.
 */
static char *tree_output(struct create *c, const char *name, const char *cmd)
{
	char *kept = xasprintf("%s%s", name, c->full_deps ? "-built" : "");
	char *path = tree_kept(c, kept), *tmp, *out;
	FILE *f;

	free(kept);
	if (!path)
		return capture_sh(cmd);
	out = read_file(path, NULL);
	if (!out) {
		out = capture_sh(cmd);
		tmp = xasprintf("%s.%d", path, (int)getpid());
		f = out ? fopen(tmp, "w") : NULL;
		if (f) {
			bool ok = fputs(out, f) >= 0;

			/* a short copy is never kept: the next run reads anew */
			if (!fclose(f) && ok)
				rename(tmp, path);
			unlink(tmp);
		}
		free(tmp);
	}
	free(path);
	return out;
}

/* Read the tree's #include lines into g, once a run. */
static void load_graph(struct create *c)
{
	char *cmd, *out, *line, *save = NULL;
	unsigned int i, n0;
	double t = now();

	if (g.n)
		return;
	/*
	 * x86's include paths hold no other architecture's directories: a
	 * file there is reached only by a quoted path resolved beside its
	 * includer (add_include() adds it then).
	 */
	cmd = xasprintf("cd %s && find . -path ./tools -prune -o -path "
			"./Documentation -prune -o -path './arch/*' ! -path "
			"'./arch/x86*' -prune -o \\( -name '*.[chS]' -o "
			"-name '*.inc' -o -name '*.inl' -o -name '*.lds' -o "
			"-name '*.in' -o -name '*.pro' \\) -type f -print",
			shell_quote(c->tree));
	out = tree_output(c, "files", cmd);
	if (!out)
		die(EXIT_ENV, "cannot list the files of %s", c->tree);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		add_file(line + 2 * !strncmp(line, "./", 2));
	free(out);
	free(cmd);
	/* what the patch touches may be included, whatever its name */
	for (i = 0; i < c->nr_touched; i++)
		add_file(c->touched[i]);
	n0 = g.n;
	g.bybase = xrealloc(NULL, n0, sizeof(unsigned int));
	for (i = 0; i < n0; i++)
		g.bybase[i] = i;
	qsort(g.bybase, n0, sizeof(unsigned int), by_base);
	cmd = xasprintf("cd %s && grep -rIE %s '^[[:space:]]*#[[:space:]]*"
			"include' . ; test $? -le 1", shell_quote(c->tree),
			grep_sources);
	out = tree_output(c, "includes", cmd);
	if (!out)
		die(EXIT_ENV, "cannot search %s for #include lines", c->tree);
	g.rev = xrealloc(NULL, n0, sizeof(unsigned int *));
	g.nrev = xrealloc(NULL, n0, sizeof(unsigned int));
	memset(g.rev, 0, n0 * sizeof(unsigned int *));
	memset(g.nrev, 0, n0 * sizeof(unsigned int));
	save = NULL;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *spec;
		bool quoted;
		int from;

		if (!colon || strncmp(line, "./", 2))
			continue;
		*colon = '\0';
		from = file_id(line + 2);
		spec = include_spec(colon + 1, &quoted);
		if (spec && from >= 0)
			add_include(c, from, spec, quoted);
		free(spec);
	}
	free(out);
	free(cmd);
	step("  the tree's #include graph: %u files (%.1f s)", g.n, now() - t);
}

/*
 * Walk the graph backwards from @start: every file that includes one of
 * them, directly or not, is marked in @seen.  Returns how many.
 */
static unsigned int walk(struct create *c, char **start, unsigned int n,
			 bool *seen)
{
	unsigned int *queue = xrealloc(NULL, g.n + 1, sizeof(unsigned int));
	unsigned int head = 0, tail = 0, i, count = 0;

	for (i = 0; i < n; i++) {
		int id = file_id(start[i]);

		if (id >= 0 && !seen[id]) {
			seen[id] = true;
			queue[tail++] = id;
			count++;
		}
	}
	while (head < tail) {
		unsigned int f = queue[head++];

		for (i = 0; i < g.nrev[f]; i++) {
			unsigned int from = g.rev[f][i];

			if (!seen[from]) {
				seen[from] = true;
				queue[tail++] = from;
				count++;
			}
		}
	}
	free(queue);
	(void)c;
	return count;
}

/*
 * The built objects whose sources may include @file, into @v.  Returns
 * their number, or -1 if more than @max of them would need
 * preprocessing (@has_record says which do not).  *@nfiles: how many
 * files include it, directly or not.
 */
int include_users(struct create *c, const char *file, unsigned int max,
		  bool (*has_record)(struct create *, const char *),
		  struct cand **v, unsigned int *n, unsigned int *nfiles)
{
	char *start = (char *)file;
	bool *seen;
	unsigned int i, k, costly = 0;
	int found = 0;
	double t = now();

	load_graph(c);
	seen = xrealloc(NULL, g.n + 1, sizeof(bool));
	memset(seen, 0, (g.n + 1) * sizeof(bool));
	if (file_id(file) < 0)
		add_file(file);	/* never included: reaches nothing */
	*nfiles = walk(c, &start, 1, seen) - 1;
	for (i = 0; i < g.n && found >= 0; i++) {
		const char *f = g.path[i];
		size_t len = strlen(f);
		unsigned int before = *n;
		char *obj;

		if (!seen[i] || !strcmp(f, file) ||
		    (!has_suffix(f, ".c") && !has_suffix(f, ".S")))
			continue;
		obj = xasprintf("%.*s.o", (int)len - 2, f);
		found += objmap_targets(obj, v, n);
		for (k = before; k < *n; k++)
			costly += !has_record(c, (*v)[k].obj);
		if (costly > max)
			found = -1;
		free(obj);
	}
	free(seen);
	step("  %s: %u file%s of the tree include it, %s%d of them "
	     "built (%.1f s)", file, *nfiles, *nfiles == 1 ? "" : "s",
	     found < 0 ? "more than " : "", found < 0 ? (int)max : found,
	     now() - t);
	return found;
}

/* The files that include one of @files, directly or not, and those. */
struct include_set {
	bool *seen;
	unsigned int count;
};

struct include_set *include_closure(struct create *c, char **files,
				    unsigned int n)
{
	struct include_set *s = xrealloc(NULL, 1, sizeof(*s));

	load_graph(c);
	s->seen = xrealloc(NULL, g.n + 1, sizeof(bool));
	memset(s->seen, 0, (g.n + 1) * sizeof(bool));
	s->count = walk(c, files, n, s->seen);
	return s;
}

bool include_closure_has(const struct include_set *s, const char *file)
{
	int id = file_id(file);

	return id >= 0 && s->seen[id];
}

unsigned int include_closure_size(const struct include_set *s)
{
	return s->count;
}

void include_closure_free(struct include_set *s)
{
	free(s->seen);
	free(s);
}
