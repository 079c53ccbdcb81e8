// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of each manifest field, one field at a time: lengths,
 * characters, ids, releases, CVE ids, names, paths, sizes, numbers and hex.
 * The parser checks a line's fields with them, the setters their
 * arguments, ks_manifest_check a struct built in memory.
 */
#include "manifest-internal.h"

void mf_ctx_init(struct ctx *c, char *msg, ks_size msg_len)
{
	ks_msg_init(&c->msg, msg, msg_len);
	c->line = 0;
}

int mf_fail(struct ctx *c, int err, const char *fmt, ...)
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
const char *mf_text_problem(const char *s, ks_size n, ks_size *at,
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
ks_size mf_field_len(const char *s, ks_size cap)
{
	return ks_strnlen(s, cap + 1);
}

void mf_copy_field(char *dst, const char *s, ks_size n)
{
	ks_memcpy(dst, s, n);
	dst[n] = '\0';
}

static int check_len(struct ctx *c, const char *what, ks_size n, ks_size max)
{
	if (n == 0)
		return mf_fail(c, KS_ERR_SYNTAX, "empty %s", what);
	if (n > max)
		return mf_fail(c, KS_ERR_LIMIT, "%s too long (%U bytes, limit %u)",
			    what, (ks_u64)n, (unsigned int)max);
	return 0;
}

static int is_id_char(int ch)
{
	return ks_is_alnum(ch) || ch == '_' || ch == '-';
}

int mf_check_id(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "id", n, KS_ID_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!is_id_char((ks_u8)s[i]))
			return mf_fail(c, KS_ERR_SYNTAX,
				    "bad character %Q in id %Q (allowed: A-Z a-z 0-9 _ -)",
				    s + i, (ks_size)1, s, n);
	return 0;
}

int mf_check_description(struct ctx *c, const char *s, ks_size n)
{
	ks_size at, bad_len;
	const char *bad;
	int err = check_len(c, "description", n, KS_DESC_MAX);

	if (err)
		return err;
	bad = mf_text_problem(s, n, &at, &bad_len);
	if (bad)
		return mf_fail(c, KS_ERR_SYNTAX, "%s %Q in description", bad,
			    s + at, bad_len);
	return 0;
}

/*
 * The release names a directory on the host (lib/ksplice/<release>/), so
 * it must not be able to climb out of it: no '/', no leading '.'.
 */
int mf_check_release(struct ctx *c, const char *s, ks_size n)
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
		return mf_fail(c, KS_ERR_SYNTAX,
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
int mf_check_effective_release(struct ctx *c, const char *s, ks_size n)
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
		return mf_fail(c, KS_ERR_SYNTAX,
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

int mf_check_cve(struct ctx *c, const char *s, ks_size n)
{
	if (!ks_cve_valid(s, n))
		return mf_fail(c, KS_ERR_SYNTAX,
			    "bad CVE id %Q (expected CVE-YYYY-NNNN, 4 to 14 digits)",
			    s, n);
	return 0;
}

/* A target is vmlinux or a module name: the characters of module names. */
int mf_check_target_name(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "target name", n, KS_NAME_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!is_id_char((ks_u8)s[i]))
			return mf_fail(c, KS_ERR_SYNTAX,
				    "bad character %Q in target %Q (allowed: A-Z a-z 0-9 _ -)",
				    s + i, (ks_size)1, s, n);
	return 0;
}

/* Symbol names: anything printable but a space (foo.isra.0, foo.cold). */
int mf_check_function_name(struct ctx *c, const char *s, ks_size n)
{
	ks_size i;
	int err = check_len(c, "function name", n, KS_NAME_MAX);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!ks_is_graph((ks_u8)s[i]))
			return mf_fail(c, KS_ERR_SYNTAX,
				    "bad character %Q in function name %Q",
				    s + i, (ks_size)1, s, n);
	return 0;
}

int mf_check_path(struct ctx *c, const char *what, const char *s,
		  ks_size n)
{
	const char *bad;
	int err = check_len(c, what, n, KS_PATH_MAX);

	if (err)
		return err;
	bad = ks_path_problem(s, n);
	if (bad)
		return mf_fail(c, KS_ERR_PATH, "%s %Q %s", what, s, n, bad);
	return 0;
}

