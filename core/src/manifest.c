// SPDX-License-Identifier: GPL-2.0
/*
 * Manifest parser, validator and writer; see ksplice/manifest.h and the
 * format in docs/ARCHITECTURE.md.  One set of validators serves the parser
 * (on the fields of a line), the setters (on their arguments) and
 * ks_manifest_check (on a struct built in memory), so that all three
 * refuse exactly the same things with the same words.
 */
#include "ksplice/manifest.h"
#include "util.h"

/* Where a message comes from: a manifest line, or 0 for memory. */
struct ctx {
	struct ks_msg msg;
	unsigned int line;
};

static void ctx_init(struct ctx *c, char *msg, ks_size msg_len)
{
	ks_msg_init(&c->msg, msg, msg_len);
	c->line = 0;
}

static int fail(struct ctx *c, int err, const char *fmt, ...)
{
	__builtin_va_list ap;

	ks_msg_init(&c->msg, c->msg.buf, c->msg.size);
	if (c->line)
		ks_msg_fmt(&c->msg, "manifest line %u: ", c->line);
	else
		ks_msg_puts(&c->msg, "manifest: ");
	__builtin_va_start(ap, fmt);
	ks_msg_vfmt(&c->msg, fmt, ap);
	__builtin_va_end(ap);
	return err;
}

/*
 * The first control character (C0, DEL, C1) or invalid UTF-8 sequence in
 * @s, or KS_NULL.  *@at and *@bad_len locate the offending bytes.
 */
static const char *text_problem(const char *s, ks_size n, ks_size *at,
				ks_size *bad_len)
{
	const ks_u8 *p = (const ks_u8 *)s;
	ks_size i = 0;

	while (i < n) {
		unsigned int need, j;
		ks_u32 cp;

		*at = i;
		*bad_len = 1;
		if (p[i] < 0x80) {
			if (p[i] < 0x20 || p[i] == 0x7f)
				return "control character";
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			need = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			need = 2;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			need = 3;
		else
			return "invalid UTF-8";
		if (n - i - 1 < need)
			return "invalid UTF-8";
		cp = p[i] & (0x3f >> need);
		for (j = 1; j <= need; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return "invalid UTF-8";
			cp = cp << 6 | (p[i + j] & 0x3f);
		}
		*bad_len = need + 1;
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return "invalid UTF-8";
		if (cp <= 0x9f)
			return "control character";
		i += need + 1;
	}
	return KS_NULL;
}

/* Length of a NUL-terminated field of @cap bytes; cap + 1 if too long. */
static ks_size field_len(const char *s, ks_size cap)
{
	return ks_strnlen(s, cap + 1);
}

static void copy_field(char *dst, const char *s, ks_size n)
{
	ks_memcpy(dst, s, n);
	dst[n] = '\0';
}

static int check_len(struct ctx *c, const char *what, ks_size n, ks_size max)
{
	if (n == 0)
		return fail(c, KS_ERR_SYNTAX, "empty %s", what);
	if (n > max)
		return fail(c, KS_ERR_LIMIT, "%s too long (%U bytes, limit %u)",
			    what, (ks_u64)n, (unsigned int)max);
	return 0;
}

static int is_id_char(int ch)
{
	return ks_is_alnum(ch) || ch == '_' || ch == '-';
}

static int check_id(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "id", n, KS_ID_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!is_id_char((ks_u8)s[i]))
			return fail(c, KS_ERR_SYNTAX,
				    "bad character %Q in id %Q (allowed: A-Z a-z 0-9 _ -)",
				    s + i, (ks_size)1, s, n);
	return 0;
}

static int check_description(struct ctx *c, const char *s, ks_size n)
{
	ks_size at, bad_len;
	const char *bad;
	int err = check_len(c, "description", n, KS_DESC_MAX);

	if (err)
		return err;
	bad = text_problem(s, n, &at, &bad_len);
	if (bad)
		return fail(c, KS_ERR_SYNTAX, "%s %Q in description", bad,
			    s + at, bad_len);
	return 0;
}

/*
 * The release names a directory on the host (lib/ksplice/<release>/), so
 * it must not be able to climb out of it: no '/', no leading '.'.
 */
static int check_release(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "kernel-release", n, KS_RELEASE_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++) {
		int ch = (ks_u8)s[i];

		if (ks_is_alnum(ch) ||
		    (i > 0 && (ch == '.' || ch == '_' || ch == '+' || ch == '-')))
			continue;
		return fail(c, KS_ERR_SYNTAX,
			    "bad character %Q in kernel-release %Q (allowed: A-Z a-z 0-9 . _ + -, starting with a letter or digit)",
			    s + i, (ks_size)1, s, n);
	}
	return 0;
}

/*
 * The release the fixed code is equivalent to, for ksplice-uname: a
 * kernel release or a Debian version (6.1.192-1, 1:2.3~rc1), so also
 * '~' and ':'.  It names no file.
 */
