// SPDX-License-Identifier: GPL-2.0
/*
 * Which tasks could have changed their stacks since they were read.
 *
 * Reading every stack inside the stop costs about 1.5 us a thread under
 * TCG, with every CPU held: 3 ms at 2,000 threads.  So the stacks are
 * read before the stop, while the machine runs (stack.c, ks_prescan),
 * and inside it only those of tasks that may have run since.  A task's
 * stack, and the return addresses kretprobes and the graph tracer keep
 * for it, change only while it runs, and every task that runs is
 * switched out again before the stop can begin: its CPU must switch to
 * the stopper.  So a probe on sched_switch, recording from before the
 * first stack is read, keeps every task switched out (and every task
 * forked) in a per-CPU set; tasks not in it at the stop kept the stack
 * that was read.  A task that may be inside, or whose off-stack return
 * addresses could not be read safely while it ran, is kept too.  A set
 * that overflows, or a probe that cannot be armed, means the stop reads
 * every stack, as before.
 */
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include "internal.h"

#define KS_DIRTY_BITS	10
#define KS_DIRTY_SLOTS	(1U << KS_DIRTY_BITS)
#define KS_DIRTY_PROBES	8	/* linear probing; then it overflows */
#define KS_KEEP_MAX	256

struct ks_dirty {
	raw_spinlock_t lock;
	bool overflow;
	struct task_struct *slot[KS_DIRTY_SLOTS];
};

static struct ks_dirty __percpu *ks_dirty;
static struct tracepoint *ks_tp_switch, *ks_tp_fork;
static bool ks_tracking;		/* probes record; under each lock */
static bool ks_armed;			/* probes registered */
static bool ks_track_failed;		/* not armed, or a keep overflowed */
static struct task_struct *ks_keep[KS_KEEP_MAX];
static unsigned int ks_nr_keep;

/* With the CPU's set locked: add @t once, with a reference. */
static void ks_dirty_add(struct ks_dirty *d, struct task_struct *t)
{
	unsigned int h = hash_ptr(t, KS_DIRTY_BITS), i;

	for (i = 0; i < KS_DIRTY_PROBES; i++) {
		struct task_struct **s = &d->slot[(h + i) & (KS_DIRTY_SLOTS - 1)];

		if (*s == t)
			return;
		if (!*s) {
			get_task_struct(t);
			*s = t;
			return;
		}
	}
	d->overflow = true;
}

static void ks_mark(struct task_struct *t)
{
	struct ks_dirty *d = this_cpu_ptr(ks_dirty);
	unsigned long flags;

	raw_spin_lock_irqsave(&d->lock, flags);
	if (ks_tracking)
		ks_dirty_add(d, t);
	raw_spin_unlock_irqrestore(&d->lock, flags);
}

static void notrace ks_on_switch(void *data, bool preempt,
				 struct task_struct *prev,
				 struct task_struct *next,
				 unsigned int prev_state)
{
	if (READ_ONCE(ks_tracking))
		ks_mark(prev);
}

static void notrace ks_on_fork(void *data, struct task_struct *parent,
			       struct task_struct *child)
{
	if (READ_ONCE(ks_tracking))
		ks_mark(child);
}

/*
 * Start recording before any stack is read.  The probes stay registered
 * while the module is loaded: registering them flips the sched_switch
 * tracepoint in __schedule(), text the engine should not make the
 * kernel rewrite on every attempt.  Once kick_all_cpus_sync() returns,
 * every CPU has left any context switch it was in and sees ks_tracking,
 * so no switch from then on is missed.
 */
void ks_track_start(void)
{
	int cpu;

	ks_nr_keep = 0;
	ks_track_failed = !ks_armed;
	if (!ks_armed)
		return;
	for_each_possible_cpu(cpu)
		per_cpu_ptr(ks_dirty, cpu)->overflow = false;
	WRITE_ONCE(ks_tracking, true);
	kick_all_cpus_sync();
}

/* Before the stop: @t must be read again inside it. */
void ks_track_keep(struct task_struct *t)
{
	if (ks_nr_keep >= KS_KEEP_MAX) {
		ks_track_failed = true;
		return;
	}
	get_task_struct(t);
	ks_keep[ks_nr_keep++] = t;
}

/* Inside the stop: can the sets stand in for a walk of every task? */
bool notrace ks_track_valid(void)
{
	int cpu;

	if (READ_ONCE(ks_track_failed))
		return false;
	for_each_online_cpu(cpu)
		if (per_cpu_ptr(ks_dirty, cpu)->overflow)
			return false;
	return true;
}
NOKPROBE_SYMBOL(ks_track_valid);

/* Inside the stop: every task that may have changed since it was read. */
void notrace ks_track_each(void (*fn)(struct task_struct *t, void *data),
			   void *data)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < ks_nr_keep; i++)
		fn(ks_keep[i], data);
	for_each_possible_cpu(cpu) {
		struct ks_dirty *d = per_cpu_ptr(ks_dirty, cpu);

		for (i = 0; i < KS_DIRTY_SLOTS; i++)
			if (d->slot[i])
				fn(d->slot[i], data);
	}
}
NOKPROBE_SYMBOL(ks_track_each);

/* After the stop: stop recording, and drop every reference taken. */
void ks_track_stop(void)
{
	unsigned int i;
	int cpu;

	WRITE_ONCE(ks_tracking, false);
	for_each_possible_cpu(cpu) {
		struct ks_dirty *d;
		unsigned long flags;

		if (!ks_dirty)
			break;
		d = per_cpu_ptr(ks_dirty, cpu);
		/* A probe that saw ks_tracking set adds under this lock,
		 * and finds it clear once we have held it. */
		raw_spin_lock_irqsave(&d->lock, flags);
		raw_spin_unlock_irqrestore(&d->lock, flags);
		for (i = 0; i < KS_DIRTY_SLOTS; i++) {
			if (d->slot[i])
				put_task_struct(d->slot[i]);
			d->slot[i] = NULL;
		}
	}
	while (ks_nr_keep)
		put_task_struct(ks_keep[--ks_nr_keep]);
}

int ks_track_init(void)
{
	int cpu;

	ks_dirty = alloc_percpu(struct ks_dirty);
	if (!ks_dirty)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		raw_spin_lock_init(&per_cpu_ptr(ks_dirty, cpu)->lock);
	/* Not exported to modules; without them every stop reads every
	 * stack, which is slower but as safe. */
	ks_tp_switch = (void *)ks_kallsyms("__tracepoint_sched_switch");
	ks_tp_fork = (void *)ks_kallsyms("__tracepoint_sched_process_fork");
	if (!ks_tp_switch || !ks_tp_fork ||
	    tracepoint_probe_register(ks_tp_switch, ks_on_switch, NULL))
		return 0;
	if (tracepoint_probe_register(ks_tp_fork, ks_on_fork, NULL)) {
		tracepoint_probe_unregister(ks_tp_switch, ks_on_switch, NULL);
		return 0;
	}
	ks_armed = true;
	return 0;
}

void ks_track_exit(void)
{
	if (ks_armed) {
		tracepoint_probe_unregister(ks_tp_fork, ks_on_fork, NULL);
		tracepoint_probe_unregister(ks_tp_switch, ks_on_switch, NULL);
		/* No probe may still run in this module's text. */
		tracepoint_synchronize_unregister();
	}
	free_percpu(ks_dirty);
}
