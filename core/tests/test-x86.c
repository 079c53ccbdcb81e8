// SPDX-License-Identifier: GPL-2.0
/* jmp rel32 and relocation encoding (x86.c), sorted ranges (range.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ksplice/range.h"
#include "ksplice/x86.h"

#define TEXT	0xffffffff81000000ULL	/* where vmlinux text lives */

START_TEST(test_fentry_nop)
{
	ck_assert_mem_eq(ks_fentry_nop, "\x0f\x1f\x44\x00\x00", KS_FENTRY_LEN);
}
END_TEST

START_TEST(test_jmp_forward_backward)
{
	unsigned char out[KS_JMP32_LEN];
	ks_u64 dest;

	ck_assert_int_eq(ks_encode_jmp32(out, TEXT, TEXT + 0x1000), 0);
	ck_assert_mem_eq(out, "\xe9\xfb\x0f\x00\x00", 5);
	ck_assert_int_eq(ks_decode_jmp32(out, TEXT, &dest), 1);
	ck_assert_uint_eq(dest, TEXT + 0x1000);

	ck_assert_int_eq(ks_encode_jmp32(out, TEXT, TEXT - 0x100), 0);
	ck_assert_mem_eq(out, "\xe9\xfb\xfe\xff\xff", 5);
	ck_assert_int_eq(ks_decode_jmp32(out, TEXT, &dest), 1);
	ck_assert_uint_eq(dest, TEXT - 0x100);

	/* A jump to itself, and to the next instruction. */
	ck_assert_int_eq(ks_encode_jmp32(out, TEXT, TEXT), 0);
	ck_assert_mem_eq(out, "\xe9\xfb\xff\xff\xff", 5);
	ck_assert_int_eq(ks_encode_jmp32(out, TEXT, TEXT + 5), 0);
	ck_assert_mem_eq(out, "\xe9\x00\x00\x00\x00", 5);
}
END_TEST

START_TEST(test_jmp_limits)
{
	unsigned char out[KS_JMP32_LEN];
	ks_u64 site = TEXT, dest;

	/* The displacement counts from the end of the 5-byte instruction. */
	ck_assert_int_eq(ks_encode_jmp32(out, site, site + 5 + 0x7fffffffULL), 0);
	ck_assert_mem_eq(out, "\xe9\xff\xff\xff\x7f", 5);
	ck_assert_int_eq(ks_decode_jmp32(out, site, &dest), 1);
	ck_assert_uint_eq(dest, site + 5 + 0x7fffffffULL);
	ck_assert_int_eq(ks_encode_jmp32(out, site, site + 5 + 0x80000000ULL), -1);

	ck_assert_int_eq(ks_encode_jmp32(out, site, site + 5 - 0x80000000ULL), 0);
	ck_assert_mem_eq(out, "\xe9\x00\x00\x00\x80", 5);
	ck_assert_int_eq(ks_decode_jmp32(out, site, &dest), 1);
	ck_assert_uint_eq(dest, site + 5 - 0x80000000ULL);
	ck_assert_int_eq(ks_encode_jmp32(out, site, site + 5 - 0x80000001ULL), -1);

	/* Module space to vmlinux text: 1.5 GiB, fits; far away: not. */
	ck_assert_int_eq(ks_encode_jmp32(out, 0xffffffffc0000000ULL, TEXT), 0);
	ck_assert_int_eq(ks_encode_jmp32(out, TEXT, 0xffff888000000000ULL), -1);
	ck_assert_int_eq(ks_encode_jmp32(out, 0x1000, 0xffffffff00000000ULL), -1);
}
END_TEST

START_TEST(test_jmp_decode_other)
{
	ks_u64 dest = 42;

	ck_assert_int_eq(ks_decode_jmp32(ks_fentry_nop, TEXT, &dest), 0);
	ck_assert_int_eq(ks_decode_jmp32((const unsigned char *)"\xeb\x05\0\0\0",
					 TEXT, &dest), 0);
	ck_assert_uint_eq(dest, 42);	/* untouched */
}
END_TEST

