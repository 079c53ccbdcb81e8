// SPDX-License-Identifier: GPL-2.0
/*
 * The switch itself, run while stop_machine holds every CPU with
 * interrupts off: recheck the bytes, check every stack, write (or restore)
 * every trampoline, run the update's apply/undo hooks, and make every CPU
 * serialize before it runs kernel code again.  All or nothing: whatever
 * was written is restored before the stop ends if any step fails.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <asm/sync_core.h>
#include "internal.h"

struct ks_stop {
	struct ks_update *ku;
	bool undo;
	bool dry;		/* check everything, write nothing */
	atomic_t cpus_in;
	int master_done;
	int ret;
	unsigned int busy;
	unsigned int bad;	/* index of a function whose bytes moved */
	bool hook_failed;
	unsigned long self_sp;	/* stack pointer on entry to the stop fn */
	u64 scan_ns;
	u64 write_ns;
};

static void ks_write_site(struct ks_func *kf, bool undo)
{
	memcpy(kf->alias, undo ? kf->saved : kf->jmp, KS_JMP32_LEN);
}

/* Put back what this stop wrote, newest first. */
static void ks_unwind(struct ks_update *ku, unsigned int written, bool undo)
{
	while (written--)
		ks_write_site(&ku->funcs[written], !undo);
}

static int ks_switch(struct ks_stop *st)
{
	struct ks_update *ku = st->ku;
	const struct ksplice_hook_set *hooks = st->undo ? &ku->u->undo_hooks :
						&ku->u->apply_hooks;
	unsigned int i, n = ku->u->nr_funcs;
	u64 t0, t1;

	/* Nothing may have changed since ks_check_sites, but only writers
	 * that take text_mutex are excluded; recheck with every CPU held. */
	for (i = 0; i < n; i++) {
		struct ks_func *kf = &ku->funcs[i];
		const u8 *want = st->undo ? kf->jmp : kf->saved;

		if (memcmp((void *)kf->site, want, KS_JMP32_LEN)) {
			st->bad = i;
			return -EILSEQ;
		}
	}

	t0 = ktime_get_ns();
	st->busy = ks_scan_stacks(ku->ranges, ku->nr_ranges, ku->conflicts,
				  KS_MAX_CONFLICTS, st->self_sp);
	t1 = ktime_get_ns();
	st->scan_ns = t1 - t0;
	if (st->busy)
		return -EBUSY;
	if (st->dry)
		return 0;

	for (i = 0; i < n; i++)
		ks_write_site(&ku->funcs[i], st->undo);
	st->write_ns = ktime_get_ns() - t1;

	if (ks_call_hooks(hooks->apply)) {
		ks_unwind(ku, n, st->undo);
		st->hook_failed = true;
		return -ECANCELED;
	}
	return 0;
}

static int ks_stop_fn(void *data)
{
	struct ks_stop *st = data;

	if (atomic_inc_return(&st->cpus_in) == 1) {
		st->self_sp = current_stack_pointer;
		st->ret = ks_switch(st);
		smp_store_release(&st->master_done, 1);
	} else {
		while (!smp_load_acquire(&st->master_done))
			cpu_relax();
	}
	/* Text may have changed under this CPU's prefetch: serialize. */
	sync_core();
	return 0;
}

/*
 * Called with cpus_read_lock and text_mutex held, after ks_check_sites and
 * ks_build_ranges.  With @dry, stop after the stack check.  Returns 0, -EBUSY (a task is inside; conflicts are
 * recorded), or another error with the cause recorded.
 */
int ks_stop_and_switch(struct ks_update *ku, bool undo, bool dry,
		       u64 *pause_ns)
{
	struct ks_stop *st;
	u64 t0;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	st->ku = ku;
	st->undo = undo;
	st->dry = dry;
	atomic_set(&st->cpus_in, 0);

	t0 = ktime_get_ns();
	ret = ks_stop_machine_cpuslocked(ks_stop_fn, st, cpu_online_mask);
	*pause_ns = ktime_get_ns() - t0;
	if (!ret)
		ret = st->ret;
	ku->scan_ns = st->scan_ns;
	ku->write_ns = st->write_ns;

	if (ret == -EBUSY) {
		ku->nr_conflicts = min_t(unsigned int, st->busy,
					 KS_MAX_CONFLICTS);
		ks_fail(ku, KS_CODE_BUSY, "%u task%s running the code to be %s",
			st->busy, st->busy == 1 ? " is" : "s are",
			undo ? "removed" : "replaced");
	} else if (ret == -EILSEQ) {
		ks_fail(ku, KS_BAD_BYTES,
			"the code at the trampoline site of %s changed during the switch",
			ku->funcs[st->bad].f->name);
	} else if (ret == -ECANCELED) {
		ks_fail(ku, KS_CALL_FAILED, "the update's %s hook failed",
			undo ? "undo" : "apply");
	} else if (ret) {
		ks_fail(ku, KS_CALL_FAILED, "stop_machine failed (%d)", ret);
	}
	kfree(st);
	return ret;
}
