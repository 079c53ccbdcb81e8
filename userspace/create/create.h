/* SPDX-License-Identifier: GPL-2.0 */
/* ksplice-create internals, shared by ksplice-create.c and create/ files. */
#ifndef _KSPLICE_CREATE_H
#define _KSPLICE_CREATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define EXIT_REFUSED	2	/* bad usage, bad input, refused change */
#define EXIT_ENV	3	/* missing tools or kernel build directory */
#define EXIT_UNKNOWN	4	/* cannot tell which objects a change concerns */

struct ks_signer;

#define MAX_PATCHES	64

/* Structs whose members a header change touches (layout.c). */
struct layout_check {
	char *file;		/* the header that changes or uses the change */
	char *type;		/* "struct x", "union x", "typedef x" */
	char *unruled;		/* why its users cannot all be told, or NULL:
				 * then a layout change seen in the objects
				 * built refuses, an equal one answers exit 4 */
};
struct layout_checks {
	struct layout_check *v;
	unsigned int n;
};

struct create {
	/* options */
	const char *id;
	const char *description;
	bool cumulative;		/* replaces every applied update */
	const char *patches[MAX_PATCHES];
	unsigned int nr_patches;
	const char *outdir;
	unsigned int jobs;
	const char *kdir;
	const char *source;
	const char *debian;	/* --debian=RELEASE, or NULL */
	bool force_compiler;
	bool keep_work;
	bool prepare_only;	/* --prepare: make the tree ready, no patch */
	bool full_tree;		/* --full-tree: build the tree's vmlinux once */
	const char *sign_key;	/* --sign-key/--sign-cert, or NULL */
	const char *sign_cert;
	struct ks_signer *signer;	/* loaded from them (lib/signature.h) */
	char **cves;		/* --cve and the patch headers' ids */
	unsigned int nr_cves;
	const char *effective_release;	/* --effective-release, or NULL */
	/* kernel tree mode: SOURCE is a kernel tree, or --debian */
	bool tree_mode;
	char *tree;		/* the prepared tree, kept read-only */
	char *makevars[8];	/* make variables every build in it uses */
	unsigned int nr_makevars;
	bool full_deps;		/* the tree has been built once: .cmd files */
	bool list_objects;	/* --list-objects: print, build nothing */
	unsigned int max_candidates;	/* objects to preprocess per header */
	bool allow_retyped_callbacks;	/* symvers.c: see symtypes.c */
	char *cannot_tell;	/* kbuild.c: exit 4, once layouts are compared */
	/* environment */
	char *cc;		/* compiler kbuild uses */
	char *release;		/* UTS_RELEASE of kdir */
	char *incdir;		/* holds ksplice/update.h */
	char *ksplice_symvers;	/* Module.symvers of ksplice.ko, or NULL */
	/* work */
	char *work, *pre, *post, *upd;
	char **touched;		/* files the patches touch, relative */
	unsigned int nr_touched;
	struct layout_checks layouts;	/* structs whose members change */
};


/* An object of the target that the patch may change. */
struct cobject {
	char *rel;		/* path relative to the source: "sub/x.o" */
	char *module;		/* the module it is linked into, or "vmlinux" */
	char *tag;		/* "o1", ... */
};

/* util.c */
void step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrdup(const char *s);
void *xrealloc(void *p, size_t n, size_t size);
char *read_file(const char *path, size_t *len);
bool is_file(const char *path);
bool is_dir(const char *path);
/* Run @argv in @dir (NULL: here), output to @log (NULL: inherited). */
int run(const char *dir, const char *log, char *const argv[]);
/* The same, without waiting: returns the pid for wait_run(). */
int run_async(const char *dir, const char *log, char *const argv[]);
int wait_run(int pid);
/* Run a shell command line (quote paths with shell_quote()). */
int run_sh(const char *log, const char *cmdline);
char *shell_quote(const char *s);
/* stdout of a shell command line, NULL if it fails. */
char *capture_sh(const char *cmdline);
double now(void);
char *path_normalize(const char *path);	/* "a/./b/../c" -> "a/c" */
unsigned int online_cpus(void);
bool in_path(const char *prog);
void print_log_tail(const char *log, unsigned int lines);
bool names_path(const char *text, const char *path);
char *replace_all(const char *s, const char *from, const char *to);

/* namespaces.c */
void write_namespace_imports(FILE *glue, const struct create *c,
			     char *const *objects, unsigned int nr);

/* env.c */
void check_environment(struct create *c);
char *exe_dir(void);	/* where this program is */
void check_compiler(struct create *c, const char *obj);

/* source.c */
void prepare_sources(struct create *c);
void read_touched(struct create *c, const char *patchfile);

/* debian.c: Debian's kernel source, config and headers through apt */
char *default_release(void);
struct debian_kernel {
	char *release;		/* 6.1.0-54-amd64 */
	char *version;		/* 6.1.190-1 */
	char *source_tar;	/* linux-source-6.1.tar.xz to unpack */
	char *config;		/* config-<release> */
	char *cleanup;		/* a directory to remove once unpacked */
};
void debian_lookup(struct debian_kernel *k, const char *release);
void debian_fetch(struct debian_kernel *k, const char *cache);
bool debian_image_extract(const char *release, const char *dir,
			  const char *const *patterns);

/* modfile.c: the running target module's .ko, or NULL */
char *target_module_file(const struct create *c, const char *module);

/* tree.c: the prepared tree and its work copies */
char *cache_root(void);
void prepare_tree(struct create *c);
void build_full_tree(struct create *c);
void use_kernel_tree(struct create *c);
char *uts_release(const char *tree);
int copy_tree_work(struct create *c, const char *to);
void materialize(struct create *c, const char *copy, const char *rel);
void check_links(struct create *c, const char *copy, const char *stamp);

