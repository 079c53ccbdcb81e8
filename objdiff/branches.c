// SPDX-License-Identifier: GPL-2.0
/*
 * Branches the assembler resolved.  A function with a section attribute
 * (__sched, noinstr, __ref, __kprobes, ...) shares its section with the
 * object's other functions of that attribute, even under
 * -ffunction-sections, and the assembler writes a call or jump from one
 * of them to a static one with no relocation.  Such a call reads alike
 * only while the section's layout stays the same, and its target is lost
 * once the function is carried alone.
 *
 * Each such rel32 branch gets back the relocation -ffunction-sections
 * would have given it, so that these functions compare, match the
 * running kernel and move like any other.  A function that a short jump
 * leaves, that branches where no function is, or that reads its section
 * through a RIP-relative operand with no relocation, cannot move: it is
 * marked stuck, with the reason, and plan.c refuses to carry it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct walk {
	struct od_sec *sec;
	struct od_sym *fn;
	GElf_Addr lo, hi;		/* the function's bytes */
	struct od_rela *found;		/* relocations to add */
	size_t nfound;
	char last[64];			/* text of the last instruction */
	char why[160];
};

static bool is_prefix(unsigned char b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	}
	return b >= 0x40 && b <= 0x4f;	/* REX */
}

/*
 * Where the displacement of a relative branch starts in @len bytes at @b,
 * and its width (1 or 4); 0 if it is no such branch.
 */
static unsigned int branch_field(const unsigned char *b, unsigned int len,
				 unsigned int *width)
{
	unsigned int i = 0;

	while (i < len && is_prefix(b[i]))
		i++;
	if (i >= len)
		return 0;
	if (b[i] == 0xe8 || b[i] == 0xe9) {
		*width = 4;
		return i + 1;
	}
	if (b[i] == 0x0f && i + 1 < len && (b[i + 1] & 0xf0) == 0x80) {
		*width = 4;
		return i + 2;
	}
	if (b[i] == 0xeb || (b[i] & 0xf0) == 0x70 ||
	    (b[i] >= 0xe0 && b[i] <= 0xe3)) {
		*width = 1;
		return i + 1;
	}
	return 0;
}

static bool has_rela(const struct od_sec *sec, GElf_Addr lo, GElf_Addr hi)
{
	size_t i = od_rela_lower(sec, lo);

	return i < sec->nrelas && sec->relas[i].offset < hi;
}

static void stuck(struct walk *w, const char *fmt, unsigned long long at)
{
	if (!w->why[0])
		snprintf(w->why, sizeof(w->why), fmt, at);
}

static void one_insn(GElf_Addr off, unsigned int len, const char *text,
		     void *ctx)
{
	struct walk *w = ctx;
	const unsigned char *b = w->sec->data + off;
	unsigned int width = 0, at = branch_field(b, len, &width);
	GElf_Sxword disp, target;
	struct od_sym *t;
	struct od_rela *r;

	snprintf(w->last, sizeof(w->last), "%s", text);
	if (has_rela(w->sec, off, off + len))
		return;		/* the assembler left it to the linker */
	if (!at) {
		if (strstr(text, "(%rip)"))
			stuck(w, "an instruction at +0x%llx reads its own "
			      "section with no relocation", off - w->lo);
		return;
	}
	if (at + width != len) {
		stuck(w, "a branch at +0x%llx has an unexpected form",
		      off - w->lo);
		return;
	}
	if (width == 1) {
		disp = (signed char)b[at];
	} else {
		int32_t d;

		memcpy(&d, b + at, 4);
		disp = d;
	}
	target = (GElf_Sxword)(off + len) + disp;
	if (target >= (GElf_Sxword)w->lo && target < (GElf_Sxword)w->hi)
		return;		/* inside the function */
	if (width == 1) {
		stuck(w, "a short jump at +0x%llx leaves the function",
		      off - w->lo);
		return;
	}
	t = target >= 0 ? od_sec_sym_at(w->sec, target) : NULL;
	if (!t || t->type != STT_FUNC ||
	    target >= (GElf_Sxword)(t->st.st_value + t->st.st_size)) {
		stuck(w, "a branch at +0x%llx goes where no function is",
		      off - w->lo);
		return;
	}
	w->found = od_xrealloc(w->found, w->nfound + 1, sizeof(*w->found));
	r = &w->found[w->nfound++];
	memset(r, 0, sizeof(*r));
	r->offset = off + at;
	r->type = target == (GElf_Sxword)t->st.st_value ? R_X86_64_PLT32 :
		  R_X86_64_PC32;
	r->addend = target - (GElf_Sxword)t->st.st_value - 4;
	r->sym = t;
	r->tail = 4;
}

