// SPDX-License-Identifier: GPL-2.0
/*
 * /run/ksplice/<id>: the modules ksplice-apply loaded for update <id>,
 * one "module <name>" line each, so that ksplice-undo unloads exactly
 * those.  /run is empty after a reboot, as the kernel's state is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tool.h"

static const char *state_dir(void)
{
	const char *dir = getenv("KSPLICE_STATE_DIR");

	return dir && *dir ? dir : "/run/ksplice";
}

int state_write(const char *id, char *const *modules, unsigned int n)
{
	char *path = xasprintf("%s/%s", state_dir(), id);
	char *tmp = xasprintf("%s.tmp", path);
	unsigned int i;
	FILE *f;
	int err = 0;

	if (mkdir(state_dir(), 0755) && errno != EEXIST)
		err = -errno;
	f = err ? NULL : fopen(tmp, "we");
	if (!err && !f)
		err = -errno;
	for (i = 0; f && i < n; i++)
		fprintf(f, "module %s\n", modules[i]);
	if (f && (fclose(f) || rename(tmp, path)))
		err = -errno;
	if (err) {
		unlink(tmp);
		tool_error("cannot record the update in %s: %s (ksplice-undo "
			   "will guess its module names)", path, strerror(-err));
	}
	free(tmp);
	free(path);
	return err;
}

unsigned int state_read(const char *id, char ***modules)
{
	char *path = xasprintf("%s/%s", state_dir(), id);
	FILE *f = fopen(path, "re");
	char line[512], name[256];
	unsigned int n = 0;

	*modules = NULL;
	free(path);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "module %255s", name) != 1)
			continue;
		*modules = xrealloc(*modules, n + 1, sizeof(**modules));
		(*modules)[n++] = xstrdup(name);
	}
	fclose(f);
	return n;
}

void state_remove(const char *id)
{
	char *path = xasprintf("%s/%s", state_dir(), id);

	unlink(path);
	free(path);
}

/* Whether module @name uses ksplice.ko's symbols: an update module. */
static bool uses_core(const char *name)
{
	char *path = xasprintf("/sys/module/%s/holders/%s", KSPLICE_CORE, name);
	bool yes = !access(path, F_OK);

	free(path);
	return yes;
}

/*
 * Without a record: ksplice-create names its module ksplice_<id>;
 * hand-written updates often use the id itself.  Only a module that
 * uses ksplice.ko qualifies, never a target that happens to share the
 * id's name.
 */
unsigned int guess_modules(const char *id, char ***modules)
{
	char *cand[2];
	unsigned int i, n = 0;

	cand[0] = xasprintf("ksplice_%s", id);
	cand[1] = xstrdup(id);
	*modules = xrealloc(NULL, 1, sizeof(**modules));
	for (i = 0; i < 2; i++) {
		char *name = module_name(cand[i]);

		free(cand[i]);
		if (!n && uses_core(name))
			(*modules)[n++] = name;
		else
			free(name);
	}
	return n;
}
