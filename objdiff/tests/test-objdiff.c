// SPDX-License-Identifier: GPL-2.0
/*
 * objdiff unit tests: each compiles a pre and a post version of a small C
 * file with the section flags of a kernel build, diffs them and checks the
 * verdict, the tables for the engine and the update object written.
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

static char workdir[] = "/tmp/objdiff-test.XXXXXX";
static struct od_symset *exported;

static void compile_with(const char *name, const char *src, const char *flags)
{
	char path[256], cmd[640];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.c", workdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gcc " CFLAGS " %s -o %s/%s.o %s", flags,
		 workdir, name, path);
	ck_assert_int_eq(system(cmd), 0);
}

static void compile(const char *name, const char *src)
{
	compile_with(name, src, "");
}

static struct od_result *diff_opt(const char *pre, const char *post,
				   struct od_options *opt);

static struct od_result *diff(const char *pre, const char *post)
{
	struct od_options opt = {
		.target = "target", .tag = "t", .exported = exported,
	};

	return diff_opt(pre, post, &opt);
}

static struct od_result *diff_opt(const char *pre, const char *post,
				   struct od_options *opt)
{
	char a[256], b[256];
	struct od_result *res;

	compile("pre", pre);
	compile("post", post);
	snprintf(a, sizeof(a), "%s/pre.o", workdir);
	snprintf(b, sizeof(b), "%s/post.o", workdir);
	res = od_diff(a, b, opt);
	od_print_msgs(res, stderr, "  | ");
	return res;
}

/* Write the update object and load it back. */
static void written(struct od_result *res, struct od_obj *o)
{
	char path[256], err[256];

	snprintf(path, sizeof(path), "%s/update.o", workdir);
	ck_assert_int_eq(od_write_object(res, path), 0);
	ck_assert_int_eq(od_obj_load(o, path, err, sizeof(err)), 0);
}

static struct od_sec *sec_named(struct od_obj *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->nsecs; i++)
		if (!strcmp(o->secs[i].name, name))
			return &o->secs[i];
	return NULL;
}

static const struct od_func *func_named(const struct od_result *r,
					const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_funcs; i++)
		if (!strcmp(r->funcs[i].name, name))
			return &r->funcs[i];
	return NULL;
}

static bool refused_for(const struct od_result *r, const char *sym)
{
	unsigned int i;

	for (i = 0; i < r->nr_msgs; i++)
		if (r->msgs[i].kind == OD_MSG_REFUSE && r->msgs[i].symbol &&
		    !strcmp(r->msgs[i].symbol, sym) && r->msgs[i].hint)
			return true;
	return false;
}

static bool has_string(struct od_obj *o, const char *s)
{
	size_t i;

	for (i = 0; i < o->nsecs; i++)
		if (o->secs[i].data && o->secs[i].sh.sh_size >= strlen(s) &&
		    memmem(o->secs[i].data, o->secs[i].sh.sh_size, s,
			   strlen(s) + 1))
			return true;
	return false;
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(workdir));
	exported = od_symset_new();
	od_symset_add(exported, "printk");
	od_symset_add(exported, "report");
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", workdir);
	strcpy(workdir, "/tmp/objdiff-test.XXXXXX");
	od_symset_free(exported);
}

#define F_BODY "__attribute__((noinline)) int f(int x) { return x * %d; }\n" \
	"int caller(int x) { return f(x) + 1; }\n"

START_TEST(test_unchanged)
{
	const char *src = "int f(int x) { return x + 1; }\n"
			  "static int v = 3;\nint g(void) { return v++; }\n";
	struct od_result *r = diff(src, src);

	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	ck_assert_uint_eq(r->nr_funcs, 0);
	od_result_free(r);
}
END_TEST

