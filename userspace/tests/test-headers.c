// SPDX-License-Identifier: GPL-2.0
/*
 * What a patch changes in a header, by name (create/headers.c): changed
 * macros and inline functions, closure over the header, comment-only
 * changes, struct layout changes refused naming the struct, and the
 * changes that cannot be put to names (every includer counts).
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../create/headers.h"

static struct hdr_diff d;

static void teardown(void)
{
	hdr_diff_free(&d);
}

static bool has_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < d.nr_names; i++)
		if (!strcmp(d.names[i], name))
			return true;
	return false;
}

/* @type is among the structs whose layout the objects decide. */
static bool has_type(const char *type)
{
	unsigned int i;

	for (i = 0; i < d.nr_types; i++)
		if (!strcmp(d.types[i], type))
			return true;
	return false;
}

static const char base[] =
	"#ifndef _X_H\n"
	"#define _X_H\n"
	"#include <linux/types.h>\n"
	"/* the limit */\n"
	"#define X_MAX 16\n"
	"#define X_HALF (X_MAX / 2)\n"
	"#define X_OTHER 3\n"
	"#define X_CALL(a) x_get(a)\n"
	"struct x_buf {\n"
	"\tint len;\n"
	"#ifdef CONFIG_X\n"
	"\tint extra;\n"
	"#endif\n"
	"\tchar data[X_OTHER];\n"
	"};\n"
	"typedef unsigned int x_t;\n"
	"enum x_state { X_IDLE, X_BUSY = 2 };\n"
	"extern int x_count __read_mostly;\n"
	"int x_register(struct x_buf *b);\n"
	"static inline int x_get(const struct x_buf *b)\n"
	"{\n"
	"\treturn b->len;\n"
	"}\n"
	"static inline __must_check int x_twice(const struct x_buf *b)\n"
	"{\n"
	"\treturn 2 * x_get(b);\n"
	"}\n"
	"static inline int x_other(void) { return X_OTHER; }\n"
	"DECLARE_X_THING(x_thing);\n"
	"#endif\n";

/* @text with @from replaced by @to (once). */
static char *edit_in(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	ck_assert_ptr_nonnull(at);
	out = malloc(strlen(text) + strlen(to) + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, text, at - text);
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

static char *edit(const char *from, const char *to)
{
	return edit_in(base, from, to);
}

static void diff_edit(const char *from, const char *to)
{
	char *post = edit(from, to);

	hdr_diff(base, post, &d);
	free(post);
}

START_TEST(test_same)
{
	hdr_diff(base, base, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
}
END_TEST

START_TEST(test_comments_and_spacing)
{
	diff_edit("/* the limit */\n#define X_MAX 16",
		  "/* the limit, in bytes */\n#define   X_MAX\t16 // max");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
	hdr_diff_free(&d);
	diff_edit("\treturn b->len;", "\treturn   b -> len ;");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
}
END_TEST

/* A macro: itself and what uses it in the header, nothing else. */
START_TEST(test_macro_closed_over_header)
{
	diff_edit("#define X_MAX 16", "#define X_MAX 32");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_MAX"));
	ck_assert(has_name("X_HALF"));
	ck_assert(!has_name("X_OTHER"));
	ck_assert(!has_name("x_get"));
	ck_assert_uint_eq(d.nr_names, 2);
}
END_TEST

/* An inline: itself, the inline and the macro that call it. */
START_TEST(test_inline)
{
	diff_edit("\treturn b->len;", "\treturn b->len > 0 ? b->len : 0;");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("x_get"));
	ck_assert(has_name("x_twice"));
	ck_assert(has_name("X_CALL"));
	ck_assert(!has_name("__must_check"));
	ck_assert(!has_name("x_buf"));
	ck_assert_uint_eq(d.nr_names, 3);
}
END_TEST

START_TEST(test_function_like_macro_spacing_matters)
{
	diff_edit("#define X_CALL(a) x_get(a)", "#define X_CALL (a) x_get(a)");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_CALL"));
}
END_TEST

START_TEST(test_declarations)
{
	diff_edit("extern int x_count __read_mostly;",
		  "extern long x_count __read_mostly;");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("x_count"));
	ck_assert(!has_name("__read_mostly"));
	hdr_diff_free(&d);
	diff_edit("int x_register(struct x_buf *b);",
		  "int x_register(struct x_buf *b, int flags);");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("x_register"));
	ck_assert_uint_eq(d.nr_names, 1);
}
END_TEST

START_TEST(test_added_and_removed)
{
	diff_edit("#define X_OTHER 3\n", "#define X_OTHER 3\n#define X_NEW 1\n");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_NEW"));
	ck_assert_uint_eq(d.nr_names, 1);
	hdr_diff_free(&d);
	diff_edit("static inline int x_other(void) { return X_OTHER; }\n", "");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("x_other"));
}
END_TEST

