// SPDX-License-Identifier: GPL-2.0
/*
 * The manifest in memory (ksplice/manifest.h; the format in
 * docs/ARCHITECTURE.md): its lookups and appenders, the checks that need
 * all of it, the public setters and lookups.  The parser
 * (manifest-parse.c), the checker (manifest-check.c) and the writer
 * (manifest-write.c) build on it; the rules of each field are in
 * manifest-fields.c.
 */
#include "manifest-internal.h"

int mf_find_target_n(const struct ks_manifest *m, const char *s,
		     ks_size n, unsigned int limit)
{
	unsigned int i;

	for (i = 0; i < limit; i++)
		if (ks_streqn(m->targets[i].name, s, n))
			return (int)i;
	return -1;
}

/* Among the functions of target @t that come before index @limit. */
static int find_function_n(const struct ks_manifest *m, unsigned int t,
			   const char *s, ks_size n, unsigned int limit)
{
	unsigned int i;

	for (i = m->targets[t].first; i < limit; i++)
		if (ks_streqn(m->functions[i].name, s, n))
			return (int)i;
	return -1;
}

int mf_find_module_n(const struct ks_manifest *m, const char *s,
		     ks_size n, unsigned int limit)
{
	unsigned int i;

	for (i = 0; i < limit; i++)
		if (ks_streqn(m->modules[i].path, s, n))
			return (int)i;
	return -1;
}

int mf_find_member_n(const struct ks_manifest *m, const char *s,
		     ks_size n, unsigned int limit)
{
	unsigned int i;

	for (i = 0; i < limit; i++)
		if (ks_streqn(m->members[i].path, s, n))
			return (int)i;
	return -1;
}

/* Appenders shared by the parser and the setters; @m changes on success. */
int mf_add_target(struct ctx *c, struct ks_manifest *m, const char *s,
		  ks_size n)
{
	struct ks_target *t;
	int err = mf_check_target_name(c, s, n);

	if (err)
		return err;
	if (mf_find_target_n(m, s, n, m->nr_targets) >= 0)
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate target %Q", s, n);
	if (m->nr_targets >= KS_MAX_TARGETS)
		return mf_fail(c, KS_ERR_LIMIT, "too many targets (limit %u)",
			    KS_MAX_TARGETS);
	t = &m->targets[m->nr_targets++];
	mf_copy_field(t->name, s, n);
	t->first = m->nr_functions;
	t->nr = 0;
	t->line = c->line;
	return 0;
}

/*
 * A name may repeat within a target: static functions of different files
 * of one module share names (amdgpu has two bios_parser_get_i2c_info).
 */
int mf_add_function(struct ctx *c, struct ks_manifest *m, const char *s,
		    ks_size n, ks_u64 size)
{
	struct ks_function *f;
	struct ks_target *t;
	int err;

	if (!m->nr_targets)
		return mf_fail(c, KS_ERR_SYNTAX,
			    "function %Q outside a target section (no 'target' line before it)",
			    s, n);
	t = &m->targets[m->nr_targets - 1];
	err = mf_check_function_name(c, s, n);
	if (!err)
		err = mf_check_func_size(c, size);
	if (err)
		return err;
	if (m->nr_functions >= KS_MAX_FUNCTIONS)
		return mf_fail(c, KS_ERR_LIMIT, "too many functions (limit %u)",
			    KS_MAX_FUNCTIONS);
	f = &m->functions[m->nr_functions++];
	mf_copy_field(f->name, s, n);
	f->size = (ks_u32)size;
	f->target = m->nr_targets - 1;
	f->line = c->line;
	t->nr++;
	return 0;
}

int mf_add_module(struct ctx *c, struct ks_manifest *m, const char *s,
		  ks_size n)
{
	struct ks_module *mod;
	int err = mf_check_module_path(c, s, n);

	if (err)
		return err;
	if (mf_find_module_n(m, s, n, m->nr_modules) >= 0)
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate module %Q", s, n);
	if (m->nr_modules >= KS_MAX_MODULES)
		return mf_fail(c, KS_ERR_LIMIT, "too many modules (limit %u)",
			    KS_MAX_MODULES);
	mod = &m->modules[m->nr_modules++];
	mf_copy_field(mod->path, s, n);
	mod->line = c->line;
	return 0;
}

