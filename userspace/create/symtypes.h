/* SPDX-License-Identifier: GPL-2.0 */
/* ksplice-create: genksyms' .symtypes files compared (symtypes.c). */
#ifndef KSPLICE_SYMTYPES_H
#define KSPLICE_SYMTYPES_H

#include <stdbool.h>

struct symtypes;

struct symtypes *symtypes_parse(const char *text);
void symtypes_free(struct symtypes *t);

/* What a changed definition may be and still keep the running version. */
struct st_policy {
	/* the layout of @label ("struct x") is proven the same */
	bool (*proven)(const char *label, void *arg);
	void *arg;
	/* a proven struct's callback may change its type */
	bool allow_retyped_callbacks;
};

/*
 * Why @symbol's version differs from @pre to @post: NULL when every
 * definition it reaches that changed is allowed by @policy, else a reason
 * to print (malloc'd).  @note, if not NULL, receives what was allowed
 * only by allow_retyped_callbacks (malloc'd, or NULL).
 */
char *symtypes_explain(const struct symtypes *pre,
		       const struct symtypes *post, const char *symbol,
		       const struct st_policy *policy, char **note);

#endif
