// SPDX-License-Identifier: GPL-2.0
/*
 * The check of an update's descriptor at registration.  Every field the
 * engine later reads (arrays, strings, sizes, offsets, code pointers,
 * hooks) is checked once here against the update module's own memory, so
 * that a malformed update module is refused with one line in dmesg
 * instead of making the engine read or write out of bounds later.
 */
#include <linux/ctype.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "internal.h"

#define KS_MAX_FUNCS		4096
#define KS_MAX_RELOCS		(1U << 18)
#define KS_MAX_PRE_RELOCS	16384		/* per function */
#define KS_MAX_PRESYMS		(1U << 18)	/* all functions together */
#define KS_MAX_FUNC_SIZE	(1UL << 20)	/* 1 MiB: no real function */
#define KS_MAX_HOOKS		256		/* per hook array */

#define KS_DESC_MAX		1024
#define KS_SYM_MAX		(KSYM_NAME_LEN - 1)
#define KS_OBJ_MAX		(MODULE_NAME_LEN - 1)

/* The update module's core memory, where all of its descriptor must be. */
struct ks_bounds {
	unsigned long base;
	unsigned long size;
	unsigned long text_size;
};

static bool ks_inside(const struct ks_bounds *b, const void *p,
		      unsigned long len)
{
	unsigned long start = (unsigned long)p, end;

	if (check_add_overflow(start, len, &end))
		return false;
	return start >= b->base && end <= b->base + b->size;
}

static bool ks_array_inside(const struct ks_bounds *b, const void *p,
			    unsigned long n, unsigned long elem)
{
	unsigned long len;

	return !check_mul_overflow(n, elem, &len) && ks_inside(b, p, len);
}

static bool ks_in_text(const struct ks_bounds *b, const void *p)
{
	unsigned long a = (unsigned long)p;

	return a >= b->base && a < b->base + b->text_size;
}

/*
 * A NUL-terminated string inside the module, of at most @max bytes (and
 * at least one unless @empty_ok).  Never reads past the module's end.
 */
static bool ks_string_ok(const struct ks_bounds *b, const char *s,
			 size_t max, bool empty_ok)
{
	size_t room, len;

	if (!s || !ks_inside(b, s, 1))
		return false;
	room = b->base + b->size - (unsigned long)s;
	len = strnlen(s, min_t(size_t, room, max + 1));
	return len < room && len <= max && (len || empty_ok);
}

/* NULL, or a string naming an object ("vmlinux" or a module). */
static bool ks_object_ok(const struct ks_bounds *b, const char *s)
{
	return !s || ks_string_ok(b, s, KS_OBJ_MAX, true);
}

static bool ks_valid_id(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (!isalnum(id[i]) && id[i] != '_' && id[i] != '-')
			return false;
	return true;
}

/*
 * @owner must be THIS_MODULE of the module that holds @u.  Read it without
 * trusting the pointer: a wild one must not oops the engine.
 */
static bool ks_owner_bounds(const struct ksplice_update *u,
			    struct ks_bounds *b)
{
	struct module_layout l;

	if (!u->owner ||
	    copy_from_kernel_nofault(&l, &u->owner->core_layout, sizeof(l)))
		return false;
	b->base = (unsigned long)l.base;
	b->size = l.size;
	b->text_size = l.text_size;
	if (!b->base || b->text_size > b->size ||
	    b->base + b->size < b->base)
		return false;
	return ks_inside(b, u->owner, sizeof(*u->owner)) &&
	       ks_inside(b, u, sizeof(*u));
}

#define ks_refuse(u, fmt, ...) ({					\
	pr_err("ksplice: update %s refused: " fmt "\n", (u)->id,	\
	       ##__VA_ARGS__);						\
	-EINVAL;							\
})