START_TEST(test_reloc_width)
{
	ck_assert_uint_eq(ks_reloc_width(KS_R_X86_64_64), 8);
	ck_assert_uint_eq(ks_reloc_width(KS_R_X86_64_PC64), 8);
	ck_assert_uint_eq(ks_reloc_width(KS_R_X86_64_PC32), 4);
	ck_assert_uint_eq(ks_reloc_width(KS_R_X86_64_PLT32), 4);
	ck_assert_uint_eq(ks_reloc_width(KS_R_X86_64_32), 4);
	ck_assert_uint_eq(ks_reloc_width(KS_R_X86_64_32S), 4);
	ck_assert_uint_eq(ks_reloc_width(0), 0);
	ck_assert_uint_eq(ks_reloc_width(3), 0);	/* R_X86_64_GOT32 */
	ck_assert_uint_eq(ks_reloc_width(9), 0);	/* R_X86_64_GOTPCREL */
	ck_assert_uint_eq(ks_reloc_width(~0u), 0);
}
END_TEST

/* Encode, compare the bytes, decode back to the symbol. */
static void reloc_ok(unsigned int type, ks_u64 site, ks_u64 sym,
		     ks_s64 addend, const char *bytes)
{
	unsigned char out[8];
	unsigned int w = ks_reloc_width(type);
	ks_u64 back = 0;

	memset(out, 0xaa, sizeof(out));
	ck_assert_int_eq(ks_reloc_encode(type, site, sym, addend, out), 0);
	ck_assert_mem_eq(out, bytes, w);
	if (w == 4)	/* nothing written past the field */
		ck_assert_mem_eq(out + 4, "\xaa\xaa\xaa\xaa", 4);
	ck_assert_int_eq(ks_reloc_decode(type, site, addend, out, &back), 0);
	ck_assert_uint_eq(back, sym);
}

START_TEST(test_reloc_encode_decode)
{
	/* call foo: PLT32/PC32 with addend -4, forward and backward. */
	reloc_ok(KS_R_X86_64_PLT32, TEXT + 0x101, TEXT + 0x2000, -4,
		 "\xfb\x1e\x00\x00");
	reloc_ok(KS_R_X86_64_PC32, TEXT + 0x2001, TEXT + 0x100, -4,
		 "\xfb\xe0\xff\xff");
	/* mov $sym, %eax-like: 32S of a kernel address sign-extends. */
	reloc_ok(KS_R_X86_64_32S, TEXT + 3, 0xffffffff82345678ULL, 0,
		 "\x78\x56\x34\x82");
	reloc_ok(KS_R_X86_64_32S, TEXT + 3, 0x10, 0x20, "\x30\x00\x00\x00");
	reloc_ok(KS_R_X86_64_32, TEXT + 3, 0xfffffff0ULL, 0xf,
		 "\xff\xff\xff\xff");
	reloc_ok(KS_R_X86_64_64, TEXT + 8, 0xffffffff82345678ULL, 0x10,
		 "\x88\x56\x34\x82\xff\xff\xff\xff");
	reloc_ok(KS_R_X86_64_64, 0, 0x1000, -0x1000,
		 "\x00\x00\x00\x00\x00\x00\x00\x00");
	reloc_ok(KS_R_X86_64_PC64, 0xffffffffc0001000ULL, TEXT, 0,
		 "\x00\xf0\xff\xc0\xff\xff\xff\xff");
	reloc_ok(KS_R_X86_64_PC64, 0x1000, 0xffff888000000000ULL, 8,
		 "\x08\xf0\xff\xff\x7f\x88\xff\xff");
}
END_TEST

