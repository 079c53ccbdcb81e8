// SPDX-License-Identifier: GPL-2.0
/*
 * C text as tokens, for the header reading (hdrparse.h): comments out,
 * one token at a time, the keywords and the kernel's annotations that
 * declare nothing, and the groups that brackets open and close.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "hdrparse.h"

bool tk_is_word(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

bool tk_is_ident(const char *t)
{
	return tk_is_word(t[0]) && !(t[0] >= '0' && t[0] <= '9');
}

bool tk_in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

const char *const tk_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "_Bool", "_Noreturn",
	"__inline", "__inline__", "__volatile__", "__signed__", "__restrict",
	"typeof", "__typeof__", "__typeof", "__extension__", "__const",
	"__auto_type", "asm", "__asm__", "__asm", "_Static_assert",
	"static_assert", "__int128", NULL
};

/* Annotations with an argument list, never a declared name. */
const char *const tk_attr_calls[] = {
	"__attribute__", "__attribute", "__printf", "__scanf", "__aligned",
	"__section", "__alloc_size", "__realloc_size", "__malloc",
	"__must_hold", "__acquires", "__releases", "__cond_acquires",
	"__diagnose_as", "__assume_aligned", "__compiletime_error",
	"__compiletime_warning", "__counted_by", "__alias", "__copy",
	"__cleanup", "__nonstring", "__no_sanitize_or_inline", NULL
};

/* Annotations that may follow a declared name: "int x __read_mostly;". */
const char *const tk_attr_words[] = {
	"__read_mostly", "__ro_after_init", "__initdata", "__initconst",
	"__percpu", "__rcu", "__iomem", "__user", "__force", "__maybe_unused",
	"__always_unused", "__used", "__weak", "__packed", "__cacheline_aligned",
	"__cacheline_aligned_in_smp", "____cacheline_aligned",
	"____cacheline_aligned_in_smp", "__init", "__exit", "__cold",
	"__noreturn", "__visible", "__must_check", "__pure",
	"__attribute_const__", "__randomize_layout", "__no_randomize_layout",
	"__latent_entropy", "__private", "__bitwise", "__ref", "__refdata",
	"__meminitdata", "__deprecated", "notrace", "noinline",
	"__always_inline", "__init_or_module", "__initdata_or_module",
	"__nocfi", "__noclone", "__designated_init", "__ksym", NULL
};

/*
 * Comments become a space, continued lines one line; strings and
 * character constants are kept as they are.
 */
char *tk_strip_comments(const char *s)
{
	char *out = hdr_alloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '\\' && s[1] == '\n') {
			s += 2;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e ? e + 2 : s + strlen(s);
			*o++ = ' ';
		} else if (s[0] == '/' && s[1] == '/') {
			while (*s && *s != '\n') {
				if (s[0] == '\\' && s[1] == '\n')
					s++;
				s++;
			}
			*o++ = ' ';
		} else if (*s == '"' || *s == '\'') {
			char q = *s;

			*o++ = *s++;
			while (*s && *s != q && *s != '\n') {
				if (*s == '\\' && s[1])
					*o++ = *s++;
				*o++ = *s++;
			}
			if (*s == q)
				*o++ = *s++;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static const char *const puncts[] = {
	"...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==",
	"!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=",
	"##", NULL
};

/* The next token of @s into *@tok; returns where it ends, NULL at the end. */
const char *tk_next(const char *s, char **tok)
{
	const char *b;
	unsigned int i;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' ||
	       *s == '\v' || *s == '\n')
		s++;
	if (!*s)
		return NULL;
	b = s;
	if (tk_is_word(*s)) {
		while (tk_is_word(*s) || (*s == '.' && b[0] >= '0' && b[0] <= '9'))
			s++;
	} else if (*s == '"' || *s == '\'') {
		char q = *s++;

		while (*s && *s != q) {
			if (*s == '\\' && s[1])
				s++;
			s++;
		}
		if (*s)
			s++;
	} else {
		for (i = 0; puncts[i]; i++)
			if (!strncmp(s, puncts[i], strlen(puncts[i])))
				break;
		s += puncts[i] ? strlen(puncts[i]) : 1;
	}
	*tok = hdr_strndup(b, s - b);
	return s;
}


void tk_push(struct toks *tk, char *t)
{
	tk->t = hdr_grow(tk->t, (tk->n + 1) * sizeof(char *));
	tk->t[tk->n++] = t;
}

void tk_free(struct toks *tk)
{
	unsigned int i;

	for (i = 0; i < tk->n; i++)
		free(tk->t[i]);
	free(tk->t);
	tk->t = NULL;
	tk->n = 0;
}

char *tk_join(const struct toks *tk, unsigned int from, unsigned int to)
{
	char *s = NULL;
	unsigned int i;

	for (i = from; i < to; i++)
		s = hdr_cat(s, " ", tk->t[i]);
	return s ? s : hdr_strdup("");
}

/* Index of what closes the group opened at @i, or tk->n. */
unsigned int tk_close_of(const struct toks *tk, unsigned int i)
{
	int depth = 0;

	for (; i < tk->n; i++) {
		const char *t = tk->t[i];

		if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{"))
			depth++;
		else if (!strcmp(t, ")") || !strcmp(t, "]") || !strcmp(t, "}"))
			if (--depth == 0)
				return i;
	}
	return tk->n;
}

bool tk_is(const struct toks *tk, unsigned int i, const char *s)
{
	return i < tk->n && !strcmp(tk->t[i], s);
}

bool tk_plain_ident(const char *t)
{
	return tk_is_ident(t) && !tk_in_list(tk_keywords, t) && !tk_in_list(tk_attr_words, t);
}
