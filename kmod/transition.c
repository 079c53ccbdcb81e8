// SPDX-License-Identifier: GPL-2.0
/*
 * Apply and undo: resolve, check, then try the switch under stop_machine
 * until no task is inside the code or the tries run out.  Lock order, as
 * kprobes uses it: cpus_read_lock, text_mutex, stop_machine_cpuslocked.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/srcu.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include "internal.h"

static u64 ks_sequence;

static const char *const ks_cause_names[] = {
	[KS_OK] = "none",
	[KS_CODE_BUSY] = "code_busy",
	[KS_NO_MATCH] = "no_match",
	[KS_BAD_BYTES] = "bad_bytes",
	[KS_NOT_PATCHABLE] = "not_patchable",
	[KS_TARGET_NOT_LOADED] = "target_not_loaded",
	[KS_MODULE_BUSY] = "module_busy",
	[KS_OUT_OF_ORDER] = "out_of_order",
	[KS_OUT_OF_MEMORY] = "out_of_memory",
	[KS_CALL_FAILED] = "call_failed",
	[KS_SYMBOL_MISSING] = "symbol_missing",
	[KS_AMBIGUOUS] = "ambiguous",
};

static const int ks_cause_errnos[] = {
	[KS_OK] = 0,
	[KS_CODE_BUSY] = EBUSY,
	[KS_NO_MATCH] = ENOEXEC,
	[KS_BAD_BYTES] = EILSEQ,
	[KS_NOT_PATCHABLE] = EOPNOTSUPP,
	[KS_TARGET_NOT_LOADED] = ENOENT,
	[KS_MODULE_BUSY] = ENODEV,
	[KS_OUT_OF_ORDER] = ENOTEMPTY,
	[KS_OUT_OF_MEMORY] = ENOMEM,
	[KS_CALL_FAILED] = ECANCELED,
	[KS_SYMBOL_MISSING] = ENXIO,
	[KS_AMBIGUOUS] = ENOTUNIQ,
};

const char *ks_cause_name(enum ks_cause cause)
{
	return ks_cause_names[cause];
}

int ks_cause_errno(enum ks_cause cause)
{
	return -ks_cause_errnos[cause];
}

/* Record why an operation stopped; returns the matching -errno. */
int ks_fail(struct ks_update *ku, enum ks_cause cause, const char *fmt, ...)
{
	va_list ap;

	ku->cause = cause;
	va_start(ap, fmt);
	vscnprintf(ku->reason, sizeof(ku->reason), fmt, ap);
	va_end(ap);
	return ks_cause_errno(cause);
}

static void ks_reset_status(struct ks_update *ku)
{
	ku->cause = KS_OK;
	ku->reason[0] = '\0';
	ku->nr_conflicts = 0;
	ku->tries = 0;
	memset(ku->pause_ns, 0, sizeof(ku->pause_ns));
}

static void ks_log_result(struct ks_update *ku, const char *op, int ret)
{
	unsigned int last = ku->tries ? ku->tries - 1 : 0;

	if (ret && ku->coming)
		return;		/* pending.c says it, naming the module */
	if (!ret)
		pr_info("ksplice: %s %s: %u function(s), pause %llu ns, %u tr%s\n",
			op, ku->u->id, ku->u->nr_funcs,
			ku->pause_ns[min_t(unsigned int, last, KS_MAX_ATTEMPTS - 1)],
			ku->tries, ku->tries == 1 ? "y" : "ies");
	else
		pr_warn("ksplice: %s %s refused: %s: %s\n", op, ku->u->id,
			ks_cause_name(ku->cause), ku->reason);
}

static int ks_check_stacked(struct ks_update *ku);

/*
 * The retry loop shared by apply and undo.  Returns 0 once the switch is
 * done, or the error of the last attempt.
 */
