// SPDX-License-Identifier: GPL-2.0
/*
 * objdiff unit tests for numbered statics and generated names
 * (statics.c): small C files whose statics gcc or __COUNTER__ numbers
 * across the file, compiled pre and post with a kernel build's section
 * flags.  Renumbering alone changes no function; new once-flags get
 * storage of their own, existing ones stay the running kernel's; an
 * ambiguous pairing is refused, naming the static.
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

/* The kernel's DO_ONCE_LITE: a flag in .data.once, set with movb $1. */
#define ONCE "extern void report(const char *, ...);\n" \
	"#define ONCE(msg) ({ static _Bool __attribute__((section(\".data.once\"))) " \
	"__already_done; if (__builtin_expect(!__already_done, 0)) " \
	"{ __already_done = 1; report(msg); } })\n"

static char workdir[] = "/tmp/objdiff-statics.XXXXXX";
static struct od_symset *exported;

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
	struct od_options opt = {
		.target = "vmlinux", .tag = "t", .exported = exported,
	};
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

static bool has_func(const struct od_result *r, const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_funcs; i++)
		if (!strcmp(r->funcs[i].name, name))
			return true;
	return false;
}

static bool said(const struct od_result *r, enum od_msg_kind kind,
		 const char *sym, const char *text)
{
	unsigned int i;

	for (i = 0; i < r->nr_msgs; i++)
		if (r->msgs[i].kind == kind && r->msgs[i].symbol &&
		    !strncmp(r->msgs[i].symbol, sym, strlen(sym)) &&
		    strstr(r->msgs[i].text, text))
			return true;
	return false;
}

/* The name in pre of the once-flag whose message is @msg. */
static char *pre_flag_of(const char *msg)
{
	char path[256], err[256];
	struct od_obj o;
	char *name = NULL;
	size_t i, j;

	snprintf(path, sizeof(path), "%s/pre.o", workdir);
	ck_assert_int_eq(od_obj_load(&o, path, err, sizeof(err)), 0);
	for (i = 0; i < o.nsecs && !name; i++) {
		struct od_sec *sec = &o.secs[i];
		struct od_sym *flag = NULL;
		bool hit = false;

		if (!(sec->sh.sh_flags & SHF_EXECINSTR))
			continue;
		for (j = 0; j < sec->nrelas; j++) {
			struct od_target t;

			od_resolve(sec, &sec->relas[j], &t);
			if (t.kind == TK_SYM && t.sym->sec &&
			    !strcmp(t.sym->sec->name, ".data.once"))
				flag = t.sym;
			if (t.kind == TK_STRING && !strcmp((char *)t.bytes, msg))
				hit = true;
		}
		if (hit && flag)
			name = od_xstrdup(flag->name);
	}
	od_obj_free(&o);
	ck_assert_ptr_nonnull(name);
	return name;
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(workdir));
	exported = od_symset_new();
	od_symset_add(exported, "report");
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", workdir);
	strcpy(workdir, "/tmp/objdiff-statics.XXXXXX");
	od_symset_free(exported);
}

#define F_G "__attribute__((noinline)) void f(int x) { if (x) ONCE(\"f\"); }\n" \
	"__attribute__((noinline)) void g(int x) { if (x > 1) ONCE(\"g\"); }\n"

START_TEST(test_once_new_flag)
{
	/* e gains a once-message before f's and g's: they are renumbered */
	const char *pre = ONCE "int e(int x) { return x + 1; }\n" F_G;
	const char *post = ONCE "int e(int x) { if (x < 0) ONCE(\"e\"); "
			   "return x + 1; }\n" F_G;
	struct od_result *r = diff(pre, post);
	struct od_sec *once;
	struct od_obj o;
	unsigned int i;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert(has_func(r, "e"));
	/* the new flag is the update's own: no engine-filled field for it */
	for (i = 0; i < r->nr_krelocs; i++)
		ck_assert_ptr_null(strstr(r->krelocs[i].symbol, "already_done"));
	written(r, &o);
	once = sec_named(&o, ".data.once");
	ck_assert_ptr_nonnull(once);
	ck_assert_uint_eq(once->sh.sh_size, 1);
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_once_flag_kept)
{
	/* f changes and keeps its message: its flag is the running one,
	 * the neighbour's in .data.once never */
	const char *pre = ONCE F_G;
	const char *post = ONCE
		"__attribute__((noinline)) void f(int x) { if (x > 7) ONCE(\"f\"); }\n"
		"__attribute__((noinline)) void g(int x) { if (x > 1) ONCE(\"g\"); }\n";
	struct od_result *r = diff(pre, post);
	char *flag = pre_flag_of("f");
	unsigned int i, n = 0;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert(has_func(r, "f"));
	for (i = 0; i < r->nr_krelocs; i++) {
		if (!strstr(r->krelocs[i].symbol, "already_done"))
			continue;
		ck_assert_str_eq(strchr(r->krelocs[i].symbol, ':') + 1, flag);
		n++;
	}
	ck_assert_uint_ge(n, 1);
	free(flag);
	od_result_free(r);
}
END_TEST

