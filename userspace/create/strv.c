// SPDX-License-Identifier: GPL-2.0
/*
 * Sets of strings for the header reading (hdrparse.h): a vector, hashed
 * once it holds more than a few, and the allocation helpers that abort
 * rather than return NULL.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "hdrparse.h"

void *hdr_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *hdr_grow(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *hdr_strndup(const char *s, size_t n)
{
	char *p = hdr_alloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *hdr_strdup(const char *s)
{
	return hdr_strndup(s, strlen(s));
}

static unsigned int sv_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void sv_index(struct strv *sv, unsigned int i)
{
	unsigned int h = sv_hash(sv->v[i]) & (sv->size - 1);

	while (sv->slot[h])
		h = (h + 1) & (sv->size - 1);
	sv->slot[h] = i + 1;
}

void sv_push(struct strv *sv, const char *s)
{
	unsigned int i;

	sv->v = hdr_grow(sv->v, (sv->n + 1) * sizeof(char *));
	sv->v[sv->n++] = hdr_strdup(s);
	if (sv->n <= 16)
		return;
	if (2 * sv->n > sv->size) {
		free(sv->slot);
		sv->size = sv->size ? 2 * sv->size : 64;
		sv->slot = hdr_alloc(sv->size * sizeof(unsigned int));
		memset(sv->slot, 0, sv->size * sizeof(unsigned int));
		for (i = 0; i < sv->n; i++)
			sv_index(sv, i);
	} else {
		sv_index(sv, sv->n - 1);
	}
}

bool sv_has(const struct strv *sv, const char *s)
{
	unsigned int i;

	if (sv->slot) {
		for (i = sv_hash(s) & (sv->size - 1); sv->slot[i];
		     i = (i + 1) & (sv->size - 1))
			if (!strcmp(sv->v[sv->slot[i] - 1], s))
				return true;
		return false;
	}
	for (i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

void sv_add(struct strv *sv, const char *s)
{
	if (!sv_has(sv, s))
		sv_push(sv, s);
}

void sv_free(struct strv *sv)
{
	unsigned int i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	free(sv->slot);
	memset(sv, 0, sizeof(*sv));
}

/* "a" + sep + "b", the first freed */
char *hdr_cat(char *a, const char *sep, const char *b)
{
	size_t la = a ? strlen(a) : 0, ls = a ? strlen(sep) : 0;
	char *p = hdr_alloc(la + ls + strlen(b) + 1);

	if (a) {
		memcpy(p, a, la);
		memcpy(p + la, sep, ls);
	}
	strcpy(p + la + ls, b);
	free(a);
	return p;
}
