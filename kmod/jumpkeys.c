// SPDX-License-Identifier: GPL-2.0
/*
 * Static keys an update module's new code names but the module loader
 * cannot resolve (keys that are not exported, every tracepoint of the
 * kernel or of a target module).  The kernel's jump-label code reads a
 * module's __jump_table at MODULE_STATE_COMING, before the module's init
 * runs, so the engine's relocations (written at apply time) are too late
 * for them.  ksplice-create points such an entry's key field at a
 * struct ksplice_jump_key of the update instead; the notifier here runs
 * before jump_label's (priority 1), looks each key up by name and points
 * the entries at the real key.  jump_label_add_module() then links the
 * new code's sites to the key like any module's: they start in the key's
 * current state and follow every later flip, and leave the key's lists
 * when the update module goes.  The module that holds a key stays pinned
 * until then (a second notifier, after jump_label's, lets it go).
 */
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

#define KS_JK_MAX	4096

/* @p lies inside @mod's core memory, with @len bytes after it. */
static bool ks_jk_inside(struct module *mod, const void *p, size_t len)
{
	unsigned long a = (unsigned long)p;

	return within_module_core(a, mod) && len &&
	       within_module_core(a + len - 1, mod);
}

static bool ks_jk_str(struct module *mod, const char *s)
{
	size_t n;

	for (n = 0; n < KSYM_NAME_LEN; n++) {
		if (!ks_jk_inside(mod, s + n, 1))
			return false;
		if (!s[n])
			return n > 0;
	}
	return false;
}

static struct ksplice_jump_keys *ks_jk_table(struct module *mod)
{
	char name[MODULE_NAME_LEN + sizeof(KSPLICE_JUMP_KEYS_SYM) + 1];
	struct ksplice_jump_keys *t;
	unsigned int i;

	if (!mod->num_jump_entries)
		return NULL;
	snprintf(name, sizeof(name), "%s:%s", mod->name,
		 KSPLICE_JUMP_KEYS_SYM);
	t = (void *)ks_kallsyms(name);
	if (!t)
		return NULL;
	if (!ks_jk_inside(mod, t, sizeof(*t)) || t->abi != KSPLICE_ABI_VERSION ||
	    t->nr > KS_JK_MAX ||
	    !ks_jk_inside(mod, t->keys, t->nr * sizeof(*t->keys)))
		return ERR_PTR(-EINVAL);
	for (i = 0; i < t->nr; i++) {
		const struct ksplice_jump_key *k = t->keys[i];

		if (!ks_jk_inside(mod, k, sizeof(*k)) ||
		    !ks_jk_str(mod, k->symbol) || !ks_jk_str(mod, k->object))
			return ERR_PTR(-EINVAL);
	}
	return t;
}

static void ks_jk_release(struct ksplice_jump_keys *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		if (t->keys[i]->engine)
			module_put(t->keys[i]->engine);
		t->keys[i]->engine = NULL;
	}
}

/* Resolve every key of @t, pinning the modules that hold them. */
static int ks_jk_resolve(struct module *mod, struct ksplice_jump_keys *t,
			 unsigned long *addrs)
{
	struct ks_update *ku = kzalloc(sizeof(*ku), GFP_KERNEL);
	unsigned int i;
	int ret = 0;

	if (!ku)
		return -ENOMEM;
	for (i = 0; i < t->nr && !ret; i++) {
		struct ksplice_jump_key *k = t->keys[i];
		struct module *owner = NULL;

		ret = ks_lookup(ku, k->symbol, k->object, k->sympos, &addrs[i],
				&owner);
		if (ret) {
			pr_err("ksplice: %s: static key %s: %s\n", mod->name,
			       k->symbol, ku->reason);
			break;
		}
		k->engine = owner;
		addrs[i] += k->offset;
	}
	if (ret)
		ks_jk_release(t);
	kfree(ku);
	return ret;
}

static int ks_jk_coming(struct module *mod)
{
	struct ksplice_jump_keys *t = ks_jk_table(mod);
	struct jump_entry *e = mod->jump_entries;
	struct jump_entry *end = e + mod->num_jump_entries;
	unsigned long *addrs;
	unsigned int i, fixed = 0;
	int ret;

	if (IS_ERR_OR_NULL(t)) {
		if (IS_ERR(t))
			pr_err("ksplice: %s: malformed jump key table\n",
			       mod->name);
		return PTR_ERR_OR_ZERO(t);
	}
	t->engine = NULL;
	addrs = kcalloc(t->nr ? t->nr : 1, sizeof(*addrs), GFP_KERNEL);
	if (!addrs)
		return -ENOMEM;
	ret = ks_jk_resolve(mod, t, addrs);
	if (ret)
		goto out;
	for (; e < end; e++) {
		struct static_key *key = jump_entry_key(e);
		long flags = e->key & 3L;

		for (i = 0; i < t->nr; i++)
			if ((void *)key == t->keys[i])
				break;
		if (i == t->nr)
			continue;
		/* __jump_table is ro_after_init: still writable here */
		e->key = (long)(addrs[i] - (unsigned long)&e->key) | flags;
		fixed++;
	}
	pr_debug("ksplice: %s: %u jump entries on %u resolved keys\n",
		 mod->name, fixed, t->nr);
out:
	kfree(addrs);
	return ret;
}

/* Before jump_label_module_notify (priority 1) reads the entries. */
static int ks_jk_first(struct notifier_block *nb, unsigned long state,
		       void *data)
{
	struct module *mod = data;
	struct ksplice_jump_keys *t;

	if (state == MODULE_STATE_COMING)
		return notifier_from_errno(ks_jk_coming(mod));
	if (state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	/*
	 * Only when a later COMING notifier failed and the chain is being
	 * rolled back: jump_label's GOING has run already, ours comes last.
	 * Otherwise ks_jk_last lets the keys go, after jump_label's GOING.
	 */
	t = ks_jk_table(mod);
	if (!IS_ERR_OR_NULL(t) && !t->engine)
		ks_jk_release(t);
	return NOTIFY_DONE;
}

/* After jump_label_module_notify has unlinked the update's sites. */
static int ks_jk_last(struct notifier_block *nb, unsigned long state,
		      void *data)
{
	struct module *mod = data;
	struct ksplice_jump_keys *t;

	if (state != MODULE_STATE_COMING && state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	t = ks_jk_table(mod);
	if (IS_ERR_OR_NULL(t))
		return NOTIFY_DONE;
	if (state == MODULE_STATE_COMING)
		t->engine = t;	/* the whole chain ran: GOING reaches us */
	else
		ks_jk_release(t);
	return NOTIFY_DONE;
}

static struct notifier_block ks_jk_first_nb = {
	.notifier_call = ks_jk_first,
	.priority = INT_MAX,
};

static struct notifier_block ks_jk_last_nb = {
	.notifier_call = ks_jk_last,
	.priority = INT_MIN,
};

int ks_jumpkeys_init(void)
{
	int ret = register_module_notifier(&ks_jk_first_nb);

	if (ret)
		return ret;
	ret = register_module_notifier(&ks_jk_last_nb);
	if (ret)
		unregister_module_notifier(&ks_jk_first_nb);
	return ret;
}

void ks_jumpkeys_exit(void)
{
	unregister_module_notifier(&ks_jk_last_nb);
	unregister_module_notifier(&ks_jk_first_nb);
}
