// SPDX-License-Identifier: GPL-2.0
/* Messages and small helpers of the host tools. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tool.h"

const char *tool_name = "ksplice";
static char *first_error;

void tool_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	/* The first message is the cause; later ones are consequences. */
	if (!first_error) {
		va_start(ap, fmt);
		if (vasprintf(&first_error, fmt, ap) < 0)
			first_error = NULL;
		va_end(ap);
	}
}

const char *tool_first_error(void)
{
	return first_error;
}

/* Out of memory leaves nothing sensible to do; the kernel is untouched. */
static void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", tool_name);
	exit(EXIT_ENV);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		oom();
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return p;
}

bool parse_uint(const char *s, unsigned long lo, unsigned long hi,
		unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool valid_id(const char *id)
{
	size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

	return n && n <= 64 && !id[n];
}

void free_strv(char **v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
