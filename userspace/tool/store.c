// SPDX-License-Identifier: GPL-2.0
/*
 * The installed updates (/var/lib/ksplice/<release>/) and the record of
 * what the last boot did with them (/run/ksplice/boot.status).  Layout
 * and the reasons for it: store.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tool.h"
#include "store.h"

#define ORDER	"order"

const char *tool_store_dir;

static const char *store_root(void)
{
	return tool_store_dir ? tool_store_dir : STORE_DIR;
}

static const char *status_dir(void)
{
	return tool_state_dir ? tool_state_dir : "/run/ksplice";
}

/* A kernel release names a directory: no '/', not "." or "..". */
static bool valid_release(const char *r)
{
	size_t n = strspn(r, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-");

	return n && n <= 64 && !r[n] && strcmp(r, ".") && strcmp(r, "..");
}

char *store_release_dir(const char *release)
{
	return xasprintf("%s/%s", store_root(), release);
}

char *store_package(const char *release, const char *id)
{
	return xasprintf("%s/%s/%s.tar.gz", store_root(), release, id);
}

/*
 * @path as a directory fd, created if @create, not through a symlink,
 * and only if root (or we) own it and nobody else can write it: whoever
 * could change it could choose what root loads at boot.
 */
static int open_dir(const char *path, bool create)
{
	struct stat st;
	int fd;

	if (create && mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || (st.st_uid && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* Write @len bytes to "<name>.tmp" (O_EXCL), sync, rename to @name. */
static int replace_at(int dir, const char *name, const void *data,
		      size_t len, int mode)
{
	char *tmp = xasprintf("%s.tmp", name);
	const char *p = data;
	int fd = -1, err = 0, tries;
	ssize_t w;

	for (tries = 0; tries < 2 && fd < 0; tries++) {
		fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, mode);
		/* a leftover of a crash: remove it, try once more */
		if (fd < 0 && (errno != EEXIST || unlinkat(dir, tmp, 0)))
			break;
	}
	if (fd < 0)
		err = -errno;
	while (!err && len) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? -errno : -EIO;
			break;
		}
		p += w;
		len -= w;
	}
	if (!err && (fchmod(fd, mode) || fsync(fd)))
		err = -errno;
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	if (!err && renameat(dir, tmp, dir, name))
		err = -errno;
	if (!err)
		fsync(dir);	/* the rename itself survives a crash */
	else if (fd >= 0)
		unlinkat(dir, tmp, 0);
	free(tmp);
	return err;
}

int store_write_file(const char *dir, const char *name, const void *data,
		     size_t len, int mode)
{
	int fd = open_dir(dir, true), err;

	if (fd < 0)
		return fd;
	err = replace_at(fd, name, data, len, mode);
	close(fd);
	return err;
}

/* The whole of file @name in @dir (malloc'd, NUL-ended), or NULL. */
static char *slurp_at(int dir, const char *name)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *buf;
	ssize_t r;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap + 1);
	while ((r = read(fd, buf + len, cap - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		len += r;
		if (len == cap)
			buf = xrealloc(buf, (cap *= 2) + 1, 1);
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Parse the order record; unknown or bad lines are skipped. */
static unsigned int parse_order(char *text, struct store_entry **list)
{
	unsigned int n = 0;
	char *line, *save = NULL, id[128], flag[32];
	int k;

	*list = NULL;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		k = sscanf(line, "update %127s %31s", id, flag);
		if (k < 1 || !valid_id(id))
			continue;
		*list = xrealloc(*list, n + 1, sizeof(**list));
		memcpy((*list)[n].id, id, strlen(id) + 1);	/* <= 64 */
		(*list)[n++].allow_unsigned = k == 2 &&
			!strcmp(flag, "allow-unsigned");
	}
	return n;
}

static int list_at(int dir, struct store_entry **list)
{
	char *text = slurp_at(dir, ORDER);
	unsigned int n;

	*list = NULL;
	if (!text)
		return errno == ENOENT ? 0 : -errno;
	n = parse_order(text, list);
	free(text);
	return n;
}

int store_list(const char *release, struct store_entry **list)
{
	char *path;
	int dir, n;

	*list = NULL;
	if (!valid_release(release))
		return -EINVAL;
	path = store_release_dir(release);
	dir = open_dir(path, false);
	free(path);
	if (dir < 0)
		return dir == -ENOENT ? 0 : dir;
	n = list_at(dir, list);
	close(dir);
	return n;
}

bool store_has(const char *release, const char *id)
{
	struct store_entry *list;
	int i, n = store_list(release, &list);
	bool found = false;

	for (i = 0; i < n && !found; i++)
		found = !strcmp(list[i].id, id);
	free(list);
	return found;
}

static int write_order(int dir, const char *release,
		       const struct store_entry *list, unsigned int n)
{
	size_t len = 0, cap = 256;
	char *buf = xmalloc(cap);
	unsigned int i;
	int err, w;

	for (i = 0; i <= n; i++) {
		for (;;) {
			if (i == 0)
				w = snprintf(buf + len, cap - len, "# ksplice: "
					     "updates ksplice-load applies at "
					     "boot of %s, in this order\n",
					     release);
			else
				w = snprintf(buf + len, cap - len,
					     "update %s%s\n", list[i - 1].id,
					     list[i - 1].allow_unsigned ?
					     " allow-unsigned" : "");
			if ((size_t)w < cap - len)
				break;
			buf = xrealloc(buf, cap *= 2, 1);
		}
		len += w;
	}
	err = replace_at(dir, ORDER, buf, len, 0644);
	free(buf);
	return err;
}

/* The package file's bytes (root's alone: ksplice-apply checked). */
static int copy_package(int dir, const char *id, const char *path)
{
	int src = open(path, O_RDONLY | O_CLOEXEC);
	char *name, *data;
	struct stat st = { 0 };
	size_t len = 0;
	ssize_t r;
	int err = 0;

	if (src < 0)
		return -errno;
	if (fstat(src, &st) || !S_ISREG(st.st_mode)) {
		err = S_ISREG(st.st_mode) ? -errno : -EINVAL;
		close(src);
		return err;
	}
	data = xmalloc(st.st_size);
	while (len < (size_t)st.st_size) {
		r = read(src, data + len, st.st_size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : -EIO;
			break;
		}
		len += r;
	}
	close(src);
	name = xasprintf("%s.tar.gz", id);
	if (!err)
		err = replace_at(dir, name, data, len, 0600);
	free(name);
	free(data);
	return err;
}

int store_install(const char *release, const char *pkg_release,
		  const char *id, const char *path, bool allow_unsigned,
		  bool *was_installed)
{
	struct store_entry *list = NULL;
	int dir = -1, n, i, err;
	char *rdir;

	*was_installed = false;
	if (!valid_release(release) || strcmp(release, pkg_release) ||
	    !valid_id(id))
		return -EINVAL;
	rdir = store_release_dir(release);
	err = open_dir(store_root(), true);
	if (err >= 0) {
		close(err);
		err = dir = open_dir(rdir, true);
	}
	free(rdir);
	if (err < 0)
		return err;
	n = err = list_at(dir, &list);
	if (err >= 0)
		err = copy_package(dir, id, path);
	for (i = 0; !err && i < n && !*was_installed; i++)
		*was_installed = !strcmp(list[i].id, id);
	if (!err && *was_installed) {
		list[i - 1].allow_unsigned = allow_unsigned;
	} else if (!err) {
		list = xrealloc(list, n + 1, sizeof(*list));
		memcpy(list[n].id, id, strlen(id) + 1);	/* <= 64 */
		list[n++].allow_unsigned = allow_unsigned;
	}
	/* the package is in place before the record names it */
	if (!err)
		err = write_order(dir, release, list, n);
	free(list);
	close(dir);
	return err;
}

int store_remove(const char *release, const char *id)
{
	struct store_entry *list;
	int dir, n, i, j, err;
	char *path, *name;

	if (!valid_release(release) || !valid_id(id))
		return -EINVAL;
	path = store_release_dir(release);
	dir = open_dir(path, false);
	free(path);
	if (dir < 0)
		return dir;
	n = err = list_at(dir, &list);
	for (i = j = 0; i < n; i++)
		if (strcmp(list[i].id, id))
			list[j++] = list[i];
	if (err >= 0)
		err = j < n ? write_order(dir, release, list, j) : -ENOENT;
	/* out of the record first: from here on it is not applied */
	name = xasprintf("%s.tar.gz", id);
	if (!err && unlinkat(dir, name, 0) && errno != ENOENT)
		err = -errno;
	free(name);
	free(list);
	close(dir);
	return err;
}

int boot_status_write(const char *text)
{
	return store_write_file(status_dir(), BOOT_STATUS, text, strlen(text),
				0644);
}

char *boot_status_read(void)
{
	int dir = open(status_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *text;

	if (dir < 0)
		return NULL;
	text = slurp_at(dir, BOOT_STATUS);
	close(dir);
	return text;
}

/* The line of @text that starts with the word @word, or NULL. */
static const char *find_line(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *l;

	for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, word, n) && (l[n] == ' ' || l[n] == '\n' ||
					     !l[n]))
			return l + n;
	return NULL;
}

static char *rest_of_line(const char *s)
{
	size_t n = strcspn(s, "\n");
	char *r = xmalloc(n + 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

bool boot_status_of(const char *text, const char *id, char **result,
		    char **reason)
{
	char *word = xasprintf("update %s", id);
	const char *l = text ? find_line(text, word) : NULL;
	size_t n;

	free(word);
	if (!l || strchr("\n", *l))	/* also at the text's end */
		return false;
	l++;
	n = strcspn(l, " \n");
	*result = xmalloc(n + 1);
	memcpy(*result, l, n);
	(*result)[n] = '\0';
	*reason = l[n] == ' ' ? rest_of_line(l + n + 1) : NULL;
	return true;
}

char *boot_status_skipped(const char *text)
{
	const char *l = text ? find_line(text, "skipped") : NULL;

	if (!l)
		return NULL;
	return rest_of_line(*l == ' ' ? l + 1 : l);
}
