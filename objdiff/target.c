// SPDX-License-Identifier: GPL-2.0
/*
 * What a relocation refers to, stated so that pre and post compare even
 * though sections shift: a named symbol plus offset, the content of a
 * string literal or merged constant, or a piece of code without symbols.
 */
#include <string.h>
#include "internal.h"

unsigned int od_reloc_width(unsigned int type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
		return 4;
	default:
		return 0;
	}
}

/*
 * A PC-relative field inside an instruction is followed by the rest of
 * the instruction: its addend is the target minus 4, or minus 5 in
 * `movb $1, x(%rip)` (the tail the decoder found).  A field in a table
 * (`.long 1b - .`) has none.  With a wrong bias, a reference to the
 * first once-flag of .data.once would point before the section, and one
 * to any other at its neighbour.
 */
static GElf_Sxword bias(const struct od_sec *from, const struct od_rela *r)
{
	if ((from->sh.sh_flags & SHF_EXECINSTR) &&
	    (r->type == R_X86_64_PC32 || r->type == R_X86_64_PLT32))
		return r->tail ? r->tail : 4;
	return 0;
}

/* The offset in the target section a relocation points at. */
GElf_Sxword od_look(const struct od_sec *from, const struct od_rela *r)
{
	return r->sym->st.st_value + r->addend + bias(from, r);
}

static GElf_Sxword clamp(GElf_Sxword v, GElf_Sxword size)
{
	if (v >= size)
		v = size - 1;
	return v < 0 ? 0 : v;
}

void od_piece(const struct od_sec *sec, GElf_Sxword off, GElf_Addr *start,
	      GElf_Addr *size)
{
	size_t i;

	*start = 0;
	*size = sec->sh.sh_size;
	for (i = 0; i < sec->ncuts; i++) {
		if ((GElf_Sxword)sec->cuts[i] <= off) {
			*start = sec->cuts[i];
			*size = (i + 1 < sec->ncuts ? sec->cuts[i + 1] :
				 sec->sh.sh_size) - *start;
		}
	}
}

static void resolve_string(const struct od_sec *sec, GElf_Sxword look,
			   struct od_target *t)
{
	GElf_Sxword size = sec->sh.sh_size, start, end;

	look = clamp(look, size);
	start = look;
	while (start > 0 && sec->data[start - 1])
		start--;
	end = look;
	while (end < size && sec->data[end])
		end++;
	t->kind = TK_STRING;
	t->bytes = sec->data + start;
	t->len = (size_t)(end - start) + (end < size);
	t->off = t->secoff - start;
}

/* resolve_btfids fills these when vmlinux or a module is linked. */
bool od_is_btf_ids(const struct od_sec *sec)
{
	return sec && !strcmp(sec->name, ".BTF_ids");
}

void od_resolve(const struct od_sec *from, const struct od_rela *r,
		struct od_target *t)
{
	struct od_sym *s = r->sym;
	struct od_sec *sec = s->sec;
	GElf_Sxword look;

	memset(t, 0, sizeof(*t));
	t->sec = sec;
	if (!sec || s->type == STT_FUNC || s->type == STT_OBJECT) {
		t->kind = TK_SYM;
		t->sym = s->canon;
		t->secoff = s->st.st_value + r->addend;
		t->off = r->addend;
		return;
	}
	t->secoff = s->st.st_value + r->addend;
	look = t->secoff + bias(from, r);
	if (sec->kind == SK_STRING && sec->data && sec->sh.sh_size) {
		resolve_string(sec, look, t);
		return;
	}
	if (sec->kind == SK_CONST && sec->data && sec->sh.sh_size) {
		GElf_Sxword es = sec->sh.sh_entsize ? sec->sh.sh_entsize : 1;
		GElf_Sxword start;

		look = clamp(look, sec->sh.sh_size);
		start = look - look % es;
		t->kind = TK_CONST;
		t->bytes = sec->data + start;
		t->len = es;
		t->off = t->secoff - start;
		return;
	}
	/* The labels of BTF id sets and lists sit on top of each other and
	 * hold nothing until the kernel or module is linked: a place in
	 * the section, found in the running code (plan.c). */
	if (od_is_btf_ids(sec)) {
		t->kind = TK_ANON;
		t->off = t->secoff;
		return;
	}
	t->sym = od_sec_sym_at(sec, look);
	if (t->sym) {
		t->kind = TK_SYM;
		t->off = t->secoff - t->sym->st.st_value;
		return;
	}
	t->kind = TK_ANON;
	t->off = t->secoff;
	if (sec->kind == SK_PIECES) {
		GElf_Addr start, size;

		od_piece(sec, look, &start, &size);
		t->off = t->secoff - start;
	}
}

static int depth;

