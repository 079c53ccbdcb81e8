// SPDX-License-Identifier: GPL-2.0
/*
 * Disassembly of x86-64 code with binutils' libopcodes: one instruction
 * at a time, in AT&T syntax, with the targets of relocations named
 * ("call <__might_sleep>", "mov $0x0,%rdi <\"fs/x.c\">") so that two
 * objects whose sections lie differently read alike.  Used to tell an
 * immediate from the rest of an instruction (lineonly.c) and to show a
 * reviewer what changed (explain.c).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dis-asm.h>
#include "internal.h"

struct dctx {
	const struct od_sec *sec;
	GElf_Addr insn, end;	/* the instruction being decoded */
	bool symbolic;
	bool named;		/* a PC-relative relocation was printed */
	char *buf;
	size_t len, used;
};

static void vput(struct dctx *c, const char *fmt, va_list ap)
{
	int n;

	if (c->used >= c->len)
		return;
	n = vsnprintf(c->buf + c->used, c->len - c->used, fmt, ap);
	if (n > 0)
		c->used += (size_t)n < c->len - c->used ? (size_t)n :
			   c->len - c->used - 1;
}

static void put(struct dctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(c, fmt, ap);
	va_end(ap);
}

static int plain_fprintf(void *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(stream, fmt, ap);
	va_end(ap);
	return 0;
}

static int styled_fprintf(void *stream, enum disassembler_style style,
			  const char *fmt, ...)
{
	va_list ap;

	(void)style;
	va_start(ap, fmt);
	vput(stream, fmt, ap);
	va_end(ap);
	return 0;
}

static bool pc_relative(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32;
}

char *od_target_name(const struct od_sec *sec, const struct od_rela *r)
{
	struct od_target t;
	GElf_Sxword off;
	char s[48];
	size_t i, n = 0;

	od_resolve(sec, r, &t);
	off = t.off + (od_look(sec, r) - t.secoff);
	switch (t.kind) {
	case TK_SYM:
		if (!off)
			return od_xstrdup(t.sym->name);
		return od_xasprintf("%s%+lld", t.sym->name, (long long)off);
	case TK_STRING:
		for (i = off; i < t.len && t.bytes[i] && n < sizeof(s) - 5; i++) {
			unsigned char ch = t.bytes[i];

			if (ch == '\n') {
				s[n++] = '\\';
				s[n++] = 'n';
			} else {
				s[n++] = isprint(ch) && ch != '"' ? ch : '.';
			}
		}
		if (i < t.len && t.bytes[i])
			n += sprintf(s + n, "...");
		s[n] = '\0';
		return od_xasprintf("\"%s\"", s);
	case TK_CONST:
		return od_xasprintf("%s+0x%llx", t.sec->name,
				    (unsigned long long)(t.secoff - t.off));
	case TK_ANON:
		return od_xasprintf("%s+0x%llx", t.sec->name,
				    (unsigned long long)od_look(sec, r));
	}
	return od_xstrdup("?");
}

/* A branch or RIP-relative operand: its relocation's target, if any. */
static void print_address(bfd_vma addr, struct disassemble_info *info)
{
	struct dctx *c = info->application_data;
	size_t i;

	if (c->symbolic) {
		i = od_rela_lower(c->sec, c->insn);
		for (; i < c->sec->nrelas && c->sec->relas[i].offset < c->end;
		     i++) {
			char *name;

			if (!pc_relative(c->sec->relas[i].type))
				continue;
			name = od_target_name(c->sec, &c->sec->relas[i]);
			put(c, "<%s>", name);
			free(name);
			c->named = true;
			return;
		}
	}
	put(c, "0x%llx", (unsigned long long)addr);
}

/* @info set to decode @sec's bytes up to @end as x86-64 code. */
static void setup(struct disassemble_info *info, const struct od_sec *sec,
		  GElf_Addr end, void *stream, fprintf_ftype out,
		  fprintf_styled_ftype styled,
		  void (*address)(bfd_vma, struct disassemble_info *))
{
	init_disassemble_info(info, stream, out, styled);
	info->arch = bfd_arch_i386;
	info->mach = bfd_mach_x86_64;
	info->buffer = sec->data;
	info->buffer_vma = 0;
	info->buffer_length = end;
	info->print_address_func = address;
	info->application_data = stream;
	disassemble_init_for_target(info);
}