START_TEST(test_body_change)
{
	char pre[256], post[256];
	struct od_result *r;
	const struct od_func *fn;
	struct od_obj o;

	snprintf(pre, sizeof(pre), F_BODY, 5);
	snprintf(post, sizeof(post), F_BODY, 7);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	fn = func_named(r, "f");
	ck_assert_ptr_nonnull(fn);
	ck_assert_uint_gt(fn->size, 0);
	ck_assert_ptr_null(fn->cold_name);
	written(r, &o);
	ck_assert_ptr_nonnull(od_obj_find(&o, "f"));
	ck_assert_ptr_nonnull(od_obj_find(&o, fn->anchor));
	ck_assert_ptr_null(od_obj_find(&o, "caller"));	/* unchanged */
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_new_function)
{
	const char *pre = "int f(int x) { return x + 1; }\n";
	const char *post =
		"__attribute__((noinline)) static int helper(int x)"
		" { asm(\"\"); return x * 3 + 1; }\n"
		"int f(int x) { return helper(x) + 1; }\n";
	struct od_result *r = diff(pre, post);
	struct od_sym *h;
	struct od_obj o;
	bool info = false;
	unsigned int i;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert_ptr_nonnull(func_named(r, "f"));
	ck_assert_uint_eq(r->nr_krelocs, 0);
	for (i = 0; i < r->nr_msgs; i++)
		info |= r->msgs[i].symbol && !strcmp(r->msgs[i].symbol, "helper")
			&& strstr(r->msgs[i].text, "new function");
	ck_assert(info);
	written(r, &o);
	h = od_obj_find(&o, "helper");
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(h->sec);	/* carried, not a reference */
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_new_global)
{
	const char *pre = "int f(void) { return 1; }\n";
	const char *post = "int newvar = 5;\n"
			   "int f(void) { return newvar++; }\n";
	struct od_result *r = diff(pre, post);
	struct od_sym *v;
	struct od_obj o;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_new_globals, 1);
	ck_assert_str_eq(r->new_globals[0], "newvar");
	ck_assert_uint_eq(r->nr_krelocs, 0);
	written(r, &o);
	v = od_obj_find(&o, "newvar");
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(v->sec);
	ck_assert_int_eq(v->bind, STB_GLOBAL);
	ck_assert_uint_eq(v->st.st_size, 4);
	ck_assert_int_eq(*(int *)v->sec->data, 5);
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_static_local)
{
	/* a new static local earlier in the file renumbers "count" */
	const char *pre =
		"int f(void) { static int count; return ++count; }\n";
	const char *post =
		"int g(void) { static int other; return ++other; }\n"
		"int f(void) { static int count; return count += 2; }\n";
	struct od_result *r = diff(pre, post);
	struct od_obj o;
	unsigned int i;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert_uint_ge(r->nr_krelocs, 1);
	for (i = 0; i < r->nr_krelocs; i++) {
		/* the running instance, by its object and name in pre */
		ck_assert_ptr_nonnull(strstr(r->krelocs[i].symbol, "pre.o:"));
		ck_assert_str_eq(strchr(r->krelocs[i].symbol, ':') + 1,
				 "count.0");
		ck_assert_str_eq(r->krelocs[i].object, "target");
		ck_assert_str_eq(r->krelocs[i].anchor, r->funcs[0].anchor);
	}
	written(r, &o);
	/* no copy of the variable, and no ELF relocation left for it */
	ck_assert_ptr_null(od_obj_find(&o, "count.0"));
	ck_assert_ptr_null(od_obj_find(&o, "count.1"));
	ck_assert_ptr_null(sec_named(&o, ".rela.text.f"));
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_global_stays)
{
	const char *pre = "int counter;\nint f(void) { return counter; }\n";
	const char *post = "int counter;\nint f(void) { return counter + 1; }\n";
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_krelocs, 1);
	ck_assert_str_eq(r->krelocs[0].symbol, "counter");
	ck_assert_uint_eq(r->krelocs[0].type, R_X86_64_PC32);
	od_result_free(r);
}
END_TEST

