/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The package manifest (docs/ARCHITECTURE.md, "Package format"): parser,
 * validator, writer and lookups.  Freestanding and allocation-free: the
 * caller provides struct ks_manifest, which is large (about 1.2 MiB, its
 * arrays are sized by the format's limits), so put it on the heap
 * (malloc, vmalloc), never on a stack.
 *
 * Every function that can refuse returns 0 or a negative KS_ERR_* code
 * (ksplice/error.h) and writes a one-line message naming the problem, and
 * the manifest line when there is one, into @msg (@msg_len bytes, may be
 * 0; KS_MSG_LEN is enough).
 */
#ifndef _KSPLICE_MANIFEST_H
#define _KSPLICE_MANIFEST_H

#include "ksplice/types.h"
#include "ksplice/error.h"
#include "ksplice/sha256.h"

#define KS_MANIFEST_FORMAT	1	/* the version this code reads */

#define KS_MAX_TARGETS		256
#define KS_MAX_FUNCTIONS	4096	/* over all targets */
#define KS_MAX_MEMBERS		64
#define KS_MAX_MODULES		KS_MAX_MEMBERS
#define KS_ID_MAX		64	/* bytes of an id */
#define KS_DESC_MAX		1024	/* bytes of a description */
#define KS_RELEASE_MAX		64	/* bytes of a kernel release */
#define KS_NAME_MAX		255	/* bytes of a target or function name */
#define KS_PATH_MAX		255	/* bytes of a member path */
#define KS_BUILD_ID_MAX		20	/* bytes of a build id (40 hex digits) */
#define KS_FUNC_SIZE_MAX	16777216
#define KS_MEMBER_SIZE_MAX	268435456	/* 256 MiB, the package limit */
#define KS_MAX_CVES		256
#define KS_CVE_MAX		23	/* bytes of CVE-YYYY-N{4,14} */

/* `target <object>`: vmlinux or a module; owns a run of functions[]. */
struct ks_target {
	char name[KS_NAME_MAX + 1];
	unsigned int first;	/* index in functions[] of its first one */
	unsigned int nr;	/* functions in its section, maybe 0 */
	unsigned int line;	/* manifest line, 0 if not parsed */
};

/* `function <name> <size>` inside a target's section. */
struct ks_function {
	char name[KS_NAME_MAX + 1];
	ks_u32 size;
	unsigned int target;	/* index in targets[] */
	unsigned int line;
};

/* `module <member>`: an update module to load, in this order. */
struct ks_module {
	char path[KS_PATH_MAX + 1];
	unsigned int line;
};

/* `member <member> <size> <sha256-hex>`: every archive file but the manifest. */
struct ks_member {
	char path[KS_PATH_MAX + 1];
	ks_u64 size;
	ks_u8 sha256[KS_SHA256_LEN];
	unsigned int line;
};

struct ks_manifest {
	unsigned int format;
	char id[KS_ID_MAX + 1];
	char description[KS_DESC_MAX + 1];
	char kernel_release[KS_RELEASE_MAX + 1];
	ks_u8 build_id[KS_BUILD_ID_MAX];
	unsigned int build_id_len;	/* bytes; 0: no kernel-build-id line */
	/* the release the fixed code is equivalent to; "": not stated */
	char effective_release[KS_RELEASE_MAX + 1];
	unsigned int nr_cves;
	char cves[KS_MAX_CVES][KS_CVE_MAX + 1];	/* sorted, each once */
	unsigned int nr_targets;
	unsigned int nr_functions;
	unsigned int nr_modules;
	unsigned int nr_members;
	struct ks_target targets[KS_MAX_TARGETS];
	struct ks_function functions[KS_MAX_FUNCTIONS];
	struct ks_module modules[KS_MAX_MODULES];
	struct ks_member members[KS_MAX_MEMBERS];
};

/* An empty manifest of the current format, ready for the setters below. */
void ks_manifest_init(struct ks_manifest *m);

/*
 * Parse and validate @len bytes of manifest text into @m.  On failure @m
 * holds a partial result, only good for ks_manifest_init.
 */
int ks_manifest_parse(struct ks_manifest *m, const char *text, ks_size len,
		      char *msg, ks_size msg_len);

/*
 * Validate a manifest built in memory exactly as the parser would: every
 * field, limits, duplicates, required keys, members under ksplice-<id>/,
 * modules ending in .ko and listed as members.
 */
int ks_manifest_check(const struct ks_manifest *m, char *msg, ks_size msg_len);

/*
 * Write @m as manifest text into @buf (@size bytes) and NUL-terminate it.
 * *@len receives the text length without the NUL, also on KS_ERR_NOSPACE,
 * so a call with @size 0 tells the size to allocate (*@len + 1).  Refuses
 * what ks_manifest_check refuses.  Output order: header lines (the
 * optional effective-release and cve lines last of them), each target
 * followed by its functions, modules, members.
 */
int ks_manifest_write(const struct ks_manifest *m, char *buf, ks_size size,
		      ks_size *len, char *msg, ks_size msg_len);

/*
 * Setters for building a manifest (ksplice-create).  They validate their
 * argument as the parser does and leave @m unchanged on refusal.  The
 * header setters replace an earlier value; the adders append and refuse
 * duplicates and overflow.  ks_manifest_add_function appends to the last
 * target added.  Whether members sit under ksplice-<id>/ and modules have
 * a member is left to ks_manifest_check, as the id may come last.
 */
int ks_manifest_set_id(struct ks_manifest *m, const char *id,
		       char *msg, ks_size msg_len);
int ks_manifest_set_description(struct ks_manifest *m, const char *text,
				char *msg, ks_size msg_len);
int ks_manifest_set_kernel_release(struct ks_manifest *m, const char *release,
				   char *msg, ks_size msg_len);
/* @hex: 2..40 hex digits, even; NULL or "" removes the build id. */
int ks_manifest_set_build_id(struct ks_manifest *m, const char *hex,
			     char *msg, ks_size msg_len);
/* NULL or "" removes it. */
int ks_manifest_set_effective_release(struct ks_manifest *m,
				      const char *release,
				      char *msg, ks_size msg_len);
/*
 * Insert CVE id @cve (CVE-YYYY-NNNN, 4 to 14 digits) in order: by year,
 * then by number.  A duplicate is refused, as by the parser.
 */
int ks_manifest_add_cve(struct ks_manifest *m, const char *cve,
			char *msg, ks_size msg_len);
/*
 * Whether @s (@n bytes) is a CVE id as the manifest takes it; and the
 * order of two valid ones (<0, 0, >0).
 */
int ks_cve_valid(const char *s, ks_size n);
int ks_cve_cmp(const char *a, const char *b);
int ks_manifest_add_target(struct ks_manifest *m, const char *name,
			   char *msg, ks_size msg_len);
int ks_manifest_add_function(struct ks_manifest *m, const char *name,
			     ks_u64 size, char *msg, ks_size msg_len);
int ks_manifest_add_module(struct ks_manifest *m, const char *path,
			   char *msg, ks_size msg_len);
int ks_manifest_add_member(struct ks_manifest *m, const char *path,
			   ks_u64 size, const ks_u8 sha256[KS_SHA256_LEN],
			   char *msg, ks_size msg_len);

/* Lookups: the index of the match, or -1. */
int ks_manifest_find_member(const struct ks_manifest *m, const char *path);
int ks_manifest_find_module(const struct ks_manifest *m, const char *path);
int ks_manifest_find_target(const struct ks_manifest *m, const char *name);
/* @name among the functions of target @target (an index in targets[]). */
int ks_manifest_find_function(const struct ks_manifest *m,
			      unsigned int target, const char *name);

/*
 * Whether @path is the manifest's own path, ksplice-<id>/manifest, for
 * @m's id.
 */
int ks_manifest_is_own_path(const struct ks_manifest *m, const char *path);

/*
 * Whether @path is ksplice-<id>/manifest.sig, the manifest's detached
 * signature (unlisted, like the manifest; the tools check it).
 */
int ks_manifest_is_sig_path(const struct ks_manifest *m, const char *path);

#endif /* _KSPLICE_MANIFEST_H */
