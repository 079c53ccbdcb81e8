// SPDX-License-Identifier: GPL-2.0
/*
 * The manifest parser: a line at a time, one handler per key, each field
 * checked by the rules of manifest-fields.c and added through the model's
 * appenders; then the checks that need the whole manifest.
 */
#include "manifest-internal.h"

/* The parser: one handler per key, given the fields of its line. */
struct key {
	const char *name;
	unsigned int fields;	/* 0: the rest of the line is one field */
	const char *usage;
	int (*parse)(struct ctx *c, struct ks_manifest *m,
		     const char *const *f, const ks_size *fn);
};

static int parse_format(struct ctx *c, struct ks_manifest *m,
			const char *const *f, const ks_size *fn)
{
	ks_size i;

	if (m->format)
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate 'format'");
	for (i = 0; i < fn[0]; i++)
		if (!ks_is_digit(f[0][i]))
			return mf_fail(c, KS_ERR_SYNTAX,
				    "format version %Q is not a decimal number",
				    f[0], fn[0]);
	/* One digit while KS_MANIFEST_FORMAT < 10. */
	if (fn[0] != 1 || f[0][0] != '0' + KS_MANIFEST_FORMAT)
		return mf_fail(c, KS_ERR_VERSION,
			    "unsupported format version %E (this ksplice reads %u)",
			    f[0], fn[0], KS_MANIFEST_FORMAT);
	m->format = KS_MANIFEST_FORMAT;
	return 0;
}

static int parse_id(struct ctx *c, struct ks_manifest *m,
		    const char *const *f, const ks_size *fn)
{
	int err;

	if (m->id[0])
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate 'id'");
	err = mf_check_id(c, f[0], fn[0]);
	if (err)
		return err;
	mf_copy_field(m->id, f[0], fn[0]);
	return 0;
}

static int parse_description(struct ctx *c, struct ks_manifest *m,
			     const char *const *f, const ks_size *fn)
{
	int err;

	if (m->description[0])
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate 'description'");
	err = mf_check_description(c, f[0], fn[0]);
	if (err)
		return err;
	mf_copy_field(m->description, f[0], fn[0]);
	return 0;
}

static int parse_release(struct ctx *c, struct ks_manifest *m,
			 const char *const *f, const ks_size *fn)
{
	int err;

	if (m->kernel_release[0])
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate 'kernel-release'");
	err = mf_check_release(c, f[0], fn[0]);
	if (err)
		return err;
	mf_copy_field(m->kernel_release, f[0], fn[0]);
	return 0;
}

static int parse_build_id_line(struct ctx *c, struct ks_manifest *m,
			       const char *const *f, const ks_size *fn)
{
	int err;

	if (m->build_id_len)
		return mf_fail(c, KS_ERR_DUPLICATE, "duplicate 'kernel-build-id'");
	err = mf_parse_build_id(c, f[0], fn[0], m->build_id);
	if (err)
		return err;
	m->build_id_len = (unsigned int)(fn[0] / 2);
	return 0;
}

static int parse_effective_release(struct ctx *c, struct ks_manifest *m,
				   const char *const *f, const ks_size *fn)
{
	int err;

	if (m->effective_release[0])
		return mf_fail(c, KS_ERR_DUPLICATE,
			    "duplicate 'effective-release'");
	err = mf_check_effective_release(c, f[0], fn[0]);
	if (err)
		return err;
	mf_copy_field(m->effective_release, f[0], fn[0]);
	return 0;
}

static int parse_cve(struct ctx *c, struct ks_manifest *m,
		     const char *const *f, const ks_size *fn)
{
	return mf_add_cve(c, m, f[0], fn[0]);
}

static int parse_target(struct ctx *c, struct ks_manifest *m,
			const char *const *f, const ks_size *fn)
{
	return mf_add_target(c, m, f[0], fn[0]);
}

static int parse_function(struct ctx *c, struct ks_manifest *m,
			  const char *const *f, const ks_size *fn)
{
	ks_u64 size;
	int err = mf_parse_number(c, "function size", f[1], fn[1], 1,
			       KS_FUNC_SIZE_MAX, &size);

	if (err)
		return err;
	return mf_add_function(c, m, f[0], fn[0], size);
}

static int parse_module(struct ctx *c, struct ks_manifest *m,
			const char *const *f, const ks_size *fn)
{
	return mf_add_module(c, m, f[0], fn[0]);
}

