// SPDX-License-Identifier: GPL-2.0
/*
 * Updates for modules that are not loaded yet.  Writing `pending` to an
 * update's stage applies it at once when every module it names is loaded,
 * and otherwise makes it wait (KS_PENDING).  A module notifier applies it
 * when the last module it waits for reaches MODULE_STATE_COMING: the
 * module's text is final by then (relocated, alternatives, and the kernel's
 * own COMING notifiers, which run before ours, have set its jump labels
 * and static calls), and its init has not run, so none of its code is on
 * any stack.  The apply is the normal one: run-pre matching against the
 * module's code, relocations, stack check and stop_machine.  If it fails,
 * the module's load is refused (livepatch does the same): loading a
 * driver without the fix the administrator asked for would be silent, a
 * refused load is not, and `ksplice-undo <id>` lets it load unpatched.
 *
 * A module an applied update holds is pinned, but it can still go: its
 * init may fail after the update was applied at its COMING, or a later
 * COMING notifier may refuse it, or a forced rmmod.  At its GOING the
 * update is undone the normal way and waits for the module again; if even
 * that fails, it is stranded: it stays applied elsewhere, its module stays
 * pinned, and nothing of it points into the module any more.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

/* The manifest allows 256 targets; relocations may name a few more. */
#define KS_MAX_OBJECTS	512

/* The distinct modules an update names (vmlinux left out). */
struct ks_objects {
	const char *name[KS_MAX_OBJECTS];
	unsigned int n;
	bool overflow;
};

static void ks_add_object(struct ks_objects *o, const char *name)
{
	unsigned int i;

	if (!name || !strcmp(name, "vmlinux"))
		return;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->name[i], name))
			return;
	if (o->n == KS_MAX_OBJECTS)
		o->overflow = true;
	else
		o->name[o->n++] = name;
}

/*
 * Every module the apply would look into: targets, and the objects of
 * pre relocations and relocations.  NULL: out of memory.
 */
static struct ks_objects *ks_objects_of(const struct ksplice_update *u)
{
	struct ks_objects *o = kzalloc(sizeof(*o), GFP_KERNEL);
	unsigned int i, j;

	if (!o)
		return NULL;
	for (i = 0; i < u->nr_funcs; i++) {
		const struct ksplice_func *f = &u->funcs[i];

		ks_add_object(o, f->object);
		for (j = 0; j < f->nr_pre_relocs; j++)
			ks_add_object(o, f->pre_relocs[j].object);
	}
	for (i = 0; i < u->nr_relocs; i++)
		ks_add_object(o, u->relocs[i].object);
	return o;
}

/*
 * How many of @o's modules are not loaded (a module on its way out counts
 * as not loaded: it will be loaded again or never).  @coming, being loaded,
 * counts as loaded; another module being loaded right now goes to @busy.
 * Names of missing modules go to @buf (one per line) if given.
 */
static unsigned int ks_missing(const struct ks_objects *o,
			       const struct module *coming, const char **busy,
			       char *buf, ssize_t *len, const char **first)
{
	unsigned int i, n = 0;

	*busy = NULL;
	if (first)
		*first = NULL;
	for (i = 0; i < o->n; i++) {
		int state;

		if (coming && !strcmp(o->name[i], coming->name))
			continue;
		state = ks_module_state(o->name[i]);
		if (state == MODULE_STATE_LIVE)
			continue;
		if (state == MODULE_STATE_COMING) {
			*busy = o->name[i];
			continue;
		}
		if (buf)
			*len += sysfs_emit_at(buf, *len, "%s\n", o->name[i]);
		if (first && !n)
			*first = o->name[i];
		n++;
	}
	return n;
}

