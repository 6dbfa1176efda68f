/* Floating-point rounding and conversions (Arm ARM C7, FPRoundInt,
 * FPToFixed, FixedToFP, FPConvert): frintn (ties to even), frinta (ties
 * away), frintp, frintm, frintz, frinti (FPCR mode) and frintx (FPCR
 * mode, IXC when the value changes; the others never raise IXC); fcvt to
 * integer saturates out-of-range values with IOC and gives 0 for NaN
 * (IOC); an in-range inexact result raises IXC only; fixed point scales
 * by 2^fbits; scvtf/ucvtf round per FPCR; fcvt between double, single
 * and half keeps the top bits of a NaN's payload and quiets it. */
#include "test.h"
#define D2_5 0x4004000000000000
#define DM2_5 0xc004000000000000
#define D2_1 0x4000cccccccccccd
#define DM2_1 0xc000cccccccccccd
#define D1E20 0x4415af1d78b58c40
#define DQNAN 0x7ff8000000000000
#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff
/* d0 = insn(d1): the result's bits */
#define TR(exp, flags, a, ...) TF(exp, flags, a, 0, 0, __VA_ARGS__)
/* d0 = insn(x1) */
#define TI2F(exp, flags, a, ...) TFX(exp, flags, a, __VA_ARGS__; fmov x0, d0)
TEST_BEGIN
        SET_FPCR(0)
TR(0x4000000000000000, 0, D2_5, frintn d0, d1)
TR(0x4008000000000000, 0, D2_5, frinta d0, d1)
TR(0x4008000000000000, 0, D2_5, frintp d0, d1)
TR(0x4000000000000000, 0, D2_5, frintm d0, d1)
TR(0x4000000000000000, 0, D2_5, frintz d0, d1)
TR(0xc000000000000000, 0, DM2_5, frintn d0, d1)
TR(0xc008000000000000, 0, DM2_5, frinta d0, d1)
TR(0xc000000000000000, 0, DM2_5, frintp d0, d1)
TR(0xc008000000000000, 0, DM2_5, frintm d0, d1)
TR(0xc000000000000000, 0, DM2_5, frintz d0, d1)
TR(0x8000000000000000, 0, 0xbfe0000000000000, frintn d0, d1)
TR(0x8000000000000000, 0, 0xbfe0000000000000, frintp d0, d1)
TR(0xbff0000000000000, 0, 0xbfe0000000000000, frinta d0, d1)
TR(0x4000000000000000, 0, D2_5, frinti d0, d1)
TR(0x4000000000000000, IXC, D2_5, frintx d0, d1)
TR(0x4000000000000000, 0, 0x4000000000000000, frintx d0, d1)
TR(0x7ffc000000000001, IOC, 0x7ff4000000000001, frintn d0, d1)
TR(0x7ff0000000000000, 0, 0x7ff0000000000000, frintx d0, d1)
TR(0x40000000, IXC, 0x40200000, frintx s0, s1)          /* 2.5f -> 2 in RN */
        SET_RM(RP)
TR(0x4008000000000000, 0, D2_1, frinti d0, d1)
TR(0x4008000000000000, IXC, D2_1, frintx d0, d1)
TR(0x4000000000000000, 0, D2_5, frintn d0, d1)          /* frintn ignores FPCR */
        SET_RM(RM)
TR(0xc008000000000000, IXC, DM2_1, frintx d0, d1)
        SET_RM(RZ)
TR(0xc000000000000000, 0, DM2_1, frinti d0, d1)
        SET_RM(RN)
