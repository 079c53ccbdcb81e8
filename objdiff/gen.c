// SPDX-License-Identifier: GPL-2.0
/*
 * The C glue of an update module: the struct ksplice_func and
 * ksplice_reloc tables, the struct ksplice_update, and init/exit that
 * register it with ksplice.ko.  The new code is named through the global
 * anchors od_emit() put into each update object.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static void put_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f || c == '?')
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void put_externs(FILE *f, struct od_result *const *res, unsigned int n)
{
	char **seen = NULL;
	size_t nseen = 0, k;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < res[i]->nr_funcs + res[i]->nr_krelocs; j++) {
			const char *a = j < res[i]->nr_funcs ?
				res[i]->funcs[j].anchor :
				res[i]->krelocs[j - res[i]->nr_funcs].anchor;

			for (k = 0; k < nseen; k++)
				if (!strcmp(seen[k], a))
					break;
			if (k < nseen)
				continue;
			seen = od_xrealloc(seen, nseen + 1, sizeof(*seen));
			seen[nseen++] = (char *)a;
			fprintf(f, "extern char %s[];\n", a);
		}
	}
	free(seen);
}

static const char *type_name(unsigned int type)
{
	switch (type) {
	case 1: return "KSPLICE_R_64";
	case 2: return "KSPLICE_R_PC32";
	case 10: return "KSPLICE_R_32";
	case 11: return "KSPLICE_R_32S";
	}
	return "0 /* unknown */";
}

static void put_bytes(FILE *f, const char *name, unsigned int k,
		      const unsigned char *b, unsigned long n)
{
	unsigned long i;

	fprintf(f, "\nstatic const unsigned char %s_%u[%lu] = {", name, k, n);
	for (i = 0; i < n; i++)
		fprintf(f, "%s0x%02x,", i % 12 ? " " : "\n\t", b[i]);
	fputs("\n};\n", f);
}

/* The run-pre data of every function: its bytes, mask and relocations. */
static void put_runpre(FILE *f, struct od_result *const *res, unsigned int n)
{
	unsigned int i, j, k = 0, r;

	for (i = 0; i < n; i++) {
		for (j = 0; j < res[i]->nr_funcs; j++, k++) {
			const struct od_func *fn = &res[i]->funcs[j];

			if (!fn->pre_code || !fn->size)
				continue;
			fprintf(f, "\n/* %s: run-pre data */", fn->name);
			put_bytes(f, "ksplice_pre_code", k, fn->pre_code, fn->size);
			put_bytes(f, "ksplice_pre_mask", k, fn->pre_mask, fn->size);
			if (!fn->nr_pre_relocs)
				continue;
			fprintf(f, "\nstatic const struct ksplice_pre_reloc "
				"ksplice_pre_relocs_%u[] = {\n", k);
			for (r = 0; r < fn->nr_pre_relocs; r++) {
				const struct od_prereloc *pr = &fn->pre_relocs[r];

				fprintf(f, "\t{ .offset = %lu, .type = %s, "
					".addend = %ld, .symbol = ", pr->offset,
					type_name(pr->type), pr->addend);
				put_str(f, pr->symbol);
				fputs(", .object = ", f);
				put_str(f, pr->object);
				fputs(" },\n", f);
			}
			fputs("};\n", f);
		}
	}
}

static void put_funcs(FILE *f, struct od_result *const *res, unsigned int n)
{
	unsigned int i, j, k = 0;

	fputs("\nstatic const struct ksplice_func ksplice_funcs[] = {\n", f);
	for (i = 0; i < n; i++) {
		const struct od_result *r = res[i];
		const char *object = r->priv ?
			((struct od_plan *)r->priv)->opt->target : "";

		for (j = 0; j < r->nr_funcs; j++) {
			const struct od_func *fn = &r->funcs[j];

			fputs("\t{\n\t\t.name = ", f);
			put_str(f, fn->name);
			fputs(",\n\t\t.object = ", f);
			put_str(f, object);
			fprintf(f, ",\n\t\t.size = %lu,\n", fn->size);
			fprintf(f, "\t\t.new_code = %s,\n", fn->anchor);
			fputs("\t\t.cold_name = ", f);
			put_str(f, fn->cold_name);
			fprintf(f, ",\n\t\t.cold_size = %lu,\n", fn->cold_size);
			fputs("\t\t.sympos = 0,\n\t\t.key = ", f);
			put_str(f, fn->key);
			fputs(",\n", f);
			if (fn->pre_code && fn->size)
				fprintf(f, "\t\t.pre_code = ksplice_pre_code_%u,\n"
					"\t\t.pre_mask = ksplice_pre_mask_%u,\n",
					k, k);
			if (fn->pre_code && fn->size && fn->nr_pre_relocs)
				fprintf(f, "\t\t.pre_relocs = ksplice_pre_relocs_%u,\n"
					"\t\t.nr_pre_relocs = "
					"ARRAY_SIZE(ksplice_pre_relocs_%u),\n",
					k, k);
			fputs("\t},\n", f);
			k++;
		}
	}
	fputs("};\n", f);
}

