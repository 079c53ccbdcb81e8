// SPDX-License-Identifier: GPL-2.0
/*
 * Where each trampoline goes, what must be there before we write it, and
 * which code no task may be running when we do.
 */
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "internal.h"

/*
 * Find the running function.  Same-named static functions are told apart
 * by the update's sympos or, failing that, by run-pre matching.  Takes a
 * reference on the target module.
 */
static int ks_resolve_old(struct ks_update *ku, struct ks_func *kf)
{
	const struct ksplice_func *f = kf->f;
	const char *where = f->object ? f->object : "vmlinux";
	unsigned long addrs[KS_MAX_CANDIDATES];
	int n, ret = 0;

	n = ks_lookup_all(ku, f->name, f->object, addrs, ARRAY_SIZE(addrs),
			  &kf->target);
	if (n < 0)
		return n;
	if (n == 0 || (f->sympos && (f->sympos > n ||
				     f->sympos > ARRAY_SIZE(addrs))))
		ret = ks_fail(ku, KS_SYMBOL_MISSING,
			      "function %s not found in %s", f->name, where);
	else if (f->sympos)
		kf->old_addr = addrs[f->sympos - 1];
	else if (n == 1)
		kf->old_addr = addrs[0];
	else if (!f->pre_code || n > ARRAY_SIZE(addrs))
		ret = ks_fail(ku, KS_AMBIGUOUS,
			      "%d functions named %s in %s and no pre code to tell them apart",
			      n, f->name, where);
	else
		ret = ks_runpre_choose(ku, kf, addrs, n);
	if (ret && kf->target) {
		module_put(kf->target);
		kf->target = NULL;
	}
	return ret;
}

static int ks_prepare_one(struct ks_update *ku, struct ks_func *kf)
{
	const struct ksplice_func *f = kf->f;
	unsigned long size, off, end;
	const char *what;
	int ret;

	ret = ks_resolve_old(ku, kf);
	if (ret)
		return ret;
	if (ks_forbidden_text(kf->old_addr, &what))
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is in %s, which cannot be patched",
			       f->name, what);
	kf->old_size = f->size;
	if (!kf->old_size) {
		if (!ks_symbol_size(kf->old_addr, &size, &off))
			return ks_fail(ku, KS_SYMBOL_MISSING,
				       "no size known for %s", f->name);
		kf->old_size = size;
	}
	if (f->cold_name) {
		ret = ks_lookup(ku, f->cold_name, f->object, f->sympos,
				&kf->cold_addr, NULL);
		if (ret)
			return ret;
		kf->cold_size = f->cold_size;
		if (!kf->cold_size && ks_symbol_size(kf->cold_addr, &size, &off))
			kf->cold_size = size;
	}

	kf->new_addr = (unsigned long)f->new_code;
	if (!ks_symbol_size(kf->new_addr, &kf->new_size, &off) || off)
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "replacement for %s is not a function entry",
			       f->name);

	/* After the fentry nop, so that ftrace keeps working. */
	kf->site = kf->old_addr + (ks_has_fentry(kf->old_addr) ?
				   KS_FENTRY_LEN : 0);
	end = kf->old_addr + kf->old_size;
	if (kf->site + KS_JMP32_LEN > end)
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is %lu bytes, too short for a trampoline%s",
			       f->name, kf->old_size,
			       kf->site != kf->old_addr ?
			       " after its fentry nop" : "");
	if (ks_encode_jmp32(kf->jmp, kf->site, kf->new_addr))
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "replacement for %s is out of jmp rel32 range",
			       f->name);
	return 0;
}

void ks_release_funcs(struct ks_update *ku)
{
	unsigned int i;

	for (i = 0; i < ku->u->nr_funcs; i++) {
		struct ks_func *kf = &ku->funcs[i];

		/* Addresses stay for `functions`; references go. */
		if (kf->target)
			module_put(kf->target);
		kf->target = NULL;
		kf->below = NULL;
	}
}

/*
 * Resolve every function, take a reference on every target module, and
 * refuse what cannot be patched.  On failure nothing is held.
 */
int ks_prepare_funcs(struct ks_update *ku)
{
	unsigned int i, j;
	int ret = 0;

	ku->nr_presyms = 0;

	for (i = 0; i < ku->u->nr_funcs && !ret; i++) {
		ret = ks_prepare_one(ku, &ku->funcs[i]);
		if (!ret)
			ret = ks_runpre_match(ku, &ku->funcs[i],
					      ku->funcs[i].old_addr, true);
		for (j = 0; j < i && !ret; j++)
			if (ku->funcs[j].old_addr == ku->funcs[i].old_addr)
				ret = ks_fail(ku, KS_NOT_PATCHABLE,
					      "%s is listed twice in the update",
					      ku->funcs[i].f->name);
	}
	if (ret)
		ks_release_funcs(ku);
	return ret;
}

