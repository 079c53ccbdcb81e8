// SPDX-License-Identifier: GPL-2.0
/*
 * The stack check, run while every CPU is held: is any task inside code
 * we are about to redirect?  Conservative: every word from a task's saved
 * stack pointer to the top of its stack is taken for a possible return
 * address (or an interrupted RIP in pt_regs).  A stale word only costs a
 * retry; a missed one could cost the machine.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include "internal.h"

struct ks_scan {
	const struct ks_range *r;
	unsigned int n;
	struct ks_conflict *out;
	unsigned int max;
	unsigned int found;
	unsigned long lo, hi;	/* bounds of all ranges: a quick reject */
	unsigned long self_sp;	/* current's stack above our own frames */
};

static void ks_scan_task(struct ks_scan *s, struct task_struct *t)
{
	unsigned long lo = (unsigned long)READ_ONCE(t->stack);
	unsigned long hi = lo + THREAD_SIZE, sp, p;

	if (!lo)
		return;		/* stack already freed: the task is dead */
	/* Our own frames hold the very addresses we look for: start the
	 * current (stopper) task above them. */
	sp = t == current ? s->self_sp : READ_ONCE(t->thread.sp);
	if (sp < lo || sp >= hi)
		sp = lo;	/* unknown: scan all of it */
	for (p = ALIGN(sp, sizeof(long)); p < hi; p += sizeof(long)) {
		unsigned long w = *(unsigned long *)p;

		if (w < s->lo || w > s->hi || !ks_ranges_find(s->r, s->n, w))
			continue;
		if (s->found < s->max) {
			struct ks_conflict *c = &s->out[s->found];

			memcpy(c->comm, t->comm, sizeof(c->comm));
			c->comm[sizeof(c->comm) - 1] = '\0';
			c->pid = task_pid_nr(t);
			c->addr = w;
		}
		s->found++;
		return;		/* one entry per task is enough to name it */
	}
}

/* Returns how many tasks are inside; names up to @max of them in @out. */
unsigned int ks_scan_stacks(const struct ks_range *r, unsigned int n,
			    struct ks_conflict *out, unsigned int max,
			    unsigned long self_sp)
{
	struct ks_scan s = { .r = r, .n = n, .out = out, .max = max,
			     .self_sp = self_sp };
	struct task_struct *g, *t;
	int cpu;

	if (!n)
		return 0;
	s.lo = r[0].start;
	s.hi = r[n - 1].end;	/* merged and sorted: the last ends last */
	rcu_read_lock();
	for_each_process_thread(g, t)
		ks_scan_task(&s, t);
	rcu_read_unlock();
	if (ks_idle_task)
		for_each_online_cpu(cpu)
			ks_scan_task(&s, ks_idle_task(cpu));
	return s.found;
}
