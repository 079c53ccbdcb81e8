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
	K_ASSERT,	/* static_assert(), "struct tag;": change no code */
	K_INVOKE,	/* NAME(...) at top level, asm() */
	K_EMIT,		/* a function or data every includer defines */
	K_INCLUDE, K_DIRECTIVE, K_OTHER,
	K_ASM,		/* assembler text under __ASSEMBLY__ (hdrasm.c) */
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
	bool named;		/* by a tag or a typedef: its label finds it */
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

/* hdrasm.c: a header's assembler text, one item per block */
struct asm_block {
	bool open;		/* a block is being read */
	unsigned int seq;	/* blocks read before it */
	int nest;		/* #if nesting inside it */
	char *text;		/* its lines outside macros */
	struct strv names;	/* what they define */
	struct strv toks;	/* identifiers they mention */
	bool emits;		/* one of them assembles to something */
	bool in_macro;		/* inside .macro ... .endm */
	char *mtext;		/* that macro, or a #define */
	struct strv mnames, mtoks;
};
bool hdr_asm_if(const char *cond);
bool hdr_asm_else(const char *cond);
bool hdr_asm_line(struct asm_block *ab, struct defs *d, const char *line,
		  const char *ctx);
void hdr_asm_end(struct asm_block *ab, struct defs *d, const char *ctx);

/* strv.c: allocation that aborts, strings */
void *hdr_grow(void *p, size_t n);
char *hdr_strndup(const char *s, size_t n);

/* ctokens.c: C tokens */
struct toks {
	char **t;
	unsigned int n;
};
extern const char *const tk_keywords[];
extern const char *const tk_attr_calls[];	/* annotations with arguments */
extern const char *const tk_attr_words[];	/* may follow a declared name */
bool tk_is_word(char ch);
bool tk_is_ident(const char *t);
bool tk_in_list(const char *const *list, const char *s);
/* Comments become a space, continued lines one line. */
char *tk_strip_comments(const char *s);
/* The next token of @s into *@tok; where it ends, NULL at the end. */
const char *tk_next(const char *s, char **tok);
void tk_push(struct toks *tk, char *t);
void tk_free(struct toks *tk);
char *tk_join(const struct toks *tk, unsigned int from, unsigned int to);
/* Index of what closes the group opened at @i, or tk->n. */
unsigned int tk_close_of(const struct toks *tk, unsigned int i);
bool tk_is(const struct toks *tk, unsigned int i, const char *s);
/* An identifier that is neither a keyword nor an annotation. */
bool tk_plain_ident(const char *t);

#endif /* _KSPLICE_HDRPARSE_H */