static int ks_check_pre_relocs(const struct ksplice_update *u,
			       const struct ks_bounds *b,
			       const struct ksplice_func *f)
{
	unsigned int i;

	if (f->nr_pre_relocs > KS_MAX_PRE_RELOCS)
		return ks_refuse(u, "%s: %u pre relocations, at most %u",
				 f->name, f->nr_pre_relocs, KS_MAX_PRE_RELOCS);
	if (!f->pre_code)
		return ks_refuse(u, "%s: pre relocations without pre code",
				 f->name);
	if (!ks_array_inside(b, f->pre_relocs, f->nr_pre_relocs,
			     sizeof(*f->pre_relocs)))
		return ks_refuse(u, "%s: pre relocations outside the update module",
				 f->name);
	for (i = 0; i < f->nr_pre_relocs; i++) {
		const struct ksplice_pre_reloc *r = &f->pre_relocs[i];
		unsigned int width = ks_reloc_width(r->type);
		unsigned long end;

		if (!width)
			return ks_refuse(u, "%s: pre relocation %u has unknown type %u",
					 f->name, i, r->type);
		if (check_add_overflow((unsigned long)r->offset,
				       (unsigned long)width, &end) ||
		    end > f->size)
			return ks_refuse(u, "%s: pre relocation %u at +%#x runs past the function's %lu bytes",
					 f->name, i, r->offset, f->size);
		if (!ks_string_ok(b, r->symbol, KS_SYM_MAX, false) ||
		    !ks_object_ok(b, r->object))
			return ks_refuse(u, "%s: pre relocation %u has a bad symbol or object name",
					 f->name, i);
	}
	return 0;
}

static int ks_check_func(const struct ksplice_update *u,
			 const struct ks_bounds *b, unsigned int i)
{
	const struct ksplice_func *f = &u->funcs[i];

	if (!ks_string_ok(b, f->name, KS_SYM_MAX, false))
		return ks_refuse(u, "function %u has no valid name", i);
	if (!ks_object_ok(b, f->object) ||
	    (f->cold_name && !ks_string_ok(b, f->cold_name, KS_SYM_MAX, false)))
		return ks_refuse(u, "%s: bad object or .cold name", f->name);
	if (f->key && !ks_string_ok(b, f->key, KS_SYM_MAX, false))
		return ks_refuse(u, "%s: bad key", f->name);
	if (f->size > KS_MAX_FUNC_SIZE || f->cold_size > KS_MAX_FUNC_SIZE)
		return ks_refuse(u, "%s: size %lu (.cold %lu) over %lu bytes",
				 f->name, f->size, f->cold_size,
				 KS_MAX_FUNC_SIZE);
	if (!ks_in_text(b, f->new_code))
		return ks_refuse(u, "%s: replacement code is not in the update module's text",
				 f->name);
	if (f->pre_mask && !f->pre_code)
		return ks_refuse(u, "%s: pre mask without pre code", f->name);
	if (f->pre_code &&
	    (!f->size || !ks_inside(b, f->pre_code, f->size) ||
	     (f->pre_mask && !ks_inside(b, f->pre_mask, f->size))))
		return ks_refuse(u, "%s: pre code needs a size and must be in the update module",
				 f->name);
	if (f->nr_pre_relocs)
		return ks_check_pre_relocs(u, b, f);
	return 0;
}

static int ks_check_reloc(const struct ksplice_update *u,
			  const struct ks_bounds *b, unsigned int i)
{
	const struct ksplice_reloc *r = &u->relocs[i];
	unsigned int width = ks_reloc_width(r->type);

	if (!width)
		return ks_refuse(u, "relocation %u has unknown type %u", i,
				 r->type);
	if (!r->site || !ks_inside(b, r->site, width))
		return ks_refuse(u, "relocation %u writes outside the update module",
				 i);
	if (!ks_string_ok(b, r->symbol, KS_SYM_MAX, false) ||
	    !ks_object_ok(b, r->object))
		return ks_refuse(u, "relocation %u has a bad symbol or object name",
				 i);
	return 0;
}

/* A NULL-terminated array of functions of the update module, or NULL. */
/* Does @set name any hook?  (Read before ks_check_hook_set: the
 * pointers are the module's own, checked right after.) */
static bool ks_has_hooks(const struct ksplice_hook_set *set)
{
	return set->pre || set->check || set->apply || set->post || set->fail;
}

