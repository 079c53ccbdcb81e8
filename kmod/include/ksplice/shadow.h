/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow variables: data an update attaches to an existing object (a new
 * field of a struct the running kernel lays out), kept by ksplice.ko in
 * a table keyed by (object pointer, id), as livepatch's klp_shadow_*()
 * (Documentation/livepatch/shadow-vars.rst).  The one difference: a
 * shadow variable belongs to the update module whose code allocated it,
 * and whatever of it is left when that update is undone (after its
 * post-undo hooks) or unloaded is freed then, without a destructor.
 */
#ifndef _KSPLICE_SHADOW_H
#define _KSPLICE_SHADOW_H

#include <linux/types.h>

/* Runs under the table's spinlock: must not sleep.  Nonzero: no variable. */
typedef int (*ksplice_shadow_ctor_t)(void *obj, void *shadow_data,
				     void *ctor_data);
typedef void (*ksplice_shadow_dtor_t)(void *obj, void *shadow_data);

/* The data of (@obj, @id), or NULL. */
void *ksplice_shadow_get(void *obj, unsigned long id);
/*
 * A new variable of @size bytes (zeroed, then @ctor if not NULL).  NULL if
 * (@obj, @id) already has one (with a warning), or on failure.
 */
void *ksplice_shadow_alloc(void *obj, unsigned long id, size_t size,
			   gfp_t gfp, ksplice_shadow_ctor_t ctor,
			   void *ctor_data);
/* The existing variable, or a new one as ksplice_shadow_alloc(). */
void *ksplice_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				  gfp_t gfp, ksplice_shadow_ctor_t ctor,
				  void *ctor_data);
/* Free (@obj, @id), calling @dtor first if not NULL. */
void ksplice_shadow_free(void *obj, unsigned long id,
			 ksplice_shadow_dtor_t dtor);
/* Free every variable of @id, of any object. */
void ksplice_shadow_free_all(unsigned long id, ksplice_shadow_dtor_t dtor);

#endif /* _KSPLICE_SHADOW_H */
