// SPDX-License-Identifier: GPL-2.0
/*
 * A struct's layout as the compiler made it: read from an object's debug
 * info (DWARF) with elfutils' libdwfl, which applies the relocations a
 * relocatable object's debug sections carry.
 *
 * The layout is the set of leaves the type flattens to, each a bit
 * offset, a bit size and a shape: an integer (any width or signedness,
 * enums and bool included), a float, a pointer to a named type, a
 * function pointer, or an array of a layout.  Nested structs and unions
 * flatten into their holder; a union's alias of the same shape adds no
 * leaf.  Member names do not count.  The struct's size and explicit
 * alignment do.  Two layouts equal in this sense read the same bytes the
 * same way, whatever the source calls them.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dwlayout.h"

#define MAX_DEPTH 24

struct leaf {
	unsigned long long bit, bits;
	char *shape;
	char *path;		/* for messages: "a.b" */
};

struct leaves {
	struct leaf *v;
	unsigned int n;
	bool unknown;		/* something this reading does not follow */
};

static void *xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		abort();
	return p;
}

static char * __attribute__((format(printf, 1, 2))) fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* @die's type with typedefs and qualifiers taken off; false: void. */
static bool strip(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	Dwarf_Die t = *die;
	int i;

	for (i = 0; i < 64; i++) {
		switch (dwarf_tag(&t)) {
		case DW_TAG_typedef: case DW_TAG_const_type:
		case DW_TAG_volatile_type: case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			if (!dwarf_attr_integrate(&t, DW_AT_type, &a) ||
			    !dwarf_formref_die(&a, &t))
				return false;
			continue;
		default:
			*out = t;
			return true;
		}
	}
	return false;
}

static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	Dwarf_Die t;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a) ||
	    !dwarf_formref_die(&a, &t))
		return false;
	return strip(&t, out);
}

static unsigned long long size_of(Dwarf_Die *t)
{
	Dwarf_Word w;

	return dwarf_aggregate_size(t, &w) ? 0 : w;
}

static void add(struct leaves *l, unsigned long long bit,
		unsigned long long bits, char *shape, const char *path)
{
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!l->v)
		abort();
	l->v[l->n].bit = bit;
	l->v[l->n].bits = bits;
	l->v[l->n].shape = shape;
	l->v[l->n].path = strdup(path);
	l->n++;
}

static void flatten(Dwarf_Die *agg, unsigned long long base,
		    const char *path, struct leaves *l, int depth);
static char *signature(struct leaves *l);
static void free_leaves(struct leaves *l);

/* A pointer's shape: what it points to, by name. */
static char *pointee(Dwarf_Die *ptr)
{
	Dwarf_Die t;
	const char *name;

	if (!type_of(ptr, &t))
		return strdup("*void");
	name = dwarf_diename(&t);
	switch (dwarf_tag(&t)) {
	case DW_TAG_subroutine_type:
		return strdup("*fn");
	case DW_TAG_structure_type:
	case DW_TAG_union_type: {
		char n[32];

		/* an unnamed one by its size, at least */
		snprintf(n, sizeof(n), "?%llu", size_of(&t));
		return fmt("*%s %s", dwarf_tag(&t) == DW_TAG_union_type ?
			   "union" : "struct", name ? name : n);
	}
	case DW_TAG_pointer_type: {
		char *in = pointee(&t), *s = fmt("*%s", in);

		free(in);
		return s;
	}
	case DW_TAG_base_type: case DW_TAG_enumeration_type: {
		char n[32];

		snprintf(n, sizeof(n), "*i%llu", size_of(&t));
		return strdup(n);
	}
	default:
		return strdup("*?");
	}
}

