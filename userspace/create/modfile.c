// SPDX-License-Identifier: GPL-2.0
/*
 * The running target module's own file: the .ko that the kernel release's
 * image package installed, found through its modules.dep under
 * /lib/modules/<release>/ (the host runs or has installed that kernel) or
 * the test bed's extracted image (<cache>/kernels/<release>/), or, with
 * --debian, the release's image package itself, fetched through apt when
 * first needed.  objdiff reads it to tell apart same-named statics of the
 * module (sympos.c).  Without it nothing is guessed: the engine refuses
 * what is ambiguous, and ksplice-create says so beforehand.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create.h"

/* "kernel/drivers/block/drbd/drbd.ko" names module "drbd"? */
static bool names_module(const char *path, size_t len, const char *module)
{
	const char *base = path;
	size_t i, n;

	for (i = 0; i < len; i++)
		if (path[i] == '/')
			base = path + i + 1;
	n = path + len - base;
	if (n < 3 || strncmp(base + n - 3, ".ko", 3))
		return false;
	n -= 3;
	if (strlen(module) != n)
		return false;
	for (i = 0; i < n; i++) {
		char a = base[i] == '-' ? '_' : base[i];
		char b = module[i] == '-' ? '_' : module[i];

		if (a != b)
			return false;
	}
	return true;
}

static char *in_tree(const char *moddir, const char *module)
{
	char *dep = xasprintf("%s/modules.dep", moddir), *ret = NULL;
	FILE *f = fopen(dep, "r");
	char line[4096];

	free(dep);
	if (!f)
		return NULL;
	while (!ret && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, ":\n");

		if (names_module(line, len, module)) {
			line[len] = '\0';
			ret = xasprintf("%s/%s", moddir, line);
			if (!is_file(ret)) {
				free(ret);
				ret = NULL;
			}
		}
	}
	fclose(f);
	return ret;
}

/* The tar wildcard of a module's file: any directory, then qede.ko (- or _) */
static char *ko_pattern(const char *module)
{
	char *p = xrealloc(NULL, 4 * strlen(module) + 8, 1), *o = p;
	const char *m;

	o += sprintf(o, "*/");
	for (m = module; *m; m++)
		o += *m == '_' || *m == '-' ? sprintf(o, "[-_]") :
		     sprintf(o, "%c", *m);
	strcpy(o, ".ko");
	return p;
}

/* nftw() passes its callback no argument */
static const char *walk_module;
static char *walk_found;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag != FTW_F || !names_module(path, strlen(path), walk_module))
		return 0;
	walk_found = xstrdup(path);
	return 1;
}

/* The module's file under @dir (the package has no modules.dep). */
static char *find_ko(const char *dir, const char *module)
{
	walk_module = module;
	walk_found = NULL;
	if (is_dir(dir))
		nftw(dir, walk_one, 16, FTW_PHYS);
	return walk_found;
}

/*
 * --debian: the release's image package, fetched once into
 * <cache>/trees/.image-<release>/ and kept; the module's file is
 * extracted from it the first time a run asks (a pass through the
 * package, seconds), under a lock so that parallel runs wait.
 */
static char *from_image(const char *cache, const char *release,
			const char *module)
{
	char *dir = xasprintf("%s/trees/.image-%s", cache, release);
	char *moddir = xasprintf("%s/lib/modules/%s", dir, release);
	char *lock = xasprintf("%s/.lock", dir), *ret;
	char *mk[] = { "mkdir", "-p", dir, NULL };
	int fd;

	if (run(NULL, NULL, mk))
		die(EXIT_ENV, "cannot create %s", dir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX))
		die(EXIT_ENV, "cannot lock %s", lock);
	ret = find_ko(moddir, module);
	if (!ret) {
		char *ko = ko_pattern(module);
		const char *patterns[] = { ko, NULL };

		step("reading %s's module file from linux-image-%s (kept in "
		     "%s): it tells same-named statics apart", module, release,
		     dir);
		if (debian_image_extract(release, dir, patterns))
			ret = find_ko(moddir, module);
		free(ko);
	}
	close(fd);
	free(lock);
	free(moddir);
	free(dir);
	return ret;
}

/*
 * The module's file: where the host has the release installed, the test
 * bed's extracted image, or (--debian) the release's image package.
 */
char *target_module_file(const struct create *c, const char *module)
{
	char *cache = cache_root();
	char *dirs[2] = {
		xasprintf("/lib/modules/%s", c->release),
		xasprintf("%s/kernels/%s/lib/modules/%s", cache, c->release,
			  c->release),
	};
	char *ret = NULL;
	int i;

	for (i = 0; i < 2; i++) {
		if (!ret)
			ret = in_tree(dirs[i], module);
		free(dirs[i]);
	}
	if (!ret && c->debian)
		ret = from_image(cache, c->release, module);
	free(cache);
	return ret;
}