/* An enum's values: every enumerator, and what they size is refused. */
START_TEST(test_enum)
{
	diff_edit("X_BUSY = 2", "X_BUSY = 3");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_IDLE"));
	ck_assert(has_name("X_BUSY"));
	ck_assert(has_name("x_state"));
}
END_TEST

/* Changed members: the objects' debug info decides the layout (layout.c). */
START_TEST(test_struct_layout_to_check)
{
	static const char anon_a[] = "struct { int a; } x_var;\n";
	static const char anon_b[] = "struct { int a; int b; } x_var;\n";
	static const char tdef_a[] = "typedef struct { int a; } x_t;\n";
	static const char tdef_b[] = "typedef struct { int a; int b; } x_t;\n";

	diff_edit("\tint len;\n", "\tint len;\n\tint more;\n");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("x_buf"));
	ck_assert(has_type("struct x_buf"));
	ck_assert_uint_eq(d.nr_types, 1);
	hdr_diff_free(&d);
	/* inside an #ifdef of the body */
	diff_edit("\tint extra;\n", "\tlong extra;\n");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_type("struct x_buf"));
	hdr_diff_free(&d);
	/* a typedef's unnamed struct is found by the typedef's name */
	hdr_diff(tdef_a, tdef_b, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_type("typedef x_t"));
	hdr_diff_free(&d);
	/* nothing to find an unnamed struct by: refused, as before */
	hdr_diff(anon_a, anon_b, &d);
	ck_assert_int_eq(d.verdict, HDR_REFUSE);
	ck_assert_ptr_nonnull(strstr(d.why, "layout"));
	ck_assert_uint_eq(d.nr_types, 0);
}
END_TEST

/* Attributes after the body are no variable; a variable is every includer's. */
START_TEST(test_struct_attributes_and_variables)
{
	static const char a[] = "struct p { int a; } __packed;\n"
				"struct q { int a; } q_var;\n";
	static const char b[] = "struct p { int a; int b; } __packed;\n"
				"struct q { int a; } q_var;\n";
	static const char c[] = "struct p { int a; } __packed;\n"
				"struct q { long a; } q_var;\n";
	static const char e[] = "struct p { int a; } __packed;\n"
				"struct q { int a; } q_var, q_other;\n";

	hdr_diff(a, b, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_type("struct p"));
	hdr_diff_free(&d);
	/* q_var is every includer's */
	hdr_diff(a, c, &d);
	ck_assert_int_eq(d.verdict, HDR_ALL);
	ck_assert(has_type("struct q"));
	hdr_diff_free(&d);
	hdr_diff(a, e, &d);
	ck_assert_int_eq(d.verdict, HDR_ALL);
}
END_TEST

START_TEST(test_struct_comment_only)
{
	diff_edit("\tint len;\n", "\tint len;\t/* bytes used */\n");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
}
END_TEST

/* A macro that sizes a member changes the layout too. */
START_TEST(test_struct_sized_by_macro)
{
	diff_edit("#define X_OTHER 3", "#define X_OTHER 4");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_OTHER"));
	ck_assert(has_name("x_buf"));
	ck_assert(has_type("struct x_buf"));
}
END_TEST

START_TEST(test_typedef_refused)
{
	diff_edit("typedef unsigned int x_t;", "typedef unsigned long x_t;");
	ck_assert_int_eq(d.verdict, HDR_REFUSE);
	ck_assert_ptr_nonnull(strstr(d.why, "x_t"));
}
END_TEST

