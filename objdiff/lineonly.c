// SPDX-License-Identifier: GPL-2.0
/*
 * Differences that are only line numbers.  A patch that adds a line near
 * the top of a file moves every later line: each __LINE__ below it
 * becomes another constant, in code (`mov $0x1b,%esi` before a call of
 * __might_sleep(file, line)), and inside strings ("... at fs/x.c:123").
 * Such a function does the same as before; live-patching it would only
 * change the line a message names.
 *
 * Exact, never a guess: a difference counts as a line number only when
 *  - in code, it lies wholly in the immediate operand of one instruction
 *    (decoded by libopcodes, the rest of the instruction identical) whose
 *    pre value is a line the patch moves and whose post value is where
 *    that line goes, in a file the function names by a string: a
 *    __LINE__ travels with its __FILE__ (__might_sleep, printk of both),
 *    so an enum or size that happens to grow by as much in a function
 *    naming no file stays a change.  A __func__ vouches for nothing
 *    (ext4_error(sb, __func__, __LINE__) stays a change): a wrong "no
 *    change" would leave a fix out, a wrong "changed" only carries an
 *    equivalent function;
 *  - in a string, it is a run of digits right after "<file>:" whose pre
 *    value is a line of that file the patch moves to the post value.
 * The line field of a __bug_table entry is skipped where entries are
 * compared (special.c, compare.c); nothing else is forgiven.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '_' || c == '-' || c == '.' || c == '/' ||
	       c == '+';
}

static unsigned long digits(const unsigned char *s, size_t len, size_t *i)
{
	unsigned long v = 0;

	while (*i < len && is_digit(s[*i]) && v < 100000000)
		v = v * 10 + (s[(*i)++] - '0');
	return v;
}

/*
 * @a and @b (their NULs included) equal but for runs of digits after
 * "file:" that spell a line the map moves.
 */
static bool strings_line_only(const struct od_linemap *m,
			      const unsigned char *a, size_t alen,
			      const unsigned char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		size_t start, colon, k;
		unsigned long la, lb;
		char *file;
		bool ok;

		if (i < alen && j < blen && a[i] == b[j]) {
			i++, j++;
			continue;
		}
		if (i != j)
			return false;	/* runs of unequal length go below */
		/* back to the start of the digit run both are in */
		start = i;
		while (start > 0 && is_digit(a[start - 1]))
			start--;
		if (!start || a[start - 1] != ':' ||
		    !((i < alen && is_digit(a[i])) || (j < blen && is_digit(b[j]))) )
			return false;
		colon = start - 1;
		k = colon;
		while (k > 0 && is_path_char(a[k - 1]))
			k--;
		if (k == colon)
			return false;
		i = j = start;
		la = digits(a, alen, &i);
		lb = digits(b, blen, &j);
		file = od_xasprintf("%.*s", (int)(colon - k), a + k);
		ok = od_linemap_shift(m, file, la, lb);
		free(file);
		if (!ok)
			return false;
		/* continue with the rest, aligned on both sides */
		if (alen - i != blen - j)
			return false;
		if (memcmp(a + i, b + j, alen - i)) {
			/* another run further on: compare from here */
			a += i, alen -= i, b += j, blen -= j;
			i = j = 0;
		} else {
			return true;
		}
	}
	return true;
}

static bool targets_line_only(const struct od_linemap *m,
			      const struct od_target *a,
			      const struct od_target *b)
{
	if (od_targets_equal(a, b))
		return true;
	return a->kind == TK_STRING && b->kind == TK_STRING &&
	       a->off == b->off && m &&
	       strings_line_only(m, a->bytes, a->len, b->bytes, b->len);
}

/* Byte @i of @sec is in a relocation field of [@lo, @hi) (indices). */
static bool is_hex_more(const char *s)
{
	return is_digit(*s) || (*s >= 'a' && *s <= 'f');
}

static unsigned long le(const unsigned char *p, unsigned int n)
{
	unsigned long v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/*
 * The instruction of @len bytes at @ao (pre) and @bo (post) differs only in
 * an immediate that is a moved line.
 */
struct files {
	const char **names;	/* strings the function points at */
	size_t n;
};

static bool moved_in(const struct od_linemap *m, const struct files *fs,
		     unsigned long la, unsigned long lb)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (od_linemap_shift(m, fs->names[i], la, lb))
			return true;
	return false;
}

