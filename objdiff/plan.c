// SPDX-License-Identifier: GPL-2.0
/*
 * Decide what the update object carries: the changed functions, then,
 * transitively, whatever they refer to that does not exist in the running
 * target (new functions, new data, string literals, constants, pieces of
 * alternative code) and the special-section entries of the code carried.
 * A reference to something that stays in the running target becomes a
 * ksplice_reloc the engine fills; one to an exported symbol stays an
 * undefined symbol for the module loader.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static int add_unit(struct od_plan *p, enum od_unit_kind kind,
		    struct od_sec *sec, GElf_Addr start, GElf_Addr size,
		    struct od_sym *sym)
{
	struct od_unit *u;
	size_t i;

	for (i = 0; i < p->nunits; i++)
		if (p->units[i].sec == sec && p->units[i].start == start &&
		    p->units[i].kind == kind)
			return i;
	p->units = od_xrealloc(p->units, p->nunits + 1, sizeof(*p->units));
	u = &p->units[p->nunits];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->sec = sec;
	u->start = start;
	u->size = size;
	u->sym = sym;
	if (sym)
		sym->unit = p->nunits;
	return p->nunits++;
}

static int add_sym_unit(struct od_plan *p, struct od_sym *s)
{
	/* A second symbol at a unit's start (an alias) shares the unit. */
	if (s->unit < 0)
		s->unit = add_unit(p, s->type == STT_FUNC ? UK_FUNC : UK_DATA,
				   s->sec, s->st.st_value, s->st.st_size, s);
	return s->unit;
}

static char *sanitize(const char *name)
{
	char *s = od_xstrdup(name), *c;

	for (c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			*c = '_';
	return s;
}

/* A global name for a unit, so that the C glue can refer to it. */
static const char *anchor(struct od_plan *p, int idx)
{
	struct od_unit *u = &p->units[idx];
	char *base, *name;
	size_t i, n = 0;

	if (u->anchor)
		return u->anchor;
	base = u->sym ? sanitize(u->sym->name) : od_xasprintf("u%d", idx);
	name = od_xasprintf("__ksplice_%s_%s", p->opt->tag, base);
	for (i = 0; i < p->nunits; i++) {
		if (p->units[i].anchor && !strcmp(p->units[i].anchor, name)) {
			free(name);
			name = od_xasprintf("__ksplice_%s_%s_%zu", p->opt->tag,
					    base, ++n);
			i = (size_t)-1;
		}
	}
	free(base);
	u->anchor = name;
	return name;
}

/* KSPLICE_R_* use the x86-64 ELF numbers; a PLT32 to a known place is PC32. */
static unsigned int ksplice_type(unsigned int type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC32:
	case R_X86_64_32:
	case R_X86_64_32S:
		return type;
	case R_X86_64_PLT32:
		return R_X86_64_PC32;
	default:
		return 0;
	}
}

struct site {
	int unit, entry;	/* where the field is (one of them >= 0) */
	const struct od_sec *sec;
	const struct od_rela *r;
	GElf_Addr offset;	/* of the field in the unit or entry */
	const char *user;	/* for messages */
};

static void add_rela(struct od_plan *p, const struct site *s, int target,
		     const char *undef, GElf_Sxword addend, struct od_sym *named)
{
	struct od_outrela *o;

	p->relas = od_xrealloc(p->relas, p->nrelas + 1, sizeof(*p->relas));
	o = &p->relas[p->nrelas++];
	o->unit = s->unit;
	o->entry = s->entry;
	o->offset = s->offset;
	o->type = s->r->type;
	o->addend = addend;
	o->target_unit = target;
	o->undef = undef ? od_xstrdup(undef) : NULL;
	o->named = named;
}

/*
 * The key field of a carried __jump_table entry, against a key the module
 * loader cannot resolve: the entry names a struct ksplice_jump_key of the
 * update instead (with the entry's branch bit), which ksplice.ko resolves
 * before the kernel's jump-label code reads the entry.
 */
static bool jump_key_field(const struct od_entry *e, const struct site *s)
{
	return !strcmp(e->sec->name, "__jump_table") && s->offset == 8 &&
	       s->r->type == R_X86_64_PC64;
}

