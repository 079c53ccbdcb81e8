// SPDX-License-Identifier: GPL-2.0
/*
 * Where each trampoline goes, what must be there before we write it, and
 * which code no task may be running when we do.
 */
#include <linux/cpu.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
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

/*
 * The jmp goes after the fentry nop unless the kernel rewrites those
 * bytes later, or they do not fit; then the fentry call redirects.
 */
static int ks_choose_via(struct ks_update *ku, struct ks_func *kf)
{
	const char *name = kf->f->name, *later;
	bool fentry = kf->site != kf->old_addr;
	unsigned long a, size, off;

	cpus_read_lock();
	ks_jump_label_lock();
	mutex_lock(ks_text_mutex);
	later = ks_rewritten_later(kf->site, KS_JMP32_LEN);
	mutex_unlock(ks_text_mutex);
	ks_jump_label_unlock();
	cpus_read_unlock();

	kf->via = KS_VIA_JMP;
	if (later || kf->site + KS_JMP32_LEN > kf->end) {
		if (fentry) {
			kf->via = KS_VIA_FTRACE;
			return 0;
		}
		if (later)
			return ks_fail(ku, KS_NOT_PATCHABLE,
				       "the kernel rewrites the first bytes of %s later (%s), and it has no fentry call to redirect through",
				       name, later);
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is %lu bytes, too short for a trampoline",
			       name, kf->old_size);
	}
	/* A call to a symbol inside the jmp would land mid-instruction.
	 * (A branch from the old code itself cannot: once the jmp is in,
	 * no task runs the code after it, which the stack check ensures.) */
	for (a = kf->site + 1; a < kf->site + KS_JMP32_LEN; a++)
		if (ks_symbol_size(a, &size, &off) && a - off != kf->old_addr)
			return ks_fail(ku, KS_NOT_PATCHABLE,
				       "another symbol (%pS) starts inside the 5 bytes the trampoline of %s covers",
				       (void *)(a - off), name);
	return 0;
}

static int ks_prepare_one(struct ks_update *ku, struct ks_func *kf)
{
	const struct ksplice_func *f = kf->f;
	unsigned long size, off;
	const char *what;
	int ret;

	ret = ks_resolve_old(ku, kf);
	if (ret)
		return ret;
	if (ks_forbidden_text(kf->old_addr, &what))
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is in %s, which cannot be patched",
			       f->name, what);
	/* Freed once the module's init returns: the jmp would go with it,
	 * and undo would write into freed memory. */
	if (kf->target && within_module_init(kf->old_addr, kf->target))
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is in %s's init text, which is freed once the module has loaded",
			       f->name, kf->target->name);
	if (kf->target && kf->old_addr -
	    (unsigned long)kf->target->noinstr_text_start <
	    kf->target->noinstr_text_size)
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is in %s's noinstr text, which cannot be patched",
			       f->name, kf->target->name);
	ret = ks_check_redirectors(ku, kf);
	if (ret)
		return ret;
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
	kf->end = kf->old_addr + kf->old_size;
	if (!ks_symbol_size(kf->new_addr, &kf->new_size, &off) || off)
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "replacement for %s is not a function entry",
			       f->name);

	/* After the fentry nop, so that ftrace keeps working. */
	kf->site = kf->old_addr + (ks_has_fentry(kf->old_addr) ?
				   KS_FENTRY_LEN : 0);
	ret = ks_choose_via(ku, kf);
	if (ret || kf->via == KS_VIA_FTRACE)
		return ret;
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
		if (kf->redirect)
			ks_redirect_put(kf);
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
	unsigned int i, j, pass;
	bool deferred;
	int ret = 0;

	ku->nr_presyms = 0;
	for (i = 0; i < ku->u->nr_funcs; i++)
		ku->funcs[i].old_addr = 0;

	/* Twice: copies that only a caller's pre code tells apart wait
	 * until the callers have been matched. */
	for (pass = 0; pass < 2 && !ret; pass++) {
		deferred = false;
		for (i = 0; i < ku->u->nr_funcs && !ret; i++) {
			struct ks_func *kf = &ku->funcs[i];

			if (kf->old_addr)
				continue;
			kf->redirect = NULL;
			ret = ks_prepare_one(ku, kf);
			/* Nothing is held after a failed resolve; the
			 * second pass starts this function over. */
			if (ret && pass == 0 && ku->cause == KS_AMBIGUOUS &&
			    !kf->target) {
				kf->old_addr = 0;
				deferred = true;
				ret = 0;
				continue;
			}
			if (!ret)
				ret = ks_runpre_match(ku, kf, kf->old_addr,
						      true);
			for (j = 0; j < ku->u->nr_funcs && !ret; j++)
				if (j != i && ku->funcs[j].old_addr ==
				    kf->old_addr)
					ret = ks_fail(ku, KS_NOT_PATCHABLE,
						      "%s is listed twice in the update",
						      kf->f->name);
		}
		if (!deferred)
			break;
		ku->cause = KS_OK;
		ku->reason[0] = '\0';
	}
	/* Registering an ftrace_ops takes text_mutex and stops the
	 * machine: done here, before the attempts take those locks. */
	for (i = 0; i < ku->u->nr_funcs && !ret; i++)
		if (ku->funcs[i].via == KS_VIA_FTRACE)
			ret = ks_redirect_get(ku, &ku->funcs[i]);
	if (ret)
		ks_release_funcs(ku);
	return ret;
}

/*
 * The applied function at @site of the newest update (or, @oldest, of the
 * oldest one) other than @self, if any.
 */
