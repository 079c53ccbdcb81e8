// SPDX-License-Identifier: GPL-2.0
/*
 * Run-pre matching: before anything is written, prove that the running
 * code of every function to be replaced is the code the update was built
 * from.  Bytes must be equal except where the kernel rewrote its own code
 * at boot or load (the update's pre_mask says where) and where relocations
 * sit: there the running field tells the address of the symbol, which must
 * agree wherever the same symbol appears and with kallsyms where kallsyms
 * knows it.  The addresses found also fill the update's own relocations,
 * which is how references to unnamed data sections and to static symbols
 * that share a name get their running value.
 *
 * Stacking: where an applied update already replaced the function, what
 * runs is that update's replacement, so the pre code is compared with it,
 * never with the original bytes.  An update built from source without the
 * earlier change would otherwise match the original and revert it.  A
 * cumulative update (replace.c) is the exception: it is built from the
 * original, carries the earlier change itself, and is compared with the
 * original bytes around the trampoline.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "internal.h"

static const char *ks_pre_object(const struct ksplice_func *f,
				 const struct ksplice_pre_reloc *r)
{
	if (r->object)
		return r->object;
	return f->object ? f->object : "vmlinux";
}

static bool ks_same_object(const char *a, const char *b)
{
	return !strcmp(a ? a : "vmlinux", b ? b : "vmlinux");
}

/* The value run-pre matching found for (@symbol, @object), if any. */
bool ks_presym_find(struct ks_update *ku, const char *symbol,
		    const char *object, unsigned int n, unsigned long *value)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct ks_presym *p = &ku->presyms[i];

		if (!strcmp(p->symbol, symbol) &&
		    (!object || ks_same_object(p->object, object))) {
			*value = p->value;
			return true;
		}
	}
	return false;
}

static bool ks_field_masked(const struct ksplice_func *f, unsigned int off,
			    unsigned int width)
{
	unsigned int i;

	for (i = 0; f->pre_mask && i < width; i++)
		if (f->pre_mask[off + i] != 0xff)
			return true;
	return false;
}

/* Does kallsyms know @symbol somewhere other than @value? */
static int ks_kallsyms_disagrees(struct ks_update *ku, const char *symbol,
				 const char *object, unsigned long value,
				 unsigned long *known)
{
	unsigned long addrs[KS_MAX_CANDIDATES];
	int i, n;

	symbol = ks_kallsyms_name(symbol);
	if (!symbol)		/* a generator's section name */
		return 0;
	n = ks_lookup_all(ku, symbol, object, addrs, ARRAY_SIZE(addrs), NULL);
	if (n < 0)
		return n;
	if (n == 0 || n > ARRAY_SIZE(addrs))
		return 0;	/* unknown to kallsyms: the code says */
	for (i = 0; i < n; i++)
		if (addrs[i] == value)
			return 0;
	*known = addrs[0];
	return 1;
}

struct ks_runpre {
	const struct ksplice_func *f;
	unsigned long addr;	/* candidate entry, or an update's replacement */
	const u8 *code;		/* copy of the running bytes */
	u8 *skip;		/* 1: byte of a relocation field */
	unsigned int staged;	/* presyms added by this comparison */
	bool stacked;		/* @addr is an earlier update's replacement */
	unsigned long hole;	/* a trampoline or probe over the code, or 0 */
};

/* The applied update whose module holds @addr, if any. */
static struct ks_update *ks_update_at(struct ks_update *self,
				      unsigned long addr)
{
	struct ks_update *o;

	list_for_each_entry(o, &ks_updates, list)
		if (o != self && o->stage == KS_APPLIED &&
		    within_module_core(addr, o->u->owner))
			return o;
	return NULL;
}

/* The update that @kf belongs to. */
static struct ks_update *ks_func_update(const struct ks_func *kf)
{
	struct ks_update *o;

	list_for_each_entry(o, &ks_updates, list)
		if (kf >= o->funcs && kf < o->funcs + o->u->nr_funcs)
			return o;
	return NULL;
}

