// SPDX-License-Identifier: GPL-2.0
/*
 * The stack check, run while every CPU is held: is any task inside code
 * we are about to redirect?  Conservative: every word from a task's stack
 * pointer up to its user-mode register frame is taken for a possible
 * return address (or an interrupted RIP in pt_regs).  A stale word only
 * costs a retry; a missed one could cost the machine.
 *
 * Return addresses also live off the stack: kretprobes (rethook) and the
 * function-graph tracer move them to per-task lists, and put their own
 * trampoline on the stack instead.  Those lists are read too.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/llist.h>
#include <linux/rethook.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include "internal.h"

struct ks_scan {
	const struct ks_range *r;
	unsigned int n;
	const struct ks_held *held;	/* the CPUs inside the stop */
	struct ks_conflict *out;
	unsigned int max;
	unsigned int found;
	unsigned int own;		/* found on the stop's own tasks */
	unsigned long lo, hi;	/* bounds of all ranges: a quick reject */
};

static bool ks_scan_hit(struct ks_scan *s, unsigned long w)
{
	return w >= s->lo && w <= s->hi && ks_ranges_find(s->r, s->n, w);
}
NOKPROBE_SYMBOL(ks_scan_hit);

static void ks_record(struct ks_scan *s, struct task_struct *t,
		      unsigned long w, bool own)
{
	if (s->found < s->max) {
		struct ks_conflict *c = &s->out[s->found];

		memcpy(c->comm, t->comm, sizeof(c->comm));
		c->comm[sizeof(c->comm) - 1] = '\0';
		c->pid = task_pid_nr(t);
		c->addr = w;
		c->own = own;
	}
	s->found++;
	if (own)
		s->own++;
}
NOKPROBE_SYMBOL(ks_record);

/* Return addresses that kretprobes and the graph tracer took off. */
static bool ks_scan_shadow(struct ks_scan *s, struct task_struct *t,
			   unsigned long *hit)
{
#ifdef CONFIG_RETHOOK
	struct llist_node *n;

	for (n = READ_ONCE(t->rethooks.first); n; n = READ_ONCE(n->next)) {
		struct rethook_node *rh = container_of(n, struct rethook_node,
						       llist);

		if (ks_scan_hit(s, rh->ret_addr)) {
			*hit = rh->ret_addr;
			return true;
		}
	}
#endif
#ifdef CONFIG_FUNCTION_GRAPH_TRACER
	{
		struct ftrace_ret_stack *rs = READ_ONCE(t->ret_stack);
		int i, top = min(READ_ONCE(t->curr_ret_stack),
				 FTRACE_RETFUNC_DEPTH - 1);

		for (i = 0; rs && i <= top; i++) {
			if (ks_scan_hit(s, rs[i].ret)) {
				*hit = rs[i].ret;
				return true;
			}
		}
	}
#endif
	return false;
}
NOKPROBE_SYMBOL(ks_scan_shadow);

/*
 * Is @t one of the stop's own tasks: a held CPU's stopper (@sp: where
 * its stack is now) or, in h[nr_cpu_ids], the task waiting for the stop
 * (@sp: 0, its saved one holds)?
 */
static bool ks_held_sp(const struct ks_held *h, struct task_struct *t,
		       unsigned long *sp)
{
	int cpu;

	for_each_online_cpu(cpu) {
		if (h[cpu].task == t) {
			*sp = h[cpu].sp;
			return true;
		}
	}
	*sp = 0;
	return h[nr_cpu_ids].task == t;
}
NOKPROBE_SYMBOL(ks_held_sp);

static void ks_scan_task(struct ks_scan *s, struct task_struct *t)
{
	unsigned long lo = (unsigned long)READ_ONCE(t->stack);
	unsigned long hi, sp, p, w;
	bool own;

	if (!lo)
		return;		/* stack already freed: the task is dead */
	/* What lies above the user-mode register frame is user state: a
	 * user may put any value there, and no kernel code returns to it. */
	hi = (unsigned long)task_pt_regs(t);
	if (hi <= lo || hi > lo + THREAD_SIZE)
		hi = lo + THREAD_SIZE;
	/* A CPU held in the stop runs its stopper: the saved thread.sp is
	 * stale, and what its frames hold is the stop's own path. */
	own = ks_held_sp(s->held, t, &sp);
	if (!sp)
		sp = READ_ONCE(t->thread.sp);
	if (sp < lo || sp >= hi)
		sp = lo;	/* unknown: scan all of it */
	for (p = ALIGN(sp, sizeof(long)); p < hi; p += sizeof(long)) {
		w = *(unsigned long *)p;
		if (ks_scan_hit(s, w)) {
			/* one entry per task is enough to name it */
			ks_record(s, t, w, own);
			return;
		}
	}
	if (ks_scan_shadow(s, t, &w))
		ks_record(s, t, w, own);
}
NOKPROBE_SYMBOL(ks_scan_task);

/*
 * Returns how many tasks are inside; names up to @max of them in @out.
 * *@own counts those that are the stop's own tasks (the CPUs in @held):
 * code on the stop's own path, which no retry will ever find free.
 */
unsigned int ks_scan_stacks(const struct ks_range *r, unsigned int n,
			    const struct ks_held *held,
			    struct ks_conflict *out, unsigned int max,
			    unsigned int *own)
{
	struct ks_scan s = { .r = r, .n = n, .held = held, .out = out,
			     .max = max };
	struct task_struct *g, *t;
	int cpu;

	*own = 0;
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
	*own = s.own;
	return s.found;
}
NOKPROBE_SYMBOL(ks_scan_stacks);
NOKPROBE_SYMBOL(ks_ranges_find);
