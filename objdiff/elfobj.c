// SPDX-License-Identifier: GPL-2.0
/*
 * Load a relocatable x86-64 object into plain arrays, so that the rest of
 * objdiff never touches libelf and the file can be closed at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

static int load_err(char *err, size_t len, const char *path, const char *what)
{
	snprintf(err, len, "%s: %s", path, what);
	return -1;
}

static const char *const ignored_prefixes[] = {
	".discard", ".note", ".comment", ".modinfo", "__ksymtab", "___ksymtab",
	"__kcrctab", "___kcrctab", "__ksymtab_strings", ".gnu.linkonce",
	"__versions", ".BTF", ".llvm", NULL,
};

static enum od_sec_kind sec_kind(struct od_sec *s)
{
	const char *const *p;
	const GElf_Shdr *sh = &s->sh;

	if (!(sh->sh_flags & SHF_ALLOC) || sh->sh_type == SHT_RELA ||
	    sh->sh_type == SHT_REL || sh->sh_type == SHT_GROUP)
		return SK_IGNORE;
	for (p = ignored_prefixes; *p; p++)
		if (!strncmp(s->name, *p, strlen(*p)))
			return SK_IGNORE;
	s->special = od_special_find(s->name);
	if (s->special)
		return SK_SPECIAL;
	if (!strncmp(s->name, ".init.", 6) || !strncmp(s->name, ".exit.", 6))
		return SK_INIT;
	if (sh->sh_flags & SHF_EXECINSTR)
		return SK_TEXT;	/* SK_PIECES once we know it has no functions */
	if ((sh->sh_flags & SHF_MERGE) && (sh->sh_flags & SHF_STRINGS))
		return SK_STRING;
	if (sh->sh_flags & SHF_MERGE)
		return SK_CONST;
	return SK_DATA;
}

static int load_sections(struct od_obj *o, Elf *elf, size_t shstrndx,
			 char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;

	if (elf_getshdrnum(elf, &o->nsecs))
		return load_err(err, errlen, o->path, elf_errmsg(-1));
	o->secs = od_xcalloc(o->nsecs, sizeof(*o->secs));
	o->secs[0].name = od_xstrdup("");
	while ((scn = elf_nextscn(elf, scn))) {
		size_t i = elf_ndxscn(scn);
		struct od_sec *s = &o->secs[i];
		Elf_Data *d;
		const char *name;

		s->index = i;
		if (!gelf_getshdr(scn, &s->sh))
			return load_err(err, errlen, o->path, elf_errmsg(-1));
		name = elf_strptr(elf, shstrndx, s->sh.sh_name);
		s->name = od_xstrdup(name ? name : "");
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size) {
			d = elf_getdata(scn, NULL);
			if (!d || d->d_size != s->sh.sh_size)
				return load_err(err, errlen, o->path,
						"unreadable section");
			s->data = od_xcalloc(1, d->d_size);
			memcpy(s->data, d->d_buf, d->d_size);
		}
		s->kind = sec_kind(s);
	}
	return 0;
}

static int load_symbols(struct od_obj *o, Elf *elf, Elf_Scn *symscn,
			size_t strndx, char *err, size_t errlen)
{
	Elf_Data *d = elf_getdata(symscn, NULL);
	GElf_Shdr sh;
	size_t i;

	if (!d || !gelf_getshdr(symscn, &sh) || !sh.sh_entsize)
		return load_err(err, errlen, o->path, "unreadable symbol table");
	o->nsyms = sh.sh_size / sh.sh_entsize;
	o->syms = od_xcalloc(o->nsyms, sizeof(*o->syms));
	for (i = 0; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i];
		const char *name;

		if (!gelf_getsym(d, i, &s->st))
			return load_err(err, errlen, o->path, "bad symbol");
		s->index = i;
		s->unit = -1;
		s->canon = s;
		name = elf_strptr(elf, strndx, s->st.st_name);
		s->type = GELF_ST_TYPE(s->st.st_info);
		s->bind = GELF_ST_BIND(s->st.st_info);
		if (s->st.st_shndx == SHN_XINDEX)
			return load_err(err, errlen, o->path,
					"extended section indexes");
		if (s->st.st_shndx != SHN_UNDEF && s->st.st_shndx < SHN_LORESERVE &&
		    s->st.st_shndx < o->nsecs)
			s->sec = &o->secs[s->st.st_shndx];
		if (s->type == STT_SECTION && s->sec)
			name = s->sec->name;
		s->name = od_xstrdup(name ? name : "");
	}
	return 0;
}

