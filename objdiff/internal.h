/* SPDX-License-Identifier: GPL-2.0 */
/* objdiff internals: the loaded objects and the plan of the update. */
#ifndef _OBJDIFF_INTERNAL_H
#define _OBJDIFF_INTERNAL_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include "objdiff.h"

enum od_sec_kind {
	SK_IGNORE,	/* not loaded at run time, or not ours to carry */
	SK_TEXT,	/* code with function symbols */
	SK_PIECES,	/* code without symbols: .altinstr_replacement, ... */
	SK_DATA,	/* data with object symbols, or anonymous data */
	SK_STRING,	/* SHF_MERGE|SHF_STRINGS: compared by content */
	SK_CONST,	/* SHF_MERGE constants: compared by content */
	SK_SPECIAL,	/* tables the module loader walks (see special.c) */
	SK_INIT,	/* .init.* and .exit.*: runs at load or unload only */
};

struct od_plan;
struct od_special;
struct od_sym;

struct od_rela {
	GElf_Addr offset;
	unsigned int type;
	GElf_Sxword addend;
	struct od_sym *sym;
	/*
	 * PC-relative field in code: bytes from the field to the end of its
	 * instruction (4, or more when an immediate follows, as in
	 * `movb $1, x(%rip)`); 0 until decoded (then 4 is assumed)
	 */
	unsigned char tail;
};

struct od_sec {
	size_t index;
	char *name;
	GElf_Shdr sh;
	unsigned char *data;	/* NULL for SHT_NOBITS */
	struct od_rela *relas;	/* sorted by offset */
	size_t nrelas;
	enum od_sec_kind kind;
	const struct od_special *special;
	struct od_sym **syms;	/* FUNC/OBJECT defined here, by value */
	size_t nsyms;
	GElf_Addr *cuts;	/* SK_PIECES: piece starts, sorted */
	size_t ncuts;
	struct od_sym **owners;	/* SK_SPECIAL: function of each entry */
	size_t nentries;
};

enum od_state {
	ST_NONE,	/* not classified (aliases, ignored sections) */
	ST_UNCHANGED,
	ST_CHANGED,
	ST_NEW,
};

struct od_sym {
	size_t index;
	char *name;
	GElf_Sym st;
	unsigned char type, bind;
	struct od_sec *sec;		/* NULL: undefined or absolute */
	struct od_sym *canon;		/* itself, or the symbol it aliases */
	struct od_sym *twin;		/* correlated symbol of the other side */
	struct od_sym *parent;		/* foo for foo.cold */
	struct od_sym *cold;		/* foo.cold for foo */
	/* why it cannot leave its shared section (branches.c), or NULL */
	char *stuck;
	/* a numbered static or generated name pairing could not place */
	bool ambiguous;
	enum od_state state;
	int unit;			/* index in the plan, -1 if none */
};

struct od_obj {
	char *path;
	struct od_sec *secs;
	size_t nsecs;
	struct od_sym *syms;
	size_t nsyms;
};

/*
 * Bounds of what objdiff accepts from an object (elfobj.c): a kernel
 * object stays far below them; an object beyond them is refused as
 * malformed, before anything reads it.
 */
#define OD_MAX_SECTIONS		SHN_LORESERVE	/* no extended numbering */
#define OD_MAX_SECTION_SIZE	(1ULL << 30)	/* also SHT_NOBITS */
#define OD_MAX_ALIGN		4096ULL		/* a page */
#define OD_MAX_ENTSIZE		4096ULL
#define OD_MAX_ADDEND		(1LL << 40)

/*
 * Load @path.  0; -1 if it cannot be read (errno); OD_LOAD_MALFORMED if
 * its content breaks a rule of the ELF layer (the message in @err names
 * the section or symbol).  Once loaded, every symbol lies inside its
 * section, every relocation field inside the section it applies to, and
 * every special section is a whole number of entries.
 */
#define OD_LOAD_MALFORMED	(-2)
int od_obj_load(struct od_obj *o, const char *path, char *err, size_t errlen);
/* Bytes a relocation of @type writes; -1 for a type no object holds. */
int od_reloc_field_size(unsigned int type);
void od_obj_free(struct od_obj *o);
/* symindex.c: once loaded, the lookups below */
void od_index_symbols(struct od_obj *o);
void od_compute_cuts(struct od_obj *o);
struct od_sym *od_obj_find(struct od_obj *o, const char *name);
/* The FUNC/OBJECT symbol of @sec covering @off (NULL if none). */
struct od_sym *od_sec_sym_at(struct od_sec *sec, GElf_Sxword off);
bool od_is_func(const struct od_sym *s);
bool od_is_object(const struct od_sym *s);

