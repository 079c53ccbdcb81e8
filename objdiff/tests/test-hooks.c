// SPDX-License-Identifier: GPL-2.0
/*
 * objdiff unit tests of hooks (<ksplice/patch.h>): a hook function is new
 * code nothing calls, carried as a root and listed in the glue's hook
 * sets; hooks alone are a change; a hook must be runtime code.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "objdiff.h"
#include "internal.h"

#define CFLAGS "-O2 -ffunction-sections -fdata-sections -fno-pic " \
	"-mcmodel=kernel -fno-asynchronous-unwind-tables " \
	"-fno-stack-protector -fcf-protection=none -w -c"

/* What patch.h's macros expand to. */
#define HOOK(phase, kind, fn, type) \
	#type " __ksplice_hook_" #phase "_" #kind "__" #fn "(void) " \
	"__attribute__((alias(\"" #fn "\")));\n"

static char workdir[] = "/tmp/objdiff-hooks.XXXXXX";

static void compile(const char *name, const char *src)
{
	char path[256], cmd[640];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.c", workdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gcc " CFLAGS " -o %s/%s.o %s", workdir,
		 name, path);
	ck_assert_int_eq(system(cmd), 0);
}

static struct od_result *diff(const char *pre, const char *post)
{
	struct od_options opt = { .target = "target", .tag = "t" };
	char a[256], b[256];
	struct od_result *res;

	compile("pre", pre);
	compile("post", post);
	snprintf(a, sizeof(a), "%s/pre.o", workdir);
	snprintf(b, sizeof(b), "%s/post.o", workdir);
	res = od_diff(a, b, &opt);
	od_print_msgs(res, stderr, "  | ");
	return res;
}

static char *glue(struct od_result *r)
{
	struct od_update_info info = { .id = "h", .description = "hooks" };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_int_eq(od_write_c(f, &info, &r, 1), 0);
	fclose(f);
	return text;
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(workdir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", workdir);
	strcpy(workdir, "/tmp/objdiff-hooks.XXXXXX");
}

#define BASE "int limit = 3;\nint f(int x) { return x < limit; }\n"

/* A new function nothing calls is no change; the same as a hook is one. */
START_TEST(test_hook_only)
{
	const char *plain = BASE "static int fix(void) { limit = 5; return 0; }\n";
	const char *hooked = BASE "static int fix(void) { limit = 5; return 0; }\n"
			     HOOK(apply, apply, fix, int);
	struct od_result *r = diff(BASE, plain);
	struct od_obj o;
	char path[256], err[256], *text;
	size_t i;
	bool anchor = false;

	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	od_result_free(r);
	r = diff(BASE, hooked);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 0);
	ck_assert_uint_eq(r->nr_hooks, 1);
	ck_assert_str_eq(r->hooks[0].phase, "apply");
	ck_assert_str_eq(r->hooks[0].kind, "apply");
	ck_assert_str_eq(r->hooks[0].name, "fix");
	/* limit stays the running one: a field the engine fills */
	ck_assert_uint_eq(r->nr_krelocs, 1);
	ck_assert_str_eq(r->krelocs[0].symbol, "limit");
	snprintf(path, sizeof(path), "%s/update.o", workdir);
	ck_assert_int_eq(od_write_object(r, path), 0);
	ck_assert_int_eq(od_obj_load(&o, path, err, sizeof(err)), 0);
	for (i = 1; i < o.nsyms; i++)
		anchor |= !strcmp(o.syms[i].name, r->hooks[0].anchor) &&
			  o.syms[i].bind == STB_GLOBAL;
	ck_assert(anchor);
	od_obj_free(&o);
	text = glue(r);
	ck_assert_ptr_nonnull(strstr(text, "static const ksplice_call_t "
				     "ksplice_apply_apply_hooks[] = {"));
	ck_assert_ptr_nonnull(strstr(text, "(ksplice_call_t)__ksplice_t_fix,"));
	ck_assert_ptr_nonnull(strstr(text, ".apply_hooks = {\n\t\t.apply = "
				     "ksplice_apply_apply_hooks,\n\t},"));
	ck_assert_ptr_null(strstr(text, ".undo_hooks"));
	free(text);
	od_result_free(r);
}
END_TEST

/* Every kind of both phases, beside a changed function, in file order. */
START_TEST(test_hook_sets)
{
	const char *post =
		"int limit = 3;\nint f(int x) { return x <= limit; }\n"
		"static int a(void) { return 0; }\n" HOOK(apply, pre, a, int)
		"static int b(void) { return 0; }\n" HOOK(apply, check, b, int)
		"static void c(void) { }\n" HOOK(apply, post, c, void)
		"static void d(void) { }\n" HOOK(apply, fail, d, void)
		"static int e(void) { return 0; }\n" HOOK(undo, pre, e, int)
		"static void g(void) { limit = 3; }\n" HOOK(undo, post, g, void)
		"static int h(void) { return 1; }\n" HOOK(undo, pre, h, int);
	struct od_result *r = diff(BASE, post);
	char *text;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert_uint_eq(r->nr_hooks, 7);
	text = glue(r);
	ck_assert_ptr_nonnull(strstr(text, "ksplice_notify_t ksplice_apply_post_hooks[]"));
	ck_assert_ptr_nonnull(strstr(text, "ksplice_notify_t ksplice_apply_fail_hooks[]"));
	ck_assert_ptr_nonnull(strstr(text, "ksplice_call_t ksplice_apply_check_hooks[]"));
	/* two undo pre hooks, in the file's order, then the terminator */
	ck_assert_ptr_nonnull(strstr(text, "ksplice_undo_pre_hooks[] = {\n"
				     "\t(ksplice_call_t)__ksplice_t_e,\t/* e */\n"
				     "\t(ksplice_call_t)__ksplice_t_h,\t/* h */\n"
				     "\tNULL,\n};"));
	ck_assert_ptr_nonnull(strstr(text, ".undo_hooks = {\n\t\t.pre = "
				     "ksplice_undo_pre_hooks,\n\t\t.post = "
				     "ksplice_undo_post_hooks,\n\t},"));
	free(text);
	od_result_free(r);
}
END_TEST

/* A hook must run later: __init code is gone by then. */
START_TEST(test_hook_init_refused)
{
	const char *post = BASE "__attribute__((section(\".init.text\"))) "
			   "static int fix(void) { limit = 5; return 0; }\n"
			   HOOK(apply, pre, fix, int);
	struct od_result *r = diff(BASE, post);

	ck_assert_int_eq(r->status, OD_REFUSED);
	od_result_free(r);
}
END_TEST

/* The refusal of a changed initializer says how to do it with a hook. */
START_TEST(test_initializer_hint)
{
	struct od_result *r = diff(BASE, "int limit = 5;\n"
				   "int f(int x) { return x < limit; }\n");
	unsigned int i;
	bool hint = false;

	ck_assert_int_eq(r->status, OD_REFUSED);
	for (i = 0; i < r->nr_msgs; i++)
		hint |= r->msgs[i].kind == OD_MSG_REFUSE && r->msgs[i].hint &&
			strstr(r->msgs[i].hint, "ksplice_apply(fix)");
	ck_assert(hint);
	od_result_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hooks");
	TCase *tc = tcase_create("hooks");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hook_only);
	tcase_add_test(tc, test_hook_sets);
	tcase_add_test(tc, test_hook_init_refused);
	tcase_add_test(tc, test_initializer_hint);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
