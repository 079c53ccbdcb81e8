// SPDX-License-Identifier: GPL-2.0
/*
 * Why a function counts as changed: the difference of its pre and post
 * instructions, as a reviewer reads it.  Each side is disassembled
 * (disasm.c) with relocation targets by name, and the two listings are
 * compared line by line (longest common subsequence); unchanged runs are
 * cut to a few lines of context.  Bytes the kernel rewrites at boot or
 * load (fentry call, return thunks, alternatives, jump labels...) show
 * as "..", and their instructions are marked: what runs there is the
 * kernel's choice, not the object's.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define CONTEXT		2
#define MAX_LCS		(4096UL * 4096UL)

struct line {
	GElf_Addr off;		/* from the function's entry */
	char bytes[40];
	char text[256];
	bool rewritten;
};

/* The instructions of @fn, one line each. */
static struct line *listing(const struct od_obj *o, const struct od_sym *fn,
			    size_t *n)
{
	const struct od_sec *sec = fn->sec;
	GElf_Addr start = fn->st.st_value, size = fn->st.st_size, off = 0;
	unsigned char *mask;
	struct line *lines = NULL;

	*n = 0;
	if (!sec->data || size > sec->sh.sh_size ||
	    start > sec->sh.sh_size - size)
		return NULL;
	mask = od_xcalloc(size ? size : 1, 1);
	od_rewritten_mask(o, sec, start, size, mask);
	while (off < size) {
		struct line *l;
		unsigned int len, k;
		size_t used = 0;

		lines = od_xrealloc(lines, *n + 1, sizeof(*lines));
		l = &lines[(*n)++];
		memset(l, 0, sizeof(*l));
		l->off = off;
		len = od_disasm(sec, start + off, start + size, l->text,
				sizeof(l->text), true);
		if (!len) {
			snprintf(l->text, sizeof(l->text), "(bad)");
			len = 1;
		}
		for (k = 0; k < len; k++) {
			bool m = !mask[off + k];

			l->rewritten |= m;
			if (used + 4 < sizeof(l->bytes)) {
				if (m)
					used += sprintf(l->bytes + used, "%s..",
							k ? " " : "");
				else
					used += sprintf(l->bytes + used, "%s%02x",
							k ? " " : "",
							sec->data[start + off + k]);
			}
		}
		off += len;
	}
	free(mask);
	return lines;
}

static void print_line(FILE *f, const char *prefix, char mark,
		       const struct line *l)
{
	fprintf(f, "%s%c %5llx  %-23s %s%s\n", prefix, mark,
		(unsigned long long)l->off, l->bytes, l->text,
		l->rewritten ? "   [rewritten by the kernel]" : "");
}

/*
 * The edit script from @a to @b: ops[k] is ' ', '-' or '+'.  Longest
 * common subsequence of the texts; past MAX_LCS cells, all of a removed
 * and all of b added.
 */
static char *edit_script(const struct line *a, size_t na,
			 const struct line *b, size_t nb, size_t *nops)
{
	char *ops = od_xcalloc(na + nb + 1, 1);
	unsigned int *t;
	size_t i, j, k = 0;

	if ((na + 1) * (nb + 1) > MAX_LCS) {
		memset(ops, '-', na);
		memset(ops + na, '+', nb);
		*nops = na + nb;
		return ops;
	}
	t = od_xcalloc((na + 1) * (nb + 1), sizeof(*t));
#define T(x, y) t[(x) * (nb + 1) + (y)]
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			T(i, j) = !strcmp(a[i].text, b[j].text) ?
				  T(i + 1, j + 1) + 1 :
				  (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) :
				   T(i, j + 1));
	i = j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && !strcmp(a[i].text, b[j].text)) {
			ops[k++] = ' ', i++, j++;
		} else if (i < na && (j >= nb || T(i + 1, j) >= T(i, j + 1))) {
			ops[k++] = '-', i++;
		} else {
			ops[k++] = '+', j++;
		}
	}
#undef T
	free(t);
	*nops = k;
	return ops;
}

static void explain_func(FILE *f, const char *prefix, struct od_plan *p,
			 struct od_sym *a, struct od_sym *b)
{
	size_t na, nb, nops, k, i = 0, j = 0, shown = 0;
	struct line *la = listing(&p->pre, a, &na);
	struct line *lb = listing(&p->post, b, &nb);
	char *ops = edit_script(la, na, lb, nb, &nops);

	fprintf(f, "%s%s: changed function: %llu -> %llu bytes, %zu -> %zu "
		"instructions\n", prefix, b->name,
		(unsigned long long)a->st.st_size,
		(unsigned long long)b->st.st_size, na, nb);
	for (k = 0; k < nops; k++) {
		if (ops[k] == ' ') {
			size_t d, near = CONTEXT + 1;

			/* how far the nearest difference is */
			for (d = 1; d <= CONTEXT; d++)
				if ((k >= d && ops[k - d] != ' ') ||
				    (k + d < nops && ops[k + d] != ' '))
					near = d < near ? d : near;
			if (near <= CONTEXT)
				print_line(f, prefix, ' ', &lb[j]);
			else if (k && ops[k - 1] != ' ')
				fprintf(f, "%s  ...\n", prefix);
			i++, j++;
		} else if (ops[k] == '-') {
			print_line(f, prefix, '-', &la[i++]);
			shown++;
		} else {
			print_line(f, prefix, '+', &lb[j++]);
			shown++;
		}
	}
	if (!shown)
		fprintf(f, "%s  the instructions read alike: the difference is "
			"in bytes the listing hides, or in the function's "
			"entries of the kernel's tables (__ex_table, "
			".altinstructions, __jump_table, ...)\n", prefix);
	free(ops);
	free(la);
	free(lb);
}

void od_explain(const struct od_result *res, FILE *f, const char *prefix)
{
	struct od_plan *p = res->priv;
	size_t i;

	if (!p || res->status == OD_ERROR || res->status == OD_MALFORMED)
		return;
	if (!prefix)
		prefix = "";
	for (i = 1; i < p->post.nsyms; i++) {
		struct od_sym *b = &p->post.syms[i];

		if (!od_is_func(b) || b->state != ST_CHANGED || !b->twin ||
		    b->sec->kind == SK_IGNORE || b->sec->kind == SK_SPECIAL)
			continue;
		explain_func(f, prefix, p, b->twin, b);
	}
}