START_TEST(test_extern_symbols)
{
	/* exported: stays undefined; not exported: the engine fills it */
	const char *pre = "extern int printk(const char *, ...);\n"
			  "extern int elsewhere;\n"
			  "int f(void) { return printk(\"a\") + elsewhere; }\n";
	const char *post = "extern int printk(const char *, ...);\n"
			   "extern int elsewhere;\n"
			   "int f(void) { return printk(\"b\") + elsewhere; }\n";
	struct od_result *r = diff(pre, post);
	struct od_sym *p;
	struct od_obj o;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_krelocs, 1);
	ck_assert_str_eq(r->krelocs[0].symbol, "elsewhere");
	written(r, &o);
	p = od_obj_find(&o, "printk");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->sec);
	ck_assert_ptr_null(od_obj_find(&o, "elsewhere"));
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_string_change)
{
	const char *pre = "const char *f(void) { return \"old text\"; }\n";
	const char *post = "const char *f(void) { return \"new text\"; }\n";
	struct od_result *r = diff(pre, post);
	struct od_obj o;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_ptr_nonnull(func_named(r, "f"));
	written(r, &o);
	ck_assert(has_string(&o, "new text"));
	ck_assert(!has_string(&o, "old text"));
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

/* f, and g at the same start with another size, in one section */
#define ALIAS_SRC(n) "asm(\".section .text.f,\\\"ax\\\"\\n"			\
	".globl f\\n.type f,@function\\n.globl g\\n.type g,@function\\n"	\
	"f:\\ng:\\nmov %edi,%eax\\nadd $" #n ",%eax\\nret\\n"		\
	".size f,.-f\\n.size g,2\\n.previous\");\n"

START_TEST(test_alias_changed)
{
	/* Two global names at the start of one changed function, which
	 * objdiff does not take for one symbol: they share one unit (the
	 * fuzzer found the second one left without any, and an index of
	 * -1 into the units: valgrind or ASan shows the read). */
	const char *pre = "int f(int x) { return x + 1; }\n"
			  "int g(int x) { return x; }\n";
	struct od_result *r = diff(pre, ALIAS_SRC(2));

	/* g begins inside f and runs on into it: neither can move */
	ck_assert_int_eq(r->status, OD_REFUSED);
	od_result_free(r);
}
END_TEST

START_TEST(test_string_moved)
{
	/* same literal at another offset of the string section */
	const char *pre = "const char *f(void) { return \"same\"; }\n";
	const char *post = "const char *g(void) { return \"other\"; }\n"
			   "const char *f(void) { return \"same\"; }\n";
	struct od_result *r = diff(pre, post);

	/* f is the same; the new global g is carried (another object of
	 * an update may call it), but nothing is replaced */
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_ptr_null(func_named(r, "f"));
	ck_assert_uint_eq(r->nr_funcs, 0);
	od_result_free(r);
}
END_TEST

START_TEST(test_inline_changed)
{
	const char *tmpl =
		"static inline int helper(int x) { return x + %d; }\n"
		"__attribute__((noinline)) int f1(int x) { return helper(x) * 3; }\n"
		"__attribute__((noinline)) int f2(int x) { return helper(x) ^ 5; }\n"
		"int f3(int x) { return x; }\n";
	char pre[512], post[512];
	struct od_result *r;

	snprintf(pre, sizeof(pre), tmpl, 1);
	snprintf(post, sizeof(post), tmpl, 2);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 2);
	ck_assert_ptr_nonnull(func_named(r, "f1"));
	ck_assert_ptr_nonnull(func_named(r, "f2"));
	od_result_free(r);
}
END_TEST

START_TEST(test_data_initializer_refused)
{
	const char *pre = "int table[2] = { 1, 2 };\n"
			  "int f(int i) { return table[i]; }\n";
	const char *post = "int table[2] = { 1, 3 };\n"
			   "int f(int i) { return table[i]; }\n";
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "table"));
	od_result_free(r);
}
END_TEST

START_TEST(test_data_size_refused)
{
	const char *pre = "int table[2];\nint f(int i) { return table[i]; }\n";
	const char *post = "int table[3];\nint f(int i) { return table[i]; }\n";
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "table"));
	od_result_free(r);
}
END_TEST

#define INIT_SRC "__attribute__((section(\".init.text\"))) int setup(int x)" \
	" { return x * %d; }\n int f(int x) { return x; }\n"