static int ks_check_hooks(const struct ksplice_update *u,
			  const struct ks_bounds *b, const void *const *hooks,
			  const char *what)
{
	unsigned int i;

	for (i = 0; hooks && i <= KS_MAX_HOOKS; i++) {
		if (!ks_inside(b, &hooks[i], sizeof(hooks[i])))
			return ks_refuse(u, "%s hooks outside the update module",
					 what);
		if (!hooks[i])
			return 0;
		if (!ks_in_text(b, hooks[i]))
			return ks_refuse(u, "%s hook %u is not in the update module's text",
					 what, i);
	}
	return hooks ? ks_refuse(u, "more than %u %s hooks", KS_MAX_HOOKS,
				 what) : 0;
}

static int ks_check_hook_set(const struct ksplice_update *u,
			     const struct ks_bounds *b,
			     const struct ksplice_hook_set *h, const char *op)
{
	const struct {
		const void *const *hooks;
		const char *kind;
	} sets[] = {
		{ (const void *const *)h->pre, "pre" },
		{ (const void *const *)h->check, "check" },
		{ (const void *const *)h->apply, "apply" },
		{ (const void *const *)h->post, "post" },
		{ (const void *const *)h->fail, "fail" },
	};
	char what[16];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		snprintf(what, sizeof(what), "%s %s", op, sets[i].kind);
		ret = ks_check_hooks(u, b, sets[i].hooks, what);
		if (ret)
			return ret;
	}
	return 0;
}

int ks_validate(const struct ksplice_update *u)
{
	unsigned long presyms = 0;
	struct ks_bounds b;
	unsigned int i;
	int ret;

	if (!u)
		return -EINVAL;
	if (u->abi < KSPLICE_ABI_MIN || u->abi > KSPLICE_ABI_VERSION) {
		pr_err("ksplice: update built for ABI %u, this core speaks %u to %u\n",
		       u->abi, KSPLICE_ABI_MIN, KSPLICE_ABI_VERSION);
		return -EPROTO;
	}
	if (!ks_owner_bounds(u, &b)) {
		pr_err("ksplice: update refused: its owner is not THIS_MODULE of the module holding it\n");
		return -EINVAL;
	}
	if (!ks_string_ok(&b, u->id, KS_ID_MAX, false) || !ks_valid_id(u->id)) {
		pr_err("ksplice: update refused: its id is not 1..%u of [A-Za-z0-9_-]\n",
		       KS_ID_MAX);
		return -EINVAL;
	}
	if (u->description &&
	    !ks_string_ok(&b, u->description, KS_DESC_MAX, true))
		return ks_refuse(u, "description not a string of at most %u bytes",
				 KS_DESC_MAX);
	if (u->abi >= 2 && (u->flags & ~KSPLICE_F_REPLACE))
		return ks_refuse(u, "unknown flags %#x", u->flags);
	/* an update may be hooks alone: custom code that changes data */
	if ((!u->nr_funcs && !ks_has_hooks(&u->apply_hooks) &&
	     !ks_has_hooks(&u->undo_hooks)) || u->nr_funcs > KS_MAX_FUNCS ||
	    (u->nr_funcs &&
	     !ks_array_inside(&b, u->funcs, u->nr_funcs, sizeof(*u->funcs))))
		return ks_refuse(u, "%u functions (1..%u, or 0 with hooks) or array outside the update module",
				 u->nr_funcs, KS_MAX_FUNCS);
	for (i = 0; i < u->nr_funcs; i++) {
		ret = ks_check_func(u, &b, i);
		if (ret)
			return ret;
		presyms += u->funcs[i].nr_pre_relocs;
	}
	if (presyms > KS_MAX_PRESYMS)
		return ks_refuse(u, "%lu pre relocations in all, at most %u",
				 presyms, KS_MAX_PRESYMS);
	if (u->nr_relocs > KS_MAX_RELOCS ||
	    (u->nr_relocs && !ks_array_inside(&b, u->relocs, u->nr_relocs,
					      sizeof(*u->relocs))))
		return ks_refuse(u, "%u relocations (at most %u) or array outside the update module",
				 u->nr_relocs, KS_MAX_RELOCS);
	for (i = 0; i < u->nr_relocs; i++) {
		ret = ks_check_reloc(u, &b, i);
		if (ret)
			return ret;
	}
	ret = ks_check_hook_set(u, &b, &u->apply_hooks, "apply");
	if (!ret)
		ret = ks_check_hook_set(u, &b, &u->undo_hooks, "undo");
	return ret;
}
