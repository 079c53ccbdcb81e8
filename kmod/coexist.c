// SPDX-License-Identifier: GPL-2.0
/*
 * Other redirectors at the fentry site.  Our jmp sits after the fentry
 * call; livepatch, kprobes with a post handler, BPF trampolines and other
 * direct calls act at that call, through ftrace, before our jmp is
 * reached.  One that may send the call elsewhere would bypass the update
 * silently, so such a function is refused, naming who redirects it.
 *
 * What is read of ftrace (6.1): ftrace_ops_list, a list ending at
 * ftrace_list_end, stable under ftrace_lock; each ops' filter and notrace
 * hashes, freed after an RCU grace period, read with preemption off.
 * ftrace refuses an IPMODIFY or direct ops without a filter, so an empty
 * filter hash never means "every function" for the ops that matter here.
 */
#include <linux/bpf.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include "internal.h"

/* Required: without them nothing can be told, and we refuse. */
static struct mutex *ks_ftrace_lock;
static struct ftrace_ops **ks_ftrace_ops_list;
static struct ftrace_ops *ks_ftrace_list_end;
static struct ftrace_func_entry *
	(*ks_ftrace_lookup_ip)(struct ftrace_hash *hash, unsigned long ip);
/* Optional: they only name the owner. */
static void *ks_klp_handler, *ks_kprobe_handler, *ks_bpf_ops_func;
static struct mutex *ks_klp_mutex;
static struct list_head *ks_klp_patches;
static unsigned long (*ks_find_direct)(unsigned long ip);
static struct kprobe *(*ks_get_kprobe_at)(void *addr);
static bool ks_coexist_ready;

static int ks_coexist_resolve(void)
{
	if (ks_coexist_ready)
		return 0;
	ks_ftrace_lock = (void *)ks_kallsyms("ftrace_lock");
	ks_ftrace_ops_list = (void *)ks_kallsyms("ftrace_ops_list");
	ks_ftrace_list_end = (void *)ks_kallsyms("ftrace_list_end");
	*(unsigned long *)&ks_ftrace_lookup_ip = ks_kallsyms("ftrace_lookup_ip");
	if (!ks_ftrace_lock || !ks_ftrace_ops_list || !ks_ftrace_list_end ||
	    !ks_ftrace_lookup_ip)
		return -ENOENT;
	ks_klp_handler = (void *)ks_kallsyms("klp_ftrace_handler");
	ks_klp_mutex = (void *)ks_kallsyms("klp_mutex");
	ks_klp_patches = (void *)ks_kallsyms("klp_patches");
	ks_kprobe_handler = (void *)ks_kallsyms("kprobe_ftrace_handler");
	ks_bpf_ops_func = (void *)ks_kallsyms("bpf_tramp_ftrace_ops_func");
	*(unsigned long *)&ks_find_direct = ks_kallsyms("ftrace_find_rec_direct");
	*(unsigned long *)&ks_get_kprobe_at = ks_kallsyms("get_kprobe");
	ks_coexist_ready = true;
	return 0;
}

/* Is @ops the engine's own (its handler lives in ksplice.ko)? */
static bool ks_own_ops(const struct ftrace_ops *ops)
{
	return within_module((unsigned long)ops->func, THIS_MODULE);
}

/* The name of the module holding @addr, or "" (vmlinux, unknown). */
static void ks_owner_module(unsigned long addr, char *buf, size_t len)
{
	struct module *mod = NULL;

	buf[0] = '\0';
	if (!ks_module_address || !addr)
		return;
	preempt_disable();
	mod = ks_module_address(addr);
	if (mod)
		strscpy(buf, mod->name, len);
	preempt_enable();
}

/* Called with preemption off: the hashes go away after a grace period. */
static bool ks_ops_traces(struct ftrace_ops *ops, unsigned long ip)
{
	struct ftrace_ops_hash *h = ops->func_hash;

	return h && h->filter_hash && ks_ftrace_lookup_ip(h->filter_hash, ip) &&
	       !(h->notrace_hash && ks_ftrace_lookup_ip(h->notrace_hash, ip));
}

