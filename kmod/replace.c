// SPDX-License-Identifier: GPL-2.0
/*
 * Cumulative updates.  An update flagged KSPLICE_F_REPLACE carries every
 * fix of the updates applied before it, built from the original source,
 * and takes their place in one stop:
 *   - a function it replaces too: its jmp goes over theirs, and its undo
 *     brings back the original bytes, not their trampoline;
 *   - a function only they replaced: a revert, their newest trampoline
 *     undone back to the bytes their oldest one found;
 *   - the stack check covers all of their text, which goes away after;
 *   - they end reversed, named as replaced, their modules free to unload.
 * As livepatch's atomic replace does, the replaced updates' hooks do not
 * run: the cumulative update's own hooks see to any change of state.
 * Their shadow variables pass to it, since its code carries their fixes.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

bool ks_replaces(const struct ks_update *ku)
{
	return ku->u->abi >= 2 && (ku->u->flags & KSPLICE_F_REPLACE);
}

void ks_replace_release(struct ks_update *ku)
{
	kfree(ku->replaced);
	kfree(ku->reverts);
	ku->replaced = NULL;
	ku->reverts = NULL;
	ku->nr_replaced = 0;
	ku->nr_reverts = 0;
}

static bool ks_site_replaced(const struct ks_update *ku, unsigned long site)
{
	unsigned int i;

	for (i = 0; i < ku->u->nr_funcs; i++)
		if (ku->funcs[i].site == site)
			return true;
	for (i = 0; i < ku->nr_reverts; i++)
		if (ku->reverts[i].site == site)
			return true;
	return false;
}

/*
 * A revert is the newest trampoline at @site undone, as that update's own
 * undo would do it, except that the bytes (or the ftrace target) put back
 * are the ones the oldest update there found: the original.
 */
static void ks_add_revert(struct ks_update *ku, unsigned long site)
{
	struct ks_func *top = ks_site_owner(ku, site);
	struct ks_func *bottom = ks_site_bottom(ku, site);
	struct ks_func *kf = &ku->reverts[ku->nr_reverts++];

	*kf = *top;
	memcpy(kf->saved, bottom->saved, sizeof(kf->saved));
	kf->prev_target = bottom->prev_target;
	kf->alias = NULL;
	kf->alias_base = NULL;
}

/*
 * Before each attempt (ks_mutex is dropped between them): which updates it
 * replaces, and which of their sites go back to the original.  Refuses
 * what it cannot take the place of.
 */
int ks_replace_prepare(struct ks_update *ku)
{
	unsigned int nr = 0, sites = 0, i;
	struct ks_range *ranges;
	struct ks_update *o;

	if (!ks_replaces(ku))
		return 0;
	list_for_each_entry(o, &ks_updates, list) {
		if (o == ku)
			continue;
		if (o->stage == KS_PENDING)
			return ks_fail(ku, KS_OUT_OF_ORDER,
				       "update %s waits for a module to load; a cumulative update cannot take its place yet: undo it first",
				       o->u->id);
		if (o->stage != KS_APPLIED)
			continue;
		if (o->in_progress || o->stranded)
			return ks_fail(ku, KS_OUT_OF_ORDER,
				       "update %s cannot be replaced now: %s",
				       o->u->id, o->stranded ?
				       "a module it patched went away under it" :
				       "its own apply or undo is under way");
		nr++;
		sites += o->u->nr_funcs;
	}
	if (!nr)
		return 0;
	ku->replaced = kcalloc(nr, sizeof(*ku->replaced), GFP_KERNEL);
	ku->reverts = kcalloc(sites ? sites : 1, sizeof(*ku->reverts),
			      GFP_KERNEL);
	/* Room for all of each replaced module's text in the stack check. */
	ranges = kcalloc(ku->u->nr_funcs * 3 + 1 + nr, sizeof(*ranges),
			 GFP_KERNEL);
	if (!ku->replaced || !ku->reverts || !ranges) {
		kfree(ranges);
		ks_replace_release(ku);
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	}
	kfree(ku->ranges);
	ku->ranges = ranges;

	list_for_each_entry(o, &ks_updates, list) {
		if (o == ku || o->stage != KS_APPLIED)
			continue;
		ku->replaced[ku->nr_replaced++] = o;
		for (i = 0; i < o->u->nr_funcs; i++)
			if (!ks_site_replaced(ku, o->funcs[i].site))
				ks_add_revert(ku, o->funcs[i].site);
	}
	return 0;
}

/*
 * After the stop that switched: the replaced updates are reversed, and
 * once no exiting task can still run their code, they let go of what they
 * held, so that their modules can be unloaded.
 */
void ks_replace_finish(struct ks_update *ku)
{
	struct ks_update *o;
	unsigned long n;
	unsigned int i;

	for (i = 0; i < ku->u->nr_funcs; i++)
		ku->funcs[i].below = NULL;
	for (i = 0; i < ku->nr_replaced; i++) {
		o = ku->replaced[i];
		o->sequence = 0;
		ks_set_stage(o, KS_REVERSED);
		strscpy(o->replaced_by, ku->u->id, sizeof(o->replaced_by));
	}
	if (ku->nr_replaced)
		ks_wait_exiting();
	for (i = 0; i < ku->nr_replaced; i++) {
		o = ku->replaced[i];
		ks_release_funcs(o);
		ks_release_relocs(o);
		n = ks_shadow_transfer(o->u->owner, ku->u->owner);
		module_put(o->u->owner);
		pr_info("ksplice: %s replaced by %s%s\n", o->u->id, ku->u->id,
			n ? ", which takes its shadow variables" : "");
	}
	ks_replace_release(ku);
}
