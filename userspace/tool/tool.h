/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by ksplice-apply, ksplice-undo and ksplice-view: messages and
 * exit codes, the engine's sysfs files, module loading, checks of the
 * host, the record of what ksplice-apply loaded, and JSON output.
 */
#ifndef _KSPLICE_TOOL_H
#define _KSPLICE_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes, the same for every tool and written in the man pages. */
#define EXIT_DONE	0	/* done */
#define EXIT_KERNEL	1	/* refused by the kernel: busy, mismatch, ... */
#define EXIT_USAGE	2	/* bad usage or bad package */
#define EXIT_ENV	3	/* not root, module loading off, lockdown */

#define KSPLICE_SYSFS	"/sys/kernel/ksplice"
#define KSPLICE_CORE	"ksplice"	/* the core module's name */

/* msg.c: "<prog>: ..." lines on stderr. */
extern const char *tool_name;
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first tool_error message of this run, for --json; or NULL. */
const char *tool_first_error(void);
void *xmalloc(size_t size);
void *xrealloc(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse a decimal number in [lo, hi]; false if @s is not one. */
bool parse_uint(const char *s, unsigned long lo, unsigned long hi,
		unsigned long *out);
void free_strv(char **v, unsigned int n);
/* An update id: [A-Za-z0-9_-], 1..64 bytes (it names files). */
bool valid_id(const char *id);

/* sysfs.c: /sys/kernel/ksplice/<id>/. */
struct func_info {
	char *name;
	char *object;
	unsigned long old_addr;
	unsigned long new_addr;
	char via[8];		/* "jmp" or "ftrace"; "" from an older engine */
};

struct update_info {
	char *id;
	char *stage;		/* loaded, applied, reversed, pending */
	char *description;
	unsigned long long sequence;
	long long stage_time;
	unsigned long long pause_ns;	/* last attempt that stopped */
	char *attempts;		/* "<ns> <ns> ...", maybe empty */
	unsigned int tries;
	unsigned int max_tries;
	unsigned int retry_delay_ms;
	char *cause;
	char *reason;
	struct func_info *funcs;
	unsigned int nr_funcs;
	char **conflicts;
	unsigned int nr_conflicts;
	char **bypassed;	/* "<function> <kind> <owner>": calls that
				 * another ftrace user sends elsewhere */
	unsigned int nr_bypassed;
	char **waiting_for;	/* pending: the modules it waits for */
	unsigned int nr_waiting_for;
	bool cumulative;	/* takes the place of every applied update */
	char *replaced_by;	/* "" or the cumulative update that did */
	char **replaces;	/* cumulative, not applied: what it would */
	unsigned int nr_replaces;
};

bool engine_loaded(void);
bool update_exists(const char *id);
/* Read every file of update @id; 0 or -errno (-ENOENT: no such id). */
int update_read(const char *id, struct update_info *u);
void update_free(struct update_info *u);
/* One file of update @id, a line each (none if it cannot be read). */
char **update_read_lines(const char *id, const char *file, unsigned int *n);
/*
 * Every update the engine knows: applied ones by sequence (oldest first),
 * then pending ones, then the others, each by id.  Returns the count, *@list malloc'd.
 */
unsigned int update_list(struct update_info **list);
void update_list_free(struct update_info *list, unsigned int n);
/* Write @value to a file of update @id; 0 or -errno of the write. */
int update_write(const char *id, const char *file, const char *value);
/* A sysfs or proc file's first line, without its newline, or NULL. */
char *read_line(const char *path);

/* module.c: the module syscalls, /proc/modules. */
/* @member's file name without .ko, '-' as '_', as the kernel has it. */
char *module_name(const char *member);
bool module_loaded(const char *name);
/* 0 or -errno of the syscall. */
int module_load_file(const char *path);
int module_load_mem(const void *data, size_t len);
int module_unload(const char *name);
/* Why the kernel refused a module, for -@err of a load. */
const char *module_load_hint(int err);
/*
 * Where ksplice.ko is for this kernel (malloc'd): in tool_module_dir
 * (--module-dir) when set, else where `make install` puts it.
 */
char *core_module_path(const char *release);
extern const char *tool_module_dir;

/* env.c: what the running kernel allows. */
int need_root(void);			/* 0 or EXIT_ENV, said why */
int modules_allowed(void);		/* 0 or EXIT_ENV, said why */
/* Why only signed modules load ("the kernel is locked down ..."), or NULL. */
const char *signature_policy(void);
bool module_signed(const void *data, size_t len);
bool module_file_signed(const char *path);
/*
 * Say that @policy refuses @module, unsigned or (@is_signed) signed with
 * a key the kernel does not trust, and how to sign and enroll; EXIT_ENV.
 */
int refuse_unsigned(const char *policy, const char *module, bool is_signed);
/* The running kernel's build id from /sys/kernel/notes; length or -1. */
int kernel_build_id(unsigned char *id, size_t size);

/*
 * state.c: /run/ksplice/<id> (or tool_state_dir, --state-dir), the
 * modules ksplice-apply loaded.
 */
extern const char *tool_state_dir;
struct ks_manifest;
/* @m (may be NULL): its effective-release and cve lines go in too. */
int state_write(const char *id, char *const *modules, unsigned int n,
		const struct ks_manifest *m);
/* What the record says of the package, beyond its modules. */
struct state_info {
	char *effective_release;	/* NULL: the package states none */
	char **cves;
	unsigned int nr_cves;
};
void state_read_info(const char *id, struct state_info *info);
void state_info_free(struct state_info *info);
/* A file of the state directory, written atomically; 0 or -errno. */
int state_write_file(const char *name, const char *text);
/* Its text (malloc'd), or NULL if there is none. */
char *state_read_file(const char *name);
/* The modules of @id's record; 0 if none.  *@modules malloc'd. */
unsigned int state_read(const char *id, char ***modules);
void state_remove(const char *id);
/* Module names that may carry update @id when there is no record. */
unsigned int guess_modules(const char *id, char ***modules);

/*
 * unload.c: unload the modules that carry update @id (its record, or a
 * guess from the id), newest first, and forget the record.  0 or
 * EXIT_KERNEL, said why; the names unloaded are appended to *@names.
 */
int unload_update(const char *id, char ***names, unsigned int *nr);

/* metrics.c: ksplice.prom for node_exporter's textfile collector. */
#define KSPLICE_METRICS_DIR	"/var/lib/prometheus/node-exporter"
#define KSPLICE_METRICS_CONF	"/etc/ksplice/metrics-dir"
struct metrics {
	unsigned int applied;
	unsigned int pending;
	unsigned long long failed;	/* failed applies since boot */
	unsigned int cves;		/* distinct, over applied updates */
	bool have_pause;
	unsigned long long pause_ns;	/* of the last apply or undo */
	long long last_apply;		/* Unix time; 0: none since boot */
};
enum metrics_event { METRICS_APPLY, METRICS_DRY_RUN, METRICS_UNDO };
/* Where the collector directory may be configured (tests move it). */
extern const char *metrics_conf;
/* Prometheus text format, HELP and TYPE lines included. */
void metrics_format(FILE *f, const struct metrics *m);
/* The engine's and the state directory's figures. */
void metrics_collect(struct metrics *m);
/*
 * After an apply or undo (@rc its exit code, @u the engine's account of
 * the update, or NULL): note a failure, the pause and the apply time,
 * then rewrite ksplice.prom if there is a collector directory.
 */
void metrics_update(enum metrics_event ev, int rc,
		    const struct update_info *u);

/* json.c: a small streaming writer to stdout. */
void json_begin(const char *key, char bracket);	/* '{' or '[' */
void json_end(void);
void json_str(const char *key, const char *value);	/* NULL: null */
void json_uint(const char *key, unsigned long long value);
void json_int(const char *key, long long value);
void json_bool(const char *key, bool value);
void json_addr(const char *key, unsigned long value);	/* "0x..." */

/* report.c: an update for people and for --json. */
void print_functions(FILE *f, const struct update_info *u, const char *indent);
/* "pause 412.3 us, 1 try" */
void print_pause(FILE *f, const struct update_info *u);
void print_failure(const struct update_info *u);
void print_detail(const struct update_info *u, char *const *modules,
		  unsigned int nr_modules);
void print_summary(const struct update_info *u);
/* "kcase" or "a, b and c": the modules a pending update waits for. */
void print_waiting(FILE *f, const struct update_info *u);
/* Fields of @u into the current JSON object. */
void json_update(const struct update_info *u);
/*
 * @s for a line of text output: control characters, DEL, C1 controls and
 * '\\' as \xNN, so that a string from the kernel (a task name) cannot
 * forge a line.  One of a few rotating static buffers, truncated at 4 KiB.
 */
const char *esc(const char *s);
/* "2026-11-27 17:51:47 UTC" in local time; static buffer. */
const char *format_time(long long t);

#endif /* _KSPLICE_TOOL_H */
