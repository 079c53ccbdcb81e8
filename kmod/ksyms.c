// SPDX-License-Identifier: GPL-2.0
/*
 * Symbols of the running kernel.  Most of what the engine needs is not
 * exported, so everything goes through kallsyms, whose own lookup we find
 * with a kprobe (it reports the probed address without arming anything).
 */
#include <linux/ftrace.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include <linux/static_call.h>
#include <linux/string.h>
#include <asm/alternative.h>
#include <asm/text-patching.h>
#include "internal.h"

/*
 * Each pointer has the type the kernel's own header gives the symbol, so
 * that a prototype changed upstream breaks the build, not the machine.
 */
static typeof(&kallsyms_lookup_name) ks_lookup_name;
static typeof(&kallsyms_on_each_match_symbol) ks_each_match;
static typeof(&module_kallsyms_on_each_symbol) ks_mod_each;
static typeof(&kallsyms_lookup_size_offset) ks_size_offset;
static typeof(&ftrace_location) ks_ftrace_location;
static typeof(&get_kprobe) ks_get_kprobe;
typeof(&jump_label_text_reserved) ks_jump_label_reserved;
static typeof(&static_call_text_reserved) ks_static_call_reserved;
static typeof(&alternatives_text_reserved) ks_alternatives_reserved;

typeof(&text_poke) ks_text_poke;
typeof(&text_mutex) ks_text_mutex;
typeof(&stop_machine_cpuslocked) ks_stop_machine_cpuslocked;
typeof(&idle_task) ks_idle_task;
typeof(&jump_label_lock) ks_jump_label_lock;
typeof(&jump_label_unlock) ks_jump_label_unlock;
typeof(&__module_address) ks_module_address;
typeof(&put_task_stack) ks_put_task_stack;
struct mutex *ks_kprobe_mutex;		/* static in kprobes.c */
struct srcu_struct *ks_tasks_exit_srcu;	/* static in rcu/tasks.h */

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
	{ "__cpuidle_text_start", "__cpuidle_text_end", "cpuidle text" },
};
static unsigned long ks_forbidden_addr[ARRAY_SIZE(ks_forbidden)][2];

static int ks_find_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret = register_kprobe(&kp);

	if (ret < 0)
		return ret;
	BUILD_BUG_ON(!__same_type(ks_lookup_name, &kallsyms_lookup_name));
	ks_lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return ks_lookup_name ? 0 : -ENOENT;
}

/* @sym is the kernel's declaration: the types must agree. */
#define KS_RESOLVE(var, sym) do {					\
	BUILD_BUG_ON(!__same_type(var, &(sym)));			\
	*(unsigned long *)&(var) = ks_lookup_name(#sym);		\
	if (!(var)) {							\
		pr_err("ksplice: cannot find %s in this kernel\n", #sym); \
		return -ENOENT;						\
	}								\
} while (0)

/* A static: no declaration to check the type against. */
#define KS_RESOLVE_STATIC(var, name) do {				\
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
	KS_RESOLVE(ks_each_match, kallsyms_on_each_match_symbol);
	KS_RESOLVE(ks_mod_each, module_kallsyms_on_each_symbol);
	KS_RESOLVE(ks_size_offset, kallsyms_lookup_size_offset);
	KS_RESOLVE(ks_ftrace_location, ftrace_location);
	KS_RESOLVE(ks_get_kprobe, get_kprobe);
	KS_RESOLVE(ks_text_poke, text_poke);
	KS_RESOLVE(ks_text_mutex, text_mutex);
	KS_RESOLVE(ks_stop_machine_cpuslocked, stop_machine_cpuslocked);
	KS_RESOLVE(ks_jump_label_reserved, jump_label_text_reserved);
	KS_RESOLVE(ks_static_call_reserved, static_call_text_reserved);
	KS_RESOLVE(ks_alternatives_reserved, alternatives_text_reserved);
	KS_RESOLVE(ks_jump_label_lock, jump_label_lock);
	KS_RESOLVE(ks_jump_label_unlock, jump_label_unlock);
	KS_RESOLVE(ks_module_address, __module_address);
	KS_RESOLVE(ks_put_task_stack, put_task_stack);
	KS_RESOLVE_STATIC(ks_kprobe_mutex, "kprobe_mutex");
	KS_RESOLVE_STATIC(ks_tasks_exit_srcu, "tasks_rcu_exit_srcu");
	/* Optional: without it idle tasks are not scanned (they run no
	 * patchable code while a CPU is stopped). */
	BUILD_BUG_ON(!__same_type(ks_idle_task, &idle_task));
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
	unsigned long *addrs;	/* every match, in kallsyms order */
	unsigned int max;
	unsigned int count;
	struct module *mod;	/* referenced when get_ref */
	struct module *coming;	/* loading, but may be looked into */
	bool get_ref;
	bool mod_seen;
	bool mod_going;
};

static void ks_match_add(struct ks_match *m, unsigned long addr)
{
	if (m->count < m->max)
		m->addrs[m->count] = addr;
	m->count++;
}

static int ks_vmlinux_cb(void *data, unsigned long addr)
{
	ks_match_add(data, addr);
	return 0;
}

