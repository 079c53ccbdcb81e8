// SPDX-License-Identifier: GPL-2.0
/*
 * Write the update object planned by plan.c: one section per carried unit
 * (under its original name, so ld -r and the module loader treat it as
 * they would in the target), the kept special-section entries, a symbol
 * table and the relocations.  Fields the engine fills are zeroed and have
 * no ELF relocation.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

struct buf {
	unsigned char *p;
	size_t len;
};

static size_t buf_add(struct buf *b, const void *data, size_t len)
{
	size_t off = b->len;

	b->p = od_xrealloc(b->p, b->len + len + 1, 1);
	if (data)
		memcpy(b->p + off, data, len);
	else
		memset(b->p + off, 0, len);
	b->len += len;
	return off;
}

static size_t str_add(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s) + 1);
}

/* An output section of content. */
struct osec {
	const char *name;
	GElf_Shdr sh;
	struct buf data;
	size_t index;		/* in update.o */
	size_t secsym;		/* its section symbol */
	Elf64_Rela *relas;
	size_t nrelas;
	struct od_sec *special;	/* post section, for special outputs */
};

struct writer {
	struct od_plan *p;
	struct osec *secs;
	size_t nsecs;
	Elf64_Sym *syms;
	size_t nsyms, nlocals;
	struct buf strtab;
	size_t *unit_named;	/* named symbol index of each unit, or 0 */
	char **undefs;
	size_t *undef_sym;
	size_t nundefs;
};

static struct osec *new_osec(struct writer *w, struct od_sec *from)
{
	struct osec *o;

	w->secs = od_xrealloc(w->secs, w->nsecs + 1, sizeof(*w->secs));
	o = &w->secs[w->nsecs++];
	memset(o, 0, sizeof(*o));
	o->name = from->name;
	o->sh = from->sh;
	o->sh.sh_flags &= ~(GElf_Xword)SHF_GROUP;
	o->sh.sh_size = 0;
	return o;
}

static void build_units(struct writer *w)
{
	struct od_plan *p = w->p;
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		struct od_unit *u = &p->units[i];
		struct osec *o = new_osec(w, u->sec);

		if (u->sec->sh.sh_type == SHT_NOBITS)
			o->sh.sh_size = u->size;
		else	/* an empty section has no data */
			buf_add(&o->data, u->size ? u->sec->data + u->start :
				NULL, u->size);
		u->outsec = w->nsecs - 1;
	}
	/* zero the fields the engine fills */
	for (i = 0; i < p->nrelas; i++) {
		struct od_outrela *r = &p->relas[i];
		struct osec *o;

		if (r->target_unit != -2 || r->unit < 0)
			continue;
		o = &w->secs[p->units[r->unit].outsec];
		if (o->data.p)
			memset(o->data.p + r->offset, 0, od_reloc_width(r->type));
	}
}

static struct od_sec *post_sec(struct od_plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->post.nsecs; i++)
		if (!strcmp(p->post.secs[i].name, name))
			return &p->post.secs[i];
	return NULL;
}

/* The kept entries of each special section, in their original order. */
static void build_specials(struct writer *w)
{
	struct od_plan *p = w->p;
	size_t i, j;

	for (i = 0; i < p->post.nsecs; i++) {
		struct od_sec *sec = &p->post.secs[i];
		const struct od_special *sp = sec->special;
		struct osec *o = NULL, *par = NULL;
		struct od_sec *psec = NULL;

		if (sec->kind != SK_SPECIAL || sp->entsize == 6)
			continue;
		for (j = 0; j < p->nentries; j++) {
			struct od_entry *e = &p->entries[j];

			if (e->sec != sec || e->dropped)
				continue;
			if (!o) {
				o = new_osec(w, sec);
				o->special = sec;
				if (sp->parallel)
					psec = post_sec(p, sp->parallel);
				if (psec) {
					par = new_osec(w, psec);
					o = &w->secs[w->nsecs - 2];
				}
			}
			e->outoff = buf_add(&o->data, sec->data +
					    e->index * sp->entsize, sp->entsize);
			if (par && psec->data && psec->sh.sh_size >=
			    (e->index + 1) * sp->parallel_entsize)
				buf_add(&par->data, psec->data + e->index *
					sp->parallel_entsize, sp->parallel_entsize);
		}
	}
}

