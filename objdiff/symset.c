// SPDX-License-Identifier: GPL-2.0
/* A set of names (open hashing): the exports the module loader resolves. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct od_symset {
	char **slots;
	size_t nslots, count;
};

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

struct od_symset *od_symset_new(void)
{
	struct od_symset *set = od_xcalloc(1, sizeof(*set));

	set->nslots = 64;
	set->slots = od_xcalloc(set->nslots, sizeof(*set->slots));
	return set;
}

void od_symset_free(struct od_symset *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->nslots; i++)
		free(set->slots[i]);
	free(set->slots);
	free(set);
}

static void grow(struct od_symset *set)
{
	char **old = set->slots;
	size_t i, n = set->nslots;

	set->nslots *= 2;
	set->slots = od_xcalloc(set->nslots, sizeof(*set->slots));
	set->count = 0;
	for (i = 0; i < n; i++)
		if (old[i]) {
			size_t j = hash(old[i]) & (set->nslots - 1);

			while (set->slots[j])
				j = (j + 1) & (set->nslots - 1);
			set->slots[j] = old[i];
			set->count++;
		}
	free(old);
}

int od_symset_add(struct od_symset *set, const char *name)
{
	size_t j;

	if (od_symset_has(set, name))
		return 0;
	if ((set->count + 1) * 2 > set->nslots)
		grow(set);
	j = hash(name) & (set->nslots - 1);
	while (set->slots[j])
		j = (j + 1) & (set->nslots - 1);
	set->slots[j] = od_xstrdup(name);
	set->count++;
	return 1;
}

int od_symset_has(const struct od_symset *set, const char *name)
{
	size_t j;

	if (!set)
		return 0;
	j = hash(name) & (set->nslots - 1);
	while (set->slots[j]) {
		if (!strcmp(set->slots[j], name))
			return 1;
		j = (j + 1) & (set->nslots - 1);
	}
	return 0;
}

/* Module.symvers: "crc<TAB>symbol<TAB>module<TAB>export type[<TAB>ns]". */
int od_symset_load_symvers(struct od_symset *set, const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char *tab = strchr(line, '\t'), *end;

		if (!tab)
			continue;
		end = strchr(tab + 1, '\t');
		if (!end)
			end = tab + 1 + strcspn(tab + 1, "\n");
		*end = '\0';
		if (tab[1])
			od_symset_add(set, tab + 1);
	}
	free(line);
	fclose(f);
	return 0;
}