int mf_add_member(struct ctx *c, struct ks_manifest *m, const char *s,
		  ks_size n, ks_u64 size, const ks_u8 *sha256)
{
	struct ks_member *mem;
	int err = mf_check_path(c, "member", s, n);

	if (!err)
		err = mf_check_member_size(c, size);
	if (err)
		return err;
	if (mf_find_member_n(m, s, n, m->nr_members) >= 0)
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate member %Q", s, n);
	if (m->nr_members >= KS_MAX_MEMBERS)
		return mf_fail(c, KS_ERR_LIMIT, "too many members (limit %u)",
			    KS_MAX_MEMBERS);
	mem = &m->members[m->nr_members++];
	mf_copy_field(mem->path, s, n);
	mem->size = size;
	ks_memcpy(mem->sha256, sha256, KS_SHA256_LEN);
	mem->line = c->line;
	return 0;
}

/* Insert in order, so that every writer lists them the same way. */
int mf_add_cve(struct ctx *c, struct ks_manifest *m, const char *s,
	       ks_size n)
{
	char id[KS_CVE_MAX + 1];
	unsigned int i, at;
	int err = mf_check_cve(c, s, n);

	if (err)
		return err;
	mf_copy_field(id, s, n);
	for (at = 0; at < m->nr_cves; at++) {
		int d = ks_cve_cmp(id, m->cves[at]);

		if (!d)
			return mf_fail(c, KS_ERR_DUPLICATE, "duplicate cve %Q",
				    s, n);
		if (d < 0)
			break;
	}
	if (m->nr_cves >= KS_MAX_CVES)
		return mf_fail(c, KS_ERR_LIMIT, "too many cve lines (limit %u)",
			    KS_MAX_CVES);
	for (i = m->nr_cves; i > at; i--)
		ks_memcpy(m->cves[i], m->cves[i - 1], KS_CVE_MAX + 1);
	mf_copy_field(m->cves[at], s, n);
	m->nr_cves++;
	return 0;
}

/* @s is "ksplice-<id>/" followed by at least one more byte. */
static int in_package_dir(const struct ks_manifest *m, const char *s,
			  ks_size n)
{
	ks_size id_len = ks_strnlen(m->id, KS_ID_MAX + 1);

	return n > 9 + id_len && ks_memeq(s, "ksplice-", 8) &&
	       ks_memeq(s + 8, m->id, id_len) && s[8 + id_len] == '/';
}

static int is_own_path(const struct ks_manifest *m, const char *s, ks_size n)
{
	ks_size id_len = ks_strnlen(m->id, KS_ID_MAX + 1);

	return n == 9 + id_len + 8 && in_package_dir(m, s, n) &&
	       ks_memeq(s + 9 + id_len, "manifest", 8);
}

/* ksplice-<id>/manifest.sig: the manifest's signature, never listed. */
static int is_sig_path(const struct ks_manifest *m, const char *s, ks_size n)
{
	ks_size id_len = ks_strnlen(m->id, KS_ID_MAX + 1);

	return n == 9 + id_len + 12 && in_package_dir(m, s, n) &&
	       ks_memeq(s + 9 + id_len, "manifest.sig", 12);
}

/*
 * Checks that need the whole manifest: required keys, and members and
 * modules against the id, which may come after them.
 */
