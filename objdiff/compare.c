// SPDX-License-Identifier: GPL-2.0
/*
 * Classify every function and data object of post: unchanged, changed or
 * new; and refuse what a live patch cannot do (changed initial values,
 * __init code, changed types or sizes).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static struct od_sec *find_sec(struct od_obj *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->nsecs; i++)
		if (!strcmp(o->secs[i].name, name))
			return &o->secs[i];
	return NULL;
}

/* Which function each entry of each special section describes. */
void od_find_owners(struct od_obj *o)
{
	size_t i, j;

	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *sec = &o->secs[i];
		const struct od_special *sp = sec->special;

		if (sec->kind != SK_SPECIAL || sp->entsize == 6 || !sp->entsize)
			continue;
		sec->nentries = sec->sh.sh_size / sp->entsize;
		sec->owners = od_xcalloc(sec->nentries, sizeof(*sec->owners));
		for (j = 0; j < sec->nrelas; j++) {
			const struct od_rela *r = &sec->relas[j];
			struct od_target t;

			/* the ELF layer put every field inside the table,
			 * but an R_X86_64_NONE may sit at its very end */
			if (r->offset % sp->entsize != sp->anchor ||
			    r->offset / sp->entsize >= sec->nentries)
				continue;
			od_resolve(sec, r, &t);
			if (t.kind == TK_SYM && t.sym->type == STT_FUNC && t.sym->sec)
				sec->owners[r->offset / sp->entsize] = t.sym;
		}
		if (sp->parallel) {
			struct od_sec *par = find_sec(o, sp->parallel);

			if (par && par->kind == SK_SPECIAL) {
				par->nentries = sec->nentries;
				par->owners = od_xcalloc(par->nentries,
							 sizeof(*par->owners));
				memcpy(par->owners, sec->owners,
				       sec->nentries * sizeof(*sec->owners));
			}
		}
	}
}

/* Compare the entries @a (pre) and @b (post) own in section @name. */
static bool entries_equal(struct od_obj *pre, struct od_sym *a,
			  struct od_obj *post, struct od_sym *b,
			  const char *name)
{
	struct od_sec *sa = find_sec(pre, name), *sb = find_sec(post, name);
	const struct od_special *sp = od_special_find(name);
	size_t i = 0, j = 0;

	for (;;) {
		while (sa && i < sa->nentries && sa->owners[i] != a)
			i++;
		while (sb && j < sb->nentries && sb->owners[j] != b)
			j++;
		if (!sa || i >= sa->nentries)
			return !sb || j >= sb->nentries;
		if (!sb || j >= sb->nentries)
			return false;
		if (!od_ranges_equal(sa, i * sp->entsize, sb, j * sp->entsize,
				     sp->entsize, sp->ignore_off,
				     sp->ignore_off + sp->ignore_len))
			return false;
		i++;
		j++;
	}
}

static bool special_equal(struct od_obj *pre, struct od_sym *a,
			  struct od_obj *post, struct od_sym *b)
{
	size_t i;

	for (i = 0; i < post->nsecs; i++) {
		const struct od_special *sp = post->secs[i].special;

		if (post->secs[i].kind == SK_SPECIAL && sp->compare &&
		    !entries_equal(pre, a, post, b, sp->name))
			return false;
	}
	for (i = 0; i < pre->nsecs; i++) {
		const struct od_special *sp = pre->secs[i].special;

		if (pre->secs[i].kind == SK_SPECIAL && sp->compare &&
		    !find_sec(post, sp->name) &&
		    !entries_equal(pre, a, post, b, sp->name))
			return false;
	}
	return true;
}

/*
 * Equal bytes, relocation targets and table entries; or equal but for
 * line numbers the patch moved (lineonly.c), which is said in a note.
 */
