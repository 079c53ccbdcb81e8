// SPDX-License-Identifier: GPL-2.0
/*
 * Run-pre data of a replaced function, for the engine to prove that the
 * running code is the code the update was built from: the function's
 * bytes in the pre object, a mask of the bytes the kernel rewrites at boot
 * or load, and the relocations inside it, named as the engine looks them
 * up.
 *
 * The rewritten bytes are found from the pre object's own tables, the
 * same ones the kernel walks (arch/x86/kernel/alternative.c, module.c,
 * jump_label.c, static_call_inline.c, ftrace.c): the fentry call,
 * return thunks, retpoline calls, alternatives, jump labels, static
 * calls, paravirt sites, lock prefixes and (were IBT on) endbr seals.
 * A relocation that overlaps such bytes is left out: the kernel wrote
 * something else there.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* How long the rewritten bytes at a table entry's site are. */
enum site_len {
	LEN_FIXED,	/* @len bytes */
	LEN_ENTRY_U8,	/* a byte of the entry, at @len */
	LEN_THUNK,	/* the instruction calling or jumping to a thunk */
	LEN_JUMP,	/* a jump label: 2- or 5-byte jmp or nop */
};

struct rewrite {
	const char *section;
	unsigned int entsize;
	enum site_len how;
	unsigned int len;
};

/*
 * 6.1 layouts (arch/x86/include/asm/): the field naming the code is at
 * offset 0 of every entry, PC-relative except __mcount_loc and
 * .parainstructions (absolute).
 */
static const struct rewrite rewrites[] = {
	/* ftrace: call __fentry__, a nop5 until traced */
	{ "__mcount_loc", 8, LEN_FIXED, 5 },
	/* jmp __x86_return_thunk -> ret; int3... or another thunk */
	{ ".return_sites", 4, LEN_THUNK, 0 },
	/* call/jmp/jcc __x86_indirect_thunk_r -> lfence; call *%r, ... */
	{ ".retpoline_sites", 4, LEN_THUNK, 0 },
	/* struct alt_instr { s32 instr, repl; u16 cpuid; u8 instrlen, ... } */
	{ ".altinstructions", 12, LEN_ENTRY_U8, 10 },
	/* struct jump_entry { s32 code, target; long key; } */
	{ "__jump_table", 16, LEN_JUMP, 0 },
	/* struct static_call_site { s32 addr, key; }: call/jmp/nop5 */
	{ ".static_call_sites", 8, LEN_FIXED, 5 },
	/* struct paravirt_patch_site { u8 *instr; u8 type, len; } */
	{ ".parainstructions", 16, LEN_ENTRY_U8, 9 },
	/* lock prefix -> ds prefix on UP */
	{ ".smp_locks", 4, LEN_FIXED, 1 },
	/* endbr64 -> nop4 (IBT; off in Debian's 6.1, harmless) */
	{ ".ibt_endbr_seal", 4, LEN_FIXED, 4 },
};

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
	}
	return 0;
}

/* The relocation at exactly @off of @sec, or NULL. */
static const struct od_rela *rela_at(const struct od_sec *sec, GElf_Addr off)
{
	size_t i = od_rela_lower(sec, off);

	return i < sec->nrelas && sec->relas[i].offset == off ?
	       &sec->relas[i] : NULL;
}

static bool is_thunk(const char *name)
{
	return !strcmp(name, "__x86_return_thunk") ||
	       !strncmp(name, "__x86_indirect_thunk_", 21) ||
	       !strncmp(name, "__x86_indirect_jump_thunk_", 26);
}

/*
 * The instruction at @site that calls or jumps to a thunk: up to the end
 * of its rel32 field (prefixes such as the cs of
 * -mindirect-branch-cs-prefix included).  Without a relocation to say so,
 * the length from the opcode.
 */
static unsigned int thunk_len(const struct od_sec *code, GElf_Addr site)
{
	size_t i = od_rela_lower(code, site);
	const unsigned char *b = code->data + site;
	GElf_Addr left = code->sh.sh_size - site;

	for (; i < code->nrelas && code->relas[i].offset < site + 8; i++)
		if (od_reloc_width(code->relas[i].type) == 4 &&
		    is_thunk(code->relas[i].sym->name))
			return code->relas[i].offset + 4 - site;
	if (left >= 2 && b[0] == 0x0f && (b[1] & 0xf0) == 0x80)
		return 6;
	if (left >= 1 && b[0] == 0x2e)
		return 6;
	return 5;
}