START_TEST(test_once_renumbered_no_change)
{
	/* a new function with its own once-flag before f and g: f and g
	 * are not changed, their flags are paired by use */
	const char *pre = ONCE F_G;
	const char *post = ONCE "void h(int x) { if (x) ONCE(\"h\"); }\n" F_G;
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_CHANGED);	/* h is a new global */
	ck_assert_uint_eq(r->nr_funcs, 0);
	ck_assert(!said(r, OD_MSG_INFO, "f", "changed"));
	ck_assert(!said(r, OD_MSG_INFO, "g", "changed"));
	od_result_free(r);
}
END_TEST

START_TEST(test_once_second_message)
{
	/* a second message in front of f's only one: the flag that passes
	 * on "a" before and after is the running one, "b"'s is new */
	const char *pre = ONCE
		"void f(int x) { if (x) ONCE(\"a\"); }\n";
	const char *post = ONCE
		"void f(int x) { if (x) ONCE(\"b\"); if (x) ONCE(\"a\"); }\n";
	struct od_result *r = diff(pre, post);
	char *flag = pre_flag_of("a");
	struct od_sec *once;
	struct od_obj o;
	unsigned int i, n = 0;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_func(r, "f"));
	for (i = 0; i < r->nr_krelocs; i++) {
		if (!strstr(r->krelocs[i].symbol, "already_done"))
			continue;
		ck_assert_str_eq(strchr(r->krelocs[i].symbol, ':') + 1, flag);
		n++;
	}
	ck_assert_uint_ge(n, 1);
	written(r, &o);
	once = sec_named(&o, ".data.once");
	ck_assert_ptr_nonnull(once);
	ck_assert_uint_eq(once->sh.sh_size, 1);
	od_obj_free(&o);
	free(flag);
	od_result_free(r);
}
END_TEST

START_TEST(test_once_reworded)
{
	/* a message reworded: the same call site, the running flag */
	const char *pre = ONCE "void f(int x) { if (x) ONCE(\"a\"); }\n";
	const char *post = ONCE "void f(int x) { if (x) ONCE(\"a, reworded\"); }\n";
	struct od_result *r = diff(pre, post);
	unsigned int i, n = 0;

	ck_assert_int_eq(r->status, OD_CHANGED);
	for (i = 0; i < r->nr_krelocs; i++)
		n += strstr(r->krelocs[i].symbol, "already_done") != NULL;
	ck_assert_uint_ge(n, 1);
	od_result_free(r);
}
END_TEST

START_TEST(test_once_ambiguous_refused)
{
	/* the same message twice where it was once: which flag is the
	 * running one cannot be told from use */
	const char *pre = ONCE
		"void f(int x) { if (x) ONCE(\"a\"); }\n";
	const char *post = ONCE
		"void f(int x) { if (x) ONCE(\"a\"); if (x > 1) ONCE(\"a\"); }\n";
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_REFUSED);
	ck_assert(said(r, OD_MSG_REFUSE, "__already_done",
		       "cannot tell which running static variable"));
	od_result_free(r);
}
END_TEST

#define FUNC_SRC "extern void report(const char *, ...);\n" \
	"__attribute__((noinline)) void f(int x) { if (x) report(__func__); }\n" \
	"__attribute__((noinline)) void g(int x) { if (x) report(__func__); }\n"

