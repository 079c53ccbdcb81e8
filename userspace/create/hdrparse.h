/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A header's text as top-level items (hdrparse.c), for what a patch
 * changes in it (headers.c).
 */
#ifndef _KSPLICE_HDRPARSE_H
#define _KSPLICE_HDRPARSE_H

#include <stdbool.h>
#include <stddef.h>

enum kind {
	K_DEFINE, K_FUNC, K_DECL, K_STRUCT, K_ENUM, K_TYPEDEF,
	K_ASSERT,	/* static_assert(): defines nothing */
	K_INVOKE,	/* NAME(...) at top level, asm() */
	K_EMIT,		/* a function or data every includer defines */
	K_INCLUDE, K_DIRECTIVE, K_OTHER,
};

/* Strings, hashed once there are more than a few. */
struct strv {
	char **v;
	unsigned int n;
	unsigned int *slot;	/* index + 1, or 0 */
	unsigned int size;
};

struct item {
	enum kind kind;
	char *key;
	char *text;		/* #if context, tab, normalised tokens */
	char *body;		/* struct/union/enum: the braces' tokens */
	char *label;		/* for messages: "struct sk_buff" */
	bool layout;		/* a struct or union body: its layout */
	struct strv names;	/* what it defines */
	struct strv toks;	/* identifiers it mentions */
	bool changed;
};

struct defs {
	struct item *v;
	unsigned int n;
	struct strv conds;	/* top-level #if/#elif lines, for mentions */
	char *error;		/* not parsed: why */
};

/* Cut @src into items of one key each; d->error if not followed. */
void hdr_parse(const char *src, struct defs *d);
void hdr_free_defs(struct defs *d);
struct item *hdr_find(struct defs *d, const char *key);
/* How much a change of this kind weighs: what every includer counts most. */
int hdr_rank(enum kind k);

void sv_push(struct strv *sv, const char *s);
bool sv_has(const struct strv *sv, const char *s);
void sv_add(struct strv *sv, const char *s);
void sv_free(struct strv *sv);
void *hdr_alloc(size_t n);
char *hdr_strdup(const char *s);
/* "a" + sep + "b", @a freed (NULL: "b") */
char *hdr_cat(char *a, const char *sep, const char *b);
/* The tokens of @s, space-joined; their identifiers into @ids. */
char *hdr_norm(const char *s, struct strv *ids);

#endif /* _KSPLICE_HDRPARSE_H */
