/* SPDX-License-Identifier: GPL-2.0 */
/* State and interfaces shared by the files of the ksplice core module. */
#ifndef _KSPLICE_INTERNAL_H
#define _KSPLICE_INTERNAL_H

#include <linux/jump_label.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/stop_machine.h>
#include <ksplice/update.h>
#include <ksplice/range.h>
#include <ksplice/x86.h>

#define KS_MAX_CONFLICTS	16
#define KS_MAX_ATTEMPTS		64	/* attempts whose pause we keep */
#define KS_REASON_LEN		256
#define KS_ID_MAX		64	/* of an update id */

/* KS_PENDING: waits for a module it names to load, then applies. */
enum ks_stage { KS_LOADED, KS_APPLIED, KS_REVERSED, KS_PENDING };

enum ks_cause {
	KS_OK,
	KS_CODE_BUSY,
	KS_NO_MATCH,
	KS_BAD_BYTES,
	KS_NOT_PATCHABLE,
	KS_TARGET_NOT_LOADED,
	KS_MODULE_BUSY,
	KS_OUT_OF_ORDER,
	KS_OUT_OF_MEMORY,
	KS_CALL_FAILED,
	KS_SYMBOL_MISSING,
	KS_AMBIGUOUS,
};

/*
 * How calls reach the replacement.  A jmp rel32 after the fentry nop
 * costs nothing per call; where the kernel itself rewrites those bytes
 * later (a static branch, a static call, a lock prefix), the fentry call
 * is used instead, through ftrace, and the bytes are left to the kernel.
 */
enum ks_via { KS_VIA_JMP, KS_VIA_FTRACE };

struct ks_redirect;

/* What the engine knows about one replaced function. */
struct ks_func {
	const struct ksplice_func *f;
	unsigned long old_addr;		/* entry of the running function */
	unsigned long old_size;
	unsigned long end;		/* old_addr + old_size */
	unsigned long cold_addr;	/* its .cold part, or 0 */
	unsigned long cold_size;
	unsigned long new_addr;
	unsigned long new_size;
	unsigned long site;		/* where the jmp rel32 goes */
	u8 saved[KS_JMP32_LEN];		/* bytes undo restores at site */
	u8 found[KS_JMP32_LEN];		/* bytes at site when checked */
	u8 jmp[KS_JMP32_LEN];		/* our trampoline */
	struct module *target;		/* NULL: vmlinux */
	struct ks_func *below;		/* applied update's func at this site */
	enum ks_via via;
	struct ks_redirect *redirect;	/* KS_VIA_FTRACE: its ftrace_ops */
	unsigned long prev_target;	/* KS_VIA_FTRACE: where undo sends
					 * calls */
	unsigned long found_target;	/* KS_VIA_FTRACE: where calls went */
	u8 *alias;			/* writable view of site, in the stop */
	void *alias_base;
};

struct ks_conflict {
	char comm[TASK_COMM_LEN];
	pid_t pid;
	unsigned long addr;
	bool own;			/* a task of the stop itself */
};

/* What a CPU held in the stop runs, and where its stack is. */
struct ks_held {
	struct task_struct *task;
	unsigned long sp;
};

/* A symbol value read from the running code by run-pre matching. */
struct ks_presym {
	const char *symbol;
	const char *object;
	unsigned long value;
};

/* One registered update. */
struct ks_update {
	struct ksplice_update *u;
	struct kobject kobj;
	struct list_head list;		/* ks_updates, in registration order */
	bool gone;			/* unregistered; kobject on its way out */
	bool in_progress;		/* an apply or undo sleeps between tries */
	bool stranded;			/* a module it held went away under it */
	struct module *coming;		/* being applied at this module's
					 * MODULE_STATE_COMING (pending.c) */
	struct module **pinned;		/* modules the relocations point into */
	unsigned int nr_pinned;