START_TEST(test_init_refused)
{
	char pre[256], post[256];
	struct od_result *r;

	snprintf(pre, sizeof(pre), INIT_SRC, 3);
	snprintf(post, sizeof(post), INIT_SRC, 4);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "setup"));
	od_result_free(r);
}
END_TEST

/* --skip-init: the __init half of a fix is left out, the rest stands. */
#define INIT_BOTH_SRC "__attribute__((section(\".init.text\"))) int setup(int x)" \
	" { return x * %d; }\n int f(int x) { return x + %d; }\n"

START_TEST(test_init_skipped)
{
	char pre[256], post[256];
	unsigned int skipped = 0;
	struct od_options opt = {
		.target = "target", .tag = "t", .exported = exported,
		.skip_init = true, .nr_init_skipped = &skipped,
	};
	struct od_result *r;

	snprintf(pre, sizeof(pre), INIT_BOTH_SRC, 3, 1);
	snprintf(post, sizeof(post), INIT_BOTH_SRC, 4, 2);
	r = diff_opt(pre, post, &opt);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(skipped, 1);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert_str_eq(r->funcs[0].name, "f");
	od_result_free(r);

	/* only the __init half changed: nothing to apply, and it is known */
	skipped = 0;
	snprintf(post, sizeof(post), INIT_BOTH_SRC, 4, 1);
	r = diff_opt(pre, post, &opt);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	ck_assert_uint_eq(skipped, 1);
	od_result_free(r);
}
END_TEST

/* New __init or __exit code: never a silent "no change". */
#define NEW_INIT_SRC "int f(int x) { return x; }\n"
#define NEW_INIT_FN "__attribute__((section(\"%s\"))) int extra(int x)" \
	" { return x * 7; }\n"

START_TEST(test_new_init_exit)
{
	char post[512], fn[256];
	unsigned int skipped = 0;
	struct od_options opt = {
		.target = "vmlinux", .tag = "t", .exported = exported,
	};
	struct od_result *r;

	snprintf(fn, sizeof(fn), NEW_INIT_FN, ".init.text");
	snprintf(post, sizeof(post), "%s%s", NEW_INIT_SRC, fn);
	r = diff_opt(NEW_INIT_SRC, post, &opt);
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "extra"));
	od_result_free(r);

	opt.skip_init = true;
	opt.nr_init_skipped = &skipped;
	r = diff_opt(NEW_INIT_SRC, post, &opt);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	ck_assert_uint_eq(skipped, 1);
	od_result_free(r);

	/* vmlinux never runs __exit code; a module runs its own at unload */
	snprintf(fn, sizeof(fn), NEW_INIT_FN, ".exit.text");
	snprintf(post, sizeof(post), "%s%s", NEW_INIT_SRC, fn);
	opt.skip_init = false;
	r = diff_opt(NEW_INIT_SRC, post, &opt);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	od_result_free(r);
	r = diff(NEW_INIT_SRC, post);
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "extra"));
	od_result_free(r);

	/* a module's, left out under --skip-exit only */
	opt.target = "target";
	opt.skip_init = true;
	skipped = 0;
	r = diff_opt(NEW_INIT_SRC, post, &opt);
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "extra"));
	ck_assert_uint_eq(skipped, 0);
	od_result_free(r);
	{
		unsigned int exits = 0;

		opt.skip_init = false;
		opt.skip_exit = true;
		opt.nr_exit_skipped = &exits;
		r = diff_opt(NEW_INIT_SRC, post, &opt);
		ck_assert_int_eq(r->status, OD_NO_CHANGE);
		ck_assert_uint_eq(exits, 1);
		ck_assert_uint_eq(skipped, 0);
		od_result_free(r);
	}
}
END_TEST

