/* The integer IEEE model behind the FP slow paths (fp_soft.c) against the
 * host's SSE arithmetic on random operands (exponents drawn near each
 * other, near the ends of the range and among the subnormals), in the four
 * modes C can set; every result's bits and flags must agree.
 */
#include <criterion/criterion.h>
#include <fenv.h>
#include <math.h>
#include <string.h>

#include "backend/x86_64/fp_soft.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A random float of type t: sign, a mostly nearby exponent, any fraction. */
static uint64_t rnd(ir_type t)
{
    bool d = t == IR_F64;
    int mb = d ? 52 : 23, emax = d ? 2047 : 255;
    uint64_t r = next(), e;
    switch (r % 8) {
    case 0: e = 0; break;                                    /* subnormal / zero */
    case 1: e = (uint64_t)emax - 1 - next() % 3; break;      /* huge */
    case 2: e = next() % 3 + 1; break;                       /* tiny normal */
    case 3: e = (uint64_t)emax; break;                       /* inf / NaN */
    default: e = (uint64_t)(emax / 2) + next() % 60 - 30;   /* ordinary */
    }
    uint64_t frac = next() & ((1ULL << mb) - 1);
    if (r & 16)
        frac &= ~((1ULL << (next() % (unsigned)mb)) - 1); /* short fractions make ties */
    return (r >> 63) << (d ? 63 : 31) | e << mb | frac;
}

static const int fe_of[] = {[IR_RM_RNE] = FE_TONEAREST, [IR_RM_RTZ] = FE_TOWARDZERO,
                            [IR_RM_RDN] = FE_DOWNWARD, [IR_RM_RUP] = FE_UPWARD};

static unsigned fx_now(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    return (e & FE_INVALID ? IR_FX_INVALID : 0) | (e & FE_DIVBYZERO ? IR_FX_DIVZERO : 0) |
           (e & FE_OVERFLOW ? IR_FX_OVERFLOW : 0) | (e & FE_UNDERFLOW ? IR_FX_UNDERFLOW : 0) |
           (e & FE_INEXACT ? IR_FX_INEXACT : 0);
}

static uint64_t host(ir_op op, ir_type t, uint64_t a, uint64_t b, uint64_t c)
{
    volatile double da, db, dc, dr = 0;
    volatile float fa, fb, fc, fr = 0;
    uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b, c32 = (uint32_t)c;
    memcpy((void *)&da, &a, 8), memcpy((void *)&db, &b, 8), memcpy((void *)&dc, &c, 8);
    memcpy((void *)&fa, &a32, 4), memcpy((void *)&fb, &b32, 4), memcpy((void *)&fc, &c32, 4);
    bool d = t == IR_F64;
    switch (op) {
    case IR_FADD: if (d) dr = da + db; else fr = fa + fb; break;
    case IR_FSUB: if (d) dr = da - db; else fr = fa - fb; break;
    case IR_FMUL: if (d) dr = da * db; else fr = fa * fb; break;
    case IR_FDIV: if (d) dr = da / db; else fr = fa / fb; break;
    case IR_FSQRT: if (d) dr = sqrt(da); else fr = sqrtf(fa); break;
    case IR_FMA: if (d) dr = fma(da, db, dc); else fr = fmaf(fa, fb, fc); break;
    default: if (d) dr = (double)fa; else fr = (float)da; break; /* FCVT_FF */
    }
    uint64_t u = 0;
    uint32_t u32;
    if (d)
        memcpy(&u, (void *)&dr, 8);
    else
        memcpy(&u32, (void *)&fr, 4), u = u32;
    return u;
}

