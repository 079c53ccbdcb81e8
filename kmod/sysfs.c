// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/ksplice/<id>/: state of each update, and `stage` drives it. */
#include <linux/kallsyms.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "internal.h"

static struct kset *ks_kset;

#define to_ku(k) container_of(k, struct ks_update, kobj)

static const char *const ks_stage_names[] = {
	[KS_LOADED] = "loaded",
	[KS_APPLIED] = "applied",
	[KS_REVERSED] = "reversed",
	[KS_PENDING] = "pending",
};

static ssize_t stage_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", ks_stage_names[to_ku(k)->stage]);
}

static ssize_t stage_store(struct kobject *k, struct kobj_attribute *a,
			   const char *buf, size_t count)
{
	struct ks_update *ku = to_ku(k);
	int ret;

	if (!sysfs_streq(buf, "applied") && !sysfs_streq(buf, "reversed") &&
	    !sysfs_streq(buf, "dry-run") && !sysfs_streq(buf, "pending"))
		return -EINVAL;
	ret = mutex_lock_interruptible(&ks_mutex);
	if (ret)
		return ret;
	if (ku->gone)
		ret = -ENODEV;
	else if (ku->in_progress)
		ret = -EBUSY;	/* its own apply or undo is between tries */
	else if (sysfs_streq(buf, "applied"))
		ret = ks_apply(ku, false);
	else if (sysfs_streq(buf, "dry-run"))
		ret = ks_apply(ku, true);
	else if (sysfs_streq(buf, "pending"))
		ret = ks_pending(ku);
	else
		ret = ks_undo(ku);
	mutex_unlock(&ks_mutex);
	return ret ? ret : count;
}

/* Read-only attributes read under ks_mutex, so never a torn state. */
#define KS_SHOW(name, fmt, ...)						\
static ssize_t name##_show(struct kobject *k, struct kobj_attribute *a,	\
			   char *buf)					\
{									\
	struct ks_update *ku = to_ku(k);				\
	ssize_t n;							\
									\
	mutex_lock(&ks_mutex);						\
	n = sysfs_emit(buf, fmt, __VA_ARGS__);				\
	mutex_unlock(&ks_mutex);					\
	return n;							\
}

KS_SHOW(abort_cause, "%s\n", ks_cause_name(ku->cause))
KS_SHOW(abort_reason, "%s\n", ku->reason)
KS_SHOW(tries, "%u\n", ku->tries)
KS_SHOW(max_tries, "%u\n", ku->max_tries)
KS_SHOW(retry_delay_ms, "%u\n", ku->retry_delay_ms)
KS_SHOW(description, "%s\n", ku->u->description ? ku->u->description : "")
KS_SHOW(sequence, "%llu\n", ku->sequence)
KS_SHOW(stage_time, "%lld\n", (long long)ku->stage_time)
KS_SHOW(scan_ns, "%llu\n", ku->scan_ns)
KS_SHOW(scan_tasks, "%u\n", ku->scan_tasks)
KS_SHOW(write_ns, "%llu\n", ku->write_ns)
KS_SHOW(cumulative, "%d\n", ks_replaces(ku))
KS_SHOW(replaced_by, "%s\n", ku->replaced_by)

/* A cumulative update not applied: the updates it would replace now. */
static ssize_t replaces_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	struct ks_update *ku = to_ku(k), *o;
	ssize_t n = 0;

	mutex_lock(&ks_mutex);
	if (ks_replaces(ku) && ku->stage != KS_APPLIED)
		list_for_each_entry(o, &ks_updates, list)
			if (o != ku && o->stage == KS_APPLIED)
				n += sysfs_emit_at(buf, n, "%s\n", o->u->id);
	mutex_unlock(&ks_mutex);
	return n;
}

static ssize_t conflicts_show(struct kobject *k, struct kobj_attribute *a,
			      char *buf)
{
	struct ks_update *ku = to_ku(k);
	unsigned int i;
	ssize_t n = 0;

	mutex_lock(&ks_mutex);
	for (i = 0; i < ku->nr_conflicts; i++)
		n += sysfs_emit_at(buf, n, "%s %d %pBb\n",
				   ku->conflicts[i].comm, ku->conflicts[i].pid,
				   (void *)ku->conflicts[i].addr);
	mutex_unlock(&ks_mutex);
	return n;
}