/* Called with ks_mutex held: apply now, or wait for the missing modules. */
int ks_pending(struct ks_update *ku)
{
	struct ks_objects *o;
	const char *busy, *first;
	unsigned int n;

	if (ku->stage == KS_APPLIED || ku->stage == KS_PENDING)
		return 0;
	o = ks_objects_of(ku->u);
	if (!o)
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	if (o->overflow) {
		kfree(o);
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "the update names more than %u modules",
			       KS_MAX_OBJECTS);
	}
	n = ks_missing(o, NULL, &busy, NULL, NULL, &first);
	if (busy) {
		kfree(o);
		return ks_fail(ku, KS_MODULE_BUSY,
			       "module %s is being loaded right now; try again",
			       busy);
	}
	if (!n) {
		kfree(o);
		return ks_apply(ku, false);
	}
	ku->cause = KS_OK;
	ku->reason[0] = '\0';
	ku->tries = 0;
	ks_set_stage(ku, KS_PENDING);
	pr_info("ksplice: %s pending: it applies when module %s%s loads\n",
		ku->u->id, first, n > 1 ? " (and the others it needs)" : "");
	kfree(o);
	return 0;
}

/* For sysfs: the modules a pending update still waits for. */
ssize_t ks_waiting_for(struct ks_update *ku, char *buf)
{
	struct ks_objects *o;
	const char *busy;
	ssize_t len = 0;

	if (ku->stage != KS_PENDING)
		return 0;
	o = ks_objects_of(ku->u);
	if (!o)
		return -ENOMEM;
	ks_missing(o, NULL, &busy, buf, &len, NULL);
	kfree(o);
	return len;
}

/*
 * Does pending @ku name @mod, and is every other module it names here?
 * 1 yes, 0 no, or -ENOMEM (the load is refused: never silently unpatched).
 */
static int ks_ready_at(struct ks_update *ku, struct module *mod)
{
	struct ks_objects *o = ks_objects_of(ku->u);
	bool names = false, ready;
	const char *busy;
	unsigned int i;

	if (!o)
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	for (i = 0; i < o->n; i++)
		names |= !strcmp(o->name[i], mod->name);
	ready = names && !ks_missing(o, mod, &busy, NULL, NULL, NULL);
	if (ready && busy) {
		/* Its notifier may have run already: nobody would apply it. */
		pr_warn("ksplice: %s: modules %s and %s are loading at the same time; it stays pending: write applied to its stage once both are loaded\n",
			ku->u->id, mod->name, busy);
		ready = false;
	}
	kfree(o);
	return ready;
}

/* Does @ku hold a reference on @mod (a target, or a relocation's)? */
static bool ks_holds(const struct ks_update *ku, const struct module *mod)
{
	unsigned int i;

	for (i = 0; i < ku->u->nr_funcs; i++)
		if (ku->funcs[i].target == mod)
			return true;
	for (i = 0; i < ku->nr_pinned; i++)
		if (ku->pinned[i] == mod)
			return true;
	return false;
}

/*
 * @mod goes away under applied @ku and the undo failed: let go of @mod
 * (its text is about to be freed), keep @ku's module pinned for good,
 * and refuse every later undo.
 */
static void ks_strand(struct ks_update *ku, struct module *mod)
{
	unsigned int i;

	for (i = 0; i < ku->u->nr_funcs; i++) {
		struct ks_func *kf = &ku->funcs[i];

		if (kf->target != mod)
			continue;
		if (kf->redirect)
			ks_redirect_put(kf);
		module_put(mod);
		kf->target = NULL;
		kf->site = 0;
		kf->old_addr = 0;
	}
	for (i = 0; i < ku->nr_pinned; i++) {
		if (ku->pinned[i] != mod)
			continue;
		module_put(mod);
		ku->pinned[i--] = ku->pinned[--ku->nr_pinned];
	}
	ku->stranded = true;
	pr_crit("ksplice: module %s went away while update %s was applied to it, and the undo failed (%s: %s); the update stays until reboot\n",
		mod->name, ku->u->id, ks_cause_name(ku->cause), ku->reason);
}

/* Take @ku out of @mod, which is going away, and wait for @mod again. */
static void ks_drop(struct ks_update *ku, struct module *mod)
{
	if (ks_undo(ku)) {
		ks_strand(ku, mod);
		return;
	}
	ks_set_stage(ku, KS_PENDING);
	pr_info("ksplice: module %s is going away: update %s undone; pending until it loads again\n",
		mod->name, ku->u->id);
}

