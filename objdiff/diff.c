// SPDX-License-Identifier: GPL-2.0
/* od_diff(): load, correlate, classify, plan.  The entry of the library. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static void free_plan(struct od_plan *p)
{
	size_t i;

	od_obj_free(&p->pre);
	od_obj_free(&p->post);
	for (i = 0; i < p->nunits; i++) {
		free(p->units[i].anchor);
		free(p->units[i].bytes);
	}
	for (i = 0; i < p->nrelas; i++)
		free(p->relas[i].undef);
	free(p->units);
	free(p->relas);
	free(p->entries);
	free(p->undefs);
	free((char *)p->optbuf.target);
	free((char *)p->optbuf.tag);
	free((char *)p->optbuf.objname);
	free(p);
}

/*
 * Built without -ffunction-sections: every function in .text.  With it,
 * a few may still share .text (those after a top-level asm that ends
 * with .previous, as tracepoint definitions do); plan.c refuses to move
 * such a function if it changed.
 */
static void check_sections(struct od_plan *p, struct od_result *res)
{
	size_t i, in_text = 0, elsewhere = 0;

	for (i = 1; i < p->post.nsyms; i++) {
		const struct od_sym *s = &p->post.syms[i];

		if (!od_is_func(s) || s->sec->kind != SK_TEXT)
			continue;
		if (!strcmp(s->sec->name, ".text"))
			in_text++;
		else
			elsewhere++;
	}
	if (in_text > 1 && !elsewhere)
		od_msg(res, OD_MSG_REFUSE, NULL,
		       "add -ffunction-sections -fdata-sections to the "
		       "flags the objects are built with",
		       "%s: functions share .text: not built with "
		       "-ffunction-sections", p->post.path);
}

struct od_result *od_diff(const char *pre, const char *post,
			  const struct od_options *opt)
{
	struct od_result *res = od_xcalloc(1, sizeof(*res));
	struct od_plan *p = od_xcalloc(1, sizeof(*p));
	char err[512];
	int ret;

	res->status = OD_CHANGED;
	res->priv = p;
	p->optbuf = *opt;
	p->optbuf.target = od_xstrdup(opt->target ? opt->target : "vmlinux");
	p->optbuf.tag = od_xstrdup(opt->tag ? opt->tag : "o");
	p->optbuf.objname = opt->objname ? od_xstrdup(opt->objname) : NULL;
	p->opt = &p->optbuf;
	ret = od_obj_load(&p->pre, pre, err, sizeof(err));
	if (!ret)
		ret = od_obj_load(&p->post, post, err, sizeof(err));
	if (ret) {
		od_msg(res, OD_MSG_ERROR, NULL, NULL, "%s", err);
		if (ret == OD_LOAD_MALFORMED)
			res->status = OD_MALFORMED;
		return res;
	}
	check_sections(p, res);
	if (res->status != OD_CHANGED)
		return res;
	od_correlate(&p->pre, &p->post);
	od_classify(p, res);
	if (res->status != OD_CHANGED)
		return res;
	if (od_plan_build(p, res) < 0 && res->status == OD_CHANGED)
		res->status = OD_REFUSED;
	if (res->status == OD_CHANGED && strcmp(p->opt->target, "vmlinux"))
		od_sympos(p, res);
	/* the symbol sets belong to the caller */
	p->optbuf.exported = NULL;
	p->optbuf.provided = NULL;
	return res;
}

int od_write_object(struct od_result *res, const char *path)
{
	if (res->status != OD_CHANGED || !res->priv)
		return -1;
	return od_emit(res->priv, path);
}

void od_result_free(struct od_result *res)
{
	unsigned int i;

	if (!res)
		return;
	for (i = 0; i < res->nr_msgs; i++) {
		free(res->msgs[i].symbol);
		free(res->msgs[i].text);
		free(res->msgs[i].hint);
	}
	for (i = 0; i < res->nr_funcs; i++) {
		struct od_func *f = &res->funcs[i];
		unsigned int j;

		free(f->name);
		free(f->cold_name);
		free(f->key);
		free(f->anchor);
		free(f->pre_code);
		free(f->pre_mask);
		for (j = 0; j < f->nr_pre_relocs; j++) {
			free(f->pre_relocs[j].symbol);
			free(f->pre_relocs[j].object);
		}
		free(f->pre_relocs);
	}
	for (i = 0; i < res->nr_krelocs; i++) {
		free(res->krelocs[i].anchor);
		free(res->krelocs[i].symbol);
		free(res->krelocs[i].object);
	}
	for (i = 0; i < res->nr_new_globals; i++)
		free(res->new_globals[i]);
	free(res->msgs);
	free(res->funcs);
	free(res->krelocs);
	for (i = 0; i < res->nr_jkeys; i++) {
		free(res->jkeys[i].name);
		free(res->jkeys[i].symbol);
		free(res->jkeys[i].object);
	}
	free(res->jkeys);
	od_hooks_free(res);
	free(res->new_globals);
	if (res->priv)
		free_plan(res->priv);
	free(res);
}
