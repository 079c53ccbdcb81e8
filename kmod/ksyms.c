// SPDX-License-Identifier: GPL-2.0
/*
 * Symbols of the running kernel.  Most of what the engine needs is not
 * exported, so everything goes through kallsyms, whose own lookup we find
 * with a kprobe (it reports the probed address without arming anything).
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>
#include "internal.h"

static unsigned long (*ks_lookup_name)(const char *name);
static int (*ks_each_match)(int (*fn)(void *, unsigned long),
			    const char *name, void *data);
static int (*ks_mod_each)(int (*fn)(void *, const char *, struct module *,
				    unsigned long), void *data);
static int (*ks_size_offset)(unsigned long addr, unsigned long *size,
			     unsigned long *offset);
static unsigned long (*ks_ftrace_location)(unsigned long ip);
static struct kprobe *(*ks_get_kprobe)(void *addr);

void *(*ks_text_poke)(void *addr, const void *opcode, size_t len);
struct mutex *ks_text_mutex;
int (*ks_stop_machine_cpuslocked)(cpu_stop_fn_t fn, void *data,
				  const struct cpumask *cpus);
struct task_struct *(*ks_idle_task)(int cpu);

/* Text that must never be patched: entry code, noinstr, init. */
static const struct {
	const char *start, *end, *what;
} ks_forbidden[] = {
	{ "__entry_text_start", "__entry_text_end", "entry text" },
	{ "__noinstr_text_start", "__noinstr_text_end", "noinstr text" },
	{ "__irqentry_text_start", "__irqentry_text_end", "irq entry text" },
	{ "__softirqentry_text_start", "__softirqentry_text_end",
	  "softirq entry text" },
	{ "_sinittext", "_einittext", "init text" },
	{ "__kprobes_text_start", "__kprobes_text_end", "kprobes text" },
};
static unsigned long ks_forbidden_addr[ARRAY_SIZE(ks_forbidden)][2];

static int ks_find_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret = register_kprobe(&kp);

	if (ret < 0)
		return ret;
	ks_lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return ks_lookup_name ? 0 : -ENOENT;
}

#define KS_RESOLVE(var, name) do {					\
	*(unsigned long *)&(var) = ks_lookup_name(name);		\
	if (!(var)) {							\
		pr_err("ksplice: cannot find %s in this kernel\n", name); \
		return -ENOENT;						\
	}								\
} while (0)

int ks_ksyms_init(void)
{
	unsigned int i;
	int ret = ks_find_lookup_name();

	if (ret) {
		pr_err("ksplice: cannot find kallsyms_lookup_name (%d)\n", ret);
		return ret;
	}
	KS_RESOLVE(ks_each_match, "kallsyms_on_each_match_symbol");
	KS_RESOLVE(ks_mod_each, "module_kallsyms_on_each_symbol");
	KS_RESOLVE(ks_size_offset, "kallsyms_lookup_size_offset");
	KS_RESOLVE(ks_ftrace_location, "ftrace_location");
	KS_RESOLVE(ks_get_kprobe, "get_kprobe");
	KS_RESOLVE(ks_text_poke, "text_poke");
	KS_RESOLVE(ks_text_mutex, "text_mutex");
	KS_RESOLVE(ks_stop_machine_cpuslocked, "stop_machine_cpuslocked");
	/* Optional: without it idle tasks are not scanned (they run no
	 * patchable code while a CPU is stopped). */
	*(unsigned long *)&ks_idle_task = ks_lookup_name("idle_task");
	for (i = 0; i < ARRAY_SIZE(ks_forbidden); i++) {
		ks_forbidden_addr[i][0] = ks_lookup_name(ks_forbidden[i].start);
		ks_forbidden_addr[i][1] = ks_lookup_name(ks_forbidden[i].end);
	}
	return 0;
}

