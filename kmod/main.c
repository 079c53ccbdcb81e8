// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice core module: the registry of updates and its entry points.
 * Update modules register here from their init; applying and undoing
 * them is driven through sysfs (sysfs.c, transition.c); what they
 * register is checked first (validate.c).
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

DEFINE_MUTEX(ks_mutex);
LIST_HEAD(ks_updates);

void ks_free_update(struct ks_update *ku)
{
	kvfree(ku->presyms);
	kfree(ku->ranges);
	kfree(ku->funcs);
	kfree(ku);
}

static struct ks_update *ks_find(const char *id)
{
	struct ks_update *ku;

	list_for_each_entry(ku, &ks_updates, list)
		if (!strcmp(ku->u->id, id))
			return ku;
	return NULL;
}

int ksplice_register_update(struct ksplice_update *u)
{
	struct ks_update *ku;
	unsigned int i;
	int ret = ks_validate(u);

	if (ret)
		return ret;
	ku = kzalloc(sizeof(*ku), GFP_KERNEL);
	if (!ku)
		return -ENOMEM;
	ku->u = u;
	ku->max_tries = 5;
	ku->retry_delay_ms = 1000;
	ku->stage = KS_LOADED;
	ku->stage_time = ktime_get_real_seconds();
	ku->funcs = kcalloc(u->nr_funcs, sizeof(*ku->funcs), GFP_KERNEL);
	/* Per function: old code, .cold part, replacement stacked on. */
	ku->ranges = kcalloc(u->nr_funcs * 3 + 1, sizeof(*ku->ranges),
			     GFP_KERNEL);
	for (i = 0; ku->funcs && i < u->nr_funcs; i++) {
		ku->funcs[i].f = &u->funcs[i];
		ku->max_presyms += u->funcs[i].nr_pre_relocs;
	}
	if (ku->max_presyms)
		ku->presyms = kvcalloc(ku->max_presyms, sizeof(*ku->presyms),
				       GFP_KERNEL);
	if (!ku->funcs || !ku->ranges || (ku->max_presyms && !ku->presyms)) {
		ks_free_update(ku);
		return -ENOMEM;
	}

	mutex_lock(&ks_mutex);
	if (ks_find(u->id)) {
		mutex_unlock(&ks_mutex);
		pr_err("ksplice: an update with id %s is already loaded\n",
		       u->id);
		ks_free_update(ku);
		return -EEXIST;
	}
	ret = ks_sysfs_add(ku);		/* frees ku on failure */
	if (!ret) {
		list_add_tail(&ku->list, &ks_updates);
		u->engine = ku;
	}
	mutex_unlock(&ks_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(ksplice_register_update);

void ksplice_unregister_update(struct ksplice_update *u)
{
	struct ks_update *ku = u->engine;

	if (!ku)
		return;
	mutex_lock(&ks_mutex);
	/* Only a forced rmmod gets here while applied: undo is the one
	 * chance to keep the trampolines from pointing into freed code. */
	if (ku->stage == KS_APPLIED && ks_undo(ku))
		pr_crit("ksplice: %s removed while applied and undo failed: %s\n",
			u->id, ku->reason);
	list_del(&ku->list);
	ku->gone = true;
	u->engine = NULL;
	mutex_unlock(&ks_mutex);
	ks_sysfs_del(ku);
	/* its code goes: so does what only its code could read */
	ks_shadow_free_owner(u->owner);
}
EXPORT_SYMBOL_GPL(ksplice_unregister_update);

static int __init ks_init(void)
{
	int ret = ks_ksyms_init();

	if (ret)
		return ret;
	/* Optional: without it, the kernel's slower lookup is used. */
	ks_jumpsites_init();
	ret = ks_track_init();
	if (ret) {
		ks_jumpsites_exit();
		return ret;
	}
	ret = ks_poke_init();
	if (ret)
		goto out_track;
	ret = ks_jumpkeys_init();
	if (ret)
		goto out_poke;
	ret = ks_pending_init();
	if (ret)
		goto out_jumpkeys;
	ret = ks_sysfs_init();
	if (!ret)
		return 0;
	ks_pending_exit();
out_jumpkeys:
	ks_jumpkeys_exit();
out_poke:
	ks_poke_exit();
out_track:
	ks_track_exit();
	ks_jumpsites_exit();
	return ret;
}

static void __exit ks_exit(void)
{
	ks_sysfs_exit();
	ks_shadow_exit();
	ks_pending_exit();
	ks_jumpkeys_exit();
	ks_poke_exit();
	ks_track_exit();
	ks_jumpsites_exit();
}

module_init(ks_init);
module_exit(ks_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice: live patching of the running kernel");