/* The kernel's WARN: a ud2 and a __bug_table entry holding __LINE__. */
#define WARN_SRC "%s" \
	"#define WARN(c) do { if (c) asm volatile(\"1: ud2\\n\"" \
	" \".pushsection __bug_table,\\\"aw\\\"\\n\"" \
	" \".long 1b - .\\n.long %%c0 - .\\n.word %%c1\\n.word 0\\n\"" \
	" \".popsection\" :: \"i\"(\"file.c\"), \"i\"(__LINE__)); } while (0)\n" \
	"int f(int x) { WARN(x < 0); return x * %d; }\n" \
	"int g(int x) { WARN(x > 5); return x; }\n"

START_TEST(test_warn_line_only)
{
	char pre[1024], post[1024];
	struct od_result *r;

	snprintf(pre, sizeof(pre), WARN_SRC, "", 2);
	snprintf(post, sizeof(post), WARN_SRC, "\n\n/* moved */\n", 2);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	od_result_free(r);
}
END_TEST

START_TEST(test_warn_entry_carried)
{
	char pre[1024], post[1024];
	struct od_result *r;
	struct od_sec *bt;
	struct od_obj o;

	snprintf(pre, sizeof(pre), WARN_SRC, "", 2);
	snprintf(post, sizeof(post), WARN_SRC, "\n", 3);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	written(r, &o);
	bt = sec_named(&o, "__bug_table");
	ck_assert_ptr_nonnull(bt);
	ck_assert_uint_eq(bt->sh.sh_size, 12);	/* f's entry, not g's */
	ck_assert_uint_eq(*(unsigned short *)(bt->data + 8), 3);  /* post line */
	ck_assert_uint_eq(bt->nrelas, 2);
	ck_assert(has_string(&o, "file.c"));
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

/* A user access with its exception table entry, as _ASM_EXTABLE makes. */
#define EXT_SRC "int f(int *p) { int v = 0; asm volatile(\"1: movl (%%1), %%0\\n2:\\n\"" \
	" \".pushsection __ex_table,\\\"a\\\"\\n.long 1b - .\\n.long 2b - .\\n\"" \
	" \".long 3\\n.popsection\" : \"+r\"(v) : \"r\"(p)); return v + %d; }\n" \
	"int g(int *p) { int v = 0; asm volatile(\"1: movl (%%1), %%0\\n2:\\n\"" \
	" \".pushsection __ex_table,\\\"a\\\"\\n.long 1b - .\\n.long 2b - .\\n\"" \
	" \".long 3\\n.popsection\" : \"+r\"(v) : \"r\"(p)); return v; }\n"

START_TEST(test_extable_carried)
{
	char pre[1024], post[1024];
	struct od_result *r;
	struct od_sec *ex;
	struct od_obj o;
	size_t i;

	snprintf(pre, sizeof(pre), EXT_SRC, 1);
	snprintf(post, sizeof(post), EXT_SRC, 2);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	written(r, &o);
	ex = sec_named(&o, "__ex_table");
	ck_assert_ptr_nonnull(ex);
	ck_assert_uint_eq(ex->sh.sh_size, 12);
	ck_assert_uint_eq(ex->nrelas, 2);
	for (i = 0; i < ex->nrelas; i++)
		ck_assert_str_eq(ex->relas[i].sym->name, "f");
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_extable_change_detected)
{
	/* same code, another fixup type: a change */
	char pre[1024], post[1024];
	struct od_result *r;

	snprintf(pre, sizeof(pre), EXT_SRC, 1);
	strcpy(post, pre);
	memcpy(strstr(post, ".long 3"), ".long 4", 7);	/* f's entry */
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_ptr_nonnull(func_named(r, "f"));
	ck_assert_ptr_null(func_named(r, "g"));
	od_result_free(r);
}
END_TEST

#define COLD_SRC "extern void report(const char *) __attribute__((cold));\n" \
	"int f(int x) { if (x < 0) { report(\"%s\"); report(\"again\");" \
	" return -1; } return x * 2; }\n"

START_TEST(test_cold_part)
{
	/* only the cold path changes: f is replaced, f.cold carried along */
	char pre[512], post[512];
	const struct od_func *fn;
	struct od_result *r;
	struct od_sym *c;
	struct od_obj o;

	snprintf(pre, sizeof(pre), COLD_SRC, "negative");
	snprintf(post, sizeof(post), COLD_SRC, "below zero");
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	fn = func_named(r, "f");
	ck_assert_ptr_nonnull(fn);
	ck_assert_ptr_nonnull(fn->cold_name);
	ck_assert_str_eq(fn->cold_name, "f.cold");
	ck_assert_uint_gt(fn->cold_size, 0);
	ck_assert_uint_eq(r->nr_krelocs, 0);
	written(r, &o);
	c = od_obj_find(&o, "f.cold");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(c->sec);
	ck_assert(has_string(&o, "below zero"));
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_c_glue)
{
	const char *pre = "static int hits;\nint f(void) { return hits++; }\n";
	const char *post = "static int hits;\nint f(void) { return hits += 2; }\n";
	struct od_update_info info = { .id = "abc", .description = "a \"fix\"" };
	struct od_result *r = diff(pre, post);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_int_eq(od_write_c(f, &info, &r, 1), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, ".abi = KSPLICE_ABI_VERSION"));
	ck_assert_ptr_nonnull(strstr(text, ".name = \"f\""));
	ck_assert_ptr_nonnull(strstr(text, ".object = \"target\""));
	/* a static: named by its object, the engine looks up "hits" */
	ck_assert_ptr_nonnull(strstr(text, ":hits\""));
	ck_assert_ptr_nonnull(strstr(text, "\"a \\\"fix\\\"\""));
	ck_assert_ptr_nonnull(strstr(text, "ksplice_register_update"));
	ck_assert_ptr_nonnull(strstr(text, "MODULE_LICENSE(\"GPL\")"));
	free(text);
	od_result_free(r);
}
END_TEST