/* What a relocation refers to, independent of section layout. */
enum od_target_kind {
	TK_SYM,		/* a named symbol (defined or undefined) + off */
	TK_STRING,	/* a string literal + offset into it */
	TK_CONST,	/* a merged constant + offset into it */
	TK_ANON,	/* a place in a section without symbols */
};

struct od_target {
	enum od_target_kind kind;
	struct od_sym *sym;		/* TK_SYM: canonical symbol */
	struct od_sec *sec;		/* section holding the target, or NULL */
	GElf_Sxword secoff;		/* st_value + addend: field = sec + secoff */
	GElf_Sxword off;		/* relative to sym/string/constant start */
	const unsigned char *bytes;	/* TK_STRING / TK_CONST content */
	size_t len;
};

bool od_is_btf_ids(const struct od_sec *sec);
void od_resolve(const struct od_sec *from, const struct od_rela *r,
		struct od_target *t);
GElf_Sxword od_look(const struct od_sec *from, const struct od_rela *r);
/* The piece of an SK_PIECES section holding @off. */
void od_piece(const struct od_sec *sec, GElf_Sxword off, GElf_Addr *start,
	      GElf_Addr *size);
bool od_targets_equal(const struct od_target *a, const struct od_target *b);
bool od_in_reloc_field(const struct od_sec *sec, GElf_Addr off, size_t first,
		       size_t last);
bool od_relas_pair(struct od_sec *a, GElf_Addr aoff, struct od_sec *b,
		   GElf_Addr boff, GElf_Addr size,
		   bool (*same)(const struct od_target *, const struct od_target *,
				void *),
		   void *ctx);
/* Bytes (modulo relocation fields) and relocations of two ranges. */
bool od_ranges_equal(struct od_sec *a, GElf_Addr aoff, struct od_sec *b,
		     GElf_Addr boff, GElf_Addr size, GElf_Addr skip_lo,
		     GElf_Addr skip_hi);
unsigned int od_reloc_width(unsigned int type);
/* First relocation at or after @off in @sec, by index. */
size_t od_rela_lower(const struct od_sec *sec, GElf_Addr off);

/*
 * Disassemble the instruction at @off of @sec, not reading past @end,
 * into @buf; with @symbolic, relocation targets by name (disasm.c).  Its
 * length, or 0 if it cannot be decoded.
 */
unsigned int od_disasm(const struct od_sec *sec, GElf_Addr off, GElf_Addr end,
		       char *buf, size_t len, bool symbolic);
/*
 * Decode @sec's instructions to set the tail of every PC-relative
 * relocation inside one (disasm.c); where decoding fails, the tail stays
 * unknown.
 */
void od_insn_tails(struct od_sec *sec);
/*
 * Call @fn for each instruction of @sec in [@start, @end): its offset,
 * length and AT&T text (branch targets left out).  0 once the walk reaches @end, -1 if an instruction cannot be
 * decoded or runs past @end.
 */
int od_insn_walk(const struct od_sec *sec, GElf_Addr start, GElf_Addr end,
		 void (*fn)(GElf_Addr off, unsigned int len, const char *text,
			    void *ctx),
		 void *ctx);
/*
 * Give back the relocations the assembler left out of branches between
 * functions that share a section (branches.c); mark what cannot move.
 */
void od_resolved_branches(struct od_obj *o);
/* Ranks of same-named statics from the target's module file (sympos.c). */
void od_sympos(struct od_plan *p, struct od_result *res);
/* "foo", "foo+8", "\"a string\"", ".rodata+0x10": what @r points at. */
char *od_target_name(const struct od_sec *sec, const struct od_rela *r);

/* Line maps (linemap.c): @old of @file (any file if NULL) moves to @new. */
bool od_linemap_shift(const struct od_linemap *m, const char *file,
		      unsigned long old, unsigned long new);
/*
 * The ranges differ, if at all, only in line numbers the patch moves
 * (lineonly.c): in immediates of instructions (@code) and in strings
 * relocations point at; @skip_lo..@skip_hi as for od_ranges_equal().
 */
bool od_line_only(const struct od_linemap *m, struct od_sec *a,
		  GElf_Addr aoff, struct od_sec *b, GElf_Addr boff,
		  GElf_Addr size, bool code, GElf_Addr skip_lo,
		  GElf_Addr skip_hi);

/* Special sections: tables of fixed-size entries about code. */
struct od_special {
	const char *name;
	unsigned int entsize;
	unsigned int anchor;		/* offset of the field naming the code */
	const char *parallel;		/* section indexed in step (.orc_unwind) */
	unsigned int parallel_entsize;
	/* bytes that do not matter when comparing (WARN line numbers) */
	unsigned int ignore_off, ignore_len;
	bool compare;			/* entries can change behaviour */
	/* a field that may not refer to a running symbol: refuse, or drop */
	bool droppable;
	int repl_len_off;		/* .altinstructions: replacement len */
};