static bool func_equal(struct od_plan *p, struct od_result *res,
		       struct od_sym *a, struct od_sym *b)
{
	if (a->st.st_size != b->st.st_size)
		return false;
	if (!special_equal(&p->pre, a, &p->post, b))
		return false;
	if (od_ranges_equal(a->sec, a->st.st_value, b->sec, b->st.st_value,
			    b->st.st_size, 0, 0))
		return true;
	if (!p->opt->lines ||
	    !od_line_only(p->opt->lines, a->sec, a->st.st_value, b->sec,
			  b->st.st_value, b->st.st_size, true, 0, 0))
		return false;
	od_msg(res, OD_MSG_NOTE, b->name, NULL,
	       "differs only in line numbers the patch moves: not changed");
	return true;
}

static const char *init_kind(const struct od_sec *sec)
{
	return !strncmp(sec->name, ".exit.", 6) ? "__exit" : "__init";
}

/*
 * May a change in @sec (.init.* or .exit.*) be left out, under
 * --skip-init or --skip-exit?  Counts those that are.
 */
static bool left_out(struct od_plan *p, const struct od_sec *sec)
{
	bool exit = !strcmp(init_kind(sec), "__exit");
	unsigned int *n = exit ? p->opt->nr_exit_skipped :
			  p->opt->nr_init_skipped;

	if (!(exit ? p->opt->skip_exit : p->opt->skip_init))
		return false;
	if (n)
		(*n)++;
	return true;
}

/*
 * A new or changed function in .init.* or .exit.* cannot reach the
 * running target.  __init code has run: refused, or left out under
 * --skip-init.  vmlinux's __exit code is discarded and never runs.  A
 * module's __exit code runs at unload, from the module as loaded: a fix
 * there (a new module_exit too) cannot be applied live, and is refused
 * or left out under --skip-exit.  Never "no change" for any of it, but
 * for vmlinux's __exit.
 */
static void init_code(struct od_plan *p, struct od_result *res,
		      struct od_sym *b)
{
	const char *what = b->state == ST_NEW ? "new" : "changed";
	bool exit = !strcmp(init_kind(b->sec), "__exit");

	if (exit && !strcmp(p->opt->target, "vmlinux")) {
		od_msg(res, OD_MSG_NOTE, b->name, NULL,
		       "%s __exit function: built-in code never exits, so it "
		       "never runs", what);
	} else if (left_out(p, b->sec)) {
		od_msg(res, OD_MSG_NOTE, b->name, NULL, exit ?
		       "%s __exit function left out (--skip-exit): the module "
		       "unloads with the exit code it was loaded with" :
		       "%s __init function left out (--skip-init): it ran "
		       "when the code was loaded and will not run again",
		       what);
	} else if (exit) {
		od_msg(res, OD_MSG_REFUSE, b->name,
		       "the loaded module keeps its own exit code; reload "
		       "the module to get this part of the fix, or, if the "
		       "rest of the fix stands without it, leave it out with "
		       "--skip-exit",
		       "%s __exit function (section %s)", what, b->sec->name);
	} else {
		od_msg(res, OD_MSG_REFUSE, b->name,
		       "__init code runs only at boot or load; put the fix in "
		       "code that runs later, or, if the rest of the fix "
		       "stands without it, leave it out with --skip-init",
		       "%s __init function (section %s)", what, b->sec->name);
	}
}

/* Changed .init.data or .exit.data: as init_code() says of code. */
static void init_data(struct od_plan *p, struct od_result *res,
		      struct od_sym *b)
{
	bool exit = !strcmp(init_kind(b->sec), "__exit");

	if (left_out(p, b->sec))
		od_msg(res, OD_MSG_NOTE, b->name, NULL,
		       "changed %s data left out (%s)", init_kind(b->sec),
		       exit ? "--skip-exit: the module unloads with the exit "
		       "code and data it was loaded with" :
		       "--skip-init: it was used when the code was loaded and "
		       "will not be again");
	else
		od_msg(res, OD_MSG_REFUSE, b->name, exit ?
		       "__exit data is used at unload only, by the exit code "
		       "the module was loaded with; leave this part out with "
		       "--skip-exit" :
		       "__init data is used at load time only; make the fix "
		       "where the data is used, or leave this part out with "
		       "--skip-init",
		       "changed %s data", init_kind(b->sec));
}