static bool insn_line_only(const struct od_linemap *m, const struct files *fs,
			   const struct od_sec *a, GElf_Addr ao,
			   const struct od_sec *b, GElf_Addr bo,
			   unsigned int len, size_t alo, size_t ahi)
{
	static const unsigned int widths[] = { 4, 2, 1 };
	char ta[256], tb[256], want[300], imm[32];
	unsigned int first = len, w, k;
	char *at;

	for (k = 0; k < len; k++) {
		if (a->data[ao + k] == b->data[bo + k])
			continue;
		if (od_in_reloc_field(a, ao + k, alo, ahi))
			continue;	/* relocation fields: compared by target */
		if (first == len)
			first = k;
	}
	if (first == len)
		return true;
	od_disasm(a, ao, ao + len, ta, sizeof(ta), false);
	od_disasm(b, bo, bo + len, tb, sizeof(tb), false);
	for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		unsigned int n = widths[w];
		unsigned long la, lb;

		/* x86 encodes the immediate last */
		if (n >= len || first < len - n)
			continue;
		for (k = len - n; k < len; k++)
			if (od_in_reloc_field(a, ao + k, alo, ahi))
				break;
		if (k < len)
			continue;
		la = le(a->data + ao + len - n, n);
		lb = le(b->data + bo + len - n, n);
		if (!moved_in(m, fs, la, lb))
			continue;
		/* the immediate as the disassembler shows it, and only it */
		snprintf(imm, sizeof(imm), "$0x%lx", la);
		at = strstr(ta, imm);
		if (!at || is_hex_more(at + strlen(imm)) ||
		    strstr(at + 1, imm))
			continue;
		snprintf(want, sizeof(want), "%.*s$0x%lx%s", (int)(at - ta), ta,
			 lb, at + strlen(imm));
		if (!strcmp(want, tb))
			return true;
	}
	return false;
}

struct line_pair {
	const struct od_linemap *m;
	struct files *fs;
};

/*
 * A pair of relocation targets the same but for a moved line; a string
 * that names a file is kept: only a __FILE__ vouches for a __LINE__
 * beside it.  A __func__ does not: too many functions pass one for a
 * constant that changes by as much as a line moves to be told from a
 * line number.
 */
static bool pair_line_only(const struct od_target *ta,
			   const struct od_target *tb, void *data)
{
	struct line_pair *lp = data;
	struct files *fs = lp->fs;

	if (!targets_line_only(lp->m, ta, tb))
		return false;
	if (ta->kind == TK_STRING && !ta->off && ta->len &&
	    !ta->bytes[ta->len - 1]) {
		fs->names = od_xrealloc(fs->names, fs->n + 1,
					sizeof(*fs->names));
		fs->names[fs->n++] = (const char *)ta->bytes;
	}
	return true;
}

bool od_line_only(const struct od_linemap *m, struct od_sec *a,
		  GElf_Addr aoff, struct od_sec *b, GElf_Addr boff,
		  GElf_Addr size, bool code, GElf_Addr skip_lo,
		  GElf_Addr skip_hi)
{
	size_t ai = od_rela_lower(a, aoff);
	size_t aend = od_rela_lower(a, aoff + size);
	struct files fs = { NULL, 0 };
	struct line_pair pair = { m, &fs };
	GElf_Addr off;
	bool ok = true;

	if (!m || !a->data || !b->data)
		return false;
	if (size > a->sh.sh_size || aoff > a->sh.sh_size - size ||
	    size > b->sh.sh_size || boff > b->sh.sh_size - size)
		return false;
	if (!od_relas_pair(a, aoff, b, boff, size, pair_line_only, &pair)) {
		free(fs.names);
		return false;
	}
	if (!code) {
		for (off = 0; off < size && ok; off++)
			ok = a->data[aoff + off] == b->data[boff + off] ||
			     (off >= skip_lo && off < skip_hi) ||
			     od_in_reloc_field(a, aoff + off, ai, aend);
		free(fs.names);
		return ok;
	}
	for (off = 0; off < size && ok;) {
		char buf[256];
		unsigned int la, lb;

		la = od_disasm(a, aoff + off, aoff + size, buf, sizeof(buf), false);
		lb = od_disasm(b, boff + off, boff + size, buf, sizeof(buf), false);
		ok = la && la == lb &&
		     insn_line_only(m, &fs, a, aoff + off, b, boff + off, la,
				    ai, aend);
		off += la;
	}
	free(fs.names);
	return ok;
}
