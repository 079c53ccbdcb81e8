// SPDX-License-Identifier: GPL-2.0
/* core/'s freestanding x86 encoding, compiled into the module. */
#include "../core/src/x86.c"