/* What cannot be put to names: every includer. */
START_TEST(test_fallbacks)
{
	diff_edit("DECLARE_X_THING(x_thing);", "DECLARE_X_THING(x_thing2);");
	ck_assert_int_eq(d.verdict, HDR_ALL);
	ck_assert_ptr_nonnull(strstr(d.why, "DECLARE_X_THING"));
	hdr_diff_free(&d);
	diff_edit("#include <linux/types.h>\n",
		  "#include <linux/types.h>\n#include <linux/kernel.h>\n");
	ck_assert_int_eq(d.verdict, HDR_ALL);
	ck_assert_ptr_nonnull(strstr(d.why, "#include"));
	hdr_diff_free(&d);
	/* a function every includer defines */
	diff_edit("#define X_OTHER 3\n",
		  "#define X_OTHER 3\nint x_table[2] = { 1, 2 };\n");
	ck_assert_int_eq(d.verdict, HDR_ALL);
	hdr_diff_free(&d);
	diff_edit("#define X_OTHER 3\n",
		  "#define X_OTHER 3\n#define X_PASTE(n) x_##n\n"
		  "X_PASTE(y)\n");
	ck_assert_int_eq(d.verdict, HDR_ALL);
	hdr_diff_free(&d);
	/* a changed macro that an #if tests */
	diff_edit("#ifdef CONFIG_X\n\tint extra;\n#endif\n",
		  "#if X_MAX > 8\n\tint extra;\n#endif\n");
	ck_assert(d.verdict != HDR_NAMES || has_type("struct x_buf"));
	hdr_diff_free(&d);
	{
		char *post = edit("#define X_HALF (X_MAX / 2)\n",
				  "#define X_HALF (X_MAX / 2)\n#if X_HALF > 4\n"
				  "#define X_BIG 1\n#endif\n");
		char *post2 = edit("#define X_HALF (X_MAX / 2)\n",
				   "#define X_HALF (X_MAX / 3)\n#if X_HALF > 4\n"
				   "#define X_BIG 1\n#endif\n");

		hdr_diff(post, post2, &d);
		ck_assert_int_eq(d.verdict, HDR_ALL);
		ck_assert_ptr_nonnull(strstr(d.why, "X_HALF"));
		free(post);
		free(post2);
	}
	hdr_diff_free(&d);
	/* beyond this parser: an unclosed body */
	diff_edit("\treturn b->len;\n}\n", "\treturn b->len;\n");
	ck_assert_int_eq(d.verdict, HDR_ALL);
}
END_TEST

/* A definition moved under an #ifdef changes, though its text did not. */
START_TEST(test_condition_is_part_of_definition)
{
	diff_edit("static inline int x_other(void) { return X_OTHER; }\n",
		  "#ifdef CONFIG_Y\nstatic inline int x_other(void) "
		  "{ return X_OTHER; }\n#endif\n");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("x_other"));
}
END_TEST

/* A semicolon-less invocation does not swallow the next definition. */
START_TEST(test_invocation_without_semicolon)
{
	static const char a[] =
		"DEFINE_STAT(rx)\nDEFINE_STAT(tx)\n"
		"static inline int y_fwd(int v)\n{\n\treturn v;\n}\n";
	static const char b[] =
		"DEFINE_STAT(rx)\nDEFINE_STAT(tx)\n"
		"static inline int y_fwd(int v)\n{\n\treturn v + 1;\n}\n";

	hdr_diff(a, b, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("y_fwd"));
	ck_assert_uint_eq(d.nr_names, 1);
}
END_TEST

/* Another header: its definitions that use a changed name. */
START_TEST(test_uses)
{
	static const char g[] =
		"#define Y_LIMIT (X_MAX + 1)\n"
		"static inline int y_len(const struct x_buf *b)\n"
		"{\n\treturn x_get(b) + 1;\n}\n"
		"struct y_ops {\n\tint (*x_get)(void);\n};\n"
		"struct y_arr {\n\tint v[X_MAX];\n};\n";
	char *names[] = { "x_get" }, *layout[] = { "X_MAX" };

	hdr_uses(g, names, 1, NULL, 0, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("y_len"));
	ck_assert(!has_name("x_get"));
	ck_assert(!has_name("y_ops"));
	ck_assert_uint_eq(d.nr_names, 1);
	hdr_diff_free(&d);
	hdr_uses(g, layout, 1, layout, 1, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("y_arr"));
	ck_assert(has_type("struct y_arr"));
	ck_assert_uint_eq(d.nr_types, 1);
	hdr_diff_free(&d);
	hdr_uses("#if X_MAX > 2\n#define Z 1\n#endif\n", layout, 1, layout, 1,
		 &d);
	ck_assert_int_eq(d.verdict, HDR_ALL);
}
END_TEST

/*
 * Another header's definition of a changed name is not a use of it: a
 * driver's typedef or enumerator spelled like one the patch changes
 * (mt7915's enumerators, rtl8192u's priority_t, j1939's) stays alone.
 */
