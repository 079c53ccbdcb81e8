// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's files, /sys/kernel/ksplice/<id>/ (docs/ARCHITECTURE.md):
 * read an update's state, list updates, write stage and the knobs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tool.h"

/*
 * sysfs files hold at most a page; conflicts and functions fill it.  Those
 * and abort_reason are root-only (kernel addresses): so are these tools.
 */
#define ATTR_MAX	65536

/* All of @path as a string, or NULL with errno set. */
static char *read_text(const char *path)
{
	char *buf = xmalloc(ATTR_MAX + 1);
	size_t used = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while (used < ATTR_MAX) {
		ssize_t n = read(fd, buf + used, ATTR_MAX - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(buf);
			errno = e;
			return NULL;
		}
		if (!n)
			break;
		used += n;
	}
	close(fd);
	buf[used] = '\0';
	return buf;
}

char *read_line(const char *path)
{
	char *s = read_text(path);

	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

static char *attr_path(const char *id, const char *file)
{
	return xasprintf("%s/%s/%s", KSPLICE_SYSFS, id, file);
}

/* An attribute's text, "" if it cannot be read (an older engine). */
static char *attr_text(const char *id, const char *file, bool line)
{
	char *path = attr_path(id, file);
	char *s = line ? read_line(path) : read_text(path);

	free(path);
	return s ? s : xstrdup("");
}

static unsigned long long attr_ull(const char *id, const char *file)
{
	char *s = attr_text(id, file, true);
	unsigned long long v = strtoull(s, NULL, 10);

	free(s);
	return v;
}

bool engine_loaded(void)
{
	struct stat st;

	return !stat(KSPLICE_SYSFS, &st) && S_ISDIR(st.st_mode);
}

bool update_exists(const char *id)
{
	char *path = attr_path(id, "stage");
	bool ok = !access(path, F_OK);

	free(path);
	return ok;
}

/* Split @text into its non-empty lines, each malloc'd. */
static char **split_lines(const char *text, unsigned int *n)
{
	char **v = NULL;
	const char *p = text;

	*n = 0;
	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len) {
			v = xrealloc(v, *n + 1, sizeof(*v));
			v[(*n)++] = strndup(p, len);
			if (!v[*n - 1])
				v[*n - 1] = xstrdup("");
		}
		p += len + (p[len] == '\n');
	}
	return v;
}

/* `<name> <object> <old-addr> <new-addr> <jmp|ftrace>` lines. */
static void parse_functions(const char *text, struct update_info *u)
{
	char **lines;
	unsigned int i, n;

	lines = split_lines(text, &n);
	u->funcs = xrealloc(NULL, n, sizeof(*u->funcs));
	for (i = 0; i < n; i++) {
		struct func_info *f = &u->funcs[u->nr_funcs];
		char name[256], object[256];

		f->via[0] = '\0';
		if (sscanf(lines[i], "%255s %255s %lx %lx %7s", name, object,
			   &f->old_addr, &f->new_addr, f->via) < 4)
			continue;
		f->name = xstrdup(name);
		f->object = xstrdup(object);
		u->nr_funcs++;
	}
	free_strv(lines, n);
}

char **update_read_lines(const char *id, const char *file, unsigned int *n)
{
	char *text = attr_text(id, file, false);
	char **lines = split_lines(text, n);

	free(text);
	return lines;
}

int update_read(const char *id, struct update_info *u)
{
	char *text = attr_path(id, "stage");
	int err;

	memset(u, 0, sizeof(*u));
	u->stage = read_line(text);
	err = u->stage ? 0 : -errno;
	free(text);
	if (err)
		return err;
	u->id = xstrdup(id);
	u->description = attr_text(id, "description", true);
	u->sequence = attr_ull(id, "sequence");
	u->stage_time = (long long)attr_ull(id, "stage_time");
	u->tries = attr_ull(id, "tries");
	u->max_tries = attr_ull(id, "max_tries");
	u->retry_delay_ms = attr_ull(id, "retry_delay_ms");
	u->cause = attr_text(id, "abort_cause", true);
	u->reason = attr_text(id, "abort_reason", true);
	u->pause_ns = attr_ull(id, "pause_ns");
	u->attempts = attr_text(id, "attempts_ns", true);
	text = attr_text(id, "functions", false);
	parse_functions(text, u);
	free(text);
	text = attr_text(id, "conflicts", false);
	u->conflicts = split_lines(text, &u->nr_conflicts);
	free(text);
	text = attr_text(id, "bypassed", false);
	u->bypassed = split_lines(text, &u->nr_bypassed);
	free(text);
	text = attr_text(id, "waiting_for", false);
	u->waiting_for = split_lines(text, &u->nr_waiting_for);
	free(text);
	u->cumulative = attr_ull(id, "cumulative") == 1;
	u->replaced_by = attr_text(id, "replaced_by", true);
	text = attr_text(id, "replaces", false);
	u->replaces = split_lines(text, &u->nr_replaces);
	free(text);
	return 0;
}

void update_free(struct update_info *u)
{
	unsigned int i;

	for (i = 0; i < u->nr_funcs; i++) {
		free(u->funcs[i].name);
		free(u->funcs[i].object);
	}
	free(u->funcs);
	free_strv(u->conflicts, u->nr_conflicts);
	free_strv(u->bypassed, u->nr_bypassed);
	free_strv(u->waiting_for, u->nr_waiting_for);
	free_strv(u->replaces, u->nr_replaces);
	free(u->replaced_by);
	free(u->id);
	free(u->stage);
	free(u->description);
	free(u->attempts);
	free(u->cause);
	free(u->reason);
	memset(u, 0, sizeof(*u));
}

static bool applied(const struct update_info *u)
{
	return !strcmp(u->stage, "applied");
}

static bool pending(const struct update_info *u)
{
	return !strcmp(u->stage, "pending");
}

static int by_sequence(const void *a, const void *b)
{
	const struct update_info *x = a, *y = b;

	if (applied(x) != applied(y))
		return applied(x) ? -1 : 1;
	if (pending(x) != pending(y))
		return pending(x) ? -1 : 1;
	if (applied(x) && x->sequence != y->sequence)
		return x->sequence < y->sequence ? -1 : 1;
	return strcmp(x->id, y->id);
}

unsigned int update_list(struct update_info **list)
{
	DIR *d = opendir(KSPLICE_SYSFS);
	struct dirent *e;
	unsigned int n = 0;

	*list = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		*list = xrealloc(*list, n + 1, sizeof(**list));
		if (!update_read(e->d_name, &(*list)[n]))
			n++;	/* else gone meanwhile */
	}
	closedir(d);
	if (n)
		qsort(*list, n, sizeof(**list), by_sequence);
	return n;
}

void update_list_free(struct update_info *list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		update_free(&list[i]);
	free(list);
}

int update_write(const char *id, const char *file, const char *value)
{
	char *path = attr_path(id, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(value);
	ssize_t n;
	int err = 0;

	free(path);
	if (fd < 0)
		return -errno;
	/* One write: the engine acts on it and returns its verdict. */
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}
