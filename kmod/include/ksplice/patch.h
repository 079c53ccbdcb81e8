/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hooks for patch authors, in the style of the 2009 Ksplice: a patch that
 * needs custom code at apply or undo time adds, in the patched file,
 *
 *	#include <ksplice/patch.h>
 *	static int fix_up_state(void) { ... return 0; }
 *	ksplice_check_apply(fix_up_state);
 *
 * Each macro makes a global alias named __ksplice_hook_<phase>_<kind>__<fn>;
 * ksplice-create (objdiff/hooks.c) carries the function into the update
 * even though nothing calls it, and lists it in the update's
 * ksplice_hook_set (see update.h for when each kind runs).  Hooks run
 * once per update, in the order of the patched objects and, within one,
 * of the file.  Only ksplice_apply() and ksplice_reverse() run inside
 * stop_machine: they must not sleep.
 *
 * livepatch's callbacks (Documentation/livepatch/callbacks.rst) under
 * their own names, for authors who know them: ksplice_pre_patch (int,
 * nonzero refuses the apply), ksplice_post_patch, ksplice_pre_unpatch
 * (int here: nonzero refuses the undo, which livepatch's cannot) and
 * ksplice_post_unpatch.  They take no struct klp_object: an update's
 * hooks run when the whole update is applied, which for an update of a
 * module that is not loaded is when that module loads.
 *
 * Shadow variables (<ksplice/shadow.h>, included here) attach new data to
 * existing objects.
 */
#ifndef _KSPLICE_PATCH_H
#define _KSPLICE_PATCH_H

#include <ksplice/update.h>
#include <ksplice/shadow.h>

#define __KSPLICE_HOOK(phase, kind, fn, type)				\
	type __ksplice_hook_##phase##_##kind##__##fn(void)		\
		__attribute__((alias(#fn)))

#define ksplice_pre_apply(fn)	__KSPLICE_HOOK(apply, pre, fn, int)
#define ksplice_check_apply(fn)	__KSPLICE_HOOK(apply, check, fn, int)
#define ksplice_apply(fn)	__KSPLICE_HOOK(apply, apply, fn, int)
#define ksplice_post_apply(fn)	__KSPLICE_HOOK(apply, post, fn, void)
#define ksplice_fail_apply(fn)	__KSPLICE_HOOK(apply, fail, fn, void)

#define ksplice_pre_reverse(fn)	__KSPLICE_HOOK(undo, pre, fn, int)
#define ksplice_check_reverse(fn) __KSPLICE_HOOK(undo, check, fn, int)
#define ksplice_reverse(fn)	__KSPLICE_HOOK(undo, apply, fn, int)
#define ksplice_post_reverse(fn) __KSPLICE_HOOK(undo, post, fn, void)
#define ksplice_fail_reverse(fn) __KSPLICE_HOOK(undo, fail, fn, void)

/* livepatch's names */
#define ksplice_pre_patch(fn)	ksplice_pre_apply(fn)
#define ksplice_post_patch(fn)	ksplice_post_apply(fn)
#define ksplice_pre_unpatch(fn)	ksplice_pre_reverse(fn)
#define ksplice_post_unpatch(fn) ksplice_post_reverse(fn)

#endif /* _KSPLICE_PATCH_H */
