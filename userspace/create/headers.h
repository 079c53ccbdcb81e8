/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a patch changes in a header, by name (headers.c): the header
 * before and after, cut into its top-level definitions, compared.
 */
#ifndef _KSPLICE_HEADERS_H
#define _KSPLICE_HEADERS_H

enum hdr_verdict {
	HDR_NAMES,	/* only the objects that use @names can change */
	HDR_ALL,	/* cannot attribute the change: every includer */
	HDR_REFUSE,	/* a layout change beyond checking: refused */
};

struct hdr_diff {
	enum hdr_verdict verdict;
	char **names;		/* HDR_NAMES: changed, added, removed names */
	unsigned int nr_names;
	char **layout;		/* those of them that may size a type */
	unsigned int nr_layout;
	char **types;		/* structs whose members change: "struct x" */
	unsigned int nr_types;	/* (their layout is for the objects to say) */
	char *why;		/* HDR_ALL, HDR_REFUSE: why, naming it */
};

/* Compare the text of a header before (@pre) and after (@post) a patch. */
void hdr_diff(const char *pre, const char *post, struct hdr_diff *d);
/*
 * What a header the patch leaves alone (@text) derives from changed
 * names: HDR_NAMES with the names of its definitions that mention one
 * (closed over it), HDR_ALL if something not put to a name mentions one;
 * a struct that uses a changed macro or enumerator (@layout) goes into
 * types, HDR_REFUSE if it has no name or is a typedef of a scalar.
 */
void hdr_uses(const char *text, char **names, unsigned int n, char **layout,
	      unsigned int nl, struct hdr_diff *out);
void hdr_diff_free(struct hdr_diff *d);

#endif /* _KSPLICE_HEADERS_H */
