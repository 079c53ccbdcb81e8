// SPDX-License-Identifier: GPL-2.0
/*
 * genksyms' .symtypes compared (create/symtypes.c): why an export's
 * version changes.  The texts model what kbuild's "make x.symtypes"
 * writes for the real cases: a member renamed or made const (the layout
 * stays), acpi_battery_hook's callbacks given one more parameter and
 * cxl_decoder's reset() made void (refused unless allowed), a struct
 * that one more #include defines (kpatch's symvers-disagreement-FAIL), a
 * changed declaration, typedef and enum.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../create/symtypes.h"

static const char *proven_label;
static bool allow_callbacks;
static char *note;

static bool proven(const char *label, void *arg)
{
	(void)arg;
	return proven_label && !strcmp(label, proven_label);
}

/* The reason, or NULL, for @symbol from @pre to @post; @note as told. */
static char *explain(const char *pre, const char *post, const char *symbol)
{
	struct symtypes *a = symtypes_parse(pre), *b = symtypes_parse(post);
	struct st_policy policy = { .proven = proven,
				    .allow_retyped_callbacks = allow_callbacks };
	char *why;

	free(note);
	why = symtypes_explain(a, b, symbol, &policy, &note);
	symtypes_free(a);
	symtypes_free(b);
	return why;
}

#define LIST "s#list_head struct list_head { s#list_head * next , * prev ; }\n"
#define PSY "s#power_supply struct power_supply { UNKNOWN }\n"
#define HOOK_PRE LIST PSY \
	"s#acpi_battery_hook struct acpi_battery_hook { const char * name ; " \
	"int ( * add_battery ) ( s#power_supply * ) ; " \
	"s#list_head list ; }\n"
#define HOOK_POST LIST PSY \
	"s#acpi_battery_hook struct acpi_battery_hook { const char * name ; " \
	"int ( * add_battery ) ( s#power_supply * , s#acpi_battery_hook * ) ; " \
	"s#list_head list ; }\n"
#define REG "battery_hook_register void battery_hook_register ( " \
	"s#acpi_battery_hook * )\n"

#define NAMED(member) LIST PSY \
	"s#acpi_battery_hook struct acpi_battery_hook { " member " ; " \
	"int ( * add_battery ) ( s#power_supply * ) ; " \
	"s#list_head list ; }\n"

/* A member renamed, a pointer made const: the layout proven, no callback. */
START_TEST(proven_struct_explains)
{
	proven_label = "struct acpi_battery_hook";
	allow_callbacks = false;
	ck_assert_ptr_null(explain(NAMED("const char * name") REG,
				   NAMED("const char * label") REG,
				   "battery_hook_register"));
	ck_assert_ptr_null(note);
	ck_assert_ptr_null(explain(NAMED("const char * name") REG,
				   NAMED("const char * const name") REG,
				   "battery_hook_register"));
}
END_TEST

/* One more parameter: refused, naming the callback, unless allowed. */
START_TEST(retyped_callback)
{
	char *why;

	proven_label = "struct acpi_battery_hook";
	allow_callbacks = false;
	why = explain(HOOK_PRE REG, HOOK_POST REG, "battery_hook_register");
	ck_assert_str_eq(why, "struct acpi_battery_hook's callback add_battery "
			 "changes its type: an out-of-tree module built against "
			 "the old type would call it or be called wrongly; "
			 "--allow-retyped-callbacks if none does");
	free(why);
	allow_callbacks = true;
	ck_assert_ptr_null(explain(HOOK_PRE REG, HOOK_POST REG,
				   "battery_hook_register"));
	ck_assert_str_eq(note, "struct acpi_battery_hook's callback add_battery "
			 "changes its type");
	allow_callbacks = false;
}
END_TEST

/* cxl_decoder's reset() made void; a callback renamed is not retyped. */
START_TEST(callback_return_and_rename)
{
	const char *pre = "s#cxl_decoder struct cxl_decoder { int id ; "
		"int ( * commit ) ( s#cxl_decoder * ) ; "
		"int ( * reset ) ( s#cxl_decoder * ) ; }\n"
		"cxl_decoder_add int cxl_decoder_add ( s#cxl_decoder * )\n";
	const char *post = "s#cxl_decoder struct cxl_decoder { int id ; "
		"int ( * commit ) ( s#cxl_decoder * ) ; "
		"void ( * reset ) ( s#cxl_decoder * ) ; }\n"
		"cxl_decoder_add int cxl_decoder_add ( s#cxl_decoder * )\n";
	const char *renamed = "s#cxl_decoder struct cxl_decoder { int id ; "
		"int ( * commit ) ( s#cxl_decoder * ) ; "
		"int ( * undo ) ( s#cxl_decoder * ) ; }\n"
		"cxl_decoder_add int cxl_decoder_add ( s#cxl_decoder * )\n";
	char *why;

	proven_label = "struct cxl_decoder";
	allow_callbacks = false;
	why = explain(pre, post, "cxl_decoder_add");
	ck_assert_ptr_nonnull(strstr(why, "struct cxl_decoder's callback reset "
				     "changes its type"));
	free(why);
	ck_assert_ptr_null(explain(pre, renamed, "cxl_decoder_add"));
}
END_TEST