static bool anon_equal(const struct od_target *a, const struct od_target *b)
{
	GElf_Addr as = 0, asz = a->sec->sh.sh_size, bs = 0, bsz = b->sec->sh.sh_size;
	bool eq;

	if (strcmp(a->sec->name, b->sec->name) || a->off != b->off)
		return false;
	if (a->sec->kind == SK_PIECES) {
		od_piece(a->sec, a->secoff - a->off, &as, &asz);
		od_piece(b->sec, b->secoff - b->off, &bs, &bsz);
	}
	if (asz != bsz || depth > 2)
		return asz == bsz;
	depth++;
	eq = od_ranges_equal(a->sec, as, b->sec, bs, asz, 0, 0);
	depth--;
	return eq;
}

bool od_targets_equal(const struct od_target *a, const struct od_target *b)
{
	if (a->kind != b->kind || a->off != b->off)
		return false;
	switch (a->kind) {
	case TK_SYM:
		if (!a->sym->sec && !b->sym->sec)
			return !strcmp(a->sym->name, b->sym->name);
		return a->sym->sec && b->sym->sec && a->sym->twin == b->sym;
	case TK_STRING:
	case TK_CONST:
		return a->len == b->len && !memcmp(a->bytes, b->bytes, a->len);
	case TK_ANON:
		return anon_equal(a, b);
	}
	return false;
}

size_t od_rela_lower(const struct od_sec *sec, GElf_Addr off)
{
	size_t lo = 0, hi = sec->nrelas;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sec->relas[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is byte @off of @sec inside the field of relocation [first, last)? */
bool od_in_reloc_field(const struct od_sec *sec, GElf_Addr off, size_t first,
		       size_t last)
{
	size_t k;

	for (k = first; k < last; k++)
		if (off >= sec->relas[k].offset &&
		    off < sec->relas[k].offset + od_reloc_width(sec->relas[k].type))
			return true;
	return false;
}

/* Is byte @i of a range inside a relocation field or the skipped bytes? */
static bool masked(const struct od_sec *sec, GElf_Addr base, GElf_Addr i,
		   size_t first, size_t last, GElf_Addr skip_lo,
		   GElf_Addr skip_hi)
{
	return (i >= skip_lo && i < skip_hi) ||
	       od_in_reloc_field(sec, base + i, first, last);
}

/*
 * Pair the relocations of @size bytes at @aoff in @a with those at @boff
 * in @b: as many, at the same offsets, of the same known types, and
 * @same says each pair's targets agree.
 */
bool od_relas_pair(struct od_sec *a, GElf_Addr aoff, struct od_sec *b,
		   GElf_Addr boff, GElf_Addr size,
		   bool (*same)(const struct od_target *, const struct od_target *,
				void *),
		   void *ctx)
{
	size_t ai = od_rela_lower(a, aoff), bi = od_rela_lower(b, boff);
	size_t n = od_rela_lower(a, aoff + size) - ai, k;

	if (od_rela_lower(b, boff + size) - bi != n)
		return false;
	for (k = 0; k < n; k++) {
		const struct od_rela *ra = &a->relas[ai + k], *rb = &b->relas[bi + k];
		struct od_target ta, tb;

		if (ra->offset - aoff != rb->offset - boff || ra->type != rb->type)
			return false;
		if (!od_reloc_width(ra->type) && ra->type != R_X86_64_NONE)
			return false;	/* unknown type: never equal */
		od_resolve(a, ra, &ta);
		od_resolve(b, rb, &tb);
		if (!same(&ta, &tb, ctx))
			return false;
	}
	return true;
}

static bool targets_equal(const struct od_target *a, const struct od_target *b,
			  void *unused __attribute__((unused)))
{
	return od_targets_equal(a, b);
}

bool od_ranges_equal(struct od_sec *a, GElf_Addr aoff, struct od_sec *b,
		     GElf_Addr boff, GElf_Addr size, GElf_Addr skip_lo,
		     GElf_Addr skip_hi)
{
	size_t ai = od_rela_lower(a, aoff);
	size_t aend = od_rela_lower(a, aoff + size);
	GElf_Addr i;

	if ((a->sh.sh_type == SHT_NOBITS) != (b->sh.sh_type == SHT_NOBITS))
		return false;
	if (!od_relas_pair(a, aoff, b, boff, size, targets_equal, NULL))
		return false;
	if (a->sh.sh_type == SHT_NOBITS)
		return true;
	if (size > a->sh.sh_size || aoff > a->sh.sh_size - size ||
	    size > b->sh.sh_size || boff > b->sh.sh_size - size)
		return false;
	if (!size)
		return true;	/* an empty section has no data */
	if (!memcmp(a->data + aoff, b->data + boff, size))
		return true;
	for (i = 0; i < size; i++)
		if (a->data[aoff + i] != b->data[boff + i] &&
		    !masked(a, aoff, i, ai, aend, skip_lo, skip_hi))
			return false;
	return true;
}
