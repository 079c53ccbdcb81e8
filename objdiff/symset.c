// SPDX-License-Identifier: GPL-2.0
/*
 * A set of names (open hashing): the exports the module loader resolves,
 * each with the object that exports it ("vmlinux" or a module name) when
 * a Module.symvers said so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct slot {
	char *name;
	char *owner;	/* NULL: unknown */
};

struct od_symset {
	struct slot *slots;
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
	for (i = 0; i < set->nslots; i++) {
		free(set->slots[i].name);
		free(set->slots[i].owner);
	}
	free(set->slots);
	free(set);
}

static struct slot *find(const struct od_symset *set, const char *name)
{
	size_t j = hash(name) & (set->nslots - 1);

	while (set->slots[j].name) {
		if (!strcmp(set->slots[j].name, name))
			return &set->slots[j];
		j = (j + 1) & (set->nslots - 1);
	}
	return NULL;
}

static void grow(struct od_symset *set)
{
	struct slot *old = set->slots;
	size_t i, n = set->nslots;

	set->nslots *= 2;
	set->slots = od_xcalloc(set->nslots, sizeof(*set->slots));
	for (i = 0; i < n; i++)
		if (old[i].name) {
			size_t j = hash(old[i].name) & (set->nslots - 1);

			while (set->slots[j].name)
				j = (j + 1) & (set->nslots - 1);
			set->slots[j] = old[i];
		}
	free(old);
}

int od_symset_add_owner(struct od_symset *set, const char *name,
			const char *owner)
{
	struct slot *s = find(set, name);
	size_t j;

	if (s) {
		if (!s->owner && owner)
			s->owner = od_xstrdup(owner);
		return 0;
	}
	if ((set->count + 1) * 2 > set->nslots)
		grow(set);
	j = hash(name) & (set->nslots - 1);
	while (set->slots[j].name)
		j = (j + 1) & (set->nslots - 1);
	set->slots[j].name = od_xstrdup(name);
	set->slots[j].owner = owner ? od_xstrdup(owner) : NULL;
	set->count++;
	return 1;
}

int od_symset_add(struct od_symset *set, const char *name)
{
	return od_symset_add_owner(set, name, NULL);
}

int od_symset_has(const struct od_symset *set, const char *name)
{
	return set && find(set, name);
}

const char *od_symset_owner(const struct od_symset *set, const char *name)
{
	const struct slot *s = set ? find(set, name) : NULL;

	return s ? s->owner : NULL;
}

/* "fs/ext4/ext4" -> "ext4", "drivers/x/snd-foo" -> "snd_foo" (as lsmod) */
static char *module_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *name = od_xstrdup(base), *p;

	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
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
		char *sym, *mod, *end, *owner = NULL;

		line[strcspn(line, "\n")] = '\0';
		sym = strchr(line, '\t');
		if (!sym || !*++sym)
			continue;
		mod = strchr(sym, '\t');
		if (mod) {
			*mod++ = '\0';
			end = mod + strcspn(mod, "\t");
			*end = '\0';
			if (*mod)
				owner = module_name(mod);
		}
		od_symset_add_owner(set, sym, owner);
		free(owner);
	}
	free(line);
	fclose(f);
	return 0;
}