static int check_effective_release(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "effective-release", n, KS_RELEASE_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++) {
		int ch = (ks_u8)s[i];

		if (ks_is_alnum(ch) ||
		    (i > 0 && (ch == '.' || ch == '_' || ch == '+' ||
			       ch == '-' || ch == '~' || ch == ':')))
			continue;
		return fail(c, KS_ERR_SYNTAX,
			    "bad character %Q in effective-release %Q (allowed: A-Z a-z 0-9 . _ + - ~ :, starting with a letter or digit)",
			    s + i, (ks_size)1, s, n);
	}
	return 0;
}

/* CVE-YYYY-NNNN: "CVE-", 4 digits, '-', 4 to 14 digits (MITRE's form). */
int ks_cve_valid(const char *s, ks_size n)
{
	ks_size i;

	if (n < 13 || n > KS_CVE_MAX || !ks_memeq(s, "CVE-", 4) ||
	    s[8] != '-')
		return 0;
	for (i = 4; i < n; i++)
		if (i != 8 && !ks_is_digit(s[i]))
			return 0;
	return 1;
}

/* By year, then by number (CVE-2026-9999 before CVE-2026-10000). */
int ks_cve_cmp(const char *a, const char *b)
{
	ks_size na, nb, i;
	const char *x = a + 9, *y = b + 9;
	int d;

	for (i = 4; i < 8; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	while (*x == '0' && x[1])
		x++;
	while (*y == '0' && y[1])
		y++;
	na = ks_strnlen(x, KS_CVE_MAX);
	nb = ks_strnlen(y, KS_CVE_MAX);
	if (na != nb)
		return na < nb ? -1 : 1;
	for (i = 0; i < na; i++) {
		d = (int)(ks_u8)x[i] - (int)(ks_u8)y[i];
		if (d)
			return d;
	}
	/* The same number: leading zeros tell the ids apart. */
	na = ks_strnlen(a, KS_CVE_MAX);
	nb = ks_strnlen(b, KS_CVE_MAX);
	return na == nb ? 0 : na < nb ? -1 : 1;
}

static int check_cve(struct ctx *c, const char *s, ks_size n)
{
	if (!ks_cve_valid(s, n))
		return fail(c, KS_ERR_SYNTAX,
			    "bad CVE id %Q (expected CVE-YYYY-NNNN, 4 to 14 digits)",
			    s, n);
	return 0;
}

/* A target is vmlinux or a module name: the characters of module names. */
static int check_target_name(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "target name", n, KS_NAME_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!is_id_char((ks_u8)s[i]))
			return fail(c, KS_ERR_SYNTAX,
				    "bad character %Q in target %Q (allowed: A-Z a-z 0-9 _ -)",
				    s + i, (ks_size)1, s, n);
	return 0;
}

/* Symbol names: anything printable but a space (foo.isra.0, foo.cold). */
static int check_function_name(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "function name", n, KS_NAME_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!ks_is_graph((ks_u8)s[i]))
			return fail(c, KS_ERR_SYNTAX,
				    "bad character %Q in function name %Q",
				    s + i, (ks_size)1, s, n);
	return 0;
}

static int check_path(struct ctx *c, const char *what, const char *s,
		      ks_size n)
{
	const char *bad;
	int err = check_len(c, what, n, KS_PATH_MAX);

	if (err)
		return err;
	bad = ks_path_problem(s, n);
	if (bad)
		return fail(c, KS_ERR_PATH, "%s %Q %s", what, s, n, bad);
	return 0;
}

static int check_module_path(struct ctx *c, const char *s, ks_size n)
{
	int err = check_path(c, "module", s, n);

	if (err)
		return err;
	if (n < 5 || s[n - 4] == '/' || !ks_memeq(s + n - 3, ".ko", 3))
		return fail(c, KS_ERR_SYNTAX, "module %Q does not end in .ko",
			    s, n);
	return 0;
}

static int check_func_size(struct ctx *c, ks_u64 size)
{
	if (size < 1 || size > KS_FUNC_SIZE_MAX)
		return fail(c, KS_ERR_RANGE,
			    "function size %U out of range (1..%u)", size,
			    (unsigned int)KS_FUNC_SIZE_MAX);
	return 0;
}

static int check_member_size(struct ctx *c, ks_u64 size)
{
	if (size > KS_MEMBER_SIZE_MAX)
		return fail(c, KS_ERR_RANGE,
			    "member size %U too large (limit %u)", size,
			    (unsigned int)KS_MEMBER_SIZE_MAX);
	return 0;
}

/*
 * Decimal @s (@n bytes) into *@out, within @min..@max.  Only canonical
 * numbers: digits, no sign, no leading zero.
 */
