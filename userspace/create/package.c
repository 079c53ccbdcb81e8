// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the manifest and ksplice-<id>.tar.gz.  The manifest
 * names every replaced function under its target module; the package
 * library computes the member lines, writes and verifies the archive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "create.h"
#include "../../objdiff/objdiff.h"
#include "ksplice/manifest.h"
#include "pkgfile.h"

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

/* The compliance fields, said on stderr as they go in. */
static void add_compliance(struct create *c, struct ks_manifest *m)
{
	char msg[KS_MSG_LEN];
	unsigned int i;

	for (i = 0; i < c->nr_cves; i++)
		check(ks_manifest_add_cve(m, c->cves[i], msg, sizeof(msg)),
		      msg);
	if (c->effective_release)
		check(ks_manifest_set_effective_release(m,
				c->effective_release, msg, sizeof(msg)), msg);
	if (m->nr_cves) {
		fprintf(stderr, "ksplice-create: fixes");
		for (i = 0; i < m->nr_cves; i++)
			fprintf(stderr, "%s %s", i ? "," : "", m->cves[i]);
		fputc('\n', stderr);
	}
	if (m->effective_release[0])
		step("effective release %s", m->effective_release);
}

char *write_package(struct create *c, struct od_result **res,
		    struct cobject *objs, unsigned int n, const char *ko)
{
	struct ks_manifest *m = calloc(1, sizeof(*m));
	const char *base = strrchr(ko, '/') ? strrchr(ko, '/') + 1 : ko;
	char *member = xasprintf("ksplice-%s/%s", c->id, base);
	char *out = xasprintf("%s/ksplice-%s.tar.gz", c->outdir, c->id);
	struct ks_pkg_input in = { .path = member };
	char msg[KS_MSG_LEN];
	size_t kolen;
	char *kodata = read_file(ko, &kolen);

	step("writing %s", out);
	if (!m || !kodata)
		die(EXIT_ENV, "cannot read %s", ko);
	ks_manifest_init(m);
	check(ks_manifest_set_id(m, c->id, msg, sizeof(msg)), msg);
	check(ks_manifest_set_description(m, c->description, msg,
					  sizeof(msg)), msg);
	check(ks_manifest_set_kernel_release(m, c->release, msg, sizeof(msg)),
	      msg);
	add_compliance(c, m);
	add_targets(m, res, objs, n);
	check(ks_manifest_add_module(m, member, msg, sizeof(msg)), msg);
	in.data = kodata;
	in.size = kolen;
	if (ks_pkgfile_write_signed(out, m, &in, 1, c->signer, msg,
				    sizeof(msg)))
		die(EXIT_ENV, "%s: %s", out, msg);
	free(m);
	free(member);
	free(kodata);
	return out;
}
