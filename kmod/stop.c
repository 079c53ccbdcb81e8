// SPDX-License-Identifier: GPL-2.0
/*
 * The switch itself, run while stop_machine holds every CPU with
 * interrupts off.  The first CPU to arrive waits until every online CPU
 * has entered and said where its stack is; then it rechecks the bytes,
 * checks every stack, writes (or restores) every trampoline and runs the
 * update's apply/undo hooks, while the others serialize at each step of
 * the write (poke.c) and once more before they run kernel code again.
 * All or nothing: whatever was written is restored before the stop ends
 * if any step fails.
 *
 * Nothing here may be traced or probed (Kbuild drops the fentry calls;
 * NOKPROBE_SYMBOL keeps kprobes off), nor sleep, nor call code that
 * could be the code being replaced.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <asm/sync_core.h>
#include "internal.h"

struct ks_stop {
	struct ks_update *ku;
	bool undo;
	bool dry;		/* check everything, write nothing */
	unsigned int nr_cpus;	/* online CPUs, which all enter the stop */
	atomic_t cpus_in;
	atomic_t synced;	/* serializations done by the other CPUs */
	int step;		/* write step the others serialize for */
	int master_done;
	int ret;
	unsigned int busy;
	unsigned int own;	/* of them, the stop's own tasks */
	unsigned int scanned;	/* stacks read inside the stop */
	const char *bad;	/* a function whose bytes moved */
	unsigned long own_addr;	/* where the own path runs the code */
	struct ks_held *held;	/* nr_cpu_ids + 1: the CPUs, the writer */
	u64 scan_ns;
	u64 write_ns;
};

/* Have every other CPU serialize its instruction stream, and wait. */
static void notrace ks_sync_others(struct ks_stop *st)
{
	int want = atomic_read(&st->synced) + st->nr_cpus - 1;

	sync_core();
	smp_store_release(&st->step, st->step + 1);
	while (atomic_read(&st->synced) < want)
		cpu_relax();
}
NOKPROBE_SYMBOL(ks_sync_others);

/*
 * The sites the stop writes: the update's functions, then, when a
 * cumulative update is applied, the sites of the updates it replaces that
 * it does not replace itself, which go back the other way (@revert).
 */
static unsigned int notrace ks_nr_sites(const struct ks_stop *st)
{
	return st->ku->u->nr_funcs + (st->undo ? 0 : st->ku->nr_reverts);
}
NOKPROBE_SYMBOL(ks_nr_sites);

static struct ks_func *notrace ks_nth_site(struct ks_update *ku,
					  unsigned int i, bool *revert)
{
	*revert = i >= ku->u->nr_funcs;
	return *revert ? &ku->reverts[i - ku->u->nr_funcs] : &ku->funcs[i];
}
NOKPROBE_SYMBOL(ks_nth_site);

/*
 * Write @undo ? saved : jmp at every jmp site (a revert the other way),
 * the way poke.c says, and move every ftrace redirect.
 */
static void notrace ks_write_sites(struct ks_stop *st, bool undo)
{
	unsigned int i, n = ks_nr_sites(st), jmps = 0;
	struct ks_func *kf;
	bool rev;

	for (i = 0; i < n; i++) {
		kf = ks_nth_site(st->ku, i, &rev);
		if (kf->via == KS_VIA_FTRACE)
			ks_redirect_switch(kf, undo != rev);
		else
			jmps++;
	}
	if (!jmps)
		return;
	for (i = 0; i < n; i++) {
		kf = ks_nth_site(st->ku, i, &rev);
		if (kf->via == KS_VIA_JMP)
			ks_poke_int3_at(kf);
	}
	ks_sync_others(st);
	for (i = 0; i < n; i++) {
		kf = ks_nth_site(st->ku, i, &rev);
		if (kf->via == KS_VIA_JMP)
			ks_poke_tail(kf, undo != rev ? kf->saved : kf->jmp);
	}
	ks_sync_others(st);
	for (i = 0; i < n; i++) {
		kf = ks_nth_site(st->ku, i, &rev);
		if (kf->via == KS_VIA_JMP)
			ks_poke_head(kf, undo != rev ? kf->saved : kf->jmp);
	}
	ks_sync_others(st);
}
NOKPROBE_SYMBOL(ks_write_sites);

/*
 * An own-path hit that a call precedes is a return address into the
 * code: the stop's own tasks will be there on every try.
 */
static bool notrace ks_own_path(struct ks_update *ku, unsigned int n,
				unsigned long *addr)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		u8 before[8];	/* the longest call form */
		unsigned long a = ku->conflicts[i].addr;

		if (!ku->conflicts[i].own ||
		    copy_from_kernel_nofault(before, (void *)(a - sizeof(before)),
					     sizeof(before)))
			continue;
		if (ks_call_ends_at(before, sizeof(before))) {
			*addr = a;
			return true;
		}
	}
	return false;
}
NOKPROBE_SYMBOL(ks_own_path);
NOKPROBE_SYMBOL(ks_call_ends_at);