static struct ks_func *ks_site_end(struct ks_update *self, unsigned long site,
				   bool oldest)
{
	struct ks_func *best = NULL;
	u64 best_seq = 0;
	struct ks_update *ku;
	unsigned int i;

	list_for_each_entry(ku, &ks_updates, list) {
		if (ku == self || ku->stage != KS_APPLIED)
			continue;
		for (i = 0; i < ku->u->nr_funcs; i++) {
			if (ku->funcs[i].site != site)
				continue;
			if (!best || (oldest ? ku->sequence < best_seq :
					       ku->sequence > best_seq)) {
				best = &ku->funcs[i];
				best_seq = ku->sequence;
			}
		}
	}
	return best;
}

struct ks_func *ks_site_owner(struct ks_update *self, unsigned long site)
{
	return ks_site_end(self, site, false);
}

struct ks_func *ks_site_bottom(struct ks_update *self, unsigned long site)
{
	return ks_site_end(self, site, true);
}

bool ks_site_applied(struct ks_update *self, unsigned long site)
{
	return ks_site_owner(self, site) != NULL;
}

/*
 * Undo puts the old bytes back: a kprobe registered while the jmp was
 * there may sit inside an old instruction the jmp covered, which ends
 * at most 14 bytes after it.
 */
#define KS_UNDO_PROBE_SPAN	(KS_JMP32_LEN + 14)

static int ks_check_jmp(struct ks_update *ku, struct ks_func *kf, bool undo)
{
	const char *name = kf->f->name;
	u8 cur[KS_JMP32_LEN];

	if (copy_from_kernel_nofault(cur, (void *)kf->site, sizeof(cur)))
		return ks_fail(ku, KS_BAD_BYTES, "cannot read the code of %s",
			       name);
	if (ks_kprobe_near(kf->site, undo ? KS_UNDO_PROBE_SPAN : KS_JMP32_LEN))
		return ks_fail(ku, KS_BAD_BYTES,
			       "a kprobe sits where the trampoline of %s %s (%pS)",
			       name, undo ? "is" : "goes", (void *)kf->site);
	if (undo) {
		if (memcmp(cur, kf->jmp, sizeof(cur)))
			return ks_fail(ku, KS_BAD_BYTES,
				       "the trampoline in %s was overwritten by someone else",
				       name);
		return 0;
	}
	kf->below = ks_site_owner(ku, kf->site);
	if (kf->below && (kf->below->via != KS_VIA_JMP ||
			  memcmp(cur, kf->below->jmp, sizeof(cur))))
		return ks_fail(ku, KS_BAD_BYTES,
			       "the trampoline of an earlier update in %s was overwritten",
			       name);
	memcpy(kf->found, cur, sizeof(cur));
	/* A cumulative update's undo brings back the original. */
	memcpy(kf->saved, kf->below && ks_replaces(ku) ?
	       ks_site_bottom(ku, kf->site)->saved : cur, sizeof(cur));
	return 0;
}

static int ks_check_redirect(struct ks_update *ku, struct ks_func *kf,
			     bool undo)
{
	unsigned long to = ks_redirect_target(kf);

	if (undo) {
		if (to != kf->new_addr)
			return ks_fail(ku, KS_BAD_BYTES,
				       "the ftrace redirect of %s was moved by someone else",
				       kf->f->name);
		return 0;
	}
	kf->below = ks_site_owner(ku, kf->site);
	if (kf->below ? kf->below->via != KS_VIA_FTRACE ||
			to != kf->below->new_addr : to != 0)
		return ks_fail(ku, KS_BAD_BYTES,
			       "the ftrace redirect of %s is not where the earlier updates left it",
			       kf->f->name);
	kf->found_target = to;
	kf->prev_target = kf->below && ks_replaces(ku) ?
			  ks_site_bottom(ku, kf->site)->prev_target : to;
	return 0;
}

int ks_check_site(struct ks_update *ku, struct ks_func *kf, bool undo)
{
	if (kf->via == KS_VIA_FTRACE)
		return ks_check_redirect(ku, kf, undo);
	return ks_check_jmp(ku, kf, undo);
}

/*
 * With text_mutex held, just before the stop: are the bytes at every
 * site what we expect?  For apply, remember them (they are restored by
 * undo); for undo, they must still be our trampoline.  A cumulative
 * update's reverts are undos of the replaced updates' trampolines.
 */
int ks_check_sites(struct ks_update *ku, bool undo)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ku->u->nr_funcs; i++) {
		ret = ks_check_site(ku, &ku->funcs[i], undo);
		if (ret)
			return ret;
	}
	for (i = 0; i < ku->nr_reverts && !undo; i++) {
		ret = ks_check_site(ku, &ku->reverts[i], true);
		if (ret)
			return ret;
	}
	return 0;
}

/* Inside the stop: is the site still what ks_check_sites saw? */
bool notrace ks_site_intact(const struct ks_func *kf, bool undo)
{
	if (kf->via == KS_VIA_FTRACE)
		return ks_redirect_target(kf) ==
		       (undo ? kf->new_addr : kf->found_target);
	return !memcmp((void *)kf->site, undo ? kf->jmp : kf->found,
		       KS_JMP32_LEN);
}
NOKPROBE_SYMBOL(ks_site_intact);

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
 * .cold part, and the replacement of an earlier update it stacks on; for
 * a cumulative update, all the text of the updates it replaces.  Undo:
 * all of the update module's text (new helpers included).
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
		for (i = 0; i < ku->nr_replaced; i++) {
			mod = ku->replaced[i]->u->owner;
			ks_add_range(ku, (unsigned long)mod->core_layout.base,
				     mod->core_layout.text_size, 0);
		}
	}
	ku->nr_ranges = ks_ranges_sort(ku->ranges, ku->nr_ranges);
	return 0;
}
