// SPDX-License-Identifier: GPL-2.0
/* Whole-package verification; see ksplice/package.h. */
#include "ksplice/package.h"
#include "ksplice/sha256.h"
#include "ksplice/tar.h"
#include "util.h"

static int fail(char *msg, ks_size msg_len, int err, const char *fmt, ...)
{
	struct ks_msg m;
	__builtin_va_list ap;

	ks_msg_init(&m, msg, msg_len);
	__builtin_va_start(ap, fmt);
	ks_msg_vfmt(&m, fmt, ap);
	__builtin_va_end(ap);
	return err;
}

static int streq(const char *a, const char *b)
{
	return ks_streqn(a, b, ks_strnlen(b, KS_TAR_NAME_MAX + 1));
}

/* "ksplice-<something>/manifest", before we know the id. */
static int looks_like_manifest(const char *name)
{
	ks_size n = ks_strnlen(name, KS_TAR_NAME_MAX + 1), i;

	if (n < 18 || !ks_memeq(name, "ksplice-", 8) ||
	    !ks_memeq(name + n - 9, "/manifest", 9))
		return 0;
	for (i = 8; i < n - 9; i++)
		if (name[i] == '/')
			return 0;
	return 1;
}

/* @name is ksplice-<id> itself (@self_ok) or a path under it. */
static int in_package(const struct ks_manifest *m, const char *name,
		      int self_ok)
{
	ks_size id_len = ks_strnlen(m->id, KS_ID_MAX + 1);
	ks_size n = ks_strnlen(name, KS_TAR_NAME_MAX + 1);

	if (n < 8 + id_len || !ks_memeq(name, "ksplice-", 8) ||
	    !ks_memeq(name + 8, m->id, id_len))
		return 0;
	if (n == 8 + id_len)
		return self_ok;
	return name[8 + id_len] == '/' && n > 9 + id_len;
}

/* Find the one manifest member and parse it into @m. */
static int read_manifest(const void *tar, ks_size len, struct ks_manifest *m,
			 char *msg, ks_size msg_len)
{
	struct ks_tar_entry e, found;
	struct ks_tar t;
	int r, n = 0;

	ks_tar_init(&t, tar, len);
	while ((r = ks_tar_next(&t, &e, msg, msg_len)) > 0) {
		if (e.type != KS_TAR_FILE || !looks_like_manifest(e.name))
			continue;
		if (n++)
			return fail(msg, msg_len, KS_ERR_DUPLICATE,
				    streq(e.name, found.name) ?
				    "duplicate member %e" :
				    "more than one manifest: %e and %e",
				    e.name, found.name);
		found = e;
	}
	if (r < 0)
		return r;
	if (!n)
		return fail(msg, msg_len, KS_ERR_MISSING,
			    "missing member ksplice-<id>/manifest (no manifest in the package)");
	r = ks_manifest_parse(m, (const char *)found.data, (ks_size)found.size,
			      msg, msg_len);
	if (r)
		return r;
	if (!ks_manifest_is_own_path(m, found.name))
		return fail(msg, msg_len, KS_ERR_PATH,
			    "manifest %e says id %q, so it belongs in ksplice-%e/manifest",
			    found.name, m->id, m->id);
	return 0;
}

/* A directory entry of the same name before @cur in the archive. */
static int dir_seen_before(const void *tar, ks_size len,
			   const struct ks_tar_entry *cur)
{
	struct ks_tar_entry e;
	struct ks_tar t;

	ks_tar_init(&t, tar, len);
	while (t.pos < cur->offset && ks_tar_next(&t, &e, KS_NULL, 0) > 0)
		if (e.type == KS_TAR_DIR && streq(e.name, cur->name))
			return 1;
	return 0;
}

static int check_dir(const void *tar, ks_size len,
		     const struct ks_manifest *m, const struct ks_tar_entry *e,
		     unsigned int *dirs, char *msg, ks_size msg_len)
{
	if (!in_package(m, e->name, 1))
		return fail(msg, msg_len, KS_ERR_PATH,
			    "directory %e is not under ksplice-%e/",
			    e->name, m->id);
	if (++*dirs > KS_MAX_DIRS)
		return fail(msg, msg_len, KS_ERR_LIMIT,
			    "too many directories (limit %u)", KS_MAX_DIRS);
	if (dir_seen_before(tar, len, e))
		return fail(msg, msg_len, KS_ERR_DUPLICATE,
			    "duplicate member %e/", e->name);
	return 0;
}

