// SPDX-License-Identifier: GPL-2.0
/*
 * Load a relocatable x86-64 object into plain arrays, so that the rest of
 * objdiff never touches libelf and the file can be closed at once.
 *
 * This is also where an object is checked, once, for everything the rest
 * of objdiff relies on (objects may be hostile): names inside their
 * string tables, sizes, counts and alignments bounded, every symbol
 * inside its section, every relocation field inside the section it
 * applies to with a symbol of the table, tables of fixed-size entries a
 * whole number of entries.  A broken rule makes od_obj_load() return
 * OD_LOAD_MALFORMED with a message naming the section or symbol.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

/* A rule of the ELF layer broken: name what broke it. */
static int __attribute__((format(printf, 4, 5)))
malformed(char *err, size_t len, const char *path, const char *fmt, ...)
{
	int n = snprintf(err, len, "%s: malformed object: ", path);
	va_list ap;

	if (n >= 0 && (size_t)n < len) {
		va_start(ap, fmt);
		vsnprintf(err + n, len - n, fmt, ap);
		va_end(ap);
	}
	return OD_LOAD_MALFORMED;
}

/* [@off, @off + @len) inside [0, @size), without wrapping. */
static bool within(GElf_Addr off, GElf_Addr len, GElf_Addr size)
{
	return off <= size && len <= size - off;
}

static bool power_of_two(GElf_Xword x)
{
	return x && !(x & (x - 1));
}

