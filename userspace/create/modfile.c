// SPDX-License-Identifier: GPL-2.0
/*
 * The running target module's own file: the .ko that the kernel release's
 * image package installed, found through its modules.dep under
 * /lib/modules/<release>/ (the host runs or has installed that kernel) or
 * the test bed's extracted image (<cache>/kernels/<release>/).  objdiff
 * reads it to tell apart same-named statics of the module (sympos.c).
 * Without it nothing is guessed: the engine refuses what is ambiguous.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

char *target_module_file(const char *release, const char *module)
{
	char *cache = cache_root();
	char *dirs[2] = {
		xasprintf("/lib/modules/%s", release),
		xasprintf("%s/kernels/%s/lib/modules/%s", cache, release, release),
	};
	char *ret = NULL;
	int i;

	for (i = 0; i < 2; i++) {
		if (!ret)
			ret = in_tree(dirs[i], module);
		free(dirs[i]);
	}
	free(cache);
	return ret;
}