/*
 * Some functions may share .text in an object built with
 * -ffunction-sections (tracepoint definitions in init/main.o, after a
 * top-level asm; any function with a section attribute): a changed one
 * moves alone (branches.c).  Without -ffunction-sections at all, refused.
 */
#define SHARED_SRC "int a(int x) { return x + 1; }\n" \
	"__attribute__((section(\".text\"))) int b(int x) { return x * %d; }\n" \
	"__attribute__((section(\".text\"))) int c(int x) { return x - 1; }\n" \
	"int d(int x) { return x * %d; }\n"

START_TEST(test_shared_text)
{
	struct od_options opt = { .target = "target", .tag = "t" };
	char pre[512], post[512], a[256], b[256];
	struct od_result *r;

	snprintf(pre, sizeof(pre), SHARED_SRC, 3, 5);
	snprintf(post, sizeof(post), SHARED_SRC, 3, 7);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_ptr_nonnull(func_named(r, "d"));
	od_result_free(r);

	snprintf(post, sizeof(post), SHARED_SRC, 4, 5);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_ptr_nonnull(func_named(r, "b"));
	ck_assert_ptr_null(func_named(r, "c"));
	od_result_free(r);

	compile_with("pre", "int a(int x) { return x; }\n"
		     "int b(int x) { return x * 2; }\n", "-fno-function-sections");
	compile_with("post", "int a(int x) { return x; }\n"
		     "int b(int x) { return x * 3; }\n", "-fno-function-sections");
	snprintf(a, sizeof(a), "%s/pre.o", workdir);
	snprintf(b, sizeof(b), "%s/post.o", workdir);
	r = od_diff(a, b, &opt);
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert_ptr_nonnull(strstr(r->msgs[0].text,
				     "not built with -ffunction-sections"));
	od_result_free(r);
}
END_TEST

/*
 * Functions with a section attribute share their section (here
 * .sched.text, as __sched functions do) and the assembler resolves calls
 * between them: branches.c gives those calls their relocations back.
 */
#define SCHED_SRC "#define S __attribute__((section(\".sched.text\"), noinline))\n" \
	"S static int c(int x) { return x * %d; }\n" \
	"S int b(int x) { return c(x) + %d; }\n"

