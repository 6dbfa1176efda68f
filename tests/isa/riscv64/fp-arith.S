/* F and D add, sub, mul, div, sqrt: IEEE 754 results and exact fflags
 * (ISA manual, "F" chapter: NaN results are the canonical NaN, underflow
 * is detected after rounding and flagged only when inexact), and the
 * NaN-boxing of singles in the 64-bit f registers ("D" chapter). */
#include "test.h"
#include "fp.h"
TEST_BEGIN
TEST_FRR_D(fadd.d, dyn, D_3, 0, D_1, D_2)
TEST_FRR_D(fadd.d, rne, D_1, NX, D_1, 0x3c30000000000000)      /* 1 + 2^-60 */
TEST_FRR_D(fadd.d, rup, 0x3ff0000000000001, NX, D_1, 0x3c30000000000000)
TEST_FRR_D(fadd.d, dyn, D_QNAN, NV, D_INF, D_MINF)
TEST_FRR_D(fadd.d, dyn, D_QNAN, 0, D_QNANP, D_1)                /* payload dropped */
TEST_FRR_D(fadd.d, dyn, D_QNAN, NV, D_SNAN, D_1)
TEST_FRR_D(fadd.d, dyn, D_INF, 0, D_INF, D_1)
TEST_FRR_D(fsub.d, rne, D_0, 0, D_1, D_1)
TEST_FRR_D(fsub.d, rdn, D_M0, 0, D_1, D_1)                      /* x - x is -0 rounding down */
TEST_FRR_D(fsub.d, dyn, D_M1, 0, D_1, D_2)
TEST_FRR_D(fsub.d, dyn, D_QNAN, NV, D_INF, D_INF)
TEST_FRR_D(fmul.d, dyn, D_INF, OF | NX, D_MAX, D_2)
TEST_FRR_D(fmul.d, rtz, D_MAX, OF | NX, D_MAX, D_2)
TEST_FRR_D(fmul.d, dyn, 0x0008000000000000, 0, D_MINN, D_HALF)  /* exact subnormal: no UF */
TEST_FRR_D(fmul.d, rne, D_0, UF | NX, D_MINSUB, D_HALF)         /* tie to even 0 */
TEST_FRR_D(fmul.d, rup, D_MINSUB, UF | NX, D_MINSUB, D_HALF)
TEST_FRR_D(fmul.d, dyn, D_QNAN, NV, D_INF, D_0)
TEST_FRR_D(fmul.d, dyn, D_M0, 0, D_M1, D_0)
TEST_FRR_D(fdiv.d, dyn, D_INF, DZ, D_1, D_0)
TEST_FRR_D(fdiv.d, dyn, D_MINF, DZ, D_M1, D_0)
TEST_FRR_D(fdiv.d, dyn, D_QNAN, NV, D_0, D_0)
TEST_FRR_D(fdiv.d, dyn, D_QNAN, NV, D_INF, D_INF)
TEST_FRR_D(fdiv.d, rne, D_THIRD, NX, D_1, D_3)
TEST_FRR_D(fdiv.d, rup, 0x3fd5555555555556, NX, D_1, D_3)
TEST_FRR_D(fdiv.d, rtz, D_THIRD, NX, D_1, D_3)
TEST_FR_D(fsqrt.d, dyn, D_2, 0, D_4)
TEST_FR_D(fsqrt.d, rne, 0x3ff6a09e667f3bcd, NX, D_2)
TEST_FR_D(fsqrt.d, rup, 0x3ff6a09e667f3bcd, NX, D_2)     /* the rne result is above sqrt 2 */
TEST_FR_D(fsqrt.d, rtz, 0x3ff6a09e667f3bcc, NX, D_2)
TEST_FR_D(fsqrt.d, dyn, D_QNAN, NV, D_M1)
TEST_FR_D(fsqrt.d, dyn, D_M0, 0, D_M0)
TEST_FR_D(fsqrt.d, dyn, D_INF, 0, D_INF)
TEST_FR_D(fsqrt.d, dyn, D_QNAN, 0, D_QNANP)
TEST_FRR_S(fadd.s, dyn, S_3, 0, S_1, S_2)
TEST_FRR_S(fadd.s, dyn, S_QNAN, NV, S_INF, S_MINF)
TEST_FRR_S(fadd.s, dyn, S_QNAN, 0, S_QNANP, S_1)
TEST_FRR_S(fadd.s, dyn, S_QNAN, NV, S_SNAN, S_1)
TEST_FRR_S(fsub.s, rdn, S_M0, 0, S_1, S_1)
TEST_FRR_S(fmul.s, dyn, S_INF, OF | NX, S_MAX, S_2)
TEST_FRR_S(fmul.s, rdn, S_MAX, OF | NX, S_MAX, S_2)
TEST_FRR_S(fmul.s, rne, S_0, UF | NX, 0x00000001, 0x3f000000)
TEST_FRR_S(fdiv.s, rne, S_THIRD, NX, S_1, S_3)
TEST_FRR_S(fdiv.s, rtz, 0x3eaaaaaa, NX, S_1, S_3)
TEST_FRR_S(fdiv.s, dyn, S_INF, DZ, S_1, S_0)
TEST_FR_S(fsqrt.s, rne, 0x3fb504f3, NX, S_2)
TEST_FR_S(fsqrt.s, dyn, S_QNAN, NV, S_M1)
/* NaN-boxing: a single whose upper 32 bits are not all ones reads as the
 * canonical NaN (a quiet NaN: no flags); transfers ignore the box */
        li t0, 0x000000003f800000; fmv.d.x fa1, t0; li t0, S_1; fmv.w.x fa2, t0
        fsflags zero; fadd.s fa0, fa1, fa2; FLAGS_CHECK("unboxed input", 0)
        GET_S(t0, fa0); CHECK("unboxed input is the canonical NaN", t0, S_QNAN)
        li t0, 0x123456783f800000; fmv.d.x fa1, t0
        fmv.x.w a0, fa1; CHECK("fmv.x.w ignores the box", a0, 0x3f800000)
        li t0, 0x1234567880000000; fmv.d.x fa1, t0
        fmv.x.w a0, fa1; CHECK("fmv.x.w sign-extends", a0, 0xffffffff80000000)
        lla a1, fdata; flw fa0, 0(a1); fmv.x.d a0, fa0; CHECK("flw NaN-boxes", a0, 0xffffffff3f800000)
        fsw fa1, 4(a1); lwu a0, 4(a1); CHECK("fsw stores the low word", a0, 0x80000000)
        li t0, 0x5555555555555555; fmv.w.x fa0, t0; fmv.x.d a0, fa0; CHECK("fmv.w.x NaN-boxes", a0, 0xffffffff55555555)
        fld fa0, 8(a1); fmv.x.d a0, fa0; CHECK("fld", a0, D_THIRD)
        fsd fa0, 16(a1); ld a0, 16(a1); CHECK("fsd", a0, D_THIRD)
        li t0, 0x000000003f800000; fmv.d.x fa1, t0
        fsgnj.s fa0, fa1, fa1; fmv.x.d a0, fa0; CHECK("fsgnj.s of an unboxed value", a0, 0xffffffff7fc00000)
TEST_END
        .data
        .balign 8
fdata:  .word 0x3f800000, 0
        .dword D_THIRD
        .dword 0