static int ks_attempt(struct ks_update *ku, bool undo, bool dry)
{
	const struct ksplice_hook_set *hooks = undo ? &ku->u->undo_hooks :
						&ku->u->apply_hooks;
	bool interrupted;
	int ret = 0;

	while (ku->tries < ku->max_tries) {
		u64 pause = 0;

		if (ks_call_hooks(hooks->check))
			return ks_fail(ku, KS_CALL_FAILED,
				       "the update's check hook refused");
		/* Between tries other updates may come and go: a cumulative
		 * update looks again at what it takes the place of. */
		if (!undo) {
			ks_replace_release(ku);
			ret = ks_replace_prepare(ku);
			if (ret)
				return ret;
		}
		ku->nr_conflicts = 0;
		/* Armed before any stack is read, outside our locks: it
		 * registers tracepoint probes. */
		ks_track_start();
		/* kprobes' order: no probe can be registered in our sites
		 * between the check and the write. */
		mutex_lock(ks_kprobe_mutex);
		cpus_read_lock();
		mutex_lock(ks_text_mutex);
		ret = undo ? ks_check_stacked(ku) : 0;
		if (!ret)
			ret = ks_check_sites(ku, undo);
		if (!ret) {
			/* After the site check: it finds what we stack on. */
			ks_build_ranges(ku, undo);
			ret = ks_map_sites(ku);
		}
		if (!ret) {
			ks_prescan(ku->ranges, ku->nr_ranges);
			ret = ks_stop_and_switch(ku, undo, dry, &pause);
			ks_unmap_sites(ku);
		}
		mutex_unlock(ks_text_mutex);
		cpus_read_unlock();
		mutex_unlock(ks_kprobe_mutex);
		ks_track_stop();
		if (ku->tries < KS_MAX_ATTEMPTS)
			ku->pause_ns[ku->tries] = pause;
		ku->tries++;
		if (ret != -EBUSY || ku->tries >= ku->max_tries)
			break;
		/* Readers of the other updates need not wait for us: @ku
		 * itself is marked busy, and every attempt rechecks all. */
		mutex_unlock(&ks_mutex);
		interrupted = msleep_interruptible(ku->retry_delay_ms) ||
			      fatal_signal_pending(current);
		mutex_lock(&ks_mutex);
		if (interrupted)
			break;
	}
	return ret;
}

/* Is a newer applied update stacked on one of @ku's sites? */
static struct ks_update *ks_stacked_above(struct ks_update *ku)
{
	struct ks_update *o;
	unsigned int i, j;

	list_for_each_entry(o, &ks_updates, list) {
		if (o == ku || o->stage != KS_APPLIED ||
		    o->sequence < ku->sequence)
			continue;
		for (i = 0; i < o->u->nr_funcs; i++)
			for (j = 0; j < ku->u->nr_funcs; j++)
				if (o->funcs[i].site == ku->funcs[j].site)
					return o;
	}
	return NULL;
}

static int ks_check_stacked(struct ks_update *ku)
{
	struct ks_update *above = ks_stacked_above(ku);

	if (above)
		return ks_fail(ku, KS_OUT_OF_ORDER,
			       "update %s replaced the same code later; undo it first",
			       above->u->id);
	return 0;
}

/*
 * A task past exit_notify() is off the task list, so the stack check
 * never saw it, but it may still run the update's code until its last
 * schedule().  RCU-tasks marks that stretch as a read-side section of
 * tasks_rcu_exit_srcu, ending in a preempt-disabled region: wait for
 * both, as RCU-tasks does, before the update's module may go.  (All of
 * synchronize_rcu_tasks() would also wait for every CPU-bound kthread to
 * sleep, which may be never.)
 */
void ks_wait_exiting(void)
{
	synchronize_srcu(ks_tasks_exit_srcu);
	synchronize_rcu();
}

void ks_set_stage(struct ks_update *ku, enum ks_stage stage)
{
	ku->stage = stage;
	ku->stage_time = ktime_get_real_seconds();
}

