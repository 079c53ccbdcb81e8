// SPDX-License-Identifier: GPL-2.0
/*
 * objdiff on hostile objects: each test compiles a valid pre and post
 * object, patches one field of the post object the way a crafted file
 * would (the crashes found by fuzzing, fuzz/fuzz-objdiff.c), and checks
 * that objdiff refuses it as malformed, naming the section or symbol,
 * and that ksplice-objdiff exits with status 4.
 */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "objdiff.h"
#include "internal.h"

#define CFLAGS "-O2 -ffunction-sections -fdata-sections -fno-pic " \
	"-mcmodel=kernel -fno-asynchronous-unwind-tables " \
	"-fno-stack-protector -fcf-protection=none -w -c"

/* f with an exception table entry, as _ASM_EXTABLE makes; a string. */
#define SRC "extern void report(const char *);\n" \
	"int f(int *p) { int v = 0; asm volatile(\"1: movl (%%1), %%0\\n2:\\n\"" \
	" \".pushsection __ex_table,\\\"a\\\"\\n.long 1b - .\\n.long 2b - .\\n\"" \
	" \".long 3\\n.popsection\" : \"+r\"(v) : \"r\"(p));" \
	" report(\"f\"); return v + %d; }\n" \
	"int g(int x) { return x * 3; }\n"

static char workdir[] = "/tmp/objdiff-hostile.XXXXXX";
static char pre[256], post[256];
static unsigned char *img;	/* the post object, being patched */
static size_t imglen;

static void compile(const char *name, int k)
{
	char path[256], cmd[640];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.c", workdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, SRC, k);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gcc " CFLAGS " -o %s/%s.o %s", workdir,
		 name, path);
	ck_assert_int_eq(system(cmd), 0);
}

static void setup(void)
{
	FILE *f;
	long n;

	ck_assert_ptr_nonnull(mkdtemp(workdir));
	compile("pre", 1);
	compile("post", 2);
	snprintf(pre, sizeof(pre), "%s/pre.o", workdir);
	snprintf(post, sizeof(post), "%s/post.o", workdir);
	f = fopen(post, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	ck_assert_int_gt(n, (long)sizeof(Elf64_Ehdr));
	imglen = n;
	img = malloc(imglen);
	rewind(f);
	ck_assert_uint_eq(fread(img, 1, imglen, f), imglen);
	fclose(f);
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", workdir);
	strcpy(workdir, "/tmp/objdiff-hostile.XXXXXX");
	free(img);
}

/* --- patching the object image ------------------------------------------ */

static Elf64_Ehdr *ehdr(void)
{
	return (Elf64_Ehdr *)img;
}

static Elf64_Shdr *shdr(size_t i)
{
	return (Elf64_Shdr *)(img + ehdr()->e_shoff) + i;
}

static Elf64_Shdr *section(const char *name)
{
	const char *names = (char *)img + shdr(ehdr()->e_shstrndx)->sh_offset;
	size_t i;

	for (i = 1; i < ehdr()->e_shnum; i++)
		if (!strcmp(names + shdr(i)->sh_name, name))
			return shdr(i);
	ck_abort_msg("no section %s", name);
	return NULL;
}

static Elf64_Sym *symbol(const char *name)
{
	Elf64_Shdr *st = section(".symtab");
	Elf64_Sym *syms = (Elf64_Sym *)(img + st->sh_offset);
	const char *str = (char *)img + shdr(st->sh_link)->sh_offset;
	size_t i;

	for (i = 1; i < st->sh_size / sizeof(*syms); i++)
		if (!strcmp(str + syms[i].st_name, name))
			return &syms[i];
	ck_abort_msg("no symbol %s", name);
	return NULL;
}

/* The first relocation of section @name (".rela__ex_table"). */
static Elf64_Rela *rela(const char *name)
{
	Elf64_Shdr *rs = section(name);

	ck_assert_uint_ge(rs->sh_size, sizeof(Elf64_Rela));
	return (Elf64_Rela *)(img + rs->sh_offset);
}

/* Write the patched post object; diff pre with it. */
static struct od_result *diff_patched(void)
{
	struct od_options opt = { .target = "target", .tag = "t" };
	struct od_result *res;
	FILE *f = fopen(post, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(img, 1, imglen, f), imglen);
	fclose(f);
	res = od_diff(pre, post, &opt);
	od_print_msgs(res, stderr, "  | ");
	return res;
}

/* ksplice-objdiff's exit status on pre and the patched post. */
static int tool_status(void)
{
	const char *tool = access("../ksplice-objdiff", X_OK) ?
			   "./ksplice-objdiff" : "../ksplice-objdiff";
	char cmd[800];
	int st;

	snprintf(cmd, sizeof(cmd), "%s -o %s/u.o %s %s 2>/dev/null", tool,
		 workdir, pre, post);
	st = system(cmd);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Refused as malformed, the message naming each of @words. */
static void refused(const char *w1, const char *w2)
{
	struct od_result *r = diff_patched();

	ck_assert_int_eq(r->status, OD_MALFORMED);
	ck_assert_uint_eq(r->nr_msgs, 1);
	ck_assert_int_eq(r->msgs[0].kind, OD_MSG_ERROR);
	ck_assert_ptr_nonnull(strstr(r->msgs[0].text, "malformed object"));
	ck_assert_msg(strstr(r->msgs[0].text, w1), "no \"%s\" in: %s", w1,
		      r->msgs[0].text);
	if (w2)
		ck_assert_msg(strstr(r->msgs[0].text, w2), "no \"%s\" in: %s",
			      w2, r->msgs[0].text);
	od_result_free(r);
	ck_assert_int_eq(tool_status(), 4);
}

/* --- the tests -------------------------------------------------------------- */

START_TEST(test_valid)
{
	struct od_result *r = diff_patched();

	/* the unpatched objects are fine: the tests below patch one field */
	ck_assert_int_eq(r->status, OD_CHANGED);
	od_result_free(r);
	ck_assert_int_eq(tool_status(), 0);
}
END_TEST

/* Was a heap write out of bounds: owners[r_offset / 12] in compare.c. */
START_TEST(test_extable_reloc_offset)
{
	rela(".rela__ex_table")->r_offset = 12 * 0x100000;
	refused(".rela__ex_table", "outside __ex_table");
}
END_TEST

START_TEST(test_reloc_field_crosses_end)
{
	/* a 4-byte field at the last 2 bytes of the 12-byte entry */
	rela(".rela__ex_table")->r_offset = 10;
	refused(".rela__ex_table", "outside __ex_table");
}
END_TEST

START_TEST(test_reloc_symbol_index)
{
	Elf64_Rela *r = rela(".rela.text.f");

	r->r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(r->r_info));
	refused(".rela.text.f", "names symbol 100000");
}
END_TEST

START_TEST(test_reloc_type)
{
	Elf64_Rela *r = rela(".rela.text.f");

	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 200);
	refused(".rela.text.f", "type 200");
}
END_TEST

