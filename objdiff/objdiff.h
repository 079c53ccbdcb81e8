/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objdiff: compare the pre and post objects of one source file and extract
 * what a ksplice update module must carry.
 *
 * Both objects must be built with -ffunction-sections -fdata-sections, so
 * every function and every data object sits in a section of its own.
 * od_diff() correlates their symbols by name, classifies every function
 * (unchanged, changed, new) and data object, refuses what cannot be
 * patched safely, and returns a result from which od_write_object()
 * writes the relocatable update object and od_write_c() the C glue
 * (struct ksplice_func / ksplice_reloc / ksplice_update).
 */
#ifndef _OBJDIFF_H
#define _OBJDIFF_H

#include <stdbool.h>
#include <stdio.h>

/* A set of symbol names, e.g. the exports listed in Module.symvers. */
struct od_symset;

struct od_symset *od_symset_new(void);
void od_symset_free(struct od_symset *set);
int od_symset_add(struct od_symset *set, const char *name);
/* Add @name exported by @owner ("vmlinux" or a module name). */
int od_symset_add_owner(struct od_symset *set, const char *name,
			const char *owner);
int od_symset_has(const struct od_symset *set, const char *name);
/* The object exporting @name, or NULL if not known. */
const char *od_symset_owner(const struct od_symset *set, const char *name);
/*
 * Add every symbol of a Module.symvers file, with its owner (module paths
 * become module names: "fs/ext4/ext4" -> "ext4").  Returns -1 (errno) on
 * error.
 */
int od_symset_load_symvers(struct od_symset *set, const char *path);

/*
 * Where the lines of the patched files move (linemap.c): read from the
 * unified diffs, paths taken as `patch -p1` does.  objdiff uses it to tell
 * a shifted __LINE__ from a changed constant.
 */
struct od_linemap;

struct od_linemap *od_linemap_new(void);
void od_linemap_free(struct od_linemap *m);
/* Add the files of a unified diff.  0, or -1 (errno). */
int od_linemap_add_patch(struct od_linemap *m, const char *path);
/*
 * The new number of line @old of @file (a path, matched on whole path
 * components), or 0 if the patch removes it or does not touch the file.
 */
unsigned long od_linemap_map(const struct od_linemap *m, const char *file,
			     unsigned long old);

struct od_options {
	/* the running object the code belongs to: module name or "vmlinux" */
	const char *target;
	/* [A-Za-z0-9_], unique per object of one update: names the anchors */
	const char *tag;
	/* names the module loader resolves (exported symbols) */
	const struct od_symset *exported;
	/* new global names that other objects of the same update define */
	const struct od_symset *provided;
	/*
	 * the object's path relative to the kernel tree ("fs/proc/cmdline.o"):
	 * names unnamed sections in the run-pre relocations; NULL: the pre
	 * object's file name
	 */
	const char *objname;
	/*
	 * the running target module's own file (the distribution's .ko of
	 * that release), or NULL: it tells apart same-named statics of the
	 * module that new code uses and no old code read (sympos.c)
	 */
	const char *target_binary;
	/*
	 * asked once for that file when target_binary is NULL and a
	 * same-named static needs it (the caller may have to fetch it): a
	 * malloc'd path, or NULL
	 */
	char *(*find_target_binary)(void *arg);
	void *find_arg;
	/*
	 * the patch's line map, or NULL: differences that are only line
	 * numbers moved by it (__LINE__ immediates, "file.c:123" in
	 * strings) are no change (see lineonly.c)
	 */
	const struct od_linemap *lines;
	/*
	 * --skip-init: a changed __init function or __init data is noted
	 * and left out rather than refused.  Its target is loaded, so that
	 * code has run and will not run again; the user says the rest of
	 * the fix stands without it.  __exit code still runs later (at
	 * unload) and stays refused.
	 */
	bool skip_init;
	/*
	 * --skip-exit: a module's changed __exit function or data is noted
	 * and left out.  The loaded module unloads with its own exit code,
	 * which the update cannot reach, and cannot unload while the update
	 * holds it; the user says the rest of the fix stands without it.
	 */
	bool skip_exit;
	/* set by od_diff: how many changed __init / __exit items were left out */
	unsigned int *nr_init_skipped;
	unsigned int *nr_exit_skipped;
};

enum od_status {
	OD_CHANGED,	/* there is something to patch */
	OD_NO_CHANGE,	/* no functional change */
	OD_REFUSED,	/* the change cannot be patched safely: see messages */
	OD_ERROR,	/* could not read the objects */
	OD_MALFORMED,	/* an object breaks the ELF rules objdiff checks */
};

