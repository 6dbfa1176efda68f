/* AArch64 reciprocal and reciprocal square root estimates (frecpe,
 * frsqrte, frecpx, urecpe, ursqrte) as a C helper, bit-exact to the Arm
 * ARM pseudocode (FPRecipEstimate, FPRSqrtEstimate, FPRecpX and their
 * RecipEstimate / RecipSqrtEstimate tables), with FPCR.FZ, DN and RMode
 * read from the CPU state.  Integer C only: the host FP state is the
 * guest's while translated code runs.
 *
 *   r = a64_h_fpest.fn(cpu, A64E_RECPE | A64E_DOUBLE, bits, 0);
 */
#include "frontend/aarch64/a64_simd.h"

#define FPCR_FZ (1u << 24)
#define FPCR_DN (1u << 25)

/* One format's geometry. */
typedef struct fmt {
    unsigned n, ebits, fbits; /* width, exponent and fraction bits */
} fmt;

static const fmt F32 = {32, 8, 23}, F64 = {64, 11, 52};

typedef struct unpacked {
    uint64_t sign, exp, frac; /* the fields of the operand */
    bool nan, snan, inf, zero;
} unpacked;

/* FPUnpack: with FPCR.FZ a denormal is a zero (and raises IDC) */
static unpacked unpack(uint64_t x, const fmt *f, uint32_t fpcr, unsigned *fl)
{
    unpacked u;
    u.sign = x >> (f->n - 1) & 1;
    u.exp = x >> f->fbits & ((1u << f->ebits) - 1);
    u.frac = x & ((1ull << f->fbits) - 1);
    bool top = u.exp == (1u << f->ebits) - 1;
    u.nan = top && u.frac;
    u.snan = u.nan && !(u.frac >> (f->fbits - 1) & 1);
    u.inf = top && !u.frac;
    u.zero = !u.exp && !u.frac;
    if (!u.exp && u.frac && (fpcr & FPCR_FZ)) {
        u.zero = true;
        *fl |= IR_FX_INPUT_DENORMAL;
    }
    return u;
}

static uint64_t sign_bit(const fmt *f, uint64_t s) { return s << (f->n - 1); }
static uint64_t inf_of(const fmt *f, uint64_t s) { return sign_bit(f, s) | ((1ull << f->ebits) - 1) << f->fbits; }
static uint64_t default_nan(const fmt *f) { return inf_of(f, 0) | 1ull << (f->fbits - 1); }

/* FPProcessNaN: quieted (invalid for an sNaN), or the default NaN (DN) */
static uint64_t process_nan(uint64_t x, const unpacked *u, const fmt *f, uint32_t fpcr, unsigned *fl)
{
    if (u->snan)
        *fl |= IR_FX_INVALID;
    if (fpcr & FPCR_DN)
        return default_nan(f);
    return x | 1ull << (f->fbits - 1);
}