START_TEST(test_func_renumbered)
{
	/* gcc numbers from the end of the file: e's comes first */
	const char *pre = FUNC_SRC "int e(int x) { return x; }\n";
	const char *post = FUNC_SRC
			   "int e(int x) { report(__func__); return x; }\n";
	struct od_result *r = diff(pre, post);
	struct od_obj o;
	size_t i;
	bool copy = false;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert(has_func(r, "e"));
	written(r, &o);
	for (i = 0; i < o.nsecs; i++)
		copy |= !strncmp(o.secs[i].name, ".rodata.__func__", 16) &&
			o.secs[i].data && !strcmp((char *)o.secs[i].data, "e");
	ck_assert(copy);	/* carried, read-only */
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

START_TEST(test_func_swapped_content)
{
	/* g moves before f: the numbers swap, the contents tell */
	const char *pre = FUNC_SRC;
	const char *post = "extern void report(const char *, ...);\n"
		"__attribute__((noinline)) void g(int x) { if (x) report(__func__); }\n"
		"__attribute__((noinline)) void f(int x) { if (x) report(__func__); }\n";
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	od_result_free(r);
}
END_TEST

/* __UNIQUE_ID() names, numbered by __COUNTER__ */
#define UID_SRC "#define CAT2(a, b) a##b\n#define CAT(a, b) CAT2(a, b)\n" \
	"#define UID(p) CAT(__UNIQUE_ID_##p, __COUNTER__)\n%s" \
	"extern void report(const char *, ...);\n" \
	"__attribute__((noinline)) void f(int x) { static int UID(ddebug) = 5; " \
	"if (x) report(\"f\", &__UNIQUE_ID_ddebug%d); }\n" \
	"int k(int x) { return x * %d; }\n"

START_TEST(test_unique_id_shift)
{
	char pre[1024], post[1024];
	struct od_result *r;

	snprintf(pre, sizeof(pre), UID_SRC, "", 0, 2);
	snprintf(post, sizeof(post), UID_SRC, "enum { UID(shift) };\n", 1, 2);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	od_result_free(r);

	snprintf(post, sizeof(post), UID_SRC, "enum { UID(shift) };\n", 1, 3);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert(has_func(r, "k"));
	od_result_free(r);
}
END_TEST

START_TEST(test_unique_id_in_data)
{
	/* a generated name only a table points at: paired through the
	 * table, or the table would read as changed data */
	const char *src = "#define CAT2(a, b) a##b\n#define CAT(a, b) CAT2(a, b)\n"
		"#define UID(p) CAT(__UNIQUE_ID_##p, __COUNTER__)\n%s"
		"static int UID(state) = 3;\n"
		"int *table[] = { &__UNIQUE_ID_state%d };\n"
		"int f(int x) { return *table[0] + x; }\n";
	char pre[512], post[512];
	struct od_result *r;

	snprintf(pre, sizeof(pre), src, "", 0);
	snprintf(post, sizeof(post), src, "enum { UID(shift) };\n", 1);
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	od_result_free(r);
}
END_TEST

#define SWITCH_FN(name, a, b, c, d) \
	"__attribute__((noinline)) int " name "(unsigned int x) { switch (x) {" \
	" case 0: return " #a "; case 1: return " #b "; case 2: return " #c ";" \
	" case 3: return " #d "; case 4: return 91; case 5: return 17; } return -1; }\n"

START_TEST(test_cswtch)
{
	/* a switch table (CSWTCH.N) renumbered: no change; a table whose
	 * content changes: the function changes and carries a copy */
	const char *pre = SWITCH_FN("f", 3, 9, 27, 81);
	const char *post = SWITCH_FN("e", 5, 8, 13, 21) SWITCH_FN("f", 3, 9, 27, 81);
	const char *post2 = SWITCH_FN("f", 3, 9, 28, 81);
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_CHANGED);	/* e is new */
	ck_assert_uint_eq(r->nr_funcs, 0);
	od_result_free(r);
	r = diff(pre, post2);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_func(r, "f"));
	ck_assert(!said(r, OD_MSG_REFUSE, "CSWTCH", ""));
	od_result_free(r);
}
END_TEST