static ssize_t functions_show(struct kobject *k, struct kobj_attribute *a,
			      char *buf)
{
	struct ks_update *ku = to_ku(k);
	unsigned int i;
	ssize_t n = 0;

	mutex_lock(&ks_mutex);
	for (i = 0; i < ku->u->nr_funcs; i++) {
		const struct ks_func *kf = &ku->funcs[i];

		n += sysfs_emit_at(buf, n, "%s %s 0x%lx 0x%lx %s\n",
				   kf->f->name,
				   kf->f->object ? kf->f->object : "vmlinux",
				   kf->old_addr, (unsigned long)kf->f->new_code,
				   kf->via == KS_VIA_FTRACE ? "ftrace" : "jmp");
	}
	mutex_unlock(&ks_mutex);
	return n;
}

/* While pending: the modules it waits for, one a line. */
static ssize_t waiting_for_show(struct kobject *k, struct kobj_attribute *a,
				char *buf)
{
	ssize_t n;

	mutex_lock(&ks_mutex);
	n = ks_waiting_for(to_ku(k), buf);
	mutex_unlock(&ks_mutex);
	return n;
}

/*
 * One line per applied function whose calls another ftrace user now
 * sends elsewhere before our jmp: "<name> <kind> <owner>".  Empty when
 * every call reaches the update.
 */
static ssize_t bypassed_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	struct ks_update *ku = to_ku(k);
	char who[MODULE_NAME_LEN + KSYM_SYMBOL_LEN];
	unsigned int i;
	ssize_t n = 0;

	mutex_lock(&ks_mutex);
	for (i = 0; ku->stage == KS_APPLIED && i < ku->u->nr_funcs; i++)
		if (ks_bypassed_by(&ku->funcs[i], who, sizeof(who)))
			n += sysfs_emit_at(buf, n, "%s %s\n",
					   ku->funcs[i].f->name, who);
	mutex_unlock(&ks_mutex);
	return n;
}

static ssize_t pause_ns_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	struct ks_update *ku = to_ku(k);
	unsigned int n_att;
	ssize_t n;

	mutex_lock(&ks_mutex);
	n_att = min_t(unsigned int, ku->tries, KS_MAX_ATTEMPTS);
	n = sysfs_emit(buf, "%llu\n", n_att ? ku->pause_ns[n_att - 1] : 0ULL);
	mutex_unlock(&ks_mutex);
	return n;
}

/* The pause of every attempt, in order: one array of one type. */
static ssize_t attempts_ns_show(struct kobject *k, struct kobj_attribute *a,
				char *buf)
{
	struct ks_update *ku = to_ku(k);
	unsigned int i, n_att;
	ssize_t n = 0;

	mutex_lock(&ks_mutex);
	n_att = min_t(unsigned int, ku->tries, KS_MAX_ATTEMPTS);
	for (i = 0; i < n_att; i++)
		n += sysfs_emit_at(buf, n, "%s%llu", i ? " " : "",
				   ku->pause_ns[i]);
	n += sysfs_emit_at(buf, n, "\n");
	mutex_unlock(&ks_mutex);
	return n;
}

static int ks_store_uint(struct ks_update *ku, unsigned int *field,
			 const char *buf, unsigned int lo, unsigned int hi)
{
	unsigned int v;
	int ret = kstrtouint(buf, 10, &v);

	if (ret)
		return ret;
	if (v < lo || v > hi)
		return -ERANGE;
	mutex_lock(&ks_mutex);
	*field = v;
	mutex_unlock(&ks_mutex);
	return 0;
}

static ssize_t max_tries_store(struct kobject *k, struct kobj_attribute *a,
			       const char *buf, size_t count)
{
	struct ks_update *ku = to_ku(k);
	int ret = ks_store_uint(ku, &ku->max_tries, buf, 1, 1000);

	return ret ? ret : count;
}

static ssize_t retry_delay_ms_store(struct kobject *k,
				    struct kobj_attribute *a,
				    const char *buf, size_t count)
{
	struct ks_update *ku = to_ku(k);
	int ret = ks_store_uint(ku, &ku->retry_delay_ms, buf, 0, 60000);

	return ret ? ret : count;
}

