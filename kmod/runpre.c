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

	if (strchr(symbol, ':'))	/* a generator's section name */
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
	unsigned long addr;	/* candidate entry */
	const u8 *code;		/* copy of the running bytes */
	u8 *skip;		/* 1: byte of a relocation field */
	unsigned int staged;	/* presyms added by this comparison */
};

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
		if (ks_reloc_decode(r->type, rp->addr + r->offset, r->addend,
				    rp->code + r->offset, (ks_u64 *)&value))
			return ks_fail(ku, KS_NO_MATCH,
				       "%s: relocation type %u not understood",
				       f->name, r->type);
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

static int ks_compare_bytes(struct ks_update *ku, struct ks_runpre *rp,
			    unsigned long site, bool skip_site)
{
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
 * Compare the function at @addr with @kf's pre code.  With @commit, the
 * symbol values read are kept for the update's relocations.
 */
int ks_runpre_match(struct ks_update *ku, struct ks_func *kf,
		    unsigned long addr, bool commit)
{
	const struct ksplice_func *f = kf->f;
	struct ks_runpre rp = { .f = f, .addr = addr };
	unsigned long site = addr + (ks_has_fentry(addr) ? KS_FENTRY_LEN : 0);
	u8 *code;
	bool skip_site;
	int ret;

	if (!f->pre_code)
		return 0;
	code = kvmalloc(2 * f->size, GFP_KERNEL);
	if (!code)
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	rp.code = code;
	rp.skip = code + f->size;
	memset(rp.skip, 0, f->size);
	if (copy_from_kernel_nofault(code, (void *)addr, f->size)) {
		ret = ks_fail(ku, KS_NO_MATCH, "cannot read the code of %s",
			      f->name);
		goto out;
	}
	/* An earlier update's trampoline, or a probe the site check will
	 * name, is not a difference in the code we were built from. */
	skip_site = ks_site_applied(ku, site) ||
		    ks_kprobe_near(site, KS_JMP32_LEN);
	ret = ks_check_relocs(ku, &rp);
	if (!ret)
		ret = ks_compare_bytes(ku, &rp, site, skip_site);
	if (!ret && commit)
		ku->nr_presyms += rp.staged;
out:
	kvfree(code);
	return ret;
}

/*
 * Several functions share @kf's name (static functions in different
 * files): the one whose code matches the pre code is the target.
 */
int ks_runpre_choose(struct ks_update *ku, struct ks_func *kf,
		     const unsigned long *addrs, unsigned int n)
{
	unsigned int i, matches = 0;
	unsigned long chosen = 0;

	for (i = 0; i < n; i++) {
		if (ks_runpre_match(ku, kf, addrs[i], false))
			continue;
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
		       "%u functions named %s match the update's pre code",
		       matches, kf->f->name);
}
