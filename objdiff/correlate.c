// SPDX-License-Identifier: GPL-2.0
/*
 * Pair the functions and data objects of pre and post.  Names are stable
 * except for the numbers gcc appends: "foo.constprop.0" may become
 * "foo.constprop.1".  Static locals ("count.4") and generated names
 * (__UNIQUE_ID_ddebug601) are numbered across the whole file, so one new
 * one renumbers the others: statics.c pairs those by use and content.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* "foo.constprop.0.cold" -> "foo.constprop.cold"; "count.4" -> "count" */
static char *norm_name(const char *name)
{
	char *out = od_xstrdup(name), *w = out;
	const char *p = name;

	while (*p) {
		const char *q = p + 1;

		if (*p == '.' && p != name && isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q))
				q++;
			if (*q == '.' || !*q) {
				p = q;
				continue;
			}
		}
		*w++ = *p++;
	}
	*w = '\0';
	return out;
}

static bool pairable(const struct od_sym *s)
{
	return (od_is_func(s) || od_is_object(s)) && s->name[0];
}

static void pair(struct od_sym *a, struct od_sym *b)
{
	a->twin = b;
	b->twin = a;
}

static void pair_exact(struct od_obj *pre, struct od_obj *post)
{
	size_t i;

	for (i = 1; i < post->nsyms; i++) {
		struct od_sym *b = &post->syms[i], *a;

		if (!pairable(b) || od_is_numbered_static(b))
			continue;
		a = od_obj_find(pre, b->name);
		if (a && pairable(a) && !a->twin && !od_is_numbered_static(a))
			pair(a->canon, b);
	}
}

/* Key of an unpaired symbol (not a numbered static): its normalized name. */
static char **make_keys(struct od_obj *o)
{
	char **keys = od_xcalloc(o->nsyms, sizeof(*keys));
	size_t i;

	for (i = 1; i < o->nsyms; i++)
		if (pairable(&o->syms[i]) && !o->syms[i].twin &&
		    !od_is_numbered_static(&o->syms[i]))
			keys[i] = norm_name(o->syms[i].name);
	return keys;
}

static size_t count_key(struct od_obj *o, char **keys, const char *key)
{
	size_t i, n = 0;

	for (i = 1; i < o->nsyms; i++)
		if (keys[i] && !o->syms[i].twin && !strcmp(keys[i], key))
			n++;
	return n;
}

static unsigned long suffix_number(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? strtoul(dot + 1, NULL, 10) : 0;
}

/* The unpaired symbol with @key and the smallest number, or NULL. */
static struct od_sym *first_with_key(struct od_obj *o, char **keys,
				     const char *key, bool func)
{
	struct od_sym *best = NULL;
	size_t i;

	for (i = 1; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i];

		if (!keys[i] || s->twin || strcmp(keys[i], key) ||
		    (s->type == STT_FUNC) != func)
			continue;
		if (!best || suffix_number(s->name) < suffix_number(best->name))
			best = s;
	}
	return best;
}

/*
 * Pair what is left by key, when both sides hold the same number of
 * symbols with that key (in the order of their numbers).  Otherwise leave
 * them unpaired: an unpaired function is carried as new, which is safe.
 */
static void pair_by_key(struct od_obj *pre, struct od_obj *post)
{
	char **pk = make_keys(pre), **qk = make_keys(post);
	size_t i;

	for (i = 1; i < post->nsyms; i++) {
		struct od_sym *b = &post->syms[i];
		bool func = b->type == STT_FUNC;
		char *key;

		if (!qk[i] || b->twin)
			continue;
		key = od_xstrdup(qk[i]);
		if (count_key(pre, pk, key) == count_key(post, qk, key)) {
			struct od_sym *x, *y;

			while ((x = first_with_key(pre, pk, key, func)) &&
			       (y = first_with_key(post, qk, key, func)))
				pair(x, y);
		}
		free(key);
	}
	for (i = 0; i < pre->nsyms; i++)
		free(pk[i]);
	for (i = 0; i < post->nsyms; i++)
		free(qk[i]);
	free(pk);
	free(qk);
}

void od_correlate(struct od_obj *pre, struct od_obj *post)
{
	pair_exact(pre, post);
	pair_by_key(pre, post);
	od_pair_statics(pre, post);
}

char *od_norm_name(const char *name)
{
	return norm_name(name);
}