/* f leaves itself through a short jump to a label at g's start */
#define SHORT_SRC(n) "asm(\".section .sched.text,\\\"ax\\\"\\n"		\
	".globl f\\n.type f,@function\\nf: test %edi,%edi\\njz 1f\\n"		\
	"mov $" #n ",%eax\\nret\\n.size f,.-f\\n"				\
	".globl g\\n.type g,@function\\n1:\\ng: xor %eax,%eax\\nret\\n"	\
	".size g,.-g\\n.previous\");\n"

START_TEST(test_shared_section_calls)
{
	char pre[512], post[512];
	struct od_result *r;
	const struct od_func *f;
	bool found = false;
	unsigned int i;

	/* c grows, so b's call to it moves: only c changes */
	snprintf(pre, sizeof(pre), SCHED_SRC, 3, 1);
	snprintf(post, sizeof(post), SCHED_SRC, 1000003, 1);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_ptr_nonnull(func_named(r, "c"));
	ck_assert_ptr_null(func_named(r, "b"));
	od_result_free(r);

	/* b changes: carried alone, its call reaches the running c */
	snprintf(post, sizeof(post), SCHED_SRC, 3, 2);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_ptr_null(func_named(r, "c"));
	f = func_named(r, "b");
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < r->nr_krelocs; i++)
		found |= !strcmp(strchr(r->krelocs[i].symbol, ':') ?
				 strchr(r->krelocs[i].symbol, ':') + 1 :
				 r->krelocs[i].symbol, "c");
	ck_assert(found);
	found = false;
	for (i = 0; i < f->nr_pre_relocs; i++)
		found |= strstr(f->pre_relocs[i].symbol, ":c") != NULL;
	ck_assert(found);
	od_result_free(r);

	/* noinstr code is never patched: refused when built, not applied */
	r = diff("__attribute__((section(\".noinstr.text\"))) int n(int x) "
		 "{ return x + 1; }\n",
		 "__attribute__((section(\".noinstr.text\"))) int n(int x) "
		 "{ return x + 2; }\n");
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "n"));
	found = false;
	for (i = 0; i < r->nr_msgs; i++)
		found |= strstr(r->msgs[i].text, "noinstr text") != NULL;
	ck_assert(found);
	od_result_free(r);

	/*
	 * The same bytes moved into __cpuidle text (acpi_idle_lpi_enter's
	 * real fix): where the code lies is the fix, which no update can
	 * move: refused, never a "no change"
	 */
	r = diff("int n(int x) { return x + 1; }\n",
		 "__attribute__((section(\".cpuidle.text\"))) int n(int x) "
		 "{ return x + 1; }\n");
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "n"));
	found = false;
	for (i = 0; i < r->nr_msgs; i++)
		found |= strstr(r->msgs[i].text, "moves from .text.n to cpuidle text") != NULL;
	ck_assert(found);
	od_result_free(r);

	/* a short jump out of f: it cannot move, and says why */
	r = diff(SHORT_SRC(1), SHORT_SRC(2));
	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(refused_for(r, "f"));
	found = false;
	for (i = 0; i < r->nr_msgs; i++)
		found |= strstr(r->msgs[i].text, "short jump") != NULL;
	ck_assert(found);
	od_result_free(r);
}
END_TEST

/*
 * Two files of one module with a static of one name: the new code of the
 * second calls its own, which no old code of a changed function read.
 * The module file (built as the distribution builds it, without
 * -ffunction-sections, so the calls are resolved) tells which one.
 */
#define OTHER_SRC "static __attribute__((noinline)) int helper(int x) " \
	"{ return x + 100; }\nint a_use(int x) { return helper(x) + 1; }\n"
#define MINE_SRC "static __attribute__((noinline)) int helper(int x) " \
	"{ return x + 200; }\nint b_use(int x) { return helper(x) + 1; }\n" \
	"int b_change(int x) { return %s; }\n"

/* The caller's finder: counts its calls, gives @arg's path (or none). */
static unsigned int finder_calls;

static char *finder(void *arg)
{
	finder_calls++;
	return arg ? strdup(arg) : NULL;
}