/* pr_*_ratelimited's state: struct ratelimit_state, writable */
#define RS "extern int ratelimit(void *, const char *);\n" \
	"#define LIMITED(msg) ({ static struct { int interval, burst, n; } _rs = " \
	"{ 5, 10, 0 }; if (ratelimit(&_rs, __func__)) report(msg); })\n" \
	"extern void report(const char *, ...);\n"

START_TEST(test_ratelimit_state)
{
	const char *pre = RS "int e(int x) { return x; }\n"
		"__attribute__((noinline)) void f(int x) { if (x) LIMITED(\"f\"); }\n";
	const char *post = RS "int e(int x) { if (x) LIMITED(\"e\"); return x; }\n"
		"__attribute__((noinline)) void f(int x) { if (x) LIMITED(\"f\"); }\n";
	const char *post2 = RS "int e(int x) { return x; }\n"
		"__attribute__((noinline)) void f(int x) { if (x > 2) LIMITED(\"f\"); }\n";
	struct od_result *r = diff(pre, post);
	unsigned int i;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert(has_func(r, "e"));
	for (i = 0; i < r->nr_krelocs; i++)	/* e's state is its own */
		ck_assert_ptr_null(strstr(r->krelocs[i].symbol, "_rs"));
	od_result_free(r);

	/* f changes: its state stays the running one */
	r = diff(pre, post2);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_func(r, "f"));
	for (i = 0; i < r->nr_krelocs; i++)
		if (strstr(r->krelocs[i].symbol, "_rs"))
			break;
	ck_assert_uint_lt(i, r->nr_krelocs);
	od_result_free(r);
}
END_TEST

/*
 * hid_report_raw_event: ratelimited prints whose message is passed in the
 * function's .cold part (the print is cold), a new one added in front of
 * the old two.  The states pair by the message the .cold branch prints;
 * aligned by position alone, the new state took an old one's place.
 * The numbers are gcc 12's (Debian 12): pre's "x below" state is _rs.2
 * and "x above" _rs.0; post's new "y too small" one is _rs.3.
 */
#define RS_COLD "extern int ratelimit(void *, const char *);\n" \
	"extern int g(int);\n" \
	"extern void report(const char *, ...) __attribute__((cold));\n" \
	"#define LIMITED(msg) ({ static struct { int interval, burst, n; } _rs = " \
	"{ 5, 10, 0 }; if (ratelimit(&_rs, __func__)) report(msg, x); })\n"
#define RS_BELOW "r = g(x); if (r) return r; " \
	"if (x < y) { LIMITED(\"x below y %d\"); return -1; }\n"
#define RS_ABOVE "r = g(y); if (r) return r; " \
	"if (x > 2 * y) { LIMITED(\"x above 2y %d\"); return -2; }\n"

START_TEST(test_ratelimit_state_cold)
{
	const char *pre = RS_COLD "int f(int x, int y) { int r;\n"
		RS_BELOW RS_ABOVE "return x + y; }\n";
	const char *post = RS_COLD "int f(int x, int y) { int r;\n"
		"if (y < 1) { LIMITED(\"y too small %d\"); return -3; }\n"
		RS_BELOW RS_ABOVE "return x + y; }\n";
	struct od_result *r = diff(pre, post);
	bool below = false, above = false;
	unsigned int i;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_func(r, "f"));
	ck_assert(said(r, OD_MSG_INFO, "_rs.3", "new data"));
	/* the two old states are the running ones */
	for (i = 0; i < r->nr_krelocs; i++) {
		const char *sym = strchr(r->krelocs[i].symbol, ':');

		sym = sym ? sym + 1 : r->krelocs[i].symbol;
		below |= !strcmp(sym, "_rs.2");
		above |= !strcmp(sym, "_rs.0");
	}
	ck_assert(below && above);
	od_result_free(r);
}
END_TEST

/*
 * A block that the compiler moves after a change (apparmor's
 * aa_change_profile): here the asm statements fix the order of the
 * references, the "a" block going from first to last, past the calls an
 * alignment keeps.  It still pairs, by its message.
 */
#define MOVED "extern void g(void);\n" \
	"#define USE(msg) ({ static int _rs = 1; asm volatile(\"movq $%c0, %%rax; " \
	"movq $%c1, %%rax\" :: \"i\"(&_rs), \"i\"(msg) : \"rax\"); })\n"

