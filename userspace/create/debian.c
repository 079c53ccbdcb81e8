// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create --debian: Debian's kernel source and config for one
 * kernel release, through apt.  linux-image-<release> names the Debian
 * version; linux-source-<x.y> of exactly that version holds the code the
 * running kernel was built from, and the image's /boot/config-<release>
 * its configuration.  Packages are downloaded (apt-get download), never
 * installed; the headers to build the update module must be installed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "create.h"

static bool valid_release(const char *r)
{
	size_t i;

	if (!*r || strlen(r) > 64 || !isalnum((unsigned char)r[0]))
		return false;
	for (i = 0; r[i]; i++)
		if (!isalnum((unsigned char)r[i]) && !strchr("._+-", r[i]))
			return false;
	return true;
}

/* 6.1.0-54-amd64 and the like: a Debian 6.1 kernel's release string. */
static bool debian_61(const char *r)
{
	const char *p = r + 6;

	if (strncmp(r, "6.1.0-", 6) || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '-' && p[1];
}

/*
 * The running kernel's release if it is a Debian 6.1 one, else the VM
 * test bed's default kernel (testsuite/vm/kernel-release of the repo
 * this ksplice-create was built in).
 */
char *default_release(void)
{
	struct utsname u;
	char *dir, *script, *cmd, *out;

	if (!uname(&u) && debian_61(u.release))
		return xstrdup(u.release);
	dir = exe_dir();
	script = xasprintf("%s/../testsuite/vm/kernel-release", dir);
	free(dir);
	if (!is_file(script))
		die(EXIT_REFUSED, "the running kernel (%s) is not a Debian 6.1 "
		    "kernel: say which one with --debian=RELEASE", u.release);
	cmd = shell_quote(script);
	out = capture_sh(cmd);
	free(cmd);
	free(script);
	if (!out || !*out)
		die(EXIT_ENV, "cannot tell the VM test bed's kernel release "
		    "(apt-get update?): pass --debian=RELEASE");
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* The Version: of the first stanza `apt-cache show PKG` prints. */
static char *apt_version(const char *pkg)
{
	char *q = shell_quote(pkg);
	char *cmd = xasprintf("apt-cache show %s 2>/dev/null", q);
	char *out = capture_sh(cmd), *v, *ret = NULL;

	free(q);
	free(cmd);
	v = out ? strstr(out, "\nVersion: ") : NULL;
	if (out && !v && !strncmp(out, "Version: ", 9))
		v = out - 1;
	if (v) {
		v += 10;
		ret = strndup(v, strcspn(v, "\n"));
	}
	free(out);
	return ret;
}

static bool apt_has(const char *pkg, const char *version)
{
	char *spec = xasprintf("%s=%s", pkg, version);
	char *v = apt_version(spec);
	bool ok = v && !strcmp(v, version);

	free(spec);
	free(v);
	return ok;
}

void debian_lookup(struct debian_kernel *k, const char *release)
{
	char *image, *src, *plus;
	const char *dot;

	memset(k, 0, sizeof(*k));
	if (!valid_release(release))
		die(EXIT_REFUSED, "bad kernel release \"%s\"", release);
	k->release = xstrdup(release);
	if (!in_path("apt-cache") || !in_path("apt-get") || !in_path("dpkg-deb"))
		die(EXIT_ENV, "--debian needs apt-cache, apt-get and dpkg-deb");
	image = xasprintf("linux-image-%s", release);
	k->version = apt_version(image);
	if (!k->version)
		die(EXIT_ENV, "apt knows no %s (run apt-get update; Debian "
		    "drops old kernels from its archive after a while)", image);
	/* linux-source-6.1 for 6.1.0-54-amd64 */
	dot = strchr(release, '.');
	dot = dot ? strchr(dot + 1, '.') : NULL;
	if (!dot)
		die(EXIT_REFUSED, "cannot tell the kernel version of %s", release);
	src = xasprintf("linux-source-%.*s", (int)(dot - release), release);
	/* a binNMU of the image (+b1) has no source of its own */
	plus = strstr(k->version, "+b");
	if (!apt_has(src, k->version) && plus) {
		*plus = '\0';
		if (!apt_has(src, k->version))
			*plus = '+';
	}
	if (!apt_has(src, k->version))
		die(EXIT_ENV, "apt has no %s=%s, the source of %s (run apt-get "
		    "update)", src, k->version, image);
	free(image);
	k->source_tar = src;	/* the package name until fetched */
}

/* apt-get download PKG into @dir (as root, apt's _apt user cannot). */
static void apt_download(const char *pkg, const char *dir, const char *log)
{
	char *q = shell_quote(pkg), *d = shell_quote(dir);
	char *cmd = xasprintf("cd %s && apt-get -q %s download %s", d,
			      getuid() ? "" : "-o APT::Sandbox::User=root", q);

	step("downloading %s", pkg);
	if (run_sh(log, cmd)) {
		print_log_tail(log, 10);
		die(EXIT_ENV, "apt-get download %s failed (network? apt-get "
		    "update?)", pkg);
	}
	free(cmd);
	free(q);
	free(d);
}

/* Extract ./@member of the one .deb in @dir into @dir. */
static char *extract(const char *dir, const char *member, const char *log)
{
	char *d = shell_quote(dir), *m = shell_quote(member);
	char *cmd = xasprintf("cd %s && deb=$(ls *.deb) && "
			      "dpkg-deb --fsys-tarfile \"$deb\" | tar -x %s && "
			      "rm -f \"$deb\"", d, m);
	char *path = xasprintf("%s/%s", dir, member);

	if (run_sh(log, cmd) || !is_file(path)) {
		print_log_tail(log, 10);
		die(EXIT_ENV, "cannot extract %s from the package", member);
	}
	free(cmd);
	free(d);
	free(m);
	return path;
}

/*
 * The members of linux-image-<release> that match @patterns (tar
 * wildcards, NULL-terminated), extracted under @dir in one pass; the
 * package is kept there as image.deb, so the next member costs no
 * download.  The caller holds @dir's lock and looks for what it needs:
 * false only if the package could not be had.
 */
bool debian_image_extract(const char *release, const char *dir,
			  const char *const *patterns)
{
	char *deb = xasprintf("%s/image.deb", dir);
	char *log = xasprintf("%s/apt.log", dir);
	char *d = shell_quote(dir), *p = xstrdup(""), *cmd;
	bool ok = true;
	unsigned int i;

	for (i = 0; patterns[i]; i++) {
		char *q = shell_quote(patterns[i]), *more;

		more = xasprintf("%s %s", p, q);
		free(p);
		free(q);
		p = more;
	}

	if (!is_file(deb)) {
		struct debian_kernel k;
		char *tmp = xasprintf("%s/.dl-XXXXXX", dir), *t, *spec;

		debian_lookup(&k, release);
		if (!mkdtemp(tmp))
			die(EXIT_ENV, "cannot create %s", tmp);
		spec = xasprintf("linux-image-%s=%s", release, k.version);
		apt_download(spec, tmp, log);
		t = shell_quote(tmp);
		cmd = xasprintf("mv %s/*.deb %s/image.deb && rmdir %s", t, d, t);
		ok = !run_sh(log, cmd);
		free(cmd);
		free(t);
		free(spec);
		free(tmp);
		free(k.release);
		free(k.version);
		free(k.source_tar);
	}
	/* tar fails when nothing matches: the caller looks for the file */
	cmd = xasprintf("cd %s && dpkg-deb --fsys-tarfile image.deb | "
			"tar -x --wildcards%s", d, p);
	if (ok)
		run_sh(log, cmd);
	free(cmd);
	free(d);
	free(p);
	free(log);
	free(deb);
	return ok;
}

static char *installed_version(const char *pkg)
{
	char *q = shell_quote(pkg);
	char *cmd = xasprintf("dpkg-query -W -f='${Status} ${Version}' %s "
			      "2>/dev/null", q);
	char *out = capture_sh(cmd), *ret = NULL;

	if (out && !strncmp(out, "install ok installed ", 21))
		ret = xstrdup(out + 21);
	free(out);
	free(cmd);
	free(q);
	return ret;
}

/*
 * Fetch the source tarball and the config into @cache/trees/.dl-*: the
 * installed linux-source package if it is the right version, the VM test
 * bed's extracted image (cache/kernels/<release>/) or /boot if they have
 * the config.
 */
void debian_fetch(struct debian_kernel *k, const char *cache)
{
	char *pkg = k->source_tar, *inst = installed_version(pkg);
	char *tarball = xasprintf("/usr/src/%s.tar.xz", pkg);
	char *vmcfg = xasprintf("%s/kernels/%s/boot/config-%s", cache,
				k->release, k->release);
	char *vmdone = xasprintf("%s/kernels/%s/.complete", cache, k->release);
	char *boot = xasprintf("/boot/config-%s", k->release);
	char *log, *spec;

	k->cleanup = xasprintf("%s/trees/.dl-%s.XXXXXX", cache, k->release);
	if (!mkdtemp(k->cleanup))
		die(EXIT_ENV, "cannot create %s", k->cleanup);
	log = xasprintf("%s/apt.log", k->cleanup);
	if (inst && !strcmp(inst, k->version) && is_file(tarball)) {
		step("using the installed %s %s", pkg, inst);
		k->source_tar = tarball;
		tarball = NULL;
	} else {
		spec = xasprintf("%s=%s", pkg, k->version);
		apt_download(spec, k->cleanup, log);
		free(spec);
		spec = xasprintf("./usr/src/%s.tar.xz", pkg);
		k->source_tar = extract(k->cleanup, spec, log);
		free(spec);
	}
	if (is_file(vmcfg) && is_file(vmdone)) {
		k->config = vmcfg;
		vmcfg = NULL;
	} else if (is_file(boot)) {
		k->config = boot;
		boot = NULL;
	} else {
		char *sub = xasprintf("%s/image", k->cleanup);
		char *mk[] = { "mkdir", "-p", sub, NULL };

		spec = xasprintf("linux-image-%s=%s", k->release, k->version);
		if (run(NULL, NULL, mk))
			die(EXIT_ENV, "cannot create %s", sub);
		apt_download(spec, sub, log);
		free(spec);
		spec = xasprintf("./boot/config-%s", k->release);
		k->config = extract(sub, spec, log);
		free(spec);
		free(sub);
	}
	step("kernel %s is Debian's %s %s; config %s", k->release, pkg,
	     k->version, k->config);
	free(pkg);
	free(inst);
	free(tarball);
	free(vmcfg);
	free(vmdone);
	free(boot);
	free(log);
}