static int notrace ks_switch(struct ks_stop *st)
{
	struct ks_update *ku = st->ku;
	const struct ksplice_hook_set *hooks = st->undo ? &ku->u->undo_hooks :
						&ku->u->apply_hooks;
	unsigned int i, n = ks_nr_sites(st);
	struct ks_func *kf;
	bool rev;
	u64 t0, t1;

	/* Nothing may have changed since ks_check_sites, but only writers
	 * that take text_mutex are excluded; recheck with every CPU held. */
	for (i = 0; i < n; i++) {
		kf = ks_nth_site(ku, i, &rev);
		if (!ks_site_intact(kf, st->undo != rev)) {
			st->bad = kf->f->name;
			return -EILSEQ;
		}
	}

	t0 = ktime_get_mono_fast_ns();
	st->busy = ks_scan_stacks(ku->ranges, ku->nr_ranges, st->held,
				  ku->conflicts, KS_MAX_CONFLICTS, &st->own,
				  &st->scanned);
	t1 = ktime_get_mono_fast_ns();
	st->scan_ns = t1 - t0;
	if (st->own && ks_own_path(ku, min_t(unsigned int, st->busy,
					     KS_MAX_CONFLICTS), &st->own_addr))
		return -ELOOP;
	if (st->busy)
		return -EBUSY;
	if (st->dry)
		return 0;

	ks_poke_begin(ku);
	ks_write_sites(st, st->undo);
	st->write_ns = ktime_get_mono_fast_ns() - t1;

	if (ks_call_hooks(hooks->apply)) {
		ks_write_sites(st, !st->undo);
		ks_poke_end();
		return -ECANCELED;
	}
	ks_poke_end();
	return 0;
}
NOKPROBE_SYMBOL(ks_switch);

static int notrace ks_stop_fn(void *data)
{
	struct ks_stop *st = data;
	int cpu = smp_processor_id(), seen = 0;

	st->held[cpu].task = current;
	st->held[cpu].sp = current_stack_pointer;
	if (atomic_inc_return(&st->cpus_in) == 1) {
		/* multi_cpu_stop may still run on another CPU: the scan and
		 * the writes wait until every CPU is in here. */
		while (atomic_read(&st->cpus_in) < st->nr_cpus)
			cpu_relax();
		st->ret = ks_switch(st);
		smp_store_release(&st->master_done, 1);
	} else {
		while (!smp_load_acquire(&st->master_done)) {
			if (smp_load_acquire(&st->step) != seen) {
				seen++;
				sync_core();
				atomic_inc(&st->synced);
			}
			cpu_relax();
		}
	}
	/* Text may have changed under this CPU's prefetch: serialize. */
	sync_core();
	return 0;
}
NOKPROBE_SYMBOL(ks_stop_fn);

/*
 * Called with cpus_read_lock and text_mutex held, after ks_check_sites and
 * ks_build_ranges.  With @dry, stop after the stack check.  Returns 0,
 * -EBUSY (a task is inside; conflicts are recorded), or another error
 * with the cause recorded.
 */
int ks_stop_and_switch(struct ks_update *ku, bool undo, bool dry,
		       u64 *pause_ns)
{
	struct ks_stop *st;
	u64 t0;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (st)
		st->held = kcalloc(nr_cpu_ids + 1, sizeof(*st->held),
				   GFP_KERNEL);
	if (!st || !st->held) {
		kfree(st);
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	}
	st->ku = ku;
	st->undo = undo;
	st->dry = dry;
	st->nr_cpus = num_online_cpus();	/* stable: cpus_read_lock */
	st->held[nr_cpu_ids].task = current;	/* waits for the stop */
	atomic_set(&st->cpus_in, 0);
	atomic_set(&st->synced, 0);

	t0 = ktime_get_ns();
	ret = ks_stop_machine_cpuslocked(ks_stop_fn, st, cpu_online_mask);
	*pause_ns = ktime_get_ns() - t0;
	if (!ret)
		ret = st->ret;
	ku->scan_ns = st->scan_ns;
	ku->write_ns = st->write_ns;
	ku->scan_tasks = st->scanned;
	if (ret == -EBUSY || ret == -ELOOP)
		ku->nr_conflicts = min_t(unsigned int, st->busy,
					 KS_MAX_CONFLICTS);

	if (ret == -EBUSY) {
		ks_fail(ku, KS_CODE_BUSY, "%u task%s running the code to be %s",
			st->busy, st->busy == 1 ? " is" : "s are",
			undo ? "removed" : "replaced");
	} else if (ret == -ELOOP) {
		ret = ks_fail(ku, KS_NOT_PATCHABLE,
			      "the code to be %s is on ksplice's own path (%pS: stop_machine or the sysfs write that drives it)",
			      undo ? "removed" : "replaced",
			      (void *)st->own_addr);
	} else if (ret == -EILSEQ) {
		ks_fail(ku, KS_BAD_BYTES,
			"the code at the trampoline site of %s changed during the switch",
			st->bad);
	} else if (ret == -ECANCELED) {
		ks_fail(ku, KS_CALL_FAILED, "the update's %s hook failed",
			undo ? "undo" : "apply");
	} else if (ret) {
		ks_fail(ku, KS_CALL_FAILED, "stop_machine failed (%d)", ret);
	}
	kfree(st->held);
	kfree(st);
	return ret;
}