/* The shape of a leaf of type @t, not a struct or union. */
static char *shape_of(Dwarf_Die *t, struct leaves *l, int depth)
{
	Dwarf_Attribute a;
	Dwarf_Word enc;
	char buf[64];

	switch (dwarf_tag(t)) {
	case DW_TAG_base_type:
		if (!dwarf_attr(t, DW_AT_encoding, &a) ||
		    dwarf_formudata(&a, &enc))
			enc = 0;
		if (enc == DW_ATE_float || enc == DW_ATE_complex_float)
			return strdup("f");
		if (enc == DW_ATE_signed || enc == DW_ATE_unsigned ||
		    enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char ||
		    enc == DW_ATE_boolean)
			return strdup("i");
		snprintf(buf, sizeof(buf), "b%llu", (unsigned long long)enc);
		return strdup(buf);
	case DW_TAG_enumeration_type:
		return strdup("i");
	case DW_TAG_pointer_type:
		return pointee(t);
	case DW_TAG_array_type: {
		Dwarf_Die sub, elem;
		struct leaves inner = { 0 };
		char *dims = strdup(""), *s, *sig;

		if (dwarf_child(t, &sub) == 0) {
			do {
				Dwarf_Word cnt;
				char *d;

				if (dwarf_tag(&sub) != DW_TAG_subrange_type)
					continue;
				if (dwarf_attr(&sub, DW_AT_count, &a) &&
				    !dwarf_formudata(&a, &cnt))
					snprintf(buf, sizeof(buf), "[%llu]",
						 (unsigned long long)cnt);
				else if (dwarf_attr(&sub, DW_AT_upper_bound, &a) &&
					 !dwarf_formudata(&a, &cnt))
					snprintf(buf, sizeof(buf), "[%llu]",
						 (unsigned long long)cnt + 1);
				else
					snprintf(buf, sizeof(buf), "[]");
				d = fmt("%s%s", dims, buf);
				free(dims);
				dims = d;
			} while (dwarf_siblingof(&sub, &sub) == 0);
		}
		if (!type_of(t, &elem)) {
			l->unknown = true;
			s = fmt("%s?", dims);
		} else if (dwarf_tag(&elem) == DW_TAG_structure_type ||
			   dwarf_tag(&elem) == DW_TAG_union_type) {
			flatten(&elem, 0, "", &inner, depth + 1);
			l->unknown |= inner.unknown;
			sig = signature(&inner);
			s = fmt("%s{%s}", dims, sig);
			free(sig);
		} else {
			sig = shape_of(&elem, l, depth + 1);
			s = fmt("%s%s", dims, sig ? sig : "?");
			free(sig);
		}
		free_leaves(&inner);
		free(dims);
		return s;
	}
	default:
		l->unknown = true;
		snprintf(buf, sizeof(buf), "tag%d", dwarf_tag(t));
		return strdup(buf);
	}
}

static bool udata(Dwarf_Die *die, unsigned int name, Dwarf_Word *w)
{
	Dwarf_Attribute a;

	return dwarf_attr(die, name, &a) && !dwarf_formudata(&a, w);
}

/* The members of @agg (a struct or union) as leaves at @base bits. */
static void flatten(Dwarf_Die *agg, unsigned long long base,
		    const char *path, struct leaves *l, int depth)
{
	Dwarf_Die m, t;

	if (depth > MAX_DEPTH) {
		l->unknown = true;
		return;
	}
	if (dwarf_child(agg, &m) != 0)
		return;
	do {
		Dwarf_Word off = 0, bitoff, bits, bytes;
		const char *name;
		unsigned long long at, size;
		char *sub;

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		name = dwarf_diename(&m);
		sub = fmt("%s%s%s", path, *path ? "." : "", name ? name : "");
		if (!type_of(&m, &t)) {
			l->unknown = true;
			free(sub);
			continue;
		}
		if (udata(&m, DW_AT_data_member_location, &off))
			at = base + off * 8;
		else if (dwarf_tag(agg) == DW_TAG_union_type ||
			 dwarf_hasattr(&m, DW_AT_data_bit_offset))
			at = base;
		else {
			l->unknown = true;	/* a location expression */
			free(sub);
			continue;
		}
		size = size_of(&t) * 8;
		if (udata(&m, DW_AT_bit_size, &bits)) {
			if (udata(&m, DW_AT_data_bit_offset, &bitoff))
				at = base + bitoff;
			else if (udata(&m, DW_AT_bit_offset, &bitoff) &&
				 udata(&m, DW_AT_byte_size, &bytes))
				at += bytes * 8 - bitoff - bits; /* DWARF 4, LE */
			add(l, at, bits, strdup("i"), sub);
		} else if (dwarf_tag(&t) == DW_TAG_structure_type ||
			   dwarf_tag(&t) == DW_TAG_union_type) {
			flatten(&t, at, sub, l, depth + 1);
		} else {
			add(l, at, size, shape_of(&t, l, depth), sub);
		}
		free(sub);
	} while (dwarf_siblingof(&m, &m) == 0);
}

