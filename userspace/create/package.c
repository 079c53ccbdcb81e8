// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the manifest and ksplice-<id>.tar.gz.
 *
 * write_package() is the one place that knows the package layout.  The
 * manifest comes from core's manifest writer.  Until userspace/lib's
 * package writer (pkgfile.h) lands, the archive is put together here from
 * core's ustar header, core's SHA-256 and zlib; switch this function to
 * that library then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "create.h"
#include "../../objdiff/objdiff.h"
#include "ksplice/manifest.h"
#include "ksplice/sha256.h"
#include "ksplice/tar.h"

static void check(int err, const char *msg)
{
	if (err)
		die(EXIT_REFUSED, "manifest: %s", msg);
}

static void add_targets(struct ks_manifest *m, struct od_result **res,
			struct cobject *objs, unsigned int n)
{
	char msg[KS_MSG_LEN];
	unsigned int i, j, k;

	for (i = 0; i < n; i++) {
		bool first = true;

		if (res[i]->status != OD_CHANGED)
			continue;
		for (k = 0; k < i; k++)
			first &= res[k]->status != OD_CHANGED ||
				 strcmp(objs[k].module, objs[i].module);
		if (!first)
			continue;
		check(ks_manifest_add_target(m, objs[i].module, msg,
					     sizeof(msg)), msg);
		for (k = i; k < n; k++) {
			if (res[k]->status != OD_CHANGED ||
			    strcmp(objs[k].module, objs[i].module))
				continue;
			for (j = 0; j < res[k]->nr_funcs; j++)
				check(ks_manifest_add_function(m,
					res[k]->funcs[j].name,
					res[k]->funcs[j].size, msg, sizeof(msg)),
				      msg);
		}
	}
}

static time_t package_time(void)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");

	return epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
}

static void put(gzFile gz, const void *data, size_t len, const char *path)
{
	if (len && gzwrite(gz, data, len) != (int)len)
		die(EXIT_ENV, "cannot write %s", path);
}

static void put_entry(gzFile gz, const char *name, enum ks_tar_type type,
		      const void *data, size_t len, const char *path)
{
	static const unsigned char zero[KS_TAR_BLOCK];
	ks_u8 hdr[KS_TAR_BLOCK];

	if (ks_tar_header(hdr, name, type, len,
			  type == KS_TAR_DIR ? 0755 : 0644, package_time()))
		die(EXIT_ENV, "%s: cannot make a tar header", name);
	put(gz, hdr, sizeof(hdr), path);
	put(gz, data, len, path);
	put(gz, zero, ks_tar_padding(len), path);
}

char *write_package(struct create *c, struct od_result **res,
		    struct cobject *objs, unsigned int n, const char *ko)
{
	struct ks_manifest *m = calloc(1, sizeof(*m));
	const char *base = strrchr(ko, '/') ? strrchr(ko, '/') + 1 : ko;
	char *dir = xasprintf("ksplice-%s", c->id);
	char *member = xasprintf("%s/%s", dir, base);
	char *mpath = xasprintf("%s/manifest", dir);
	char *out = xasprintf("%s/ksplice-%s.tar.gz", c->outdir, c->id);
	char *tmp = xasprintf("%s.tmp", out);
	char msg[KS_MSG_LEN], *text;
	ks_u8 digest[KS_SHA256_LEN];
	ks_size len;
	size_t kolen;
	char *kodata = read_file(ko, &kolen);
	gzFile gz;

	step("writing %s", out);
	if (!m || !kodata)
		die(EXIT_ENV, "cannot read %s", ko);
	ks_manifest_init(m);
	check(ks_manifest_set_id(m, c->id, msg, sizeof(msg)), msg);
	check(ks_manifest_set_description(m, c->description, msg,
					  sizeof(msg)), msg);
	check(ks_manifest_set_kernel_release(m, c->release, msg, sizeof(msg)),
	      msg);
	add_targets(m, res, objs, n);
	check(ks_manifest_add_module(m, member, msg, sizeof(msg)), msg);
	ks_sha256(kodata, kolen, digest);
	check(ks_manifest_add_member(m, member, kolen, digest, msg,
				     sizeof(msg)), msg);
	ks_manifest_write(m, NULL, 0, &len, msg, sizeof(msg));
	text = xrealloc(NULL, len + 1, 1);
	check(ks_manifest_write(m, text, len + 1, &len, msg, sizeof(msg)), msg);

	gz = gzopen(tmp, "wb9");
	if (!gz)
		die(EXIT_ENV, "cannot write %s", tmp);
	put_entry(gz, dir, KS_TAR_DIR, NULL, 0, tmp);
	put_entry(gz, mpath, KS_TAR_FILE, text, len, tmp);
	put_entry(gz, member, KS_TAR_FILE, kodata, kolen, tmp);
	{
		static const unsigned char end[2 * KS_TAR_BLOCK];

		put(gz, end, sizeof(end), tmp);
	}
	if (gzclose(gz) != Z_OK || rename(tmp, out))
		die(EXIT_ENV, "cannot write %s", out);
	free(m);
	free(dir);
	free(member);
	free(mpath);
	free(tmp);
	free(text);
	free(kodata);
	return out;
}