struct ks_match {
	const char *name;
	const char *object;
	unsigned int want;	/* sympos; 0: must be unique */
	unsigned int count;
	unsigned long addr;
	struct module *mod;
	bool mod_seen;
	bool mod_going;
	bool get_ref;
	bool ref_failed;
};

static int ks_vmlinux_cb(void *data, unsigned long addr)
{
	struct ks_match *m = data;

	m->count++;
	if (m->count == 1 || m->count == m->want)
		m->addr = addr;
	return 0;
}

/* Called with module_mutex held: @mod cannot go away under us. */
static int ks_module_cb(void *data, const char *name, struct module *mod,
			unsigned long addr)
{
	struct ks_match *m = data;

	if (strcmp(mod->name, m->object))
		return 0;
	m->mod_seen = true;
	if (mod->state == MODULE_STATE_GOING ||
	    mod->state == MODULE_STATE_COMING)
		m->mod_going = true;
	if (strcmp(name, m->name))
		return 0;
	m->count++;
	if (m->count == 1 || m->count == m->want) {
		m->addr = addr;
		m->mod = mod;
	}
	return 0;
}

/*
 * Find @name in @object ("vmlinux" or a module name).  With @mod non-NULL
 * and a module object, take a reference on the module and return it.
 */
int ks_lookup(struct ks_update *ku, const char *name, const char *object,
	      unsigned int sympos, unsigned long *addr, struct module **mod)
{
	struct ks_match m = { .name = name, .object = object, .want = sympos };
	bool vmlinux = !object || !strcmp(object, "vmlinux");

	if (vmlinux)
		ks_each_match(ks_vmlinux_cb, name, &m);
	else
		ks_mod_each(ks_module_cb, &m);

	if (!vmlinux && !m.mod_seen)
		return ks_fail(ku, KS_TARGET_NOT_LOADED,
			       "module %s is not loaded (needed for %s)",
			       object, name);
	if (!vmlinux && m.mod_going)
		return ks_fail(ku, KS_MODULE_BUSY,
			       "module %s is being loaded or removed", object);
	if (m.count == 0 || m.want > m.count)
		return ks_fail(ku, KS_SYMBOL_MISSING,
			       "symbol %s not found in %s", name,
			       vmlinux ? "vmlinux" : object);
	if (!m.want && m.count > 1)
		return ks_fail(ku, KS_AMBIGUOUS,
			       "%u symbols named %s in %s; the update must say which",
			       m.count, name, vmlinux ? "vmlinux" : object);
	if (mod && !vmlinux) {
		/* The module may have started to go away since the walk. */
		if (!try_module_get(m.mod))
			return ks_fail(ku, KS_MODULE_BUSY,
				       "module %s is being removed", object);
		*mod = m.mod;
	} else if (mod) {
		*mod = NULL;
	}
	*addr = m.addr;
	return 0;
}

bool ks_symbol_size(unsigned long addr, unsigned long *size,
		    unsigned long *offset)
{
	return ks_size_offset(addr, size, offset) != 0;
}

bool ks_has_fentry(unsigned long addr)
{
	return ks_ftrace_location(addr) == addr;
}

/*
 * Is a kprobe armed on any byte that a jmp at @site would overwrite, or on
 * an instruction (up to an optprobe's 5 bytes) that overlaps them?
 */
bool ks_kprobe_near(unsigned long site, unsigned int len)
{
	unsigned long a;
	bool found = false;

	preempt_disable();	/* get_kprobe() walks an RCU hash list */
	for (a = site - (KS_JMP32_LEN - 1); a < site + len && !found; a++)
		found = ks_get_kprobe((void *)a) != NULL;
	preempt_enable();
	return found;
}

bool ks_forbidden_text(unsigned long addr, const char **what)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ks_forbidden); i++) {
		unsigned long s = ks_forbidden_addr[i][0];
		unsigned long e = ks_forbidden_addr[i][1];

		if (s && e && addr >= s && addr < e) {
			*what = ks_forbidden[i].what;
			return true;
		}
	}
	return false;
}
