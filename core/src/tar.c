// SPDX-License-Identifier: GPL-2.0
/* ustar reading and header writing; see ksplice/tar.h. */
#include "ksplice/tar.h"
#include "util.h"

/* Field offsets and widths of a ustar header (POSIX.1-1988). */
#define H_NAME		0
#define H_NAME_LEN	100
#define H_MODE		100
#define H_UID		108
#define H_GID		116
#define H_SIZE		124
#define H_SIZE_LEN	12
#define H_MTIME		136
#define H_CHKSUM	148
#define H_CHKSUM_LEN	8
#define H_TYPE		156
#define H_MAGIC		257
#define H_UNAME		265
#define H_GNAME		297
#define H_DEVMAJOR	329
#define H_DEVMINOR	337
#define H_PREFIX	345
#define H_PREFIX_LEN	155

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

void ks_tar_init(struct ks_tar *t, const void *data, ks_size len)
{
	t->data = data;
	t->len = len;
	t->pos = 0;
	t->done = 0;
}

static int all_zero(const ks_u8 *p, ks_size n)
{
	ks_size i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/*
 * Octal number field: optional leading spaces, at least one digit, then
 * only NULs and spaces, as the various tars write them.
 */
static int parse_octal(const ks_u8 *f, ks_size n, ks_u64 *out)
{
	ks_size i = 0, digits = 0;
	ks_u64 v = 0;

	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (v >> 60)
			return -1;
		v = v * 8 + (ks_u64)(f[i] - '0');
	}
	if (!digits)
		return -1;
	for (; i < n; i++)
		if (f[i] && f[i] != ' ')
			return -1;
	*out = v;
	return 0;
}

/* Unsigned sum, the standard; signed, what some old tars wrote. */
static int checksum_ok(const ks_u8 *h)
{
	ks_u64 stored, usum = 0;
	ks_s64 ssum = 0;
	unsigned int i;

	if (parse_octal(h + H_CHKSUM, H_CHKSUM_LEN, &stored))
		return 0;
	for (i = 0; i < KS_TAR_BLOCK; i++) {
		int c = (i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN) ?
			' ' : h[i];

		usum += (ks_u64)c;
		ssum += (ks_s64)(signed char)c;
	}
	return stored == usum || (ks_s64)stored == ssum;
}

/* The end-of-archive marker: two zero blocks, then nothing but zeros. */
static int end_marker(struct ks_tar *t, char *msg, ks_size msg_len)
{
	const ks_u8 *p = t->data + t->pos;
	ks_size left = t->len - t->pos;

	if (left < 2 * KS_TAR_BLOCK)
		return fail(msg, msg_len, KS_ERR_TRUNCATED,
			    "tar archive truncated after one zero block at offset %U (the end-of-archive marker has two)",
			    (ks_u64)t->pos);
	if (!all_zero(p + KS_TAR_BLOCK, left - KS_TAR_BLOCK))
		return fail(msg, msg_len, KS_ERR_SYNTAX,
			    "data after the tar end-of-archive marker at offset %U",
			    (ks_u64)t->pos);
	t->done = 1;
	return 0;
}

