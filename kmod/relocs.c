// SPDX-License-Identifier: GPL-2.0
/*
 * Relocations the module loader could not fill: the update's references to
 * non-exported and static symbols of the running kernel.  They are written
 * once, before the first apply, while nothing can run the new code yet.
 */
#include <linux/module.h>
#include <linux/string.h>
#include "internal.h"

static bool ks_in_module(struct module *mod, unsigned long addr,
			 unsigned int len)
{
	unsigned long base = (unsigned long)mod->core_layout.base;

	return addr >= base && addr + len <= base + mod->core_layout.size;
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
		if (strchr(r->symbol, ':'))
			return ks_fail(ku, KS_SYMBOL_MISSING,
				       "no replaced function refers to %s, so its running address is unknown",
				       r->symbol);
		ret = ks_lookup(ku, r->symbol, r->object, r->sympos, &sym,
				NULL);
		if (ret)
			return ret;
	}
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

	if (ku->relocs_done)
		return 0;
	mutex_lock(ks_text_mutex);
	for (i = 0; i < ku->u->nr_relocs && !ret; i++)
		ret = ks_write_reloc(ku, &ku->u->relocs[i]);
	mutex_unlock(ks_text_mutex);
	if (!ret)
		ku->relocs_done = true;
	return ret;
}
