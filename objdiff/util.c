// SPDX-License-Identifier: GPL-2.0
/* Allocation that cannot fail (objdiff is a short-lived tool) and names. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static void oom(void)
{
	fputs("objdiff: out of memory\n", stderr);
	abort();
}

void *od_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *od_xrealloc(void *ptr, size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size)
		oom();
	p = realloc(ptr, (n * size) != 0 ? n * size : 1);
	if (!p)
		oom();
	return p;
}

char *od_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *od_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	va_end(ap);
	return p;
}

bool od_has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	return n >= m && !strcmp(name + n - m, suffix);
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * Strip the suffixes gcc adds and numbers differently from one build to
 * the next: ".cold", ".part.N", ".isra.N", ".constprop.N", ".lto_priv.N"
 * and a bare ".N" (static locals: "count.3").
 */
char *od_base_name(const char *name)
{
	char *s = od_xstrdup(name), *dot;

	while ((dot = strrchr(s, '.')) && dot != s) {
		if (!strcmp(dot, ".cold") || all_digits(dot + 1, strlen(dot + 1))) {
			*dot = '\0';
			dot = strrchr(s, '.');
			if (dot && dot != s &&
			    (!strcmp(dot, ".part") || !strcmp(dot, ".isra") ||
			     !strcmp(dot, ".constprop") || !strcmp(dot, ".lto_priv")))
				*dot = '\0';
			continue;
		}
		break;
	}
	return s;
}