const struct od_special *od_special_find(const char *name);

/* A piece of the post object the update carries. */
enum od_unit_kind {
	UK_FUNC,	/* a changed or new function (cold part separate) */
	UK_DATA,	/* a new data object */
	UK_SECTION,	/* a whole string/const/anonymous read-only section */
	UK_PIECE,	/* a piece of an SK_PIECES section */
};

struct od_unit {
	enum od_unit_kind kind;
	struct od_sec *sec;
	GElf_Addr start, size;
	struct od_sym *sym;		/* UK_FUNC, UK_DATA */
	char *anchor;			/* global name, or NULL */
	/* output */
	size_t outsec;			/* section index in update.o */
	size_t outsym;			/* its section symbol */
	unsigned char *bytes;		/* copy, with kreloc fields zeroed */
};

/* A relocation of the update object, as decided by the plan. */
struct od_outrela {
	int unit;			/* where the field is, or -1 */
	int entry;			/* or the special entry it is in */
	GElf_Addr offset;		/* in that unit or entry */
	unsigned int type;
	GElf_Sxword addend;
	int target_unit;		/* -1: against an undefined symbol */
	char *undef;			/* undefined symbol name */
	struct od_sym *named;		/* named symbol of target_unit, or NULL */
};

/* A kept entry of a special section. */
struct od_entry {
	struct od_sec *sec;
	size_t index;			/* entry number in the post section */
	bool dropped;
	GElf_Addr outoff;		/* offset in the output section */
};

struct od_plan {
	struct od_obj pre, post;
	const struct od_options *opt;	/* points to optbuf */
	struct od_options optbuf;	/* strings owned */
	struct od_unit *units;
	size_t nunits;
	struct od_outrela *relas;
	size_t nrelas;
	struct od_entry *entries;
	size_t nentries;
	char **undefs;
	size_t nundefs;
};

/* Messages (report.c). */
void od_msg(struct od_result *res, enum od_msg_kind kind, const char *sym,
	    const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

void od_correlate(struct od_obj *pre, struct od_obj *post);
char *od_norm_name(const char *name);
/* Numbered statics and generated names (statics.c). */
bool od_is_generated(const char *name);
char *od_static_base(const char *name);
bool od_is_numbered_static(const struct od_sym *s);
void od_pair_statics(struct od_obj *pre, struct od_obj *post);
/*
 * Align @a's relocations (pre) with @b's (post) and call @vote for each
 * numbered static (@pbase/@qbase: base names, NULL for others) aligned
 * with one of the other side (statics-align.c).
 */
void od_align_statics(char **pbase, struct od_sym *a, char **qbase,
		      struct od_sym *b, bool by_msg,
		      void (*vote)(void *, struct od_sym *, struct od_sym *),
		      void *ctx);
void od_find_owners(struct od_obj *o);
void od_classify(struct od_plan *p, struct od_result *res);
int od_plan_build(struct od_plan *p, struct od_result *res);
/* Carry @s (a unit of its own) and give it an anchor; its unit index. */
int od_plan_carry(struct od_plan *p, struct od_sym *s);
/* The text the engine never patches that @sec is ("noinstr text"), or NULL. */
const char *od_forbidden_text(const struct od_sec *sec);
const char *od_plan_anchor(struct od_plan *p, int unit);
/* Hooks of <ksplice/patch.h> (hooks.c): an alias naming one; roots. */
bool od_is_hook(const struct od_sym *s);
int od_plan_hooks(struct od_plan *p, struct od_result *res);
void od_hooks_free(struct od_result *res);
int od_emit(struct od_plan *p, const char *path);
/* Fill @f's run-pre data from @fn, its pre symbol.  0, or -1 if refused. */
int od_runpre(struct od_plan *p, struct od_result *res, struct od_sym *fn,
	      struct od_func *f);
/* @mask[i] = 0 where the kernel rewrites byte @start + i of @code. */
/* The engine's name of a symbol @p's object defines (runpre.c). */
char *od_sym_key(const struct od_plan *p, const struct od_sym *sym);
char *od_section_key(const struct od_plan *p, const struct od_sec *sec);
void od_rewritten_mask(const struct od_obj *o, const struct od_sec *code,
		       GElf_Addr start, GElf_Addr size, unsigned char *mask);

/* Helpers. */
void *od_xcalloc(size_t n, size_t size);
void *od_xrealloc(void *ptr, size_t n, size_t size);
char *od_xstrdup(const char *s);
char *od_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "foo" for "foo.cold", "foo.part.3", "foo.isra.0.cold", "x.12"... */
char *od_base_name(const char *name);
bool od_has_suffix(const char *name, const char *suffix);

#endif /* _OBJDIFF_INTERNAL_H */
