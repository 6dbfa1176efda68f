/* Exact floating point in integers: unpack to sign * sig * 2^exp (sig a
 * 128-bit integer), compute exactly or with a sticky bit far below the
 * rounding point, round once in round_pack.  Used where x86 has no
 * instruction with the guest's rules (RMM, saturating conversions, NaN
 * rules of fmin/fmax, fma without FMA3) and by the tests as a model.
 */
#include <stdbool.h>

#include "backend/x86_64/fp_soft.h"
#include "backend/x86_64/x86.h"

typedef unsigned __int128 u128;

typedef struct sf_fmt { int mb, eb; } sf_fmt; /* fraction and exponent bits */
static const sf_fmt fmt32 = {23, 8}, fmt64 = {52, 11};

enum { SF_ZERO, SF_FIN, SF_INF, SF_QNAN, SF_SNAN };

typedef struct sf_num {
    int cls;
    bool sign;
    int exp;  /* value = sig * 2^exp */
    u128 sig;
} sf_num;

static sf_fmt fmt_of(ir_type t) { return t == IR_F32 ? fmt32 : fmt64; }
static int bias_of(sf_fmt f) { return (1 << (f.eb - 1)) - 1; }
static uint64_t sign_bit(sf_fmt f) { return UINT64_C(1) << (f.mb + f.eb); }
static uint64_t frac_mask(sf_fmt f) { return (UINT64_C(1) << f.mb) - 1; }
static uint64_t inf_bits(sf_fmt f) { return (uint64_t)((1 << f.eb) - 1) << f.mb; }
static bool is_nan(const sf_num *n) { return n->cls >= SF_QNAN; }

static sf_num unpack(uint64_t bits, sf_fmt f)
{
    int emax_b = (1 << f.eb) - 1, bias = bias_of(f);
    sf_num n = {.sign = (bits >> (f.mb + f.eb)) & 1};
    int be = (int)((bits >> f.mb) & (uint64_t)emax_b);
    uint64_t m = bits & frac_mask(f);
    if (be == emax_b)
        n.cls = m == 0 ? SF_INF : (m >> (f.mb - 1)) & 1 ? SF_QNAN : SF_SNAN;
    else if (be == 0 && m == 0)
        n.cls = SF_ZERO;
    else {
        n.cls = SF_FIN;
        n.sig = be ? m | (UINT64_C(1) << f.mb) : m;
        n.exp = (be ? be : 1) - bias - f.mb;
    }
    return n;
}