static int parse_member(struct ctx *c, struct ks_manifest *m,
			const char *const *f, const ks_size *fn)
{
	ks_u8 sha[KS_SHA256_LEN];
	ks_u64 size;
	int err = mf_parse_number(c, "member size", f[1], fn[1], 0,
			       KS_MEMBER_SIZE_MAX, &size);

	if (err)
		return err;
	if (fn[2] != KS_SHA256_HEX_LEN)
		return mf_fail(c, KS_ERR_SYNTAX,
			    "sha256 %Q of member %Q is not %u hex digits",
			    f[2], fn[2], f[0], fn[0], KS_SHA256_HEX_LEN);
	err = mf_check_hex(c, "sha256", f[2], fn[2]);
	if (err)
		return err;
	mf_decode_hex(f[2], fn[2], sha);
	return mf_add_member(c, m, f[0], fn[0], size, sha);
}

static const struct key keys[] = {
	{ "format", 1, "format <version>", parse_format },
	{ "id", 1, "id <id>", parse_id },
	{ "description", 0, "description <text>", parse_description },
	{ "kernel-release", 1, "kernel-release <release>", parse_release },
	{ "kernel-build-id", 1, "kernel-build-id <hex>", parse_build_id_line },
	{ "effective-release", 1, "effective-release <release>",
	  parse_effective_release },
	{ "cve", 1, "cve <CVE-YYYY-NNNN>", parse_cve },
	{ "target", 1, "target <object>", parse_target },
	{ "function", 2, "function <name> <size>", parse_function },
	{ "module", 1, "module <member>", parse_module },
	{ "member", 3, "member <member> <size> <sha256-hex>", parse_member },
};

static const struct key *find_key(const char *s, ks_size n)
{
	unsigned int i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (ks_streqn(keys[i].name, s, n))
			return &keys[i];
	return KS_NULL;
}

/*
 * Split @rest (what follows the key, starting with its space) into the
 * key's fields, separated by single spaces.  0, or -1 if the count is
 * wrong or a field is empty.
 */
static int split_fields(const struct key *k, const char *rest, ks_size n,
			const char **f, ks_size *fn)
{
	unsigned int nf = 0;
	ks_size i, start;

	if (n < 2)
		return -1;
	rest++;
	n--;
	if (!k->fields) {
		f[0] = rest;
		fn[0] = n;
		return 0;
	}
	for (i = 0, start = 0; i <= n; i++) {
		if (i < n && rest[i] != ' ')
			continue;
		if (i == start || nf == k->fields)
			return -1;
		f[nf] = rest + start;
		fn[nf++] = i - start;
		start = i + 1;
	}
	return nf == k->fields ? 0 : -1;
}

static int parse_line(struct ctx *c, struct ks_manifest *m, const char *s,
		      ks_size n)
{
	const char *f[3];
	ks_size fn[3], klen, at, bad_len;
	const struct key *k;
	const char *bad;

	bad = mf_text_problem(s, n, &at, &bad_len);
	if (bad)
		return mf_fail(c, KS_ERR_SYNTAX, "%s %Q", bad, s + at, bad_len);
	for (klen = 0; klen < n && s[klen] != ' '; klen++)
		;
	if (c->line == 1 && !ks_streqn("format", s, klen))
		return mf_fail(c, KS_ERR_MISSING,
			    "the first line must be 'format <version>'");
	if (n == 0)
		return mf_fail(c, KS_ERR_SYNTAX, "empty line");
	if (s[0] == '#')
		return 0;
	if (s[n - 1] == ' ')
		return mf_fail(c, KS_ERR_SYNTAX, "trailing space");
	k = find_key(s, klen);
	if (!k)
		return mf_fail(c, KS_ERR_UNKNOWN, "unknown key %Q", s, klen);
	if (split_fields(k, s + klen, n - klen, f, fn))
		return mf_fail(c, KS_ERR_SYNTAX, "expected '%s'", k->usage);
	return k->parse(c, m, f, fn);
}

int ks_manifest_parse(struct ks_manifest *m, const char *text, ks_size len,
		      char *msg, ks_size msg_len)
{
	struct ctx c;
	ks_size pos = 0;

	mf_ctx_init(&c, msg, msg_len);
	ks_manifest_init(m);
	m->format = 0;		/* until the format line says so */
	if (!len)
		return mf_fail(&c, KS_ERR_MISSING,
			    "empty; the first line must be 'format <version>'");
	while (pos < len) {
		const char *s = text + pos;
		ks_size n = 0;
		int err;

		c.line++;
		while (pos + n < len && s[n] != '\n')
			n++;
		if (pos + n == len)
			return mf_fail(&c, KS_ERR_SYNTAX,
				    "no newline at the end of the last line");
		pos += n + 1;
		err = parse_line(&c, m, s, n);
		if (err)
			return err;
	}
	return mf_finish(&c, m);
}
