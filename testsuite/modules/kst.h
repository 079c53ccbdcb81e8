/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the test target module and its hand-written updates. */
#ifndef _KST_H
#define _KST_H

/* kst_add(KST_PARK) sleeps inside kst_add until released. */
#define KST_PARK	(-7777)

#endif