/*
 * Does @mod's symbol table name something @name (any function if NULL)
 * at exactly @addr?  Its st_size goes to @size: unlike kallsyms' sizes,
 * which run to the next symbol, it is the size the compiler gave.
 */
static bool ks_module_symbol(struct module *mod, const char *name,
			     unsigned long addr, unsigned long *size)
{
	struct mod_kallsyms *syms;
	bool found = false;
	unsigned int i;

	preempt_disable();
	syms = rcu_dereference_sched(mod->kallsyms);
	for (i = 1; syms && i < syms->num_symtab && !found; i++) {
		const Elf_Sym *sym = &syms->symtab[i];

		if (sym->st_shndx == SHN_UNDEF || sym->st_value != addr)
			continue;
		if (name ? strcmp(syms->strtab + sym->st_name, name) :
		    ELF_ST_TYPE(sym->st_info) != STT_FUNC || !sym->st_size)
			continue;
		*size = sym->st_size;
		found = true;
	}
	preempt_enable();
	return found;
}

/*
 * A field of an earlier update's replacement that points into an applied
 * update's module points at that update's own copy of something.  The
 * copy of a function it replaced stands for the function itself: calling
 * the entry runs the same code, and that entry is what kallsyms and the
 * other callers agree on and what our own relocations should use.  What
 * it added (a new function or variable, unknown to kallsyms in the
 * target) is where the code says, as long as its module names it so.
 * Anything else (its copy of a .cold part, of a string literal, of a
 * static the target has too) may hold what the earlier update changed,
 * and the pre code does not say what it should hold: refuse.
 */
static int ks_stacked_field(struct ks_update *ku, struct ks_runpre *rp,
			    const struct ksplice_pre_reloc *r, const char *obj,
			    unsigned long *value)
{
	struct ks_update *o = ks_update_at(ku, *value);
	unsigned long addrs[KS_MAX_CANDIDATES], size;
	unsigned int i;
	int n;

	if (!o)
		return 0;
	for (i = 0; i < o->u->nr_funcs; i++) {
		const struct ks_func *kf = &o->funcs[i];

		if (kf->new_addr == *value && ks_kallsyms_name(r->symbol) &&
		    !strcmp(kf->f->name, ks_kallsyms_name(r->symbol)) &&
		    ks_same_object(kf->f->object, obj)) {
			*value = kf->old_addr;
			return 0;
		}
	}
	if (ks_kallsyms_name(r->symbol) &&
	    ks_module_symbol(o->u->owner, ks_kallsyms_name(r->symbol), *value,
			     &size)) {
		n = ks_lookup_all(ku, ks_kallsyms_name(r->symbol), obj, addrs,
				  ARRAY_SIZE(addrs), NULL);
		if (n < 0)
			return n;
		if (n == 0)
			return 0;
	}
	return ks_fail(ku, KS_NO_MATCH,
		       "%s+%#x refers to update %s's own copy of %s, which cannot be proven to be the %s this update was built from",
		       rp->f->name, r->offset, o->u->id, r->symbol, r->symbol);
}

