// SPDX-License-Identifier: GPL-2.0
/*
 * Pair numbered statics and generated names of pre and post by use and
 * content, never by their number.
 *
 * gcc numbers function-scope statics across the whole file (__func__.12,
 * __already_done.3, _rs.5, __key.7, CSWTCH.40, count.2), and
 * __COUNTER__ numbers generated names (__UNIQUE_ID_ddebug601): one
 * WARN_ONCE, pr_*_once(), ratelimited print or #include added anywhere
 * renumbers the others.  So a static is identified by its base name
 * (the numbers taken out) and by where it is used:
 *
 * 1. strong: a function (or paired data) whose pre and post bytes have
 *    the same size and relocations at the same offsets uses, at
 *    relocation k, X before and Y after: X and Y are one variable (an
 *    unchanged function reads the same static it always read);
 * 2. weak: in other function pairs, the relocations are aligned by their
 *    targets (statics-align.c); X aligned with Y is a vote.  First a
 *    static's reference aligns only with one that passes on the same
 *    message (a once-flag's printk format), then, for what is left,
 *    without (a message reworded);
 * 3. content: read-only statics left over (__func__, CSWTCH tables)
 *    pair when exactly one of each side holds the same bytes.
 *
 * These rounds repeat while they pair more (a pair of data votes for
 * what it points at).  Statics nothing refers to pair by base and
 * content.  A static voted for two partners is ambiguous.  Read-only
 * statics pair only with equal content; new code uses a copy of them
 * (what they hold never changes, so a copy is the same).  A writable one left
 * unpaired is new (own storage in the update) unless an unpaired static
 * of the same base was used by the same function before: then it might
 * be that running variable, and plan.c refuses new code that uses it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

bool od_is_generated(const char *name)
{
	return !strncmp(name, "__UNIQUE_ID_", 12);
}

/* "__func__.12" -> "__func__"; "__UNIQUE_ID_ddebug601.3" -> "__UNIQUE_ID_ddebug" */
char *od_static_base(const char *name)
{
	char *b = od_norm_name(name);
	size_t n = strlen(b);

	if (od_is_generated(b))
		while (n > 12 && isdigit((unsigned char)b[n - 1]))
			b[--n] = '\0';
	return b;
}

bool od_is_numbered_static(const struct od_sym *s)
{
	char *b;
	bool ret;

	if (s->type != STT_OBJECT || s->bind != STB_LOCAL || !s->sec ||
	    s->canon != s || !s->name[0])
		return false;
	b = od_static_base(s->name);
	ret = strcmp(b, s->name) != 0;
	free(b);
	return ret;
}

static bool read_only(const struct od_sym *s)
{
	return !(s->sec->sh.sh_flags & SHF_WRITE);
}

static struct od_sym conflict;	/* a vote for two partners */

struct pairing {
	struct od_obj *pre, *post;
	char **pbase, **qbase;		/* base name of each candidate */
	struct od_sym **pv, **qv;	/* partner voted for, or &conflict */
};

static bool cand(char **base, const struct od_sym *s)
{
	return s && base[s->index] && !s->twin;
}

static void vote(struct pairing *g, struct od_sym *a, struct od_sym *b)
{
	if (!cand(g->pbase, a) || !cand(g->qbase, b) ||
	    strcmp(g->pbase[a->index], g->qbase[b->index]))
		return;
	if (!g->pv[a->index])
		g->pv[a->index] = b;
	else if (g->pv[a->index] != b)
		g->pv[a->index] = &conflict;
	if (!g->qv[b->index])
		g->qv[b->index] = a;
	else if (g->qv[b->index] != a)
		g->qv[b->index] = &conflict;
}

/*
 * While pairing, a reference from read-only data to a static not paired
 * yet (fake_sk.1 pointing at fake_pinfo.0) counts as equal to one of the
 * same base at the same offset; verify() checks it once all are paired.
 */
static bool alike_target(const struct od_target *x, const struct od_target *y,
			 void *ctx)
{
	struct pairing *g = ctx;

	if (od_targets_equal(x, y))
		return true;
	return x->kind == TK_SYM && y->kind == TK_SYM && x->sym->sec &&
	       y->sym->sec && cand(g->pbase, x->sym) &&
	       cand(g->qbase, y->sym) && x->off == y->off &&
	       !strcmp(g->pbase[x->sym->index], g->qbase[y->sym->index]);
}