int od_reloc_field_size(unsigned int type)
{
	switch (type) {
	case R_X86_64_NONE:
	case R_X86_64_TLSDESC_CALL:
		return 0;
	case R_X86_64_8:
	case R_X86_64_PC8:
		return 1;
	case R_X86_64_16:
	case R_X86_64_PC16:
		return 2;
	case R_X86_64_PC32:
	case R_X86_64_GOT32:
	case R_X86_64_PLT32:
	case R_X86_64_GOTPCREL:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_TLSGD:
	case R_X86_64_TLSLD:
	case R_X86_64_DTPOFF32:
	case R_X86_64_GOTTPOFF:
	case R_X86_64_TPOFF32:
	case R_X86_64_GOTPC32:
	case R_X86_64_SIZE32:
	case R_X86_64_GOTPC32_TLSDESC:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return 4;
	case R_X86_64_64:
	case R_X86_64_DTPMOD64:
	case R_X86_64_DTPOFF64:
	case R_X86_64_TPOFF64:
	case R_X86_64_PC64:
	case R_X86_64_GOTOFF64:
	case R_X86_64_GOT64:
	case R_X86_64_GOTPCREL64:
	case R_X86_64_GOTPC64:
	case R_X86_64_GOTPLT64:
	case R_X86_64_PLTOFF64:
	case R_X86_64_SIZE64:
		return 8;
	default:
		return -1;	/* unknown, or only in linked files */
	}
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

/*
 * The header of every section: its name inside the section name table, a
 * bounded size and alignment, the entry size of the tables objdiff walks.
 */
static int check_section(struct od_obj *o, struct od_sec *s, char *err,
			 size_t errlen)
{
	const GElf_Shdr *sh = &s->sh;
	const char *n = s->name;
	GElf_Xword es = 0;

	if (sh->sh_size > OD_MAX_SECTION_SIZE)
		return malformed(err, errlen, o->path, "section %s: size %llu "
				 "over %llu", n, (unsigned long long)sh->sh_size,
				 OD_MAX_SECTION_SIZE);
	if (sh->sh_addralign && (!power_of_two(sh->sh_addralign) ||
				 sh->sh_addralign > OD_MAX_ALIGN))
		return malformed(err, errlen, o->path, "section %s: alignment "
				 "%llu is not a power of two up to %llu", n,
				 (unsigned long long)sh->sh_addralign,
				 OD_MAX_ALIGN);
	if (sh->sh_entsize > OD_MAX_ENTSIZE)
		return malformed(err, errlen, o->path, "section %s: entry size "
				 "%llu over %llu", n,
				 (unsigned long long)sh->sh_entsize, OD_MAX_ENTSIZE);
	switch (sh->sh_type) {
	case SHT_SYMTAB:
		es = sizeof(Elf64_Sym);
		break;
	case SHT_RELA:
		es = sizeof(Elf64_Rela);
		break;
	case SHT_GROUP:
		es = sizeof(Elf32_Word);
		break;
	}
	if (es && sh->sh_entsize != es)
		return malformed(err, errlen, o->path, "section %s: entry size "
				 "%llu, not %llu", n,
				 (unsigned long long)sh->sh_entsize,
				 (unsigned long long)es);
	if (!es && (sh->sh_flags & SHF_MERGE))
		es = sh->sh_entsize;
	if (s->special && sh->sh_type != SHT_NOBITS)
		es = s->special->entsize;
	if (es && sh->sh_size % es)
		return malformed(err, errlen, o->path, "section %s: size %llu "
				 "is not a whole number of %llu-byte entries%s", n,
				 (unsigned long long)sh->sh_size,
				 (unsigned long long)es, s->special ?
				 " (a corrupt table, or another kernel's layout)" :
				 "");
	return 0;
}

/* A section group: a flag word, then the indexes of its members. */
static int check_group(struct od_obj *o, struct od_sec *s, char *err,
		       size_t errlen)
{
	size_t i, n = s->sh.sh_size / sizeof(Elf32_Word);
	Elf32_Word w;

	if (!s->data)
		return malformed(err, errlen, o->path, "section group %s: "
				 "empty", s->name);
	for (i = 1; i < n; i++) {
		memcpy(&w, s->data + i * sizeof(w), sizeof(w));
		if (!w || w >= o->nsecs)
			return malformed(err, errlen, o->path, "section group "
					 "%s: member %zu is section %u, not one "
					 "of the %zu sections", s->name, i,
					 (unsigned int)w, o->nsecs);
	}
	return 0;
}

static int load_sections(struct od_obj *o, Elf *elf, size_t shstrndx,
			 char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	size_t i, n;
	int ret;

	if (elf_getshdrnum(elf, &n))
		return malformed(err, errlen, o->path, "section headers: %s",
				 elf_errmsg(-1));
	if (!n || n >= OD_MAX_SECTIONS)
		return malformed(err, errlen, o->path, "%zu sections (1 to %u)",
				 n, OD_MAX_SECTIONS - 1);
	if (!shstrndx || shstrndx >= n)
		return malformed(err, errlen, o->path, "no section name table "
				 "(index %zu)", shstrndx);
	o->secs = od_xcalloc(n, sizeof(*o->secs));
	o->nsecs = n;
	o->secs[0].name = od_xstrdup("");
	while ((scn = elf_nextscn(elf, scn))) {
		struct od_sec *s;
		Elf_Data *d;
		const char *name;

		i = elf_ndxscn(scn);
		if (!i || i >= o->nsecs)
			return malformed(err, errlen, o->path, "section index "
					 "%zu out of range", i);
		s = &o->secs[i];
		s->index = i;
		if (!gelf_getshdr(scn, &s->sh))
			return malformed(err, errlen, o->path, "section %zu: %s",
					 i, elf_errmsg(-1));
		name = elf_strptr(elf, shstrndx, s->sh.sh_name);
		if (!name)
			return malformed(err, errlen, o->path, "section %zu: "
					 "name at %u outside the section name "
					 "table", i, (unsigned int)s->sh.sh_name);
		s->name = od_xstrdup(name);
		s->kind = sec_kind(s);
		ret = check_section(o, s, err, errlen);
		if (ret)
			return ret;
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size) {
			d = elf_getdata(scn, NULL);
			if (!d || d->d_size != s->sh.sh_size || !d->d_buf)
				return malformed(err, errlen, o->path, "section "
						 "%s: contents outside the file",
						 s->name);
			s->data = od_xcalloc(1, d->d_size);
			memcpy(s->data, d->d_buf, d->d_size);
		}
		if (s->sh.sh_type == SHT_GROUP) {
			ret = check_group(o, s, err, errlen);
			if (ret)
				return ret;
		}
	}
	for (i = 1; i < o->nsecs; i++)
		if (!o->secs[i].name)
			return malformed(err, errlen, o->path, "section %zu "
					 "missing", i);
	if (o->secs[shstrndx].sh.sh_type != SHT_STRTAB)
		return malformed(err, errlen, o->path, "section name table %s "
				 "is not a string table", o->secs[shstrndx].name);
	return 0;
}