/*
 * Does the code end where nothing runs on into the next function?  A call
 * last is one to a function that does not return.
 */
static bool ends(const char *text)
{
	static const char *const prefixes[] = {
		"rep", "repz", "repnz", "repe", "repne", "notrack", "bnd",
		"cs", "ds", "data16", "addr32", NULL,
	};
	static const char *const last[] = {
		"ret", "retq", "jmp", "jmpq", "ud2", "int3", "call", "callq",
		"hlt", "lret", "lretq", "iret", "iretq", "sysret", "sysretq",
		NULL,
	};
	const char *const *p;
	size_t n;

	for (;;) {
		text += strspn(text, " ");
		n = strcspn(text, " ");
		for (p = prefixes; *p; p++)
			if (strlen(*p) == n && !strncmp(text, *p, n))
				break;
		if (!*p)
			break;
		text += n;
	}
	for (p = last; *p; p++)
		if (strlen(*p) == n && !strncmp(text, *p, n))
			return true;
	return false;
}

/* Another function that begins inside @fn's bytes. */
static bool overlapped(const struct od_sec *sec, const struct od_sym *fn)
{
	size_t i;

	for (i = 0; i < sec->nsyms; i++) {
		const struct od_sym *o = sec->syms[i];

		if (o->canon != fn && o->type == STT_FUNC &&
		    o->st.st_value >= fn->st.st_value &&
		    o->st.st_value < fn->st.st_value + fn->st.st_size)
			return true;
	}
	return false;
}

static int rela_cmp(const void *a, const void *b)
{
	const struct od_rela *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static size_t count_funcs(const struct od_sec *sec)
{
	size_t i, n = 0;

	for (i = 0; i < sec->nsyms; i++)
		n += sec->syms[i]->type == STT_FUNC &&
		     sec->syms[i]->canon == sec->syms[i];
	return n;
}

static void section_branches(struct od_sec *sec)
{
	struct walk w = { .sec = sec };
	size_t i;

	for (i = 0; i < sec->nsyms; i++) {
		struct od_sym *fn = sec->syms[i];

		if (fn->type != STT_FUNC || fn->canon != fn || !fn->st.st_size)
			continue;
		w.fn = fn;
		w.lo = fn->st.st_value;
		w.hi = fn->st.st_value + fn->st.st_size;
		w.why[0] = '\0';
		w.last[0] = '\0';
		if (overlapped(sec, fn))
			stuck(&w, "another function begins inside it%.0llx", 0);
		if (od_insn_walk(sec, w.lo, w.hi, one_insn, &w) < 0)
			stuck(&w, "its code cannot be decoded%.0llx", 0);
		else if (!ends(w.last))
			stuck(&w, "its last instruction runs on into what "
			      "follows%.0llx", 0);
		if (w.why[0])
			fn->stuck = od_xstrdup(w.why);
	}
	if (!w.nfound)
		return;
	sec->relas = od_xrealloc(sec->relas, sec->nrelas + w.nfound,
				 sizeof(*sec->relas));
	memcpy(sec->relas + sec->nrelas, w.found, w.nfound * sizeof(*w.found));
	sec->nrelas += w.nfound;
	qsort(sec->relas, sec->nrelas, sizeof(*sec->relas), rela_cmp);
	free(w.found);
}

void od_resolved_branches(struct od_obj *o)
{
	size_t i;

	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *sec = &o->secs[i];

		if (sec->kind == SK_TEXT && sec->data && count_funcs(sec) > 1)
			section_branches(sec);
	}
}
