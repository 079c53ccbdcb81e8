// SPDX-License-Identifier: GPL-2.0
/*
 * objdiff run-pre data: the bytes, the mask over what the kernel rewrites
 * and the named relocations of each replaced function.  The sites come
 * from the code generation flags of Debian's kernel (fentry, return and
 * indirect-branch thunks), from the kernel's own tables written by hand
 * in asm (jump label, lock prefix, alternative, static call, paravirt,
 * retpoline), and, where it is installed, from objtool.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "objdiff.h"
#include "internal.h"

#define CFLAGS "-O2 -ffunction-sections -fdata-sections -fno-pic " \
	"-mcmodel=kernel -fno-asynchronous-unwind-tables " \
	"-fno-stack-protector -fcf-protection=none -w -c"
/* what Debian's 6.1 builds with: fentry calls, thunks */
#define KFLAGS "-mfentry -pg -mrecord-mcount -mfunction-return=thunk-extern " \
	"-mindirect-branch=thunk-extern -mindirect-branch-register"
#define OBJTOOL "/usr/lib/linux-kbuild-6.1/tools/objtool/objtool"

static char workdir[] = "/tmp/objdiff-runpre.XXXXXX";
static struct od_symset *exported;

static void compile(const char *name, const char *src, const char *flags,
		    bool objtool)
{
	char path[256], cmd[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.c", workdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gcc " CFLAGS " %s -o %s/%s.o %s", flags,
		 workdir, name, path);
	ck_assert_int_eq(system(cmd), 0);
	if (objtool) {
		snprintf(cmd, sizeof(cmd), OBJTOOL " --retpoline --rethunk "
			 "%s/%s.o", workdir, name);
		ck_assert_int_eq(system(cmd), 0);
	}
}

static struct od_result *diff(const char *pre, const char *post,
			      const char *flags, bool objtool)
{
	struct od_options opt = {
		.target = "target", .tag = "t", .exported = exported,
		.objname = "dir/t.o",
	};
	char a[256], b[256];
	struct od_result *res;

	compile("pre", pre, flags, objtool);
	compile("post", post, flags, objtool);
	snprintf(a, sizeof(a), "%s/pre.o", workdir);
	snprintf(b, sizeof(b), "%s/post.o", workdir);
	res = od_diff(a, b, &opt);
	od_print_msgs(res, stderr, "  | ");
	ck_assert_int_eq(res->status, OD_CHANGED);
	return res;
}

static const struct od_func *func_named(const struct od_result *r,
					const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_funcs; i++)
		if (!strcmp(r->funcs[i].name, name))
			return &r->funcs[i];
	ck_abort_msg("no function %s", name);
	return NULL;
}

static const struct od_prereloc *reloc_at(const struct od_func *f,
					  unsigned long off)
{
	unsigned int i;

	for (i = 0; i < f->nr_pre_relocs; i++)
		if (f->pre_relocs[i].offset == off)
			return &f->pre_relocs[i];
	return NULL;
}

static const struct od_prereloc *reloc_to(const struct od_func *f,
					  const char *prefix)
{
	unsigned int i;

	for (i = 0; i < f->nr_pre_relocs; i++)
		if (!strncmp(f->pre_relocs[i].symbol, prefix, strlen(prefix)))
			return &f->pre_relocs[i];
	return NULL;
}

/* Offset of @pat in the function's bytes (it must be there). */
static unsigned long find(const struct od_func *f, const void *pat, size_t n)
{
	const unsigned char *p = memmem(f->pre_code, f->size, pat, n);

	ck_assert_msg(p != NULL, "pattern not in %s", f->name);
	return p - f->pre_code;
}

/* mask[from, from + len) is 0x00, and only that around it */
static void masked(const struct od_func *f, unsigned long from,
		   unsigned long len)
{
	unsigned long i;

	for (i = from; i < from + len; i++)
		ck_assert_msg(f->pre_mask[i] == 0, "%s+%lu not masked", f->name, i);
}

static void kept(const struct od_func *f, unsigned long from, unsigned long len)
{
	unsigned long i;

	for (i = from; i < from + len; i++)
		ck_assert_msg(f->pre_mask[i] == 0xff, "%s+%lu masked", f->name, i);
}

/* The relocations left are exactly those over kept bytes. */
static void relocs_unmasked(const struct od_func *f)
{
	unsigned int i;

	for (i = 0; i < f->nr_pre_relocs; i++)
		kept(f, f->pre_relocs[i].offset, 4);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(workdir));
	exported = od_symset_new();
	od_symset_add_owner(exported, "ext", "vmlinux");
	od_symset_add_owner(exported, "modfn", "somemod");
	od_symset_add_owner(exported, "key", "vmlinux");
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", workdir);
	strcpy(workdir, "/tmp/objdiff-runpre.XXXXXX");
	od_symset_free(exported);
}

