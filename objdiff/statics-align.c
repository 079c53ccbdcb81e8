// SPDX-License-Identifier: GPL-2.0
/*
 * Align the relocations of a function's pre and post code by what they
 * point at, to tell which numbered static of post continues which of pre
 * (statics.c's weak votes).  A longest common subsequence, taken once with
 * the matches as early and once as late as possible: where two equally
 * long alignments pair a static differently, it gets both votes (and is
 * then ambiguous).  A static's reference compares by base name and, when
 * asked, by the message it passes on: the first string literal a few
 * relocations on (cmpb $0, flag; movb $1, flag; mov $fmt, %rdi; call
 * _printk), or where the branch into the function's .cold part lands
 * (a ratelimited print: ___ratelimit(&_rs), then jne to the _dev_warn
 * call in .cold), so that a new once-flag or ratelimit state in front of
 * an old one does not take its place.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define LCS_MAX_CELLS	(4u << 20)	/* of n x m: 16 MiB at most */

/* One relocation of a function, as the alignment compares it. */
struct item {
	struct od_target t;
	GElf_Sxword look;	/* where in t.sec the code looks */
	const char *base;	/* a candidate static: its base name */
	/* the string the code around it passes on (a once-flag's message) */
	const unsigned char *msg;
	size_t msglen;
};

#define MSG_REACH	6	/* relocations looked ahead for the message */

/* The first string literal a few relocations on from @look in @cold. */
static void cold_msg(struct od_sym *cold, GElf_Sxword look, struct item *it)
{
	struct od_sec *sec = cold->sec;
	GElf_Sxword end = cold->st.st_value + cold->st.st_size;
	size_t i = od_rela_lower(sec, look), k;
	struct od_target t;

	if (look < (GElf_Sxword)cold->st.st_value || look >= end)
		return;
	for (k = 0; i < sec->nrelas && k < MSG_REACH &&
	     (GElf_Sxword)sec->relas[i].offset < end; i++, k++) {
		od_resolve(sec, &sec->relas[i], &t);
		if (t.kind == TK_STRING) {
			it->msg = t.bytes;
			it->msglen = t.len;
			return;
		}
	}
}

/*
 * The message of each static reference: the first string literal among
 * the next few relocations, past further references to the same static,
 * before one to another static (cmpb $0, flag; movb $1, flag; ...;
 * mov $fmt, %rdi; call _printk); failing that, the first one where a
 * branch among them into @fn's .cold part lands.
 */
static void find_msgs(struct od_sym *fn, struct item *it, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct item *cold = NULL;

		if (!it[i].base)
			continue;
		for (j = i + 1; j < n && j <= i + MSG_REACH; j++) {
			if (it[j].base && it[j].t.sym != it[i].t.sym)
				break;
			if (it[j].t.kind == TK_STRING) {
				it[i].msg = it[j].t.bytes;
				it[i].msglen = it[j].t.len;
				break;
			}
			if (!cold && fn->cold && it[j].t.sec == fn->cold->sec)
				cold = &it[j];
		}
		if (!it[i].msg && cold)
			cold_msg(fn->cold, cold->look, &it[i]);
	}
}

static size_t items_of(char **base, struct od_sym *fn, struct item **out)
{
	struct od_sec *sec = fn->sec;
	size_t i = od_rela_lower(sec, fn->st.st_value), n = 0;
	struct item *it = NULL;

	for (; i < sec->nrelas &&
	       sec->relas[i].offset < fn->st.st_value + fn->st.st_size; i++) {
		if (sec->relas[i].type == R_X86_64_NONE)
			continue;
		it = od_xrealloc(it, n + 1, sizeof(*it));
		od_resolve(sec, &sec->relas[i], &it[n].t);
		it[n].look = od_look(sec, &sec->relas[i]);
		it[n].base = it[n].t.kind == TK_SYM && it[n].t.sym->sec ?
			     base[it[n].t.sym->index] : NULL;
		it[n].msg = NULL;
		it[n].msglen = 0;
		n++;
	}
	find_msgs(fn, it, n);
	*out = it;
	return n;
}

/* With @by_msg, static references align only with the same message. */
static bool items_alike(const struct item *x, const struct item *y,
			bool by_msg)
{
	if (x->base || y->base) {
		if (!x->base || !y->base || strcmp(x->base, y->base) ||
		    x->t.off != y->t.off)
			return false;
		if (!by_msg)
			return true;
		return x->msg && y->msg && x->msglen == y->msglen &&
		       !memcmp(x->msg, y->msg, x->msglen);
	}
	if (x->t.kind == TK_ANON && y->t.kind == TK_ANON)
		return !strcmp(x->t.sec->name, y->t.sec->name);
	return od_targets_equal(&x->t, &y->t);
}

