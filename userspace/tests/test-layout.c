// SPDX-License-Identifier: GPL-2.0
/*
 * A struct's layout from debug info (create/dwlayout.c): small models of
 * the header changes real fixes make, compiled by the compiler kbuild
 * uses (gcc -g, as CONFIG_DEBUG_INFO does), before and after.  A renamed
 * member, a member retyped to the same shape (int to an atomic_t-like
 * struct, a callback's parameters) or aliased in a union keeps the
 * layout; a new member, a moved one, a pointer to another type or a
 * longer array changes it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../create/dwlayout.h"

static char dir[] = "/tmp/test-layout.XXXXXX";

/* @src compiled with debug info into DIR/@name.o; its path. */
static char *compile(const char *name, const char *src)
{
	static char obj[2][256];
	static int k;
	char c[256], cmd[1024];
	FILE *f;

	k ^= 1;
	snprintf(c, sizeof(c), "%s/%s.c", dir, name);
	snprintf(obj[k], sizeof(obj[k]), "%s/%s.o", dir, name);
	f = fopen(c, "w");
	ck_assert_ptr_nonnull(f);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "${CC:-gcc} -g -O2 -c -o %s %s", obj[k], c);
	ck_assert_int_eq(system(cmd), 0);
	return obj[k];
}

/* @type's layout in the object @src compiles to: dw_layout()'s answer. */
static int layout_of(const char *src, const char *type, const char *file,
		     struct dw_layout *l)
{
	struct dw_object *o = dw_open(compile("obj", src));
	int r = dw_layout(o, type, file, l);

	dw_close(o);
	return r;
}

/* NULL if @type has the same layout in @pre and @post, else why. */
static char *compare(const char *type, const char *pre, const char *post)
{
	struct dw_layout a, b;
	char *why;

	ck_assert_int_eq(layout_of(pre, type, NULL, &a), 0);
	ck_assert_int_eq(layout_of(post, type, NULL, &b), 0);
	why = dw_layout_diff(&a, &b);
	dw_layout_free(&a);
	dw_layout_free(&b);
	return why;
}

#define SAME(type, pre, post) do {					\
	char *why = compare(type, pre, post);				\
	ck_assert_msg(!why, "%s: %s", type, why);			\
} while (0)

#define DIFFERS(type, pre, post, says) do {				\
	char *why = compare(type, pre, post);				\
	ck_assert_msg(why, "%s: no change found", type);		\
	ck_assert_msg(strstr(why, says), "%s: %s", type, why);		\
	free(why);							\
} while (0)

START_TEST(test_same_shape)
{
	/* perf_capabilities: a bitfield renamed __reserved */
	SAME("union caps",
	     "union caps { struct { unsigned long a:1, dep:1, b:3; } s; unsigned long v; } x;",
	     "union caps { struct { unsigned long a:1, __reserved:1, b:3; } s; unsigned long v; } x;");
	/* bfq: int ref becomes atomic_t ref */
	SAME("struct g",
	     "struct g { void *p; int ref; } x;",
	     "typedef struct { int counter; } atomic_t; struct g { void *p; atomic_t ref; } x;");
	/* acpi_battery_hook, cxl_decoder: a callback's type */
	SAME("struct ops",
	     "struct ops { int (*add)(void *b); int (*reset)(int); } x;",
	     "struct ops { int (*add)(void *b, struct ops *h); void (*reset)(int); } x;");
	/* sock: a member put in a union with an alias of its type */
	SAME("struct sk",
	     "struct t { long e; void (*f)(struct t *); }; struct sk { int a; struct t timer; } x;",
	     "struct t { long e; void (*f)(struct t *); }; struct sk { int a; union { struct t timer; struct t retr; }; } x;");
	/* libsas: a struct of one pointer becomes that pointer */
	SAME("struct ha",
	     "struct host; struct core { struct host *shost; }; struct ha { int n; struct core core; } x;",
	     "struct host; struct ha { int n; struct host *shost; } x;");
	/* a typedef of an unnamed struct, found through its name */
	SAME("typedef tk",
	     "typedef struct { int a; char b[4]; } tk; tk x;",
	     "typedef struct { int a_renamed; char b[4]; } tk; tk x;");
}
END_TEST