static int add_jkey(struct od_plan *p, struct od_result *res,
		    const struct site *s, const char *symbol,
		    GElf_Sxword addend)
{
	long offset = addend & ~3L;
	struct od_jkey *j;
	unsigned int i;

	for (i = 0; i < res->nr_jkeys; i++)
		if (!strcmp(res->jkeys[i].symbol, symbol) &&
		    res->jkeys[i].offset == offset)
			break;
	if (i == res->nr_jkeys) {
		res->jkeys = od_xrealloc(res->jkeys, res->nr_jkeys + 1,
					 sizeof(*res->jkeys));
		j = &res->jkeys[res->nr_jkeys++];
		memset(j, 0, sizeof(*j));
		j->name = od_xasprintf("__ksplice_%s_jkey_%u", p->opt->tag, i);
		j->symbol = od_xstrdup(symbol);
		j->object = od_xstrdup(p->opt->target);
		j->offset = offset;
		od_msg(res, OD_MSG_NOTE, s->user, NULL,
		       "static key %s%+ld is not exported: ksplice.ko resolves "
		       "it when the update module is loaded", symbol, offset);
	}
	add_rela(p, s, -1, res->jkeys[i].name, addend & 3, NULL);
	return 0;
}

/*
 * A field that the engine fills.  Returns 0, 1 if the field is in a
 * special section that may lose the entry, -1 if refused.
 */
static int add_kreloc(struct od_plan *p, struct od_result *res,
		      const struct site *s, const char *symbol,
		      GElf_Sxword addend)
{
	struct od_kreloc *k;
	unsigned int type = ksplice_type(s->r->type);

	if (s->entry >= 0) {
		const struct od_entry *e = &p->entries[s->entry];

		if (e->sec->special->droppable)
			return 1;
		if (jump_key_field(e, s))
			return add_jkey(p, res, s, symbol, addend);
		od_msg(res, OD_MSG_REFUSE, s->user,
		       "use an exported symbol, or keep the code that uses "
		       "it unchanged",
		       "%s entry refers to %s, which the module loader cannot "
		       "resolve and which is read at load time",
		       e->sec->name, symbol);
		return -1;
	}
	if (!type) {
		od_msg(res, OD_MSG_REFUSE, s->user, NULL,
		       "relocation type %u against %s cannot be filled by the "
		       "engine", s->r->type, symbol);
		return -1;
	}
	res->krelocs = od_xrealloc(res->krelocs, res->nr_krelocs + 1,
				   sizeof(*res->krelocs));
	k = &res->krelocs[res->nr_krelocs++];
	memset(k, 0, sizeof(*k));
	k->anchor = od_xstrdup(anchor(p, s->unit));
	k->offset = s->offset;
	k->symbol = od_xstrdup(symbol);
	k->object = od_xstrdup(p->opt->target);
	k->addend = addend;
	k->type = type;
	/* drop the ELF relocation: remember the field to zero */
	add_rela(p, s, -2, NULL, 0, NULL);
	return 0;
}

/*
 * Per-site descriptors the module loader registers for the module that
 * holds them (dynamic debug): new code gets its own copy, so that its
 * jump label keys live in the update module.  And read-only numbered
 * statics (__func__ strings, CSWTCH tables): the loader's users read
 * __func__ before the engine fills any field, and a name like CSWTCH.40
 * is in many objects of the target; a copy of what never changes is the
 * same.  So is one of an empty struct: a lock_class_key without lockdep
 * (Debian's kernels) holds no state, and C gives zero-size objects no
 * identity of their own to compare.
 */
static bool carried_copy(const struct od_sym *sym)
{
	if (sym->type != STT_OBJECT)
		return false;
	if (!strcmp(sym->sec->name, "__dyndbg"))
		return true;
	return od_is_numbered_static(sym) &&
	       (!(sym->sec->sh.sh_flags & SHF_WRITE) || !sym->st.st_size);
}