static int parse_number(struct ctx *c, const char *what, const char *s,
			ks_size n, ks_u64 min, ks_u64 max, ks_u64 *out)
{
	ks_u64 v = 0;
	ks_size i;

	if (n && s[0] == '-')
		return fail(c, KS_ERR_RANGE, "negative %s %Q", what, s, n);
	for (i = 0; i < n; i++)
		if (!ks_is_digit(s[i]))
			return fail(c, KS_ERR_SYNTAX,
				    "%s %Q is not a decimal number", what,
				    s, n);
	if (n > 1 && s[0] == '0')
		return fail(c, KS_ERR_SYNTAX, "%s %Q has a leading zero",
			    what, s, n);
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (v > max / 10 || (v == max / 10 && d > max % 10))
			return fail(c, KS_ERR_RANGE,
				    "%s %Q too large (limit %U)", what, s, n,
				    max);
		v = v * 10 + d;
	}
	if (v < min)
		return fail(c, KS_ERR_RANGE, "%s %Q too small (minimum %U)",
			    what, s, n, min);
	*out = v;
	return 0;
}

static int check_hex(struct ctx *c, const char *what, const char *s,
		     ks_size n)
{
	ks_size i;

	for (i = 0; i < n; i++)
		if (ks_hexval((ks_u8)s[i]) < 0)
			return fail(c, KS_ERR_SYNTAX, "bad hex digit %Q in %s",
				    s + i, (ks_size)1, what);
	return 0;
}

/* @n checked hex digits (even) into @n / 2 bytes at @out. */
static void decode_hex(const char *s, ks_size n, ks_u8 *out)
{
	ks_size i;

	for (i = 0; i < n / 2; i++)
		out[i] = (ks_u8)(ks_hexval((ks_u8)s[2 * i]) << 4 |
				 ks_hexval((ks_u8)s[2 * i + 1]));
}

static int parse_build_id(struct ctx *c, const char *s, ks_size n,
			  ks_u8 out[KS_BUILD_ID_MAX])
{
	int err = check_hex(c, "kernel-build-id", s, n);

	if (err)
		return err;
	if (n > 2 * KS_BUILD_ID_MAX)
		return fail(c, KS_ERR_LIMIT,
			    "kernel-build-id too long (%U hex digits, limit %u)",
			    (ks_u64)n, 2 * KS_BUILD_ID_MAX);
	if (n < 2 || n % 2)
		return fail(c, KS_ERR_SYNTAX,
			    "kernel-build-id needs an even number of hex digits, 2 to %u",
			    2 * KS_BUILD_ID_MAX);
	decode_hex(s, n, out);
	return 0;
}

