/* SPDX-License-Identifier: GPL-2.0 */
/* ksplice-create: genksyms' .symtypes files compared (symtypes.c). */
#ifndef KSPLICE_SYMTYPES_H
#define KSPLICE_SYMTYPES_H

#include <stdbool.h>

struct symtypes;

struct symtypes *symtypes_parse(const char *text);
void symtypes_free(struct symtypes *t);

/*
 * Why @symbol's version differs from @pre to @post: NULL when every
 * definition it reaches that changed is one @proven accepts (given its
 * label, "struct x"), else a reason to print (malloc'd).
 */
char *symtypes_explain(const struct symtypes *pre,
		       const struct symtypes *post, const char *symbol,
		       bool (*proven)(const char *label, void *arg), void *arg);

#endif