#define THUNK_SRC "extern int ext(int);\nextern int modfn(int);\n" \
	"int (*fp)(int);\n" \
	"int f(int x) { return fp(x) + ext(x) + modfn(x) + %d; }\n"

static void check_thunks(bool objtool)
{
	char pre[256], post[256];
	const struct od_prereloc *r;
	const struct od_func *f;
	struct od_result *res;
	unsigned long at;

	snprintf(pre, sizeof(pre), THUNK_SRC, 1);
	snprintf(post, sizeof(post), THUNK_SRC, 2);
	res = diff(pre, post, KFLAGS, objtool);
	f = func_named(res, "f");
	ck_assert_ptr_nonnull(f->pre_code);
	/* call __fentry__ at the entry */
	ck_assert_uint_eq(f->pre_code[0], 0xe8);
	masked(f, 0, 5);
	/* ret is jmp __x86_return_thunk, the last 5 bytes */
	ck_assert_uint_eq(f->pre_code[f->size - 5], 0xe9);
	masked(f, f->size - 5, 5);
	/* the indirect call through the thunk: the first call after fp's load */
	r = reloc_to(f, "fp");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->object, "target");
	ck_assert_int_eq(r->type, R_X86_64_PC32);
	ck_assert_int_eq(r->addend, -4);
	at = r->offset + 4;
	ck_assert_uint_eq(f->pre_code[at], 0xe8);
	masked(f, at, 5);
	/* ext and modfn stay, named with the object that exports them */
	r = reloc_to(f, "ext");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->object, "vmlinux");
	ck_assert_int_eq(r->type, R_X86_64_PC32);	/* was PLT32 */
	r = reloc_to(f, "modfn");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->object, "somemod");
	ck_assert_ptr_null(reloc_to(f, "__fentry__"));
	ck_assert_ptr_null(reloc_to(f, "__x86_"));
	relocs_unmasked(f);
	/* the bytes are the pre object's: fields as the assembler left them */
	kept(f, 5, 1);
	od_result_free(res);
}

START_TEST(test_thunks_and_fentry)
{
	check_thunks(false);
}
END_TEST

START_TEST(test_thunks_objtool)
{
	if (access(OBJTOOL, X_OK)) {
		fprintf(stderr, "  | no %s: covered without it only\n", OBJTOOL);
		return;
	}
	check_thunks(true);
}
END_TEST

/* The kernel's tables, written by hand as its macros write them. */
#define TABLES_SRC \
	"extern int ext(int);\nextern long pv_ops[];\nextern void __SCT__tp(void);\n" \
	"extern int key;\n" \
	"int g(int x)\n{\n" \
	"	asm volatile(\n" \
	"	\"1: .byte 0x0f,0x1f,0x44,0x00,0x00\\n\"\n" \
	"	\".pushsection __jump_table,\\\"aw\\\"\\n .balign 8\\n\"\n" \
	"	\".long 1b - ., 2f - .\\n .quad key - .\\n .popsection\\n\"\n" \
	"	\"2: lock incl key(%%%%rip)\\n\"\n" \
	"	\".pushsection .smp_locks,\\\"a\\\"\\n .long 2b - .\\n .popsection\\n\"\n" \
	"	\"4: .byte 0x90,0x90,0x90\\n5:\\n\"\n" \
	"	\".pushsection .altinstructions,\\\"a\\\"\\n .long 4b - ., 6f - .\\n\"\n" \
	"	\".word 42\\n .byte 5b - 4b, 7f - 6f\\n .popsection\\n\"\n" \
	"	\".pushsection .altinstr_replacement,\\\"ax\\\"\\n\"\n" \
	"	\"6: .byte 0x0f,0x01,0xcb\\n7:\\n .popsection\\n\"\n" \
	"	\"8: call __SCT__tp\\n\"\n" \
	"	\".pushsection .static_call_sites,\\\"a\\\"\\n\"\n" \
	"	\".long 8b - ., key - .\\n .popsection\\n\"\n" \
	"	\"9: call *pv_ops+8(%%%%rip)\\n10:\\n\"\n" \
	"	\".pushsection .parainstructions,\\\"a\\\"\\n .balign 8\\n\"\n" \
	"	\".quad 9b\\n .byte 1, 10b - 9b\\n .balign 8\\n .popsection\\n\"\n" \
	"	\"11: .byte 0x2e\\n call __x86_indirect_thunk_r11\\n\"\n" \
	"	\".pushsection .retpoline_sites,\\\"a\\\"\\n .long 11b - .\\n\"\n" \
	"	\".popsection\\n\" ::: \"memory\");\n" \
	"	return ext(x) + %d;\n}\n"

