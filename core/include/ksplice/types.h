/* SPDX-License-Identifier: GPL-2.0 */
/* Fixed-width types for freestanding code, in the kernel or in userspace. */
#ifndef _KSPLICE_TYPES_H
#define _KSPLICE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef u8 ks_u8;
typedef u32 ks_u32;
typedef u64 ks_u64;
typedef s64 ks_s64;
typedef size_t ks_size;
#else
#include <stdint.h>
#include <stddef.h>
typedef uint8_t ks_u8;
typedef uint32_t ks_u32;
typedef uint64_t ks_u64;
typedef int64_t ks_s64;
typedef size_t ks_size;
#endif

#endif /* _KSPLICE_TYPES_H */
