// SPDX-License-Identifier: GPL-2.0
/*
 * Relocations the module loader could not fill: the update's references to
 * non-exported and static symbols of the running kernel.  They are written
 * before every apply, while nothing can run the new code: a target module
 * unloaded and loaded again since the last apply is somewhere else now.
 * Every module they point into stays pinned while the update is applied.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

static bool ks_in_module(struct module *mod, unsigned long addr,
			 unsigned int len)
{
	unsigned long base = (unsigned long)mod->core_layout.base;

	return addr >= base && addr + len <= base + mod->core_layout.size;
}

/* Keep the module holding @addr, if any, loaded until the undo. */
static int ks_pin(struct ks_update *ku, unsigned long addr, const char *symbol)
{
	struct module *mod;
	unsigned int i;
	bool ok = true;

	preempt_disable();
	mod = ks_module_address(addr);
	for (i = 0; mod && i < ku->nr_pinned; i++)
		if (ku->pinned[i] == mod)
			mod = NULL;		/* already pinned */
	if (mod && mod != ku->u->owner) {
		ok = try_module_get(mod);
		if (ok)
			ku->pinned[ku->nr_pinned++] = mod;
	}
	preempt_enable();
	if (!ok)
		return ks_fail(ku, KS_MODULE_BUSY,
			       "the module holding %s is being removed", symbol);
	return 0;
}

void ks_release_relocs(struct ks_update *ku)
{
	while (ku->nr_pinned)
		module_put(ku->pinned[--ku->nr_pinned]);
	kfree(ku->pinned);
	ku->pinned = NULL;
}

static int ks_write_reloc(struct ks_update *ku, const struct ksplice_reloc *r)
{
	unsigned int width = ks_reloc_width(r->type);
	unsigned long site = (unsigned long)r->site, sym;
	u8 field[8];
	int ret;

	if (!width || !r->symbol || !ks_in_module(ku->u->owner, site, width))
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "malformed relocation for %s in the update",
			       r->symbol ? r->symbol : "(null)");
	/* What the running code said wins: it knows which of several
	 * same-named statics, and where unnamed sections are. */
	if (!ks_presym_find(ku, r->symbol, r->object, ku->nr_presyms, &sym)) {
		if (!ks_kallsyms_name(r->symbol))
			return ks_fail(ku, KS_SYMBOL_MISSING,
				       "no replaced function refers to %s, so its running address is unknown",
				       r->symbol);
		ret = ks_lookup(ku, ks_kallsyms_name(r->symbol), r->object,
				r->sympos, &sym, NULL);
		if (ret)
			return ret;
	}
	ret = ks_pin(ku, sym, r->symbol);
	if (ret)
		return ret;
	if (ks_reloc_encode(r->type, site, sym, r->addend, field))
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "relocation to %s does not fit its field",
			       r->symbol);
	ks_text_poke((void *)site, field, width);
	return 0;
}

int ks_write_relocs(struct ks_update *ku)
{
	unsigned int i;
	int ret = 0;

	if (!ku->u->nr_relocs)
		return 0;
	ku->pinned = kcalloc(ku->u->nr_relocs, sizeof(*ku->pinned),
			     GFP_KERNEL);
	if (!ku->pinned)
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	mutex_lock(ks_text_mutex);
	for (i = 0; i < ku->u->nr_relocs && !ret; i++)
		ret = ks_write_reloc(ku, &ku->u->relocs[i]);
	mutex_unlock(ks_text_mutex);
	if (ret)
		ks_release_relocs(ku);
	return ret;
}
