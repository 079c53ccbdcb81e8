/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A struct's layout as the compiler made it, from an object's debug info
 * (dwlayout.c, elfutils' libdw).
 */
#ifndef _KSPLICE_DWLAYOUT_H
#define _KSPLICE_DWLAYOUT_H

#include <stdbool.h>

struct leaves;
struct dw_object;

struct dw_layout {
	unsigned long long size;	/* bytes */
	unsigned long long align;	/* explicit alignment, or 0 */
	char *signature;		/* the leaves, one string */
	bool unknown;			/* a member not followed */
	struct leaves *leaves;
};

/* An object's debug info, open: NULL if it has none. */
struct dw_object *dw_open(const char *object);
void dw_close(struct dw_object *o);
/*
 * The layout of @type ("struct x", "union x", "typedef x" of a struct)
 * as @file (NULL: any file) declares it, in @o: 0, 1 if the object's
 * debug info does not define it, -1 if @o is NULL (no debug info) or
 * @type is none of these.
 */
int dw_layout(struct dw_object *o, const char *type, const char *file,
	      struct dw_layout *out);
/*
 * Each struct and union that @file defines at file scope in @o, and each
 * typedef there of an unnamed one, named as dw_layout() takes them, to
 * @fn (a type the object's units define twice comes twice).
 */
void dw_file_types(struct dw_object *o, const char *file,
		   void (*fn)(const char *type, void *arg), void *arg);
/* NULL if @a and @b are the same layout, else what differs (malloc'd). */
char *dw_layout_diff(const struct dw_layout *a, const struct dw_layout *b);
void dw_layout_free(struct dw_layout *l);

#endif /* _KSPLICE_DWLAYOUT_H */
