// SPDX-License-Identifier: GPL-2.0
/*
 * What the comparison looks an object up by, built once it is loaded
 * and checked (elfobj.c): each section's functions and objects in
 * address order, the canonical symbol of aliases, a function's .cold
 * part, and the pieces of code that has no symbols, cut where something
 * refers to it.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static int sym_value_cmp(const void *a, const void *b)
{
	const struct od_sym *x = *(const struct od_sym **)a;
	const struct od_sym *y = *(const struct od_sym **)b;

	if (x->st.st_value != y->st.st_value)
		return x->st.st_value < y->st.st_value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Index each section's functions and objects, pick the canonical symbol of
 * aliases (init_module for hello_init: the first one, locals come first),
 * and find which executable sections hold no function at all.
 */
void od_index_symbols(struct od_obj *o)
{
	size_t i;

	for (i = 0; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i];
		struct od_sec *sec = s->sec;

		if (!sec || (s->type != STT_FUNC && s->type != STT_OBJECT))
			continue;
		sec->syms = od_xrealloc(sec->syms, sec->nsyms + 1,
					sizeof(*sec->syms));
		sec->syms[sec->nsyms++] = s;
	}
	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *sec = &o->secs[i];
		size_t j;

		if (sec->nsyms)
			qsort(sec->syms, sec->nsyms, sizeof(*sec->syms),
			      sym_value_cmp);
		for (j = 1; j < sec->nsyms; j++) {
			struct od_sym *a = sec->syms[j - 1]->canon;
			struct od_sym *b = sec->syms[j];

			if (a->st.st_value == b->st.st_value &&
			    a->st.st_size == b->st.st_size && a->type == b->type)
				b->canon = a->index < b->index ? a : b;
		}
		if (sec->kind == SK_TEXT) {
			bool has_func = false;

			for (j = 0; j < sec->nsyms; j++)
				has_func |= sec->syms[j]->type == STT_FUNC;
			if (!has_func)
				sec->kind = SK_PIECES;
		}
	}
	/* foo.cold belongs to foo */
	for (i = 0; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i], *p;
		char *base;

		if (s->type != STT_FUNC || !s->sec || !od_has_suffix(s->name, ".cold"))
			continue;
		base = od_xstrdup(s->name);
		base[strlen(base) - 5] = '\0';
		p = od_obj_find(o, base);
		free(base);
		if (p && p->type == STT_FUNC && p->sec) {
			s->parent = p;
			p->cold = s;
		}
	}
}

static int addr_cmp(const void *a, const void *b)
{
	GElf_Addr x = *(const GElf_Addr *)a, y = *(const GElf_Addr *)b;

	return x < y ? -1 : x > y;
}

/*
 * Code without symbols (.altinstr_replacement, .altinstr_aux) is cut into
 * pieces where something refers to it: each piece belongs to whatever
 * refers to its start.
 */
void od_compute_cuts(struct od_obj *o)
{
	size_t i, j;

	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *from = &o->secs[i];

		for (j = 0; j < from->nrelas; j++) {
			struct od_sec *to = from->relas[j].sym->sec;
			GElf_Sxword look;

			if (!to || to->kind != SK_PIECES ||
			    from->relas[j].sym->type == STT_FUNC)
				continue;
			look = od_look(from, &from->relas[j]);
			if (look < 0 || look >= (GElf_Sxword)to->sh.sh_size)
				continue;
			to->cuts = od_xrealloc(to->cuts, to->ncuts + 1,
					       sizeof(*to->cuts));
			to->cuts[to->ncuts++] = look;
		}
	}
	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *s = &o->secs[i];
		size_t n = 0;

		if (!s->ncuts)
			continue;
		qsort(s->cuts, s->ncuts, sizeof(*s->cuts), addr_cmp);
		for (j = 0; j < s->ncuts; j++)
			if (!n || s->cuts[n - 1] != s->cuts[j])
				s->cuts[n++] = s->cuts[j];
		s->ncuts = n;
	}
}

struct od_sym *od_obj_find(struct od_obj *o, const char *name)
{
	size_t i;

	for (i = 1; i < o->nsyms; i++)
		if (o->syms[i].type != STT_SECTION && o->syms[i].type != STT_FILE &&
		    !strcmp(o->syms[i].name, name))
			return &o->syms[i];
	return NULL;
}

struct od_sym *od_sec_sym_at(struct od_sec *sec, GElf_Sxword off)
{
	struct od_sym *best = NULL;
	size_t i;

	for (i = 0; i < sec->nsyms; i++) {
		struct od_sym *s = sec->syms[i]->canon;
		GElf_Sxword v = (GElf_Sxword)s->st.st_value;

		if (off >= v && off < v + (GElf_Sxword)s->st.st_size)
			return s;
		/* a reference just past the end (ORC terminators) */
		if (off == v + (GElf_Sxword)s->st.st_size && !best)
			best = s;
	}
	if (!best && sec->nsyms == 1)
		best = sec->syms[0]->canon;	/* e.g. cmpl $imm, var(%rip) */
	return best;
}

bool od_is_func(const struct od_sym *s)
{
	return s->type == STT_FUNC && s->sec && s->canon == s;
}

bool od_is_object(const struct od_sym *s)
{
	return s->type == STT_OBJECT && s->sec && s->canon == s;
}