START_TEST(test_reloc_overflow)
{
	unsigned char out[8];

	/* PC32: one past either end of the signed 32-bit window. */
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_PC32, TEXT,
					 TEXT + 0x7fffffffULL, 0, out), 0);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_PC32, TEXT,
					 TEXT + 0x80000000ULL, 0, out), -1);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_PLT32, TEXT,
					 TEXT - 0x80000000ULL, 0, out), 0);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_PLT32, TEXT,
					 TEXT - 0x80000000ULL, -1, out), -1);
	/* A per-cpu or direct-map symbol from module text: far away. */
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_PC32,
					 0xffffffffc0000000ULL,
					 0xffff888000000000ULL, -4, out), -1);
	/* 32: zero-extended, so no kernel address and nothing negative. */
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32, 0, 0xffffffffULL, 0,
					 out), 0);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32, 0, 0x100000000ULL, 0,
					 out), -1);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32, 0, 0, -1, out), -1);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32, 0, TEXT, 0, out), -1);
	/* 32S: sign-extended, so the top 2 GiB and the bottom 2 GiB only. */
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32S, 0,
					 0xffffffff80000000ULL, 0, out), 0);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32S, 0,
					 0xffffffff7fffffffULL, 0, out), -1);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32S, 0, 0x7fffffffULL, 0,
					 out), 0);
	ck_assert_int_eq(ks_reloc_encode(KS_R_X86_64_32S, 0, 0x80000000ULL, 0,
					 out), -1);
	/* Unknown types refuse both ways. */
	ck_assert_int_eq(ks_reloc_encode(3, 0, 0, 0, out), -1);
	ck_assert_int_eq(ks_reloc_decode(3, 0, 0, out, &(ks_u64){ 0 }), -1);
}
END_TEST

/* Running code's field tells where the symbol is (run-pre matching). */
START_TEST(test_reloc_decode_running)
{
	ks_u64 sym;

	/* e8 <rel32> at TEXT+0x100: the field is at +0x101, addend -4. */
	ck_assert_int_eq(ks_reloc_decode(KS_R_X86_64_PLT32, TEXT + 0x101, -4,
					 (const unsigned char *)"\x00\x01\x00\x00",
					 &sym), 0);
	ck_assert_uint_eq(sym, TEXT + 0x105 + 0x100);
	ck_assert_int_eq(ks_reloc_decode(KS_R_X86_64_PC32, TEXT + 0x101, -4,
					 (const unsigned char *)"\xfb\xff\xff\xff",
					 &sym), 0);
	ck_assert_uint_eq(sym, TEXT + 0x100);
}
END_TEST

/* Ranges: sorted by start, found with a closed end. */
static struct ks_range mk(ks_u64 start, ks_u64 size, unsigned int owner)
{
	struct ks_range r = { start, start + size, owner };

	return r;
}

START_TEST(test_range_sort)
{
	struct ks_range r[6];
	unsigned int i;

	r[0] = mk(500, 10, 0);
	r[1] = mk(100, 10, 1);
	r[2] = mk(300, 10, 2);
	r[3] = mk(TEXT, 10, 3);
	r[4] = mk(0, 10, 4);
	r[5] = mk(200, 10, 5);
	ck_assert_uint_eq(ks_ranges_sort(r, 6), 6);
	for (i = 1; i < 6; i++)
		ck_assert_uint_lt(r[i - 1].start, r[i].start);
	ck_assert_uint_eq(r[0].owner, 4);
	ck_assert_uint_eq(r[5].owner, 3);
	ck_assert_uint_eq(r[5].end, TEXT + 10);
	ck_assert_uint_eq(ks_ranges_sort(r, 0), 0);
	ck_assert_uint_eq(ks_ranges_sort(r, 1), 1);
}
END_TEST