static const char *type_name(ks_u8 type)
{
	static const struct {
		ks_u8 type;
		const char *name;
	} names[] = {
		{ '1', "hard link" }, { '2', "symbolic link" },
		{ '3', "character device" }, { '4', "block device" },
		{ '6', "FIFO" }, { '7', "contiguous file" },
		{ 'g', "pax global header" }, { 'x', "pax extended header" },
		{ 'K', "GNU long link name" }, { 'L', "GNU long name" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	return "unknown type";
}

/* Name, prefix joined when the header is POSIX ustar (GNU's is not). */
static ks_size header_name(const ks_u8 *h, int posix, char *out)
{
	ks_size n = ks_strnlen((const char *)h + H_NAME, H_NAME_LEN);
	ks_size p = posix ?
		ks_strnlen((const char *)h + H_PREFIX, H_PREFIX_LEN) : 0;
	ks_size len = 0;

	if (p) {
		ks_memcpy(out, h + H_PREFIX, p);
		out[p] = '/';
		len = p + 1;
	}
	ks_memcpy(out + len, h + H_NAME, n);
	len += n;
	out[len] = '\0';
	return len;
}

static int check_name(struct ks_tar_entry *e, ks_size n,
		      char *msg, ks_size msg_len)
{
	const char *bad;

	if (e->type == KS_TAR_DIR && n > 1 && e->name[n - 1] == '/')
		e->name[--n] = '\0';
	if (n > KS_TAR_NAME_MAX)
		return fail(msg, msg_len, KS_ERR_LIMIT,
			    "tar member %Q: name too long (%U bytes, limit %u)",
			    e->name, n, (ks_u64)n, KS_TAR_NAME_MAX);
	bad = ks_path_problem(e->name, n);
	if (bad)
		return fail(msg, msg_len, KS_ERR_PATH,
			    "tar member %Q: name %s", e->name, n, bad);
	return 0;
}

/* Type and size; messages name the member by its unchecked name. */
static int read_type_size(const ks_u8 *h, struct ks_tar_entry *e,
			  char *msg, ks_size msg_len)
{
	if (h[H_TYPE] == '0' || h[H_TYPE] == '\0')
		e->type = KS_TAR_FILE;
	else if (h[H_TYPE] == '5')
		e->type = KS_TAR_DIR;
	else
		return fail(msg, msg_len, KS_ERR_TYPE,
			    "tar member %q: unsupported type %Q (%s); only regular files and directories",
			    e->name, (const char *)h + H_TYPE, (ks_size)1,
			    type_name(h[H_TYPE]));
	if (h[H_SIZE] & 0x80)		/* GNU base-256: beyond 8 GiB */
		return fail(msg, msg_len, KS_ERR_RANGE,
			    "tar member %q: size too large (limit %u)",
			    e->name, KS_TAR_SIZE_MAX);
	if (parse_octal(h + H_SIZE, H_SIZE_LEN, &e->size))
		return fail(msg, msg_len, KS_ERR_SYNTAX,
			    "tar member %q: bad size field", e->name);
	if (e->size > KS_TAR_SIZE_MAX)
		return fail(msg, msg_len, KS_ERR_RANGE,
			    "tar member %q: size %U too large (limit %u)",
			    e->name, e->size, KS_TAR_SIZE_MAX);
	if (e->type == KS_TAR_DIR && e->size)
		return fail(msg, msg_len, KS_ERR_SYNTAX,
			    "tar member %q: directory with size %U",
			    e->name, e->size);
	return 0;
}

static int read_header(struct ks_tar *t, struct ks_tar_entry *e,
		       char *msg, ks_size msg_len)
{
	const ks_u8 *h = t->data + t->pos;
	int posix, err;
	ks_size n;

	e->offset = t->pos;
	if (!checksum_ok(h))
		return fail(msg, msg_len, KS_ERR_CHECKSUM,
			    "bad tar header checksum at offset %U",
			    (ks_u64)t->pos);
	posix = ks_memeq(h + H_MAGIC, "ustar\0" "00", 8);
	if (!posix && !ks_memeq(h + H_MAGIC, "ustar  \0", 8))
		return fail(msg, msg_len, KS_ERR_SYNTAX,
			    "not a ustar header at offset %U", (ks_u64)t->pos);
	n = header_name(h, posix, e->name);
	err = read_type_size(h, e, msg, msg_len);
	if (!err)
		err = check_name(e, n, msg, msg_len);
	return err;
}

int ks_tar_next(struct ks_tar *t, struct ks_tar_entry *e,
		char *msg, ks_size msg_len)
{
	ks_size left, need;
	int err;

	if (msg && msg_len)
		msg[0] = '\0';
	if (t->done)
		return 0;
	left = t->len - t->pos;
	if (left == 0)
		return fail(msg, msg_len, KS_ERR_TRUNCATED,
			    "tar archive ends at offset %U without an end-of-archive marker",
			    (ks_u64)t->pos);
	if (left < KS_TAR_BLOCK)
		return fail(msg, msg_len, KS_ERR_TRUNCATED,
			    "truncated tar header at offset %U (%U of %u bytes)",
			    (ks_u64)t->pos, (ks_u64)left, KS_TAR_BLOCK);
	if (all_zero(t->data + t->pos, KS_TAR_BLOCK))
		return end_marker(t, msg, msg_len);
	err = read_header(t, e, msg, msg_len);
	if (err)
		return err;
	left -= KS_TAR_BLOCK;
	/* Both at most 256 MiB + 511: no overflow. */
	need = (ks_size)e->size + ks_tar_padding(e->size);
	if (need > left)
		return fail(msg, msg_len, KS_ERR_TRUNCATED,
			    "data of tar member %q truncated (%U bytes with padding, %U left)",
			    e->name, (ks_u64)need, (ks_u64)left);
	e->data = t->data + t->pos + KS_TAR_BLOCK;
	t->pos += KS_TAR_BLOCK + need;
	return 1;
}

/* Octal, zero-padded to @width - 1 digits and a NUL. */
static void put_octal(ks_u8 *f, unsigned int width, ks_u64 v)
{
	unsigned int i = width - 1;

	f[i] = '\0';
	while (i--) {
		f[i] = (ks_u8)('0' + (v & 7));
		v >>= 3;
	}
}

/*
 * Where to split a @full-byte stored name (dir slash included) into
 * prefix and name: the index of a '/', or -1 if none works.
 */
static int split_point(const char *name, ks_size n, ks_size full)
{
	ks_size i;

	for (i = 1; i < n && i <= H_PREFIX_LEN; i++)
		if (name[i] == '/' && full - i - 1 <= H_NAME_LEN)
			return (int)i;
	return -1;
}

int ks_tar_header(ks_u8 hdr[KS_TAR_BLOCK], const char *name,
		  enum ks_tar_type type, ks_u64 size, unsigned int mode,
		  ks_u64 mtime)
{
	ks_size n = ks_strnlen(name, KS_TAR_NAME_MAX + 1);
	ks_size full = n + (type == KS_TAR_DIR), i;
	ks_u64 sum = 0;
	int split = -1;

	if (n > KS_TAR_NAME_MAX)
		return KS_ERR_LIMIT;
	if (ks_path_problem(name, n))
		return KS_ERR_PATH;
	if (size > KS_TAR_SIZE_MAX || (type == KS_TAR_DIR && size))
		return KS_ERR_RANGE;
	if (full > H_NAME_LEN) {
		split = split_point(name, n, full);
		if (split < 0)
			return KS_ERR_LIMIT;
	}
	ks_memzero(hdr, KS_TAR_BLOCK);
	if (split >= 0)
		ks_memcpy(hdr + H_PREFIX, name, (ks_size)split);
	i = (ks_size)(split + 1);
	ks_memcpy(hdr + H_NAME, name + i, n - i);
	if (type == KS_TAR_DIR)
		hdr[H_NAME + n - i] = '/';
	put_octal(hdr + H_MODE, 8, mode & 07777);
	put_octal(hdr + H_UID, 8, 0);
	put_octal(hdr + H_GID, 8, 0);
	put_octal(hdr + H_SIZE, 12, size);
	/* 11 octal digits last until 2242; clamp rather than wrap. */
	put_octal(hdr + H_MTIME, 12, mtime > 077777777777ULL ?
		  077777777777ULL : mtime);
	hdr[H_TYPE] = type == KS_TAR_DIR ? '5' : '0';
	ks_memcpy(hdr + H_MAGIC, "ustar\0" "00", 8);
	ks_memcpy(hdr + H_UNAME, "root", 4);
	ks_memcpy(hdr + H_GNAME, "root", 4);
	put_octal(hdr + H_DEVMAJOR, 8, 0);
	put_octal(hdr + H_DEVMINOR, 8, 0);
	for (i = 0; i < KS_TAR_BLOCK; i++)
		sum += (i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN) ?
		       ' ' : hdr[i];
	/* Six digits, NUL, space: what every tar writes. */
	put_octal(hdr + H_CHKSUM, 7, sum);
	hdr[H_CHKSUM + 7] = ' ';
	return 0;
}
