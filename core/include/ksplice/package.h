/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verification of a whole package once decompressed: the ustar archive
 * of docs/ARCHITECTURE.md, "Package format".  Freestanding, allocation
 * free; the caller provides the (large) manifest struct.
 */
#ifndef _KSPLICE_PACKAGE_H
#define _KSPLICE_PACKAGE_H

#include "ksplice/types.h"
#include "ksplice/error.h"
#include "ksplice/manifest.h"

/* Directory entries an archive may hold (each costs a rescan). */
#define KS_MAX_DIRS		256

/*
 * Verify the archive @tar (@len bytes) and parse its manifest into @m:
 * - the archive reads cleanly (ks_tar_next);
 * - it holds exactly one ksplice-<id>/manifest, which parses and whose id
 *   is the <id> of its directory;
 * - every member line's member is in the archive, with that size and
 *   SHA-256;
 * - at most one ksplice-<id>/manifest.sig, unlisted (the tools check
 *   the signature; core/ only places it);
 * - every other archive file is listed; directories are ksplice-<id> or
 *   under it; no name appears twice;
 * - module lines name listed members ending in .ko.
 * On success @member_data[i] points at the data of m->members[i] inside
 * @tar.  Returns 0 or a negative KS_ERR_* with @msg naming the problem
 * and the member: "checksum mismatch for ksplice-x/foo.ko",
 * "missing member ...", "unlisted member ...", or the manifest's own
 * "manifest line N: ..." message.
 */
int ks_package_verify(const void *tar, ks_size len, struct ks_manifest *m,
		      const ks_u8 *member_data[KS_MAX_MEMBERS],
		      char *msg, ks_size msg_len);

#endif /* _KSPLICE_PACKAGE_H */