static bool content_alike(struct pairing *g, struct od_sym *a,
			  struct od_sym *b)
{
	GElf_Addr ao = a->st.st_value, bo = b->st.st_value, n = b->st.st_size;
	size_t ai = od_rela_lower(a->sec, ao);
	size_t aend = od_rela_lower(a->sec, ao + n);
	GElf_Addr i;

	if ((a->sec->sh.sh_type == SHT_NOBITS) !=
	    (b->sec->sh.sh_type == SHT_NOBITS) ||
	    !od_relas_pair(a->sec, ao, b->sec, bo, n, alike_target, g))
		return false;
	if (a->sec->sh.sh_type == SHT_NOBITS)
		return true;
	for (i = 0; i < n; i++)
		if (a->sec->data[ao + i] != b->sec->data[bo + i] &&
		    !od_in_reloc_field(a->sec, ao + i, ai, aend))
			return false;
	return true;
}

/* Could @a and @b be one variable: same base, size, kind, and for
 * read-only data the same content. */
static bool compatible(struct pairing *g, struct od_sym *a, struct od_sym *b)
{
	const GElf_Xword flags = SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR | SHF_TLS;

	if (strcmp(g->pbase[a->index], g->qbase[b->index]) ||
	    a->st.st_size != b->st.st_size ||
	    ((a->sec->sh.sh_flags ^ b->sec->sh.sh_flags) & flags))
		return false;
	return !read_only(b) || content_alike(g, a, b);
}

static void pair(struct od_sym *a, struct od_sym *b)
{
	a->twin = b;
	b->twin = a;
}

/* Pair what voted for each other alone; mark what voted for two. */
static void settle(struct pairing *g)
{
	size_t i;

	for (i = 1; i < g->post->nsyms; i++) {
		struct od_sym *b = &g->post->syms[i], *a = g->qv[i];

		if (!a)
			continue;
		if (a == &conflict) {
			b->ambiguous = true;
		} else if (g->pv[a->index] == &conflict) {
			a->ambiguous = b->ambiguous = true;
		} else if (g->pv[a->index] == b && !b->twin && !a->twin &&
			   compatible(g, a, b)) {
			pair(a, b);
		}
	}
	for (i = 1; i < g->pre->nsyms; i++)
		if (g->pv[i] == &conflict)
			g->pre->syms[i].ambiguous = true;
	memset(g->pv, 0, g->pre->nsyms * sizeof(*g->pv));
	memset(g->qv, 0, g->post->nsyms * sizeof(*g->qv));
}

/* The static a relocation names (section-relative ones resolved). */
static struct od_sym *static_of(char **base, struct od_sec *sec,
				const struct od_rela *r, GElf_Sxword *off)
{
	struct od_target t;

	od_resolve(sec, r, &t);
	if (t.kind != TK_SYM || !t.sym->sec || !base[t.sym->index])
		return NULL;
	*off = t.off;
	return t.sym;
}

/* Equal size and relocations at the same offsets, of the same types. */
static bool same_layout(struct od_sym *a, struct od_sym *b)
{
	size_t ai = od_rela_lower(a->sec, a->st.st_value);
	size_t bi = od_rela_lower(b->sec, b->st.st_value);
	size_t n = od_rela_lower(a->sec, a->st.st_value + a->st.st_size) - ai;
	size_t k;

	if (a->st.st_size != b->st.st_size ||
	    od_rela_lower(b->sec, b->st.st_value + b->st.st_size) - bi != n)
		return false;
	for (k = 0; k < n; k++) {
		const struct od_rela *x = &a->sec->relas[ai + k];
		const struct od_rela *y = &b->sec->relas[bi + k];

		if (x->offset - a->st.st_value != y->offset - b->st.st_value ||
		    x->type != y->type)
			return false;
	}
	return true;
}

static void strong_votes(struct pairing *g, struct od_sym *a, struct od_sym *b)
{
	size_t ai = od_rela_lower(a->sec, a->st.st_value);
	size_t bi = od_rela_lower(b->sec, b->st.st_value);
	size_t n = od_rela_lower(a->sec, a->st.st_value + a->st.st_size) - ai;
	size_t k;

	for (k = 0; k < n; k++) {
		GElf_Sxword xo = 0, yo = 0;
		struct od_sym *x = static_of(g->pbase, a->sec,
					     &a->sec->relas[ai + k], &xo);
		struct od_sym *y = static_of(g->qbase, b->sec,
					     &b->sec->relas[bi + k], &yo);

		if (x && y && xo == yo)
			vote(g, x, y);
	}
}

