// SPDX-License-Identifier: GPL-2.0
/* core/'s freestanding range search, compiled into the module. */
#include "../core/src/range.c"
