/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error codes of core/ (and of the userspace library built on it).  Every
 * refusal also fills a caller-provided message buffer with a sentence that
 * names the problem; the code lets a program react without parsing it.
 */
#ifndef _KSPLICE_ERROR_H
#define _KSPLICE_ERROR_H

/*
 * Enough for any message; only pathological input (long runs of escaped
 * bytes) can make one longer, and then it is cut, never overrun.
 */
#define KS_MSG_LEN	1024

enum {
	KS_OK		= 0,
	KS_ERR_SYNTAX	= -1,	/* malformed line, number, hex or character */
	KS_ERR_VERSION	= -2,	/* unsupported manifest format version */
	KS_ERR_UNKNOWN	= -3,	/* unknown manifest key */
	KS_ERR_MISSING	= -4,	/* required key or package member missing */
	KS_ERR_DUPLICATE = -5,	/* id, target, function, member, ... twice */
	KS_ERR_LIMIT	= -6,	/* too many items, or a name too long */
	KS_ERR_RANGE	= -7,	/* number out of its allowed range */
	KS_ERR_PATH	= -8,	/* absolute, `..`, or outside ksplice-<id>/ */
	KS_ERR_TRUNCATED = -9,	/* archive or compressed data cut short */
	KS_ERR_CHECKSUM	= -10,	/* tar header checksum or SHA-256 mismatch */
	KS_ERR_SIZE	= -11,	/* member size differs from the manifest */
	KS_ERR_UNLISTED	= -12,	/* archive member the manifest omits */
	KS_ERR_TYPE	= -13,	/* tar member neither file nor directory */
	KS_ERR_NOSPACE	= -14,	/* caller's output buffer too small */
	KS_ERR_GZIP	= -15,	/* not gzip, or corrupt gzip (userspace) */
	KS_ERR_IO	= -16,	/* read or write failed (userspace) */
	KS_ERR_NOMEM	= -17,	/* allocation failed (userspace) */
	KS_ERR_UNSIGNED	= -18,	/* package has no manifest.sig (userspace) */
	KS_ERR_SIGNATURE = -19,	/* signature malformed or not matching */
	KS_ERR_UNTRUSTED = -20,	/* signed by a key not in trusted.d */
};

/* Short name of an error code, for logs and tests. */
static inline const char *ks_strerror(int err)
{
	static const char *const names[] = {
		"ok", "syntax error", "unsupported version", "unknown key",
		"missing", "duplicate", "limit exceeded", "out of range",
		"bad path", "truncated", "checksum mismatch", "size mismatch",
		"unlisted member", "unsupported type", "no space",
		"bad gzip data", "I/O error", "out of memory", "unsigned",
		"bad signature", "untrusted signer",
	};

	if (err > 0 || -err >= (int)(sizeof(names) / sizeof(names[0])))
		return "unknown error";
	return names[-err];
}

#endif /* _KSPLICE_ERROR_H */
