/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the manifest's files share (core/src/manifest*.c): the context of a
 * message, the rules of each field (manifest-fields.c), and the model's
 * lookups and appenders (manifest.c), which the parser, the checker and the
 * setters all go through, so that they refuse the same things in the same
 * words.  Not for users of ksplice/manifest.h.
 */
#ifndef _KSPLICE_MANIFEST_INTERNAL_H
#define _KSPLICE_MANIFEST_INTERNAL_H

#include "ksplice/manifest.h"
#include "util.h"

/* Where a message comes from: a manifest line, or 0 for memory. */
struct ctx {
	struct ks_msg msg;
	unsigned int line;
};

/* manifest-fields.c: one field at a time */
void mf_ctx_init(struct ctx *c, char *msg, ks_size msg_len);
int mf_fail(struct ctx *c, int err, const char *fmt, ...);
const char *mf_text_problem(const char *s, ks_size n, ks_size *at,
			    ks_size *bad_len);
ks_size mf_field_len(const char *s, ks_size cap);
void mf_copy_field(char *dst, const char *s, ks_size n);
int mf_check_id(struct ctx *c, const char *s, ks_size n);
int mf_check_description(struct ctx *c, const char *s, ks_size n);
int mf_check_release(struct ctx *c, const char *s, ks_size n);
int mf_check_effective_release(struct ctx *c, const char *s, ks_size n);
int mf_check_cve(struct ctx *c, const char *s, ks_size n);
int mf_check_target_name(struct ctx *c, const char *s, ks_size n);
int mf_check_function_name(struct ctx *c, const char *s, ks_size n);
int mf_check_path(struct ctx *c, const char *what, const char *s,
		  ks_size n);
int mf_check_module_path(struct ctx *c, const char *s, ks_size n);
int mf_check_func_size(struct ctx *c, ks_u64 size);
int mf_check_member_size(struct ctx *c, ks_u64 size);
int mf_parse_number(struct ctx *c, const char *what, const char *s,
		    ks_size n, ks_u64 min, ks_u64 max, ks_u64 *out);
int mf_check_hex(struct ctx *c, const char *what, const char *s,
		 ks_size n);
void mf_decode_hex(const char *s, ks_size n, ks_u8 *out);
int mf_parse_build_id(struct ctx *c, const char *s, ks_size n,
		      ks_u8 out[KS_BUILD_ID_MAX]);

/* manifest.c: the model, and what needs all of it */
int mf_find_target_n(const struct ks_manifest *m, const char *s,
		     ks_size n, unsigned int limit);
int mf_find_module_n(const struct ks_manifest *m, const char *s,
		     ks_size n, unsigned int limit);
int mf_find_member_n(const struct ks_manifest *m, const char *s,
		     ks_size n, unsigned int limit);
int mf_add_target(struct ctx *c, struct ks_manifest *m, const char *s,
		  ks_size n);
int mf_add_function(struct ctx *c, struct ks_manifest *m, const char *s,
		    ks_size n, ks_u64 size);
int mf_add_module(struct ctx *c, struct ks_manifest *m, const char *s,
		  ks_size n);
int mf_add_member(struct ctx *c, struct ks_manifest *m, const char *s,
		  ks_size n, ks_u64 size, const ks_u8 *sha256);
int mf_add_cve(struct ctx *c, struct ks_manifest *m, const char *s,
	       ks_size n);
int mf_finish(struct ctx *c, const struct ks_manifest *m);

#endif /* _KSPLICE_MANIFEST_INTERNAL_H */