/*
 * Align @x and @y (longest common subsequence, matches taken as early as
 * possible); @match[i] is the index in @y aligned with x[i], or -1.
 */
static void align(const struct item *x, size_t n, const struct item *y,
		  size_t m, bool by_msg, long *match)
{
	unsigned int *len = od_xcalloc((n + 1) * (m + 1), sizeof(*len));
	size_t i, j;

#define L(a, b) len[(a) * (m + 1) + (b)]
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			L(i, j) = items_alike(&x[i], &y[j], by_msg) ?
				  L(i + 1, j + 1) + 1 :
				  L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) :
				  L(i, j + 1);
	for (i = 0; i < n; i++)
		match[i] = -1;
	for (i = 0, j = 0; i < n && j < m;) {
		if (items_alike(&x[i], &y[j], by_msg) &&
		    L(i, j) == L(i + 1, j + 1) + 1)
			match[i++] = j++;
		else if (L(i + 1, j) >= L(i, j + 1))
			i++;
		else
			j++;
	}
#undef L
	free(len);
}

static void reverse(struct item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		struct item t = it[i];

		it[i] = it[n - 1 - i];
		it[n - 1 - i] = t;
	}
}

/*
 * The compiler may lay a function's blocks out in another order after a
 * change, and an alignment keeps one order: a static's reference in a
 * block that moved stays unaligned (apparmor's aa_change_profile, whose
 * `_rs` print went after three refcount checks).  A reference left
 * unaligned both ways still pairs when its base and message are those of
 * exactly one unaligned reference of the other side, and of no other
 * unaligned one of its own.
 */
static void moved_blocks(const struct item *x, size_t n, const struct item *y,
			 size_t m, const long *early, const long *late,
			 void (*vote)(void *, struct od_sym *, struct od_sym *),
			 void *ctx)
{
	bool *xa = od_xcalloc(n, sizeof(*xa)), *ya = od_xcalloc(m, sizeof(*ya));
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		long l = late[n - 1 - i];

		if (early[i] >= 0)
			xa[i] = ya[early[i]] = true;
		if (l >= 0)
			xa[i] = ya[m - 1 - l] = true;
	}
	for (i = 0; i < n; i++) {
		size_t nx = 0, ny = 0, at = 0;

		if (!x[i].base || !x[i].msg || xa[i])
			continue;
		for (k = 0; k < n; k++)
			nx += !xa[k] && x[k].base && items_alike(&x[i], &x[k], true);
		for (j = 0; j < m; j++)
			if (!ya[j] && y[j].base && items_alike(&x[i], &y[j], true)) {
				ny++;
				at = j;
			}
		if (nx == 1 && ny == 1)
			vote(ctx, x[i].t.sym, y[at].t.sym);
	}
	free(xa);
	free(ya);
}

/*
 * Votes from the alignment of a changed function's relocations, taken
 * both as early and as late as possible: where two alignments are
 * equally long and pair a static differently (a new once-flag next to
 * an old one, both before the same call), the static gets both votes,
 * which makes it ambiguous.
 */
void od_align_statics(char **pbase, struct od_sym *a, char **qbase,
		      struct od_sym *b, bool by_msg,
		      void (*vote)(void *, struct od_sym *, struct od_sym *),
		      void *ctx)
{
	struct item *x, *y;
	size_t n = items_of(pbase, a, &x), m = items_of(qbase, b, &y);
	long *early, *late;
	size_t i, j;

	for (i = 0; i < n && !x[i].base; i++)
		;
	for (j = 0; j < m && !y[j].base; j++)
		;
	/* no static on one side: nothing to vote for */
	if (i == n || j == m || n > LCS_MAX_CELLS / m) {
		free(x);
		free(y);
		return;
	}
	early = od_xcalloc(n, sizeof(*early));
	late = od_xcalloc(n, sizeof(*late));
	align(x, n, y, m, by_msg, early);
	reverse(x, n);
	reverse(y, m);
	align(x, n, y, m, by_msg, late);
	reverse(x, n);
	reverse(y, m);
	for (i = 0; i < n; i++) {
		long l = late[n - 1 - i];

		if (!x[i].base)
			continue;
		if (early[i] >= 0)
			vote(ctx, x[i].t.sym, y[early[i]].t.sym);
		if (l >= 0)
			vote(ctx, x[i].t.sym, y[m - 1 - l].t.sym);
	}
	if (by_msg)
		moved_blocks(x, n, y, m, early, late, vote, ctx);
	free(early);
	free(late);
	free(x);
	free(y);
}

