/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper: build ustar archives in memory, independently of
 * ks_tar_header, so the reader is not tested against its own writer.
 * Headers can be damaged afterwards and their checksum fixed again.
 */
#ifndef KS_TEST_TARHELP_H
#define KS_TEST_TARHELP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tb {
	unsigned char *buf;
	size_t len;
};

static inline void tb_init(struct tb *b)
{
	b->buf = NULL;
	b->len = 0;
}

static inline unsigned char *tb_grow(struct tb *b, size_t n)
{
	unsigned char *p;

	b->buf = realloc(b->buf, b->len + n);
	if (!b->buf)
		abort();
	p = b->buf + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

static inline void tb_checksum(unsigned char *h)
{
	unsigned int sum = 0, i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

/*
 * Append a member: @name goes into the name field, or split at its last
 * '/' (not counting a trailing one) into prefix and name when longer than
 * 100 bytes.  Returns the
 * header's offset, to damage it afterwards.
 */
static inline size_t tb_add(struct tb *b, const char *name, char type,
			    const void *data, size_t size)
{
	size_t off = b->len, n = strlen(name);
	unsigned char *h = tb_grow(b, 512);

	if (n > 100) {
		size_t p = n - 1;	/* last '/' but a directory's own */

		while (p > 0 && name[--p] != '/')
			;
		if (p > 155 || n - p - 1 > 100)
			abort();

		memcpy(h + 345, name, p);
		memcpy(h, name + p + 1, n - p - 1);
	} else {
		memcpy(h, name, n);
	}
	snprintf((char *)h + 100, 8, "%07o", type == '5' ? 0755 : 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011o", (unsigned int)size);
	snprintf((char *)h + 136, 12, "%011o", 1700000000);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	tb_checksum(h);
	if (size) {
		size_t padded = (size + 511) / 512 * 512;

		memcpy(tb_grow(b, padded), data, size);
	}
	return off;
}

static inline size_t tb_file(struct tb *b, const char *name, const char *text)
{
	return tb_add(b, name, '0', text, strlen(text));
}

static inline void tb_end(struct tb *b)
{
	tb_grow(b, 1024);
}

static inline void tb_free(struct tb *b)
{
	free(b->buf);
	tb_init(b);
}

#endif /* KS_TEST_TARHELP_H */