static int rela_cmp(const void *a, const void *b)
{
	const struct od_rela *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int load_relas(struct od_obj *o, Elf *elf, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		struct od_sec *rs = &o->secs[elf_ndxscn(scn)], *to;
		Elf_Data *d;
		size_t i, n;

		if (rs->sh.sh_type == SHT_REL)
			return load_err(err, errlen, o->path, "SHT_REL section");
		if (rs->sh.sh_type != SHT_RELA)
			continue;
		if (rs->sh.sh_info >= o->nsecs || !rs->sh.sh_entsize)
			return load_err(err, errlen, o->path, "bad SHT_RELA");
		to = &o->secs[rs->sh.sh_info];
		d = elf_getdata(scn, NULL);
		n = rs->sh.sh_size / rs->sh.sh_entsize;
		to->relas = od_xcalloc(n ? n : 1, sizeof(*to->relas));
		to->nrelas = n;
		for (i = 0; i < n; i++) {
			GElf_Rela r;
			size_t sym;

			if (!d || !gelf_getrela(d, i, &r))
				return load_err(err, errlen, o->path, "bad rela");
			sym = GELF_R_SYM(r.r_info);
			if (sym >= o->nsyms)
				return load_err(err, errlen, o->path,
						"rela symbol out of range");
			to->relas[i].offset = r.r_offset;
			to->relas[i].type = GELF_R_TYPE(r.r_info);
			to->relas[i].addend = r.r_addend;
			to->relas[i].sym = &o->syms[sym];
		}
		qsort(to->relas, n, sizeof(*to->relas), rela_cmp);
	}
	return 0;
}

static int sym_value_cmp(const void *a, const void *b)
{
	const struct od_sym *x = *(const struct od_sym **)a;
	const struct od_sym *y = *(const struct od_sym **)b;

	if (x->st.st_value != y->st.st_value)
		return x->st.st_value < y->st.st_value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Index each section's functions and objects, pick the canonical symbol of
 * aliases (init_module for hello_init: the first one, locals come first),
 * and find which executable sections hold no function at all.
 */
static void index_symbols(struct od_obj *o)
{
	size_t i;

	for (i = 0; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i];
		struct od_sec *sec = s->sec;

		if (!sec || (s->type != STT_FUNC && s->type != STT_OBJECT))
			continue;
		sec->syms = od_xrealloc(sec->syms, sec->nsyms + 1,
					sizeof(*sec->syms));
		sec->syms[sec->nsyms++] = s;
	}
	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *sec = &o->secs[i];
		size_t j;

		if (sec->nsyms)
			qsort(sec->syms, sec->nsyms, sizeof(*sec->syms),
			      sym_value_cmp);
		for (j = 1; j < sec->nsyms; j++) {
			struct od_sym *a = sec->syms[j - 1]->canon;
			struct od_sym *b = sec->syms[j];

			if (a->st.st_value == b->st.st_value &&
			    a->st.st_size == b->st.st_size && a->type == b->type)
				b->canon = a->index < b->index ? a : b;
		}
		if (sec->kind == SK_TEXT) {
			bool has_func = false;

			for (j = 0; j < sec->nsyms; j++)
				has_func |= sec->syms[j]->type == STT_FUNC;
			if (!has_func)
				sec->kind = SK_PIECES;
		}
	}
	/* foo.cold belongs to foo */
	for (i = 0; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i], *p;
		char *base;

		if (s->type != STT_FUNC || !s->sec || !od_has_suffix(s->name, ".cold"))
			continue;
		base = od_xstrdup(s->name);
		base[strlen(base) - 5] = '\0';
		p = od_obj_find(o, base);
		free(base);
		if (p && p->type == STT_FUNC && p->sec) {
			s->parent = p;
			p->cold = s;
		}
	}
}

static int addr_cmp(const void *a, const void *b)
{
	GElf_Addr x = *(const GElf_Addr *)a, y = *(const GElf_Addr *)b;

	return x < y ? -1 : x > y;
}