static int check_file(const struct ks_manifest *m,
		      const struct ks_tar_entry *e, ks_u64 *seen,
		      const ks_u8 **member_data, char *msg, ks_size msg_len)
{
	const struct ks_member *mem;
	ks_u8 sum[KS_SHA256_LEN];
	int i = ks_manifest_find_member(m, e->name);

	if (i < 0)
		return fail(msg, msg_len, KS_ERR_UNLISTED,
			    in_package(m, e->name, 0) ?
			    "unlisted member %e" :
			    "unlisted member %e (not under ksplice-%e/)",
			    e->name, m->id);
	mem = &m->members[i];
	if (*seen & (1ULL << i))
		return fail(msg, msg_len, KS_ERR_DUPLICATE,
			    "duplicate member %e", e->name);
	*seen |= 1ULL << i;
	if (e->size != mem->size)
		return fail(msg, msg_len, KS_ERR_SIZE,
			    "size mismatch for %e: manifest says %U bytes, archive has %U",
			    e->name, mem->size, e->size);
	ks_sha256(e->data, (ks_size)e->size, sum);
	if (!ks_memeq(sum, mem->sha256, KS_SHA256_LEN))
		return fail(msg, msg_len, KS_ERR_CHECKSUM,
			    "checksum mismatch for %e", e->name);
	member_data[i] = e->data;
	return 0;
}

/* Every archive entry against the manifest, then the other way round. */
static int check_entries(const void *tar, ks_size len,
			 const struct ks_manifest *m,
			 const ks_u8 **member_data, char *msg, ks_size msg_len)
{
	struct ks_tar_entry e;
	struct ks_tar t;
	unsigned int dirs = 0, i;
	int r, manifests = 0, sigs = 0;
	ks_u64 seen = 0;

	ks_tar_init(&t, tar, len);
	while ((r = ks_tar_next(&t, &e, msg, msg_len)) > 0) {
		if (e.type == KS_TAR_DIR)
			r = check_dir(tar, len, m, &e, &dirs, msg, msg_len);
		else if (ks_manifest_is_own_path(m, e.name))
			r = manifests++ ?
			    fail(msg, msg_len, KS_ERR_DUPLICATE,
				 "duplicate member %e", e.name) : 0;
		else if (ks_manifest_is_sig_path(m, e.name))
			r = sigs++ ?
			    fail(msg, msg_len, KS_ERR_DUPLICATE,
				 "duplicate member %e", e.name) : 0;
		else
			r = check_file(m, &e, &seen, member_data, msg,
				       msg_len);
		if (r)
			return r;
	}
	if (r < 0)
		return r;
	for (i = 0; i < m->nr_members; i++)
		if (!(seen & (1ULL << i)))
			return fail(msg, msg_len, KS_ERR_MISSING,
				    "missing member %e", m->members[i].path);
	return 0;
}

/* The manifest checks this already; a package must never load a non-.ko. */
static int check_modules(const struct ks_manifest *m, char *msg,
			 ks_size msg_len)
{
	unsigned int i;

	for (i = 0; i < m->nr_modules; i++) {
		const char *p = m->modules[i].path;
		ks_size n = ks_strnlen(p, KS_PATH_MAX + 1);

		if (n < 4 || !ks_memeq(p + n - 3, ".ko", 3))
			return fail(msg, msg_len, KS_ERR_SYNTAX,
				    "module %e does not end in .ko", p);
		if (ks_manifest_find_member(m, p) < 0)
			return fail(msg, msg_len, KS_ERR_MISSING,
				    "missing member %e (a module)", p);
	}
	return 0;
}

int ks_package_verify(const void *tar, ks_size len, struct ks_manifest *m,
		      const ks_u8 *member_data[KS_MAX_MEMBERS],
		      char *msg, ks_size msg_len)
{
	unsigned int i;
	int err;

	if (msg && msg_len)
		msg[0] = '\0';
	for (i = 0; i < KS_MAX_MEMBERS; i++)
		member_data[i] = KS_NULL;
	err = read_manifest(tar, len, m, msg, msg_len);
	if (!err)
		err = check_entries(tar, len, m, member_data, msg, msg_len);
	if (!err)
		err = check_modules(m, msg, msg_len);
	return err;
}