static int refer_defined(struct od_plan *p, struct od_result *res,
			 const struct site *s, const struct od_target *t)
{
	struct od_sym *sym = t->sym;

	if (sym->sec->kind == SK_INIT) {
		od_msg(res, OD_MSG_REFUSE, s->user,
		       "new code cannot use __init or __exit code or data",
		       "refers to %s in %s", sym->name, sym->sec->name);
		return -1;
	}
	/* a copy of its own needs no partner: pairing cannot be wrong */
	if (carried_copy(sym)) {
		add_rela(p, s, add_sym_unit(p, sym), NULL, t->off, sym);
		return 0;
	}
	if (sym->state == ST_NEW && sym->ambiguous) {
		char *base = od_static_base(sym->name);

		od_msg(res, OD_MSG_REFUSE, sym->name,
		       "give the static variable a distinct name, or keep "
		       "its uses in the same order",
		       "cannot tell which running static variable this is: "
		       "%s used %s before, and no use pairs them", s->user,
		       base);
		free(base);
		return -1;
	}
	if ((sym->type == STT_FUNC &&
	     (sym->state == ST_CHANGED || sym->state == ST_NEW)) ||
	    (sym->type == STT_OBJECT && sym->state == ST_NEW) ||
	    (sym->parent && sym->parent->unit >= 0)) {
		add_rela(p, s, add_sym_unit(p, sym), NULL, t->off, sym);
		return 0;
	}
	if (sym->twin) {
		char *key = od_sym_key(p, sym->twin);
		int ret = add_kreloc(p, res, s, key, t->off);

		free(key);
		return ret;
	}
	od_msg(res, OD_MSG_REFUSE, s->user, NULL,
	       "refers to %s (section %s), which objdiff cannot place",
	       sym->name, sym->sec->name);
	return -1;
}

/* Decide one relocation of carried code or data. */
static int refer(struct od_plan *p, struct od_result *res,
		 const struct site *s)
{
	struct od_target t;
	const char *name;
	int u;

	od_resolve(s->sec, s->r, &t);
	switch (t.kind) {
	case TK_STRING:
	case TK_CONST:
		u = add_unit(p, UK_SECTION, t.sec, 0, t.sec->sh.sh_size, NULL);
		add_rela(p, s, u, NULL, t.secoff, NULL);
		return 0;
	case TK_ANON:
		if (t.sec->kind == SK_PIECES) {
			GElf_Addr start, size;

			od_piece(t.sec, od_look(s->sec, s->r), &start, &size);
			u = add_unit(p, UK_PIECE, t.sec, start, size, NULL);
			add_rela(p, s, u, NULL, t.secoff - start, NULL);
			return 0;
		}
		/* A copy would hold zeros, not the ids: the running
		 * section, where the replaced code's pre code finds it. */
		if (od_is_btf_ids(t.sec)) {
			char *key = od_section_key(p, t.sec);
			int ret = add_kreloc(p, res, s, key, t.secoff);

			free(key);
			return ret;
		}
		if (t.sec->kind == SK_DATA &&
		    !(t.sec->sh.sh_flags & SHF_WRITE)) {
			u = add_unit(p, UK_SECTION, t.sec, 0, t.sec->sh.sh_size,
				     NULL);
			add_rela(p, s, u, NULL, t.secoff, NULL);
			return 0;
		}
		od_msg(res, OD_MSG_REFUSE, s->user,
		       "give the data a name (a static variable)",
		       "refers to unnamed %s data in %s: its running instance "
		       "cannot be found",
		       t.sec->sh.sh_flags & SHF_WRITE ? "writable" : "init",
		       t.sec->name);
		return -1;
	case TK_SYM:
		break;
	}
	if (t.sym->sec)
		return refer_defined(p, res, s, &t);
	name = t.sym->name;
	if (t.sym->st.st_shndx != SHN_UNDEF || !name[0]) {
		od_msg(res, OD_MSG_REFUSE, s->user, NULL,
		       "relocation against an absolute or unnamed symbol");
		return -1;
	}
	if (od_symset_has(p->opt->exported, name) ||
	    od_symset_has(p->opt->provided, name)) {
		add_rela(p, s, -1, name, s->r->addend, NULL);
		return 0;
	}
	/* defined elsewhere in the target (another object of the module) */
	return add_kreloc(p, res, s, name, s->r->addend);
}