int mf_check_module_path(struct ctx *c, const char *s, ks_size n)
{
	int err = mf_check_path(c, "module", s, n);

	if (err)
		return err;
	if (n < 5 || s[n - 4] == '/' || !ks_memeq(s + n - 3, ".ko", 3))
		return mf_fail(c, KS_ERR_SYNTAX, "module %Q does not end in .ko",
			    s, n);
	return 0;
}

int mf_check_func_size(struct ctx *c, ks_u64 size)
{
	if (size < 1 || size > KS_FUNC_SIZE_MAX)
		return mf_fail(c, KS_ERR_RANGE,
			    "function size %U out of range (1..%u)", size,
			    (unsigned int)KS_FUNC_SIZE_MAX);
	return 0;
}

int mf_check_member_size(struct ctx *c, ks_u64 size)
{
	if (size > KS_MEMBER_SIZE_MAX)
		return mf_fail(c, KS_ERR_RANGE,
			    "member size %U too large (limit %u)", size,
			    (unsigned int)KS_MEMBER_SIZE_MAX);
	return 0;
}

/*
 * Decimal @s (@n bytes) into *@out, within @min..@max.  Only canonical
 * numbers: digits, no sign, no leading zero.
 */
int mf_parse_number(struct ctx *c, const char *what, const char *s,
		    ks_size n, ks_u64 min, ks_u64 max, ks_u64 *out)
{
	ks_u64 v = 0;
	ks_size i;

	if (n && s[0] == '-')
		return mf_fail(c, KS_ERR_RANGE, "negative %s %Q", what, s, n);
	for (i = 0; i < n; i++)
		if (!ks_is_digit(s[i]))
			return mf_fail(c, KS_ERR_SYNTAX,
				    "%s %Q is not a decimal number", what,
				    s, n);
	if (n > 1 && s[0] == '0')
		return mf_fail(c, KS_ERR_SYNTAX, "%s %Q has a leading zero",
			    what, s, n);
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (v > max / 10 || (v == max / 10 && d > max % 10))
			return mf_fail(c, KS_ERR_RANGE,
				    "%s %Q too large (limit %U)", what, s, n,
				    max);
		v = v * 10 + d;
	}
	if (v < min)
		return mf_fail(c, KS_ERR_RANGE, "%s %Q too small (minimum %U)",
			    what, s, n, min);
	*out = v;
	return 0;
}

int mf_check_hex(struct ctx *c, const char *what, const char *s,
		 ks_size n)
{
	ks_size i;

	for (i = 0; i < n; i++)
		if (ks_hexval((ks_u8)s[i]) < 0)
			return mf_fail(c, KS_ERR_SYNTAX, "bad hex digit %Q in %s",
				    s + i, (ks_size)1, what);
	return 0;
}

/* @n checked hex digits (even) into @n / 2 bytes at @out. */
void mf_decode_hex(const char *s, ks_size n, ks_u8 *out)
{
	ks_size i;

	for (i = 0; i < n / 2; i++)
		out[i] = (ks_u8)(ks_hexval((ks_u8)s[2 * i]) << 4 |
				 ks_hexval((ks_u8)s[2 * i + 1]));
}

int mf_parse_build_id(struct ctx *c, const char *s, ks_size n,
		      ks_u8 out[KS_BUILD_ID_MAX])
{
	int err = mf_check_hex(c, "kernel-build-id", s, n);

	if (err)
		return err;
	if (n > 2 * KS_BUILD_ID_MAX)
		return mf_fail(c, KS_ERR_LIMIT,
			    "kernel-build-id too long (%U hex digits, limit %u)",
			    (ks_u64)n, 2 * KS_BUILD_ID_MAX);
	if (n < 2 || n % 2)
		return mf_fail(c, KS_ERR_SYNTAX,
			    "kernel-build-id needs an even number of hex digits, 2 to %u",
			    2 * KS_BUILD_ID_MAX);
	mf_decode_hex(s, n, out);
	return 0;
}
