/* Scalar floating point arithmetic (Arm ARM C7 and the FP pseudocode):
 * rounding per FPCR.RMode, the cumulative FPSR flags, NaN rules
 * (FPProcessNaNs: a signalling NaN first, operand order next; a sNaN is
 * quieted and raises IOC; FPCR.DN=1 returns the default NaN 0x7ff8...),
 * fused multiply-add (one rounding; 0 * inf + qNaN is the default NaN with
 * IOC, FPMulAdd), fmin/fmax (a NaN operand gives NaN) against
 * fminnm/fmaxnm (a quiet NaN loses to a number), -0 < +0 for min/max,
 * fcmp/fcmpe (equal 0110, less 1000, greater 0010, unordered 0011;
 * fcmpe raises IOC on any NaN, fcmp only on a sNaN), fccmp, fcsel,
 * FPCR.FZ (denormal inputs and outputs flushed to zero: IDC, UFC). */
#include "test.h"
#define D1 0x3ff0000000000000
#define D2 0x4000000000000000
#define D3 0x4008000000000000
#define DM1 0xbff0000000000000
#define DINF 0x7ff0000000000000
#define DNINF 0xfff0000000000000
#define DQNAN 0x7ff8000000000000         /* the default NaN */
#define QNAN1 0x7ff8000000000123
#define SNAN2 0x7ff4000000000456
#define QNAN2 0x7ffc000000000456         /* SNAN2 quieted */
#define S1 0x3f800000
#define S2 0x40000000
#define S3 0x40400000
TEST_BEGIN
        SET_FPCR(0)
TF(D3, 0, D1, D2, 0, fadd d0, d1, d2)
TF(DM1, 0, D1, D2, 0, fsub d0, d1, d2)
TF(0x4018000000000000, 0, D2, D3, 0, fmul d0, d1, d2)
TF(0x3fd5555555555555, IXC, D1, D3, 0, fdiv d0, d1, d2)
TF(0x3fe0000000000000, 0, D1, D2, 0, fdiv d0, d1, d2)
TF(0x3ff6a09e667f3bcd, IXC, D2, 0, 0, fsqrt d0, d1)
TF(DQNAN, IOC, DM1, 0, 0, fsqrt d0, d1)
TF(0x8000000000000000, 0, 0x8000000000000000, 0, 0, fsqrt d0, d1)
TF(DQNAN, IOC, 0, 0, 0, fdiv d0, d1, d2)
TF(DINF, DZC, D1, 0, 0, fdiv d0, d1, d2)
TF(DNINF, DZC, DM1, 0, 0, fdiv d0, d1, d2)
TF(DQNAN, IOC, DINF, DINF, 0, fsub d0, d1, d2)
TF(DQNAN, IOC, DINF, 0, 0, fmul d0, d1, d2)
TF(0xc018000000000000, 0, D2, D3, 0, fnmul d0, d1, d2)
TF(0, 0, D1, DM1, 0, fadd d0, d1, d2)          /* x + -x = +0 except in RM */
TF(0x40400000, 0, S1, S2, 0, fadd s0, s1, s2)
TF(0x3eaaaaab, IXC, S1, S3, 0, fdiv s0, s1, s2)
TF(0x3fb504f3, IXC, S2, 0, 0, fsqrt s0, s1)
TF(0x7f800000, OFC|IXC, 0x7f7fffff, 0x7f7fffff, 0, fadd s0, s1, s2)
/* NaN operands */
TF(QNAN1, 0, QNAN1, D1, 0, fadd d0, d1, d2)
TF(QNAN1, 0, D1, QNAN1, 0, fmul d0, d1, d2)
TF(QNAN2, IOC, SNAN2, D1, 0, fadd d0, d1, d2)
TF(QNAN2, IOC, QNAN1, SNAN2, 0, fsub d0, d1, d2)
TF(QNAN1, 0, QNAN1, QNAN2, 0, fdiv d0, d1, d2)
TF(0xfff8000000000123, 0, 0xfff8000000000123, D1, 0, fadd d0, d1, d2)
TF(0x7fc00001, 0, 0x7fc00001, S1, 0, fadd s0, s1, s2)
TF(0x7fe00001, IOC, S1, 0x7fa00001, 0, fmul s0, s1, s2)
TF(0xfff8000000000123, 0, QNAN1, 0, 0, fneg d0, d1)   /* sign flip only, no flags */
TF(0x7ff4000000000456, 0, 0xfff4000000000456, 0, 0, fabs d0, d1)
TF(0x7ff4000000000456, 0, SNAN2, 0, 0, fmov d0, d1)
        SET_FPCR(1 << 25)                    /* DN */
TF(DQNAN, 0, QNAN1, D1, 0, fadd d0, d1, d2)
TF(DQNAN, IOC, SNAN2, D1, 0, fadd d0, d1, d2)
TF(0x7fc00000, 0, 0x7fc00001, S1, 0, fadd s0, s1, s2)
        SET_FPCR(0)