START_TEST(test_range_find)
{
	struct ks_range r[4];
	const struct ks_range *f;

	r[0] = mk(TEXT + 0x300, 0x20, 2);
	r[1] = mk(TEXT + 0x100, 0x40, 0);
	r[2] = mk(TEXT + 0x200, 0x10, 1);
	r[3] = mk(TEXT + 0x1000, 0x1, 3);
	ks_ranges_sort(r, 4);

	ck_assert_ptr_null(ks_ranges_find(r, 4, 0));
	ck_assert_ptr_null(ks_ranges_find(r, 4, TEXT + 0xff));
	f = ks_ranges_find(r, 4, TEXT + 0x100);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->owner, 0);
	ck_assert_uint_eq(ks_ranges_find(r, 4, TEXT + 0x13f)->owner, 0);
	/* Closed end: a return address just past a final noreturn call. */
	ck_assert_uint_eq(ks_ranges_find(r, 4, TEXT + 0x140)->owner, 0);
	ck_assert_ptr_null(ks_ranges_find(r, 4, TEXT + 0x141));
	ck_assert_ptr_null(ks_ranges_find(r, 4, TEXT + 0x1ff));
	ck_assert_uint_eq(ks_ranges_find(r, 4, TEXT + 0x200)->owner, 1);
	ck_assert_uint_eq(ks_ranges_find(r, 4, TEXT + 0x210)->owner, 1);
	ck_assert_ptr_null(ks_ranges_find(r, 4, TEXT + 0x211));
	ck_assert_uint_eq(ks_ranges_find(r, 4, TEXT + 0x320)->owner, 2);
	ck_assert_uint_eq(ks_ranges_find(r, 4, TEXT + 0x1000)->owner, 3);
	ck_assert_uint_eq(ks_ranges_find(r, 4, TEXT + 0x1001)->owner, 3);
	ck_assert_ptr_null(ks_ranges_find(r, 4, TEXT + 0x1002));
	ck_assert_ptr_null(ks_ranges_find(r, 4, ~0ULL));
	ck_assert_ptr_null(ks_ranges_find(r, 0, TEXT + 0x100));
	/* n limits the search to a prefix. */
	ck_assert_ptr_null(ks_ranges_find(r, 1, TEXT + 0x200));
}
END_TEST

/*
 * Functions laid out back to back: the end of one is the start of the
 * next, and the later range answers for that address.  Either answer
 * flags the task; the later one is code that would run on return.
 */
START_TEST(test_range_touching)
{
	struct ks_range r[2];

	r[0] = mk(TEXT + 0x40, 0x40, 1);
	r[1] = mk(TEXT, 0x40, 0);
	ks_ranges_sort(r, 2);
	ck_assert_uint_eq(ks_ranges_find(r, 2, TEXT + 0x3f)->owner, 0);
	ck_assert_uint_eq(ks_ranges_find(r, 2, TEXT + 0x40)->owner, 1);
	ck_assert_uint_eq(ks_ranges_find(r, 2, TEXT + 0x80)->owner, 1);
	ck_assert_ptr_null(ks_ranges_find(r, 2, TEXT + 0x81));
}
END_TEST

/* Many ranges: every in-range address found, every gap address not. */
START_TEST(test_range_many)
{
	enum { N = 4096 };
	static struct ks_range r[N];
	unsigned int i;

	for (i = 0; i < N; i++) {
		unsigned int k = (i * 2654435761u) % N;	/* shuffled */

		r[i] = mk(TEXT + (ks_u64)k * 0x100, 0x80, k);
	}
	ck_assert_uint_eq(ks_ranges_sort(r, N), N);
	for (i = 0; i < N; i++) {
		ks_u64 base = TEXT + (ks_u64)i * 0x100;

		ck_assert_uint_eq(ks_ranges_find(r, N, base)->owner, i);
		ck_assert_uint_eq(ks_ranges_find(r, N, base + 0x80)->owner, i);
		ck_assert_ptr_null(ks_ranges_find(r, N, base + 0x81));
		ck_assert_ptr_null(ks_ranges_find(r, N, base + 0xff));
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("x86");
	TCase *tc = tcase_create("x86");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fentry_nop);
	tcase_add_test(tc, test_jmp_forward_backward);
	tcase_add_test(tc, test_jmp_limits);
	tcase_add_test(tc, test_jmp_decode_other);
	tcase_add_test(tc, test_reloc_width);
	tcase_add_test(tc, test_reloc_encode_decode);
	tcase_add_test(tc, test_reloc_overflow);
	tcase_add_test(tc, test_reloc_decode_running);
	tcase_add_test(tc, test_range_sort);
	tcase_add_test(tc, test_range_find);
	tcase_add_test(tc, test_range_touching);
	tcase_add_test(tc, test_range_many);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
