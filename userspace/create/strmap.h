/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-create: a sorted table of string keys and values (strmap.c),
 * filled, sorted once, then looked up by key.
 */
#ifndef KSPLICE_STRMAP_H
#define KSPLICE_STRMAP_H

#include <stddef.h>

struct strmap_entry {
	char *key;
	char *val;
};

struct strmap {
	struct strmap_entry *v;
	size_t n, cap;
};

/* Copies of @key (@klen bytes) and @val (@vlen bytes). */
void strmap_add_n(struct strmap *m, const char *key, size_t klen,
		  const char *val, size_t vlen);
void strmap_add(struct strmap *m, const char *key, const char *val);
/* Before strmap_find(); the order of equal keys is not kept. */
void strmap_sort(struct strmap *m);
const char *strmap_find(const struct strmap *m, const char *key);
void strmap_free(struct strmap *m);

#endif