static int bitlen(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

/* sig >> s, and how the bits shifted out compare with half a unit of the
 * result (*half: -1 below, 0 exactly, 1 above; *inexact: any at all). */
static u128 shift_round(u128 sig, int s, int *half, bool *inexact)
{
    *half = -1;
    *inexact = false;
    if (s <= 0)
        return sig << -s;
    if (s > 128) {
        *inexact = sig != 0;
        return 0;
    }
    u128 rem = s == 128 ? sig : sig & (((u128)1 << s) - 1), h = (u128)1 << (s - 1);
    *inexact = rem != 0;
    *half = rem < h ? -1 : rem == h ? 0 : 1;
    return s == 128 ? 0 : sig >> s;
}

static bool round_up(int rm, bool sign, u128 keep, int half, bool inexact)
{
    if (!inexact)
        return false;
    switch (rm & X86_SF_RM) {
    case IR_RM_RNE: return half > 0 || (half == 0 && (keep & 1));
    case IR_RM_RDN: return sign;
    case IR_RM_RUP: return !sign;
    case IR_RM_RMM: return half >= 0;
    default: return false; /* RTZ */
    }
}

static uint64_t overflow(bool sign, sf_fmt f, int rm, unsigned *fx)
{
    rm &= X86_SF_RM;
    bool to_inf = rm == IR_RM_RNE || rm == IR_RM_RMM || (rm == IR_RM_RDN && sign) ||
                  (rm == IR_RM_RUP && !sign);
    *fx |= IR_FX_OVERFLOW | IR_FX_INEXACT;
    return (sign ? sign_bit(f) : 0) | (to_inf ? inf_bits(f) : inf_bits(f) - 1);
}

/* The one rounding: sign * sig * 2^exp (sig != 0) to format f.  Tininess
 * is judged after rounding (as if the exponent were unbounded), as RISC-V
 * and x86 do, or with X86_SF_TINY_BEFORE before rounding, as Arm's FPRound
 * does (they differ when the exact value is below the smallest normal and
 * rounds up to it); underflow is raised only with inexact.  Arm's flush to
 * zero (X86_SF_FLUSH) judges before rounding and raises underflow alone. */
static uint64_t round_pack(bool sign, int exp, u128 sig, sf_fmt f, int rm, unsigned *fx)
{
    int emin = 1 - bias_of(f), msb = exp + bitlen(sig) - 1, half;
    bool inexact;
    if ((rm & X86_SF_FLUSH) && msb < emin) {
        *fx |= IR_FX_UNDERFLOW;
        return sign ? sign_bit(f) : 0;
    }
    u128 k = shift_round(sig, msb - f.mb - exp, &half, &inexact);
    k += round_up(rm, sign, k, half, inexact);
    bool tiny = (rm & X86_SF_TINY_BEFORE) ? msb < emin : msb + (int)(k >> (f.mb + 1)) < emin;
    int q = msb < emin ? emin - f.mb : msb - f.mb;
    k = shift_round(sig, q - exp, &half, &inexact);
    k += round_up(rm, sign, k, half, inexact);
    if (k >> (f.mb + 1)) { /* carried into a new binade: k is a power of two */
        k >>= 1;
        q++;
    }
    if (inexact)
        *fx |= IR_FX_INEXACT | (tiny ? IR_FX_UNDERFLOW : 0);
    uint64_t s = sign ? sign_bit(f) : 0;
    if (!(k >> f.mb)) /* subnormal or zero */
        return s | (uint64_t)k;
    if (q + f.mb > bias_of(f))
        return overflow(sign, f, rm, fx);
    return s | (uint64_t)(q + f.mb + bias_of(f)) << f.mb | ((uint64_t)k & frac_mask(f));
}

/* The NaN an invalid operation makes: RISC-V's and Arm's default NaN
 * (positive), or x86's (negative). */
static uint64_t default_nan(sf_fmt f, unsigned aux)
{
    uint64_t q = inf_bits(f) | UINT64_C(1) << (f.mb - 1);
    return aux & (IR_FP_CANON_NAN | IR_FP_ARM_NAN) ? q : q | sign_bit(f);
}

static bool dn(unsigned aux)
{
    return (aux & IR_FP_CANON_NAN) || ((aux & IR_FP_ARM_NAN) && (aux & X86_SF_DEFAULT_NAN));
}

/* NaN operands (order: the indices of bits/n in the order they are looked
 * at): invalid if any is signaling; the result is the default NaN
 * (CANON_NAN, or Arm with FPCR.DN), Arm's FPProcessNaNs (the first sNaN,
 * else the first qNaN, made quiet), or as on x86 the first NaN made quiet. */
static uint64_t nan_result_in(const uint64_t *bits, const sf_num *n, const int *order,
                              int cnt, sf_fmt f, unsigned aux, unsigned *fx)
{
    int first = -1, first_s = -1;
    for (int j = cnt - 1; j >= 0; j--) {
        int k = order[j];
        if (n[k].cls == SF_SNAN) {
            *fx |= IR_FX_INVALID;
            first_s = k;
        }
        if (is_nan(&n[k]))
            first = k;
    }
    if (dn(aux))
        return default_nan(f, aux);
    if ((aux & IR_FP_ARM_NAN) && first_s >= 0)
        first = first_s;
    return bits[first] | UINT64_C(1) << (f.mb - 1);
}

static uint64_t nan_result(const uint64_t *bits, const sf_num *n, int cnt, sf_fmt f,
                           unsigned aux, unsigned *fx)
{
    static const int in_order[3] = {0, 1, 2};
    return nan_result_in(bits, n, in_order, cnt, f, aux, fx);
}

static uint64_t invalid(sf_fmt f, unsigned aux, unsigned *fx)
{
    *fx |= IR_FX_INVALID;
    return default_nan(f, aux);
}

static uint64_t zero(bool sign, sf_fmt f) { return sign ? sign_bit(f) : 0; }
static uint64_t inf(bool sign, sf_fmt f) { return zero(sign, f) | inf_bits(f); }

/* An exact zero sum: +0, unless both addends are -0 or rounding is down. */
static uint64_t zero_sum(bool sa, bool sb, int rm, sf_fmt f)
{
    return zero((sa && sb) || (sa != sb && (rm & X86_SF_RM) == IR_RM_RDN), f);
}

/* sa*ma*2^ea + sb*mb*2^eb, both nonzero and finite (ma, mb < 2^126): both
 * put at bit 125, the smaller shifted with a sticky bit (70+ bits below
 * any rounding point, so the one rounding stays exact). */
static uint64_t add_core(bool sa, int ea, u128 ma, bool sb, int eb, u128 mb, sf_fmt f,
                         int rm, unsigned *fx)
{
    int la = 126 - bitlen(ma), lb = 126 - bitlen(mb);
    ma <<= la;
    ea -= la;
    mb <<= lb;
    eb -= lb;
    if (ea < eb) {
        bool ts = sa; sa = sb; sb = ts;
        int te = ea; ea = eb; eb = te;
        u128 tm = ma; ma = mb; mb = tm;
    }
    int d = ea - eb;
    if (d >= 127)
        mb = 1;
    else if (d > 0)
        mb = (mb >> d) | ((mb & (((u128)1 << d) - 1)) != 0);
    u128 sum;
    bool sign = sa;
    if (sa == sb) {
        sum = ma + mb;
    } else if (ma >= mb) {
        sum = ma - mb;
    } else {
        sum = mb - ma;
        sign = sb;
    }
    if (sum == 0)
        return zero((rm & X86_SF_RM) == IR_RM_RDN, f);
    return round_pack(sign, ea, sum, f, rm, fx);
}

static uint64_t sf_add(uint64_t a, uint64_t b, bool sub, sf_fmt f, int rm, unsigned aux,
                       unsigned *fx)
{
    uint64_t bits[2] = {a, b};
    sf_num n[2] = {unpack(a, f), unpack(b, f)};
    if (is_nan(&n[0]) || is_nan(&n[1]))
        return nan_result(bits, n, 2, f, aux, fx);
    sf_num *x = &n[0], *y = &n[1];
    y->sign ^= sub;
    if (x->cls == SF_INF && y->cls == SF_INF && x->sign != y->sign)
        return invalid(f, aux, fx);
    if (x->cls == SF_INF || y->cls == SF_INF)
        return inf(x->cls == SF_INF ? x->sign : y->sign, f);
    if (x->cls == SF_ZERO && y->cls == SF_ZERO)
        return zero_sum(x->sign, y->sign, rm, f);
    if (x->cls == SF_ZERO)
        return b ^ (sub ? sign_bit(f) : 0);
    if (y->cls == SF_ZERO)
        return a;
    return add_core(x->sign, x->exp, x->sig, y->sign, y->exp, y->sig, f, rm, fx);
}

static uint64_t sf_mul(uint64_t a, uint64_t b, sf_fmt f, int rm, unsigned aux, unsigned *fx)
{
    uint64_t bits[2] = {a, b};
    sf_num x = unpack(a, f), y = unpack(b, f), n[2] = {x, y};
    if (is_nan(&x) || is_nan(&y))
        return nan_result(bits, n, 2, f, aux, fx);
    bool s = x.sign != y.sign;
    if ((x.cls == SF_INF && y.cls == SF_ZERO) || (x.cls == SF_ZERO && y.cls == SF_INF))
        return invalid(f, aux, fx);
    if (x.cls == SF_INF || y.cls == SF_INF)
        return inf(s, f);
    if (x.cls == SF_ZERO || y.cls == SF_ZERO)
        return zero(s, f);
    return round_pack(s, x.exp + y.exp, x.sig * y.sig, f, rm, fx);
}

static uint64_t sf_div(uint64_t a, uint64_t b, sf_fmt f, int rm, unsigned aux, unsigned *fx)
{
    uint64_t bits[2] = {a, b};
    sf_num x = unpack(a, f), y = unpack(b, f), n[2] = {x, y};
    if (is_nan(&x) || is_nan(&y))
        return nan_result(bits, n, 2, f, aux, fx);
    bool s = x.sign != y.sign;
    if ((x.cls == SF_INF && y.cls == SF_INF) || (x.cls == SF_ZERO && y.cls == SF_ZERO))
        return invalid(f, aux, fx);
    if (x.cls == SF_INF || y.cls == SF_ZERO) {
        if (x.cls != SF_INF)
            *fx |= IR_FX_DIVZERO;
        return inf(s, f);
    }
    if (x.cls == SF_ZERO || y.cls == SF_INF)
        return zero(s, f);
    int l = 125 - bitlen(x.sig) + 1;
    u128 m = x.sig << l, q = m / y.sig, r = m % y.sig;
    return round_pack(s, x.exp - l - y.exp - 1, q << 1 | (r != 0), f, rm, fx);
}

/* floor(sqrt(*m)), leaving the remainder in *m */
static u128 isqrt(u128 *m)
{
    u128 res = 0, bit = (u128)1 << 126;
    while (bit > *m)
        bit >>= 2;
    for (; bit; bit >>= 2) {
        if (*m >= res + bit) {
            *m -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
    }
    return res;
}

static uint64_t sf_sqrt(uint64_t a, sf_fmt f, int rm, unsigned aux, unsigned *fx)
{
    sf_num x = unpack(a, f);
    if (is_nan(&x))
        return nan_result(&a, &x, 1, f, aux, fx);
    if (x.cls == SF_ZERO)
        return a;
    if (x.sign)
        return invalid(f, aux, fx);
    if (x.cls == SF_INF)
        return a;
    int l = 124 - bitlen(x.sig) + 1, e = x.exp - l;
    u128 m = x.sig << l;
    if (e & 1) {
        m <<= 1;
        e--;
    }
    u128 r = isqrt(&m);
    return round_pack(false, e / 2 - 1, r << 1 | (m != 0), f, rm, fx);
}

/* a*b + c, one rounding.  inf*0 is invalid even with a quiet NaN addend
 * (RISC-V; AArch64 agrees, but an sNaN addend wins there: FPMulAdd looks
 * at the NaNs first, the addend first of them). */
static uint64_t sf_fma(uint64_t a, uint64_t b, uint64_t c, sf_fmt f, int rm, unsigned aux,
                       unsigned *fx)
{
    static const int arm_order[3] = {2, 0, 1}, in_order[3] = {0, 1, 2};
    bool arm = aux & IR_FP_ARM_NAN;
    uint64_t bits[3] = {a, b, c};
    sf_num x = unpack(a, f), y = unpack(b, f), z = unpack(c, f), n[3] = {x, y, z};
    bool inf_zero = (x.cls == SF_INF && y.cls == SF_ZERO) || (x.cls == SF_ZERO && y.cls == SF_INF);
    if (inf_zero && !(arm && z.cls == SF_SNAN)) {
        nan_result(bits, n, 3, f, aux, fx); /* for an sNaN's flag only */
        return invalid(f, aux, fx);
    }
    if (is_nan(&x) || is_nan(&y) || is_nan(&z))
        return nan_result_in(bits, n, arm ? arm_order : in_order, 3, f, aux, fx);
    bool sp = x.sign != y.sign;
    if (x.cls == SF_INF || y.cls == SF_INF) {
        if (z.cls == SF_INF && z.sign != sp)
            return invalid(f, aux, fx);
        return inf(sp, f);
    }
    if (z.cls == SF_INF)
        return c;
    if (x.cls == SF_ZERO || y.cls == SF_ZERO)
        return z.cls == SF_ZERO ? zero_sum(sp, z.sign, rm, f) : c;
    if (z.cls == SF_ZERO)
        return round_pack(sp, x.exp + y.exp, x.sig * y.sig, f, rm, fx);
    return add_core(sp, x.exp + y.exp, x.sig * y.sig, z.sign, z.exp, z.sig, f, rm, fx);
}

/* IEEE 754-2019 minimumNumber / maximumNumber, -0 < +0. */
static uint64_t sf_minmax(uint64_t a, uint64_t b, bool max, sf_fmt f, unsigned aux,
                          unsigned *fx)
{
    uint64_t bits[2] = {a, b};
    sf_num x = unpack(a, f), y = unpack(b, f), n[2] = {x, y};
    bool arm_snan = (aux & IR_FP_ARM_NAN) && (x.cls == SF_SNAN || y.cls == SF_SNAN);
    if ((is_nan(&x) && is_nan(&y)) || arm_snan) /* Arm's FMINNM: an sNaN is a NaN result */
        return nan_result(bits, n, 2, f, aux, fx);
    if (x.cls == SF_SNAN || y.cls == SF_SNAN)
        *fx |= IR_FX_INVALID;
    if (is_nan(&x))
        return b;
    if (is_nan(&y))
        return a;
    uint64_t sb = sign_bit(f), ka = a & sb ? ~a : a | sb, kb = b & sb ? ~b : b | sb;
    return (ka < kb) != max ? a : b;
}

static uint64_t sf_cvt_ff(uint64_t a, sf_fmt from, sf_fmt to, int rm, unsigned aux,
                          unsigned *fx)
{
    sf_num x = unpack(a, from);
    if (is_nan(&x)) {
        if (x.cls == SF_SNAN)
            *fx |= IR_FX_INVALID;
        if (dn(aux))
            return default_nan(to, aux);
        uint64_t pay = a & frac_mask(from);
        pay = to.mb > from.mb ? pay << (to.mb - from.mb) : pay >> (from.mb - to.mb);
        return zero(x.sign, to) | inf_bits(to) | pay | UINT64_C(1) << (to.mb - 1);
    }
    if (x.cls == SF_INF)
        return inf(x.sign, to);
    if (x.cls == SF_ZERO)
        return zero(x.sign, to);
    return round_pack(x.sign, x.exp, x.sig, to, rm, fx);
}

static uint64_t sf_cvt_if(uint64_t a, ir_type st, sf_fmt to, bool sign, int rm, unsigned *fx)
{
    int64_t s = st == IR_I32 ? (int64_t)(int32_t)a : (int64_t)a;
    uint64_t u = st == IR_I32 ? (uint32_t)a : a;
    bool neg = sign && s < 0;
    uint64_t mag = neg ? 0 - (uint64_t)s : sign ? (uint64_t)s : u;
    if (mag == 0)
        return 0;
    return round_pack(neg, 0, mag, to, rm, fx);
}

/* Saturating float to integer: out of range or NaN is invalid only. */
static uint64_t sf_cvt_fi(uint64_t a, sf_fmt from, ir_type t, int rm, unsigned aux,
                          unsigned *fx)
{
    int w = t == IR_I64 ? 64 : 32;
    bool sign = aux & IR_FP_SIGNED;
    uint64_t wmask = w == 64 ? UINT64_MAX : UINT32_MAX;
    uint64_t max = sign ? wmask >> 1 : wmask, min = sign ? (wmask >> 1) + 1 : 0;
    sf_num x = unpack(a, from);
    if (is_nan(&x)) {
        *fx |= IR_FX_INVALID;
        return aux & IR_FP_NAN_ZERO ? 0 : max;
    }
    u128 k = 0;
    bool inexact = false;
    if (x.cls == SF_INF || (x.cls == SF_FIN && x.exp > 64)) {
        k = (u128)1 << 65; /* out of any range */
    } else if (x.cls == SF_FIN) {
        int half;
        k = shift_round(x.sig, -x.exp, &half, &inexact);
        k += round_up(rm, x.sign, k, half, inexact);
    }
    bool out = x.sign ? (sign ? k > (u128)min : k != 0) : k > (u128)max;
    if (out) {
        *fx |= IR_FX_INVALID;
        return x.sign ? min : max;
    }
    if (inexact)
        *fx |= IR_FX_INEXACT;
    return (x.sign ? 0 - (uint64_t)k : (uint64_t)k) & wmask;
}

/* Arm's FPUnpack with FPCR.FZ: a denormal operand is a zero of its sign,
 * and raises input denormal. */
static uint64_t flush_input(uint64_t bits, sf_fmt f, unsigned *fx)
{
    uint64_t exp_bits = inf_bits(f);
    if ((bits & exp_bits) || !(bits & frac_mask(f)))
        return bits;
    *fx |= IR_FX_INPUT_DENORMAL;
    return bits & sign_bit(f);
}

uint64_t x86_sf_op(ir_op op, ir_type t, ir_type st, int rm, unsigned aux, uint64_t a,
                   uint64_t b, uint64_t c, unsigned *fx)
{
    sf_fmt f = fmt_of(ir_is_float(t) ? t : st);
    uint64_t m = t == IR_F32 || (op == IR_FCVT_FI && st == IR_F32) ? UINT32_MAX : UINT64_MAX;
    a &= st == IR_F32 || st == IR_I32 ? UINT32_MAX : UINT64_MAX;
    b &= m;
    c &= m;
    if (aux & IR_FP_ARM_NAN)
        rm |= X86_SF_TINY_BEFORE;
    if (rm & X86_SF_FLUSH) {
        int nargs = ir_info(op)->nargs;
        if (ir_is_float(st))
            a = flush_input(a, fmt_of(st), fx);
        if (nargs > 1)
            b = flush_input(b, f, fx);
        if (nargs > 2)
            c = flush_input(c, f, fx);
    }
    switch (op) {
    case IR_FADD: return sf_add(a, b, false, f, rm, aux, fx);
    case IR_FSUB: return sf_add(a, b, true, f, rm, aux, fx);
    case IR_FMUL: return sf_mul(a, b, f, rm, aux, fx);
    case IR_FDIV: return sf_div(a, b, f, rm, aux, fx);
    case IR_FSQRT: return sf_sqrt(a, f, rm, aux, fx);
    case IR_FMA: return sf_fma(a, b, c, f, rm, aux, fx);
    case IR_FMIN: return sf_minmax(a, b, false, f, aux, fx);
    case IR_FMAX: return sf_minmax(a, b, true, f, aux, fx);
    case IR_FCVT_FF: return sf_cvt_ff(a, fmt_of(st), f, rm, aux, fx);
    case IR_FCVT_IF: return sf_cvt_if(a, st, f, aux & IR_FP_SIGNED, rm, fx);
    case IR_FCVT_FI: return sf_cvt_fi(a, fmt_of(st), t, rm, aux, fx);
    default: return a; /* BITCAST */
    }
}

/* ---- the helper translated code calls ---- */

static uint32_t get_mxcsr(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static void set_mxcsr(uint32_t v) { __asm__ volatile("ldmxcsr %0" : : "m"(v)); }

uint64_t x86_fp_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t desc, uint8_t *eng)
{
    static const uint8_t rm_of_rc[4] = {IR_RM_RNE, IR_RM_RDN, IR_RM_RUP, IR_RM_RTZ};
    static const uint8_t mx_of_fx[5] = {0x20, 0x10, 0x08, 0x04, 0x01}; /* PE UE OE ZE IE */
    uint32_t csr = get_mxcsr();
    int rm = (desc >> 16) & 0xff;
    unsigned aux = (desc >> 24) & 0xff, mode = eng[X86_ENG_FPMODE];
    if (rm == IR_RM_DYN)
        rm = eng[X86_ENG_RMM] & 1 ? IR_RM_RMM : rm_of_rc[(csr >> 13) & 3];
    if (mode & IR_FPM_FLUSH_ZERO)
        rm |= X86_SF_FLUSH;
    if (mode & IR_FPM_DEFAULT_NAN)
        aux |= X86_SF_DEFAULT_NAN;
    unsigned fx = 0;
    uint64_t r = x86_sf_op((ir_op)(desc & 0xff), (ir_type)((desc >> 8) & 0xff),
                           (ir_type)((desc >> 32) & 0xff), rm, aux, a, b, c, &fx);
    for (int k = 0; k < 5; k++)
        if (fx & (1u << k))
            csr |= mx_of_fx[k];
    set_mxcsr(csr);
    if (fx & IR_FX_INPUT_DENORMAL)
        eng[X86_ENG_IDC] = 1;
    return r;
}