/* how = 0: target_binary; 1: the finder gives it; 2: the finder has none */
static unsigned int helper_sympos_how(const char *order, int how,
				      bool *noted)
{
	struct od_options opt = { .target = "t", .tag = "t" };
	char pre[512], post[512], cmd[640], ko[256];
	struct od_result *r;
	unsigned int i, pos = 99;

	compile_with("other", OTHER_SRC, "-fno-function-sections");
	snprintf(pre, sizeof(pre), MINE_SRC, "x");
	compile_with("mine", pre, "-fno-function-sections");
	snprintf(ko, sizeof(ko), "%s/t.ko", workdir);
	snprintf(cmd, sizeof(cmd), "cd %s && ld -r -o t.ko %s", workdir, order);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(post, sizeof(post), MINE_SRC, "helper(x) * 2");
	if (how == 0)
		opt.target_binary = ko;
	opt.find_target_binary = how ? finder : NULL;
	opt.find_arg = how == 1 ? ko : NULL;
	r = diff_opt(pre, post, &opt);
	ck_assert_int_eq(r->status, OD_CHANGED);
	for (i = 0; i < r->nr_krelocs; i++)
		if (strstr(r->krelocs[i].symbol, ":helper"))
			pos = r->krelocs[i].sympos;
	*noted = false;
	for (i = 0; i < r->nr_msgs; i++)
		if (strstr(r->msgs[i].text, "no file of the module is here"))
			*noted = true;
	od_result_free(r);
	return pos;
}

static unsigned int helper_sympos(const char *order)
{
	bool noted;

	return helper_sympos_how(order, 0, &noted);
}

START_TEST(test_sympos_from_module)
{
	ck_assert_uint_eq(helper_sympos("other.o mine.o"), 2);
	ck_assert_uint_eq(helper_sympos("mine.o other.o"), 1);
}
END_TEST

/*
 * ksplice-create --debian fetches the module's file only when a static
 * needs it: objdiff asks once, and says so when there is none (the apply
 * would otherwise be the first to find the update ambiguous).
 */
START_TEST(test_sympos_asks_once)
{
	bool noted;

	finder_calls = 0;
	ck_assert_uint_eq(helper_sympos_how("other.o mine.o", 1, &noted), 2);
	ck_assert_uint_eq(finder_calls, 1);
	ck_assert(!noted);
	finder_calls = 0;
	ck_assert_uint_eq(helper_sympos_how("other.o mine.o", 2, &noted), 0);
	ck_assert_uint_eq(finder_calls, 1);
	ck_assert(noted);
}
END_TEST

static Suite *objdiff_suite(void)
{
	Suite *s = suite_create("objdiff");
	TCase *tc = tcase_create("diff");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_unchanged);
	tcase_add_test(tc, test_body_change);
	tcase_add_test(tc, test_new_function);
	tcase_add_test(tc, test_new_global);
	tcase_add_test(tc, test_static_local);
	tcase_add_test(tc, test_global_stays);
	tcase_add_test(tc, test_extern_symbols);
	tcase_add_test(tc, test_string_change);
	tcase_add_test(tc, test_string_moved);
	tcase_add_test(tc, test_inline_changed);
	tcase_add_test(tc, test_data_initializer_refused);
	tcase_add_test(tc, test_data_size_refused);
	tcase_add_test(tc, test_init_refused);
	tcase_add_test(tc, test_init_skipped);
	tcase_add_test(tc, test_new_init_exit);
	tcase_add_test(tc, test_warn_line_only);
	tcase_add_test(tc, test_warn_entry_carried);
	tcase_add_test(tc, test_extable_carried);
	tcase_add_test(tc, test_extable_change_detected);
	tcase_add_test(tc, test_cold_part);
	tcase_add_test(tc, test_c_glue);
	tcase_add_test(tc, test_shared_text);
	tcase_add_test(tc, test_alias_changed);
	tcase_add_test(tc, test_shared_section_calls);
	tcase_add_test(tc, test_sympos_from_module);
	tcase_add_test(tc, test_sympos_asks_once);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(objdiff_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
