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

void ks_unmap_sites(struct ks_update *ku)
{
	unsigned int i;

	for (i = 0; i < ku->u->nr_funcs; i++) {
		struct ks_func *kf = &ku->funcs[i];

		if (kf->alias_base)
			vunmap(kf->alias_base);
		kf->alias_base = NULL;
		kf->alias = NULL;
	}
}

int ks_map_sites(struct ks_update *ku)
{
	unsigned int i;

	for (i = 0; i < ku->u->nr_funcs; i++) {
		if (ku->funcs[i].via == KS_VIA_JMP &&
		    ks_map_one(&ku->funcs[i])) {
			ks_unmap_sites(ku);
			return ks_fail(ku, KS_OUT_OF_MEMORY,
				       "cannot map the code of %s for writing",
				       ku->funcs[i].f->name);
		}
	}
	return 0;
}
