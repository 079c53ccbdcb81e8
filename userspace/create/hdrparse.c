// SPDX-License-Identifier: GPL-2.0
/*
 * A header's text as top-level items: #define/#undef of a name, struct,
 * union and enum bodies, typedefs, function definitions, declarations,
 * top-level macro invocations, #include and other directives.  Each is
 * normalised (comments and spacing gone, tokens joined by one space),
 * keeps the #if context it sits in, and is keyed by what it defines, so
 * that headers.c can pair the items of two versions.  A text this
 * reading does not follow (an #if opened outside a definition and closed
 * inside it, a definition not closed) sets d->error.  Assembler text
 * under __ASSEMBLY__ is read apart, by hdrasm.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hdrparse.h"

/*
 * The names declared in tokens [@from, @to): an identifier that ends a
 * declarator (followed by "(", ")", "[", ";", ",", "=", ":" or the end),
 * not inside parameter lists, array bounds or initializers, not a tag
 * after struct/union/enum.  Annotations are passed over.  *@calls counts
 * names followed by a parameter list: more than one means a macro makes
 * the declarator, and the name may be pasted.
 */
static void declared_names(const struct toks *tk, unsigned int from,
			   unsigned int to, struct strv *out,
			   unsigned int *calls)
{
	unsigned int i, j;

	for (i = from; i < to; i++) {
		const char *t = tk->t[i];

		if (tk_in_list(tk_attr_calls, t) && tk_is(tk, i + 1, "(")) {
			i = tk_close_of(tk, i + 1);
			continue;
		}
		if (!strcmp(t, "(")) {
			const char *prev = i > from ? tk->t[i - 1] : "";

			if ((tk_is_ident(prev) || !strcmp(prev, ")") ||
			     !strcmp(prev, "]")) && !tk_is(tk, i + 1, "*") &&
			    !tk_is(tk, i + 1, "^"))
				i = tk_close_of(tk, i);	/* parameters */
			continue;
		}
		if (!strcmp(t, "[") || !strcmp(t, "{")) {
			i = tk_close_of(tk, i);
			continue;
		}
		if (!strcmp(t, "=") || !strcmp(t, ":")) {
			/* an initializer or bit width, to the next declarator */
			while (i + 1 < to && !tk_is(tk, i + 1, ",")) {
				i++;
				if (!strcmp(tk->t[i], "(") ||
				    !strcmp(tk->t[i], "{") ||
				    !strcmp(tk->t[i], "["))
					i = tk_close_of(tk, i);
			}
			continue;
		}
		if (!tk_plain_ident(t) || tk_in_list(tk_attr_calls, t))
			continue;
		if (i > from && (!strcmp(tk->t[i - 1], "struct") ||
				 !strcmp(tk->t[i - 1], "union") ||
				 !strcmp(tk->t[i - 1], "enum")))
			continue;
		for (j = i + 1; j < to && tk_in_list(tk_attr_words, tk->t[j]); j++)
			;
		if (j >= to) {
			sv_add(out, t);
			continue;
		}
		if (!strcmp(tk->t[j], "(")) {
			if (j == i + 1 && !tk_is(tk, j + 1, "*") &&
			    !tk_is(tk, j + 1, "^")) {
				sv_add(out, t);
				(*calls)++;
			}
			continue;
		}
		if (!strcmp(tk->t[j], ")") || !strcmp(tk->t[j], "[") ||
		    !strcmp(tk->t[j], ";") || !strcmp(tk->t[j], ",") ||
		    !strcmp(tk->t[j], "=") || !strcmp(tk->t[j], ":") ||
		    tk_in_list(tk_attr_calls, tk->t[j]))
			sv_add(out, t);
	}
}

/* enum { A = 1, B, } : A and B */
static void enumerators(const struct toks *tk, unsigned int open,
			unsigned int close, struct strv *out)
{
	unsigned int i;

	for (i = open + 1; i < close; i++) {
		if (tk_is_ident(tk->t[i]) && (tk_is(tk, i - 1, "{") ||
					   tk_is(tk, i - 1, ",")))
			sv_add(out, tk->t[i]);
		if (!strcmp(tk->t[i], "(") || !strcmp(tk->t[i], "["))
			i = tk_close_of(tk, i);
	}
}

static void mentions(const struct toks *tk, struct strv *out)
{
	unsigned int i;

	for (i = 0; i < tk->n; i++)
		if (tk_is_ident(tk->t[i]) && !tk_in_list(tk_keywords, tk->t[i]))
			sv_add(out, tk->t[i]);
}

