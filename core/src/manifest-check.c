// SPDX-License-Identifier: GPL-2.0
/*
 * ks_manifest_check: a manifest built in memory (by ksplice-create's
 * setters, or by hand) against the same rules the parser applies, so that
 * what is written parses back.
 */
#include "manifest-internal.h"

/* Each valid, in order and once: what mf_add_cve() makes. */
static int check_cves(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	if (m->nr_cves > KS_MAX_CVES)
		return mf_fail(c, KS_ERR_LIMIT, "too many cve lines (limit %u)",
			    KS_MAX_CVES);
	for (i = 0; i < m->nr_cves; i++) {
		int err = mf_check_cve(c, m->cves[i],
				    mf_field_len(m->cves[i], KS_CVE_MAX));

		if (err)
			return err;
		if (i && ks_cve_cmp(m->cves[i - 1], m->cves[i]) >= 0)
			return mf_fail(c, KS_ERR_SYNTAX,
				    "cve %q out of order or repeated",
				    m->cves[i]);
	}
	return 0;
}

/* Header fields, if present; their absence is mf_finish()'s business. */
static int check_header(struct ctx *c, const struct ks_manifest *m)
{
	int err = 0;

	if (m->format != KS_MANIFEST_FORMAT)
		return mf_fail(c, KS_ERR_VERSION,
			    "unsupported format version %u (this ksplice reads %u)",
			    m->format, KS_MANIFEST_FORMAT);
	if (m->id[0])
		err = mf_check_id(c, m->id, mf_field_len(m->id, KS_ID_MAX));
	if (!err && m->description[0])
		err = mf_check_description(c, m->description,
					mf_field_len(m->description,
						  KS_DESC_MAX));
	if (!err && m->kernel_release[0])
		err = mf_check_release(c, m->kernel_release,
				    mf_field_len(m->kernel_release,
					      KS_RELEASE_MAX));
	if (!err && m->effective_release[0])
		err = mf_check_effective_release(c, m->effective_release,
					      mf_field_len(m->effective_release,
							KS_RELEASE_MAX));
	if (!err)
		err = check_cves(c, m);
	if (!err && m->build_id_len > KS_BUILD_ID_MAX)
		err = mf_fail(c, KS_ERR_LIMIT,
			   "kernel-build-id too long (%u bytes, limit %u)",
			   m->build_id_len, KS_BUILD_ID_MAX);
	return err;
}

static int check_targets(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i, next = 0;

	if (m->nr_targets > KS_MAX_TARGETS)
		return mf_fail(c, KS_ERR_LIMIT, "too many targets (limit %u)",
			    KS_MAX_TARGETS);
	if (m->nr_functions > KS_MAX_FUNCTIONS)
		return mf_fail(c, KS_ERR_LIMIT, "too many functions (limit %u)",
			    KS_MAX_FUNCTIONS);
	for (i = 0; i < m->nr_targets; i++) {
		const struct ks_target *t = &m->targets[i];
		ks_size n = mf_field_len(t->name, KS_NAME_MAX);
		int err;

		c->line = t->line;
		err = mf_check_target_name(c, t->name, n);
		if (err)
			return err;
		if (mf_find_target_n(m, t->name, n, i) >= 0)
			return mf_fail(c, KS_ERR_DUPLICATE, "duplicate target %q",
				    t->name);
		/* Sections follow each other: functions[] in target order. */
		if (t->first != next || t->nr > m->nr_functions - next)
			return mf_fail(c, KS_ERR_SYNTAX,
				    "functions of target %q out of order",
				    t->name);
		next += t->nr;
	}
	c->line = 0;
	if (next != m->nr_functions)
		return mf_fail(c, KS_ERR_SYNTAX, "function outside a target section");
	return 0;
}

static int check_functions(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	for (i = 0; i < m->nr_functions; i++) {
		const struct ks_function *f = &m->functions[i];
		ks_size n = mf_field_len(f->name, KS_NAME_MAX);
		int err;

		c->line = f->line;
		if (f->target >= m->nr_targets ||
		    i - m->targets[f->target].first >=
		    m->targets[f->target].nr)
			return mf_fail(c, KS_ERR_SYNTAX,
				    "function %q outside its target's section",
				    f->name);
		err = mf_check_function_name(c, f->name, n);
		if (!err)
			err = mf_check_func_size(c, f->size);
		if (err)
			return err;
	}
	return 0;
}

static int check_modules(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	if (m->nr_modules > KS_MAX_MODULES)
		return mf_fail(c, KS_ERR_LIMIT, "too many modules (limit %u)",
			    KS_MAX_MODULES);
	for (i = 0; i < m->nr_modules; i++) {
		const struct ks_module *mod = &m->modules[i];
		ks_size n = mf_field_len(mod->path, KS_PATH_MAX);
		int err;

		c->line = mod->line;
		err = mf_check_module_path(c, mod->path, n);
		if (err)
			return err;
		if (mf_find_module_n(m, mod->path, n, i) >= 0)
			return mf_fail(c, KS_ERR_DUPLICATE, "duplicate module %q",
				    mod->path);
	}
	return 0;
}

static int check_members(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	if (m->nr_members > KS_MAX_MEMBERS)
		return mf_fail(c, KS_ERR_LIMIT, "too many members (limit %u)",
			    KS_MAX_MEMBERS);
	for (i = 0; i < m->nr_members; i++) {
		const struct ks_member *mem = &m->members[i];
		ks_size n = mf_field_len(mem->path, KS_PATH_MAX);
		int err;

		c->line = mem->line;
		err = mf_check_path(c, "member", mem->path, n);
		if (!err)
			err = mf_check_member_size(c, mem->size);
		if (err)
			return err;
		if (mf_find_member_n(m, mem->path, n, i) >= 0)
			return mf_fail(c, KS_ERR_DUPLICATE, "duplicate member %q",
				    mem->path);
	}
	return 0;
}

int ks_manifest_check(const struct ks_manifest *m, char *msg, ks_size msg_len)
{
	struct ctx c;
	int err;

	mf_ctx_init(&c, msg, msg_len);
	err = check_header(&c, m);
	if (!err)
		err = check_targets(&c, m);
	if (!err)
		err = check_functions(&c, m);
	if (!err)
		err = check_modules(&c, m);
	if (!err)
		err = check_members(&c, m);
	if (!err)
		err = mf_finish(&c, m);
	return err;
}