/* to integer */
TFX(MAX64, IOC, D1E20, fcvtzs x0, d1)
TFX(MIN64, IOC, D1E20 | MIN64, fcvtzs x0, d1)
TFX(0, IOC, DQNAN, fcvtzs x0, d1)
TFX(0, IOC, 0xfff4000000000000, fcvtzu x0, d1)
TFX(-1, IXC, 0xbff8000000000000, fcvtzs x0, d1)
TFX(0, IOC, 0xbff0000000000000, fcvtzu x0, d1)
TFX(0, IXC, 0xbfe0000000000000, fcvtzu x0, d1)
TFX(-1, IOC, 0x43f0000000000000, fcvtzu x0, d1)          /* 2^64 */
TFX(MIN64, 0, 0xc3e0000000000000, fcvtzs x0, d1)         /* -2^63 fits */
TFX(0x7fffffff, IOC, 0x41e65a0bc0000000, fcvtzs w0, d1)  /* 3e9 */
TFX(0x80000000, IOC, 0xc1e65a0bc0000000, fcvtzs w0, d1)
TFX(0xffffffff, IOC, 0x41f2a05f20000000, fcvtzu w0, d1)  /* 5e9 */
TFX(0xb2d05e00, 0, 0x41e65a0bc0000000, fcvtzu w0, d1)
TFX(0x7fffffff, IOC, 0x7f800000, fcvtzs w0, s1)
TFX(0, IOC, 0x7fc00000, fcvtzu x0, s1)
TFX(2, IXC, D2_5, fcvtns x0, d1)
TFX(3, IXC, D2_5, fcvtas x0, d1)
TFX(-3, IXC, DM2_5, fcvtas x0, d1)
TFX(3, IXC, D2_1, fcvtps x0, d1)
TFX(-3, IXC, DM2_1, fcvtms x0, d1)
TFX(-2, IXC, DM2_1, fcvtzs x0, d1)
TFX(-2, IXC, DM2_5, fcvtns x0, d1)
TFX(2, IXC, D2_5, fcvtnu x0, d1)
TFX(3, IXC, D2_5, fcvtau w0, d1)
TFX(0, IOC, 0xbfe0000000000000, fcvtau x0, d1)           /* -0.5 rounds away to -1: out of range */
/* fixed point: value * 2^fbits, then to integer toward zero */
TFX(40, 0, D2_5, fcvtzs x0, d1, 4)
TFX(0xffffffd8, 0, DM2_5, fcvtzs w0, d1, 4)
TFX(MAX64, IOC, 0x43d0000000000000, fcvtzs x0, d1, 2)     /* 2^62 * 4 */
TI2F(D2_5, 0, 40, scvtf d0, x1, 4)
TI2F(0x3ff0000000000000, 0, 0x100000000, ucvtf d0, x1, 32)
TI2F(0xbf800000, 0, 0xffff0000, scvtf s0, w1, 16)
/* from integer */
TI2F(0x43e0000000000000, IXC, MAX64, scvtf d0, x1)
TI2F(0xc3e0000000000000, 0, MIN64, scvtf d0, x1)
TI2F(0x43f0000000000000, IXC, -1, ucvtf d0, x1)
TI2F(0x4f000000, IXC, 0x7fffffff, scvtf s0, w1)
TI2F(0x4f800000, IXC, 0xffffffff, ucvtf s0, w1)
TI2F(0xbff0000000000000, 0, 0xffffffff, scvtf d0, w1)
TI2F(0x41efffffffe00000, 0, 0xffffffff, ucvtf d0, w1)
TI2F(0x5f000000, IXC, MAX64, scvtf s0, x1)
        SET_RM(RZ)
TI2F(0x43dfffffffffffff, IXC, MAX64, scvtf d0, x1)
TI2F(0x4effffff, IXC, 0x7fffffff, scvtf s0, w1)
        SET_RM(RM)
TI2F(0xc3e0000000000000, 0, MIN64, scvtf d0, x1)
TI2F(0xbf800000, 0, -1, scvtf s0, x1)
        SET_RM(RN)
/* between formats */
TR(0x3eaaaaab, IXC, 0x3fd5555555555555, fcvt s0, d1)
TR(0x3fd5555560000000, 0, 0x3eaaaaab, fcvt d0, s1)
TR(0x7f800000, OFC|IXC, 0x7e37e43c8800759c, fcvt s0, d1)
TR(0x7fe00000, IOC, 0x7ff4000000000000, fcvt s0, d1)
TR(0xffc00001, 0, 0xfff8000020000000, fcvt s0, d1)
TR(0x7ff8002000000000, 0, 0x7fc00100, fcvt d0, s1)
TR(0x00000000, UFC|IXC, 0x3690000000000000, fcvt s0, d1)  /* 2^-150: ties to even 0 */
TR(0x3c00, 0, 0x3f800000, fcvt h0, s1)
TR(0x7c00, OFC|IXC, 0x477ff000, fcvt h0, s1)              /* 65520 ties to even: inf */
TR(0x7bff, 0, 0x477fe000, fcvt h0, s1)                    /* 65504, the largest half */
TR(0x3555, IXC, 0x3fd5555555555555, fcvt h0, d1)
TR(0x3f800000, 0, 0x3c00, fcvt s0, h1)
TR(0x33800000, 0, 0x0001, fcvt s0, h1)
TR(0x7ff0000000000000, 0, 0x7c00, fcvt d0, h1)
TR(0x7fe00000, IOC, 0x7d00, fcvt s0, h1)
TR(0xfe00, IOC, 0xff800001, fcvt h0, s1)                  /* sNaN, payload bits lost */
TR(0xc000, 0, 0xc0000000, fcvt h0, s1)
        SET_RM(RZ)
TR(0x7bff, IXC, 0x477ff000, fcvt h0, s1)                  /* RZ: 65504, no overflow */
        SET_RM(RN)
TEST_END
