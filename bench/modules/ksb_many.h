/* SPDX-License-Identifier: GPL-2.0 */
/* 500 functions (ksb_f100 .. ksb_f599), for a bench update that
 * replaces all of them. */
#define KSB_X10(M, d) M(d##0) M(d##1) M(d##2) M(d##3) M(d##4) \
		      M(d##5) M(d##6) M(d##7) M(d##8) M(d##9)
#define KSB_X100(M, p) KSB_X10(M, p##0) KSB_X10(M, p##1) KSB_X10(M, p##2) \
		       KSB_X10(M, p##3) KSB_X10(M, p##4) KSB_X10(M, p##5) \
		       KSB_X10(M, p##6) KSB_X10(M, p##7) KSB_X10(M, p##8) \
		       KSB_X10(M, p##9)
#define KSB_X500(M) KSB_X100(M, 1) KSB_X100(M, 2) KSB_X100(M, 3) \
		    KSB_X100(M, 4) KSB_X100(M, 5)
