/* Fused multiply-add, .s and .d: one rounding of rs1*rs2 +- rs3 (ISA
 * manual, "F" chapter: fmsub = rs1*rs2 - rs3, fnmsub = -(rs1*rs2) + rs3,
 * fnmadd = -(rs1*rs2) - rs3; inf * 0 raises invalid even when the addend
 * is a quiet NaN). */
#include "test.h"
#include "fp.h"
#define D_A 0x3ff0000002000000   /* 1 + 2^-27 */
#define D_C 0x3ff0000004000000   /* 1 + 2^-26 */
TEST_BEGIN
TEST_FMA_D(fmadd.d, dyn, D_5, 0, D_1, D_2, D_3)
TEST_FMA_D(fmsub.d, dyn, D_M1, 0, D_1, D_2, D_3)
TEST_FMA_D(fnmsub.d, dyn, D_1, 0, D_1, D_2, D_3)
TEST_FMA_D(fnmadd.d, dyn, D_M5, 0, D_1, D_2, D_3)
/* (1 + 2^-27)^2 - (1 + 2^-26) is exactly 2^-54: a separate multiply
 * would round the product to 1 + 2^-26 and give 0 */
TEST_FMA_D(fmsub.d, dyn, 0x3c90000000000000, 0, D_A, D_A, D_C)
TEST_FMA_D(fnmadd.d, dyn, 0xbc90000000000000, 0, D_A, D_A, 0xbff0000004000000)
TEST_FMA_D(fmadd.d, dyn, D_QNAN, NV, D_INF, D_0, D_QNANP)
TEST_FMA_D(fmadd.d, dyn, D_QNAN, NV, D_INF, D_1, D_MINF)
TEST_FMA_D(fmadd.d, dyn, D_QNAN, 0, D_1, D_1, D_QNANP)
TEST_FMA_D(fmadd.d, dyn, D_QNAN, NV, D_1, D_1, D_SNAN)
TEST_FMA_D(fnmadd.d, dyn, D_QNAN, 0, D_QNANP, D_1, D_1)         /* negated NaN: still canonical */
TEST_FMA_D(fmadd.d, rne, D_0, 0, D_1, D_1, D_M1)                /* exact zero sum: +0 ... */
TEST_FMA_D(fmadd.d, rdn, D_M0, 0, D_1, D_1, D_M1)               /* ... or -0 rounding down */
TEST_FMA_D(fmadd.d, dyn, D_INF, OF | NX, D_MAX, D_2, D_1)
TEST_FMA_S(fmadd.s, dyn, S_5, 0, S_1, S_2, S_3)
TEST_FMA_S(fmsub.s, dyn, S_M1, 0, S_1, S_2, S_3)
TEST_FMA_S(fnmsub.s, dyn, S_1, 0, S_1, S_2, S_3)
TEST_FMA_S(fnmadd.s, dyn, 0xc0a00000, 0, S_1, S_2, S_3)
/* (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46: rounding decides the last bit */
TEST_FMA_S(fmadd.s, rne, 0x3f800002, NX, 0x3f800001, 0x3f800001, S_0)
TEST_FMA_S(fmadd.s, rup, 0x3f800003, NX, 0x3f800001, 0x3f800001, S_0)
TEST_FMA_S(fmadd.s, rtz, 0x3f800002, NX, 0x3f800001, 0x3f800001, S_0)
TEST_FMA_S(fmadd.s, dyn, S_QNAN, NV, S_INF, S_0, S_QNANP)
TEST_FMA_S(fmsub.s, dyn, S_QNAN, NV, S_INF, S_1, S_INF)
TEST_END