START_TEST(test_uses_not_own_names)
{
	char *names[] = { "priority_t", "RSVD2" };

	hdr_uses("typedef __u8 priority_t;\n", names, 2, names, 2, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
	hdr_diff_free(&d);
	hdr_uses("typedef enum { RSVD1, RSVD2, HIGH } prio_t;\n"
		 "struct q { prio_t p[HIGH]; };\n", names, 2, names, 2, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
	ck_assert_uint_eq(d.nr_types, 0);
	hdr_diff_free(&d);
	/* a use beside its own name still counts */
	hdr_uses("typedef struct { char b[RSVD2]; } priority_t;\n", names, 2,
		 names, 2, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_type("typedef priority_t"));
}
END_TEST

/*
 * Assembler text for .S includers: each .macro is paired by its name, so
 * a macro added or changed names only itself, and C never sees it.
 */
static const char asm_base[] =
	"#ifdef __ASSEMBLY__\n"
	".macro X_UNTRAIN reg\n"
	"\tALTERNATIVE \"\", \"call x_untrain\", X86_FEATURE_X\n"
	".endm\n"
	"#ifdef CONFIG_X\n"
	".macro X_FILL\n"
	"\tnop\n"
	".endm\n"
	"#endif\n"
	"#define X_ASM_ONLY 1\n"
	"#else /* __ASSEMBLY__ */\n"
	"#define X_UNTRAIN_C \"call x_untrain\"\n"
	"void x_untrain(void);\n"
	"#endif\n"
	"#ifndef __ASSEMBLY__\n"
	"int x_c_only(int a);\n"
	"#else\n"
	"x_table:\n"
	"\t.quad 0\n"
	"#endif\n";

static void asm_diff(const char *from, const char *to)
{
	char *post = edit_in(asm_base, from, to);

	hdr_diff(asm_base, post, &d);
	free(post);
}

START_TEST(test_assembler_text)
{
	hdr_diff(asm_base, asm_base, &d);
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
	hdr_diff_free(&d);
	/* a macro added: itself, not its neighbours */
	asm_diff(".endm\n#ifdef CONFIG_X", ".endm\n.macro X_NEW\n\tret\n"
		 ".endm\n#ifdef CONFIG_X");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_NEW"));
	ck_assert_uint_eq(d.nr_names, 1);
	hdr_diff_free(&d);
	/* a macro's body changed, inside a nested #if */
	asm_diff("\tnop\n", "\tlfence\n");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_FILL"));
	ck_assert_uint_eq(d.nr_names, 1);
	hdr_diff_free(&d);
	/*
	 * the #else of #ifndef __ASSEMBLY__: data every .S includer
	 * assembles, and a .set or #define in a block defines a name
	 */
	asm_diff("\t.quad 0\n", "\t.quad 1\n");
	ck_assert_int_eq(d.verdict, HDR_ALL);
	ck_assert_ptr_nonnull(strstr(d.why, "x_table"));
	hdr_diff_free(&d);
	asm_diff("#define X_ASM_ONLY 1", "#define X_ASM_ONLY 2");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_ASM_ONLY"));
	ck_assert_uint_eq(d.nr_names, 1);
	hdr_diff_free(&d);
	asm_diff("#endif\n#define X_ASM_ONLY", "#endif\n.set X_SET, 4\n"
		 "#define X_ASM_ONLY");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("X_SET"));
	ck_assert_uint_eq(d.nr_names, 1);
	hdr_diff_free(&d);
	asm_diff("#endif\n#define X_ASM_ONLY", "#endif\n#include <asm/x.h>\n"
		 "#define X_ASM_ONLY");
	ck_assert_int_eq(d.verdict, HDR_ALL);
	hdr_diff_free(&d);
	asm_diff("#ifdef CONFIG_X\n.macro", "\t.popsection\n#ifdef CONFIG_X\n.macro");
	ck_assert_int_eq(d.verdict, HDR_ALL);
	ck_assert_ptr_nonnull(strstr(d.why, "assembler text"));
	hdr_diff_free(&d);
	/* the C half is C: a declaration changed is its name */
	asm_diff("int x_c_only(int a);", "int x_c_only(long a);");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert(has_name("x_c_only"));
	ck_assert_uint_eq(d.nr_names, 1);
	hdr_diff_free(&d);
	/* a forward declaration changes no code */
	asm_diff("void x_untrain(void);", "struct pt_regs;\nvoid x_untrain(void);");
	ck_assert_int_eq(d.verdict, HDR_NAMES);
	ck_assert_uint_eq(d.nr_names, 0);
}
END_TEST

static Suite *headers_suite(void)
{
	Suite *s = suite_create("headers");
	TCase *tc = tcase_create("diff");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_same);
	tcase_add_test(tc, test_comments_and_spacing);
	tcase_add_test(tc, test_macro_closed_over_header);
	tcase_add_test(tc, test_inline);
	tcase_add_test(tc, test_function_like_macro_spacing_matters);
	tcase_add_test(tc, test_declarations);
	tcase_add_test(tc, test_added_and_removed);
	tcase_add_test(tc, test_enum);
	tcase_add_test(tc, test_struct_layout_to_check);
	tcase_add_test(tc, test_struct_attributes_and_variables);
	tcase_add_test(tc, test_struct_comment_only);
	tcase_add_test(tc, test_struct_sized_by_macro);
	tcase_add_test(tc, test_typedef_refused);
	tcase_add_test(tc, test_fallbacks);
	tcase_add_test(tc, test_condition_is_part_of_definition);
	tcase_add_test(tc, test_invocation_without_semicolon);
	tcase_add_test(tc, test_uses);
	tcase_add_test(tc, test_uses_not_own_names);
	tcase_add_test(tc, test_assembler_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(headers_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
