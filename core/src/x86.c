// SPDX-License-Identifier: GPL-2.0
/* x86-64 jmp rel32 and relocation encoding; see ksplice/x86.h. */
#include "ksplice/x86.h"

const unsigned char ks_fentry_nop[KS_FENTRY_LEN] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

static void put_le(unsigned char *out, ks_u64 v, unsigned int width)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		out[i] = (unsigned char)(v >> (8 * i));
}

static ks_u64 get_le(const unsigned char *in, unsigned int width)
{
	ks_u64 v = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		v |= (ks_u64)in[i] << (8 * i);
	return v;
}

static int fits_s32(ks_s64 v)
{
	return v >= -2147483648LL && v <= 2147483647LL;
}

int ks_encode_jmp32(unsigned char out[KS_JMP32_LEN], ks_u64 site, ks_u64 dest)
{
	ks_s64 disp = (ks_s64)(dest - (site + KS_JMP32_LEN));

	if (!fits_s32(disp))
		return -1;
	out[0] = KS_JMP32_OPCODE;
	put_le(out + 1, (ks_u64)disp, 4);
	return 0;
}

int ks_decode_jmp32(const unsigned char code[KS_JMP32_LEN], ks_u64 site,
		    ks_u64 *dest)
{
	ks_s64 disp;

	if (code[0] != KS_JMP32_OPCODE)
		return 0;
	disp = (ks_s64)(int)(ks_u32)get_le(code + 1, 4);
	*dest = site + KS_JMP32_LEN + (ks_u64)disp;
	return 1;
}

int ks_call_ends_at(const unsigned char *code, unsigned int len)
{
	const unsigned char *end = code + len;
	unsigned int n;

	if (len >= 5 && end[-5] == 0xe8)
		return 1;	/* call rel32 */
	/* ff /2: call r/m64, with 0..4 bytes of ModRM/SIB/disp after
	 * the opcode, and an optional REX prefix before it. */
	for (n = 2; n <= 7 && n <= len; n++) {
		if (end[-(int)n] == 0xff && (end[-(int)n + 1] & 0x38) == 0x10)
			return 1;
	}
	return 0;
}

unsigned int ks_reloc_width(unsigned int type)
{
	switch (type) {
	case KS_R_X86_64_64:
	case KS_R_X86_64_PC64:
		return 8;
	case KS_R_X86_64_PC32:
	case KS_R_X86_64_PLT32:
	case KS_R_X86_64_32:
	case KS_R_X86_64_32S:
		return 4;
	default:
		return 0;
	}
}

int ks_reloc_encode(unsigned int type, ks_u64 site, ks_u64 sym, ks_s64 addend,
		    unsigned char out[8])
{
	ks_u64 v = sym + (ks_u64)addend;
	ks_s64 rel = (ks_s64)(v - site);

	switch (type) {
	case KS_R_X86_64_64:
		put_le(out, v, 8);
		return 0;
	case KS_R_X86_64_PC64:
		put_le(out, (ks_u64)rel, 8);
		return 0;
	case KS_R_X86_64_PC32:
	case KS_R_X86_64_PLT32:
		if (!fits_s32(rel))
			return -1;
		put_le(out, (ks_u64)rel, 4);
		return 0;
	case KS_R_X86_64_32:
		if (v > 0xffffffffULL)
			return -1;
		put_le(out, v, 4);
		return 0;
	case KS_R_X86_64_32S:
		if (!fits_s32((ks_s64)v))
			return -1;
		put_le(out, v, 4);
		return 0;
	default:
		return -1;
	}
}

int ks_reloc_decode(unsigned int type, ks_u64 site, ks_s64 addend,
		    const unsigned char *field, ks_u64 *sym)
{
	switch (type) {
	case KS_R_X86_64_64:
		*sym = get_le(field, 8) - (ks_u64)addend;
		return 0;
	case KS_R_X86_64_PC64:
		*sym = get_le(field, 8) + site - (ks_u64)addend;
		return 0;
	case KS_R_X86_64_PC32:
	case KS_R_X86_64_PLT32:
		*sym = (ks_u64)(ks_s64)(int)(ks_u32)get_le(field, 4) + site -
		       (ks_u64)addend;
		return 0;
	case KS_R_X86_64_32:
		*sym = get_le(field, 4) - (ks_u64)addend;
		return 0;
	case KS_R_X86_64_32S:
		*sym = (ks_u64)(ks_s64)(int)(ks_u32)get_le(field, 4) -
		       (ks_u64)addend;
		return 0;
	default:
		return -1;
	}
}
