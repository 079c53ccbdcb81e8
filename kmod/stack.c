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
	unsigned int scanned;		/* tasks read */
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
	if (s->found < s->max && s->out) {
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

	*sp = 0;
	if (!h)
		return false;	/* before the stop: nothing is held */
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

/*
 * Look for a hit in @t's stack words and, with @shadow, in the return
 * addresses kept off its stack.  Returns whether @t is one of the
 * stop's own tasks.
 */
static bool ks_scan_words(struct ks_scan *s, struct task_struct *t,
			  bool shadow)
{
	unsigned long lo = (unsigned long)READ_ONCE(t->stack);
	unsigned long hi, sp, p, w;
	bool own;

	if (!lo)
		return false;	/* stack already freed: the task is dead */
	s->scanned++;
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
		w = READ_ONCE(*(unsigned long *)p);
		if (ks_scan_hit(s, w)) {
			/* one entry per task is enough to name it */
			ks_record(s, t, w, own);
			return own;
		}
	}
	if (shadow && ks_scan_shadow(s, t, &w))
		ks_record(s, t, w, own);
	return own;
}
NOKPROBE_SYMBOL(ks_scan_words);

static void ks_scan_task(struct ks_scan *s, struct task_struct *t)
{
	ks_scan_words(s, t, true);
}
NOKPROBE_SYMBOL(ks_scan_task);

/* The scan of one task from ks_track_each(), unless counted already. */
static void ks_scan_tracked(struct task_struct *t, void *data)
{
	struct ks_scan *s = data;
	unsigned long sp;

	if ((t->flags & PF_IDLE) || ks_held_sp(s->held, t, &sp))
		return;		/* scanned on their own below */
	ks_scan_task(s, t);
}
NOKPROBE_SYMBOL(ks_scan_tracked);

/*
 * Returns how many tasks are inside; names up to @max of them in @out.
 * *@own counts those that are the stop's own tasks (the CPUs in @held):
 * code on the stop's own path, which no retry will ever find free.
 * When track.c knows which tasks may have run since ks_prescan() read
 * their stacks, only those are read again, with the stop's own tasks
 * and the idle tasks; otherwise every task is.
 */
unsigned int ks_scan_stacks(const struct ks_range *r, unsigned int n,
			    const struct ks_held *held,
			    struct ks_conflict *out, unsigned int max,
			    unsigned int *own, unsigned int *scanned)
{
	struct ks_scan s = { .r = r, .n = n, .held = held, .out = out,
			     .max = max };
	struct task_struct *g, *t;
	int cpu;

	*own = 0;
	*scanned = 0;
	if (!n)
		return 0;
	s.lo = r[0].start;
	s.hi = r[n - 1].end;	/* merged and sorted: the last ends last */
	if (ks_track_valid()) {
		ks_track_each(ks_scan_tracked, &s);
		for_each_online_cpu(cpu)
			ks_scan_task(&s, held[cpu].task);
		ks_scan_task(&s, held[nr_cpu_ids].task);
	} else {
		rcu_read_lock();
		for_each_process_thread(g, t)
			ks_scan_task(&s, t);
		rcu_read_unlock();
	}
	if (ks_idle_task)
		for_each_online_cpu(cpu)
			ks_scan_task(&s, ks_idle_task(cpu));
	*own = s.own;
	*scanned = s.scanned;
	return s.found;
}
NOKPROBE_SYMBOL(ks_scan_stacks);

/* Could kretprobes or the graph tracer hold return addresses for @t? */
static bool ks_has_shadow(struct task_struct *t)
{
	bool any = false;

#ifdef CONFIG_RETHOOK
	any |= READ_ONCE(t->rethooks.first) != NULL;
#endif
#ifdef CONFIG_FUNCTION_GRAPH_TRACER
	any |= READ_ONCE(t->ret_stack) && READ_ONCE(t->curr_ret_stack) >= 0;
#endif
	return any;
}

/*
 * Before the stop, with track.c armed: read every task's stack while
 * the machine runs.  Tasks found inside, and tasks whose off-stack
 * return addresses may be read only once they are held, are kept for
 * the stop to read again; so are the tasks that run meanwhile, which
 * track.c records.  The caller's own stack is read inside the stop.
 */
void ks_prescan(const struct ks_range *r, unsigned int n)
{
	struct ks_scan s = { .r = r, .n = n };
	struct task_struct *g, *t;

	if (!n)
		return;
	s.lo = r[0].start;
	s.hi = r[n - 1].end;
	rcu_read_lock();
	for_each_process_thread(g, t) {
		unsigned int before = s.found;

		if (t == current)
			continue;
		if (!try_get_task_stack(t))
			continue;	/* exiting: its stack is going */
		ks_scan_words(&s, t, false);
		ks_put_task_stack(t);
		if (s.found != before || ks_has_shadow(t))
			ks_track_keep(t);
	}
	rcu_read_unlock();
}