/*
 * Code without symbols (.altinstr_replacement, .altinstr_aux) is cut into
 * pieces where something refers to it: each piece belongs to whatever
 * refers to its start.
 */
static void compute_cuts(struct od_obj *o)
{
	size_t i, j;

	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *from = &o->secs[i];

		for (j = 0; j < from->nrelas; j++) {
			struct od_sec *to = from->relas[j].sym->sec;
			GElf_Sxword look;

			if (!to || to->kind != SK_PIECES ||
			    from->relas[j].sym->type == STT_FUNC)
				continue;
			look = od_look(from, &from->relas[j]);
			if (look < 0 || look >= (GElf_Sxword)to->sh.sh_size)
				continue;
			to->cuts = od_xrealloc(to->cuts, to->ncuts + 1,
					       sizeof(*to->cuts));
			to->cuts[to->ncuts++] = look;
		}
	}
	for (i = 0; i < o->nsecs; i++) {
		struct od_sec *s = &o->secs[i];
		size_t n = 0;

		if (!s->ncuts)
			continue;
		qsort(s->cuts, s->ncuts, sizeof(*s->cuts), addr_cmp);
		for (j = 0; j < s->ncuts; j++)
			if (!n || s->cuts[n - 1] != s->cuts[j])
				s->cuts[n++] = s->cuts[j];
		s->ncuts = n;
	}
}

int od_obj_load(struct od_obj *o, const char *path, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	size_t shstrndx, strndx = 0;
	GElf_Ehdr eh;
	Elf *elf;
	int fd, ret = -1;

	memset(o, 0, sizeof(*o));
	o->path = od_xstrdup(path);
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		load_err(err, errlen, path, "not an ELF file");
		goto out;
	}
	if (eh.e_type != ET_REL || eh.e_machine != EM_X86_64 ||
	    gelf_getclass(elf) != ELFCLASS64) {
		load_err(err, errlen, path, "not an x86-64 relocatable object");
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx) ||
	    load_sections(o, elf, shstrndx, err, errlen))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		if (o->secs[elf_ndxscn(scn)].sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			strndx = o->secs[elf_ndxscn(scn)].sh.sh_link;
		}
	}
	if (!symscn) {
		load_err(err, errlen, path, "no symbol table");
		goto out;
	}
	if (load_symbols(o, elf, symscn, strndx, err, errlen) ||
	    load_relas(o, elf, err, errlen))
		goto out;
	index_symbols(o);
	compute_cuts(o);
	ret = 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

void od_obj_free(struct od_obj *o)
{
	size_t i;

	for (i = 0; i < o->nsecs; i++) {
		free(o->secs[i].name);
		free(o->secs[i].data);
		free(o->secs[i].relas);
		free(o->secs[i].syms);
		free(o->secs[i].cuts);
		free(o->secs[i].owners);
	}
	for (i = 0; i < o->nsyms; i++)
		free(o->syms[i].name);
	free(o->secs);
	free(o->syms);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

struct od_sym *od_obj_find(struct od_obj *o, const char *name)
{
	size_t i;

	for (i = 1; i < o->nsyms; i++)
		if (o->syms[i].type != STT_SECTION && o->syms[i].type != STT_FILE &&
		    !strcmp(o->syms[i].name, name))
			return &o->syms[i];
	return NULL;
}

struct od_sym *od_sec_sym_at(struct od_sec *sec, GElf_Sxword off)
{
	struct od_sym *best = NULL;
	size_t i;

	for (i = 0; i < sec->nsyms; i++) {
		struct od_sym *s = sec->syms[i]->canon;
		GElf_Sxword v = (GElf_Sxword)s->st.st_value;

		if (off >= v && off < v + (GElf_Sxword)s->st.st_size)
			return s;
		/* a reference just past the end (ORC terminators) */
		if (off == v + (GElf_Sxword)s->st.st_size && !best)
			best = s;
	}
	if (!best && sec->nsyms == 1)
		best = sec->syms[0]->canon;	/* e.g. cmpl $imm, var(%rip) */
	return best;
}

bool od_is_func(const struct od_sym *s)
{
	return s->type == STT_FUNC && s->sec && s->canon == s;
}

bool od_is_object(const struct od_sym *s)
{
	return s->type == STT_OBJECT && s->sec && s->canon == s;
}