START_TEST(test_moved_block)
{
	const char *pre = MOVED "void f(void) { USE(\"a\"); g(); g(); g(); "
		"USE(\"b\"); }\n";
	const char *post = MOVED "void f(void) { g(); g(); g(); USE(\"b\"); "
		"g(); USE(\"a\"); }\n";
	struct od_result *r = diff(pre, post);
	unsigned int i, running = 0;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_func(r, "f"));
	ck_assert(!said(r, OD_MSG_REFUSE, "_rs", ""));
	for (i = 0; i < r->nr_krelocs; i++)	/* both are the running ones */
		running += strstr(r->krelocs[i].symbol, "_rs") != NULL;
	ck_assert_uint_eq(running, 2);
	od_result_free(r);
}
END_TEST

#define SK_FN(n) "__attribute__((noinline)) int f(int x) { " \
	"static const int pinfo[4] = { 1, 2, 3, 4 }; " \
	"static const struct { int a; const int *p; } sk = { 5, pinfo }; " \
	"asm(\"\" : : \"r\"(&sk)); return sk.p[x & 3] + " #n "; }\n"

START_TEST(test_static_points_at_static)
{
	/* read-only data pointing at another static, both renumbered by
	 * a new static before them: paired one through the other */
	const char *pre = SK_FN(1);
	const char *post = SK_FN(2) "int e(void) { static const int t[2] = "
			   "{ 9, 8 }; asm(\"\" : : \"r\"(t)); return t[0]; }\n";
	struct od_result *r = diff(pre, post);

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_func(r, "f"));
	ck_assert(!said(r, OD_MSG_INFO, "sk", "new data"));
	ck_assert(!said(r, OD_MSG_INFO, "pinfo", "new data"));
	od_result_free(r);
}
END_TEST

/* lockdep keys without CONFIG_LOCKDEP: empty structs, size 0 */
#define KEY "extern void init_lock(void *, const char *, void *);\n" \
	"#define LOCK_INIT(l) ({ static struct {} __key; " \
	"init_lock(l, #l, &__key); })\n"

START_TEST(test_lock_key)
{
	const char *pre = KEY "int a, b;\nint e(int x) { return x; }\n"
		"__attribute__((noinline)) void f(void) { LOCK_INIT(&a); }\n";
	const char *post = KEY "int a, b;\nint e(int x) { LOCK_INIT(&b); return x; }\n"
		"__attribute__((noinline)) void f(void) { LOCK_INIT(&a); }\n";
	struct od_result *r = diff(pre, post);
	unsigned int i;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert(has_func(r, "e"));
	for (i = 0; i < r->nr_krelocs; i++)	/* e's key is its own */
		ck_assert_ptr_null(strstr(r->krelocs[i].symbol, "__key"));
	od_result_free(r);
}
END_TEST

/*
 * Lock keys without lockdep (Debian's kernels): an empty struct, no
 * bytes, so which running key a new one stands for cannot matter.  As
 * in nd_btt's btt_init(), a key without a message (blk_alloc_disk's)
 * moves in front of one with (mutex_init's), and the alignment can no
 * longer tell them apart: the new code gets keys of its own.
 */
#define KEY_SAME "extern void init_lock(void *, const char *, void *);\n" \
	"extern void g(void);\nextern void *alloc(void *);\n" \
	"#define LOCK_INIT(l) ({ static struct {} __key; " \
	"init_lock(l, \"lock\", &__key); })\n" \
	"#define ALLOC() ({ static struct {} __key; alloc(&__key); })\n" \
	"int a, b;\n"

START_TEST(test_lock_key_empty)
{
	const char *pre = KEY_SAME "void *f(int x) { void *p; LOCK_INIT(&a); "
		"g(); LOCK_INIT(&b); g(); p = ALLOC(); g(); return p; }\n";
	const char *post = KEY_SAME "void *f(int x) { void *p; LOCK_INIT(&a); "
		"g(); p = ALLOC(); g(); LOCK_INIT(&b); g(); return p; }\n";
	struct od_result *r = diff(pre, post);
	unsigned int i;

	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert(has_func(r, "f"));
	ck_assert(!said(r, OD_MSG_REFUSE, "__key", ""));
	for (i = 0; i < r->nr_krelocs; i++)	/* keys of its own */
		ck_assert_ptr_null(strstr(r->krelocs[i].symbol, "__key"));
	od_result_free(r);
}
END_TEST