int mf_finish(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	c->line = 0;
	if (!m->id[0])
		return mf_fail(c, KS_ERR_MISSING, "missing required key 'id'");
	if (!m->description[0])
		return mf_fail(c, KS_ERR_MISSING,
			    "missing required key 'description'");
	if (!m->kernel_release[0])
		return mf_fail(c, KS_ERR_MISSING,
			    "missing required key 'kernel-release'");
	if (!m->nr_modules)
		return mf_fail(c, KS_ERR_MISSING,
			    "missing required key 'module' (at least one update module)");
	for (i = 0; i < m->nr_members; i++) {
		const struct ks_member *mem = &m->members[i];
		ks_size n = ks_strnlen(mem->path, KS_PATH_MAX);

		c->line = mem->line;
		if (!in_package_dir(m, mem->path, n))
			return mf_fail(c, KS_ERR_PATH,
				    "member %q is not under ksplice-%e/",
				    mem->path, m->id);
		if (is_own_path(m, mem->path, n))
			return mf_fail(c, KS_ERR_PATH,
				    "member %q is the manifest, which is not listed",
				    mem->path);
		if (is_sig_path(m, mem->path, n))
			return mf_fail(c, KS_ERR_PATH,
				    "member %q is the manifest's signature, which is not listed",
				    mem->path);
	}
	for (i = 0; i < m->nr_modules; i++) {
		const struct ks_module *mod = &m->modules[i];
		ks_size n = ks_strnlen(mod->path, KS_PATH_MAX);

		c->line = mod->line;
		if (!in_package_dir(m, mod->path, n))
			return mf_fail(c, KS_ERR_PATH,
				    "module %q is not under ksplice-%e/",
				    mod->path, m->id);
		if (mf_find_member_n(m, mod->path, n, m->nr_members) < 0)
			return mf_fail(c, KS_ERR_MISSING,
				    "module %q has no 'member' line",
				    mod->path);
	}
	c->line = 0;
	return 0;
}


void ks_manifest_init(struct ks_manifest *m)
{
	m->format = KS_MANIFEST_FORMAT;
	m->id[0] = '\0';
	m->description[0] = '\0';
	m->kernel_release[0] = '\0';
	m->build_id_len = 0;
	m->effective_release[0] = '\0';
	m->nr_cves = 0;
	m->nr_targets = 0;
	m->nr_functions = 0;
	m->nr_modules = 0;
	m->nr_members = 0;
}


/* Public setters: the parser's checks on a NUL-terminated argument. */
#define ARG_MAX	((ks_size)1 << 20)	/* far above any limit, below overflow */

int ks_manifest_set_id(struct ks_manifest *m, const char *id,
		       char *msg, ks_size msg_len)
{
	ks_size n = ks_strnlen(id, ARG_MAX);
	struct ctx c;
	int err;

	mf_ctx_init(&c, msg, msg_len);
	err = mf_check_id(&c, id, n);
	if (err)
		return err;
	mf_copy_field(m->id, id, n);
	return 0;
}

int ks_manifest_set_description(struct ks_manifest *m, const char *text,
				char *msg, ks_size msg_len)
{
	ks_size n = ks_strnlen(text, ARG_MAX);
	struct ctx c;
	int err;

	mf_ctx_init(&c, msg, msg_len);
	err = mf_check_description(&c, text, n);
	if (err)
		return err;
	mf_copy_field(m->description, text, n);
	return 0;
}

int ks_manifest_set_kernel_release(struct ks_manifest *m, const char *release,
				   char *msg, ks_size msg_len)
{
	ks_size n = ks_strnlen(release, ARG_MAX);
	struct ctx c;
	int err;

	mf_ctx_init(&c, msg, msg_len);
	err = mf_check_release(&c, release, n);
	if (err)
		return err;
	mf_copy_field(m->kernel_release, release, n);
	return 0;
}

int ks_manifest_set_build_id(struct ks_manifest *m, const char *hex,
			     char *msg, ks_size msg_len)
{
	ks_u8 id[KS_BUILD_ID_MAX];
	ks_size n = hex ? ks_strnlen(hex, ARG_MAX) : 0;
	struct ctx c;
	int err;

	mf_ctx_init(&c, msg, msg_len);
	if (!n) {
		m->build_id_len = 0;
		return 0;
	}
	err = mf_parse_build_id(&c, hex, n, id);
	if (err)
		return err;
	ks_memcpy(m->build_id, id, n / 2);
	m->build_id_len = (unsigned int)(n / 2);
	return 0;
}

