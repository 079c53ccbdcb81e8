/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Package files (ksplice-<id>.tar.gz) for the tools: read, gunzip and
 * verify one (core/'s ks_package_verify), or build and write one.  Uses
 * libc and zlib.  Every function that can fail returns 0 or a negative
 * KS_ERR_* (ksplice/error.h) and fills @msg (@msg_len bytes; KS_MSG_LEN
 * plus the length of a path is enough) with one line naming the problem.
 */
#ifndef _KSPLICE_PKGFILE_H
#define _KSPLICE_PKGFILE_H

#include <stddef.h>

#include "ksplice/error.h"
#include "ksplice/manifest.h"

/* Largest decompressed package accepted or written. */
#define KS_PKG_SIZE_MAX		((size_t)256 << 20)
/* Largest compressed file read: incompressible data grows a little. */
#define KS_PKG_FILE_MAX		(KS_PKG_SIZE_MAX + (KS_PKG_SIZE_MAX >> 6))

/* A verified package in memory. */
struct ks_pkgfile {
	unsigned char *tar;		/* decompressed archive */
	size_t tar_len;
	struct ks_manifest *manifest;	/* parsed and verified */
	/* Data of manifest->members[i], inside tar[]. */
	const unsigned char *data[KS_MAX_MEMBERS];
	/* The manifest's bytes, and manifest.sig's (NULL: unsigned). */
	const unsigned char *manifest_text;
	size_t manifest_len;
	const unsigned char *sig;
	size_t sig_len;
};

struct ks_signer;

/*
 * Read @path, gunzip, verify (the format and checksums; the signature
 * is ks_sig_verify's, over manifest_text with sig).  Messages start with @path: "x.tar.gz: not
 * a gzip file", "...: truncated gzip data", "...: package too large
 * (limit 256 MiB)", "...: checksum mismatch for ksplice-x/foo.ko".  On
 * failure @p is left empty (ks_pkgfile_close is harmless).
 */
int ks_pkgfile_open(struct ks_pkgfile *p, const char *path,
		    char *msg, size_t msg_len);

/* The same from @len bytes of gzip data in memory; no path in messages. */
int ks_pkgfile_load(struct ks_pkgfile *p, const void *gz, size_t len,
		    char *msg, size_t msg_len);

/* Free what open/load allocated; @p becomes empty. */
void ks_pkgfile_close(struct ks_pkgfile *p);

/* Data and size of member @path (a manifest member line), or NULL. */
const unsigned char *ks_pkgfile_member(const struct ks_pkgfile *p,
				       const char *path, size_t *size);

/* Write member @path's data to the file @dest (created or truncated). */
int ks_pkgfile_extract(const struct ks_pkgfile *p, const char *path,
		       const char *dest, char *msg, size_t msg_len);

/* One member of a package being built. */
struct ks_pkg_input {
	const char *path;	/* ksplice-<id>/..., not the manifest */
	const void *data;
	size_t size;
};

/*
 * Build a package in memory for the manifest @m, whose header, targets,
 * functions and modules the caller filled in: @m's member lines are
 * replaced by @in[0..n) with computed sizes and SHA-256.  The archive
 * holds ksplice-<id>/, the manifest, then each member preceded by any
 * directory not yet in it; mtimes are $SOURCE_DATE_EPOCH if set, else
 * now.  The result is verified by reading it back.  *@gz is malloc'd.
 */
int ks_pkgfile_build(struct ks_manifest *m, const struct ks_pkg_input *in,
		     unsigned int n, unsigned char **gz, size_t *gz_len,
		     char *msg, size_t msg_len);

/* ks_pkgfile_build, then write @path atomically (temp file, rename). */
int ks_pkgfile_write(const char *path, struct ks_manifest *m,
		     const struct ks_pkg_input *in, unsigned int n,
		     char *msg, size_t msg_len);

/*
 * The same, and with @signer (signature.h; NULL: unsigned) the manifest's
 * signature as ksplice-<id>/manifest.sig, right after the manifest.
 */
int ks_pkgfile_build_signed(struct ks_manifest *m,
			    const struct ks_pkg_input *in, unsigned int n,
			    const struct ks_signer *signer,
			    unsigned char **gz, size_t *gz_len,
			    char *msg, size_t msg_len);
int ks_pkgfile_write_signed(const char *path, struct ks_manifest *m,
			    const struct ks_pkg_input *in, unsigned int n,
			    const struct ks_signer *signer,
			    char *msg, size_t msg_len);

/*
 * Gunzip @len bytes (one or more concatenated gzip members) into a
 * malloc'd *@out of at most @limit bytes.  KS_ERR_GZIP: "not a gzip
 * file", "corrupt gzip data: ...", "trailing garbage after gzip data";
 * KS_ERR_TRUNCATED: "truncated gzip data"; KS_ERR_LIMIT: "decompressed
 * data too large (limit N bytes)".
 */
int ks_gunzip(const void *in, size_t len, size_t limit, unsigned char **out,
	      size_t *out_len, char *msg, size_t msg_len);

/* Gzip @len bytes (best compression, mtime 0) into a malloc'd *@out. */
int ks_gzip(const void *in, size_t len, unsigned char **out, size_t *out_len,
	    char *msg, size_t msg_len);

/* Read all of @path into a malloc'd *@out, refusing more than @limit. */
int ks_read_file(const char *path, size_t limit, unsigned char **out,
		 size_t *len, char *msg, size_t msg_len);

/* Write @len bytes to @path atomically (temp file in its dir, rename). */
int ks_write_file(const char *path, const void *data, size_t len,
		  unsigned int mode, char *msg, size_t msg_len);

#endif /* _KSPLICE_PKGFILE_H */
