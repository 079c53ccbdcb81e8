// SPDX-License-Identifier: GPL-2.0
/*
 * --json output: a small streaming writer to stdout, two-space indented.
 * Addresses are strings ("0xffff..."): 64-bit numbers lose precision in
 * many JSON readers.
 */
#include <stdio.h>
#include "tool.h"

#define JSON_DEPTH	8

static unsigned int depth;
static bool has_items[JSON_DEPTH];
static char closers[JSON_DEPTH];

/*
 * Length of the well-formed UTF-8 sequence at @p, or 0.  Task names and
 * hand-written descriptions may hold any bytes; JSON must not.
 */
static unsigned int utf8_len(const unsigned char *p)
{
	unsigned int n, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong 3- and 4-byte forms, surrogates, beyond U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}

/* One non-ASCII character, U+FFFD if malformed; the bytes it took. */
static unsigned int put_utf8(FILE *f, const unsigned char *p)
{
	unsigned int n = utf8_len(p);

	if (!n) {
		fputs("\\ufffd", f);
		return 1;
	}
	fwrite(p, 1, n, f);
	return n;
}

/* Quotes, backslashes and control characters escaped. */
static void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p >= 0x80)
			p += put_utf8(f, p) - 1;
		else if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
}

/* The comma, newline and indent before an item, then its key. */
static void item(const char *key)
{
	unsigned int i;

	if (depth) {
		if (has_items[depth - 1])
			putchar(',');
		has_items[depth - 1] = true;
		putchar('\n');
	}
	for (i = 0; i < depth; i++)
		fputs("  ", stdout);
	if (key) {
		putchar('"');
		json_escape(stdout, key);
		fputs("\": ", stdout);
	}
}

void json_begin(const char *key, char bracket)
{
	item(key);
	putchar(bracket);
	if (depth < JSON_DEPTH) {
		closers[depth] = bracket == '{' ? '}' : ']';
		has_items[depth] = false;
		depth++;
	}
}

void json_end(void)
{
	unsigned int i;
	bool items;

	if (!depth)
		return;
	items = has_items[--depth];
	if (items) {
		putchar('\n');
		for (i = 0; i < depth; i++)
			fputs("  ", stdout);
	}
	putchar(closers[depth]);
	if (!depth)
		putchar('\n');
}

void json_str(const char *key, const char *value)
{
	item(key);
	if (!value) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	json_escape(stdout, value);
	putchar('"');
}

void json_uint(const char *key, unsigned long long value)
{
	item(key);
	printf("%llu", value);
}

void json_int(const char *key, long long value)
{
	item(key);
	printf("%lld", value);
}

void json_bool(const char *key, bool value)
{
	item(key);
	fputs(value ? "true" : "false", stdout);
}

void json_addr(const char *key, unsigned long value)
{
	item(key);
	printf("\"0x%lx\"", value);
}