enum ks_redirector { KS_RD_NONE, KS_RD_LIVEPATCH, KS_RD_KPROBE, KS_RD_BPF,
		     KS_RD_DIRECT, KS_RD_OTHER };

struct ks_found {
	enum ks_redirector kind;
	unsigned long handler;	/* what to name, with %ps */
};

/*
 * Under ftrace_lock: the first foreign ftrace user that may send a call
 * at @ip elsewhere.  A BPF trampoline whose programs are all fentry/fexit
 * is not one: it returns into the function, or calls it, past the fentry
 * call, which is through our jmp.  With fmod_ret programs it may skip the
 * function altogether.
 */
static struct ks_found ks_find_redirector(unsigned long ip)
{
	struct ks_found found = { KS_RD_NONE, 0 };
	struct ftrace_ops *ops;

	mutex_lock(ks_ftrace_lock);
	preempt_disable();
	for (ops = *ks_ftrace_ops_list; ops && ops != ks_ftrace_list_end &&
	     found.kind == KS_RD_NONE; ops = ops->next) {
		bool bpf = ks_bpf_ops_func &&
			   (void *)ops->ops_func == ks_bpf_ops_func;

		if (!(ops->flags & FTRACE_OPS_FL_ENABLED) || ks_own_ops(ops) ||
		    !(ops->flags & (FTRACE_OPS_FL_IPMODIFY |
				    FTRACE_OPS_FL_DIRECT)) ||
		    !ks_ops_traces(ops, ip))
			continue;
		found.handler = (unsigned long)ops->func;
		if (bpf) {
			struct bpf_trampoline *tr = ops->private;

			if (!(ops->flags & FTRACE_OPS_FL_IPMODIFY) && tr &&
			    tr->fops == ops &&
			    !READ_ONCE(tr->progs_cnt[BPF_TRAMP_MODIFY_RETURN]))
				continue;
			found.kind = KS_RD_BPF;
			found.handler = ks_find_direct ? ks_find_direct(ip) : 0;
		} else if (ks_klp_handler && (void *)ops->func == ks_klp_handler) {
			found.kind = KS_RD_LIVEPATCH;
		} else if (ks_kprobe_handler &&
			   (void *)ops->func == ks_kprobe_handler) {
			found.kind = KS_RD_KPROBE;
		} else if (!(ops->flags & FTRACE_OPS_FL_IPMODIFY)) {
			found.kind = KS_RD_DIRECT;
			if (ks_find_direct)
				found.handler = ks_find_direct(ip);
		} else {
			found.kind = KS_RD_OTHER;
		}
	}
	preempt_enable();
	mutex_unlock(ks_ftrace_lock);
	return found;
}

/* The module of the livepatch that replaces the function at @addr. */
static void ks_livepatch_module(unsigned long addr, char *buf, size_t len)
{
	struct klp_patch *patch;
	struct klp_object *obj;
	struct klp_func *func;

	buf[0] = '\0';
	if (!ks_klp_mutex || !ks_klp_patches)
		return;
	mutex_lock(ks_klp_mutex);
	list_for_each_entry(patch, ks_klp_patches, list) {
		klp_for_each_object(patch, obj) {
			klp_for_each_func(obj, func) {
				if ((unsigned long)func->old_func != addr ||
				    !patch->mod)
					continue;
				strscpy(buf, patch->mod->name, len);
				goto out;
			}
		}
	}
out:
	mutex_unlock(ks_klp_mutex);
}