unsigned int od_disasm(const struct od_sec *sec, GElf_Addr off, GElf_Addr end,
		       char *buf, size_t len, bool symbolic)
{
	struct disassemble_info info;
	struct dctx c = {
		.sec = sec, .insn = off, .symbolic = symbolic, .buf = buf,
		.len = len,
	};
	disassembler_ftype fn;
	size_t i;
	int n;

	buf[0] = '\0';
	if (!sec->data || end > sec->sh.sh_size || off >= end)
		return 0;
	fn = disassembler(bfd_arch_i386, false, bfd_mach_x86_64, NULL);
	if (!fn)
		return 0;
	setup(&info, sec, end, &c, plain_fprintf, styled_fprintf, print_address);
	/* once for the length, once more knowing the relocations inside */
	n = fn(off, &info);
	if (n <= 0 || off + n > end)
		return 0;
	c.end = off + n;
	c.used = 0;
	n = fn(off, &info);
	/* the other relocations of the instruction: immediates, data */
	i = od_rela_lower(sec, off);
	for (; symbolic && i < sec->nrelas && sec->relas[i].offset < off + n;
	     i++) {
		const struct od_rela *r = &sec->relas[i];
		char *name;

		if (r->type == R_X86_64_NONE || (pc_relative(r->type) && c.named))
			continue;
		name = od_target_name(sec, r);
		put(&c, " <%s>", name);
		free(name);
	}
	/* libopcodes pads the mnemonic with blanks: one is enough */
	for (i = 0; buf[i]; i++)
		if (buf[i] == ' ' && buf[i + 1] == ' ') {
			memmove(buf + i, buf + i + 1, strlen(buf + i));
			i--;
		}
	return n;
}

static int quiet_fprintf(void *stream, const char *fmt, ...)
{
	(void)stream;
	(void)fmt;
	return 0;
}

static int quiet_styled(void *stream, enum disassembler_style style,
			const char *fmt, ...)
{
	(void)stream;
	(void)style;
	(void)fmt;
	return 0;
}

static void quiet_address(bfd_vma addr, struct disassemble_info *info)
{
	(void)addr;
	(void)info;
}

/*
 * Walk @sec's instructions from its start (with -ffunction-sections a
 * section holds one function and its padding; .altinstr_replacement
 * only instructions) and give each PC-relative relocation the distance
 * from its field to the end of the instruction holding it.  A tail
 * other than 4, 5, 6 or 8 (no immediate, or one of 1, 2 or 4 bytes)
 * means the walk lost step: those stay unknown.
 */
void od_insn_tails(struct od_sec *sec)
{
	struct disassemble_info info;
	disassembler_ftype fn;
	GElf_Addr off = 0, end = sec->sh.sh_size;
	size_t i = 0, k;
	bool any = false;

	if (!sec->data || !(sec->sh.sh_flags & SHF_EXECINSTR))
		return;
	for (k = 0; k < sec->nrelas && !any; k++)
		any = pc_relative(sec->relas[k].type) &&
		      sec->relas[k].sym->type != STT_FUNC;
	if (!any)
		return;	/* calls and jumps to functions: 4 anyway */
	fn = disassembler(bfd_arch_i386, false, bfd_mach_x86_64, NULL);
	if (!fn)
		return;
	setup(&info, sec, end, NULL, quiet_fprintf, quiet_styled, quiet_address);
	while (off < end && i < sec->nrelas) {
		int n = fn(off, &info);

		if (n <= 0 || (GElf_Addr)n > end - off)
			return;
		for (; i < sec->nrelas && sec->relas[i].offset < off + n; i++) {
			struct od_rela *r = &sec->relas[i];
			GElf_Addr tail = off + n - r->offset;

			if (r->offset > off && pc_relative(r->type) &&
			    (tail == 4 || tail == 5 || tail == 6 || tail == 8))
				r->tail = tail;
		}
		off += n;
	}
}

int od_insn_walk(const struct od_sec *sec, GElf_Addr start, GElf_Addr end,
		 void (*cb)(GElf_Addr off, unsigned int len, const char *text,
			    void *ctx),
		 void *ctx)
{
	struct disassemble_info info;
	char buf[256];
	struct dctx c = { .sec = sec, .buf = buf, .len = sizeof(buf) };
	disassembler_ftype fn;
	GElf_Addr off = start;

	if (!sec->data || end > sec->sh.sh_size || start > end)
		return -1;
	fn = disassembler(bfd_arch_i386, false, bfd_mach_x86_64, NULL);
	if (!fn)
		return -1;
	setup(&info, sec, end, &c, plain_fprintf, styled_fprintf, quiet_address);
	while (off < end) {
		int n;

		c.used = 0;
		buf[0] = '\0';
		n = fn(off, &info);
		if (n <= 0 || (GElf_Addr)n > end - off)
			return -1;
		cb(off, n, buf, ctx);
		off += n;
	}
	return 0;
}