/* RecipEstimate: a in 256..511 (0.5 <= x < 1 in 1/512ths) to 256..511 */
static unsigned recip_estimate(unsigned a)
{
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* RecipSqrtEstimate: a in 128..511 (0.25 <= x < 1) to 256..511 */
static unsigned rsqrt_estimate(unsigned a)
{
    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    unsigned b = 512;
    while ((uint64_t)a * (b + 1) * (b + 1) < (1ull << 28))
        b++;
    return (b + 1) / 2;
}

/* the operand's fraction as 52 bits (double's layout) */
static uint64_t frac52(const unpacked *u, const fmt *f) { return u->frac << (52 - f->fbits); }

static uint64_t recpe(uint64_t x, const fmt *f, uint32_t fpcr, unsigned *fl)
{
    unpacked u = unpack(x, f, fpcr, fl);
    if (u.nan)
        return process_nan(x, &u, f, fpcr, fl);
    if (u.inf)
        return sign_bit(f, u.sign);
    if (u.zero) {
        *fl |= IR_FX_DIVZERO;
        return inf_of(f, u.sign);
    }
    int bias = (1 << (f->ebits - 1)) - 1;
    /* |x| < 2^-(bias+1): the estimate overflows */
    if (!u.exp && !(u.frac >> (f->fbits - 2))) {
        unsigned rm = fpcr >> 22 & 3;
        bool to_inf = rm == 0 || (rm == 1 && !u.sign) || (rm == 2 && u.sign);
        *fl |= IR_FX_OVERFLOW | IR_FX_INEXACT;
        return to_inf ? inf_of(f, u.sign) : inf_of(f, u.sign) - 1; /* or the largest */
    }
    /* |x| >= 2^(bias-1) with FZ: the result would be denormal, so zero */
    if ((fpcr & FPCR_FZ) && (int)u.exp >= 2 * bias - 1) {
        *fl |= IR_FX_UNDERFLOW;
        return sign_bit(f, u.sign);
    }
    uint64_t fr = frac52(&u, f);
    int exp = (int)u.exp;
    if (exp == 0) {
        if (!(fr >> 51 & 1)) {
            exp = -1;
            fr = fr << 2 & ((1ull << 52) - 1);
        } else {
            fr = fr << 1 & ((1ull << 52) - 1);
        }
    }
    unsigned scaled = 256 | (unsigned)(fr >> 44);
    int rexp = 2 * bias - 1 - exp;
    uint64_t est = recip_estimate(scaled);
    fr = (est & 0xff) << 44;
    if (rexp == 0) {
        fr = 1ull << 51 | fr >> 1;
    } else if (rexp == -1) {
        fr = 1ull << 50 | fr >> 2;
        rexp = 0;
    }
    return sign_bit(f, u.sign) | (uint64_t)rexp << f->fbits | fr >> (52 - f->fbits);
}

static uint64_t rsqrte(uint64_t x, const fmt *f, uint32_t fpcr, unsigned *fl)
{
    unpacked u = unpack(x, f, fpcr, fl);
    if (u.nan)
        return process_nan(x, &u, f, fpcr, fl);
    if (u.zero) {
        *fl |= IR_FX_DIVZERO;
        return inf_of(f, u.sign);
    }
    if (u.sign) {
        *fl |= IR_FX_INVALID;
        return default_nan(f);
    }
    if (u.inf)
        return 0;
    uint64_t fr = frac52(&u, f);
    int exp = (int)u.exp;
    if (exp == 0) {
        while (!(fr >> 51 & 1)) {
            fr = fr << 1 & ((1ull << 52) - 1);
            exp--;
        }
        fr = fr << 1 & ((1ull << 52) - 1);
    }
    /* an odd biased exponent is an even power of two: 0.25 <= x < 0.5 */
    unsigned scaled = exp & 1 ? 128 | (unsigned)(fr >> 45) : 256 | (unsigned)(fr >> 44);
    int bias = (1 << (f->ebits - 1)) - 1;
    int rexp = (3 * bias - 1 - exp) / 2; /* 380 - exp for singles: positive */
    uint64_t est = rsqrt_estimate(scaled);
    return (uint64_t)rexp << f->fbits | (est & 0xff) << (f->fbits - 8);
}

/* FPRecpX: the exponent inverted, fraction zero (zeros and denormals
 * get the largest normal exponent) */
static uint64_t recpx(uint64_t x, const fmt *f, uint32_t fpcr, unsigned *fl)
{
    unpacked u = unpack(x, f, fpcr, fl);
    if (u.nan)
        return process_nan(x, &u, f, fpcr, fl);
    uint64_t emask = (1ull << f->ebits) - 1;
    uint64_t e = u.exp ? ~u.exp & emask : emask - 1;
    return sign_bit(f, u.sign) | e << f->fbits;
}

/* UnsignedRecipEstimate, UnsignedRSqrtEstimate (32-bit lanes) */
static uint64_t urecpe(uint64_t x)
{
    if (!(x >> 31 & 1))
        return 0xffffffffu;
    return (uint64_t)recip_estimate((unsigned)(x >> 23 & 0x1ff)) << 23;
}

static uint64_t ursqrte(uint64_t x)
{
    if (!(x >> 30 & 3))
        return 0xffffffffu;
    return (uint64_t)rsqrt_estimate((unsigned)(x >> 23 & 0x1ff)) << 23;
}

/* a0: A64E_* op | A64E_DOUBLE | A64E_FLAGS; a1: the operand's bits.
 * Returns the result, or with A64E_FLAGS the IR_FX_* flags it raises. */
static uint64_t h_fpest(void *cpu, uint64_t kind, uint64_t x, uint64_t a2)
{
    (void)a2;
    uint32_t fpcr = ((a64_cpu *)cpu)->fpcr;
    const fmt *f = kind & A64E_DOUBLE ? &F64 : &F32;
    unsigned fl = 0;
    uint64_t r = 0;
    if (!(kind & A64E_DOUBLE))
        x &= 0xffffffffu;
    switch (kind & 7) {
    case A64E_RECPE: r = recpe(x, f, fpcr, &fl); break;
    case A64E_RSQRTE: r = rsqrte(x, f, fpcr, &fl); break;
    case A64E_RECPX: r = recpx(x, f, fpcr, &fl); break;
    case A64E_URECPE: r = urecpe(x); break;
    case A64E_URSQRTE: r = ursqrte(x); break;
    }
    return kind & A64E_FLAGS ? fl : r;
}

const ir_helper a64_h_fpest = {"a64_fpest", h_fpest, 2};