/*
 * The kernel's BTF_SET_START/BTF_ID/BTF_SET_END: labels in .BTF_ids, the
 * ids numbered by __COUNTER__ and __LINE__, the content zero until
 * resolve_btfids fills it when vmlinux is linked.
 */
#define BTF_SETS "asm(\".pushsection .BTF_ids,\\\"a\\\"\\n" \
	".local inject\\ninject:\\n.local __BTF_ID__set__inject\\n" \
	"__BTF_ID__set__inject:\\n.zero 4\\n" \
	".local __BTF_ID__func__a__%d\\n.type __BTF_ID__func__a__%d, STT_OBJECT\\n" \
	".size __BTF_ID__func__a__%d, 4\\n__BTF_ID__func__a__%d:\\n.zero 4\\n" \
	".size __BTF_ID__set__inject, 8\\n" \
	".local deny\\ndeny:\\n.local __BTF_ID__set__deny\\n" \
	"__BTF_ID__set__deny:\\n.zero 4\\n" \
	".local __BTF_ID__func__b__%d\\n.type __BTF_ID__func__b__%d, STT_OBJECT\\n" \
	".size __BTF_ID__func__b__%d, 4\\n__BTF_ID__func__b__%d:\\n.zero 4\\n" \
	".size __BTF_ID__set__deny, 8\\n.popsection\\n\");\n" \
	"extern struct { unsigned int cnt, ids[]; } inject, deny;\n" \
	"extern int contains(void *set, unsigned int id);\n" \
	"int allowed(unsigned int id) { return !contains(&deny, id)%s; }\n" \
	"int injectable(unsigned int id) { return contains(&inject, id); }\n"

START_TEST(test_btf_ids)
{
	char pre[2048], post[2048];
	struct od_result *r;
	struct od_obj o;
	unsigned int i, deny = 0;

	snprintf(pre, sizeof(pre), BTF_SETS, 7, 7, 7, 7, 8, 8, 8, 8, "");
	/* renumbered ids: the set after them reads as the same place */
	snprintf(post, sizeof(post), BTF_SETS, 9, 9, 9, 9, 10, 10, 10, 10, "");
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_NO_CHANGE);
	od_result_free(r);

	/* new code reads the running set, never a copy of zeros */
	snprintf(post, sizeof(post), BTF_SETS, 9, 9, 9, 9, 10, 10, 10, 10,
		 " && id != 5");
	r = diff(pre, post);
	ck_assert_int_eq(r->status, OD_CHANGED);
	ck_assert_uint_eq(r->nr_funcs, 1);
	ck_assert(has_func(r, "allowed"));
	for (i = 0; i < r->nr_krelocs; i++)
		if (strstr(r->krelocs[i].symbol, ":.BTF_ids") &&
		    r->krelocs[i].addend == 8)
			deny++;
	ck_assert_uint_eq(deny, 1);
	written(r, &o);
	ck_assert_ptr_null(sec_named(&o, ".BTF_ids"));
	od_obj_free(&o);
	od_result_free(r);
}
END_TEST

static Suite *statics_suite(void)
{
	Suite *s = suite_create("statics");
	TCase *tc = tcase_create("statics");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_once_new_flag);
	tcase_add_test(tc, test_once_flag_kept);
	tcase_add_test(tc, test_once_renumbered_no_change);
	tcase_add_test(tc, test_once_second_message);
	tcase_add_test(tc, test_once_reworded);
	tcase_add_test(tc, test_once_ambiguous_refused);
	tcase_add_test(tc, test_func_renumbered);
	tcase_add_test(tc, test_func_swapped_content);
	tcase_add_test(tc, test_unique_id_shift);
	tcase_add_test(tc, test_unique_id_in_data);
	tcase_add_test(tc, test_cswtch);
	tcase_add_test(tc, test_ratelimit_state);
	tcase_add_test(tc, test_ratelimit_state_cold);
	tcase_add_test(tc, test_moved_block);
	tcase_add_test(tc, test_lock_key);
	tcase_add_test(tc, test_lock_key_empty);
	tcase_add_test(tc, test_static_points_at_static);
	tcase_add_test(tc, test_btf_ids);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(statics_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