/* The handler of a kprobe at @addr that has a post handler (IPMODIFY). */
static unsigned long ks_kprobe_owner(unsigned long addr)
{
	unsigned long handler = 0;
	struct kprobe *p, *c;

	if (!ks_get_kprobe_at)
		return 0;
	preempt_disable();	/* kprobes are freed after a grace period */
	p = ks_get_kprobe_at((void *)addr);
	if (p && list_empty(&p->list)) {
		if (p->post_handler && !kprobe_disabled(p))
			handler = (unsigned long)p->post_handler;
	} else if (p) {		/* an aggregate: its probes are on p->list */
		list_for_each_entry_rcu(c, &p->list, list) {
			if (c->post_handler && !kprobe_disabled(c)) {
				handler = (unsigned long)c->post_handler;
				break;
			}
		}
	}
	preempt_enable();
	return handler;
}

int ks_check_redirectors(struct ks_update *ku, struct ks_func *kf)
{
	const char *name = kf->f->name;
	unsigned long ip = kf->old_addr;
	char mod[MODULE_NAME_LEN];
	struct ks_found found;

	if (!ks_has_fentry(ip))
		return 0;	/* no fentry call: ftrace cannot act there */
	if (ks_coexist_resolve())
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "cannot tell whether %s is redirected by livepatch, a kprobe or BPF: ftrace internals not found in this kernel",
			       name);
	found = ks_find_redirector(ip);
	switch (found.kind) {
	case KS_RD_NONE:
		return 0;
	case KS_RD_LIVEPATCH:
		ks_livepatch_module(ip, mod, sizeof(mod));
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is already redirected by livepatch (module %s); ksplice and livepatch cannot both patch it",
			       name, mod[0] ? mod : "unknown");
	case KS_RD_KPROBE:
		found.handler = ks_kprobe_owner(ip);
		ks_owner_module(found.handler, mod, sizeof(mod));
		if (mod[0])
			return ks_fail(ku, KS_NOT_PATCHABLE,
				       "%s is already redirected by a kprobe that may change the IP (kprobe module %s); remove it first",
				       name, mod);
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is already redirected by a kprobe that may change the IP (post handler %ps); remove it first",
			       name, (void *)found.handler);
	case KS_RD_BPF:
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is already redirected by a BPF trampoline with fmod_ret programs (%ps); detach them first",
			       name, (void *)found.handler);
	case KS_RD_DIRECT:
	case KS_RD_OTHER:	/* %ps adds " [module]" for a module's code */
		return ks_fail(ku, KS_NOT_PATCHABLE,
			       "%s is already redirected by %s (%ps); remove it first",
			       name, found.kind == KS_RD_DIRECT ?
			       "a direct-call trampoline" :
			       "an ftrace user that may change the IP",
			       (void *)found.handler);
	}
	return 0;
}

/*
 * After the fact: who, if anyone, now sends @kf's calls elsewhere before
 * they reach our jmp (a livepatch enabled after the update, say).  Writes
 * "<kind> <owner>" to @buf; returns false when nobody does, or nobody can
 * be told.  Leaves the update's abort record alone.
 */
bool ks_bypassed_by(const struct ks_func *kf, char *buf, size_t len)
{
	unsigned long ip = kf->old_addr;
	char mod[MODULE_NAME_LEN] = "";
	struct ks_found found;

	if (!ks_has_fentry(ip) || ks_coexist_resolve())
		return false;
	found = ks_find_redirector(ip);
	switch (found.kind) {
	case KS_RD_NONE:
		return false;
	case KS_RD_LIVEPATCH:
		ks_livepatch_module(ip, mod, sizeof(mod));
		snprintf(buf, len, "livepatch %s", mod[0] ? mod : "unknown");
		break;
	case KS_RD_KPROBE:
		ks_owner_module(ks_kprobe_owner(ip), mod, sizeof(mod));
		snprintf(buf, len, "kprobe %s", mod[0] ? mod : "vmlinux");
		break;
	case KS_RD_BPF:
		snprintf(buf, len, "bpf %ps", (void *)found.handler);
		break;
	case KS_RD_DIRECT:
	case KS_RD_OTHER:
		snprintf(buf, len, "%s %ps", found.kind == KS_RD_DIRECT ?
			 "direct" : "ftrace", (void *)found.handler);
		break;
	}
	return true;
}