static int refer_range(struct od_plan *p, struct od_result *res, int unit,
		       int entry, struct od_sec *sec, GElf_Addr start,
		       GElf_Addr size, const char *user)
{
	size_t i = od_rela_lower(sec, start);
	int ret = 0;

	for (; i < sec->nrelas && sec->relas[i].offset < start + size; i++) {
		unsigned int width = od_reloc_field_size(sec->relas[i].type);
		struct site s = {
			.unit = unit, .entry = entry, .sec = sec,
			.r = &sec->relas[i],
			.offset = sec->relas[i].offset - start, .user = user,
		};
		int r;

		if (sec->relas[i].type == R_X86_64_NONE)
			continue;	/* no field: only ties sections together */
		if (width > start + size - sec->relas[i].offset) {
			od_msg(res, OD_MSG_REFUSE, user, NULL,
			       "relocation at 0x%llx of %s crosses the end of "
			       "what the update carries (0x%llx..0x%llx)",
			       (unsigned long long)sec->relas[i].offset,
			       sec->name, (unsigned long long)start,
			       (unsigned long long)(start + size));
			return -1;
		}
		r = refer(p, res, &s);

		if (r < 0)
			return -1;
		if (r > 0)
			ret = 1;
	}
	return ret;
}

/* Carry the entries of every special section that describe @fn. */
static int add_entries(struct od_plan *p, struct od_result *res,
		       struct od_sym *fn)
{
	size_t i, j;

	for (i = 0; i < p->post.nsecs; i++) {
		struct od_sec *sec = &p->post.secs[i];
		const struct od_special *sp = sec->special;

		if (sec->kind != SK_SPECIAL || sp->entsize == 6)
			continue;
		if (sec->sh.sh_size % sp->entsize) {
			od_msg(res, OD_MSG_REFUSE, fn->name,
			       "objdiff knows another kernel's layout",
			       "%s: size %lu is not a multiple of %u", sec->name,
			       (unsigned long)sec->sh.sh_size, sp->entsize);
			return -1;
		}
		for (j = 0; j < sec->nentries; j++) {
			struct od_entry *e;
			int r, idx;

			if (sec->owners[j] != fn)
				continue;
			p->entries = od_xrealloc(p->entries, p->nentries + 1,
						 sizeof(*p->entries));
			idx = p->nentries++;
			e = &p->entries[idx];
			memset(e, 0, sizeof(*e));
			e->sec = sec;
			e->index = j;
			r = refer_range(p, res, -1, idx, sec, j * sp->entsize,
					sp->entsize, fn->name);
			if (r < 0)
				return -1;
			if (r > 0) {
				p->entries[idx].dropped = true;
				od_msg(res, OD_MSG_NOTE, fn->name, NULL,
				       "%s entry dropped: its key is not "
				       "exported (the call goes through the "
				       "trampoline)", sec->name);
			}
		}
	}
	return 0;
}

/*
 * Text the engine never patches (kmod/ksyms.c, ks_forbidden): code that
 * runs where a trampoline is not safe (entry, NMI and idle paths, kprobes'
 * own code).  Said here, at build time, rather than at apply.
 */
const char *od_forbidden_text(const struct od_sec *sec)
{
	static const char *const secs[][2] = {
		{ ".entry.text", "entry text" },
		{ ".noinstr.text", "noinstr text" },
		{ ".irqentry.text", "irq entry text" },
		{ ".softirqentry.text", "softirq entry text" },
		{ ".kprobes.text", "kprobes text" },
		{ ".cpuidle.text", "cpuidle text" },
	};
	size_t i;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		if (!strcmp(sec->name, secs[i][0]))
			return secs[i][1];
	return NULL;
}

