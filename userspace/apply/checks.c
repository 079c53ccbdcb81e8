// SPDX-License-Identifier: GPL-2.0
/*
 * What ksplice-apply checks before it loads anything: the package (owner,
 * format, checksums, manifest, signature), that it was built for this
 * kernel and this very build, that the host can take it (the engine
 * module, module signing), and what the engine would refuse anyway.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "signature.h"
#include "apply.h"

/*
 * Only root may be able to change what root is about to load: a package
 * another user can write could be swapped between check and load.
 */
static int check_owner(struct apply *a)
{
	struct stat st;

	if (stat(a->path, &st))
		return 0;	/* pkgfile says why it cannot read it */
	if (st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	tool_error("%s: refused: %s; only root may be able to write a "
		   "package (chown root, chmod go-w)", a->path,
		   st.st_uid ? "not owned by root" :
		   "writable by group or others");
	return EXIT_USAGE;
}

/*
 * The manifest's signature against trusted.d.  Without a trusted one the
 * package is refused, or with --allow-unsigned applied with a warning.
 */
static int check_signature(struct apply *a)
{
	char msg[KS_MSG_LEN + 1024];
	int err = ks_sig_verify(a->pkg.manifest_text, a->pkg.manifest_len,
				a->pkg.sig, a->pkg.sig_len, KS_TRUST_DIR,
				a->signer, sizeof(a->signer), msg, sizeof(msg));

	if (!err)
		return 0;
	if (err == KS_ERR_NOMEM) {
		tool_error("%s: %s", a->path, msg);
		return EXIT_ENV;
	}
	if (a->allow_unsigned) {
		/* Not tool_error: --json's "error" is for a real failure. */
		fprintf(stderr, "%s: warning: %s: %s; applying it anyway "
			"(--allow-unsigned)\n", tool_name, a->path, msg);
		return 0;
	}
	tool_error("%s: refused: %s (sign it with ksplice-create "
		   "--sign-key/--sign-cert and put the certificate in "
		   KS_TRUST_DIR "/, or pass --allow-unsigned)", a->path, msg);
	return EXIT_USAGE;
}

/* Owner, format, checksums, manifest (pkgfile's work), signature. */
int check_package(struct apply *a)
{
	char msg[KS_MSG_LEN + 4096];
	int rc = check_owner(a);

	if (rc)
		return rc;
	if (ks_pkgfile_open(&a->pkg, a->path, msg, sizeof(msg))) {
		tool_error("%s", msg);
		return EXIT_USAGE;
	}
	a->m = a->pkg.manifest;
	return check_signature(a);
}

static void hex(char *out, const unsigned char *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* The package was built for this kernel, and this very build if it says. */
int check_kernel(struct apply *a)
{
	unsigned char id[KS_BUILD_ID_MAX];
	char want[2 * KS_BUILD_ID_MAX + 1], have[2 * KS_BUILD_ID_MAX + 1];
	struct utsname u;
	int n;

	uname(&u);
	snprintf(a->release, sizeof(a->release), "%s", u.release);
	if (strcmp(a->m->kernel_release, u.release)) {
		tool_error("%s is for kernel %s, this one is %s", a->path,
			   a->m->kernel_release, u.release);
		return EXIT_KERNEL;
	}
	if (!a->m->build_id_len)
		return 0;
	n = kernel_build_id(id, sizeof(id));
	if (n < 0)
		return 0;
	hex(want, a->m->build_id, a->m->build_id_len);
	hex(have, id, n);
	if ((unsigned int)n == a->m->build_id_len &&
	    !memcmp(id, a->m->build_id, n))
		return 0;
	tool_error("%s is for another build of kernel %s: build id %s, the "
		   "running kernel's is %s", a->path, u.release, want, have);
	return EXIT_KERNEL;
}

/*
 * ksplice.ko for @release: $KSPLICE_MODULE_DIR or the install prefix
 * (core_module_path), else where DKMS puts it (the ksplice-dkms package).
 */
char *find_core(const char *release)
{
	char *path = core_module_path(release);
	char *dkms;

	if (!access(path, R_OK))
		return path;
	dkms = xasprintf("/lib/modules/%s/updates/dkms/ksplice.ko", release);
	if (!access(dkms, R_OK)) {
		free(path);
		return dkms;
	}
	free(dkms);
	return path;
}

/* Under lockdown or sig_enforce, every module we would load is signed. */
static int check_signatures(struct apply *a)
{
	const char *policy = signature_policy();
	unsigned int i;
	char *core;

	if (!policy)
		return 0;
	if (!engine_loaded()) {
		core = find_core(a->release);
		if (!module_file_signed(core)) {
			refuse_unsigned(policy, core, false);
			free(core);
			return EXIT_ENV;
		}
		free(core);
	}
	for (i = 0; i < a->m->nr_modules; i++) {
		const char *path = a->m->modules[i].path;
		size_t size;
		const unsigned char *data = ks_pkgfile_member(&a->pkg, path, &size);

		if (!module_signed(data, size))
			return refuse_unsigned(policy, path, false);
	}
	return 0;
}

int check_environment(struct apply *a)
{
	int rc = need_root();

	if (!rc)
		rc = modules_allowed();
	if (!rc)
		rc = check_signatures(a);
	return rc;
}

/* Refuse early what the engine would refuse after loading everything. */
int check_state(struct apply *a)
{
	const char *id = a->m->id;
	unsigned int i;

	if (update_exists(id)) {
		char *stage = xasprintf("%s/%s/stage", KSPLICE_SYSFS, id);
		char *s = read_line(stage);

		tool_error("update %s is already %s%s", id, s ? s : "loaded",
			   s && !strcmp(s, "applied") ? "" :
			   ": remove it first with ksplice-undo");
		free(stage);
		free(s);
		return EXIT_KERNEL;
	}
	/* Without --dry-run a missing target makes the update pending. */
	for (i = 0; i < a->m->nr_targets && a->dry_run; i++) {
		char *name = module_name(a->m->targets[i].name);
		bool ok = !strcmp(name, "vmlinux") || module_loaded(name);

		free(name);
		if (!ok) {
			tool_error("target module %s is not loaded: a dry run "
				   "cannot check it (an apply would wait for it "
				   "to load)", a->m->targets[i].name);
			return EXIT_KERNEL;
		}
	}
	for (i = 0; i < a->m->nr_modules; i++) {
		char *name = module_name(a->m->modules[i].path);
		bool busy = module_loaded(name);

		if (busy)
			tool_error("a module named %s is already loaded", name);
		free(name);
		if (busy)
			return EXIT_KERNEL;
	}
	return 0;
}
