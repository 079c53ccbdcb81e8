// SPDX-License-Identifier: GPL-2.0
/*
 * Writable aliases of the pages that hold trampoline sites.  Made before
 * the stop (vmap may sleep), so that the writes done while every CPU is
 * held are plain stores: text_poke there costs far more of the pause.
 */
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "internal.h"

static struct page *ks_text_page(unsigned long addr)
{
	if (addr >= MODULES_VADDR && addr < MODULES_END)
		return vmalloc_to_page((void *)addr);
	return virt_to_page((void *)addr);	/* the kernel image */
}

static int ks_map_one(struct ks_func *kf)
{
	unsigned long first = kf->site & PAGE_MASK;
	unsigned long last = (kf->site + KS_JMP32_LEN - 1) & PAGE_MASK;
	struct page *pages[2];
	unsigned int n = first == last ? 1 : 2;
	void *base;

	pages[0] = ks_text_page(first);
	pages[1] = n == 2 ? ks_text_page(last) : NULL;
	if (!pages[0] || (n == 2 && !pages[1]))
		return -EFAULT;
	base = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	if (!base)
		return -ENOMEM;
	kf->alias_base = base;
	kf->alias = (u8 *)base + (kf->site & ~PAGE_MASK);
	return 0;
}

static void ks_unmap_funcs(struct ks_func *funcs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (funcs[i].alias_base)
			vunmap(funcs[i].alias_base);
		funcs[i].alias_base = NULL;
		funcs[i].alias = NULL;
	}
}

void ks_unmap_sites(struct ks_update *ku)
{
	ks_unmap_funcs(ku->funcs, ku->u->nr_funcs);
	ks_unmap_funcs(ku->reverts, ku->nr_reverts);
}

static int ks_map_funcs(struct ks_update *ku, struct ks_func *funcs,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (funcs[i].via == KS_VIA_JMP && ks_map_one(&funcs[i])) {
			ks_unmap_sites(ku);
			return ks_fail(ku, KS_OUT_OF_MEMORY,
				       "cannot map the code of %s for writing",
				       funcs[i].f->name);
		}
	}
	return 0;
}

/* The sites of the update's functions and of a cumulative's reverts. */
int ks_map_sites(struct ks_update *ku)
{
	int ret = ks_map_funcs(ku, ku->funcs, ku->u->nr_funcs);

	if (!ret)
		ret = ks_map_funcs(ku, ku->reverts, ku->nr_reverts);
	return ret;
}