/* A struct-typed member, a pointer to a function, become a plain member. */
START_TEST(callback_count_changes)
{
	char *why;

	proven_label = "struct acpi_battery_hook";
	why = explain(NAMED("const char * name") REG,
		      LIST PSY "s#acpi_battery_hook struct acpi_battery_hook { "
		      "const char * name ; void * add_battery ; s#list_head list ; }\n"
		      REG, "battery_hook_register");
	ck_assert_ptr_eq(strstr(why, "struct acpi_battery_hook has 1 callback "
				"before the patch, 0 after it: an out-of-tree"), why);
	free(why);
}
END_TEST

START_TEST(unproven_struct_named)
{
	char *why;

	proven_label = "struct list_head";
	why = explain(HOOK_PRE REG, HOOK_POST REG, "battery_hook_register");
	ck_assert_str_eq(why, "struct acpi_battery_hook changes");
	free(why);
}
END_TEST

/* A struct two levels down counts as much as one named in the declaration. */
START_TEST(reached_through_pointer)
{
	const char *outer = "s#battery struct battery { s#acpi_battery_hook * h ; }\n"
		"battery_get void battery_get ( s#battery * )\n";
	char *pre = malloc(strlen(HOOK_PRE) + strlen(outer) + 1);
	char *post = malloc(strlen(HOOK_POST) + strlen(outer) + 1);
	char *why;

	strcat(strcpy(pre, HOOK_PRE), outer);
	strcat(strcpy(post, HOOK_POST), outer);
	proven_label = NULL;
	why = explain(pre, post, "battery_get");
	ck_assert_str_eq(why, "struct acpi_battery_hook changes");
	free(why);
	proven_label = "struct acpi_battery_hook";
	allow_callbacks = true;
	ck_assert_ptr_null(explain(pre, post, "battery_get"));
	allow_callbacks = false;
	free(pre);
	free(post);
}
END_TEST

/* kpatch's symvers-disagreement-FAIL: one more #include defines a struct. */
START_TEST(declared_then_defined)
{
	const char *pre = "s#device_private struct device_private { UNKNOWN }\n"
		"s#device struct device { s#device_private * p ; }\n"
		"get_device s#device * get_device ( s#device * )\n";
	const char *post = "s#klist struct klist { int n ; }\n"
		"s#device_private struct device_private { s#klist klist_children ; }\n"
		"s#device struct device { s#device_private * p ; }\n"
		"get_device s#device * get_device ( s#device * )\n";
	char *why;

	proven_label = "struct device_private";
	why = explain(pre, post, "get_device");
	ck_assert_str_eq(why, "struct device_private is only declared before "
			 "the patch, defined after it");
	free(why);
}
END_TEST

START_TEST(declaration_changes)
{
	char *why;

	proven_label = "struct acpi_battery_hook";
	why = explain(HOOK_PRE REG, HOOK_POST
		      "battery_hook_register int battery_hook_register ( "
		      "s#acpi_battery_hook * )\n", "battery_hook_register");
	ck_assert_str_eq(why, "its declaration changes");
	free(why);
}
END_TEST

START_TEST(typedef_and_enum_refused)
{
	char *why;

	/* an unnamed struct's typedef: headers.c labels it so */
	proven_label = "typedef s_t";
	why = explain("t#s_t typedef struct { int a ; } s_t\nf void f ( t#s_t * )\n",
		      "t#s_t typedef struct { int b ; } s_t\nf void f ( t#s_t * )\n", "f");
	ck_assert_ptr_null(why);
	proven_label = NULL;
	why = explain("t#u_t typedef int u_t\nf void f ( t#u_t )\n",
		      "t#u_t typedef long u_t\nf void f ( t#u_t )\n", "f");
	ck_assert_str_eq(why, "typedef u_t changes");
	free(why);
	proven_label = "enum mode";
	why = explain("e#mode enum mode { A , B }\nf void f ( e#mode )\n",
		      "e#mode enum mode { A , C , B }\nf void f ( e#mode )\n", "f");
	ck_assert_str_eq(why, "enum mode changes");
	free(why);
}
END_TEST

/* A changed struct no export reaches is not this export's reason. */
START_TEST(unreached_ignored)
{
	proven_label = NULL;
	ck_assert_ptr_null(explain("s#other struct other { int a ; }\n"
				   "f void f ( int )\n",
				   "s#other struct other { long a ; }\n"
				   "f void f ( int )\n", "f"));
}
END_TEST

START_TEST(undescribed_symbol)
{
	char *why = explain("g void g ( int )\n", "g void g ( int )\n", "f");

	ck_assert_str_eq(why, "genksyms did not describe it");
	free(why);
}
END_TEST

/* Junk lines (no name, no space, empty) are skipped, not misread. */
START_TEST(junk_lines)
{
	proven_label = NULL;
	ck_assert_ptr_null(explain("\n \nnospace\nf void f ( int )", "f void f ( int )\n\n", "f"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symtypes");
	TCase *tc = tcase_create("symtypes");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, proven_struct_explains);
	tcase_add_test(tc, retyped_callback);
	tcase_add_test(tc, callback_return_and_rename);
	tcase_add_test(tc, callback_count_changes);
	tcase_add_test(tc, unproven_struct_named);
	tcase_add_test(tc, reached_through_pointer);
	tcase_add_test(tc, declared_then_defined);
	tcase_add_test(tc, declaration_changes);
	tcase_add_test(tc, typedef_and_enum_refused);
	tcase_add_test(tc, unreached_ignored);
	tcase_add_test(tc, undescribed_symbol);
	tcase_add_test(tc, junk_lines);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(note);
	return failed ? 1 : 0;
}