static struct kobj_attribute ks_attr_stage = __ATTR(stage, 0644, stage_show,
						    stage_store);
static struct kobj_attribute ks_attr_max_tries = __ATTR_RW(max_tries);
static struct kobj_attribute ks_attr_retry_delay_ms = __ATTR_RW(retry_delay_ms);
static struct kobj_attribute ks_attr_abort_cause = __ATTR_RO(abort_cause);
/* They print kernel addresses (the reason's messages too): root only. */
static struct kobj_attribute ks_attr_abort_reason =
	__ATTR_RO_MODE(abort_reason, 0400);
static struct kobj_attribute ks_attr_conflicts =
	__ATTR_RO_MODE(conflicts, 0400);
static struct kobj_attribute ks_attr_functions =
	__ATTR_RO_MODE(functions, 0400);
static struct kobj_attribute ks_attr_pause_ns = __ATTR_RO(pause_ns);
static struct kobj_attribute ks_attr_attempts_ns = __ATTR_RO(attempts_ns);
static struct kobj_attribute ks_attr_scan_ns = __ATTR_RO(scan_ns);
static struct kobj_attribute ks_attr_scan_tasks = __ATTR_RO(scan_tasks);
static struct kobj_attribute ks_attr_bypassed = __ATTR(bypassed, 0400, bypassed_show, NULL);
static struct kobj_attribute ks_attr_write_ns = __ATTR_RO(write_ns);
static struct kobj_attribute ks_attr_waiting_for = __ATTR_RO(waiting_for);
static struct kobj_attribute ks_attr_tries = __ATTR_RO(tries);
static struct kobj_attribute ks_attr_description = __ATTR_RO(description);
static struct kobj_attribute ks_attr_sequence = __ATTR_RO(sequence);
static struct kobj_attribute ks_attr_stage_time = __ATTR_RO(stage_time);
static struct kobj_attribute ks_attr_cumulative = __ATTR_RO(cumulative);
static struct kobj_attribute ks_attr_replaced_by = __ATTR_RO(replaced_by);
static struct kobj_attribute ks_attr_replaces = __ATTR_RO(replaces);

static struct attribute *ks_attrs[] = {
	&ks_attr_stage.attr,
	&ks_attr_max_tries.attr,
	&ks_attr_retry_delay_ms.attr,
	&ks_attr_abort_cause.attr,
	&ks_attr_abort_reason.attr,
	&ks_attr_conflicts.attr,
	&ks_attr_functions.attr,
	&ks_attr_pause_ns.attr,
	&ks_attr_attempts_ns.attr,
	&ks_attr_scan_ns.attr,
	&ks_attr_scan_tasks.attr,
	&ks_attr_bypassed.attr,
	&ks_attr_write_ns.attr,
	&ks_attr_waiting_for.attr,
	&ks_attr_tries.attr,
	&ks_attr_description.attr,
	&ks_attr_sequence.attr,
	&ks_attr_stage_time.attr,
	&ks_attr_cumulative.attr,
	&ks_attr_replaced_by.attr,
	&ks_attr_replaces.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ks);

static void ks_release(struct kobject *k)
{
	ks_free_update(to_ku(k));
}

static struct kobj_type ks_ktype = {
	.release = ks_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = ks_groups,
};

int ks_sysfs_add(struct ks_update *ku)
{
	int ret;

	ku->kobj.kset = ks_kset;
	ret = kobject_init_and_add(&ku->kobj, &ks_ktype, NULL, "%s", ku->u->id);
	if (ret) {
		kobject_put(&ku->kobj);		/* frees ku */
		return ret;
	}
	kobject_uevent(&ku->kobj, KOBJ_ADD);
	return 0;
}

void ks_sysfs_del(struct ks_update *ku)
{
	kobject_del(&ku->kobj);		/* waits for readers and writers */
	kobject_put(&ku->kobj);
}

int ks_sysfs_init(void)
{
	ks_kset = kset_create_and_add("ksplice", NULL, kernel_kobj);
	return ks_kset ? 0 : -ENOMEM;
}

void ks_sysfs_exit(void)
{
	kset_unregister(ks_kset);
}
