// SPDX-License-Identifier: GPL-2.0
/*
 * /run/ksplice/<id>: the modules ksplice-apply loaded for update <id>,
 * one "module <name>" line each, so that ksplice-undo unloads exactly
 * those.  /run is empty after a reboot, as the kernel's state is.
 * Written through O_NOFOLLOW and O_EXCL, in a directory only root can
 * write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tool.h"

const char *tool_state_dir;

static const char *state_dir(void)
{
	return tool_state_dir ? tool_state_dir : "/run/ksplice";
}

/*
 * The state directory, opened without following a symlink, and only if
 * root owns it and nobody else can write it: whoever could swap it could
 * make ksplice-undo unload other modules.
 */
static int open_state_dir(void)
{
	struct stat st;
	int fd;

	if (mkdir(state_dir(), 0755) && errno != EEXIST)
		return -errno;
	fd = open(state_dir(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* "<id>.tmp", created anew (O_EXCL): a leftover is removed first. */
static FILE *create_tmp(int dir, const char *tmp)
{
	int fd, tries;

	for (tries = 0; tries < 2; tries++) {
		fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST || unlinkat(dir, tmp, 0))
			break;
	}
	return fd < 0 ? NULL : fdopen(fd, "w");
}

int state_write(const char *id, char *const *modules, unsigned int n)
{
	char *path = xasprintf("%s/%s", state_dir(), id);
	char *tmp = xasprintf("%s.tmp", id);
	int dir = open_state_dir(), err = dir < 0 ? dir : 0;
	unsigned int i;
	FILE *f = NULL;

	if (!err && !(f = create_tmp(dir, tmp)))
		err = -errno;
	for (i = 0; f && i < n; i++)
		fprintf(f, "module %s\n", modules[i]);
	if (f && (fflush(f) || fsync(fileno(f))))
		err = -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	if (!err && renameat(dir, tmp, dir, id))
		err = -errno;
	if (err && dir >= 0)
		unlinkat(dir, tmp, 0);
	if (err)
		tool_error("cannot record the update in %s: %s (ksplice-undo "
			   "will guess its module names)", path,
			   err == -EPERM ? "not a directory only root can write"
			   : strerror(-err));
	if (dir >= 0)
		close(dir);
	free(tmp);
	free(path);
	return err;
}

unsigned int state_read(const char *id, char ***modules)
{
	char *path = xasprintf("%s/%s", state_dir(), id);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
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