/* The applied function of the newest update that owns @site, if any. */
struct ks_func *ks_site_owner(struct ks_update *self, unsigned long site)
{
	struct ks_func *best = NULL;
	u64 best_seq = 0;
	struct ks_update *ku;
	unsigned int i;

	list_for_each_entry(ku, &ks_updates, list) {
		if (ku == self || ku->stage != KS_APPLIED)
			continue;
		for (i = 0; i < ku->u->nr_funcs; i++) {
			if (ku->funcs[i].site == site && ku->sequence > best_seq) {
				best = &ku->funcs[i];
				best_seq = ku->sequence;
			}
		}
	}
	return best;
}

bool ks_site_applied(struct ks_update *self, unsigned long site)
{
	return ks_site_owner(self, site) != NULL;
}

/*
 * With text_mutex held, just before the stop: are the bytes at every
 * site what we expect?  For apply, remember them (they are restored by
 * undo); for undo, they must still be our trampoline.
 */
int ks_check_sites(struct ks_update *ku, bool undo)
{
	unsigned int i;
	u8 cur[KS_JMP32_LEN];

	for (i = 0; i < ku->u->nr_funcs; i++) {
		struct ks_func *kf = &ku->funcs[i];
		const char *name = kf->f->name;

		if (copy_from_kernel_nofault(cur, (void *)kf->site, sizeof(cur)))
			return ks_fail(ku, KS_BAD_BYTES,
				       "cannot read the code of %s", name);
		if (ks_kprobe_near(kf->site, KS_JMP32_LEN))
			return ks_fail(ku, KS_BAD_BYTES,
				       "a kprobe sits where the trampoline of %s goes (%pS)",
				       name, (void *)kf->site);
		if (undo) {
			if (memcmp(cur, kf->jmp, sizeof(cur)))
				return ks_fail(ku, KS_BAD_BYTES,
					       "the trampoline in %s was overwritten by someone else",
					       name);
			continue;
		}
		kf->below = ks_site_owner(ku, kf->site);
		if (kf->below && memcmp(cur, kf->below->jmp, sizeof(cur)))
			return ks_fail(ku, KS_BAD_BYTES,
				       "the trampoline of an earlier update in %s was overwritten",
				       name);
		memcpy(kf->saved, cur, sizeof(cur));
	}
	return 0;
}

/*
 * A word equal to start + size is a return address into this function only
 * if a call ends it; otherwise it is more likely a pointer to the next
 * function (a kthread's threadfn, say), which must not count as inside.
 */
static void ks_add_range(struct ks_update *ku, unsigned long start,
			 unsigned long size, unsigned int owner)
{
	struct ks_range *r = &ku->ranges[ku->nr_ranges++];
	u8 tail[8];
	unsigned int len = min_t(unsigned long, size, sizeof(tail));
	bool closed = true;

	if (!copy_from_kernel_nofault(tail, (void *)(start + size - len), len))
		closed = ks_call_ends_at(tail, len);
	r->start = start;
	r->end = start + size - (closed ? 0 : 1);
	r->owner = owner;
}

/*
 * The code no task may be in.  Apply: every function being replaced, its
 * .cold part, and the replacement of an earlier update it stacks on.
 * Undo: all of the update module's text (new helpers included).
 */
int ks_build_ranges(struct ks_update *ku, bool undo)
{
	struct module *mod = ku->u->owner;
	unsigned int i;

	ku->nr_ranges = 0;
	if (undo) {
		ks_add_range(ku, (unsigned long)mod->core_layout.base,
			     mod->core_layout.text_size, 0);
	} else {
		for (i = 0; i < ku->u->nr_funcs; i++) {
			struct ks_func *kf = &ku->funcs[i];

			ks_add_range(ku, kf->old_addr, kf->old_size, i);
			if (kf->cold_addr)
				ks_add_range(ku, kf->cold_addr, kf->cold_size, i);
			if (kf->below)
				ks_add_range(ku, kf->below->new_addr,
					     kf->below->new_size, i);
		}
	}
	ku->nr_ranges = ks_ranges_sort(ku->ranges, ku->nr_ranges);
	return 0;
}