START_TEST(test_reloc_addend)
{
	rela(".rela.text.f")->r_addend = 0x7fffffffffffff00LL;
	refused(".rela.text.f", "addend");
}
END_TEST

/* Was a read out of bounds: buf_add(data + st_value, st_size) in emit.c. */
START_TEST(test_symbol_size)
{
	symbol("f")->st_size = 0x100000;
	refused("symbol f ", ".text.f");
}
END_TEST

START_TEST(test_symbol_value)
{
	symbol("f")->st_value = 0x7fffffff;
	refused("symbol f ", ".text.f");
}
END_TEST

/* Was a wrapping check in runpre.c: st_value + st_size past 2^64. */
START_TEST(test_symbol_wraps)
{
	Elf64_Sym *s = symbol("f");

	s->st_value = 8;
	s->st_size = (Elf64_Xword)-4;
	refused("symbol f ", "outside section .text.f");
}
END_TEST

START_TEST(test_symbol_section_index)
{
	symbol("g")->st_shndx = 0x7000;
	refused("symbol g ", "section index 28672");
}
END_TEST

START_TEST(test_symbol_name)
{
	symbol("g")->st_name = 0x7fffffff;
	refused("name at 2147483647 outside string table", ".strtab");
}
END_TEST

/* Was an output file of 16 TiB: the alignment was copied to update.o. */
START_TEST(test_alignment)
{
	section(".text.f")->sh_addralign = 1ULL << 44;
	refused("section .text.f", "alignment 17592186044416");
}
END_TEST

START_TEST(test_alignment_not_power_of_two)
{
	section(".text.f")->sh_addralign = 12;
	refused("section .text.f", "not a power of two");
}
END_TEST

START_TEST(test_nobits_size)
{
	Elf64_Shdr *sh = section(".text.g");

	sh->sh_type = SHT_NOBITS;
	sh->sh_size = 1ULL << 44;
	refused("section .text.g", "size 17592186044416");
}
END_TEST

START_TEST(test_special_entry_size)
{
	section("__ex_table")->sh_size = 8;
	refused("__ex_table", "whole number of 12-byte entries");
}
END_TEST

START_TEST(test_section_name)
{
	section(".text.g")->sh_name = 0x7fffff;
	refused("name at 8388607 outside the section name table", NULL);
}
END_TEST

START_TEST(test_symtab_entsize)
{
	section(".symtab")->sh_entsize = 16;
	refused("section .symtab", "entry size 16, not 24");
}
END_TEST

START_TEST(test_symtab_first_global)
{
	section(".symtab")->sh_info = 100000;
	refused(".symtab", "first global 100000");
}
END_TEST

START_TEST(test_rela_target)
{
	section(".rela.text.f")->sh_info = 60000;
	refused("relocation section .rela.text.f", "section 60000");
}
END_TEST

/* Found by fuzzing: a bad header left a count without its array. */
START_TEST(test_shstrndx)
{
	ehdr()->e_shstrndx = 0;
	refused("no section name table", NULL);
}
END_TEST

START_TEST(test_not_elf)
{
	memcpy(img, "\177ELG", 4);
	refused("not an ELF file", NULL);
}
END_TEST

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("malformed");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_extable_reloc_offset);
	tcase_add_test(tc, test_reloc_field_crosses_end);
	tcase_add_test(tc, test_reloc_symbol_index);
	tcase_add_test(tc, test_reloc_type);
	tcase_add_test(tc, test_reloc_addend);
	tcase_add_test(tc, test_symbol_size);
	tcase_add_test(tc, test_symbol_value);
	tcase_add_test(tc, test_symbol_wraps);
	tcase_add_test(tc, test_symbol_section_index);
	tcase_add_test(tc, test_symbol_name);
	tcase_add_test(tc, test_alignment);
	tcase_add_test(tc, test_alignment_not_power_of_two);
	tcase_add_test(tc, test_nobits_size);
	tcase_add_test(tc, test_special_entry_size);
	tcase_add_test(tc, test_section_name);
	tcase_add_test(tc, test_symtab_entsize);
	tcase_add_test(tc, test_symtab_first_global);
	tcase_add_test(tc, test_rela_target);
	tcase_add_test(tc, test_shstrndx);
	tcase_add_test(tc, test_not_elf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hostile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
