/* Conversions.  ISA manual, "F" and "D" chapters: float to integer rounds
 * by rm and saturates per the table "Domains of float-to-integer
 * conversions and behavior for invalid inputs" (NaN and too large give the
 * maximum, too small the minimum, with invalid; a value that rounds into
 * range is only inexact); 32-bit results, wu included, are sign-extended;
 * w sources are the low 32 bits of rs1; NaN results are canonical. */
#include "test.h"
#include "fp.h"
#define MIN32 0xffffffff80000000
#define MAX32 0x7fffffff
#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff
TEST_BEGIN
TEST_FX_D(fcvt.w.d, rne, 2, NX, D_1P5)
TEST_FX_D(fcvt.w.d, rtz, 1, NX, D_1P5)
TEST_FX_D(fcvt.w.d, rdn, 1, NX, D_1P5)
TEST_FX_D(fcvt.w.d, rup, 2, NX, D_1P5)
TEST_FX_D(fcvt.w.d, rmm, 2, NX, D_1P5)
TEST_FX_D(fcvt.w.d, rne, 2, NX, D_2P5)
TEST_FX_D(fcvt.w.d, rmm, 3, NX, D_2P5)
TEST_FX_D(fcvt.w.d, rne, -2, NX, D_M1P5)
TEST_FX_D(fcvt.w.d, rtz, -1, NX, D_M1P5)
TEST_FX_D(fcvt.w.d, rdn, -2, NX, D_M1P5)
TEST_FX_D(fcvt.w.d, rup, -1, NX, D_M1P5)
TEST_FX_D(fcvt.w.d, rmm, -2, NX, D_M1P5)
TEST_FX_D(fcvt.w.d, dyn, 5, 0, D_5)
TEST_FX_D(fcvt.w.d, dyn, MAX32, NV, D_QNAN)
TEST_FX_D(fcvt.w.d, dyn, MAX32, NV, D_INF)
TEST_FX_D(fcvt.w.d, dyn, MIN32, NV, D_MINF)
TEST_FX_D(fcvt.w.d, dyn, MAX32, NV, 0x41e65a0bc0000000)       /* 3e9 */
TEST_FX_D(fcvt.w.d, dyn, MIN32, NV, 0xc1e65a0bc0000000)       /* -3e9 */
TEST_FX_D(fcvt.w.d, rtz, MIN32, 0, 0xc1e0000000000000)        /* -2^31 exactly */
TEST_FX_D(fcvt.wu.d, dyn, 0, NV, D_M1)
TEST_FX_D(fcvt.wu.d, rtz, 0, NX, 0xbfe0000000000000)          /* -0.5 rounds to 0: in range */
TEST_FX_D(fcvt.wu.d, dyn, -1, 0, 0x41efffffffe00000)          /* 2^32 - 1, sign-extended */
TEST_FX_D(fcvt.wu.d, dyn, -1, NV, D_QNAN)
TEST_FX_D(fcvt.wu.d, dyn, -1, NV, 0x41f2a05f20000000)         /* 5e9 */
TEST_FX_D(fcvt.wu.d, dyn, 0x7fffffff, 0, 0x41dfffffffc00000)  /* 2^31 - 1 */
TEST_FX_D(fcvt.l.d, dyn, MAX64, NV, 0x43e0000000000000)       /* 2^63 */
TEST_FX_D(fcvt.l.d, dyn, MIN64, 0, 0xc3e0000000000000)        /* -2^63 */
TEST_FX_D(fcvt.l.d, dyn, MAX64, NV, D_QNAN)
TEST_FX_D(fcvt.l.d, dyn, MIN64, NV, D_MINF)
TEST_FX_D(fcvt.l.d, rdn, -1, NX, 0xbfe0000000000000)
TEST_FX_D(fcvt.lu.d, dyn, 0, NV, D_M1)
TEST_FX_D(fcvt.lu.d, dyn, -1, NV, 0x43f0000000000000)         /* 2^64 */
TEST_FX_D(fcvt.lu.d, dyn, -1, NV, D_QNAN)
TEST_FX_D(fcvt.lu.d, dyn, 0x8000000000000000, 0, 0x43e0000000000000)
TEST_FX_S(fcvt.w.s, rne, 2, NX, S_1P5)
TEST_FX_S(fcvt.w.s, rtz, 1, NX, S_1P5)
TEST_FX_S(fcvt.w.s, dyn, MAX32, NV, S_QNAN)
TEST_FX_S(fcvt.wu.s, dyn, 0, NV, S_M1)
TEST_FX_S(fcvt.l.s, dyn, MIN64, NV, S_MINF)
TEST_FX_S(fcvt.l.s, dyn, -1, 0, S_M1)
TEST_FX_S(fcvt.lu.s, dyn, -1, NV, S_QNAN)
TEST_FX_S(fcvt.lu.s, dyn, 3, 0, S_3)
TEST_XF_D_EXACT(fcvt.d.w, D_M1, 0, 0x1ffffffff)                /* the low word: -1 */
TEST_XF_D_EXACT(fcvt.d.wu, 0x41efffffffe00000, 0, 0x1ffffffff)
TEST_XF_D(fcvt.d.l, dyn, 0xc3e0000000000000, 0, MIN64)
TEST_XF_D(fcvt.d.l, rne, 0x4340000000000000, NX, 0x20000000000001)  /* 2^53 + 1 */
TEST_XF_D(fcvt.d.l, rup, 0x4340000000000001, NX, 0x20000000000001)
TEST_XF_D(fcvt.d.lu, rne, 0x43f0000000000000, NX, -1)
TEST_XF_D(fcvt.d.lu, rtz, 0x43efffffffffffff, NX, -1)
TEST_XF_S(fcvt.s.w, rne, 0x4b800000, NX, 0x1000001)           /* 2^24 + 1 */
TEST_XF_S(fcvt.s.w, rup, 0x4b800001, NX, 0x1000001)
TEST_XF_S(fcvt.s.w, dyn, S_M1, 0, -1)
TEST_XF_S(fcvt.s.wu, rne, 0x4f800000, NX, 0xffffffff)
TEST_XF_S(fcvt.s.l, dyn, S_M1, 0, -1)
TEST_XF_S(fcvt.s.lu, rne, 0x5f800000, NX, -1)
TEST_XF_S(fcvt.s.lu, rtz, 0x5f7fffff, NX, -1)
TEST_FR_SD(fcvt.s.d, rne, S_THIRD, NX, D_THIRD)
TEST_FR_SD(fcvt.s.d, rtz, 0x3eaaaaaa, NX, D_THIRD)
TEST_FR_SD(fcvt.s.d, rne, S_INF, OF | NX, D_MAX)
TEST_FR_SD(fcvt.s.d, rtz, S_MAX, OF | NX, D_MAX)
TEST_FR_SD(fcvt.s.d, dyn, S_QNAN, 0, D_QNANP)
TEST_FR_SD(fcvt.s.d, dyn, S_QNAN, NV, D_SNAN)
TEST_FR_SD(fcvt.s.d, dyn, S_M0, 0, D_M0)
TEST_FR_D_EXACT(fcvt.d.s, 0x3fd5555560000000, 0, S_THIRD)
TEST_FR_D_EXACT(fcvt.d.s, D_QNAN, NV, S_SNAN)
TEST_FR_D_EXACT(fcvt.d.s, D_QNAN, 0, S_QNANP)
TEST_FR_D_EXACT(fcvt.d.s, D_MINF, 0, S_MINF)
/* an unboxed single converts as the canonical NaN */
        li t0, 0x3f800000; fmv.d.x fa1, t0; fsflags zero
        fcvt.d.s fa0, fa1; FLAGS_CHECK("fcvt.d.s unboxed", 0)
        fmv.x.d a0, fa0; CHECK("fcvt.d.s unboxed", a0, D_QNAN)
        fcvt.w.s a0, fa1, rtz; CHECK("fcvt.w.s unboxed is NaN", a0, MAX32)
TEST_END
