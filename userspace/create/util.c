// SPDX-License-Identifier: GPL-2.0
/* ksplice-create: messages, allocation, files and running commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "create.h"

void step(const char *fmt, ...)
{
	va_list ap;

	fputs("ksplice-create: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fputs("ksplice-create: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("ksplice-create: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void oom(void)
{
	die(EXIT_ENV, "out of memory");
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	va_end(ap);
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		oom();
	p = realloc(p, (n * size) != 0 ? n * size : 1);
	if (!p)
		oom();
	return p;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			buf = xrealloc(buf, cap, 1);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int run(const char *dir, const char *log, char *const argv[])
{
	return wait_run(run_async(dir, log, argv));
}

int run_async(const char *dir, const char *log, char *const argv[])
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die(EXIT_ENV, "fork: %s", strerror(errno));
	if (!pid) {
		if (log) {
			int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				_exit(127);
			close(fd);
		}
		if (dir && chdir(dir))
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

int wait_run(int pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die(EXIT_ENV, "waitpid: %s", strerror(errno));
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	bool found = false;

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	if (!path)
		path = "/usr/bin:/bin";
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", *dir ? dir : ".", prog);

		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	return found;
}

/* The last lines of a build log, to show why it failed. */
void print_log_tail(const char *log, unsigned int lines)
{
	char *text = read_file(log, NULL), *p;
	unsigned int n = 0;

	if (!text)
		return;
	p = text + strlen(text);
	while (p > text && n <= lines)
		if (*--p == '\n')
			n++;
	if (*p == '\n')
		p++;
	fputs(p, stderr);
	free(text);
}

int run_sh(const char *log, const char *cmdline)
{
	char *argv[] = { "sh", "-c", (char *)cmdline, NULL };

	return run(NULL, log, argv);
}

/* it's -> 'it'\''s' for sh: every byte kept. */
char *shell_quote(const char *s)
{
	size_t n = 3, i, o = 0;
	char *q;

	for (i = 0; s[i]; i++)
		n += s[i] == '\'' ? 4 : 1;
	q = xrealloc(NULL, n, 1);
	q[o++] = '\'';
	for (i = 0; s[i]; i++) {
		if (s[i] == '\'') {
			memcpy(q + o, "'\\''", 4);
			o += 4;
		} else {
			q[o++] = s[i];
		}
	}
	q[o++] = '\'';
	q[o] = '\0';
	return q;
}

char *capture_sh(const char *cmdline)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int c;

	fflush(NULL);
	f = popen(cmdline, "r");
	if (!f)
		return NULL;
	while ((c = fgetc(f)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 256;
			buf = xrealloc(buf, cap, 1);
		}
		buf[len++] = c;
	}
	if (pclose(f) != 0) {
		free(buf);
		return NULL;
	}
	if (!buf)
		return xstrdup("");
	buf[len] = '\0';
	return buf;
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

/* "fs/proc/../internal.h" -> "fs/internal.h"; "./x" -> "x" */
char *path_normalize(const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *part;
	char **parts = NULL, *out;
	unsigned int n = 0, i;
	size_t len = 1;

	for (part = strtok_r(copy, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		if (!strcmp(part, "."))
			continue;
		if (!strcmp(part, "..") && n && strcmp(parts[n - 1], "..")) {
			n--;
			continue;
		}
		parts = xrealloc(parts, n + 1, sizeof(char *));
		parts[n++] = part;
		len += strlen(part) + 1;
	}
	out = xrealloc(NULL, len, 1);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, "/");
		strcat(out, parts[i]);
	}
	free(parts);
	free(copy);
	return out;
}

/*
 * Does @text, a kbuild dependency record (.cmd, .d), name @path as a
 * whole word: after a space, tab or '=', before a space, newline,
 * backslash, ')' or the end?
 */
bool names_path(const char *text, const char *path)
{
	size_t n = strlen(path);
	const char *p;

	for (p = text; p && (p = strstr(p, path)); p += n) {
		char before = p == text ? ' ' : p[-1];
		char after = p[n];

		if ((before == ' ' || before == '=' || before == '\t') &&
		    (after == ' ' || after == '\n' || after == '\\' ||
		     after == '\0' || after == ')'))
			return true;
	}
	return false;
}

/* A copy of @s with every @from replaced by @to. */
char *replace_all(const char *s, const char *from, const char *to)
{
	size_t n = strlen(from);
	char *out = xstrdup(""), *t;
	const char *at;

	while (n && (at = strstr(s, from))) {
		t = xasprintf("%s%.*s%s", out, (int)(at - s), s, to);
		free(out);
		out = t;
		s = at + n;
	}
	t = xasprintf("%s%s", out, s);
	free(out);
	return t;
}