/* Where a symbol is defined: a section of the object, or none. */
static int place_symbol(struct od_obj *o, struct od_sym *s, char *err,
			size_t errlen)
{
	GElf_Section shndx = s->st.st_shndx;
	const struct od_sec *sec;

	if (shndx == SHN_UNDEF || shndx == SHN_ABS || shndx == SHN_COMMON)
		return 0;
	if (shndx >= SHN_LORESERVE || shndx >= o->nsecs)
		return malformed(err, errlen, o->path, "symbol %s (%zu): section "
				 "index %u %s", s->name, s->index,
				 (unsigned int)shndx, shndx == SHN_XINDEX ?
				 "(extended section indexes)" : "out of range");
	sec = &o->secs[shndx];
	if (sec->sh.sh_type == SHT_NULL || sec->sh.sh_type == SHT_SYMTAB ||
	    sec->sh.sh_type == SHT_RELA || sec->sh.sh_type == SHT_GROUP)
		return malformed(err, errlen, o->path, "symbol %s (%zu): "
				 "defined in %s, a section of type %u", s->name,
				 s->index, sec->name,
				 (unsigned int)sec->sh.sh_type);
	if (!within(s->st.st_value, s->st.st_size, sec->sh.sh_size))
		return malformed(err, errlen, o->path, "symbol %s (%zu): "
				 "value 0x%llx size 0x%llx outside section %s "
				 "(size 0x%llx)", s->name, s->index,
				 (unsigned long long)s->st.st_value,
				 (unsigned long long)s->st.st_size, sec->name,
				 (unsigned long long)sec->sh.sh_size);
	s->sec = &o->secs[shndx];
	return 0;
}

static int load_symbols(struct od_obj *o, Elf *elf, Elf_Scn *symscn,
			size_t strndx, char *err, size_t errlen)
{
	Elf_Data *d = elf_getdata(symscn, NULL);
	struct od_sec *symsec = &o->secs[elf_ndxscn(symscn)];
	size_t i, n;
	int ret;

	if (!strndx || strndx >= o->nsecs ||
	    o->secs[strndx].sh.sh_type != SHT_STRTAB)
		return malformed(err, errlen, o->path, "symbol table %s: string "
				 "table %zu is not one", symsec->name, strndx);
	if (!d || d->d_size != symsec->sh.sh_size)
		return malformed(err, errlen, o->path, "symbol table %s: "
				 "unreadable", symsec->name);
	n = symsec->sh.sh_size / sizeof(Elf64_Sym);
	if (!n || symsec->sh.sh_info > n)
		return malformed(err, errlen, o->path, "symbol table %s: %zu "
				 "symbols, first global %u", symsec->name, n,
				 (unsigned int)symsec->sh.sh_info);
	o->syms = od_xcalloc(n, sizeof(*o->syms));
	o->nsyms = n;
	for (i = 0; i < o->nsyms; i++) {
		struct od_sym *s = &o->syms[i];
		const char *name;

		s->index = i;
		s->unit = -1;
		s->canon = s;
		if (!gelf_getsym(d, i, &s->st))
			return malformed(err, errlen, o->path, "symbol %zu: "
					 "unreadable", i);
		name = elf_strptr(elf, strndx, s->st.st_name);
		if (!name)
			return malformed(err, errlen, o->path, "symbol %zu: name "
					 "at %u outside string table %s", i,
					 (unsigned int)s->st.st_name,
					 o->secs[strndx].name);
		s->name = od_xstrdup(name);
		s->type = GELF_ST_TYPE(s->st.st_info);
		s->bind = GELF_ST_BIND(s->st.st_info);
		ret = place_symbol(o, s, err, errlen);
		if (ret)
			return ret;
		if (s->type == STT_SECTION && s->sec) {
			free(s->name);
			s->name = od_xstrdup(s->sec->name);
		}
	}
	return 0;
}