static int by_place(const void *a, const void *b)
{
	const struct leaf *x = a, *y = b;

	if (x->bit != y->bit)
		return x->bit < y->bit ? -1 : 1;
	if (x->bits != y->bits)
		return x->bits < y->bits ? -1 : 1;
	return strcmp(x->shape, y->shape);
}

/* Sorted, each place and shape once: a union's like aliases are one. */
static void normalize(struct leaves *l)
{
	unsigned int i, k = 0;

	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof(*l->v), by_place);
	for (i = 1; i < l->n; i++) {
		if (!by_place(&l->v[k], &l->v[i])) {
			free(l->v[i].shape);
			free(l->v[i].path);
			continue;
		}
		l->v[++k] = l->v[i];
	}
	l->n = k + 1;
}

static char *signature(struct leaves *l)
{
	size_t len = 1, at = 0;
	unsigned int i;
	char *s;

	normalize(l);
	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i].shape) + 48;
	s = xalloc(len);
	for (i = 0; i < l->n; i++)
		at += snprintf(s + at, len - at, "%llu:%llu:%s;", l->v[i].bit,
			       l->v[i].bits, l->v[i].shape);
	return s;
}

static void free_leaves(struct leaves *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].shape);
		free(l->v[i].path);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const Dwfl_Callbacks offline = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* "struct x", "union x" or "typedef x" into a tag and a name. */
static bool parse_type(const char *type, int *tag, const char **name)
{
	static const struct { const char *kw; int tag; } kws[] = {
		{ "struct ", DW_TAG_structure_type },
		{ "union ", DW_TAG_union_type },
		{ "typedef ", DW_TAG_typedef },
	};
	unsigned int i;

	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
		size_t n = strlen(kws[i].kw);

		if (!strncmp(type, kws[i].kw, n) && type[n] && type[n] != '(') {
			*tag = kws[i].tag;
			*name = type + n;
			return true;
		}
	}
	return false;
}

/* @die is declared in @file (NULL: anywhere), a path from the tree. */
static bool declared_in(Dwarf_Die *die, const char *file)
{
	const char *d = file ? dwarf_decl_file(die) : NULL;
	size_t n, m;

	if (!file)
		return true;
	if (!d)
		return false;
	while (!strncmp(d, "./", 2))
		d += 2;
	n = strlen(d);
	m = strlen(file);
	return n == m ? !strcmp(d, file) :
	       n > m && d[n - m - 1] == '/' && !strcmp(d + n - m, file);
}

/*
 * The definition of @type in the object's compile units, into @out:
 * the one @file declares, not another header's struct of the same tag.
 */
static bool find_type(Dwarf *dw, int tag, const char *name, const char *file,
		      Dwarf_Die *out)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, die;
	uint8_t ut;

	while (dwarf_get_units(dw, cu, &cu, NULL, &ut, &cudie, NULL) == 0) {
		if (dwarf_child(&cudie, &die) != 0)
			continue;
		do {
			const char *n;

			if (dwarf_tag(&die) != tag ||
			    dwarf_hasattr(&die, DW_AT_declaration))
				continue;
			n = dwarf_diename(&die);
			if (!n || strcmp(n, name) || !declared_in(&die, file))
				continue;
			if (tag != DW_TAG_typedef) {
				*out = die;
				return true;
			}
			if (!strip(&die, out))
				return false;
			return dwarf_tag(out) == DW_TAG_structure_type ||
			       dwarf_tag(out) == DW_TAG_union_type;
		} while (dwarf_siblingof(&die, &die) == 0);
	}
	return false;
}

struct dw_object {
	Dwfl *dwfl;
	Dwarf *dw;
};