enum od_msg_kind {
	OD_MSG_INFO,	/* what was found: "changed function foo" */
	OD_MSG_NOTE,	/* something dropped or assumed, safe */
	OD_MSG_REFUSE,	/* a rule that forbids the update */
	OD_MSG_ERROR,	/* input unreadable or malformed */
};

struct od_msg {
	enum od_msg_kind kind;
	char *symbol;	/* may be NULL */
	char *text;	/* the rule, or what happened */
	char *hint;	/* how to write the patch instead, may be NULL */
};

/*
 * A relocation inside a replaced function's pre code (struct
 * ksplice_pre_reloc): the running code holds the address of @symbol there.
 */
struct od_prereloc {
	unsigned long offset;	/* of the field, from the function's entry */
	unsigned int type;	/* KSPLICE_R_* (x86-64 ELF numbering) */
	long addend;
	char *symbol;		/* kallsyms name, or "<objname>:<section>..." */
	char *object;		/* "vmlinux" or a module name */
};

/* One replaced function of the running target. */
struct od_func {
	char *name;		/* name in the running target (pre object) */
	unsigned long size;	/* st_size in the pre object */
	char *cold_name;	/* "name.cold" part, or NULL */
	unsigned long cold_size;
	char *anchor;		/* global symbol of the new code in update.o */
	char *key;		/* as pre relocations name it (od_sym_key) */
	/* run-pre data (see runpre.c): @size bytes each */
	unsigned char *pre_code;	/* the bytes of the pre object */
	unsigned char *pre_mask;	/* 0xff: must match; 0x00: rewritten */
	struct od_prereloc *pre_relocs;
	unsigned int nr_pre_relocs;
};

/* One field of the update the engine fills at apply time. */
struct od_kreloc {
	char *anchor;		/* global symbol in update.o */
	unsigned long offset;	/* site = anchor + offset */
	char *symbol;		/* name in the running target */
	char *object;		/* "vmlinux" or module name */
	long addend;
	unsigned int type;	/* KSPLICE_R_* (x86-64 ELF numbering) */
	unsigned int sympos;
};

/*
 * A static key that a carried __jump_table entry names and the module
 * loader cannot resolve: the entry points at @name, a struct
 * ksplice_jump_key the glue defines, and ksplice.ko resolves the key when
 * the update module comes (kmod/jumpkeys.c).
 */
struct od_jkey {
	char *name;		/* global symbol the glue defines */
	char *symbol;		/* the key or its container in the target */
	char *object;		/* "vmlinux" or module name */
	long offset;		/* of the static_key inside @symbol */
	unsigned int sympos;
};

/*
 * A hook of the patch (<ksplice/patch.h>): @anchor, the carried function,
 * goes into the update's @phase ("apply" or "undo") hook set as @kind
 * (pre, check, apply, post, fail: struct ksplice_hook_set).
 */
struct od_hook {
	char *phase;
	char *kind;
	char *name;		/* the function in the patched file */
	char *anchor;		/* global symbol of its code in update.o */
};

struct od_result {
	enum od_status status;
	struct od_msg *msgs;
	unsigned int nr_msgs;
	struct od_func *funcs;
	unsigned int nr_funcs;
	struct od_kreloc *krelocs;
	unsigned int nr_krelocs;
	struct od_jkey *jkeys;
	unsigned int nr_jkeys;
	struct od_hook *hooks;	/* in symbol-table order */
	unsigned int nr_hooks;
	/* new global symbols this object's update defines (for "provided") */
	char **new_globals;
	unsigned int nr_new_globals;
	void *priv;		/* the loaded objects and the plan */
};

/* Compare @pre with @post.  Never returns NULL (but OD_ERROR on failure). */
struct od_result *od_diff(const char *pre, const char *post,
			  const struct od_options *opt);
void od_result_free(struct od_result *res);

/* Write the update object (status must be OD_CHANGED).  0 or -1. */
int od_write_object(struct od_result *res, const char *path);

/*
 * Print, for each changed function, the difference of its pre and post
 * instructions (disassembled by libopcodes, relocation targets by name,
 * the bytes the kernel rewrites at load marked), for a reviewer to see
 * why it counts as changed (explain.c).
 */
void od_explain(const struct od_result *res, FILE *f, const char *prefix);

/* Print the messages, one a line, prefixed with @prefix (e.g. "foo.o: "). */
void od_print_msgs(const struct od_result *res, FILE *f, const char *prefix);

/* The C glue for an update made of @n results. */
struct od_update_info {
	const char *id;
	const char *description;
	bool replace;		/* cumulative: KSPLICE_F_REPLACE */
};
int od_write_c(FILE *f, const struct od_update_info *info,
	       struct od_result *const *res, unsigned int n);

#endif /* _OBJDIFF_H */