/* fused multiply-add: d0 = d1 * d2 + d3 with one rounding */
TF(0x3970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002, fmadd d0, d1, d2, d3)
TF(0x4014000000000000, 0, D1, D2, D3, fmadd d0, d1, d2, d3)
TF(0x3ff0000000000000, 0, D1, D2, D3, fmsub d0, d1, d2, d3)       /* d3 - d1 * d2 */
TF(0xc014000000000000, 0, D1, D2, D3, fnmadd d0, d1, d2, d3)      /* -d3 - d1 * d2 */
TF(0xbff0000000000000, 0, D1, D2, D3, fnmsub d0, d1, d2, d3)      /* d1 * d2 - d3 */
TF(DQNAN, IOC, 0, DINF, QNAN1, fmadd d0, d1, d2, d3)
TF(QNAN1, 0, D1, D2, QNAN1, fmadd d0, d1, d2, d3)
TF(QNAN2, IOC, QNAN1, D2, SNAN2, fmadd d0, d1, d2, d3)   /* sNaN addend first */
TF(QNAN1, 0, QNAN1, 0x7ff8000000000789, D1, fmadd d0, d1, d2, d3)
TF(DQNAN, IOC, DINF, D1, DNINF, fmadd d0, d1, d2, d3)
TF(0x40a00000, 0, S1, S2, S3, fmadd s0, s1, s2, s3)
        SET_RM(RM)
TF(0x8000000000000000, 0, D1, DM1, 0, fadd d0, d1, d2)
        SET_RM(RN)
/* min/max */
TF(QNAN1, 0, D1, QNAN1, 0, fmax d0, d1, d2)
TF(QNAN1, 0, QNAN1, D1, 0, fmin d0, d1, d2)
TF(D1, 0, D1, QNAN1, 0, fmaxnm d0, d1, d2)
TF(D1, 0, QNAN1, D1, 0, fminnm d0, d1, d2)
TF(QNAN2, IOC, D1, SNAN2, 0, fmaxnm d0, d1, d2)
TF(QNAN2, IOC, SNAN2, D1, 0, fmax d0, d1, d2)
TF(QNAN1, 0, QNAN1, 0x7ff8000000000789, 0, fminnm d0, d1, d2)
TF(0x8000000000000000, 0, 0x8000000000000000, 0, 0, fmin d0, d1, d2)
TF(0x8000000000000000, 0, 0, 0x8000000000000000, 0, fmin d0, d1, d2)
TF(0, 0, 0x8000000000000000, 0, 0, fmax d0, d1, d2)
TF(0, 0, 0, 0x8000000000000000, 0, fmaxnm d0, d1, d2)
TF(0x8000000000000000, 0, 0, 0x8000000000000000, 0, fminnm d0, d1, d2)
TF(D2, 0, D1, D2, 0, fmax d0, d1, d2)
TF(0xbf800000, 0, 0xbf800000, 0x7fc00000, 0, fminnm s0, s1, s2)
TF(0x7fc00000, 0, 0xbf800000, 0x7fc00000, 0, fmin s0, s1, s2)
/* compares */
TFCMP(ZF|CF, 0, D1, D1, fcmp d1, d2)
TFCMP(NF, 0, D1, D2, fcmp d1, d2)
TFCMP(CF, 0, D2, D1, fcmp d1, d2)
TFCMP(CF|VF, 0, QNAN1, D1, fcmp d1, d2)
TFCMP(CF|VF, IOC, QNAN1, D1, fcmpe d1, d2)
TFCMP(CF|VF, IOC, D1, SNAN2, fcmp d1, d2)
TFCMP(ZF|CF, 0, 0x8000000000000000, 0, fcmp d1, d2)
TFCMP(ZF|CF, 0, 0x8000000000000000, 0, fcmp d1, 0.0)
TFCMP(NF, 0, DNINF, 0, fcmpe d1, 0.0)
TFCMP(CF|VF, IOC, QNAN1, 0, fcmpe d1, 0.0)
TFCMP(NF, 0, 0xbf800000, 0x3f800000, fcmp s1, s2)
TFCMP(CF|VF, 0, 0x7fc00000, 0x3f800000, fcmp s1, s2)
/* fccmp: the compare when the condition holds, else the immediate */
        li x9, D1; fmov d1, x9; li x9, D2; fmov d2, x9; SET_NZCV(ZF); msr fpsr, xzr
        fccmp d1, d2, 3, eq; CHECK_NZCV("fccmp taken", NF)
        SET_NZCV(0); fccmp d1, d2, 3, eq; CHECK_NZCV("fccmp not taken", CF|VF)
        li x9, QNAN1; fmov d2, x9; SET_NZCV(0); fccmpe d1, d2, 0, ne
        CHECK_NZCV("fccmpe NaN", CF|VF); CHECK_FPSR("fccmpe NaN", IOC)
        msr fpsr, xzr; SET_NZCV(ZF); fccmpe d1, d2, 0, ne; CHECK_FPSR("fccmpe not taken: no flags", 0)
/* fcsel */
        li x9, D1; fmov d1, x9; li x9, D2; fmov d2, x9
        SET_NZCV(ZF); fcsel d0, d1, d2, eq; fmov x0, d0; CHECK("fcsel eq taken", x0, D1)
        SET_NZCV(0); fcsel d0, d1, d2, eq; fmov x0, d0; CHECK("fcsel eq not taken", x0, D2)
        SET_NZCV(NF); fcsel s0, s1, s2, lt; fmov x0, d0; CHECK("fcsel s zeroes the rest", x0, 0)
/* underflow and flush-to-zero */
TF(0x0008000000000000, UFC|IXC, 0x0010000000000001, 0x3fe0000000000000, 0, fmul d0, d1, d2)
TF(0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000, 0, fmul d0, d1, d2)
        SET_FPCR(1 << 24)                    /* FZ */
TF(0, IDC, 0x0000000000000001, D1, 0, fmul d0, d1, d2)
TF(0x8000000000000000, IDC, 0x8000000000000001, D1, 0, fmul d0, d1, d2)
TF(0, UFC, 0x0010000000000000, 0x3fe0000000000000, 0, fmul d0, d1, d2)
TF(0, IDC, 0x00000001, S1, 0, fmul s0, s1, s2)
        SET_FPCR(0)
TEST_END