int ks_manifest_set_effective_release(struct ks_manifest *m,
				      const char *release,
				      char *msg, ks_size msg_len)
{
	ks_size n = release ? ks_strnlen(release, ARG_MAX) : 0;
	struct ctx c;
	int err;

	mf_ctx_init(&c, msg, msg_len);
	if (!n) {
		m->effective_release[0] = '\0';
		return 0;
	}
	err = mf_check_effective_release(&c, release, n);
	if (err)
		return err;
	mf_copy_field(m->effective_release, release, n);
	return 0;
}

int ks_manifest_add_cve(struct ks_manifest *m, const char *cve,
			char *msg, ks_size msg_len)
{
	struct ctx c;

	mf_ctx_init(&c, msg, msg_len);
	return mf_add_cve(&c, m, cve, ks_strnlen(cve, ARG_MAX));
}

int ks_manifest_add_target(struct ks_manifest *m, const char *name,
			   char *msg, ks_size msg_len)
{
	struct ctx c;

	mf_ctx_init(&c, msg, msg_len);
	return mf_add_target(&c, m, name, ks_strnlen(name, ARG_MAX));
}

int ks_manifest_add_function(struct ks_manifest *m, const char *name,
			     ks_u64 size, char *msg, ks_size msg_len)
{
	struct ctx c;

	mf_ctx_init(&c, msg, msg_len);
	return mf_add_function(&c, m, name, ks_strnlen(name, ARG_MAX), size);
}

int ks_manifest_add_module(struct ks_manifest *m, const char *path,
			   char *msg, ks_size msg_len)
{
	struct ctx c;

	mf_ctx_init(&c, msg, msg_len);
	return mf_add_module(&c, m, path, ks_strnlen(path, ARG_MAX));
}

int ks_manifest_add_member(struct ks_manifest *m, const char *path,
			   ks_u64 size, const ks_u8 sha256[KS_SHA256_LEN],
			   char *msg, ks_size msg_len)
{
	struct ctx c;

	mf_ctx_init(&c, msg, msg_len);
	return mf_add_member(&c, m, path, ks_strnlen(path, ARG_MAX), size,
			  sha256);
}

/* Lookups take any NUL-terminated string; too long never matches. */
int ks_manifest_find_member(const struct ks_manifest *m, const char *path)
{
	ks_size n = ks_strnlen(path, KS_PATH_MAX + 1);

	return n > KS_PATH_MAX ? -1 : mf_find_member_n(m, path, n, m->nr_members);
}

int ks_manifest_find_module(const struct ks_manifest *m, const char *path)
{
	ks_size n = ks_strnlen(path, KS_PATH_MAX + 1);

	return n > KS_PATH_MAX ? -1 : mf_find_module_n(m, path, n, m->nr_modules);
}

int ks_manifest_find_target(const struct ks_manifest *m, const char *name)
{
	ks_size n = ks_strnlen(name, KS_NAME_MAX + 1);

	return n > KS_NAME_MAX ? -1 : mf_find_target_n(m, name, n, m->nr_targets);
}

int ks_manifest_find_function(const struct ks_manifest *m,
			      unsigned int target, const char *name)
{
	ks_size n = ks_strnlen(name, KS_NAME_MAX + 1);

	if (n > KS_NAME_MAX || target >= m->nr_targets)
		return -1;
	return find_function_n(m, target, name, n,
			       m->targets[target].first +
			       m->targets[target].nr);
}

int ks_manifest_is_own_path(const struct ks_manifest *m, const char *path)
{
	return is_own_path(m, path, ks_strnlen(path, KS_PATH_MAX + 1));
}

int ks_manifest_is_sig_path(const struct ks_manifest *m, const char *path)
{
	return is_sig_path(m, path, ks_strnlen(path, KS_PATH_MAX + 1));
}