/* kept.c: what runs keep beside a prepared tree */
char *tree_kept(const struct create *c, const char *name);
void tree_forget_kept(const char *root, const char *release);
char *prepared_outputs(struct create *c);

/* unshare.c: no file a build may rewrite is shared with the tree */
void unshare_outputs(struct create *c, const char *copy);
void stamp_work(struct create *c);
void check_untouched(struct create *c);

/* A candidate object and what it is linked into (vmlinux or a module). */
struct cand {
	char *obj;
	char *target;
};

/* walk.c: kbuild's walk of a tree, writing its object map */
void walk_tree(struct create *c, const char *tree, const char *out);
void walk_patched(struct create *c, const char *premap, const char *out);
char *walk_changed_dirs(struct create *c, char *map);

/* objmap.c: kbuild's map of the tree's objects */
void add_cand(struct cand **v, unsigned int *n, const char *obj,
	      const char *target);
void free_cands(struct cand *v, unsigned int n);
void objmap_load(struct create *c);
unsigned int objmap_targets(const char *obj, struct cand **v, unsigned int *n);
int objmap_makefile(const char *file, struct cand **v, unsigned int *n);
bool objmap_visits(const char *dir);
bool objmap_other(const char *obj);
bool objmap_named(struct create *c, const char *obj);
char *objmap_make_target(const char *obj);
char *objmap_new_object(struct create *c, const char *obj);

/* undefined.c: call @fn for each name @object leaves undefined */
void for_each_undefined(const char *object,
			void (*fn)(const char *name, void *arg), void *arg);
unsigned int objmap_size(void);
void objmap_print(FILE *f);

/* includers.c: objects whose sources may #include a file */
int include_users(struct create *c, const char *file, unsigned int max,
		  bool (*has_record)(struct create *, const char *),
		  struct cand **v, unsigned int *n, unsigned int *nfiles);
struct include_set;
struct include_set *include_closure(struct create *c, char **files, unsigned int n);
bool include_closure_has(const struct include_set *set, const char *file);
unsigned int include_closure_size(const struct include_set *set);
void include_closure_free(struct include_set *set);

/* narrow.c: of a header's includers, those that may use what changed */
struct hdr_diff;
unsigned int narrow_users(struct create *c, const char *file,
			  const struct hdr_diff *d, struct cand *cands,
			  unsigned int n, struct cand **out, unsigned int *nout,
			  struct layout_checks *types);
bool forced_include(struct create *c, const char *file);

/* added.c: source files a patch adds */
unsigned int added_source(struct create *c, const char *f, struct cand **v,
			  unsigned int *n);
bool added_object(struct create *c, const char *obj);
void empty_object(struct create *c, const char *obj);

/* kbuild.c: which objects a patch changes, and building them */
struct cobject *tree_find_objects(struct create *c, unsigned int *n);
void tree_build(struct create *c, struct cobject *objs, unsigned int n);
void tree_cannot_tell(const struct create *c);

/* make.c: kbuild's make in the tree or a copy (@wait: else the pid) */
int tree_make(struct create *c, const char *dir, const char *log,
	      char **targets, unsigned int n, unsigned int jobs, bool wait);
int tree_make_wait(struct create *c, int pid);
/* kbenv.c: kbuild's environment for single objects (and updmake.c), kept */
char **kbenv_argv(struct create *c, const char *dir, char **targets,
		  unsigned int n, const char *jflag);
char *kbenv_recorder(struct create *c, const char *dir);
void kbenv_keep(struct create *c);
char **kept_env_load(const char *path, const char *key, const char *ph,
		     const char *dir);
char *kept_env_recorder(struct create *c);
void kept_env_store(struct create *c, const char *kept, const char *key,
		    const char *from, const char *ph, const char *pwd);

/* updmake.c: the update module's make, against kdir */
int update_make(struct create *c, const char *log, char **vars,
		unsigned int n);

/* build.c */
void build_pre(struct create *c);
struct cobject *find_objects(struct create *c, unsigned int *n);
void build_post(struct create *c, struct cobject *objs, unsigned int n);
char *kbuild_flags(struct create *c, const char *dir);

/* update.c */
struct od_result;
struct update_funcs;
void generate_update(struct create *c, struct cobject *objs,
		     struct od_result **res, unsigned int n);
char *build_update(struct create *c);

/* layout.c: structs whose members change keep their layout, or refuse */
void layout_check_add(struct layout_checks *l, const char *file,
		      const char *type);
bool layout_checks_has(const struct layout_checks *l, const char *type);
void layout_check_unruled(struct layout_checks *l, const char *file,
			  const char *type, const char *why);
void layout_unruled_refuse(const struct create *c);
/* Add @from's to @to, emptying @from. */
void layout_checks_move(struct layout_checks *to, struct layout_checks *from);
void layout_checks_free(struct layout_checks *l);
void check_layouts(struct create *c, const struct cobject *objs,
		   unsigned int n);

/* symvers.c */
void check_symbol_versions(struct create *c, const struct cobject *objs,
			   unsigned int n);

/* cve.c: the CVE ids the update fixes */
bool cve_normalize(const char *s, size_t n, char *out);
void cve_add(struct create *c, const char *id);
/* Add the ids in a patch's header (before its first diff); how many new. */
unsigned int cve_scan_header(struct create *c, const char *text, size_t len);
void cve_scan_patches(struct create *c);

/* package.c */
char *write_package(struct create *c, struct od_result **res,
		    struct cobject *objs, unsigned int n, const char *ko);

#endif /* _KSPLICE_CREATE_H */
