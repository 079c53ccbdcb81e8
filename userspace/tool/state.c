// SPDX-License-Identifier: GPL-2.0
/*
 * /run/ksplice/<id>: the modules ksplice-apply loaded for update <id>,
 * one "module <name>" line each, so that ksplice-undo unloads exactly
 * those; then the package's "effective-release" and "cve" lines, for
 * ksplice-view --cves and ksplice-uname.  Other files there have names
 * no id can have (".metrics", metrics.c).  /run is empty after a
 * reboot, as the kernel's state is.
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
#include "ksplice/manifest.h"
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
	FILE *f;
	int fd, tries;

	for (tries = 0; tries < 2; tries++) {
		fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST || unlinkat(dir, tmp, 0))
			break;
	}
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f && fd >= 0)
		close(fd);
	return f;
}

/* @text into the state directory as @name: a temporary file, renamed. */
int state_write_file(const char *name, const char *text)
{
	char *tmp = xasprintf("%s.tmp", name);
	int dir = open_state_dir(), err = dir < 0 ? dir : 0;
	FILE *f = NULL;

	if (!err && !(f = create_tmp(dir, tmp)))
		err = -errno;
	if (f)
		fputs(text, f);
	if (f && (fflush(f) || fsync(fileno(f))))
		err = -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	if (!err && renameat(dir, tmp, dir, name))
		err = -errno;
	if (err && dir >= 0)
		unlinkat(dir, tmp, 0);
	if (dir >= 0)
		close(dir);
	free(tmp);
	return err;
}

/* Append to a malloc'd string. */
static void cat(char **s, const char *fmt, const char *arg)
{
	char *more = xasprintf(fmt, arg);
	char *all = xasprintf("%s%s", *s, more);

	free(*s);
	free(more);
	*s = all;
}

int state_write(const char *id, char *const *modules, unsigned int n,
		const struct ks_manifest *m)
{
	char *path = xasprintf("%s/%s", state_dir(), id);
	char *text = xstrdup("");
	unsigned int i;
	int err;

	for (i = 0; i < n; i++)
		cat(&text, "module %s\n", modules[i]);
	if (m && m->effective_release[0])
		cat(&text, "effective-release %s\n", m->effective_release);
	for (i = 0; m && i < m->nr_cves; i++)
		cat(&text, "cve %s\n", m->cves[i]);
	err = state_write_file(id, text);
	if (err)
		tool_error("cannot record the update in %s: %s (ksplice-undo "
			   "will guess its module names)", path,
			   err == -EPERM ? "not a directory only root can write"
			   : strerror(-err));
	free(text);
	free(path);
	return err;
}

char *state_read_file(const char *name)
{
	char *path = xasprintf("%s/%s", state_dir(), name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	char *text = NULL;
	size_t len = 0;

	free(path);
	if (!f) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = xstrdup("");
	}
	fclose(f);
	return text;
}

void state_read_info(const char *id, struct state_info *info)
{
	char *text = state_read_file(id), *line, *save = NULL;

	memset(info, 0, sizeof(*info));
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "effective-release ", 18)) {
			free(info->effective_release);
			info->effective_release = xstrdup(line + 18);
		} else if (!strncmp(line, "cve ", 4)) {
			info->cves = xrealloc(info->cves, info->nr_cves + 1,
					      sizeof(*info->cves));
			info->cves[info->nr_cves++] = xstrdup(line + 4);
		}
	}
	free(text);
}

void state_info_free(struct state_info *info)
{
	free(info->effective_release);
	free_strv(info->cves, info->nr_cves);
	memset(info, 0, sizeof(*info));
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
	if (!f) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
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