static size_t add_sym(struct writer *w, const char *name, unsigned char bind,
		      unsigned char type, size_t shndx, GElf_Addr value,
		      GElf_Xword size)
{
	Elf64_Sym *s;

	w->syms = od_xrealloc(w->syms, w->nsyms + 1, sizeof(*w->syms));
	s = &w->syms[w->nsyms];
	memset(s, 0, sizeof(*s));
	s->st_name = name && name[0] ? str_add(&w->strtab, name) : 0;
	s->st_info = ELF64_ST_INFO(bind, type);
	s->st_shndx = shndx;
	s->st_value = value;
	s->st_size = size;
	return w->nsyms++;
}

static bool named_local(const struct od_unit *u)
{
	return u->sym && (u->sym->bind == STB_LOCAL || u->sym->state == ST_CHANGED);
}

/* Section indexes are: 0 null, 1 .shstrtab, 2 .strtab, 3 .symtab, 4... */
#define FIRST_SEC	4

static void build_symbols(struct writer *w)
{
	struct od_plan *p = w->p;
	size_t i, j;

	str_add(&w->strtab, "");
	add_sym(w, NULL, STB_LOCAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
	for (i = 0; i < w->nsecs; i++) {
		w->secs[i].index = FIRST_SEC + i;
		w->secs[i].secsym = add_sym(w, NULL, STB_LOCAL, STT_SECTION,
					    FIRST_SEC + i, 0, 0);
	}
	w->unit_named = od_xcalloc(p->nunits, sizeof(*w->unit_named));
	for (i = 0; i < p->nunits; i++) {
		struct od_unit *u = &p->units[i];

		if (named_local(u))
			w->unit_named[i] = add_sym(w, u->sym->name, STB_LOCAL,
				u->sym->type, FIRST_SEC + u->outsec, 0, u->size);
	}
	w->nlocals = w->nsyms;
	for (i = 0; i < p->nunits; i++) {
		struct od_unit *u = &p->units[i];

		if (u->sym && !named_local(u))
			w->unit_named[i] = add_sym(w, u->sym->name, u->sym->bind,
				u->sym->type, FIRST_SEC + u->outsec, 0, u->size);
		if (u->anchor)
			add_sym(w, u->anchor, STB_GLOBAL, STT_NOTYPE,
				FIRST_SEC + u->outsec, 0, 0);
	}
	for (i = 0; i < p->nrelas; i++) {
		const char *name = p->relas[i].undef;

		if (!name)
			continue;
		for (j = 0; j < w->nundefs; j++)
			if (!strcmp(w->undefs[j], name))
				break;
		if (j < w->nundefs)
			continue;
		w->undefs = od_xrealloc(w->undefs, w->nundefs + 1, sizeof(char *));
		w->undef_sym = od_xrealloc(w->undef_sym, w->nundefs + 1,
					   sizeof(size_t));
		w->undefs[w->nundefs] = (char *)name;
		w->undef_sym[w->nundefs++] = add_sym(w, name, STB_GLOBAL,
						     STT_NOTYPE, SHN_UNDEF, 0, 0);
	}
}

static size_t undef_index(struct writer *w, const char *name)
{
	size_t j;

	for (j = 0; j < w->nundefs; j++)
		if (!strcmp(w->undefs[j], name))
			return w->undef_sym[j];
	return 0;
}

static struct osec *entry_osec(struct writer *w, const struct od_entry *e)
{
	size_t i;

	for (i = 0; i < w->nsecs; i++)
		if (w->secs[i].special == e->sec)
			return &w->secs[i];
	return NULL;
}

static void build_relas(struct writer *w)
{
	struct od_plan *p = w->p;
	size_t i;

	for (i = 0; i < p->nrelas; i++) {
		struct od_outrela *r = &p->relas[i];
		struct osec *o;
		Elf64_Rela *out;
		GElf_Addr off = r->offset;
		size_t sym;

		if (r->target_unit == -2)
			continue;
		if (r->unit >= 0) {
			o = &w->secs[p->units[r->unit].outsec];
		} else {
			const struct od_entry *e = &p->entries[r->entry];

			if (e->dropped)
				continue;
			o = entry_osec(w, e);
			off += e->outoff;
		}
		if (r->target_unit >= 0)
			sym = r->named && w->unit_named[r->target_unit] ?
			      w->unit_named[r->target_unit] :
			      w->secs[p->units[r->target_unit].outsec].secsym;
		else
			sym = undef_index(w, r->undef);
		o->relas = od_xrealloc(o->relas, o->nrelas + 1, sizeof(*o->relas));
		out = &o->relas[o->nrelas++];
		out->r_offset = off;
		out->r_info = ELF64_R_INFO(sym, r->type);
		out->r_addend = r->addend;
	}
}

static Elf_Scn *add_scn(Elf *e, GElf_Shdr *sh, const void *buf, size_t len,
			Elf_Type type)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d;

	if (!scn)
		return NULL;
	d = elf_newdata(scn);
	if (!d)
		return NULL;
	d->d_buf = (void *)buf;
	d->d_size = sh->sh_type == SHT_NOBITS ? sh->sh_size : len;
	d->d_type = type;
	d->d_align = sh->sh_addralign ? sh->sh_addralign : 1;
	d->d_version = EV_CURRENT;
	if (sh->sh_type != SHT_NOBITS)
		sh->sh_size = len;
	if (!gelf_update_shdr(scn, sh))
		return NULL;
	return scn;
}