static int ks_check_relocs(struct ks_update *ku, struct ks_runpre *rp)
{
	const struct ksplice_func *f = rp->f;
	unsigned int i;

	for (i = 0; i < f->nr_pre_relocs; i++) {
		const struct ksplice_pre_reloc *r = &f->pre_relocs[i];
		unsigned int width = ks_reloc_width(r->type);
		const char *obj = ks_pre_object(f, r);
		unsigned long value, prev, known;
		unsigned int have = ku->nr_presyms + rp->staged;
		int ret;

		if (!width || !r->symbol || r->offset + width > f->size)
			return ks_fail(ku, KS_NO_MATCH,
				       "%s: malformed pre relocation %u in the update",
				       f->name, i);
		memset(rp->skip + r->offset, 1, width);
		if (ks_field_masked(f, r->offset, width))
			continue;	/* rewritten at boot: says nothing */
		if (rp->hole && rp->addr + r->offset < rp->hole + KS_JMP32_LEN &&
		    rp->addr + r->offset + width > rp->hole)
			continue;	/* overwritten by the trampoline */
		if (ks_reloc_decode(r->type, rp->addr + r->offset, r->addend,
				    rp->code + r->offset, (ks_u64 *)&value))
			return ks_fail(ku, KS_NO_MATCH,
				       "%s: relocation type %u not understood",
				       f->name, r->type);
		if (rp->stacked) {
			ret = ks_stacked_field(ku, rp, r, obj, &value);
			if (ret)
				return ret;
		}
		if (ks_presym_find(ku, r->symbol, obj, have, &prev)) {
			if (prev != value)
				return ks_fail(ku, KS_NO_MATCH,
					       "%s+%#x refers to %s at %#lx, other code to %#lx",
					       f->name, r->offset, r->symbol,
					       value, prev);
			continue;
		}
		ret = ks_kallsyms_disagrees(ku, r->symbol, obj, value, &known);
		if (ret < 0)
			return ret;
		if (ret)
			return ks_fail(ku, KS_NO_MATCH,
				       "%s+%#x refers to %s at %#lx, but it is at %#lx",
				       f->name, r->offset, r->symbol, value,
				       known);
		if (have >= ku->max_presyms)
			return ks_fail(ku, KS_OUT_OF_MEMORY,
				       "too many symbols in the pre code");
		ku->presyms[have].symbol = r->symbol;
		ku->presyms[have].object = obj;
		ku->presyms[have].value = value;
		rp->staged++;
	}
	return 0;
}

static int ks_compare_bytes(struct ks_update *ku, struct ks_runpre *rp)
{
	unsigned long site = rp->hole;
	bool skip_site = site != 0;
	const struct ksplice_func *f = rp->f;
	unsigned long i;

	for (i = 0; i < f->size; i++) {
		if (rp->skip[i] || (f->pre_mask && f->pre_mask[i] != 0xff))
			continue;
		if (skip_site && rp->addr + i >= site &&
		    rp->addr + i < site + KS_JMP32_LEN)
			continue;
		if (rp->code[i] != f->pre_code[i])
			return ks_fail(ku, KS_NO_MATCH,
				       "%s differs from the code the update was built from at +%#lx (%02x, expected %02x)",
				       f->name, i, rp->code[i],
				       f->pre_code[i]);
	}
	return 0;
}

/*
 * Compare the @size bytes at @rp->addr with the pre code, but for the
 * bytes at @rp->hole.  With @commit, the symbol values read are kept for
 * the update's relocations.
 */
static int ks_runpre_code(struct ks_update *ku, struct ks_runpre *rp,
			  unsigned long size, bool commit)
{
	const struct ksplice_func *f = rp->f;
	u8 *code;
	int ret;

	if (size != f->size)
		return ks_fail(ku, KS_NO_MATCH,
			       "%s is %lu bytes, the code the update was built from %lu",
			       f->name, size, f->size);
	code = kvmalloc(2 * f->size, GFP_KERNEL);
	if (!code)
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	rp->code = code;
	rp->skip = code + f->size;
	rp->staged = 0;
	memset(rp->skip, 0, f->size);
	if (copy_from_kernel_nofault(code, (void *)rp->addr, f->size)) {
		ret = ks_fail(ku, KS_NO_MATCH, "cannot read the code of %s",
			      f->name);
		goto out;
	}
	ret = ks_check_relocs(ku, rp);
	if (!ret)
		ret = ks_compare_bytes(ku, rp);
	if (!ret && commit)
		ku->nr_presyms += rp->staged;
out:
	kvfree(code);
	return ret;
}

/*
 * @below, an earlier update's function, replaced the function at @addr:
 * its replacement is what runs, and what the pre code must be.  If the pre
 * code is the original instead, say so: applying it would undo @below's
 * change.
 */