static void classify_func(struct od_plan *p, struct od_result *res,
			  struct od_sym *b)
{
	struct od_sym *a = b->twin;

	if (!a) {
		b->state = ST_NEW;
		return;
	}
	if (a->type != STT_FUNC) {
		od_msg(res, OD_MSG_REFUSE, b->name,
		       "give the new function another name",
		       "symbol changed type (was data, now a function)");
		return;
	}
	b->state = func_equal(p, res, a, b) ? ST_UNCHANGED : ST_CHANGED;
	/*
	 * The same bytes moved into (or out of) text the engine never
	 * patches (__cpuidle, noinstr): the fix is where the code lies,
	 * which no update can move; never a "no change".
	 */
	if (b->state == ST_UNCHANGED && a->sec && b->sec &&
	    od_forbidden_text(a->sec) != od_forbidden_text(b->sec)) {
		od_msg(res, OD_MSG_NOTE, b->name, NULL, "moves from %s to %s",
		       od_forbidden_text(a->sec) ? od_forbidden_text(a->sec) :
		       a->sec->name, od_forbidden_text(b->sec) ?
		       od_forbidden_text(b->sec) : b->sec->name);
		b->state = ST_CHANGED;
	}
	a->state = b->state;
}

/*
 * Bytes of a data object that may change without a functional change: the
 * line number of a dynamic debug descriptor (struct _ddebug, 18 bits at
 * offset 32; its third byte also holds class_id's low bits) moves when a
 * patch shifts lines, as a WARN's line in __bug_table does.
 */
static void line_only_bytes(const struct od_sym *b, GElf_Addr *lo,
			    GElf_Addr *hi)
{
	*lo = *hi = 0;
	if (!strcmp(b->sec->name, "__dyndbg") && b->st.st_size >= 36) {
		*lo = 32;
		*hi = 35;
	}
}

static void classify_object(struct od_plan *p, struct od_result *res,
			    struct od_sym *b)
{
	struct od_sym *a = b->twin;
	GElf_Addr skip_lo, skip_hi;
	const char *hint = "leave the existing variable as it is and add a "
			   "new one (or change the value from code)";

	if (!a) {
		b->state = ST_NEW;
		return;
	}
	b->state = a->state = ST_UNCHANGED;
	if (a->type != STT_OBJECT) {
		od_msg(res, OD_MSG_REFUSE, b->name, hint,
		       "symbol changed type (was a function, now data)");
	} else if (a->st.st_size != b->st.st_size) {
		od_msg(res, OD_MSG_REFUSE, b->name, hint,
		       "data object changed size (%lu -> %lu bytes): the "
		       "running code uses the old layout",
		       (unsigned long)a->st.st_size,
		       (unsigned long)b->st.st_size);
	} else if ((a->sec->sh.sh_flags ^ b->sec->sh.sh_flags) &
		   (SHF_WRITE | SHF_EXECINSTR | SHF_ALLOC | SHF_TLS)) {
		od_msg(res, OD_MSG_REFUSE, b->name, hint,
		       "data object changed type (moved from %s to %s)",
		       a->sec->name, b->sec->name);
	} else if (line_only_bytes(b, &skip_lo, &skip_hi),
		   !od_ranges_equal(a->sec, a->st.st_value, b->sec,
				    b->st.st_value, b->st.st_size, skip_lo,
				    skip_hi) &&
		   !od_line_only(p->opt->lines, a->sec, a->st.st_value, b->sec,
				 b->st.st_value, b->st.st_size, false, skip_lo,
				 skip_hi)) {
		if (b->sec->kind == SK_INIT)
			init_data(p, res, b);
		else if (!strcmp(b->sec->name, "__dyndbg"))
			/* plan.c gives new code a copy of its own */
			od_msg(res, OD_MSG_NOTE, b->name, NULL,
			       "dynamic debug descriptor changed: the new code "
			       "carries its own");
		else
			od_msg(res, OD_MSG_REFUSE, b->name,
			       "keep the old initializer and set the new value "
			       "from an apply hook, which the update runs once "
			       "inside the stop: `static int fix(void) { x = 5; "
			       "return 0; } ksplice_apply(fix);` with #include "
			       "<ksplice/patch.h>, and ksplice_reverse() to put "
			       "it back on undo (see ksplice(7), HOOKS)",
			       "changed initial value of existing data: the "
			       "running instance keeps its value");
		b->state = a->state = ST_CHANGED;
	}
}

