// SPDX-License-Identifier: GPL-2.0
/*
 * Redirection through the fentry call, for functions whose first bytes
 * after the fentry nop the kernel rewrites later: a static branch (every
 * tracepoint), a static call (might_sleep() and cond_resched() under
 * PREEMPT_DYNAMIC) or an SMP lock prefix.  A jmp written there would be
 * found by jump_label, static_call or the alternatives code the next
 * time they flip, and either BUG() or be silently overwritten.
 *
 * Instead an ftrace_ops with IPMODIFY, registered before the stop with
 * no target, sends each call to the replacement once the stop sets its
 * target: one word, so the switch is as atomic as a jmp's and needs no
 * text written under the stop.  The kernel keeps owning the bytes, and
 * the call costs what livepatch's does.  Updates stacked on the same
 * function share one ops; each apply and undo moves its target.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "internal.h"

struct ks_redirect {
	struct ftrace_ops ops;
	unsigned long ip;		/* the fentry call */
	unsigned long target;		/* where calls go; 0: nowhere else */
	unsigned int users;		/* ks_funcs, applied or being */
	struct list_head list;
};

static LIST_HEAD(ks_redirects);		/* under ks_mutex */

static void notrace ks_redirect_handler(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *ops,
					struct ftrace_regs *fregs)
{
	struct ks_redirect *r = container_of(ops, struct ks_redirect, ops);
	unsigned long to = READ_ONCE(r->target);

	if (to)
		ftrace_instruction_pointer_set(fregs, to);
}
NOKPROBE_SYMBOL(ks_redirect_handler);

static struct ks_redirect *ks_redirect_find(unsigned long ip)
{
	struct ks_redirect *r;

	list_for_each_entry(r, &ks_redirects, list)
		if (r->ip == ip)
			return r;
	return NULL;
}

/*
 * Route @kf's calls through an ftrace_ops (without a target yet).  Called
 * under ks_mutex, without cpus_read_lock or text_mutex, which ftrace
 * takes itself.
 */
int ks_redirect_get(struct ks_update *ku, struct ks_func *kf)
{
	struct ks_redirect *r = ks_redirect_find(kf->old_addr);
	int ret;

	if (r) {
		r->users++;
		kf->redirect = r;
		return 0;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ks_fail(ku, KS_OUT_OF_MEMORY, "out of memory");
	r->ip = kf->old_addr;
	r->ops.func = ks_redirect_handler;
	r->ops.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT;
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
	r->ops.flags |= FTRACE_OPS_FL_SAVE_REGS;
#endif
	ret = ftrace_set_filter_ip(&r->ops, r->ip, 0, 0);
	if (!ret)
		ret = register_ftrace_function(&r->ops);
	if (ret) {
		ftrace_free_filter(&r->ops);
		kfree(r);
		if (ret == -EBUSY)
			return ks_fail(ku, KS_NOT_PATCHABLE,
				       "%s must be redirected through ftrace, but another ftrace user already changes where it goes (livepatch, BPF, a kprobe)",
				       kf->f->name);
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s must be redirected through ftrace, which refused (%d)",
			       kf->f->name, ret);
	}
	r->users = 1;
	list_add(&r->list, &ks_redirects);
	kf->redirect = r;
	return 0;
}

/* Drop @kf's use; the last one unregisters (which waits for callers). */
void ks_redirect_put(struct ks_func *kf)
{
	struct ks_redirect *r = kf->redirect;

	kf->redirect = NULL;
	if (!r || --r->users)
		return;
	WARN_ON(r->target);
	list_del(&r->list);
	if (unregister_ftrace_function(&r->ops)) {
		/* ftrace may still call it: keep it, without a target. */
		pr_crit("ksplice: cannot unregister the ftrace redirect of %pS\n",
			(void *)r->ip);
		return;
	}
	ftrace_free_filter(&r->ops);
	kfree(r);
}

/* Where @kf's calls go now: its old code (0) or a replacement. */
unsigned long notrace ks_redirect_target(const struct ks_func *kf)
{
	return READ_ONCE(kf->redirect->target);
}
NOKPROBE_SYMBOL(ks_redirect_target);

/* Inside the stop: send calls to the replacement, or back. */
void notrace ks_redirect_switch(struct ks_func *kf, bool undo)
{
	WRITE_ONCE(kf->redirect->target, undo ? kf->prev_target :
					      kf->new_addr);
}
NOKPROBE_SYMBOL(ks_redirect_switch);