static int write_elf(struct writer *w, int fd)
{
	struct buf shstr = { 0 };
	GElf_Shdr sh;
	GElf_Ehdr eh;
	size_t i;
	Elf *e;
	int ret = -1;

	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
		goto out;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_machine = EM_X86_64;
	eh.e_type = ET_REL;
	eh.e_version = EV_CURRENT;
	eh.e_shstrndx = 1;
	if (!gelf_update_ehdr(e, &eh))
		goto out;
	str_add(&shstr, "");
	/* names first: the buffer must not move once handed to libelf */
	{
		size_t n_sym = str_add(&shstr, ".symtab");
		size_t n_str = str_add(&shstr, ".strtab");
		size_t n_shs = str_add(&shstr, ".shstrtab");
		size_t *n_sec = od_xcalloc(w->nsecs, sizeof(size_t));
		size_t *n_rel = od_xcalloc(w->nsecs, sizeof(size_t));

		for (i = 0; i < w->nsecs; i++) {
			char *rn = od_xasprintf(".rela%s", w->secs[i].name);

			n_sec[i] = str_add(&shstr, w->secs[i].name);
			n_rel[i] = str_add(&shstr, rn);
			free(rn);
		}
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = SHT_STRTAB;
		sh.sh_name = n_shs;
		sh.sh_addralign = 1;
		if (!add_scn(e, &sh, shstr.p, shstr.len, ELF_T_BYTE))
			goto names_out;
		sh.sh_name = n_str;
		if (!add_scn(e, &sh, w->strtab.p, w->strtab.len, ELF_T_BYTE))
			goto names_out;
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = SHT_SYMTAB;
		sh.sh_name = n_sym;
		sh.sh_link = 2;
		sh.sh_info = w->nlocals;
		sh.sh_entsize = sizeof(Elf64_Sym);
		sh.sh_addralign = 8;
		if (!add_scn(e, &sh, w->syms, w->nsyms * sizeof(Elf64_Sym),
			     ELF_T_SYM))
			goto names_out;
		for (i = 0; i < w->nsecs; i++) {
			sh = w->secs[i].sh;
			sh.sh_name = n_sec[i];
			sh.sh_link = 0;
			sh.sh_info = 0;
			if (!add_scn(e, &sh, w->secs[i].data.p,
				     w->secs[i].data.len, ELF_T_BYTE))
				goto names_out;
		}
		for (i = 0; i < w->nsecs; i++) {
			if (!w->secs[i].nrelas)
				continue;
			memset(&sh, 0, sizeof(sh));
			sh.sh_type = SHT_RELA;
			sh.sh_name = n_rel[i];
			sh.sh_flags = SHF_INFO_LINK;
			sh.sh_link = 3;
			sh.sh_info = FIRST_SEC + i;
			sh.sh_entsize = sizeof(Elf64_Rela);
			sh.sh_addralign = 8;
			if (!add_scn(e, &sh, w->secs[i].relas,
				     w->secs[i].nrelas * sizeof(Elf64_Rela),
				     ELF_T_RELA))
				goto names_out;
		}
		if (elf_update(e, ELF_C_WRITE) >= 0)
			ret = 0;
names_out:
		free(n_sec);
		free(n_rel);
	}
out:
	if (e)
		elf_end(e);
	free(shstr.p);
	return ret;
}

int od_emit(struct od_plan *p, const char *path)
{
	struct writer w = { .p = p };
	size_t i;
	int fd, ret;

	build_units(&w);
	build_specials(&w);
	build_symbols(&w);
	build_relas(&w);
	elf_version(EV_CURRENT);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ret = write_elf(&w, fd);
	if (close(fd))
		ret = -1;
	for (i = 0; i < w.nsecs; i++) {
		free(w.secs[i].data.p);
		free(w.secs[i].relas);
	}
	free(w.secs);
	free(w.syms);
	free(w.strtab.p);
	free(w.unit_named);
	free(w.undefs);
	free(w.undef_sym);
	return ret;
}
