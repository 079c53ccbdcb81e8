// SPDX-License-Identifier: GPL-2.0
/*
 * Which of several same-named statics of the target module a reference
 * of the new code means.  Two files of one module may each have a static
 * of one name (a header's inline split off as "_dec_unacked.part.0", a
 * once-flag "__already_done.57"), and kallsyms cannot tell them apart.
 * When no replaced function's old code reads the static, run-pre matching
 * cannot either, and the engine refuses the update as ambiguous.
 *
 * The target's own module file (Debian's .ko of the running release)
 * can: it is the running module before relocation.  The functions of the
 * patched file that use the static in the pre object are found there by
 * name, and their references (relocations, or calls the assembler
 * resolved, given back by branches.c) name the one they use.  Its rank
 * among the same-named symbols of the module's symbol table, the order
 * kallsyms keeps for a module, is the sympos the engine looks up.  When
 * the witnesses are missing or disagree, nothing is set and the engine
 * still refuses.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static bool named(const struct od_sym *s, const char *name)
{
	return s->sec && s->type != STT_SECTION && s->type != STT_FILE &&
	       !strcmp(s->name, name);
}

/* The one function of @o named @name, or NULL. */
static struct od_sym *only_func(struct od_obj *o, const char *name)
{
	struct od_sym *found = NULL;
	size_t i;

	for (i = 1; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i];

		if (!named(s, name))
			continue;
		if (found || !od_is_func(s))
			return NULL;
		found = s;
	}
	return found;
}

/* Does @fn's code refer to @to (through a symbol of that name in @o)? */
static struct od_sym *refers(struct od_sym *fn, const char *to,
			     const struct od_sym *exact)
{
	const struct od_sec *sec = fn->sec;
	GElf_Addr lo = fn->st.st_value, hi = lo + fn->st.st_size;
	size_t i = od_rela_lower(sec, lo);

	for (; i < sec->nrelas && sec->relas[i].offset < hi; i++) {
		struct od_target t;

		od_resolve(sec, &sec->relas[i], &t);
		if (t.kind != TK_SYM || !t.sym || !t.sym->sec)
			continue;
		if (exact ? t.sym == exact : !strcmp(t.sym->name, to))
			return t.sym;
	}
	return NULL;
}

/*
 * The target's symbol that the pre object's @s is, through every
 * function of the pre object that uses it and is found by name in @tgt;
 * NULL if none says, or two disagree.
 */
static struct od_sym *witnessed(struct od_plan *p, struct od_obj *tgt,
				struct od_sym *s)
{
	struct od_sym *seen = NULL;
	size_t i;

	for (i = 1; i < p->pre.nsyms; i++) {
		struct od_sym *fn = &p->pre.syms[i], *there, *used;

		if (!od_is_func(fn) || fn == s || !refers(fn, NULL, s->canon))
			continue;
		there = only_func(tgt, fn->name);
		used = there ? refers(there, s->name, NULL) : NULL;
		if (!used)
			continue;
		if (seen && seen != used)
			return NULL;
		seen = used;
	}
	return seen;
}

/* 1-based rank of @which among @tgt's symbols named like it; 0 if alone. */
static unsigned int rank(struct od_obj *tgt, const struct od_sym *which)
{
	unsigned int n = 0, at = 0;
	size_t i;

	for (i = 1; i < tgt->nsyms; i++) {
		if (!named(&tgt->syms[i], which->name))
			continue;
		n++;
		if (&tgt->syms[i] == which)
			at = n;
	}
	return n > 1 ? at : 0;
}

static bool read_by_runpre(const struct od_result *res, const char *symbol)
{
	unsigned int i, j;

	for (i = 0; i < res->nr_funcs; i++)
		for (j = 0; j < res->funcs[i].nr_pre_relocs; j++)
			if (!strcmp(res->funcs[i].pre_relocs[j].symbol, symbol))
				return true;
	return false;
}

/* An earlier relocation to the same static: its answer stands. */
static const struct od_kreloc *said_before(const struct od_result *res,
					   unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (!strcmp(res->krelocs[j].symbol, res->krelocs[i].symbol) &&
		    !strcmp(res->krelocs[j].object, res->krelocs[i].object))
			return &res->krelocs[j];
	return NULL;
}

/*
 * The module's file: the caller's, or asked of it now (*@owned, to
 * free).  Without one, say what the engine will do rather than let the
 * apply find out.
 */
static const char *target_file(struct od_plan *p, struct od_result *res,
			       const struct od_sym *s, char **owned)
{
	const char *path = p->opt->target_binary;

	*owned = NULL;
	if (!path && p->opt->find_target_binary)
		path = *owned = p->opt->find_target_binary(p->opt->find_arg);
	if (!path)
		od_msg(res, OD_MSG_NOTE, s->name, NULL,
		       "a static of %s that no replaced function's old code "
		       "reads, and no file of the module is here to tell "
		       "which of its same-named statics it is: ksplice-apply "
		       "refuses the update as ambiguous if it has several",
		       p->opt->target);
	return path;
}

void od_sympos(struct od_plan *p, struct od_result *res)
{
	struct od_obj tgt;
	bool loaded = false;
	char err[512], *owned = NULL;
	const char *path;
	unsigned int i;

	for (i = 0; i < res->nr_krelocs; i++) {
		struct od_kreloc *k = &res->krelocs[i];
		const char *colon = strrchr(k->symbol, ':');
		struct od_sym *s, *used;

		if (!colon || k->sympos || strcmp(k->object, p->opt->target) ||
		    read_by_runpre(res, k->symbol))
			continue;
		s = od_obj_find(&p->pre, colon + 1);
		if (!s || s->bind != STB_LOCAL)
			continue;
		if (said_before(res, i)) {
			k->sympos = said_before(res, i)->sympos;
			continue;
		}
		if (!loaded) {
			path = target_file(p, res, s, &owned);
			if (!path) {
				free(owned);
				return;
			}
			if (od_obj_load(&tgt, path, err, sizeof(err))) {
				od_msg(res, OD_MSG_NOTE, NULL, NULL,
				       "cannot read the target's module file "
				       "(%s): same-named statics stay unknown",
				       err);
				od_obj_free(&tgt);
				free(owned);
				return;
			}
			loaded = true;
		}
		used = witnessed(p, &tgt, s);
		k->sympos = used ? rank(&tgt, used) : 0;
		if (k->sympos)
			od_msg(res, OD_MSG_NOTE, s->name, NULL,
			       "one of several of that name in %s: the "
			       "module's own code says it is the %u%s",
			       p->opt->target, k->sympos,
			       k->sympos == 1 ? "st" : k->sympos == 2 ? "nd" :
			       k->sympos == 3 ? "rd" : "th");
	}
	if (loaded)
		od_obj_free(&tgt);
	free(owned);
}
