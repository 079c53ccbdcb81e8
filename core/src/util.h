/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private helpers of core/src: byte strings and message formatting without
 * libc, so the same sources build into ksplice.ko.  Header-only, so a kmod
 * wrapper that includes one core .c file needs nothing else.
 */
#ifndef _KSPLICE_CORE_UTIL_H
#define _KSPLICE_CORE_UTIL_H

#include "ksplice/types.h"

#define KS_NULL	((void *)0)

static inline ks_size ks_strnlen(const char *s, ks_size max)
{
	ks_size n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static inline int ks_memeq(const void *a, const void *b, ks_size n)
{
	const ks_u8 *x = a, *y = b;
	ks_size i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static inline void ks_memcpy(void *dst, const void *src, ks_size n)
{
	ks_u8 *d = dst;
	const ks_u8 *s = src;
	ks_size i;

	for (i = 0; i < n; i++)
		d[i] = s[i];
}

static inline void ks_memzero(void *dst, ks_size n)
{
	ks_u8 *d = dst;
	ks_size i;

	for (i = 0; i < n; i++)
		d[i] = 0;
}

/* NUL-terminated @a equals the @n bytes at @b. */
static inline int ks_streqn(const char *a, const char *b, ks_size n)
{
	return ks_strnlen(a, n + 1) == n && ks_memeq(a, b, n);
}

static inline int ks_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int ks_is_alnum(int c)
{
	return ks_is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* Printable ASCII other than space: what names and paths are made of. */
static inline int ks_is_graph(int c)
{
	return c > 0x20 && c < 0x7f;
}

static inline int ks_hexval(int c)
{
	if (ks_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * What is wrong with member path @p (@n bytes), or KS_NULL if it is a
 * canonical relative path: printable ASCII, no empty, `.` or `..`
 * component, no leading or trailing slash.  Shared by the manifest and
 * the tar reader so both refuse the same names.
 */
static inline const char *ks_path_problem(const char *p, ks_size n)
{
	ks_size i, start = 0;

	if (n == 0)
		return "is empty";
	if (p[0] == '/')
		return "is absolute";
	for (i = 0; i < n; i++)
		if (!ks_is_graph((ks_u8)p[i]))
			return "has a character other than printable ASCII";
	for (i = 0; i <= n; i++) {
		ks_size len;

		if (i < n && p[i] != '/')
			continue;
		len = i - start;
		if (len == 2 && p[start] == '.' && p[start + 1] == '.')
			return "has a '..' component";
		if (len == 1 && p[start] == '.')
			return "has a '.' component";
		if (len == 0)
			return "has an empty component";
		start = i + 1;
	}
	return KS_NULL;
}

/*
 * Message under construction in a caller's buffer: always NUL-terminated,
 * silently cut at the buffer's end (a cut message beats an overflow).
 */
struct ks_msg {
	char *buf;
	ks_size size;
	ks_size len;
};

static inline void ks_msg_init(struct ks_msg *m, char *buf, ks_size size)
{
	m->buf = buf;
	m->size = buf ? size : 0;
	m->len = 0;
	if (m->size)
		buf[0] = '\0';
}

static inline void ks_msg_putc(struct ks_msg *m, char c)
{
	if (m->len + 1 >= m->size)
		return;
	m->buf[m->len++] = c;
	m->buf[m->len] = '\0';
}

static inline void ks_msg_puts(struct ks_msg *m, const char *s)
{
	while (*s)
		ks_msg_putc(m, *s++);
}

static inline void ks_msg_putu(struct ks_msg *m, ks_u64 v)
{
	char tmp[20];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i > 0)
		ks_msg_putc(m, tmp[--i]);
}

/* Untrusted bytes: printable ASCII as is, the rest as \xNN, long cut. */
#define KS_MSG_QUOTE_MAX	256

static inline void ks_msg_escape(struct ks_msg *m, const char *s, ks_size n)
{
	static const char hex[] = "0123456789abcdef";
	ks_size i;

	for (i = 0; i < n && i < KS_MSG_QUOTE_MAX; i++) {
		ks_u8 c = (ks_u8)s[i];

		if (c >= 0x20 && c < 0x7f) {
			ks_msg_putc(m, (char)c);
			continue;
		}
		ks_msg_putc(m, '\\');
		ks_msg_putc(m, 'x');
		ks_msg_putc(m, hex[c >> 4]);
		ks_msg_putc(m, hex[c & 15]);
	}
	if (n > KS_MSG_QUOTE_MAX)
		ks_msg_puts(m, "...");
}

/*
 * printf-like, with only what core/ needs:
 *   %s  NUL-terminated string, trusted      %u  unsigned int
 *   %e  NUL-terminated string, escaped      %U  ks_u64
 *   %q  NUL-terminated string, 'escaped'    %Q  (const char *, ks_size), 'escaped'
 *   %E  (const char *, ks_size), escaped    %%  a percent sign
 * Compiler builtins for varargs: the kernel has no <stdarg.h> for us.
 */
static inline void ks_msg_vfmt(struct ks_msg *m, const char *fmt,
			       __builtin_va_list ap)
{
	const char *s;
	ks_size n;

	for (; *fmt; fmt++) {
		if (*fmt != '%' || !fmt[1]) {
			ks_msg_putc(m, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			ks_msg_puts(m, __builtin_va_arg(ap, const char *));
			break;
		case 'e':
		case 'q':
			s = __builtin_va_arg(ap, const char *);
			if (*fmt == 'q')
				ks_msg_putc(m, '\'');
			ks_msg_escape(m, s, ks_strnlen(s, KS_MSG_QUOTE_MAX + 1));
			if (*fmt == 'q')
				ks_msg_putc(m, '\'');
			break;
		case 'E':
		case 'Q':
			s = __builtin_va_arg(ap, const char *);
			n = __builtin_va_arg(ap, ks_size);
			if (*fmt == 'Q')
				ks_msg_putc(m, '\'');
			ks_msg_escape(m, s, n);
			if (*fmt == 'Q')
				ks_msg_putc(m, '\'');
			break;
		case 'u':
			ks_msg_putu(m, __builtin_va_arg(ap, unsigned int));
			break;
		case 'U':
			ks_msg_putu(m, __builtin_va_arg(ap, ks_u64));
			break;
		default:
			ks_msg_putc(m, *fmt);
			break;
		}
	}
}

static inline void __attribute__((unused))
ks_msg_fmt(struct ks_msg *m, const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	ks_msg_vfmt(m, fmt, ap);
	__builtin_va_end(ap);
}

#endif /* _KSPLICE_CORE_UTIL_H */