/* foo changes when its foo.cold part does (and carries it along). */
static void propagate_cold(struct od_obj *post)
{
	size_t i;

	for (i = 1; i < post->nsyms; i++) {
		struct od_sym *s = &post->syms[i];

		if (s->parent && s->parent->state == ST_UNCHANGED &&
		    (s->state == ST_CHANGED || s->state == ST_NEW))
			s->parent->state = ST_CHANGED;
	}
}

static void report(struct od_plan *p, struct od_result *res)
{
	size_t i;

	for (i = 1; i < p->post.nsyms; i++) {
		struct od_sym *s = &p->post.syms[i];
		bool func = od_is_func(s);

		if ((!func && !od_is_object(s)) || s->sec->kind == SK_IGNORE ||
		    s->sec->kind == SK_SPECIAL)
			continue;
		/* __initdata only __init code reads (module_init's
		 * __UNIQUE_ID___addressable_*): init_code() speaks for it */
		if (!func && s->sec->kind == SK_INIT)
			continue;
		if (s->state == ST_CHANGED && func)
			od_msg(res, OD_MSG_INFO, s->name, NULL, "changed function");
		else if (s->state == ST_NEW)
			od_msg(res, OD_MSG_INFO, s->name, NULL, "new %s",
			       func ? "function" : "data");
	}
}

void od_classify(struct od_plan *p, struct od_result *res)
{
	size_t i;
	bool changed = false;

	od_find_owners(&p->pre);
	od_find_owners(&p->post);
	for (i = 1; i < p->post.nsyms; i++) {
		struct od_sym *b = &p->post.syms[i];

		if (!b->sec || b->canon != b || b->sec->kind == SK_IGNORE ||
		    b->sec->kind == SK_SPECIAL || !b->name[0])
			continue;
		if (b->type == STT_FUNC)
			classify_func(p, res, b);
		else if (b->type == STT_OBJECT)
			classify_object(p, res, b);
	}
	propagate_cold(&p->post);
	for (i = 1; i < p->post.nsyms; i++) {
		struct od_sym *b = &p->post.syms[i];

		/* a hook is new code nothing calls: the update runs it */
		if (od_is_hook(b) && b->sec)
			changed = true;
		/* A new global may be what another object of the same
		 * update calls: it must be carried, so that the update
		 * links as one instead of looking it up in the kernel. */
		if (b->sec && b->canon == b && b->state == ST_NEW &&
		    b->bind != STB_LOCAL && b->sec->kind != SK_INIT &&
		    b->sec->kind != SK_IGNORE && b->sec->kind != SK_SPECIAL &&
		    (od_is_func(b) || od_is_object(b)))
			changed = true;
		if (!od_is_func(b) || (b->state != ST_CHANGED &&
				       !(b->state == ST_NEW &&
					 b->sec->kind == SK_INIT)))
			continue;
		if (b->sec->kind == SK_INIT) {
			init_code(p, res, b);
			continue;
		}
		changed = true;
	}
	report(p, res);
	if (res->status == OD_CHANGED && !changed)
		res->status = OD_NO_CHANGE;
}