/* A jump label: jmp rel8 / 2-byte nop, or jmp rel32 / 5-byte nop. */
static unsigned int jump_len(const struct od_sec *code, GElf_Addr site)
{
	const unsigned char *b = code->data + site;
	GElf_Addr left = code->sh.sh_size - site;

	if (left >= 1 && b[0] == 0xeb)
		return 2;
	if (left >= 2 && b[0] == 0x66 && b[1] == 0x90)
		return 2;
	return 5;
}

static void mask_range(unsigned char *mask, GElf_Addr size, GElf_Sxword from,
		       GElf_Sxword len)
{
	GElf_Sxword i;

	for (i = from < 0 ? 0 : from; i < from + len && i < (GElf_Sxword)size; i++)
		mask[i] = 0;
}

/* Clear the mask over every site of @rw inside [@start, @start + @size). */
static void mask_table(const struct od_obj *o, const struct od_sec *code,
		       GElf_Addr start, GElf_Addr size, unsigned char *mask,
		       const struct rewrite *rw)
{
	size_t i, e;

	for (i = 0; i < o->nsecs; i++) {
		const struct od_sec *tab = &o->secs[i];

		if (strcmp(tab->name, rw->section) || !tab->data)
			continue;
		for (e = 0; e + rw->entsize <= tab->sh.sh_size; e += rw->entsize) {
			const struct od_rela *r = rela_at(tab, e);
			GElf_Sxword site;
			unsigned int len = rw->len;

			if (!r || r->sym->sec != code)
				continue;
			site = (GElf_Sxword)r->sym->st.st_value + r->addend;
			if (site < (GElf_Sxword)start ||
			    site >= (GElf_Sxword)(start + size))
				continue;
			switch (rw->how) {
			case LEN_FIXED:
				break;
			case LEN_ENTRY_U8:
				len = tab->data[e + rw->len];
				break;
			case LEN_THUNK:
				len = thunk_len(code, site);
				break;
			case LEN_JUMP:
				len = jump_len(code, site);
				break;
			}
			mask_range(mask, size, site - start, len);
		}
	}
}

/*
 * Fields the kernel fills with its own choice: calls to __fentry__ (also
 * without __mcount_loc) and to the thunks.  Listed as well as found
 * through the tables, so that an object built without objtool's tables
 * still masks them.
 */
static void mask_calls(const struct od_sec *code, GElf_Addr start,
		       GElf_Addr size, unsigned char *mask)
{
	size_t i = od_rela_lower(code, start);

	for (; i < code->nrelas && code->relas[i].offset < start + size; i++) {
		const struct od_rela *r = &code->relas[i];
		GElf_Sxword at = r->offset - start;

		if (od_reloc_width(r->type) != 4 || r->offset < 1)
			continue;
		if (!strcmp(r->sym->name, "__fentry__")) {
			mask_range(mask, size, at - 1, 5);
		} else if (is_thunk(r->sym->name)) {
			/* cs call/jmp, or jcc: a byte more before the field */
			const unsigned char *b = code->data + r->offset;
			bool two = r->offset >= 2 &&
				   ((b[-2] == 0x2e && (b[-1] == 0xe8 ||
						       b[-1] == 0xe9)) ||
				    (b[-2] == 0x0f && (b[-1] & 0xf0) == 0x80));

			mask_range(mask, size, at - (two ? 2 : 1), two ? 6 : 5);
		}
	}
}

static bool overlaps_mask(const unsigned char *mask, GElf_Addr size,
			  GElf_Addr at, unsigned int width)
{
	GElf_Addr i;

	for (i = at; i < at + width && i < size; i++)
		if (!mask[i])
			return true;
	return at + width > size;
}

static const char *objname(const struct od_plan *p)
{
	return p->opt->objname ? p->opt->objname : p->pre.path;
}

/*
 * How the engine names a symbol this object defines: a global one by its
 * kallsyms name; a static one by the object and its name
 * ("drivers/x/y.o:name"), since two files of one module may each have a
 * static of that name, and run-pre matching must not take the address one
 * file's code reads for the other's.  The engine looks up the part after
 * the colon in kallsyms.
 */