static unsigned int put_relocs(FILE *f, struct od_result *const *res,
			       unsigned int n)
{
	unsigned int i, j, count = 0;

	for (i = 0; i < n; i++)
		count += res[i]->nr_krelocs;
	if (!count)
		return 0;
	fputs("\nstatic const struct ksplice_reloc ksplice_relocs[] = {\n", f);
	for (i = 0; i < n; i++) {
		for (j = 0; j < res[i]->nr_krelocs; j++) {
			const struct od_kreloc *k = &res[i]->krelocs[j];

			fprintf(f, "\t{ .site = %s + %lu, .symbol = ", k->anchor,
				k->offset);
			put_str(f, k->symbol);
			fputs(", .object = ", f);
			put_str(f, k->object);
			fprintf(f, ", .addend = %ld, .type = %s, .sympos = %u },\n",
				k->addend, type_name(k->type), k->sympos);
		}
	}
	fputs("};\n", f);
	return count;
}

/* The static keys ksplice.ko resolves at load (kmod/jumpkeys.c). */
static void put_jkeys(FILE *f, struct od_result *const *res, unsigned int n)
{
	unsigned int i, j, count = 0;

	for (i = 0; i < n; i++)
		count += res[i]->nr_jkeys;
	if (!count)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < res[i]->nr_jkeys; j++) {
			const struct od_jkey *k = &res[i]->jkeys[j];

			fprintf(f, "\nextern struct ksplice_jump_key %s;\n"
				"struct ksplice_jump_key %s = {\n\t.symbol = ",
				k->name, k->name);
			put_str(f, k->symbol);
			fputs(",\n\t.object = ", f);
			put_str(f, k->object);
			fprintf(f, ",\n\t.offset = %ld,\n\t.sympos = %u,\n};\n",
				k->offset, k->sympos);
		}
	}
	fputs("\nstatic struct ksplice_jump_key *const ksplice_jump_key_list[] "
	      "= {\n", f);
	for (i = 0; i < n; i++)
		for (j = 0; j < res[i]->nr_jkeys; j++)
			fprintf(f, "\t&%s,\n", res[i]->jkeys[j].name);
	fputs("};\n\n"
	      "extern struct ksplice_jump_keys ksplice_jump_keys;\n"
	      "struct ksplice_jump_keys ksplice_jump_keys = {\n"
	      "\t.abi = KSPLICE_ABI_VERSION,\n"
	      "\t.nr = ARRAY_SIZE(ksplice_jump_key_list),\n"
	      "\t.keys = ksplice_jump_key_list,\n};\n", f);
}

static const char *const hook_kinds[] = { "pre", "check", "apply", "post",
					  "fail" };

/*
 * The hooks of every object, in the objects' order, as the NULL-terminated
 * arrays of the update's hook sets.  A hook's anchor may also be declared
 * as char[] (put_externs): the arrays cast the address.
 */