Test(x86_fpsoft, matches_the_host)
{
    static const ir_op ops[] = {IR_FADD, IR_FSUB, IR_FMUL, IR_FDIV, IR_FSQRT, IR_FMA, IR_FCVT_FF};
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int t = IR_F32; t <= IR_F64; t++)
            for (int rm = IR_RM_RNE; rm <= IR_RM_RUP; rm++)
                for (int n = 0; n < 20000; n++) {
                    ir_type st = ops[o] == IR_FCVT_FF ? (t == IR_F32 ? IR_F64 : IR_F32) : (ir_type)t;
                    uint64_t a = rnd(st), b = rnd((ir_type)t), c = rnd((ir_type)t);
                    if (ops[o] == IR_FMA && n % 2) /* products near c: cancellation */
                        c = host(IR_FMUL, (ir_type)t, a, b, 0) ^ (t == IR_F64 ? 1ULL << 63 : 1ULL << 31) ^ (next() & 7);
                    fesetround(fe_of[rm]);
                    feclearexcept(FE_ALL_EXCEPT);
                    uint64_t want = host(ops[o], (ir_type)t, a, b, c);
                    unsigned wfx = fx_now();
                    fesetround(FE_TONEAREST);
                    bool nan = t == IR_F64 ? (want & 0x7fffffffffffffffULL) > 0x7ff0000000000000ULL
                                           : (want & 0x7fffffff) > 0x7f800000;
                    if (nan)
                        want = t == IR_F64 ? 0x7ff8000000000000ULL : 0x7fc00000;
                    if (ops[o] == IR_FMA && nan)
                        continue; /* x86 and RISC-V differ on inf*0+qNaN: tested elsewhere */
                    unsigned fx = 0;
                    uint64_t got = x86_sf_op(ops[o], (ir_type)t, st, rm, IR_FP_CANON_NAN, a, b, c, &fx);
                    cr_assert(got == want && fx == wfx,
                              "%s.%s rm %d: %#lx %#lx %#lx -> %#lx fx %#x, want %#lx fx %#x",
                              ir_info(ops[o])->name, ir_type_name((ir_type)t), rm, a, b, c, got, fx, want, wfx);
                }
}

/* Arm (IR_FP_ARM_NAN) judges tininess before rounding: underflow when the
 * result is inexact and the exact value below the smallest normal, which
 * is when its truncation is (RTZ on the host).  Operands: the random ones
 * above, and half the time ones whose exact result is near 2^emin. */
static void near_min(ir_op op, ir_type t, uint64_t *a, uint64_t *b, uint64_t *c)
{
    bool d = t == IR_F64;
    uint64_t min = d ? 1ULL << 52 : 1u << 23, sign = d ? 1ULL << 63 : 1u << 31;
    if (op == IR_FCVT_FF) {
        uint64_t off = next() & ((1ULL << next() % 35) - 1);
        *a = next() & 1 ? 0x3810000000000000 + off : 0x3810000000000000 - off;
    } else if (op == IR_FMUL || op == IR_FMA) {
        *b = host(IR_FDIV, t, min, *a & ~sign, 0) + next() % 5 - 2;
        *c = next() & 1 ? next() % 4 : (next() % 4) | sign;
    }
}

Test(x86_fpsoft, arm_tininess_before_rounding)
{
    static const ir_op ops[] = {IR_FADD, IR_FMUL, IR_FDIV, IR_FMA, IR_FCVT_FF};
    int differ = 0;
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int t = IR_F32; t <= IR_F64; t++)
            for (int rm = IR_RM_RNE; rm <= IR_RM_RUP; rm++)
                for (int n = 0; n < 20000; n++) {
                    ir_type st = ops[o] == IR_FCVT_FF ? (t == IR_F32 ? IR_F64 : IR_F32) : (ir_type)t;
                    uint64_t a = rnd(st), b = rnd((ir_type)t), c = rnd((ir_type)t);
                    if (n % 2 && (st == IR_F64 || ops[o] != IR_FCVT_FF))
                        near_min(ops[o], (ir_type)t, &a, &b, &c);
                    fesetround(FE_TOWARDZERO);
                    uint64_t tz = host(ops[o], (ir_type)t, a, b, c);
                    fesetround(fe_of[rm]);
                    feclearexcept(FE_ALL_EXCEPT);
                    uint64_t want = host(ops[o], (ir_type)t, a, b, c);
                    unsigned wfx = fx_now();
                    fesetround(FE_TONEAREST);
                    uint64_t mag = t == IR_F64 ? 0x7fffffffffffffffULL : 0x7fffffff;
                    uint64_t min = t == IR_F64 ? 1ULL << 52 : 1u << 23;
                    if ((want & mag) > (t == IR_F64 ? 0x7ff0000000000000ULL : 0x7f800000))
                        continue; /* NaN results: Arm's own rules, tested elsewhere */
                    unsigned afx = (wfx & ~IR_FX_UNDERFLOW) |
                                   ((wfx & IR_FX_INEXACT) && (tz & mag) < min ? IR_FX_UNDERFLOW : 0);
                    differ += afx != wfx;
                    unsigned fx = 0;
                    uint64_t got = x86_sf_op(ops[o], (ir_type)t, st, rm, IR_FP_ARM_NAN, a, b, c, &fx);
                    cr_assert(got == want && fx == afx,
                              "%s.%s rm %d: %#lx %#lx %#lx -> %#lx fx %#x, want %#lx fx %#x",
                              ir_info(ops[o])->name, ir_type_name((ir_type)t), rm, a, b, c, got, fx, want, afx);
                }
    cr_expect(differ > 100, "the cases where Arm differs come up (%d)", differ);
}
