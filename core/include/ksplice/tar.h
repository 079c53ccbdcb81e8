/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading (and writing headers of) ustar archives held in memory, already
 * decompressed.  Only what a package may contain is accepted: regular
 * files and directories with canonical relative names; anything else is
 * refused with a message, never skipped.  Freestanding, no allocation.
 */
#ifndef _KSPLICE_TAR_H
#define _KSPLICE_TAR_H

#include "ksplice/types.h"
#include "ksplice/error.h"

#define KS_TAR_BLOCK		512
#define KS_TAR_NAME_MAX		255		/* as member paths */
#define KS_TAR_SIZE_MAX		268435456	/* 256 MiB, the package limit */

enum ks_tar_type {
	KS_TAR_FILE,
	KS_TAR_DIR,
};

struct ks_tar_entry {
	char name[KS_TAR_NAME_MAX + 2];	/* ustar prefix joined; a dir's
					   trailing '/' removed */
	enum ks_tar_type type;
	ks_u64 size;			/* 0 for directories */
	const ks_u8 *data;		/* size bytes inside the archive */
	ks_size offset;			/* of the header in the archive */
};

/* Iterator state; see ks_tar_init and ks_tar_next. */
struct ks_tar {
	const ks_u8 *data;
	ks_size len;
	ks_size pos;
	int done;
};

void ks_tar_init(struct ks_tar *t, const void *data, ks_size len);

/*
 * Read the next member into @e.  Returns 1 with a member, 0 at the
 * end-of-archive marker (two zero blocks, only zeros after them), or a
 * negative KS_ERR_* with @msg filled: truncated header or data, bad header
 * checksum, not ustar, a type other than regular file or directory, a bad
 * or too large size, an empty, absolute, `.`/`..` or otherwise
 * non-canonical name, or a name over KS_TAR_NAME_MAX bytes.
 */
int ks_tar_next(struct ks_tar *t, struct ks_tar_entry *e,
		char *msg, ks_size msg_len);

/*
 * Fill @hdr with a POSIX ustar header for @name (split into prefix and
 * name when longer than 100 bytes; a directory gets its trailing '/'),
 * @size bytes (0 for a directory), @mode and @mtime, owner root.  Returns
 * 0, or KS_ERR_PATH / KS_ERR_LIMIT / KS_ERR_RANGE if @name cannot be
 * stored or is not canonical, or @size is too large.
 */
int ks_tar_header(ks_u8 hdr[KS_TAR_BLOCK], const char *name,
		  enum ks_tar_type type, ks_u64 size, unsigned int mode,
		  ks_u64 mtime);

/* Bytes of padding after @size bytes of data, to the next block. */
static inline ks_size ks_tar_padding(ks_u64 size)
{
	return (ks_size)((KS_TAR_BLOCK - size % KS_TAR_BLOCK) % KS_TAR_BLOCK);
}

#endif /* _KSPLICE_TAR_H */