static struct item *new_item(struct defs *d, enum kind kind)
{
	struct item *it;

	d->v = hdr_grow(d->v, (d->n + 1) * sizeof(*d->v));
	it = &d->v[d->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

static char *joined(const struct strv *sv)
{
	char *s = NULL;
	unsigned int i;

	for (i = 0; i < sv->n; i++)
		s = hdr_cat(s, ",", sv->v[i]);
	return s ? s : hdr_strdup("");
}

/* A top-level C item (a declaration or definition) of tokens @tk. */
static void code_item(struct defs *d, struct toks *tk, const char *ctx)
{
	struct item *it;
	unsigned int first = 0, i, brace = tk->n, eq = tk->n, calls = 0;
	const char *agg = NULL;
	unsigned int aggkw = 0;
	bool typedef_ = false, static_ = false, extern_ = false, attr = false;
	char *text = tk_join(tk, 0, tk->n);

	while (first < tk->n && (tk_in_list(tk_attr_calls, tk->t[first]) ||
				 !strcmp(tk->t[first], "__extension__"))) {
		if (tk_is(tk, first + 1, "("))
			first = tk_close_of(tk, first + 1);
		first++;
	}
	for (i = first; i < tk->n; i++) {
		const char *t = tk->t[i];

		if (!strcmp(t, "{")) {
			if (brace == tk->n && eq == tk->n)
				brace = i;
			i = tk_close_of(tk, i);
			continue;
		}
		if (!strcmp(t, "(") || !strcmp(t, "[")) {
			i = tk_close_of(tk, i);
			continue;
		}
		if (!strcmp(t, "=") && eq == tk->n)
			eq = i;
		typedef_ |= !strcmp(t, "typedef");
		static_ |= !strcmp(t, "static");
		extern_ |= !strcmp(t, "extern");
		attr |= !strcmp(t, "__used") || !strcmp(t, "__section") ||
			!strcmp(t, "__attribute__") || !strcmp(t, "__visible");
		if (brace == tk->n && (!strcmp(t, "struct") ||
				       !strcmp(t, "union") || !strcmp(t, "enum"))) {
			agg = t;
			aggkw = i;
		}
	}

	if (tk->n - first == 3 && agg && tk_is_ident(tk->t[first + 1]) &&
	    tk_is(tk, first + 2, ";")) {
		/* "struct pt_regs;" declares a tag and changes no code */
		it = new_item(d, K_ASSERT);
		it->key = hdr_cat(hdr_strdup("A:"), "", text);
		it->label = hdr_strdup(text);
	} else if (first < tk->n && tk_is_ident(tk->t[first]) &&
	    tk_is(tk, first + 1, "(") &&
	    (!tk_in_list(tk_keywords, tk->t[first]) ||
	     !strncmp(tk->t[first], "asm", 3) ||
	     !strncmp(tk->t[first], "__asm", 5) ||
	     strstr(tk->t[first], "static_assert"))) {
		bool assert_ = strstr(tk->t[first], "static_assert") ||
			       !strcmp(tk->t[first], "BUILD_BUG_ON");

		it = new_item(d, assert_ ? K_ASSERT : K_INVOKE);
		it->key = hdr_cat(hdr_strdup(assert_ ? "A:" : "V:"), "", text);
		it->label = hdr_strdup(tk->t[first]);
	} else if (brace < tk->n) {
		unsigned int p = brace, close = tk_close_of(tk, brace);

		while (p > first && tk_in_list(tk_attr_words, tk->t[p - 1]))
			p--;
		if (p > first && !strcmp(tk->t[p - 1], ")")) {
			/* a function definition */
			it = new_item(d, K_FUNC);
			declared_names(tk, first, brace, &it->names, &calls);
			if (calls > 1 || !it->names.n)
				it->kind = K_INVOKE;
			else if (!static_)
				it->kind = K_EMIT;
		} else if (agg && (aggkw + 1 == brace ||
				   (aggkw + 2 == brace &&
				    tk_is_ident(tk->t[aggkw + 1])))) {
			it = new_item(d, !strcmp(agg, "enum") ? K_ENUM :
				      K_STRUCT);
			if (aggkw + 2 == brace)
				sv_add(&it->names, tk->t[aggkw + 1]);
			declared_names(tk, close + 1, tk->n, &it->names, &calls);
			if (it->kind == K_ENUM)
				enumerators(tk, brace, close, &it->names);
			it->body = tk_join(tk, brace, close + 1);
			it->label = aggkw + 2 == brace ?
				hdr_cat(hdr_strdup(agg), " ", tk->t[aggkw + 1]) :
				hdr_cat(hdr_strdup(typedef_ ? "typedef" : agg), " ",
				    it->names.n ? it->names.v[0] : "(anonymous)");
			it->layout = it->kind == K_STRUCT;
			it->named = aggkw + 2 == brace ||
				    (typedef_ && it->names.n);
			if (!typedef_ && !extern_ && (!static_ || attr)) {
				struct strv vars = { 0 };

				/* "} x;" defines data, "} __packed;" does not */
				declared_names(tk, close + 1, tk->n, &vars,
					       &calls);
				if (vars.n)
					it->kind = K_EMIT;
				sv_free(&vars);
			}
		} else {
			it = new_item(d, K_OTHER);
		}
	} else {
		bool func;

		it = new_item(d, typedef_ ? K_TYPEDEF : K_DECL);
		declared_names(tk, first, tk->n, &it->names, &calls);
		func = calls > 0;
		if (calls > 1 || !it->names.n)
			it->kind = K_OTHER;
		else if (!typedef_ && !extern_ && !func && (!static_ || attr))
			it->kind = K_EMIT;	/* data every includer defines */
	}
	if (!it->key) {
		char *names = joined(&it->names);

		if (it->kind == K_STRUCT || it->kind == K_ENUM)
			it->key = hdr_cat(hdr_strdup("S:"), "", it->label);
		else if (it->kind == K_OTHER || it->kind == K_INVOKE)
			it->key = hdr_cat(hdr_strdup("O:"), "", text);
		else
			it->key = hdr_cat(hdr_strdup("N:"), "", names);
		free(names);
	}
	if (!it->label)
		it->label = it->names.n ? hdr_strdup(it->names.v[0]) :
			hdr_strndup(text, strnlen(text, 60));
	mentions(tk, &it->toks);
	it->text = hdr_cat(hdr_strdup(ctx), "\t", text);
	free(text);
}

/* Reading a header line by line: the #if context, the item being read. */
struct parser {
	struct defs *d;
	struct strv stack;	/* open top-level #if groups */
	struct toks cur;	/* tokens of the item being read */
	struct strv inner;	/* identifiers of directives inside it */
	int local;		/* #if nesting inside it */
	int depth;		/* open brackets inside it */
	bool func;		/* it is a function definition */
	struct asm_block asm_;	/* assembler text being read */
};

static char *context(const struct parser *ps)
{
	char *s = NULL;
	unsigned int i;

	for (i = 0; i < ps->stack.n; i++)
		s = hdr_cat(s, ";", ps->stack.v[i]);
	return s ? s : hdr_strdup("");
}

static void fail(struct parser *ps, const char *why)
{
	if (!ps->d->error)
		ps->d->error = hdr_strdup(why);
}

static void finish_item(struct parser *ps)
{
	char *ctx = context(ps);
	unsigned int i;

	code_item(ps->d, &ps->cur, ctx);
	for (i = 0; i < ps->inner.n; i++)
		sv_add(&ps->d->v[ps->d->n - 1].toks, ps->inner.v[i]);
	free(ctx);
	tk_free(&ps->cur);
	sv_free(&ps->inner);
	ps->depth = 0;
	ps->local = 0;
	ps->func = false;
}

/*
 * Is @tk a whole macro invocation, "NAME(...)", that @next cannot
 * continue?  Such lines often go without a semicolon
 * ("DEV_CORE_STATS_INC(rx_dropped)"), and would otherwise glue onto the
 * definition after them.
 */
static bool ends_invocation(const struct toks *tk, const char *next)
{
	return tk->n >= 3 && tk_is_ident(tk->t[0]) &&
	       !tk_in_list(tk_keywords, tk->t[0]) &&
	       !tk_in_list(tk_attr_calls, tk->t[0]) && tk_is(tk, 1, "(") &&
	       tk_close_of(tk, 1) == tk->n - 1 && tk_is_ident(next) &&
	       !tk_in_list(tk_attr_words, next) && !tk_in_list(tk_attr_calls, next);
}

static void code_tokens(struct parser *ps, const char *line)
{
	char *t;

	while ((line = tk_next(line, &t))) {
		if (ps->depth == 0 && ends_invocation(&ps->cur, t))
			finish_item(ps);
		tk_push(&ps->cur, t);
		if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{")) {
			if (!strcmp(t, "{") && ps->depth == 0) {
				unsigned int p = ps->cur.n - 1;

				while (p > 0 && tk_in_list(tk_attr_words,
							ps->cur.t[p - 1]))
					p--;
				ps->func = p > 0 && !strcmp(ps->cur.t[p - 1], ")");
			}
			ps->depth++;
		} else if (!strcmp(t, ")") || !strcmp(t, "]") ||
			   !strcmp(t, "}")) {
			if (--ps->depth < 0) {
				fail(ps, "unbalanced brackets");
				ps->depth = 0;
			}
			if (!strcmp(t, "}") && ps->depth == 0 && ps->func)
				finish_item(ps);
		} else if (!strcmp(t, ";") && ps->depth == 0) {
			finish_item(ps);
		}
	}
}

/* The tokens of @s, space-joined; their identifiers into @ids. */
char *hdr_norm(const char *s, struct strv *ids)
{
	char *out = NULL, *t;

	while ((s = tk_next(s, &t))) {
		if (ids && tk_is_ident(t) && !tk_in_list(tk_keywords, t))
			sv_add(ids, t);
		out = hdr_cat(out, " ", t);
		free(t);
	}
	return out ? out : hdr_strdup("");
}

static void simple_item(struct parser *ps, enum kind kind, const char *key,
			const char *text, const char *label)
{
	struct item *it = new_item(ps->d, kind);
	char *ctx = context(ps);
	unsigned int i;

	it->key = hdr_strdup(key);
	it->label = hdr_strdup(label);
	it->text = hdr_cat(ctx, "\t", text);
	for (i = 0; i < ps->inner.n; i++)
		it->text = hdr_cat(it->text, " ", ps->inner.v[i]);
	free(hdr_norm(text, &it->toks));
}

static void define_line(struct parser *ps, const char *p, bool undef)
{
	const char *b;
	char *name, *text, *rest, *key;
	struct item *it;

	p += strspn(p, " \t");
	for (b = p; tk_is_word(*p); p++)
		;
	if (p == b || !tk_is_ident(b)) {
		fail(ps, "a #define without a name");
		return;
	}
	name = hdr_strndup(b, p - b);
	rest = hdr_norm(p, NULL);
	/* "F(x)" is a function-like macro, "F (x)" an object-like one */
	text = hdr_alloc(strlen(name) + strlen(rest) + 16);
	sprintf(text, "%s %s%s%s", undef ? "undef" : "define", name,
		*p == '(' ? "" : " ", rest);
	key = hdr_cat(hdr_strdup("D:"), "", name);
	simple_item(ps, K_DEFINE, key, text, name);
	it = &ps->d->v[ps->d->n - 1];
	sv_add(&it->names, name);
	free(key);
	free(text);
	free(rest);
	free(name);
}

static void directive(struct parser *ps, const char *line)
{
	const char *p = line + strspn(line, " \t") + 1, *b;
	char *word, *text, *label;
	bool in_item = ps->cur.n > 0;

	p += strspn(p, " \t");
	for (b = p; tk_is_word(*p); p++)
		;
	word = hdr_strndup(b, p - b);
	/* "NAME(...)" before it, without a semicolon, is whole */
	if (in_item && ps->depth == 0 && ends_invocation(&ps->cur, "x")) {
		finish_item(ps);
		in_item = false;
	}
	if (!strcmp(word, "define") || !strcmp(word, "undef")) {
		define_line(ps, p, word[0] == 'u');
		free(word);
		return;
	}
	label = hdr_norm(line + strspn(line, " \t") + 1, NULL);
	text = hdr_cat(hdr_strdup("#"), "", label);
	free(label);
	label = hdr_strdup(line + strspn(line, " \t"));
	if (!*word) {
		/* "#" alone, or a line marker "# 12": nothing */
	} else if (in_item) {
		/* part of the item: its text and what it mentions */
		if (!strncmp(word, "if", 2))
			ps->local++;
		else if (!strcmp(word, "endif") && ps->local-- == 0)
			fail(ps, "an #if opened outside a definition closes inside it");
		else if ((!strcmp(word, "else") || !strncmp(word, "elif", 4)) &&
			 ps->local == 0)
			fail(ps, "an #if opened outside a definition continues inside it");
		tk_push(&ps->cur, hdr_strdup(text));
		free(hdr_norm(p, &ps->inner));
	} else if (!strncmp(word, "if", 2)) {
		sv_push(&ps->stack, text);
		sv_push(&ps->d->conds, text);
		ps->asm_.open = hdr_asm_if(text);
	} else if (!strncmp(word, "elif", 4) || !strcmp(word, "else")) {
		if (!ps->stack.n) {
			fail(ps, "#else without #if");
		} else {
			char **top = &ps->stack.v[ps->stack.n - 1];

			ps->asm_.open = !strcmp(word, "else") &&
					hdr_asm_else(*top);
			*top = hdr_cat(*top, "|", text);
		}
		sv_push(&ps->d->conds, text);
	} else if (!strcmp(word, "endif")) {
		if (!ps->stack.n)
			fail(ps, "#endif without #if");
		else
			free(ps->stack.v[--ps->stack.n]);
	} else if (!strncmp(word, "include", 7)) {
		char *key = hdr_cat(hdr_strdup("I:"), "", text);

		simple_item(ps, K_INCLUDE, key, text, label);
		free(key);
	} else {
		char *key = hdr_cat(hdr_strdup("P:"), "", text);

		simple_item(ps, K_DIRECTIVE, key, text, label);
		free(key);
	}
	free(label);
	free(text);
	free(word);
}

static void parse_text(const char *src, struct defs *d)
{
	struct parser ps = { .d = d };
	char *s = tk_strip_comments(src), *line, *nl;

	memset(d, 0, sizeof(*d));
	for (line = s; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (ps.asm_.open) {
			char *ctx = context(&ps);
			bool inside = hdr_asm_line(&ps.asm_, d, line, ctx);

			free(ctx);
			if (inside)
				continue;
		}
		if (line[strspn(line, " \t")] == '#')
			directive(&ps, line);
		else
			code_tokens(&ps, line);
	}
	if (ps.asm_.open) {
		fail(&ps, "assembler text is not closed at the end");
		hdr_asm_end(&ps.asm_, d, "");
	}
	if (ps.cur.n)
		fail(&ps, "a definition is not closed at the end");
	if (ps.stack.n)
		fail(&ps, "an #if is not closed at the end");
	tk_free(&ps.cur);
	sv_free(&ps.inner);
	sv_free(&ps.stack);
	free(s);
}

int hdr_rank(enum kind k)
{
	switch (k) {
	case K_EMIT:
		return 6;
	case K_OTHER: case K_INVOKE: case K_INCLUDE: case K_DIRECTIVE:
	case K_ASM:
		return 5;
	case K_TYPEDEF:
		return 4;
	case K_STRUCT:
		return 3;
	case K_ENUM:
		return 2;
	default:
		return 1;
	}
}

/* Items of one key (one name under #ifdef and #else, say) become one. */
static void merge(struct defs *d)
{
	unsigned int i, j, k, n = 0;

	for (i = 0; i < d->n; i++) {
		struct item *it = &d->v[i];

		for (j = 0; j < n && strcmp(d->v[j].key, it->key); j++)
			;
		if (j == n) {
			d->v[n++] = *it;
			continue;
		}
		d->v[j].text = hdr_cat(d->v[j].text, "\n", it->text);
		if (it->body)
			d->v[j].body = hdr_cat(d->v[j].body, "\n", it->body);
		if (hdr_rank(it->kind) > hdr_rank(d->v[j].kind))
			d->v[j].kind = it->kind;
		d->v[j].layout |= it->layout;
		for (k = 0; k < it->names.n; k++)
			sv_add(&d->v[j].names, it->names.v[k]);
		for (k = 0; k < it->toks.n; k++)
			sv_add(&d->v[j].toks, it->toks.v[k]);
		free(it->key);
		free(it->text);
		free(it->body);
		free(it->label);
		sv_free(&it->names);
		sv_free(&it->toks);
	}
	d->n = n;
}

void hdr_free_defs(struct defs *d)
{
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].key);
		free(d->v[i].text);
		free(d->v[i].body);
		free(d->v[i].label);
		sv_free(&d->v[i].names);
		sv_free(&d->v[i].toks);
	}
	free(d->v);
	sv_free(&d->conds);
	free(d->error);
}

struct item *hdr_find(struct defs *d, const char *key)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].key, key))
			return &d->v[i];
	return NULL;
}

void hdr_parse(const char *src, struct defs *d)
{
	parse_text(src, d);
	if (!d->error)
		merge(d);
}