/* Called with module_mutex held: @mod cannot go away under us. */
static int ks_module_cb(void *data, const char *name, struct module *mod,
			unsigned long addr)
{
	struct ks_match *m = data;

	if (strcmp(mod->name, m->object))
		return 0;
	if (!m->mod_seen) {
		m->mod_seen = true;
		if (mod->state != MODULE_STATE_LIVE && mod != m->coming)
			m->mod_going = true;
		else if (m->get_ref && try_module_get(mod))
			m->mod = mod;
		else if (m->get_ref)
			m->mod_going = true;
	}
	if (!strcmp(name, m->name))
		ks_match_add(m, addr);
	return 0;
}

static bool ks_is_vmlinux(const char *object)
{
	return !object || !strcmp(object, "vmlinux");
}

/*
 * Every address of @name in @object ("vmlinux" or a module name), up to
 * @max of them in @addrs.  Returns how many there are, or an error with
 * the cause recorded when the module is missing or going away.  With @mod,
 * a module object's module is referenced and returned (NULL for vmlinux);
 * the caller drops it.
 */
int ks_lookup_all(struct ks_update *ku, const char *name, const char *object,
		  unsigned long *addrs, unsigned int max, struct module **mod)
{
	struct ks_match m = { .name = name, .object = object, .addrs = addrs,
			      .max = max, .get_ref = mod != NULL,
			      .coming = ku->coming };

	if (mod)
		*mod = NULL;
	if (ks_is_vmlinux(object)) {
		ks_each_match(ks_vmlinux_cb, name, &m);
		return m.count;
	}
	ks_mod_each(ks_module_cb, &m);
	if (!m.mod_seen)
		return ks_fail(ku, KS_TARGET_NOT_LOADED,
			       "module %s is not loaded (needed for %s)",
			       object, name);
	if (m.mod_going) {
		if (m.mod)
			module_put(m.mod);
		return ks_fail(ku, KS_MODULE_BUSY,
			       "module %s is being loaded or removed", object);
	}
	if (mod)
		*mod = m.mod;
	return m.count;
}

/*
 * Find the one @name in @object, or its @sympos-th (1-based) occurrence.
 * With @mod, as ks_lookup_all.
 */
int ks_lookup(struct ks_update *ku, const char *name, const char *object,
	      unsigned int sympos, unsigned long *addr, struct module **mod)
{
	unsigned long addrs[KS_MAX_CANDIDATES];
	const char *where = ks_is_vmlinux(object) ? "vmlinux" : object;
	struct module *ref = NULL;
	int n = ks_lookup_all(ku, name, object, addrs, ARRAY_SIZE(addrs),
			      mod ? &ref : NULL);

	if (n < 0)
		return n;
	if (n == 0 || sympos > n || sympos > ARRAY_SIZE(addrs))
		n = ks_fail(ku, KS_SYMBOL_MISSING, "symbol %s not found in %s",
			    name, where);
	else if (!sympos && n > 1)
		n = ks_fail(ku, KS_AMBIGUOUS,
			    "%d symbols named %s in %s; none of them could be told apart",
			    n, name, where);
	if (n < 0) {
		if (ref)
			module_put(ref);
		return n;
	}
	*addr = addrs[sympos ? sympos - 1 : 0];
	if (mod)
		*mod = ref;
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

/*
 * Does the kernel rewrite any byte of [@start, @start + @len) later: a
 * static branch, a static call or an SMP lock prefix?  Called with
 * jump_label_lock and text_mutex held, as those tables want.
 */
const char *ks_rewritten_later(unsigned long start, unsigned int len)
{
	void *s = (void *)start, *e = (void *)(start + len - 1);

	if (ks_jump_site_in(start, len))
		return "a static branch (jump label or tracepoint)";
	if (ks_static_call_reserved(s, e))
		return "a static call";
	if (ks_alternatives_reserved(s, (void *)(start + len)))
		return "an SMP lock prefix";
	return NULL;
}

struct ks_modstate {
	const char *name;
	int state;
};

static int ks_modstate_cb(void *data, const char *name, struct module *mod,
			  unsigned long addr)
{
	struct ks_modstate *s = data;

	if (strcmp(mod->name, s->name))
		return 0;
	s->state = mod->state;
	return 1;
}

/*
 * The MODULE_STATE_* of module @name, or -1 if it is not loaded (or not
 * yet formed).  A module that has symbols, as every target has, is seen.
 */
int ks_module_state(const char *name)
{
	struct ks_modstate s = { .name = name, .state = -1 };

	ks_mod_each(ks_modstate_cb, &s);
	return s.state;
}

/*
 * The kallsyms name in an update's symbol key: "name" as is; a static
 * qualified by its object, "drivers/x/y.o:name" (same-named statics of two
 * files of one module are two symbols: run-pre matching keeps their values
 * apart), as "name"; and NULL for a generator's name of an unnamed section,
 * "fs/x.o:.rodata.str1.1", which kallsyms does not know.
 */
const char *ks_kallsyms_name(const char *key)
{
	const char *colon = strchr(key, ':');

	if (!colon)
		return key;
	return colon[1] && colon[1] != '.' ? colon + 1 : NULL;
}

/* Any symbol of the running kernel, for the engine's other files. */
unsigned long ks_kallsyms(const char *name)
{
	return ks_lookup_name(name);
}