char *od_sym_key(const struct od_plan *p, const struct od_sym *sym)
{
	if (sym->bind == STB_LOCAL)
		return od_xasprintf("%s:%s", objname(p), sym->name);
	return od_xstrdup(sym->name);
}

/* A place without a symbol: the object and section ("x.o:.BTF_ids"). */
char *od_section_key(const struct od_plan *p, const struct od_sec *sec)
{
	return od_xasprintf("%s:%s", objname(p), sec->name);
}

/*
 * Name the target of @r as the engine finds it: a symbol by its kallsyms
 * name and the object that has it; a place without a symbol by the object
 * and section it comes from.  Strings and merged constants are named one
 * by one ("fs/x.o:.rodata.str1.1+0x10"): the linker merges them across
 * objects, so the running addresses of two strings of one section need
 * not be as far apart as in the object.
 */
static void name_target(const struct od_plan *p, const struct od_sec *code,
			const struct od_rela *r, struct od_prereloc *out)
{
	const char *target = p->opt->target;
	struct od_target t;
	const char *owner;

	od_resolve(code, r, &t);
	switch (t.kind) {
	case TK_SYM:
		out->addend = t.off;
		if (t.sym->sec) {
			out->symbol = od_sym_key(p, t.sym);
			out->object = od_xstrdup(target);
			return;
		}
		out->symbol = od_xstrdup(t.sym->name);
		owner = od_symset_owner(p->opt->exported, t.sym->name);
		out->object = od_xstrdup(owner ? owner : target);
		return;
	case TK_STRING:
	case TK_CONST:
		out->symbol = od_xasprintf("%s:%s+0x%llx", objname(p),
					   t.sec->name, (unsigned long long)
					   (t.secoff - t.off));
		out->addend = t.off;
		break;
	case TK_ANON:
		out->symbol = od_section_key(p, t.sec);
		out->addend = t.secoff;
		break;
	}
	out->object = od_xstrdup(target);
}

void od_rewritten_mask(const struct od_obj *o, const struct od_sec *code,
		       GElf_Addr start, GElf_Addr size, unsigned char *mask)
{
	size_t i;

	memset(mask, 0xff, size);
	for (i = 0; i < sizeof(rewrites) / sizeof(rewrites[0]); i++)
		mask_table(o, code, start, size, mask, &rewrites[i]);
	mask_calls(code, start, size, mask);
}

int od_runpre(struct od_plan *p, struct od_result *res, struct od_sym *fn,
	      struct od_func *f)
{
	const struct od_sec *code = fn->sec;
	GElf_Addr start = fn->st.st_value, size = fn->st.st_size;
	size_t i;

	if (!code->data || size > code->sh.sh_size ||
	    start > code->sh.sh_size - size) {
		od_msg(res, OD_MSG_REFUSE, fn->name, NULL,
		       "the pre object holds no code for it");
		return -1;
	}
	f->pre_code = od_xcalloc(size, 1);
	memcpy(f->pre_code, code->data + start, size);
	f->pre_mask = od_xcalloc(size, 1);
	od_rewritten_mask(&p->pre, code, start, size, f->pre_mask);

	i = od_rela_lower(code, start);
	for (; i < code->nrelas && code->relas[i].offset < start + size; i++) {
		const struct od_rela *r = &code->relas[i];
		unsigned int width = od_reloc_width(r->type);
		struct od_prereloc *o;

		if (r->type == R_X86_64_NONE)
			continue;
		if (!ksplice_type(r->type)) {
			od_msg(res, OD_MSG_REFUSE, fn->name, NULL,
			       "relocation type %u at +0x%llx of the old code "
			       "cannot be compared with the running kernel",
			       r->type, (unsigned long long)(r->offset - start));
			return -1;
		}
		if (overlaps_mask(f->pre_mask, size, r->offset - start, width))
			continue;
		f->pre_relocs = od_xrealloc(f->pre_relocs, f->nr_pre_relocs + 1,
					    sizeof(*f->pre_relocs));
		o = &f->pre_relocs[f->nr_pre_relocs++];
		memset(o, 0, sizeof(*o));
		o->offset = r->offset - start;
		o->type = ksplice_type(r->type);
		name_target(p, code, r, o);
	}
	return 0;
}
