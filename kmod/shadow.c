// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow variables (see <ksplice/shadow.h>): a hash table of (object, id)
 * -> data, under one spinlock, so that update code may use them anywhere,
 * even in atomic context with GFP_ATOMIC.  Each variable records the
 * module whose code allocated it (the update module, found from the
 * caller's address); ks_shadow_free_owner() frees what an update leaves
 * when it is undone or unloaded, so that nothing outlives the code that
 * knows the layout of the data.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ksplice/shadow.h>
#include "internal.h"

struct ks_shadow {
	struct hlist_node node;
	struct rcu_head rcu;
	void *obj;
	unsigned long id;
	struct module *owner;	/* NULL: not allocated by a module */
	char data[];
};

static DEFINE_HASHTABLE(ks_shadow_hash, 12);
static DEFINE_SPINLOCK(ks_shadow_lock);
static unsigned long ks_shadow_nr;

/* How many shadow variables exist: /sys/module/ksplice/parameters/shadow */
static int ks_shadow_count_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu\n", READ_ONCE(ks_shadow_nr));
}

static const struct kernel_param_ops ks_shadow_count_ops = {
	.get = ks_shadow_count_get,
};
module_param_cb(shadow, &ks_shadow_count_ops, NULL, 0444);
MODULE_PARM_DESC(shadow, "shadow variables in existence (read-only)");

static struct ks_shadow *ks_shadow_find(void *obj, unsigned long id)
{
	struct ks_shadow *s;

	hash_for_each_possible_rcu(ks_shadow_hash, s, node, (unsigned long)obj,
				   lockdep_is_held(&ks_shadow_lock))
		if (s->obj == obj && s->id == id)
			return s;
	return NULL;
}

void *ksplice_shadow_get(void *obj, unsigned long id)
{
	struct ks_shadow *s;
	void *data = NULL;

	rcu_read_lock();
	s = ks_shadow_find(obj, id);
	if (s)
		data = s->data;
	rcu_read_unlock();
	return data;
}
EXPORT_SYMBOL_GPL(ksplice_shadow_get);

static struct module *ks_caller_module(unsigned long addr)
{
	struct module *mod;

	if (!ks_module_address)
		return NULL;
	preempt_disable();
	mod = ks_module_address(addr);
	preempt_enable();
	return mod;
}

static void *ks_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				    gfp_t gfp, ksplice_shadow_ctor_t ctor,
				    void *ctor_data, bool warn_exist,
				    unsigned long caller)
{
	struct ks_shadow *s, *new;
	unsigned long flags;
	void *data;

	data = ksplice_shadow_get(obj, id);
	if (data)
		goto exists;
	/* allocated outside the lock: gfp may sleep */
	new = kzalloc(struct_size(new, data, size), gfp);
	if (!new)
		return NULL;
	spin_lock_irqsave(&ks_shadow_lock, flags);
	s = ks_shadow_find(obj, id);
	if (s) {
		/* another CPU was first */
		spin_unlock_irqrestore(&ks_shadow_lock, flags);
		kfree(new);
		data = s->data;
		goto exists;
	}
	new->obj = obj;
	new->id = id;
	new->owner = ks_caller_module(caller);
	if (ctor && ctor(obj, new->data, ctor_data)) {
		spin_unlock_irqrestore(&ks_shadow_lock, flags);
		kfree(new);
		return NULL;
	}
	hash_add_rcu(ks_shadow_hash, &new->node, (unsigned long)obj);
	ks_shadow_nr++;
	spin_unlock_irqrestore(&ks_shadow_lock, flags);
	return new->data;
exists:
	if (warn_exist) {
		WARN(1, "ksplice: shadow variable <%px, %lx> already exists\n",
		     obj, id);
		return NULL;
	}
	return data;
}

void *ksplice_shadow_alloc(void *obj, unsigned long id, size_t size,
			   gfp_t gfp, ksplice_shadow_ctor_t ctor,
			   void *ctor_data)
{
	return ks_shadow_get_or_alloc(obj, id, size, gfp, ctor, ctor_data,
				      true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ksplice_shadow_alloc);

void *ksplice_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				  gfp_t gfp, ksplice_shadow_ctor_t ctor,
				  void *ctor_data)
{
	return ks_shadow_get_or_alloc(obj, id, size, gfp, ctor, ctor_data,
				      false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ksplice_shadow_get_or_alloc);

/* Called with ks_shadow_lock held. */
static void ks_shadow_del(struct ks_shadow *s, ksplice_shadow_dtor_t dtor)
{
	hash_del_rcu(&s->node);
	ks_shadow_nr--;
	if (dtor)
		dtor(s->obj, s->data);
	/* a reader may still hold s->data from ksplice_shadow_get() */
	kfree_rcu(s, rcu);
}

void ksplice_shadow_free(void *obj, unsigned long id,
			 ksplice_shadow_dtor_t dtor)
{
	struct ks_shadow *s;
	unsigned long flags;

	spin_lock_irqsave(&ks_shadow_lock, flags);
	s = ks_shadow_find(obj, id);
	if (s)
		ks_shadow_del(s, dtor);
	spin_unlock_irqrestore(&ks_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(ksplice_shadow_free);

void ksplice_shadow_free_all(unsigned long id, ksplice_shadow_dtor_t dtor)
{
	struct ks_shadow *s;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&ks_shadow_lock, flags);
	hash_for_each_safe(ks_shadow_hash, bkt, tmp, s, node)
		if (s->id == id)
			ks_shadow_del(s, dtor);
	spin_unlock_irqrestore(&ks_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(ksplice_shadow_free_all);

/*
 * Free what @owner's code allocated and did not free.  No destructor: the
 * update's own post-undo hook had its chance (ksplice_shadow_free_all()).
 * Returns how many were freed.
 */
unsigned long ks_shadow_free_owner(struct module *owner)
{
	struct ks_shadow *s;
	struct hlist_node *tmp;
	unsigned long flags, n = 0;
	int bkt;

	if (!owner)
		return 0;
	spin_lock_irqsave(&ks_shadow_lock, flags);
	hash_for_each_safe(ks_shadow_hash, bkt, tmp, s, node) {
		if (s->owner == owner) {
			ks_shadow_del(s, NULL);
			n++;
		}
	}
	spin_unlock_irqrestore(&ks_shadow_lock, flags);
	return n;
}

/*
 * A cumulative update took the place of @from: its code carries @from's
 * fixes and uses the same variables, which must outlive @from's module.
 */
unsigned long ks_shadow_transfer(struct module *from, struct module *to)
{
	struct ks_shadow *s;
	unsigned long flags, n = 0;
	int bkt;

	if (!from)
		return 0;
	spin_lock_irqsave(&ks_shadow_lock, flags);
	hash_for_each(ks_shadow_hash, bkt, s, node) {
		if (s->owner == from) {
			s->owner = to;
			n++;
		}
	}
	spin_unlock_irqrestore(&ks_shadow_lock, flags);
	return n;
}

/* At ksplice.ko's exit no update module is left, and so no owner. */
void ks_shadow_exit(void)
{
	struct ks_shadow *s;
	struct hlist_node *tmp;
	int bkt;

	spin_lock_irq(&ks_shadow_lock);
	hash_for_each_safe(ks_shadow_hash, bkt, tmp, s, node)
		ks_shadow_del(s, NULL);
	spin_unlock_irq(&ks_shadow_lock);
	rcu_barrier();
}
