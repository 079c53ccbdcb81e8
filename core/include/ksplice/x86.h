/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 encodings shared by the core module and the tools: the 5-byte
 * jmp rel32 trampoline and the relocation types an update carries.
 * Freestanding: no libc, usable inside the kernel.
 */
#ifndef _KSPLICE_X86_H
#define _KSPLICE_X86_H

#include "ksplice/types.h"

#define KS_JMP32_LEN		5
#define KS_JMP32_OPCODE		0xe9
#define KS_FENTRY_LEN		5

/* The nop the kernel writes over `call __fentry__` at boot. */
extern const unsigned char ks_fentry_nop[KS_FENTRY_LEN];

/*
 * Encode `jmp rel32` at @site that lands on @dest.  Returns 0, or -1 when
 * @dest is farther than a signed 32-bit displacement from the end of the
 * instruction.
 */
int ks_encode_jmp32(unsigned char out[KS_JMP32_LEN], ks_u64 site, ks_u64 dest);

/* If @code is a jmp rel32 at @site, store its destination and return 1. */
int ks_decode_jmp32(const unsigned char code[KS_JMP32_LEN], ks_u64 site,
		    ks_u64 *dest);

/*
 * Could a call instruction end exactly at the end of @code (the @len bytes
 * before some address)?  Looks for call rel32 and the register and memory
 * forms of an indirect call.  Conservative: a yes may be a coincidence.
 */
int ks_call_ends_at(const unsigned char *code, unsigned int len);

/* Relocation types (x86-64 ELF numbering). */
#define KS_R_X86_64_64		1
#define KS_R_X86_64_PC32	2
#define KS_R_X86_64_PLT32	4
#define KS_R_X86_64_32		10
#define KS_R_X86_64_32S		11
#define KS_R_X86_64_PC64	24

/* Width in bytes of a relocation field, or 0 for a type we do not carry. */
unsigned int ks_reloc_width(unsigned int type);

/*
 * Compute the bytes to store at @site for a relocation of @type against
 * symbol value @sym with @addend.  Returns 0, or -1 on overflow or an
 * unknown type.  @out receives ks_reloc_width(type) bytes, little-endian.
 */
int ks_reloc_encode(unsigned int type, ks_u64 site, ks_u64 sym, ks_s64 addend,
		    unsigned char out[8]);

/*
 * Reverse of ks_reloc_encode: from the bytes found at @site, recover the
 * symbol value they refer to.  Used by run-pre matching, where the running
 * code's field tells where a symbol is.
 */
int ks_reloc_decode(unsigned int type, ks_u64 site, ks_s64 addend,
		    const unsigned char *field, ks_u64 *sym);

#endif /* _KSPLICE_X86_H */
