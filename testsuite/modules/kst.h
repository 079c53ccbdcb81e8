/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the test target module and its hand-written updates. */
#ifndef _KST_H
#define _KST_H

/* kst_add(KST_PARK) sleeps inside kst_add until released. */
#define KST_PARK	(-7777)
/* kst_add(KST_NAP) calls kst_nap(), which sleeps until released: a
 * callee for kretprobes and the graph tracer to take return addresses
 * from. */
#define KST_NAP		(-7778)
/* kst_keys_v2's shadow variable of kst_key, which kst_keys_v3 takes over. */
#define KST_KEYS_SHADOW	0x6b7376UL

#endif
