// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks a patch adds with <ksplice/patch.h>: each macro leaves a global
 * alias __ksplice_hook_<phase>_<kind>__<fn> of the function in the post
 * object.  Nothing running calls a hook, so the plan takes each hook
 * function as a root of its own, and the glue lists it in the update's
 * hook sets (gen.c) for ksplice.ko to run (kmod/hooks.c).  A patch whose
 * only new code is a hook is a change.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define HOOK_PREFIX	"__ksplice_hook_"

static const char *const phases[] = { "apply", "undo" };
static const char *const kinds[] = { "pre", "check", "apply", "post", "fail" };

/*
 * Split "__ksplice_hook_<phase>_<kind>__<fn>" into indexes of phases[]
 * and kinds[]; false if @name is not a hook alias.
 */
static bool parse(const char *name, unsigned int *phase, unsigned int *kind)
{
	const char *s = name + strlen(HOOK_PREFIX);
	unsigned int i, j;

	if (strncmp(name, HOOK_PREFIX, strlen(HOOK_PREFIX)))
		return false;
	for (i = 0; i < 2; i++) {
		size_t pl = strlen(phases[i]);

		if (strncmp(s, phases[i], pl) || s[pl] != '_')
			continue;
		for (j = 0; j < 5; j++) {
			size_t kl = strlen(kinds[j]);

			if (!strncmp(s + pl + 1, kinds[j], kl) &&
			    !strncmp(s + pl + 1 + kl, "__", 2) &&
			    s[pl + 3 + kl]) {
				*phase = i;
				*kind = j;
				return true;
			}
		}
	}
	return false;
}

bool od_is_hook(const struct od_sym *s)
{
	unsigned int phase, kind;

	return s->name && parse(s->name, &phase, &kind);
}

int od_plan_hooks(struct od_plan *p, struct od_result *res)
{
	size_t i;

	for (i = 1; i < p->post.nsyms; i++) {
		struct od_sym *s = &p->post.syms[i];
		struct od_sym *fn = s->canon;
		unsigned int phase, kind;
		struct od_hook *h;
		int unit;

		if (!s->name || !parse(s->name, &phase, &kind))
			continue;
		if (!s->sec || !fn || !od_is_func(fn) ||
		    fn->sec->kind != SK_TEXT) {
			od_msg(res, OD_MSG_REFUSE, s->name,
			       "pass ksplice_*() a function defined in the "
			       "same file, not __init or __exit",
			       "hook is not a function of the patched code");
			return -1;
		}
		unit = od_plan_carry(p, fn);
		res->hooks = od_xrealloc(res->hooks, res->nr_hooks + 1,
					 sizeof(*res->hooks));
		h = &res->hooks[res->nr_hooks++];
		h->phase = od_xstrdup(phases[phase]);
		h->kind = od_xstrdup(kinds[kind]);
		h->name = od_xstrdup(fn->name);
		h->anchor = od_xstrdup(od_plan_anchor(p, unit));
		od_msg(res, OD_MSG_INFO, fn->name, NULL, "%s hook (%s)",
		       phases[phase], kinds[kind]);
	}
	return 0;
}

void od_hooks_free(struct od_result *res)
{
	unsigned int i;

	for (i = 0; i < res->nr_hooks; i++) {
		free(res->hooks[i].phase);
		free(res->hooks[i].kind);
		free(res->hooks[i].name);
		free(res->hooks[i].anchor);
	}
	free(res->hooks);
}