START_TEST(test_tables)
{
	static const unsigned char nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	char pre[4096], post[4096];
	const struct od_prereloc *r;
	const struct od_func *f;
	struct od_result *res;
	unsigned long j, lock, alt, sc, pv, rp;

	snprintf(pre, sizeof(pre), TABLES_SRC, 1);
	snprintf(post, sizeof(post), TABLES_SRC, 2);
	res = diff(pre, post, "", false);
	f = func_named(res, "g");
	j = find(f, nop5, sizeof(nop5));
	lock = j + 5;
	alt = lock + 7;		/* f0 ff 05 rel32 */
	sc = alt + 3;
	pv = sc + 5;
	rp = pv + 6;		/* ff 15 rel32 */
	ck_assert_uint_eq(f->pre_code[lock], 0xf0);
	ck_assert_uint_eq(f->pre_code[alt], 0x90);
	ck_assert_uint_eq(f->pre_code[sc], 0xe8);
	ck_assert_uint_eq(f->pre_code[pv], 0xff);
	ck_assert_uint_eq(f->pre_code[rp], 0x2e);
	masked(f, j, 5);		/* jump label */
	masked(f, lock, 1);		/* lock prefix only */
	kept(f, lock + 1, 6);		/* incl key(%rip) stays */
	masked(f, alt, 3);		/* alternative: instrlen */
	masked(f, sc, 5);		/* static call */
	masked(f, pv, 6);		/* paravirt: len */
	masked(f, rp, 6);		/* cs call thunk */
	kept(f, rp + 6, 1);
	/* key's field in the locked insn is compared through its symbol */
	r = reloc_at(f, lock + 3);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->symbol, "key");
	ck_assert_str_eq(r->object, "vmlinux");
	ck_assert_int_eq(r->addend, -4);
	ck_assert_ptr_null(reloc_to(f, "__SCT__tp"));
	ck_assert_ptr_null(reloc_to(f, "pv_ops"));
	ck_assert_ptr_null(reloc_to(f, "__x86_indirect_thunk_r11"));
	ck_assert_ptr_nonnull(reloc_to(f, "ext"));
	relocs_unmasked(f);
	od_result_free(res);
}
END_TEST

/* Strings, anonymous data, statics and extern symbols, named. */
#define NAMES_SRC \
	"static int hits;\nextern int other(const char *);\n" \
	"int h(void)\n{\n	long p;\n" \
	"	asm(\"leaq 1f(%%%%rip), %%0\\n\"\n" \
	"	    \".pushsection .rodata.anon,\\\"a\\\"\\n1: .long 5, 6\\n\"\n" \
	"	    \".popsection\" : \"=r\"(p));\n" \
	"	hits++;\n	return other(\"ksplice %%d\\n\") + hits + p + %d;\n}\n"

START_TEST(test_names)
{
	char pre[1024], post[1024], *text = NULL;
	size_t len = 0;
	struct od_update_info info = { .id = "x", .description = "x" };
	const struct od_prereloc *r;
	const struct od_func *f;
	struct od_result *res;
	FILE *out;

	snprintf(pre, sizeof(pre), NAMES_SRC, 1);
	snprintf(post, sizeof(post), NAMES_SRC, 2);
	res = diff(pre, post, "", false);
	f = func_named(res, "h");
	/* a static, named by its object: another file's hits is another */
	r = reloc_to(f, "dir/t.o:hits");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->object, "target");
	r = reloc_to(f, "other");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->object, "target");	/* not exported */
	/* the string by itself: the linker merges strings across objects */
	r = reloc_to(f, "dir/t.o:.rodata.h.str1.1+0x");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->object, "target");
	/* anonymous data: its section, the field's offset in the addend */
	r = reloc_to(f, "dir/t.o:.rodata.anon");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->symbol, "dir/t.o:.rodata.anon");
	ck_assert_int_eq(r->addend, -4);
	ck_assert_int_eq(r->type, R_X86_64_PC32);
	relocs_unmasked(f);
	/* the C glue carries them */
	out = open_memstream(&text, &len);
	ck_assert_int_eq(od_write_c(out, &info, &res, 1), 0);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "ksplice_pre_code_0["));
	ck_assert_ptr_nonnull(strstr(text, ".pre_mask = ksplice_pre_mask_0"));
	ck_assert_ptr_nonnull(strstr(text, ".symbol = \"dir/t.o:.rodata.anon\""));
	ck_assert_ptr_nonnull(strstr(text, ".nr_pre_relocs = "
				     "ARRAY_SIZE(ksplice_pre_relocs_0)"));
	free(text);
	od_result_free(res);
}
END_TEST

static Suite *runpre_suite(void)
{
	Suite *s = suite_create("runpre");
	TCase *tc = tcase_create("runpre");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_thunks_and_fentry);
	tcase_add_test(tc, test_thunks_objtool);
	tcase_add_test(tc, test_tables);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(runpre_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