static int ks_runpre_stacked(struct ks_update *ku, struct ks_func *kf,
			     const struct ks_func *below, unsigned long addr,
			     unsigned long site, bool commit)
{
	struct ks_update *o = ks_func_update(below);
	const char *id = o ? o->u->id : "(unknown)";
	const char *name = kf->f->name;
	struct ks_runpre rp = { .f = kf->f, .addr = below->new_addr,
				.stacked = true };
	struct ks_runpre orig = { .f = kf->f, .addr = addr, .hole = site };
	unsigned long size;
	char *why;
	int ret;

	if (!o || !ks_module_symbol(o->u->owner, NULL, below->new_addr, &size))
		return ks_fail(ku, KS_NO_MATCH,
			       "update %s replaced %s, and the size of its replacement is unknown",
			       id, name);
	ret = ks_runpre_code(ku, &rp, size, commit);
	if (!ret || ret == -ENOMEM)
		return ret;
	why = kstrdup(ku->reason, GFP_KERNEL);
	if (!ks_runpre_code(ku, &orig, kf->f->size, false))
		ret = ks_fail(ku, KS_NO_MATCH,
			      "update %s already replaced %s; this update was built from code without %s's change and would revert it: build it on top of %s (or undo %s first)",
			      id, name, id, id, id);
	else
		ret = ks_fail(ku, KS_NO_MATCH,
			      "update %s replaced %s, and this update was not built from its code: %s",
			      id, name, why ? why : "out of memory");
	kfree(why);
	return ret;
}

/*
 * Compare the function at @addr with @kf's pre code: what runs there, that
 * is, the replacement of the newest applied update that replaced it, if
 * any.  With @commit, the symbol values read are kept for the update's
 * relocations.
 */
int ks_runpre_match(struct ks_update *ku, struct ks_func *kf,
		    unsigned long addr, bool commit)
{
	struct ks_runpre rp = { .f = kf->f, .addr = addr };
	unsigned long site = addr + (ks_has_fentry(addr) ? KS_FENTRY_LEN : 0);
	const struct ks_func *below;

	if (!kf->f->pre_code)
		return 0;
	below = ks_site_owner(ku, site);
	/* A cumulative update is built from the original code, and takes
	 * the place of the trampoline over it. */
	if (below && !ks_replaces(ku))
		return ks_runpre_stacked(ku, kf, below, addr, site, commit);
	/* A probe the site check will name is not a difference in the
	 * code we were built from. */
	if (below || ks_kprobe_near(site, KS_JMP32_LEN))
		rp.hole = site;
	return ks_runpre_code(ku, &rp, kf->f->size, commit);
}

/*
 * Several functions share @kf's name (static functions in different
 * files): the one whose code matches the pre code is the target.  Where
 * identical copies match (a header's inline, specialised the same way in
 * several files), the copy that the update's other matched pre code calls
 * is the one of the object the update was built from.
 */
int ks_runpre_choose(struct ks_update *ku, struct ks_func *kf,
		     const unsigned long *addrs, unsigned int n)
{
	unsigned int i, matches = 0;
	unsigned long chosen = 0, called;
	bool known;

	known = kf->f->key && ks_presym_find(ku, kf->f->key, kf->f->object ?
			       kf->f->object : "vmlinux", ku->nr_presyms,
			       &called);
	for (i = 0; i < n; i++) {
		if (ks_runpre_match(ku, kf, addrs[i], false))
			continue;
		if (known && addrs[i] == called) {
			chosen = called;
			matches = 1;
			break;
		}
		chosen = addrs[i];
		matches++;
	}
	if (matches == 1) {
		kf->old_addr = chosen;
		ku->cause = KS_OK;
		ku->reason[0] = '\0';
		return 0;
	}
	if (!matches)
		return ks_fail(ku, KS_NO_MATCH,
			       "none of the %u functions named %s matches the code the update was built from",
			       n, kf->f->name);
	return ks_fail(ku, KS_AMBIGUOUS,
		       "%u functions named %s match the update's pre code, and none of its other code calls one of them",
		       matches, kf->f->name);
}