static void vote_cb(void *ctx, struct od_sym *a, struct od_sym *b)
{
	vote(ctx, a, b);
}

static bool code_pair(struct od_sym *b)
{
	struct od_sym *a = b->twin;

	return od_is_func(b) && a && od_is_func(a) && a->sec->data &&
	       b->sec->data;
}

/* Paired data (a table pointing at a static) votes like code. */
static bool data_pair(struct od_sym *b)
{
	struct od_sym *a = b->twin;

	return od_is_object(b) && a && od_is_object(a) && a->sec->data &&
	       b->sec->data;
}

/* Unpaired read-only statics of one base and the same bytes, one each. */
static void pair_by_content(struct pairing *g)
{
	size_t i, j, k;

	for (j = 1; j < g->post->nsyms; j++) {
		struct od_sym *b = &g->post->syms[j], *only = NULL;
		size_t n = 0;

		if (!cand(g->qbase, b) || !read_only(b))
			continue;
		for (i = 1; i < g->pre->nsyms; i++) {
			struct od_sym *a = &g->pre->syms[i];

			if (cand(g->pbase, a) && compatible(g, a, b)) {
				only = a;
				n++;
			}
		}
		if (n != 1)
			continue;
		for (k = 1; k < g->post->nsyms; k++)
			if (k != j && cand(g->qbase, &g->post->syms[k]) &&
			    compatible(g, only, &g->post->syms[k]))
				break;
		if (k == g->post->nsyms)
			pair(only, b);
	}
}

/* The unpaired writable statics @fn uses, each once. */
static size_t used_statics(char **base, struct od_sym *fn, struct od_sym ***out)
{
	struct od_sec *sec = fn->sec;
	size_t i = od_rela_lower(sec, fn->st.st_value), n = 0, j;
	struct od_sym **set = NULL, *s;
	GElf_Sxword off;

	for (; i < sec->nrelas &&
	       sec->relas[i].offset < fn->st.st_value + fn->st.st_size; i++) {
		s = static_of(base, sec, &sec->relas[i], &off);
		if (!s || s->twin || read_only(s))
			continue;
		for (j = 0; j < n && set[j] != s; j++)
			;
		if (j < n)
			continue;
		set = od_xrealloc(set, n + 1, sizeof(*set));
		set[n++] = s;
	}
	*out = set;
	return n;
}

/*
 * A writable static of post left unpaired is new, unless a function that
 * uses it used an unpaired static of the same base before: then it may
 * be that running variable.
 */
static void mark_ambiguous(struct pairing *g)
{
	size_t i, j, k;

	for (i = 1; i < g->post->nsyms; i++) {
		struct od_sym *b = &g->post->syms[i], **xs = NULL, **ys;
		size_t nx, ny;

		if (!code_pair(b))
			continue;
		ny = used_statics(g->qbase, b, &ys);
		nx = ny ? used_statics(g->pbase, b->twin, &xs) : 0;
		for (j = 0; j < ny; j++)
			for (k = 0; k < nx; k++)
				if (!strcmp(g->qbase[ys[j]->index],
					    g->pbase[xs[k]->index]))
					ys[j]->ambiguous = xs[k]->ambiguous = true;
		free(ys);
		free(xs);
	}
	for (i = 1; i < g->post->nsyms; i++)
		if (g->post->syms[i].twin || (g->qbase[i] &&
					      read_only(&g->post->syms[i])))
			g->post->syms[i].ambiguous = false;
}

static char **bases(struct od_obj *o)
{
	char **base = od_xcalloc(o->nsyms, sizeof(*base));
	size_t i;

	for (i = 1; i < o->nsyms; i++)
		if (od_is_numbered_static(&o->syms[i]) && !o->syms[i].twin)
			base[i] = od_static_base(o->syms[i].name);
	return base;
}

/* Pairs of @o's candidates. */
static size_t paired(char **base, struct od_obj *o)
{
	size_t i, n = 0;

	for (i = 1; i < o->nsyms; i++)
		n += base[i] && o->syms[i].twin;
	return n;
}

/* Same base, size, kind and content, all relocation targets paired. */
static bool same_static(struct pairing *g, struct od_sym *a, struct od_sym *b)
{
	return compatible(g, a, b) &&
	       od_ranges_equal(a->sec, a->st.st_value, b->sec, b->st.st_value,
			       b->st.st_size, 0, 0);
}

