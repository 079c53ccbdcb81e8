// SPDX-License-Identifier: GPL-2.0
/*
 * A sorted table of strings: Module.symvers' symbol -> version, an
 * object's imports, genksyms' type name -> definition.  Tables of
 * thousands are filled once and asked many times, so a sort and binary
 * search is all they need.
 */
#include <stdlib.h>
#include <string.h>
#include "create.h"
#include "strmap.h"

static char *copy_n(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void strmap_add_n(struct strmap *m, const char *key, size_t klen,
		  const char *val, size_t vlen)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->v = xrealloc(m->v, m->cap, sizeof(*m->v));
	}
	m->v[m->n].key = copy_n(key, klen);
	m->v[m->n].val = copy_n(val, vlen);
	m->n++;
}

void strmap_add(struct strmap *m, const char *key, const char *val)
{
	strmap_add_n(m, key, strlen(key), val, strlen(val));
}

static int cmp(const void *a, const void *b)
{
	return strcmp(((const struct strmap_entry *)a)->key,
		      ((const struct strmap_entry *)b)->key);
}

void strmap_sort(struct strmap *m)
{
	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), cmp);
}

const char *strmap_find(const struct strmap *m, const char *key)
{
	struct strmap_entry k = { .key = (char *)key }, *e;

	if (!m->n)
		return NULL;
	e = bsearch(&k, m->v, m->n, sizeof(*m->v), cmp);
	return e ? e->val : NULL;
}

void strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].val);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}