START_TEST(test_changed)
{
	/* hw_random: a new member */
	DIFFERS("struct rng",
		"struct rng { const char *name; int q; } x;",
		"struct rng { const char *name; int q; long work; } x;",
		"size changes from 16 to 24");
	/* bluetooth: __u32 becomes unsigned long, moving what follows */
	DIFFERS("struct e",
		"struct e { int t; int b; long c; } x;",
		"struct e { long t; int b; long c; } x;",
		"size changes");
	/* a new member in padding: the struct keeps its size */
	DIFFERS("struct pad",
		"struct pad { char a; long b; } x;",
		"struct pad { char a; char flag; long b; } x;",
		"member flag (byte 1) is new");
	/* f2fs-like: the pointer now to another type */
	DIFFERS("struct sbi",
		"struct gc; struct sbi { struct gc *g; long n; } x;",
		"struct gc2; struct sbi { struct gc2 *g; long n; } x;",
		"member g (byte 0)");
	/* drm_tile_group: u8 group_data[8] becomes [9], inside padding */
	DIFFERS("struct tg",
		"struct tg { int id; unsigned char d[8]; long n; } x;",
		"struct tg { int id; unsigned char d[9]; long n; } x;",
		"member d (byte 4)");
	/* a member removed: those after it move */
	DIFFERS("struct can",
		"struct can { int ifindex; int skbcnt; int cf[]; } x;",
		"struct can { int ifindex; int cf[]; } x;",
		"size changes from 8 to 4");
	DIFFERS("struct mid",
		"struct mid { int a; int gone; int b; int c; long d; } x;",
		"struct mid { int a; int b; int c; long d; } x;",
		"member c (byte 12) moves or goes");
	/* a new bitfield in unused bits */
	DIFFERS("struct bits",
		"struct bits { unsigned int a:1; int n; } x;",
		"struct bits { unsigned int a:1, b:1; int n; } x;",
		"member b");
	/* an integer becomes a pointer of the same size */
	DIFFERS("struct ip",
		"struct ip { long v; } x;",
		"struct ip { void *v; } x;",
		"member v");
}
END_TEST

START_TEST(test_not_defined)
{
	struct dw_layout l;

	/* declared only, or not used: the object cannot tell */
	ck_assert_int_eq(layout_of("struct q; struct q *p;", "struct q", NULL,
				   &l), 1);
	ck_assert_int_eq(layout_of("int z;", "struct q", NULL, &l), 1);
	/* not a struct, union or typedef of one */
	ck_assert_int_eq(layout_of("int z;", "struct (anonymous)", NULL, &l),
			 -1);
	ck_assert_int_eq(layout_of("typedef int ti; ti z;", "typedef ti", NULL,
				   &l), 1);
}
END_TEST

/* Another header's struct of the same tag is not the one checked. */
START_TEST(test_declared_in)
{
	struct dw_layout l;
	char h[256];
	FILE *f;

	snprintf(h, sizeof(h), "%s/h", dir);
	ck_assert_int_eq(mkdir(h, 0755), 0);
	snprintf(h, sizeof(h), "%s/h/a.h", dir);
	f = fopen(h, "w");
	ck_assert_ptr_nonnull(f);
	fputs("struct priv { int a; };\n", f);
	fclose(f);
	ck_assert_int_eq(layout_of("#include \"h/a.h\"\nstruct priv x;",
				   "struct priv", "h/a.h", &l), 0);
	ck_assert_uint_eq(l.size, 4);
	dw_layout_free(&l);
	ck_assert_int_eq(layout_of("#include \"h/a.h\"\nstruct priv x;",
				   "struct priv", "drivers/other/priv.h", &l), 1);
}
END_TEST

static void collect(const char *type, void *arg)
{
	char *all = arg;

	strcat(strcat(all, type), ";");
}

/*
 * The structs a patched .c file defines for itself (acpi_ac in
 * drivers/acpi/ac.c): those at file scope, and a typedef's unnamed one;
 * not a header's, nor a declaration, nor one inside a function.
 */
START_TEST(test_file_types)
{
	struct dw_object *o;
	char all[512] = "";
	char h[256];
	FILE *f;

	snprintf(h, sizeof(h), "%s/own.h", dir);
	f = fopen(h, "w");
	ck_assert_ptr_nonnull(f);
	fputs("struct shared { int a; };\n", f);
	fclose(f);
	o = dw_open(compile("own", "#include \"own.h\"\n"
			    "struct acpi_ac { void *charger; long state; };\n"
			    "union val { int i; long l; };\n"
			    "typedef struct { int b; } anon_t;\n"
			    "struct opaque;\n"
			    "struct shared s; anon_t t; union val v;\n"
			    "struct opaque *p;\n"
			    "int f(struct acpi_ac *ac) {\n"
			    "	struct inner { int c; } i = { ac->state };\n"
			    "	return i.c; }\n"));
	ck_assert_ptr_nonnull(o);
	dw_file_types(o, "own.c", collect, all);
	ck_assert_str_eq(all, "struct acpi_ac;union val;typedef anon_t;");
	all[0] = '\0';
	dw_file_types(o, "own.h", collect, all);
	ck_assert_str_eq(all, "struct shared;");
	dw_close(o);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");
	SRunner *sr;
	int failed;
	char cmd[256];

	if (!mkdtemp(dir))
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_same_shape);
	tcase_add_test(tc, test_changed);
	tcase_add_test(tc, test_not_defined);
	tcase_add_test(tc, test_declared_in);
	tcase_add_test(tc, test_file_types);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		failed++;
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