	enum ks_stage stage;
	enum ks_cause cause;
	char reason[KS_REASON_LEN];
	struct ks_conflict conflicts[KS_MAX_CONFLICTS];
	unsigned int nr_conflicts;
	u64 pause_ns[KS_MAX_ATTEMPTS];
	u64 scan_ns;			/* last attempt: stack scan */
	u64 write_ns;			/* last attempt: trampoline writes */
	unsigned int scan_tasks;	/* last attempt: stacks read in the stop */
	unsigned int tries;		/* attempts of the last operation */
	unsigned int max_tries;
	unsigned int retry_delay_ms;
	u64 sequence;			/* apply order; 0 when not applied */
	time64_t stage_time;

	struct ks_func *funcs;		/* u->nr_funcs */
	struct ks_range *ranges;	/* what the stack check looks for */
	unsigned int nr_ranges;
	struct ks_presym *presyms;	/* from run-pre matching */
	unsigned int nr_presyms;
	unsigned int max_presyms;

	/* A cumulative update (replace.c), while it is being applied. */
	struct ks_update **replaced;	/* the applied updates it replaces */
	unsigned int nr_replaced;
	struct ks_func *reverts;	/* their sites it does not replace */
	unsigned int nr_reverts;
	/* Replaced by a cumulative update: its id. */
	char replaced_by[KS_ID_MAX + 1];
};

extern struct mutex ks_mutex;
void ks_free_update(struct ks_update *ku);	/* main.c */
extern struct list_head ks_updates;

/* validate.c: 0, or -errno with one line in dmesg saying why. */
int ks_validate(const struct ksplice_update *u);

/* ksyms.c: symbols of the running kernel, through kallsyms. */
int ks_ksyms_init(void);
int ks_jumpkeys_init(void);		/* jumpkeys.c */
void ks_jumpkeys_exit(void);
extern void *(*ks_text_poke)(void *addr, const void *opcode, size_t len);
extern struct mutex *ks_text_mutex;
extern int (*ks_stop_machine_cpuslocked)(cpu_stop_fn_t fn, void *data,
					 const struct cpumask *cpus);
extern struct task_struct *(*ks_idle_task)(int cpu);
extern void (*ks_jump_label_lock)(void);
extern void (*ks_jump_label_unlock)(void);
extern struct mutex *ks_kprobe_mutex;
extern struct srcu_struct *ks_tasks_exit_srcu;
extern void (*ks_put_task_stack)(struct task_struct *tsk);
unsigned long ks_kallsyms(const char *name);
const char *ks_kallsyms_name(const char *key);
int ks_module_state(const char *name);
extern struct module *(*ks_module_address)(unsigned long addr);
const char *ks_rewritten_later(unsigned long start, unsigned int len);
extern typeof(&jump_label_text_reserved) ks_jump_label_reserved;
/* jumpsites.c: static branch sites, vmlinux's kept sorted. */
int ks_jumpsites_init(void);
void ks_jumpsites_exit(void);
bool ks_jump_site_in(unsigned long start, unsigned int len);
#define KS_MAX_CANDIDATES	16	/* same-named symbols told apart */
int ks_lookup_all(struct ks_update *ku, const char *name, const char *object,
		  unsigned long *addrs, unsigned int max, struct module **mod);
int ks_lookup(struct ks_update *ku, const char *name, const char *object,
	      unsigned int sympos, unsigned long *addr, struct module **mod);
bool ks_symbol_size(unsigned long addr, unsigned long *size,
		    unsigned long *offset);
bool ks_has_fentry(unsigned long addr);
bool ks_kprobe_near(unsigned long site, unsigned int len);
bool ks_forbidden_text(unsigned long addr, const char **what);

/* runpre.c */
int ks_runpre_match(struct ks_update *ku, struct ks_func *kf,
		    unsigned long addr, bool commit);
int ks_runpre_choose(struct ks_update *ku, struct ks_func *kf,
		     const unsigned long *addrs, unsigned int n);
bool ks_presym_find(struct ks_update *ku, const char *symbol,
		    const char *object, unsigned int n, unsigned long *value);

/* relocs.c */
int ks_write_relocs(struct ks_update *ku);
void ks_release_relocs(struct ks_update *ku);