/*
 * Called with ks_mutex held.  @dry: every check, the stack check inside
 * the stop included, but no trampoline and no pre/post/fail hook.
 */
int ks_apply(struct ks_update *ku, bool dry)
{
	struct ksplice_update *u = ku->u;
	int ret;

	if (ku->stage == KS_APPLIED)
		return dry ? -EINVAL : 0;
	ks_reset_status(ku);
	if (!try_module_get(u->owner))
		return ks_fail(ku, KS_MODULE_BUSY,
			       "the update's module is being removed");
	ret = ks_prepare_funcs(ku);
	if (ret)
		goto out_put;
	ret = ks_write_relocs(ku);
	if (ret)
		goto out_release;
	ku->in_progress = true;
	if (!dry && ks_call_hooks(u->apply_hooks.pre)) {
		ret = ks_fail(ku, KS_CALL_FAILED,
			      "the update's pre-apply hook refused");
		goto out_release;
	}
	ret = ks_attempt(ku, false, dry);
	ku->in_progress = false;
	if (ret && !dry)
		ks_notify_hooks(u->apply_hooks.fail);
	if (ret || dry)
		goto out_release;
	/* Success: the module reference and the targets' are kept. */
	ku->sequence = ++ks_sequence;
	ks_set_stage(ku, KS_APPLIED);
	ku->replaced_by[0] = '\0';
	ks_replace_finish(ku);
	/* As livepatch does: crash reports say the kernel was patched. */
	add_taint(TAINT_LIVEPATCH, LOCKDEP_STILL_OK);
	ks_notify_hooks(u->apply_hooks.post);
	ks_log_result(ku, "applied", 0);
	return 0;

out_release:
	ks_replace_release(ku);
	ks_release_funcs(ku);
	ks_release_relocs(ku);
out_put:
	module_put(u->owner);
	ks_log_result(ku, dry ? "dry run of" : "apply", ret);
	return ret;
}

/* Called with ks_mutex held. */
int ks_undo(struct ks_update *ku)
{
	struct ksplice_update *u = ku->u;
	unsigned long n;
	int ret;

	if (ku->stage == KS_PENDING) {
		/* Nothing is written yet: stop waiting, that is all. */
		ks_reset_status(ku);
		ks_set_stage(ku, KS_LOADED);
		pr_info("ksplice: %s no longer pending\n", u->id);
		return 0;
	}
	if (ku->stage != KS_APPLIED)
		return ku->stage == KS_REVERSED ? 0 : -EINVAL;
	ks_reset_status(ku);
	if (ku->stranded) {
		ret = ks_fail(ku, KS_MODULE_BUSY,
			      "a module it patched went away while it was applied and it could not be undone then; it stays until reboot");
		goto out;
	}
	ret = ks_check_stacked(ku);
	if (ret)
		goto out;
	if (ks_call_hooks(u->undo_hooks.pre)) {
		ret = ks_fail(ku, KS_CALL_FAILED,
			      "the update's pre-undo hook refused");
		goto out;
	}
	ku->in_progress = true;
	ret = ks_attempt(ku, true, false);
	ku->in_progress = false;
	if (ret) {
		ks_notify_hooks(u->undo_hooks.fail);
		goto out;
	}
	ku->sequence = 0;
	ks_set_stage(ku, KS_REVERSED);
	ks_wait_exiting();
	ks_release_funcs(ku);
	ks_release_relocs(ku);
	module_put(u->owner);
	ks_notify_hooks(u->undo_hooks.post);
	/* nothing runs the update's code now: its shadow variables go */
	n = ks_shadow_free_owner(u->owner);
	if (n)
		pr_info("ksplice: %s: %lu shadow variable%s freed\n", u->id, n,
			n == 1 ? "" : "s");
	ks_log_result(ku, "reversed", 0);
	return 0;
out:
	ks_log_result(ku, "undo", ret);
	return ret;
}