/* The only unused, unpaired static of @o like @s, or NULL. */
static struct od_sym *only_like(struct pairing *g, struct od_obj *o,
				char **base, const bool *used, struct od_sym *s,
				bool s_is_post)
{
	struct od_sym *found = NULL;
	size_t i;

	for (i = 1; i < o->nsyms; i++) {
		struct od_sym *c = &o->syms[i];

		if (!cand(base, c) || used[i] ||
		    !(s_is_post ? same_static(g, c, s) : same_static(g, s, c)))
			continue;
		if (found)
			return NULL;
		found = c;
	}
	return found;
}

/*
 * Statics no relocation anywhere names (__ADDRESSABLE()'s in .init.data):
 * nothing can read the wrong partner; one of each side with the same base
 * and content pair.
 */
static void pair_unused(struct pairing *g)
{
	bool *pused = od_xcalloc(g->pre->nsyms, sizeof(bool));
	bool *qused = od_xcalloc(g->post->nsyms, sizeof(bool));
	struct od_obj *objs[2] = { g->pre, g->post };
	bool *used[2] = { pused, qused };
	size_t i, j, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < objs[k]->nsecs; i++) {
			struct od_sec *sec = &objs[k]->secs[i];

			for (j = 0; j < sec->nrelas; j++) {
				struct od_target t;

				od_resolve(sec, &sec->relas[j], &t);
				if (t.kind == TK_SYM && t.sym->sec)
					used[k][t.sym->index] = true;
			}
		}
	for (j = 1; j < g->post->nsyms; j++) {
		struct od_sym *b = &g->post->syms[j], *a;

		if (!cand(g->qbase, b) || qused[j])
			continue;
		a = only_like(g, g->pre, g->pbase, pused, b, true);
		if (a && only_like(g, g->post, g->qbase, qused, a, false) == b)
			pair(a, b);
	}
	free(pused);
	free(qused);
}

/*
 * Read-only pairs were made assuming the statics they point at pair as
 * well: undo those whose content, now that all are paired, differs (the
 * functions using them then count as changed and carry copies).
 */
static void verify(struct pairing *g)
{
	bool again = true;
	size_t i;

	while (again) {
		again = false;
		for (i = 1; i < g->post->nsyms; i++) {
			struct od_sym *b = &g->post->syms[i], *a = b->twin;

			if (!g->qbase[i] || !a || !read_only(b) ||
			    od_ranges_equal(a->sec, a->st.st_value, b->sec,
					    b->st.st_value, b->st.st_size, 0, 0))
				continue;
			a->twin = b->twin = NULL;
			again = true;
		}
	}
}

void od_pair_statics(struct od_obj *pre, struct od_obj *post)
{
	struct pairing g = { .pre = pre, .post = post };
	size_t i, k, before, rounds = 0;

	g.pbase = bases(pre);
	g.qbase = bases(post);
	g.pv = od_xcalloc(pre->nsyms, sizeof(*g.pv));
	g.qv = od_xcalloc(post->nsyms, sizeof(*g.qv));
	/* a pair made in one round may vote in the next (data pointing
	 * at data) */
	do {
		before = paired(g.qbase, post);
		for (i = 1; i < post->nsyms; i++)
			if ((code_pair(&post->syms[i]) ||
			     data_pair(&post->syms[i])) &&
			    same_layout(post->syms[i].twin, &post->syms[i]))
				strong_votes(&g, post->syms[i].twin,
					     &post->syms[i]);
		settle(&g);
		/* first by message, then without: a message changed */
		for (k = 0; k < 2; k++) {
			for (i = 1; i < post->nsyms; i++)
				if (code_pair(&post->syms[i]) &&
				    !same_layout(post->syms[i].twin,
						 &post->syms[i]))
					od_align_statics(g.pbase,
						post->syms[i].twin, g.qbase,
						&post->syms[i], !k, vote_cb, &g);
			settle(&g);
		}
		pair_by_content(&g);
	} while (paired(g.qbase, post) != before && ++rounds < 8);
	pair_unused(&g);
	verify(&g);
	mark_ambiguous(&g);
	for (i = 0; i < pre->nsyms; i++)
		free(g.pbase[i]);
	for (i = 0; i < post->nsyms; i++)
		free(g.qbase[i]);
	free(g.pbase);
	free(g.qbase);
	free(g.pv);
	free(g.qv);
}
