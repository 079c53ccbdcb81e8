// SPDX-License-Identifier: GPL-2.0
/* Bench target: ksb_f00 .. ksb_f99, each returns x + 1. */
#include <linux/module.h>
#include "ksb_many.h"

#define KSB_DEF(n) noinline int ksb_f##n(int x) { return x + 1; }
KSB_X500(KSB_DEF)

MODULE_LICENSE("GPL");
