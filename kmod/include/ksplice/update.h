/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between an update module and the ksplice core module.
 *
 * An update module carries the replacement code and one struct
 * ksplice_update that describes it.  Its init calls
 * ksplice_register_update(); its exit calls ksplice_unregister_update().
 * Nothing runs the new code until the update is applied through
 * /sys/kernel/ksplice/<id>/stage.  ksplice-create generates such modules;
 * they can also be written by hand (see testsuite/modules/).
 */
#ifndef _KSPLICE_UPDATE_H
#define _KSPLICE_UPDATE_H

#include <linux/types.h>

/*
 * 2 added struct ksplice_update's @flags.  The engine still takes updates
 * built for 1, which have no flags.
 */
#define KSPLICE_ABI_VERSION	2
#define KSPLICE_ABI_MIN		1

/* Relocation types, numbered as in the x86-64 ELF ABI. */
#define KSPLICE_R_64		1	/* S + A, 8 bytes */
#define KSPLICE_R_PC32		2	/* S + A - P, 4 bytes, signed */
#define KSPLICE_R_32		10	/* S + A, 4 bytes, zero-extended */
#define KSPLICE_R_32S		11	/* S + A, 4 bytes, sign-extended */

/*
 * A reference from the update's code or data to a symbol of the running
 * kernel that the module loader could not fill (not exported, or static).
 * The engine writes it into the update module before the first apply.
 */
struct ksplice_reloc {
	void *site;		/* where to write, inside the update module */
	const char *symbol;	/* symbol name in the running kernel; if a
				 * pre reloc names it, the value run-pre
				 * matching found wins over kallsyms */
	const char *object;	/* "vmlinux" or the module that defines it */
	long addend;
	unsigned int type;	/* KSPLICE_R_* */
	unsigned int sympos;	/* 0: must be unique; n: n-th of that name */
};

/*
 * A relocation inside a function's pre code.  The running function has the
 * address of @symbol (+ @addend, per @type) in these bytes; run-pre
 * matching reads it there, checks that every appearance of the same
 * (@symbol, @object) agrees and that kallsyms agrees where it knows the
 * symbol, and then uses it for the update's own ksplice_relocs.  Names
 * need only be consistent within one update: a generator names unnamed
 * sections per compilation unit (e.g. "fs/proc/cmdline.o:.rodata.str1.1"),
 * and may name a static symbol by its compilation unit too
 * ("drivers/x/y.o:count"), so that same-named statics of two files stay
 * apart; kallsyms is then asked for the part after the colon.
 */
struct ksplice_pre_reloc {
	unsigned int offset;	/* of the field, from the function's entry */
	unsigned int type;	/* KSPLICE_R_* */
	long addend;
	const char *symbol;
	const char *object;	/* "vmlinux" or a module; NULL: the function's */
};

/*
 * A static key of the running kernel that the update's own __jump_table
 * entries name but the module loader cannot resolve (not exported, or a
 * target module's own tracepoint).  Each such entry's key field points at
 * one of these instead (plus its branch bit); ksplice.ko, from a module
 * notifier that runs at MODULE_STATE_COMING before the kernel's jump-label
 * notifier, looks the key up by name and points the entry at it, so that
 * the kernel's jump-label code registers the new code's sites with the
 * real key: they start in the key's current state and follow every flip.
 * The update module exports the table under KSPLICE_JUMP_KEYS_SYM.
 */
struct ksplice_jump_key {
	const char *symbol;	/* the key, or the struct that holds it */
	const char *object;	/* "vmlinux" or the module that defines it */
	long offset;		/* of the struct static_key inside @symbol */
	unsigned int sympos;	/* 0: must be unique; n: n-th of that name */
	void *engine;		/* private to the core module */
};

struct ksplice_jump_keys {
	unsigned int abi;		/* KSPLICE_ABI_VERSION */
	unsigned int nr;
	struct ksplice_jump_key *const *keys;
	void *engine;			/* private to the core module */
};

#define KSPLICE_JUMP_KEYS_SYM	"ksplice_jump_keys"

/* One function of the running kernel and its replacement. */
struct ksplice_func {
	const char *name;	/* as in kallsyms */
	const char *object;	/* "vmlinux" or the module that defines it */
	unsigned long size;	/* st_size in the pre object; 0: use kallsyms */
	void *new_code;		/* entry of the replacement */
	const char *cold_name;	/* "name.cold" part of the old code, or NULL */
	unsigned long cold_size;
	unsigned int sympos;	/* 0: must be unique; n: n-th of that name */
	/*
	 * Run-pre data: the old function's bytes as compiled (@size of
	 * them), a mask with 0xff where the running byte must be the same
	 * and 0x00 where the kernel rewrites its code at boot or load (fentry
	 * call, return thunks, retpolines, alternatives, jump labels, static
	 * calls, paravirt), and the relocations inside it.  A relocation
	 * field is compared through its symbol, not byte by byte, and one
	 * that overlaps a 0x00 byte is ignored.  NULL: no byte-by-byte proof
	 * (hand-written test updates); the site checks still run.
	 */
	const unsigned char *pre_code;
	const unsigned char *pre_mask;
	const struct ksplice_pre_reloc *pre_relocs;
	unsigned int nr_pre_relocs;
	/* How pre relocations name it ("fs/x.o:name" for a static), or
	 * NULL: the callers' pre code tells same-named copies apart. */
	const char *key;
};

typedef int (*ksplice_call_t)(void);
typedef void (*ksplice_notify_t)(void);

/*
 * Hooks, each a NULL-terminated array (or NULL).  Only @apply runs inside
 * stop_machine and must not sleep; the others run in process context.
 *   pre	once, before any attempt; nonzero aborts with call_failed
 *   check	before every attempt; nonzero aborts with call_failed
 *   apply	inside the stop, after every trampoline is written;
 *		nonzero restores the trampolines and aborts with call_failed
 *   post	after success
 *   fail	after an abort, if pre ran
 */
struct ksplice_hook_set {
	const ksplice_call_t *pre;
	const ksplice_call_t *check;
	const ksplice_call_t *apply;
	const ksplice_notify_t *post;
	const ksplice_notify_t *fail;
};

/*
 * KSPLICE_F_REPLACE: a cumulative update.  It carries every fix of the
 * updates applied before it, and applying it takes their place in the same
 * stop: functions it replaces too switch to its code, functions only they
 * replaced return to the original, and they end reversed (their hooks do
 * not run; their shadow variables pass to it).
 */
#define KSPLICE_F_REPLACE	0x1

/* @nr_funcs may be 0 if there are hooks: custom code alone. */
struct ksplice_update {
	unsigned int abi;		/* KSPLICE_ABI_VERSION */
	const char *id;			/* [A-Za-z0-9_-], at most 64 chars */
	const char *description;
	struct module *owner;		/* THIS_MODULE */
	const struct ksplice_func *funcs;
	unsigned int nr_funcs;
	const struct ksplice_reloc *relocs;
	unsigned int nr_relocs;
	struct ksplice_hook_set apply_hooks;
	struct ksplice_hook_set undo_hooks;
	void *engine;			/* private to the core module */
	unsigned int flags;		/* KSPLICE_F_*; ABI 2 on */
};

int ksplice_register_update(struct ksplice_update *update);
void ksplice_unregister_update(struct ksplice_update *update);

#endif /* _KSPLICE_UPDATE_H */