/* sites.c: where the trampolines go and what must be there. */
int ks_prepare_funcs(struct ks_update *ku);
void ks_release_funcs(struct ks_update *ku);
int ks_check_sites(struct ks_update *ku, bool undo);
int ks_check_site(struct ks_update *ku, struct ks_func *kf, bool undo);
int ks_build_ranges(struct ks_update *ku, bool undo);
bool ks_site_applied(struct ks_update *self, unsigned long site);
bool ks_site_intact(const struct ks_func *kf, bool undo);
/* The newest (owner) and oldest (bottom) applied function at a site. */
struct ks_func *ks_site_owner(struct ks_update *self, unsigned long site);
struct ks_func *ks_site_bottom(struct ks_update *self, unsigned long site);

/* alias.c */
int ks_map_sites(struct ks_update *ku);
void ks_unmap_sites(struct ks_update *ku);

/* stack.c */
unsigned int ks_scan_stacks(const struct ks_range *r, unsigned int n,
			    const struct ks_held *held,
			    struct ks_conflict *out, unsigned int max,
			    unsigned int *own, unsigned int *scanned);
void ks_prescan(const struct ks_range *r, unsigned int n);

/* redirect.c: through the fentry call, where the jmp cannot go. */
int ks_redirect_get(struct ks_update *ku, struct ks_func *kf);
void ks_redirect_put(struct ks_func *kf);
unsigned long ks_redirect_target(const struct ks_func *kf);
void ks_redirect_switch(struct ks_func *kf, bool undo);

/* transition.c */
void ks_wait_exiting(void);

/* poke.c: jmp writes that NMIs see whole. */
int ks_poke_init(void);
void ks_poke_exit(void);
void ks_poke_begin(struct ks_update *ku);
void ks_poke_end(void);
void ks_poke_int3_at(struct ks_func *kf);
void ks_poke_tail(struct ks_func *kf, const u8 *bytes);
void ks_poke_head(struct ks_func *kf, const u8 *bytes);

/* track.c: which tasks may have run since their stacks were read. */
int ks_track_init(void);
void ks_track_exit(void);
void ks_track_start(void);
void ks_track_keep(struct task_struct *t);
bool ks_track_valid(void);
void ks_track_each(void (*fn)(struct task_struct *t, void *data),
		   void *data);
void ks_track_stop(void);

/* stop.c: the work done while every CPU is held. */
int ks_stop_and_switch(struct ks_update *ku, bool undo, bool dry,
		       u64 *pause_ns);

/* transition.c */
int ks_apply(struct ks_update *ku, bool dry);
int ks_undo(struct ks_update *ku);
void ks_set_stage(struct ks_update *ku, enum ks_stage stage);
int ks_fail(struct ks_update *ku, enum ks_cause cause, const char *fmt, ...)
	__printf(3, 4);
int ks_cause_errno(enum ks_cause cause);
const char *ks_cause_name(enum ks_cause cause);

/* pending.c: updates that wait for a module to load. */
int ks_pending_init(void);
void ks_pending_exit(void);
int ks_pending(struct ks_update *ku);
ssize_t ks_waiting_for(struct ks_update *ku, char *buf);

/* hooks.c */
int ks_call_hooks(const ksplice_call_t *hooks);
void ks_notify_hooks(const ksplice_notify_t *hooks);

/* shadow.c: shadow variables an update's code allocated. */
unsigned long ks_shadow_free_owner(struct module *owner);
void ks_shadow_exit(void);

/* replace.c: a cumulative update takes the place of the applied ones. */
bool ks_replaces(const struct ks_update *ku);
int ks_replace_prepare(struct ks_update *ku);
void ks_replace_release(struct ks_update *ku);
void ks_replace_finish(struct ks_update *ku);
unsigned long ks_shadow_transfer(struct module *from, struct module *to);

/* sysfs.c */
int ks_sysfs_init(void);
void ks_sysfs_exit(void);
int ks_sysfs_add(struct ks_update *ku);
void ks_sysfs_del(struct ks_update *ku);

/* coexist.c: livepatch, kprobes, BPF at the fentry site. */
unsigned long ks_kallsyms(const char *name);	/* ksyms.c */
int ks_check_redirectors(struct ks_update *ku, struct ks_func *kf);
bool ks_bypassed_by(const struct ks_func *kf, char *buf, size_t len);

#endif /* _KSPLICE_INTERNAL_H */
