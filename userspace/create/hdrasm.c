// SPDX-License-Identifier: GPL-2.0
/*
 * The assembler half of a header.  Many x86 headers hold text for .S
 * files under #ifdef __ASSEMBLY__ (or in the #else of #ifndef
 * __ASSEMBLY__): .macro bodies, .set lines, labels.  It is not C, and C
 * compilations never see it, so it is read apart: each .macro and each
 * #define is an item of its name, and the rest of a block one item whose
 * names are what it defines (.set, .equ, "name =", "name:").  A changed
 * item can concern only the objects that spell one of its names, which
 * is how a header's change to an entry macro narrows to the .S files
 * that use it.  Lines outside macros that assemble to something (a label
 * and its data, .pushsection) or bring in anything (#include) are in
 * every .S includer, as a C header's definition would be (K_EMIT: every
 * includer counts), and so is a changed item that defines nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hdrparse.h"

/* #if lines (normalised, "#" first) that select assembler text... */
static const char *const asm_if[] = {
	"#ifdef __ASSEMBLY__", "#ifdef __ASSEMBLER__",
	"#if defined ( __ASSEMBLY__ )", "#if defined __ASSEMBLY__",
	"#if defined ( __ASSEMBLER__ )", NULL,
};

/* ...and those whose #else does */
static const char *const asm_else[] = {
	"#ifndef __ASSEMBLY__", "#ifndef __ASSEMBLER__",
	"#if ! defined ( __ASSEMBLY__ )", "#if ! defined __ASSEMBLY__",
	"#if ! defined ( __ASSEMBLER__ )", NULL,
};

bool hdr_asm_if(const char *cond)
{
	return tk_in_list(asm_if, cond);
}

bool hdr_asm_else(const char *cond)
{
	return tk_in_list(asm_else, cond);
}

/* The name a line of assembler defines, or NULL. */
static char *defined_name(const char *line)
{
	static const char *const openers[] = {
		".macro", ".set", ".equ", ".equiv", "#define", "# define",
		NULL,
	};
	const char *p = line + strspn(line, " \t"), *b;
	unsigned int i;

	for (i = 0; openers[i]; i++) {
		size_t n = strlen(openers[i]);

		if (!strncmp(p, openers[i], n) && (p[n] == ' ' || p[n] == '\t')) {
			p += n;
			p += strspn(p, " \t");
			break;
		}
	}
	for (b = p; tk_is_word(*p); p++)
		;
	if (p == b || !tk_is_ident(b))
		return NULL;
	if (!openers[i]) {
		/* "name:" a label, "name = value" */
		const char *q = p + strspn(p, " \t");

		if (!(*q == ':' && q[1] != ':') && !(*q == '=' && q[1] != '='))
			return NULL;
	}
	return hdr_strndup(b, p - b);
}

static void emit(struct defs *d, const char *key, const char *ctx,
		 const char *text, struct strv *names, struct strv *toks,
		 bool emits)
{
	struct item *it;
	char *joined = NULL;
	unsigned int i;

	d->v = hdr_grow(d->v, (d->n + 1) * sizeof(*d->v));
	it = &d->v[d->n++];
	memset(it, 0, sizeof(*it));
	it->kind = emits ? K_EMIT : K_ASM;
	for (i = 0; i < names->n; i++)
		joined = hdr_cat(joined, ",", names->v[i]);
	it->key = hdr_strdup(key);
	it->label = joined ?
		hdr_cat(hdr_strdup("assembler text defining"), " ", joined) :
		hdr_strdup("assembler text");
	free(joined);
	it->text = hdr_cat(hdr_strdup(ctx), "\t", text);
	it->names = *names;
	it->toks = *toks;
	memset(names, 0, sizeof(*names));
	memset(toks, 0, sizeof(*toks));
}

/*
 * A line inside the block, in the #if context @ctx.  A .macro to its
 * .endm, and a #define, are items of their own (keyed by their name, so
 * that one macro added leaves the others paired); the other lines make
 * one item at the block's end, paired by the block's place in the file.
 * False when the line is a directive that ends the block (#else, #elif
 * or #endif of the #if that opened it): the caller reads that line as it
 * reads any other.
 */
bool hdr_asm_line(struct asm_block *ab, struct defs *d, const char *line,
		  const char *ctx)
{
	const char *p = line + strspn(line, " \t");
	struct strv *names = ab->in_macro ? &ab->mnames : &ab->names;
	struct strv *toks = ab->in_macro ? &ab->mtoks : &ab->toks;
	char *name, *text;

	if (*p == '#') {
		p++;
		p += strspn(p, " \t");
		if (!strncmp(p, "if", 2)) {
			ab->nest++;
		} else if (!strncmp(p, "endif", 5) || !strncmp(p, "else", 4) ||
			   !strncmp(p, "elif", 4)) {
			if (ab->nest == 0) {
				hdr_asm_end(ab, d, ctx);
				return false;
			}
			if (p[1] == 'n')
				ab->nest--;
		}
	}
	p = line + strspn(line, " \t");
	name = defined_name(line);
	if (!ab->in_macro && name &&
	    (!strncmp(p, ".macro", 6) || *p == '#')) {
		ab->in_macro = *p == '.';
		names = &ab->mnames;
		toks = &ab->mtoks;
	}
	if (name)
		sv_add(names, name);
	free(name);
	text = hdr_norm(line, toks);
	if (names == &ab->mnames) {
		ab->mtext = hdr_cat(ab->mtext, " ; ", text);
		if (!ab->in_macro || (!strncmp(p, ".endm", 5) &&
				      !tk_is_word(p[5]))) {
			char *key = hdr_cat(hdr_strdup("M:"), "",
					    ab->mnames.v[0]);

			emit(d, key, ctx, ab->mtext, &ab->mnames, &ab->mtoks,
			     false);
			free(key);
			free(ab->mtext);
			ab->mtext = NULL;
			ab->in_macro = false;
		}
	} else if (*text) {
		ab->text = hdr_cat(ab->text, " ; ", text);
		if (*p == '#')
			ab->emits |= !strncmp(text, "# include", 9);
		else
			ab->emits |= strncmp(p, ".set", 4) &&
				     strncmp(p, ".equ", 4);
	}
	free(text);
	return true;
}

/* The block ends: what is left of it becomes an item. */
void hdr_asm_end(struct asm_block *ab, struct defs *d, const char *ctx)
{
	unsigned int seq = ab->seq + 1, i;

	if (ab->mtext) {	/* a .macro without .endm: keep it whole */
		ab->text = hdr_cat(ab->text, " ; ", ab->mtext);
		for (i = 0; i < ab->mnames.n; i++)
			sv_add(&ab->names, ab->mnames.v[i]);
		ab->emits = true;
	}
	if (ab->text) {
		/* the rest of the n-th block: paired by n */
		char key[32];

		snprintf(key, sizeof(key), "M:block %u", seq);
		emit(d, key, ctx, ab->text, &ab->names, &ab->toks, ab->emits);
	}
	free(ab->text);
	free(ab->mtext);
	sv_free(&ab->names);
	sv_free(&ab->toks);
	sv_free(&ab->mnames);
	sv_free(&ab->mtoks);
	memset(ab, 0, sizeof(*ab));
	ab->seq = seq;
}