static int process_unit(struct od_plan *p, struct od_result *res, int idx)
{
	struct od_unit u = p->units[idx];
	const char *user = u.sym ? u.sym->name : u.sec->name;

	if (u.kind == UK_FUNC && u.sym->state == ST_CHANGED &&
	    od_forbidden_text(u.sec)) {
		od_msg(res, OD_MSG_REFUSE, u.sym->name,
		       "a reboot applies this fix",
		       "is in %s, which is never patched live: it runs where a "
		       "jump to new code is not safe (entry, NMI or idle paths)",
		       od_forbidden_text(u.sec));
		return -1;
	}
	/* branches.c gave back what it could of a shared section's links */
	if (u.kind == UK_FUNC && u.sym->stuck) {
		od_msg(res, OD_MSG_REFUSE, u.sym->name,
		       "build the target with -ffunction-sections and do not "
		       "patch functions with a section attribute",
		       "shares section %s with other functions and cannot be "
		       "moved out of it: %s", u.sec->name, u.sym->stuck);
		return -1;
	}
	/* the rest of a function's own section goes along (to its end) */
	if (u.kind == UK_FUNC && u.sec->sh.sh_flags & SHF_EXECINSTR &&
	    u.sec->sh.sh_size - u.start != u.size && u.sec->nsyms == 1)
		p->units[idx].size = u.sec->sh.sh_size - u.start;
	if (refer_range(p, res, idx, -1, u.sec, u.start, p->units[idx].size,
			user) < 0)
		return -1;
	if (u.kind == UK_FUNC)
		return add_entries(p, res, u.sym);
	return 0;
}

static void add_roots(struct od_plan *p, struct od_result *res)
{
	size_t i;

	for (i = 1; i < p->post.nsyms; i++) {
		struct od_sym *s = &p->post.syms[i];

		if (!s->sec || s->canon != s || s->sec->kind == SK_INIT ||
		    s->sec->kind == SK_IGNORE || s->sec->kind == SK_SPECIAL)
			continue;
		if (od_is_func(s) && s->state == ST_CHANGED) {
			add_sym_unit(p, s);
			anchor(p, s->unit);
			if (s->cold)
				add_sym_unit(p, s->cold);
		} else if (s->state == ST_NEW && s->bind != STB_LOCAL &&
			   (od_is_func(s) || od_is_object(s))) {
			/* other objects of the update may use it */
			add_sym_unit(p, s);
			res->new_globals = od_xrealloc(res->new_globals,
						       res->nr_new_globals + 1,
						       sizeof(char *));
			res->new_globals[res->nr_new_globals++] =
				od_xstrdup(s->name);
		}
	}
}

static int make_funcs(struct od_plan *p, struct od_result *res)
{
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		struct od_unit *u = &p->units[i];
		struct od_sym *a;
		struct od_func *f;

		if (u->kind != UK_FUNC || u->sym->state != ST_CHANGED ||
		    (u->sym->parent && u->sym->parent->state == ST_CHANGED))
			continue;
		a = u->sym->twin;
		res->funcs = od_xrealloc(res->funcs, res->nr_funcs + 1,
					 sizeof(*res->funcs));
		f = &res->funcs[res->nr_funcs++];
		memset(f, 0, sizeof(*f));
		f->name = od_xstrdup(a->name);
		f->size = a->st.st_size;
		if (a->cold) {
			f->cold_name = od_xstrdup(a->cold->name);
			f->cold_size = a->cold->st.st_size;
		}
		f->anchor = od_xstrdup(anchor(p, i));
		f->key = od_sym_key(p, a);
		if (od_runpre(p, res, a, f) < 0)
			return -1;
	}
	return 0;
}

int od_plan_carry(struct od_plan *p, struct od_sym *s)
{
	int unit = add_sym_unit(p, s);

	anchor(p, unit);
	if (s->cold)
		add_sym_unit(p, s->cold);
	return unit;
}

const char *od_plan_anchor(struct od_plan *p, int unit)
{
	return anchor(p, unit);
}

int od_plan_build(struct od_plan *p, struct od_result *res)
{
	size_t i;

	add_roots(p, res);
	if (od_plan_hooks(p, res) < 0)
		return -1;
	for (i = 0; i < p->nunits; i++)
		if (process_unit(p, res, i) < 0)
			return -1;
	return make_funcs(p, res);
}