static int find_target_n(const struct ks_manifest *m, const char *s,
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

static int find_module_n(const struct ks_manifest *m, const char *s,
			 ks_size n, unsigned int limit)
{
	unsigned int i;

	for (i = 0; i < limit; i++)
		if (ks_streqn(m->modules[i].path, s, n))
			return (int)i;
	return -1;
}

static int find_member_n(const struct ks_manifest *m, const char *s,
			 ks_size n, unsigned int limit)
{
	unsigned int i;

	for (i = 0; i < limit; i++)
		if (ks_streqn(m->members[i].path, s, n))
			return (int)i;
	return -1;
}

/* Appenders shared by the parser and the setters; @m changes on success. */
static int add_target(struct ctx *c, struct ks_manifest *m, const char *s,
		      ks_size n)
{
	struct ks_target *t;
	int err = check_target_name(c, s, n);

	if (err)
		return err;
	if (find_target_n(m, s, n, m->nr_targets) >= 0)
		return fail(c, KS_ERR_DUPLICATE, "duplicate target %Q", s, n);
	if (m->nr_targets >= KS_MAX_TARGETS)
		return fail(c, KS_ERR_LIMIT, "too many targets (limit %u)",
			    KS_MAX_TARGETS);
	t = &m->targets[m->nr_targets++];
	copy_field(t->name, s, n);
	t->first = m->nr_functions;
	t->nr = 0;
	t->line = c->line;
	return 0;
}

/*
 * A name may repeat within a target: static functions of different files
 * of one module share names (amdgpu has two bios_parser_get_i2c_info).
 */
static int add_function(struct ctx *c, struct ks_manifest *m, const char *s,
			ks_size n, ks_u64 size)
{
	struct ks_function *f;
	struct ks_target *t;
	int err;

	if (!m->nr_targets)
		return fail(c, KS_ERR_SYNTAX,
			    "function %Q outside a target section (no 'target' line before it)",
			    s, n);
	t = &m->targets[m->nr_targets - 1];
	err = check_function_name(c, s, n);
	if (!err)
		err = check_func_size(c, size);
	if (err)
		return err;
	if (m->nr_functions >= KS_MAX_FUNCTIONS)
		return fail(c, KS_ERR_LIMIT, "too many functions (limit %u)",
			    KS_MAX_FUNCTIONS);
	f = &m->functions[m->nr_functions++];
	copy_field(f->name, s, n);
	f->size = (ks_u32)size;
	f->target = m->nr_targets - 1;
	f->line = c->line;
	t->nr++;
	return 0;
}

static int add_module(struct ctx *c, struct ks_manifest *m, const char *s,
		      ks_size n)
{
	struct ks_module *mod;
	int err = check_module_path(c, s, n);

	if (err)
		return err;
	if (find_module_n(m, s, n, m->nr_modules) >= 0)
		return fail(c, KS_ERR_DUPLICATE, "duplicate module %Q", s, n);
	if (m->nr_modules >= KS_MAX_MODULES)
		return fail(c, KS_ERR_LIMIT, "too many modules (limit %u)",
			    KS_MAX_MODULES);
	mod = &m->modules[m->nr_modules++];
	copy_field(mod->path, s, n);
	mod->line = c->line;
	return 0;
}

static int add_member(struct ctx *c, struct ks_manifest *m, const char *s,
		      ks_size n, ks_u64 size, const ks_u8 *sha256)
{
	struct ks_member *mem;
	int err = check_path(c, "member", s, n);

	if (!err)
		err = check_member_size(c, size);
	if (err)
		return err;
	if (find_member_n(m, s, n, m->nr_members) >= 0)
		return fail(c, KS_ERR_DUPLICATE, "duplicate member %Q", s, n);
	if (m->nr_members >= KS_MAX_MEMBERS)
		return fail(c, KS_ERR_LIMIT, "too many members (limit %u)",
			    KS_MAX_MEMBERS);
	mem = &m->members[m->nr_members++];
	copy_field(mem->path, s, n);
	mem->size = size;
	ks_memcpy(mem->sha256, sha256, KS_SHA256_LEN);
	mem->line = c->line;
	return 0;
}

/* Insert in order, so that every writer lists them the same way. */
static int add_cve(struct ctx *c, struct ks_manifest *m, const char *s,
		   ks_size n)
{
	char id[KS_CVE_MAX + 1];
	unsigned int i, at;
	int err = check_cve(c, s, n);

	if (err)
		return err;
	copy_field(id, s, n);
	for (at = 0; at < m->nr_cves; at++) {
		int d = ks_cve_cmp(id, m->cves[at]);

		if (!d)
			return fail(c, KS_ERR_DUPLICATE, "duplicate cve %Q",
				    s, n);
		if (d < 0)
			break;
	}
	if (m->nr_cves >= KS_MAX_CVES)
		return fail(c, KS_ERR_LIMIT, "too many cve lines (limit %u)",
			    KS_MAX_CVES);
	for (i = m->nr_cves; i > at; i--)
		ks_memcpy(m->cves[i], m->cves[i - 1], KS_CVE_MAX + 1);
	copy_field(m->cves[at], s, n);
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
static int finish(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	c->line = 0;
	if (!m->id[0])
		return fail(c, KS_ERR_MISSING, "missing required key 'id'");
	if (!m->description[0])
		return fail(c, KS_ERR_MISSING,
			    "missing required key 'description'");
	if (!m->kernel_release[0])
		return fail(c, KS_ERR_MISSING,
			    "missing required key 'kernel-release'");
	if (!m->nr_modules)
		return fail(c, KS_ERR_MISSING,
			    "missing required key 'module' (at least one update module)");
	for (i = 0; i < m->nr_members; i++) {
		const struct ks_member *mem = &m->members[i];
		ks_size n = ks_strnlen(mem->path, KS_PATH_MAX);

		c->line = mem->line;
		if (!in_package_dir(m, mem->path, n))
			return fail(c, KS_ERR_PATH,
				    "member %q is not under ksplice-%e/",
				    mem->path, m->id);
		if (is_own_path(m, mem->path, n))
			return fail(c, KS_ERR_PATH,
				    "member %q is the manifest, which is not listed",
				    mem->path);
		if (is_sig_path(m, mem->path, n))
			return fail(c, KS_ERR_PATH,
				    "member %q is the manifest's signature, which is not listed",
				    mem->path);
	}
	for (i = 0; i < m->nr_modules; i++) {
		const struct ks_module *mod = &m->modules[i];
		ks_size n = ks_strnlen(mod->path, KS_PATH_MAX);

		c->line = mod->line;
		if (!in_package_dir(m, mod->path, n))
			return fail(c, KS_ERR_PATH,
				    "module %q is not under ksplice-%e/",
				    mod->path, m->id);
		if (find_member_n(m, mod->path, n, m->nr_members) < 0)
			return fail(c, KS_ERR_MISSING,
				    "module %q has no 'member' line",
				    mod->path);
	}
	c->line = 0;
	return 0;
}

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
		return fail(c, KS_ERR_DUPLICATE, "duplicate 'format'");
	for (i = 0; i < fn[0]; i++)
		if (!ks_is_digit(f[0][i]))
			return fail(c, KS_ERR_SYNTAX,
				    "format version %Q is not a decimal number",
				    f[0], fn[0]);
	/* One digit while KS_MANIFEST_FORMAT < 10. */
	if (fn[0] != 1 || f[0][0] != '0' + KS_MANIFEST_FORMAT)
		return fail(c, KS_ERR_VERSION,
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
		return fail(c, KS_ERR_DUPLICATE, "duplicate 'id'");
	err = check_id(c, f[0], fn[0]);
	if (err)
		return err;
	copy_field(m->id, f[0], fn[0]);
	return 0;
}

static int parse_description(struct ctx *c, struct ks_manifest *m,
			     const char *const *f, const ks_size *fn)
{
	int err;

	if (m->description[0])
		return fail(c, KS_ERR_DUPLICATE, "duplicate 'description'");
	err = check_description(c, f[0], fn[0]);
	if (err)
		return err;
	copy_field(m->description, f[0], fn[0]);
	return 0;
}

static int parse_release(struct ctx *c, struct ks_manifest *m,
			 const char *const *f, const ks_size *fn)
{
	int err;

	if (m->kernel_release[0])
		return fail(c, KS_ERR_DUPLICATE, "duplicate 'kernel-release'");
	err = check_release(c, f[0], fn[0]);
	if (err)
		return err;
	copy_field(m->kernel_release, f[0], fn[0]);
	return 0;
}

static int parse_build_id_line(struct ctx *c, struct ks_manifest *m,
			       const char *const *f, const ks_size *fn)
{
	int err;

	if (m->build_id_len)
		return fail(c, KS_ERR_DUPLICATE, "duplicate 'kernel-build-id'");
	err = parse_build_id(c, f[0], fn[0], m->build_id);
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
		return fail(c, KS_ERR_DUPLICATE,
			    "duplicate 'effective-release'");
	err = check_effective_release(c, f[0], fn[0]);
	if (err)
		return err;
	copy_field(m->effective_release, f[0], fn[0]);
	return 0;
}

static int parse_cve(struct ctx *c, struct ks_manifest *m,
		     const char *const *f, const ks_size *fn)
{
	return add_cve(c, m, f[0], fn[0]);
}

static int parse_target(struct ctx *c, struct ks_manifest *m,
			const char *const *f, const ks_size *fn)
{
	return add_target(c, m, f[0], fn[0]);
}

static int parse_function(struct ctx *c, struct ks_manifest *m,
			  const char *const *f, const ks_size *fn)
{
	ks_u64 size;
	int err = parse_number(c, "function size", f[1], fn[1], 1,
			       KS_FUNC_SIZE_MAX, &size);

	if (err)
		return err;
	return add_function(c, m, f[0], fn[0], size);
}

static int parse_module(struct ctx *c, struct ks_manifest *m,
			const char *const *f, const ks_size *fn)
{
	return add_module(c, m, f[0], fn[0]);
}

static int parse_member(struct ctx *c, struct ks_manifest *m,
			const char *const *f, const ks_size *fn)
{
	ks_u8 sha[KS_SHA256_LEN];
	ks_u64 size;
	int err = parse_number(c, "member size", f[1], fn[1], 0,
			       KS_MEMBER_SIZE_MAX, &size);

	if (err)
		return err;
	if (fn[2] != KS_SHA256_HEX_LEN)
		return fail(c, KS_ERR_SYNTAX,
			    "sha256 %Q of member %Q is not %u hex digits",
			    f[2], fn[2], f[0], fn[0], KS_SHA256_HEX_LEN);
	err = check_hex(c, "sha256", f[2], fn[2]);
	if (err)
		return err;
	decode_hex(f[2], fn[2], sha);
	return add_member(c, m, f[0], fn[0], size, sha);
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

	bad = text_problem(s, n, &at, &bad_len);
	if (bad)
		return fail(c, KS_ERR_SYNTAX, "%s %Q", bad, s + at, bad_len);
	for (klen = 0; klen < n && s[klen] != ' '; klen++)
		;
	if (c->line == 1 && !ks_streqn("format", s, klen))
		return fail(c, KS_ERR_MISSING,
			    "the first line must be 'format <version>'");
	if (n == 0)
		return fail(c, KS_ERR_SYNTAX, "empty line");
	if (s[0] == '#')
		return 0;
	if (s[n - 1] == ' ')
		return fail(c, KS_ERR_SYNTAX, "trailing space");
	k = find_key(s, klen);
	if (!k)
		return fail(c, KS_ERR_UNKNOWN, "unknown key %Q", s, klen);
	if (split_fields(k, s + klen, n - klen, f, fn))
		return fail(c, KS_ERR_SYNTAX, "expected '%s'", k->usage);
	return k->parse(c, m, f, fn);
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

int ks_manifest_parse(struct ks_manifest *m, const char *text, ks_size len,
		      char *msg, ks_size msg_len)
{
	struct ctx c;
	ks_size pos = 0;

	ctx_init(&c, msg, msg_len);
	ks_manifest_init(m);
	m->format = 0;		/* until the format line says so */
	if (!len)
		return fail(&c, KS_ERR_MISSING,
			    "empty; the first line must be 'format <version>'");
	while (pos < len) {
		const char *s = text + pos;
		ks_size n = 0;
		int err;

		c.line++;
		while (pos + n < len && s[n] != '\n')
			n++;
		if (pos + n == len)
			return fail(&c, KS_ERR_SYNTAX,
				    "no newline at the end of the last line");
		pos += n + 1;
		err = parse_line(&c, m, s, n);
		if (err)
			return err;
	}
	return finish(&c, m);
}

/* Each valid, in order and once: what add_cve() makes. */
static int check_cves(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	if (m->nr_cves > KS_MAX_CVES)
		return fail(c, KS_ERR_LIMIT, "too many cve lines (limit %u)",
			    KS_MAX_CVES);
	for (i = 0; i < m->nr_cves; i++) {
		int err = check_cve(c, m->cves[i],
				    field_len(m->cves[i], KS_CVE_MAX));

		if (err)
			return err;
		if (i && ks_cve_cmp(m->cves[i - 1], m->cves[i]) >= 0)
			return fail(c, KS_ERR_SYNTAX,
				    "cve %q out of order or repeated",
				    m->cves[i]);
	}
	return 0;
}

/* Header fields, if present; their absence is finish()'s business. */
static int check_header(struct ctx *c, const struct ks_manifest *m)
{
	int err = 0;

	if (m->format != KS_MANIFEST_FORMAT)
		return fail(c, KS_ERR_VERSION,
			    "unsupported format version %u (this ksplice reads %u)",
			    m->format, KS_MANIFEST_FORMAT);
	if (m->id[0])
		err = check_id(c, m->id, field_len(m->id, KS_ID_MAX));
	if (!err && m->description[0])
		err = check_description(c, m->description,
					field_len(m->description,
						  KS_DESC_MAX));
	if (!err && m->kernel_release[0])
		err = check_release(c, m->kernel_release,
				    field_len(m->kernel_release,
					      KS_RELEASE_MAX));
	if (!err && m->effective_release[0])
		err = check_effective_release(c, m->effective_release,
					      field_len(m->effective_release,
							KS_RELEASE_MAX));
	if (!err)
		err = check_cves(c, m);
	if (!err && m->build_id_len > KS_BUILD_ID_MAX)
		err = fail(c, KS_ERR_LIMIT,
			   "kernel-build-id too long (%u bytes, limit %u)",
			   m->build_id_len, KS_BUILD_ID_MAX);
	return err;
}

static int check_targets(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i, next = 0;

	if (m->nr_targets > KS_MAX_TARGETS)
		return fail(c, KS_ERR_LIMIT, "too many targets (limit %u)",
			    KS_MAX_TARGETS);
	if (m->nr_functions > KS_MAX_FUNCTIONS)
		return fail(c, KS_ERR_LIMIT, "too many functions (limit %u)",
			    KS_MAX_FUNCTIONS);
	for (i = 0; i < m->nr_targets; i++) {
		const struct ks_target *t = &m->targets[i];
		ks_size n = field_len(t->name, KS_NAME_MAX);
		int err;

		c->line = t->line;
		err = check_target_name(c, t->name, n);
		if (err)
			return err;
		if (find_target_n(m, t->name, n, i) >= 0)
			return fail(c, KS_ERR_DUPLICATE, "duplicate target %q",
				    t->name);
		/* Sections follow each other: functions[] in target order. */
		if (t->first != next || t->nr > m->nr_functions - next)
			return fail(c, KS_ERR_SYNTAX,
				    "functions of target %q out of order",
				    t->name);
		next += t->nr;
	}
	c->line = 0;
	if (next != m->nr_functions)
		return fail(c, KS_ERR_SYNTAX, "function outside a target section");
	return 0;
}

static int check_functions(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	for (i = 0; i < m->nr_functions; i++) {
		const struct ks_function *f = &m->functions[i];
		ks_size n = field_len(f->name, KS_NAME_MAX);
		int err;

		c->line = f->line;
		if (f->target >= m->nr_targets ||
		    i - m->targets[f->target].first >=
		    m->targets[f->target].nr)
			return fail(c, KS_ERR_SYNTAX,
				    "function %q outside its target's section",
				    f->name);
		err = check_function_name(c, f->name, n);
		if (!err)
			err = check_func_size(c, f->size);
		if (err)
			return err;
	}
	return 0;
}

static int check_modules(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	if (m->nr_modules > KS_MAX_MODULES)
		return fail(c, KS_ERR_LIMIT, "too many modules (limit %u)",
			    KS_MAX_MODULES);
	for (i = 0; i < m->nr_modules; i++) {
		const struct ks_module *mod = &m->modules[i];
		ks_size n = field_len(mod->path, KS_PATH_MAX);
		int err;

		c->line = mod->line;
		err = check_module_path(c, mod->path, n);
		if (err)
			return err;
		if (find_module_n(m, mod->path, n, i) >= 0)
			return fail(c, KS_ERR_DUPLICATE, "duplicate module %q",
				    mod->path);
	}
	return 0;
}

static int check_members(struct ctx *c, const struct ks_manifest *m)
{
	unsigned int i;

	if (m->nr_members > KS_MAX_MEMBERS)
		return fail(c, KS_ERR_LIMIT, "too many members (limit %u)",
			    KS_MAX_MEMBERS);
	for (i = 0; i < m->nr_members; i++) {
		const struct ks_member *mem = &m->members[i];
		ks_size n = field_len(mem->path, KS_PATH_MAX);
		int err;

		c->line = mem->line;
		err = check_path(c, "member", mem->path, n);
		if (!err)
			err = check_member_size(c, mem->size);
		if (err)
			return err;
		if (find_member_n(m, mem->path, n, i) >= 0)
			return fail(c, KS_ERR_DUPLICATE, "duplicate member %q",
				    mem->path);
	}
	return 0;
}

int ks_manifest_check(const struct ks_manifest *m, char *msg, ks_size msg_len)
{
	struct ctx c;
	int err;

	ctx_init(&c, msg, msg_len);
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
		err = finish(&c, m);
	return err;
}

/* Output that counts what it could not store, to report the size needed. */
struct out {
	char *buf;
	ks_size size;
	ks_size len;
};

static void out_mem(struct out *o, const char *s, ks_size n)
{
	ks_size i;

	for (i = 0; i < n; i++, o->len++)
		if (o->len < o->size)
			o->buf[o->len] = s[i];
}

static void out_str(struct out *o, const char *s)
{
	out_mem(o, s, ks_strnlen(s, KS_DESC_MAX + 1));
}

static void out_u64(struct out *o, ks_u64 v)
{
	char tmp[20];
	int i = 20;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_mem(o, tmp + i, (ks_size)(20 - i));
}

static void out_hex(struct out *o, const ks_u8 *p, unsigned int n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		out_mem(o, &hex[p[i] >> 4], 1);
		out_mem(o, &hex[p[i] & 15], 1);
	}
}

static void out_line(struct out *o, const char *key, const char *value)
{
	out_str(o, key);
	out_mem(o, " ", 1);
	out_str(o, value);
	out_mem(o, "\n", 1);
}

static void write_sections(struct out *o, const struct ks_manifest *m)
{
	unsigned int t, i;

	for (t = 0; t < m->nr_targets; t++) {
		const struct ks_target *tg = &m->targets[t];

		out_line(o, "target", tg->name);
		for (i = tg->first; i < tg->first + tg->nr; i++) {
			out_str(o, "function ");
			out_str(o, m->functions[i].name);
			out_mem(o, " ", 1);
			out_u64(o, m->functions[i].size);
			out_mem(o, "\n", 1);
		}
	}
	for (i = 0; i < m->nr_modules; i++)
		out_line(o, "module", m->modules[i].path);
	for (i = 0; i < m->nr_members; i++) {
		out_str(o, "member ");
		out_str(o, m->members[i].path);
		out_mem(o, " ", 1);
		out_u64(o, m->members[i].size);
		out_mem(o, " ", 1);
		out_hex(o, m->members[i].sha256, KS_SHA256_LEN);
		out_mem(o, "\n", 1);
	}
}

int ks_manifest_write(const struct ks_manifest *m, char *buf, ks_size size,
		      ks_size *len, char *msg, ks_size msg_len)
{
	struct out o = { buf, size, 0 };
	struct ctx c;
	unsigned int i;
	int err = ks_manifest_check(m, msg, msg_len);

	*len = 0;
	if (err)
		return err;
	ctx_init(&c, msg, msg_len);
	out_str(&o, "format ");
	out_u64(&o, m->format);
	out_mem(&o, "\n", 1);
	out_line(&o, "id", m->id);
	out_line(&o, "description", m->description);
	out_line(&o, "kernel-release", m->kernel_release);
	if (m->build_id_len) {
		out_str(&o, "kernel-build-id ");
		out_hex(&o, m->build_id, m->build_id_len);
		out_mem(&o, "\n", 1);
	}
	if (m->effective_release[0])
		out_line(&o, "effective-release", m->effective_release);
	for (i = 0; i < m->nr_cves; i++)
		out_line(&o, "cve", m->cves[i]);
	write_sections(&o, m);
	*len = o.len;
	if (o.len >= size)
		return fail(&c, KS_ERR_NOSPACE,
			    "text needs %U bytes with its NUL, buffer has %U",
			    (ks_u64)o.len + 1, (ks_u64)size);
	buf[o.len] = '\0';
	return 0;
}

/* Public setters: the parser's checks on a NUL-terminated argument. */
#define ARG_MAX	((ks_size)1 << 20)	/* far above any limit, below overflow */

int ks_manifest_set_id(struct ks_manifest *m, const char *id,
		       char *msg, ks_size msg_len)
{
	ks_size n = ks_strnlen(id, ARG_MAX);
	struct ctx c;
	int err;

	ctx_init(&c, msg, msg_len);
	err = check_id(&c, id, n);
	if (err)
		return err;
	copy_field(m->id, id, n);
	return 0;
}

int ks_manifest_set_description(struct ks_manifest *m, const char *text,
				char *msg, ks_size msg_len)
{
	ks_size n = ks_strnlen(text, ARG_MAX);
	struct ctx c;
	int err;

	ctx_init(&c, msg, msg_len);
	err = check_description(&c, text, n);
	if (err)
		return err;
	copy_field(m->description, text, n);
	return 0;
}

int ks_manifest_set_kernel_release(struct ks_manifest *m, const char *release,
				   char *msg, ks_size msg_len)
{
	ks_size n = ks_strnlen(release, ARG_MAX);
	struct ctx c;
	int err;

	ctx_init(&c, msg, msg_len);
	err = check_release(&c, release, n);
	if (err)
		return err;
	copy_field(m->kernel_release, release, n);
	return 0;
}

int ks_manifest_set_build_id(struct ks_manifest *m, const char *hex,
			     char *msg, ks_size msg_len)
{
	ks_u8 id[KS_BUILD_ID_MAX];
	ks_size n = hex ? ks_strnlen(hex, ARG_MAX) : 0;
	struct ctx c;
	int err;

	ctx_init(&c, msg, msg_len);
	if (!n) {
		m->build_id_len = 0;
		return 0;
	}
	err = parse_build_id(&c, hex, n, id);
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

	ctx_init(&c, msg, msg_len);
	if (!n) {
		m->effective_release[0] = '\0';
		return 0;
	}
	err = check_effective_release(&c, release, n);
	if (err)
		return err;
	copy_field(m->effective_release, release, n);
	return 0;
}

int ks_manifest_add_cve(struct ks_manifest *m, const char *cve,
			char *msg, ks_size msg_len)
{
	struct ctx c;

	ctx_init(&c, msg, msg_len);
	return add_cve(&c, m, cve, ks_strnlen(cve, ARG_MAX));
}

int ks_manifest_add_target(struct ks_manifest *m, const char *name,
			   char *msg, ks_size msg_len)
{
	struct ctx c;

	ctx_init(&c, msg, msg_len);
	return add_target(&c, m, name, ks_strnlen(name, ARG_MAX));
}

int ks_manifest_add_function(struct ks_manifest *m, const char *name,
			     ks_u64 size, char *msg, ks_size msg_len)
{
	struct ctx c;

	ctx_init(&c, msg, msg_len);
	return add_function(&c, m, name, ks_strnlen(name, ARG_MAX), size);
}

int ks_manifest_add_module(struct ks_manifest *m, const char *path,
			   char *msg, ks_size msg_len)
{
	struct ctx c;

	ctx_init(&c, msg, msg_len);
	return add_module(&c, m, path, ks_strnlen(path, ARG_MAX));
}

int ks_manifest_add_member(struct ks_manifest *m, const char *path,
			   ks_u64 size, const ks_u8 sha256[KS_SHA256_LEN],
			   char *msg, ks_size msg_len)
{
	struct ctx c;

	ctx_init(&c, msg, msg_len);
	return add_member(&c, m, path, ks_strnlen(path, ARG_MAX), size,
			  sha256);
}

/* Lookups take any NUL-terminated string; too long never matches. */
int ks_manifest_find_member(const struct ks_manifest *m, const char *path)
{
	ks_size n = ks_strnlen(path, KS_PATH_MAX + 1);

	return n > KS_PATH_MAX ? -1 : find_member_n(m, path, n, m->nr_members);
}

int ks_manifest_find_module(const struct ks_manifest *m, const char *path)
{
	ks_size n = ks_strnlen(path, KS_PATH_MAX + 1);

	return n > KS_PATH_MAX ? -1 : find_module_n(m, path, n, m->nr_modules);
}

int ks_manifest_find_target(const struct ks_manifest *m, const char *name)
{
	ks_size n = ks_strnlen(name, KS_NAME_MAX + 1);

	return n > KS_NAME_MAX ? -1 : find_target_n(m, name, n, m->nr_targets);
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
