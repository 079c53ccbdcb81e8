// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the environment.  Tools, the kernel build directory, its
 * release, the compiler it was built with, and where update.h and the
 * core module's Module.symvers are.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "create.h"

/* A quoted value of a `#define NAME "value"` or `NAME="value"` line. */
static char *quoted_value(const char *path, const char *name)
{
	char *text = read_file(path, NULL), *line, *save = NULL, *ret = NULL;
	size_t n = strlen(name);

	if (!text)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		char *q, *e;

		if (!strncmp(line, "#define ", 8))
			line += 8;
		if (strncmp(line, name, n) ||
		    (line[n] != ' ' && line[n] != '\t' && line[n] != '='))
			continue;
		q = strchr(line + n, '"');
		e = q ? strchr(q + 1, '"') : NULL;
		if (e)
			ret = strndup(q + 1, e - q - 1);
	}
	free(text);
	return ret;
}

static char *first_line_of(const char *cmd)
{
	char buf[512];
	FILE *f = popen(cmd, "r");
	char *ret = NULL;

	if (!f)
		return NULL;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = xstrdup(buf);
	}
	pclose(f);
	return ret;
}

/* "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0": the program name differs. */
static const char *without_program(const char *version)
{
	const char *sp = strchr(version, ' ');

	return sp ? sp + 1 : version;
}

/*
 * The compiler kbuild ran for @obj (relative to the pre tree), from the
 * command line kbuild recorded in its .cmd file: Debian's headers say
 * gcc-12 where plain `gcc` may be another version.
 */
static char *kbuild_compiler(struct create *c, const char *obj)
{
	const char *slash = strrchr(obj, '/');
	char *cmd = slash ? xasprintf("%s/%.*s/.%s.cmd", c->pre,
				      (int)(slash - obj), obj, slash + 1) :
			    xasprintf("%s/.%s.cmd", c->pre, obj);
	char *text = read_file(cmd, NULL), *p, *ret = NULL;

	free(cmd);
	p = text ? strstr(text, ":=") : NULL;
	while (p && !ret) {
		size_t n;

		p += strspn(p, ":= \t");
		n = strcspn(p, " \t\n");
		if (!n)
			break;
		if (n == 6 && !strncmp(p, "ccache", 6)) {
			p += n;
			continue;
		}
		ret = strndup(p, n);
	}
	free(text);
	return ret;
}

void check_compiler(struct create *c, const char *obj)
{
	char *kcc = kbuild_compiler(c, obj);
	char *cmd, *ours, *path, *theirs;

	if (kcc) {
		free(c->cc);
		c->cc = kcc;
	}
	cmd = xasprintf("%s --version 2>/dev/null", c->cc);
	ours = first_line_of(cmd);
	path = xasprintf("%s/include/config/auto.conf", c->kdir);
	theirs = quoted_value(path, "CONFIG_CC_VERSION_TEXT");

	free(path);
	if (!theirs) {
		path = xasprintf("%s/.config", c->kdir);
		theirs = quoted_value(path, "CONFIG_CC_VERSION_TEXT");
		free(path);
	}
	if (!ours)
		die(EXIT_ENV, "cannot run %s --version", c->cc);
	if (!theirs) {
		warn("%s does not say which compiler built the kernel; "
		     "assuming %s", c->kdir, ours);
	} else if (strcmp(without_program(ours), without_program(theirs))) {
		if (!c->force_compiler)
			die(EXIT_REFUSED, "compiler mismatch: the kernel was built "
			    "with \"%s\", %s is \"%s\" (code would not match; "
			    "--force-compiler overrides)", theirs, c->cc, ours);
		warn("compiler mismatch overridden: kernel \"%s\", %s \"%s\"",
		     theirs, c->cc, ours);
	}
	free(cmd);
	free(ours);
	free(theirs);
}

char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return xstrdup(".");
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return xstrdup(buf);
}

/* update.h: $KSPLICE_INCLUDE, the build tree, or the install prefix. */
static void find_ksplice_files(struct create *c)
{
	char *dir = exe_dir();
	const char *env = getenv("KSPLICE_INCLUDE");
	char *cands[3] = {
		env ? xstrdup(env) : NULL,
		xasprintf("%s/../kmod/include", dir),
		xasprintf("%s/../include", dir),
	};
	char *syms[3] = {
		getenv("KSPLICE_SYMVERS") ? xstrdup(getenv("KSPLICE_SYMVERS")) : NULL,
		xasprintf("%s/../kmod/Module.symvers", dir),
		xasprintf("%s/../lib/ksplice/%s/Module.symvers", dir, c->release),
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		char *h = cands[i] ? xasprintf("%s/ksplice/update.h", cands[i]) : NULL;

		if (!c->incdir && h && is_file(h))
			c->incdir = realpath(cands[i], NULL);
		if (!c->ksplice_symvers && syms[i] && is_file(syms[i]))
			c->ksplice_symvers = realpath(syms[i], NULL);
		free(h);
		free(cands[i]);
		free(syms[i]);
	}
	free(dir);
	if (!c->incdir)
		die(EXIT_ENV, "cannot find ksplice/update.h (set KSPLICE_INCLUDE "
		    "to the directory that holds ksplice/update.h)");
}

/* Debian's headers name their compiler in .kernelvariables: is it here? */
static void check_kbuild_cc(struct create *c)
{
	char *path = xasprintf("%s/.kernelvariables", c->kdir);
	char *text = read_file(path, NULL), *line, *save = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *last = strrchr(line, ' '), *cc;

		if (strncmp(line, "CC =", 4) || !last)
			continue;
		cc = strstr(last, ")") ? strrchr(last, ')') + 1 : last + 1;
		if (*cc && !getenv("CC") && !in_path(cc))
			die(EXIT_ENV, "%s is not installed (the compiler of %s)",
			    cc, c->kdir);
	}
	free(text);
	free(path);
}

void check_environment(struct create *c)
{
	static const char *const tools[] = { "make", "patch", "cp", NULL };
	const char *const *t;
	struct utsname u;
	char *path;

	for (t = tools; *t; t++)
		if (!in_path(*t))
			die(EXIT_ENV, "%s is not installed", *t);
	c->cc = xstrdup(getenv("CC") && *getenv("CC") ? getenv("CC") : "gcc");
	if (!c->kdir) {
		if (uname(&u))
			die(EXIT_ENV, "uname failed");
		c->kdir = xasprintf("/lib/modules/%s/build", u.release);
	}
	path = xasprintf("%s/Makefile", c->kdir);
	if (!is_file(path) && c->debian)
		die(EXIT_ENV, "no kernel headers at %s: the update module is "
		    "built against them (apt-get install linux-headers-%s)",
		    c->kdir, c->debian);
	if (!is_file(path))
		die(EXIT_ENV, "no kernel build directory at %s (install the "
		    "kernel headers or pass --kdir)", c->kdir);
	free(path);
	c->kdir = realpath(c->kdir, NULL);
	check_kbuild_cc(c);
	path = xasprintf("%s/include/generated/utsrelease.h", c->kdir);
	c->release = quoted_value(path, "UTS_RELEASE");
	free(path);
	if (!c->release)
		die(EXIT_ENV, "%s: no include/generated/utsrelease.h", c->kdir);
	find_ksplice_files(c);
}