static void put_hooks(FILE *f, struct od_result *const *res, unsigned int n)
{
	unsigned int i, j, k, ph;
	char **seen = NULL;
	size_t nseen = 0, s;

	for (i = 0; i < n; i++) {
		for (j = 0; j < res[i]->nr_hooks; j++) {
			const char *a = res[i]->hooks[j].anchor;

			for (s = 0; s < nseen; s++)
				if (!strcmp(seen[s], a))
					break;
			if (s < nseen)
				continue;
			seen = od_xrealloc(seen, nseen + 1, sizeof(*seen));
			seen[nseen++] = (char *)a;
			/* the same declaration as put_externs() makes */
			fprintf(f, "extern char %s[];\n", a);
		}
	}
	free(seen);
	for (ph = 0; ph < 2; ph++) {
		for (k = 0; k < 5; k++) {
			bool call = k < 3, any = false;

			for (i = 0; i < n; i++) {
				for (j = 0; j < res[i]->nr_hooks; j++) {
					const struct od_hook *h = &res[i]->hooks[j];

					if (strcmp(h->phase, ph ? "undo" : "apply") ||
					    strcmp(h->kind, hook_kinds[k]))
						continue;
					if (!any)
						fprintf(f, "\nstatic const ksplice_%s_t "
							"ksplice_%s_%s_hooks[] = {\n",
							call ? "call" : "notify",
							ph ? "undo" : "apply",
							hook_kinds[k]);
					any = true;
					fprintf(f, "\t(ksplice_%s_t)%s,\t/* %s */\n",
						call ? "call" : "notify", h->anchor,
						h->name);
				}
			}
			if (any)
				fputs("\tNULL,\n};\n", f);
		}
	}
}

/* ".apply_hooks = { .pre = ksplice_apply_pre_hooks, ... }," */
static void put_hook_sets(FILE *f, struct od_result *const *res,
			  unsigned int n)
{
	unsigned int i, j, k, ph;

	for (ph = 0; ph < 2; ph++) {
		const char *phase = ph ? "undo" : "apply";
		bool open = false;

		for (k = 0; k < 5; k++) {
			bool any = false;

			for (i = 0; i < n && !any; i++)
				for (j = 0; j < res[i]->nr_hooks && !any; j++)
					any = !strcmp(res[i]->hooks[j].phase,
						      phase) &&
					      !strcmp(res[i]->hooks[j].kind,
						      hook_kinds[k]);
			if (!any)
				continue;
			if (!open)
				fprintf(f, "\t.%s_hooks = {\n", phase);
			open = true;
			fprintf(f, "\t\t.%s = ksplice_%s_%s_hooks,\n",
				hook_kinds[k], phase, hook_kinds[k]);
		}
		if (open)
			fputs("\t},\n", f);
	}
}

int od_write_c(FILE *f, const struct od_update_info *info,
	       struct od_result *const *res, unsigned int n)
{
	unsigned int nrel;

	fputs("// SPDX-License-Identifier: GPL-2.0\n"
	      "/* Generated by ksplice objdiff: do not edit. */\n"
	      "#include <linux/kernel.h>\n"
	      "#include <linux/module.h>\n"
	      "#include <ksplice/update.h>\n\n", f);
	put_externs(f, res, n);
	put_runpre(f, res, n);
	put_funcs(f, res, n);
	nrel = put_relocs(f, res, n);
	put_jkeys(f, res, n);
	put_hooks(f, res, n);
	fputs("\nstatic struct ksplice_update ksplice_update = {\n"
	      "\t.abi = KSPLICE_ABI_VERSION,\n\t.id = ", f);
	put_str(f, info->id);
	fputs(",\n\t.description = ", f);
	put_str(f, info->description);
	fputs(",\n\t.owner = THIS_MODULE,\n"
	      "\t.funcs = ksplice_funcs,\n"
	      "\t.nr_funcs = ARRAY_SIZE(ksplice_funcs),\n", f);
	if (nrel)
		fputs("\t.relocs = ksplice_relocs,\n"
		      "\t.nr_relocs = ARRAY_SIZE(ksplice_relocs),\n", f);
	put_hook_sets(f, res, n);
	if (info->replace)
		fputs("\t.flags = KSPLICE_F_REPLACE,\n", f);
	fputs("};\n\n"
	      "static int __init ksplice_update_init(void)\n{\n"
	      "\treturn ksplice_register_update(&ksplice_update);\n}\n\n"
	      "static void __exit ksplice_update_exit(void)\n{\n"
	      "\tksplice_unregister_update(&ksplice_update);\n}\n\n"
	      "module_init(ksplice_update_init);\n"
	      "module_exit(ksplice_update_exit);\n"
	      "MODULE_LICENSE(\"GPL\");\n"
	      "MODULE_DESCRIPTION(", f);
	put_str(f, info->description);
	fputs(");\n", f);
	return ferror(f) ? -1 : 0;
}
