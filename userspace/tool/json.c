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

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
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