void dw_file_types(struct dw_object *o, const char *file,
		   void (*fn)(const char *type, void *arg), void *arg)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, die, t;
	uint8_t ut;

	while (o && dwarf_get_units(o->dw, cu, &cu, NULL, &ut, &cudie,
				    NULL) == 0) {
		if (dwarf_child(&cudie, &die) != 0)
			continue;
		do {
			const char *n = dwarf_diename(&die), *kw = NULL;
			char *type;

			if (!n || dwarf_hasattr(&die, DW_AT_declaration) ||
			    !declared_in(&die, file))
				continue;
			switch (dwarf_tag(&die)) {
			case DW_TAG_structure_type:
				kw = "struct";
				break;
			case DW_TAG_union_type:
				kw = "union";
				break;
			case DW_TAG_typedef:
				/* only a name for an unnamed struct or union */
				if (strip(&die, &t) && !dwarf_diename(&t) &&
				    (dwarf_tag(&t) == DW_TAG_structure_type ||
				     dwarf_tag(&t) == DW_TAG_union_type))
					kw = "typedef";
				break;
			}
			if (!kw)
				continue;
			type = fmt("%s %s", kw, n);
			fn(type, arg);
			free(type);
		} while (dwarf_siblingof(&die, &die) == 0);
	}
}

struct dw_object *dw_open(const char *object)
{
	struct dw_object *o = xalloc(sizeof(*o));
	Dwfl_Module *mod;
	Dwarf_Addr bias;

	o->dwfl = dwfl_begin(&offline);
	if (!o->dwfl) {
		free(o);
		return NULL;
	}
	mod = dwfl_report_offline(o->dwfl, "", object, -1);
	dwfl_report_end(o->dwfl, NULL, NULL);
	o->dw = mod ? dwfl_module_getdwarf(mod, &bias) : NULL;
	if (!o->dw) {
		dw_close(o);
		return NULL;
	}
	return o;
}

void dw_close(struct dw_object *o)
{
	if (!o)
		return;
	dwfl_end(o->dwfl);
	free(o);
}

int dw_layout(struct dw_object *o, const char *type, const char *file,
	      struct dw_layout *out)
{
	Dwarf_Die t;
	Dwarf_Word align;
	const char *name;
	int tag;

	memset(out, 0, sizeof(*out));
	if (!o || !parse_type(type, &tag, &name))
		return -1;
	if (!find_type(o->dw, tag, name, file, &t))
		return 1;
	out->leaves = xalloc(sizeof(*out->leaves));
	flatten(&t, 0, "", out->leaves, 0);
	out->size = size_of(&t);
	if (udata(&t, DW_AT_alignment, &align))
		out->align = align;
	out->unknown = out->leaves->unknown;
	out->signature = signature(out->leaves);
	return 0;
}

/* The first leaf of @a that @b lacks, or NULL. */
static const struct leaf *lacking(const struct leaves *a,
				  const struct leaves *b)
{
	unsigned int i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (!by_place(&a->v[i], &b->v[j]))
				break;
		if (j == b->n)
			return &a->v[i];
	}
	return NULL;
}

char *dw_layout_diff(const struct dw_layout *a, const struct dw_layout *b)
{
	const struct leaf *x;
	char buf[512];

	if (a->unknown || b->unknown)
		return strdup("it holds a member whose layout this reading of "
			      "the debug info does not follow");
	if (a->size != b->size) {
		snprintf(buf, sizeof(buf), "its size changes from %llu to "
			 "%llu bytes", a->size, b->size);
		return strdup(buf);
	}
	if (a->align != b->align)
		return strdup("its alignment changes");
	if (!strcmp(a->signature, b->signature))
		return NULL;
	if ((x = lacking(b->leaves, a->leaves)))
		snprintf(buf, sizeof(buf), "member %s (byte %llu) is new, moved "
			 "or of another type", *x->path ? x->path : "(unnamed)",
			 x->bit / 8);
	else if ((x = lacking(a->leaves, b->leaves)))
		snprintf(buf, sizeof(buf), "member %s (byte %llu) moves or "
			 "goes",
			 *x->path ? x->path : "(unnamed)", x->bit / 8);
	else
		snprintf(buf, sizeof(buf), "its members move");
	return strdup(buf);
}

void dw_layout_free(struct dw_layout *l)
{
	if (l->leaves) {
		free_leaves(l->leaves);
		free(l->leaves);
	}
	free(l->signature);
	memset(l, 0, sizeof(*l));
}
