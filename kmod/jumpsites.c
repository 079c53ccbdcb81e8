// SPDX-License-Identifier: GPL-2.0
/*
 * Is there a static branch (a jump label or a tracepoint) in a few bytes
 * of kernel text?  jump_label_text_reserved() answers it by reading every
 * jump entry of vmlinux each time: some 30,000 of them, 29 ms per function
 * under TCG, most of the engine's time to apply.  So vmlinux's sites are
 * kept sorted once, at load, and searched; a module's own entries, a few,
 * are read as the kernel reads them.  vmlinux's table never changes after
 * boot; a module's is fixed once it is loaded, and the target modules
 * asked about are held by the caller.
 *
 * A site is 2 or 5 bytes on x86 (jmp rel8 or the 2-byte nop; jmp rel32
 * or the 5-byte nop): read from the code itself, as the kernel does.
 */
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include "internal.h"

#define KS_JUMP_MAX	5	/* longest site */

static u32 *ks_vmlinux_sites;	/* offsets from ks_sites_base, sorted */
static unsigned int ks_nr_vmlinux_sites;
static unsigned long ks_sites_base;

/* Bytes of the site at @code: 2 for the short forms, else 5. */
static unsigned int ks_site_len(unsigned long code)
{
	u8 b[2];

	if (copy_from_kernel_nofault(b, (void *)code, sizeof(b)))
		return KS_JUMP_MAX;
	return b[0] == 0xeb || (b[0] == 0x66 && b[1] == 0x90) ? 2 : 5;
}

static bool ks_overlaps(unsigned long code, unsigned long start,
			unsigned long end)
{
	return code < end && code + ks_site_len(code) > start;
}

static int ks_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

int ks_jumpsites_init(void)
{
	struct jump_entry *first, *last, *e;
	unsigned long lo = ULONG_MAX, hi = 0, code;
	unsigned int i = 0;

	first = (struct jump_entry *)ks_kallsyms("__start___jump_table");
	last = (struct jump_entry *)ks_kallsyms("__stop___jump_table");
	if (!first || !last || last < first) {
		pr_info("ksplice: vmlinux's jump table is not in kallsyms: jump sites are looked up the slow way\n");
		return -ENOENT;
	}
	/* Sites in init text went with it, as the kernel's lookup says. */
	for (e = first; e < last; e++) {
		if (jump_entry_is_init(e))
			continue;
		code = jump_entry_code(e);
		lo = min(lo, code);
		hi = max(hi, code);
		i++;
	}
	if (!i)
		return 0;
	if (hi - lo > U32_MAX) {
		pr_err("ksplice: vmlinux's jump sites span more than 4 GiB\n");
		return -ERANGE;
	}
	ks_vmlinux_sites = kvmalloc_array(i, sizeof(u32), GFP_KERNEL);
	if (!ks_vmlinux_sites)
		return -ENOMEM;
	ks_sites_base = lo;
	i = 0;
	for (e = first; e < last; e++)
		if (!jump_entry_is_init(e))
			ks_vmlinux_sites[i++] = jump_entry_code(e) - lo;
	ks_nr_vmlinux_sites = i;
	sort(ks_vmlinux_sites, i, sizeof(u32), ks_cmp_u32, NULL);
	return 0;
}

void ks_jumpsites_exit(void)
{
	kvfree(ks_vmlinux_sites);
	ks_vmlinux_sites = NULL;
}

/* vmlinux: the sites that start in [start - 4, end), by binary search. */
static bool ks_vmlinux_reserved(unsigned long start, unsigned long end)
{
	unsigned long from = start - (KS_JUMP_MAX - 1);
	unsigned int lo = 0, hi = ks_nr_vmlinux_sites;
	unsigned long code;

	if (end <= ks_sites_base)
		return false;
	if (from < ks_sites_base)
		from = ks_sites_base;
	if (from - ks_sites_base > U32_MAX)
		return false;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (ks_vmlinux_sites[mid] < from - ks_sites_base)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ks_nr_vmlinux_sites; lo++) {
		code = ks_sites_base + ks_vmlinux_sites[lo];
		if (code >= end)
			break;
		if (ks_overlaps(code, start, end))
			return true;
	}
	return false;
}

/*
 * Does a static branch site overlap [@start, @start + @len)?  Called with
 * jump_label_lock held; a module whose text it is must be held too.
 * Without the sorted table (ks_jumpsites_init failed), the kernel's own
 * linear lookup answers.
 */
bool ks_jump_site_in(unsigned long start, unsigned int len)
{
	unsigned long end = start + len;
	struct module *mod;
	unsigned int i;

	if (!ks_vmlinux_sites)
		return ks_jump_label_reserved((void *)start, (void *)(end - 1));
	if (ks_vmlinux_reserved(start, end))
		return true;
	preempt_disable();
	mod = ks_module_address(start);
	preempt_enable();
	if (!mod)
		return false;
	for (i = 0; i < mod->num_jump_entries; i++)
		if (ks_overlaps(jump_entry_code(&mod->jump_entries[i]), start,
				end))
			return true;
	return false;
}

/*
 * /sys/module/ksplice/parameters/jumpsites_check, read by the tests: every
 * vmlinux site is found, and around a sample of them the answer is the
 * kernel's own.  Prints "ok <sites> <compared>" or the first difference.
 */
static int ks_jumpsites_check(char *buf, const struct kernel_param *kp)
{
	unsigned int i, n = 0, step;
	unsigned long code;
	int d;
	bool mine, theirs;

	if (!ks_vmlinux_sites)
		return sysfs_emit(buf, "off\n");
	ks_jump_label_lock();
	for (i = 0; i < ks_nr_vmlinux_sites; i++) {
		code = ks_sites_base + ks_vmlinux_sites[i];
		if (!ks_vmlinux_reserved(code, code + 1)) {
			ks_jump_label_unlock();
			return sysfs_emit(buf, "missed %pS\n", (void *)code);
		}
	}
	/* The kernel's lookup reads every entry: 48 of them around a few. */
	step = max(ks_nr_vmlinux_sites / 8, 1U);
	for (i = 0; i < ks_nr_vmlinux_sites; i += step) {
		code = ks_sites_base + ks_vmlinux_sites[i];
		for (d = -5; d <= 5; d += 2, n++) {
			mine = ks_jump_site_in(code + d, KS_JMP32_LEN);
			theirs = ks_jump_label_reserved((void *)(code + d),
					(void *)(code + d + KS_JMP32_LEN - 1));
			if (mine != theirs) {
				ks_jump_label_unlock();
				return sysfs_emit(buf, "differs at %pS%+d: %d, kernel %d\n",
						  (void *)code, d, mine, theirs);
			}
		}
	}
	ks_jump_label_unlock();
	return sysfs_emit(buf, "ok %u %u\n", ks_nr_vmlinux_sites, n);
}

static const struct kernel_param_ops ks_jumpsites_check_ops = {
	.get = ks_jumpsites_check,
};
module_param_cb(jumpsites_check, &ks_jumpsites_check_ops, NULL, 0400);