static int rela_cmp(const void *a, const void *b)
{
	const struct od_rela *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * Relocation sections: each applies to one section of contents, names
 * symbols of the symbol table, and has every field inside that section.
 */
static int load_relas(struct od_obj *o, Elf *elf, size_t symndx, char *err,
		      size_t errlen)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		struct od_sec *rs = &o->secs[elf_ndxscn(scn)], *to;
		Elf_Data *d;
		size_t i, n;

		if (rs->sh.sh_type == SHT_REL)
			return malformed(err, errlen, o->path, "section %s: "
					 "SHT_REL (x86-64 objects use SHT_RELA)",
					 rs->name);
		if (rs->sh.sh_type != SHT_RELA)
			continue;
		if (!rs->sh.sh_info || rs->sh.sh_info >= o->nsecs ||
		    rs->sh.sh_link != symndx)
			return malformed(err, errlen, o->path, "relocation "
					 "section %s: applies to section %u with "
					 "symbol table %u", rs->name,
					 (unsigned int)rs->sh.sh_info,
					 (unsigned int)rs->sh.sh_link);
		to = &o->secs[rs->sh.sh_info];
		if (to->sh.sh_type == SHT_NULL || to->sh.sh_type == SHT_NOBITS ||
		    to->sh.sh_type == SHT_RELA || to->sh.sh_type == SHT_SYMTAB ||
		    to->sh.sh_type == SHT_GROUP)
			return malformed(err, errlen, o->path, "relocation "
					 "section %s: applies to %s, a section "
					 "of type %u", rs->name, to->name,
					 (unsigned int)to->sh.sh_type);
		if (to->relas)
			return malformed(err, errlen, o->path, "relocation "
					 "section %s: a second one for %s",
					 rs->name, to->name);
		d = elf_getdata(scn, NULL);
		n = rs->sh.sh_size / sizeof(Elf64_Rela);
		if (n && (!d || d->d_size != rs->sh.sh_size))
			return malformed(err, errlen, o->path, "relocation "
					 "section %s: unreadable", rs->name);
		to->relas = od_xcalloc(n ? n : 1, sizeof(*to->relas));
		to->nrelas = n;
		for (i = 0; i < n; i++) {
			GElf_Rela r;
			size_t sym;
			int width;

			if (!gelf_getrela(d, i, &r))
				return malformed(err, errlen, o->path, "%s: "
						 "relocation %zu unreadable",
						 rs->name, i);
			sym = GELF_R_SYM(r.r_info);
			width = od_reloc_field_size(GELF_R_TYPE(r.r_info));
			if (sym >= o->nsyms)
				return malformed(err, errlen, o->path, "%s: "
						 "relocation %zu names symbol "
						 "%zu of %zu", rs->name, i, sym,
						 o->nsyms);
			if (width < 0)
				return malformed(err, errlen, o->path, "%s: "
						 "relocation %zu has type %u, "
						 "unknown in an x86-64 object",
						 rs->name, i, (unsigned int)
						 GELF_R_TYPE(r.r_info));
			if (!within(r.r_offset, width, to->sh.sh_size))
				return malformed(err, errlen, o->path, "%s: "
						 "relocation %zu at 0x%llx (%d "
						 "bytes) outside %s (size "
						 "0x%llx)", rs->name, i,
						 (unsigned long long)r.r_offset,
						 width, to->name,
						 (unsigned long long)
						 to->sh.sh_size);
			if (r.r_addend > OD_MAX_ADDEND ||
			    r.r_addend < -OD_MAX_ADDEND)
				return malformed(err, errlen, o->path, "%s: "
						 "relocation %zu: addend %lld out "
						 "of range", rs->name, i,
						 (long long)r.r_addend);
			to->relas[i].offset = r.r_offset;
			to->relas[i].type = GELF_R_TYPE(r.r_info);
			to->relas[i].addend = r.r_addend;
			to->relas[i].sym = &o->syms[sym];
		}
		qsort(to->relas, n, sizeof(*to->relas), rela_cmp);
	}
	return 0;
}

int od_obj_load(struct od_obj *o, const char *path, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	size_t shstrndx, strndx = 0, symndx = 0;
	GElf_Ehdr eh;
	Elf *elf;
	int fd, ret = OD_LOAD_MALFORMED;

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
		malformed(err, errlen, path, "not an ELF file");
		goto out;
	}
	if (eh.e_type != ET_REL || eh.e_machine != EM_X86_64 ||
	    gelf_getclass(elf) != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		malformed(err, errlen, path, "not an x86-64 relocatable object");
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		malformed(err, errlen, path, "no section name table: %s",
			  elf_errmsg(-1));
		goto out;
	}
	ret = load_sections(o, elf, shstrndx, err, errlen);
	if (ret)
		goto out;
	ret = OD_LOAD_MALFORMED;
	while ((scn = elf_nextscn(elf, scn))) {
		if (o->secs[elf_ndxscn(scn)].sh.sh_type != SHT_SYMTAB)
			continue;
		if (symscn) {
			malformed(err, errlen, path, "two symbol tables");
			goto out;
		}
		symscn = scn;
		symndx = elf_ndxscn(scn);
		strndx = o->secs[symndx].sh.sh_link;
	}
	if (!symscn) {
		malformed(err, errlen, path, "no symbol table");
		goto out;
	}
	ret = load_symbols(o, elf, symscn, strndx, err, errlen);
	if (!ret)
		ret = load_relas(o, elf, symndx, err, errlen);
	if (ret)
		goto out;
	od_index_symbols(o);
	od_resolved_branches(o);
	for (size_t i = 0; i < o->nsecs; i++)
		od_insn_tails(&o->secs[i]);
	od_compute_cuts(o);
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
	for (i = 0; i < o->nsyms; i++) {
		free(o->syms[i].name);
		free(o->syms[i].stuck);
	}
	free(o->secs);
	free(o->syms);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