/* The newest applied update that holds @mod, or NULL; @busy: one that
 * holds it is between the tries of an apply or undo. */
static struct ks_update *ks_newest_holder(struct module *mod, bool *busy)
{
	struct ks_update *ku, *best = NULL;

	*busy = false;
	list_for_each_entry(ku, &ks_updates, list) {
		if (!ks_holds(ku, mod))
			continue;
		*busy |= ku->in_progress;
		if (ku->stage == KS_APPLIED &&
		    (!best || ku->sequence > best->sequence))
			best = ku;
	}
	return best;
}

/*
 * Called with ks_mutex held: @mod goes away (or will never be live), so
 * take every update out of it, newest first.  An apply or undo of one
 * that sleeps between tries finishes first (ks_undo must not run twice).
 */
static void ks_let_go(struct module *mod)
{
	struct ks_update *ku;
	bool busy;

	for (;;) {
		ku = ks_newest_holder(mod, &busy);
		if (busy) {
			mutex_unlock(&ks_mutex);
			msleep(20);
			mutex_lock(&ks_mutex);
			continue;
		}
		if (!ku)
			break;
		ks_drop(ku, mod);
	}
}

static int ks_apply_coming(struct ks_update *ku, struct module *mod)
{
	struct ksplice_update *u = ku->u;
	int ret;

	/* Its module is being removed: it goes, @mod loads as it is. */
	if (!try_module_get(u->owner))
		return 0;
	ku->coming = mod;
	ret = ks_apply(ku, false);
	module_put(u->owner);
	if (!ret) {
		pr_info("ksplice: %s applied to module %s as it loads\n",
			u->id, mod->name);
		return 0;
	}
	pr_err("ksplice: refusing to load module %s: pending update %s does not apply to it: %s: %s (ksplice-undo %s lets it load unpatched)\n",
	       mod->name, u->id, ks_cause_name(ku->cause), ku->reason, u->id);
	return ret;
}

static int ks_pending_coming(struct module *mod)
{
	struct ks_update *ku;
	int ret = 0;

	mutex_lock(&ks_mutex);
	/* ks_apply drops ks_mutex between tries; @ku, applying, stays. */
	list_for_each_entry(ku, &ks_updates, list) {
		if (ku->gone || ku->in_progress || ku->stage != KS_PENDING)
			continue;
		ret = ks_ready_at(ku, mod);
		if (ret > 0)
			ret = ks_apply_coming(ku, mod);
		else if (ret < 0)
			pr_err("ksplice: refusing to load module %s: out of memory checking pending update %s\n",
			       mod->name, ku->u->id);
		if (ret)
			break;
	}
	/* Refused: the chain calls no GOING for us; what this pass
	 * applied comes out now. */
	if (ret)
		ks_let_go(mod);
	list_for_each_entry(ku, &ks_updates, list)
		if (ku->coming == mod)
			ku->coming = NULL;
	mutex_unlock(&ks_mutex);
	return ret;
}

static void ks_pending_going(struct module *mod)
{
	mutex_lock(&ks_mutex);
	ks_let_go(mod);
	mutex_unlock(&ks_mutex);
}

static int ks_pending_notify(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct module *mod = data;

	if (state == MODULE_STATE_COMING)
		return notifier_from_errno(ks_pending_coming(mod));
	if (state == MODULE_STATE_GOING)
		ks_pending_going(mod);
	return NOTIFY_DONE;
}

/*
 * After the kernel's own COMING notifiers (jump labels, static calls,
 * tracepoints, BTF), so the code is final and a failure of theirs comes
 * before any write of ours; before jumpkeys.c's last one (INT_MIN).
 */
static struct notifier_block ks_pending_nb = {
	.notifier_call = ks_pending_notify,
	.priority = INT_MIN + 1,
};

int ks_pending_init(void)
{
	return register_module_notifier(&ks_pending_nb);
}

void ks_pending_exit(void)
{
	unregister_module_notifier(&ks_pending_nb);
}
