/* SPDX-License-Identifier: GPL-2.0 */
/* 100 functions, for a bench update that replaces all of them. */
#define KSB_X10(M, d) M(d##0) M(d##1) M(d##2) M(d##3) M(d##4) \
		      M(d##5) M(d##6) M(d##7) M(d##8) M(d##9)
#define KSB_X100(M) KSB_X10(M, 0) KSB_X10(M, 1) KSB_X10(M, 2) KSB_X10(M, 3) \
		    KSB_X10(M, 4) KSB_X10(M, 5) KSB_X10(M, 6) KSB_X10(M, 7) \
		    KSB_X10(M, 8) KSB_X10(M, 9)
