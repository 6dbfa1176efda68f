/* Floating-point lowering tests: each FP op, at f32 and f64, in every
 * rounding mode (dynamic through FP_RM_SET, and static), run natively on a
 * table of special values; result bits and accrued flags are compared
 * with the host's IEEE arithmetic (C99 fenv), with RMM and the RISC-V
 * rules (default NaN, saturation, fmin/fmax) worked out here by hand.
 */
#include <criterion/criterion.h>
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/x86_64/x86.h"
#include "tests/unit/x86_harness.h"

#define CODE_SIZE (4 << 20)
#define PC_OFF (8 * 32)
#define ENGINE_OFF (8 * 36) /* cpu[36..37]: the engine's bytes */

static uint8_t *rw, *rx;
static size_t used;
static x86_enter_fn enter;
static x86_target tgt;
static uint64_t cpu[40];

static void setup(void)
{
    enter = x86_test_code(CODE_SIZE, &rw, &rx, &tgt, PC_OFF, ENGINE_OFF);
    used = 256;
    x86_cpu_init();
}

TestSuite(x86_fp, .init = setup);

/* Lower b into the next free code; returns where it runs. */
static const uint8_t *lower(ir_block *b)
{
    char err[128];
    cr_assert(ir_verify(b, err, sizeof err), "%s", err);
    x86_lowered low;
    if (used + 65536 > CODE_SIZE)
        used = 256;
    int n = x86_lower_block(b, &tgt, rw + used, 65536, (uint64_t)rx + used, &low);
    cr_assert(n > 0, "lowering failed");
    const uint8_t *code = rx + used;
    used += ((size_t)n + 15) & ~(size_t)15;
    return code;
}

/* Run with the host's own MXCSR put back afterwards. */
static x86_ret run(const uint8_t *code)
{
    uint32_t saved;
    __asm__ volatile("stmxcsr %0" : "=m"(saved));
    x86_ret r = enter(cpu, code);
    __asm__ volatile("ldmxcsr %0" : : "m"(saved));
    return r;
}

/* ---- values and the host model ---- */

static const double dvals[] = {
    0.0, -0.0, 4.9406564584124654e-324, -4.9406564584124654e-324, 2.2250738585072009e-308,
    -2.2250738585072014e-308, INFINITY, -INFINITY, 1.5, 2.5, -2.5, 0.1, 1e308, DBL_MAX,
    -1e300, 2147483647.5, 2147483648.5, -2147483648.5, -2147483649.0, 4294967295.5,
    4294967296.0, 9223372036854775808.0, -9223372036854775808.0, 18446744073709551616.0,
    1.0, -1.0, 3.0, 0.5, -0.75, 1.0000000000000002, 1e-310, 7e15 + 0.5,
};
static const float fvals[] = {
    0.0f, -0.0f, 1.4e-45f, -1.4e-45f, 1.1754942e-38f, -1.17549435e-38f, INFINITY, -INFINITY,
    1.5f, 2.5f, -2.5f, 0.1f, 1e38f, FLT_MAX, -3e37f, 2147483648.0f, 2147483904.0f,
    -2147483904.0f, 4294967296.0f, 9223372036854775808.0f, -9223372036854775808.0f,
    18446744073709551616.0f, 1.0f, -1.0f, 3.0f, 0.5f, -0.75f, 1.0000001f, 1e-40f, 8388607.5f,
    16777215.0f, 12582913.0f,
};
#define QNAN64 0x7ff8000000000123ULL
#define SNAN64 0x7ff0000000000045ULL
#define QNAN32 0xffc00123ULL
#define SNAN32 0x7f800045ULL
#define N_VALS (sizeof dvals / sizeof dvals[0] + 2)
_Static_assert(sizeof dvals / sizeof dvals[0] == sizeof fvals / sizeof fvals[0], "tables pair up");

static uint64_t val(ir_type t, size_t k)
{
    size_t n = N_VALS - 2;
    if (k >= n)
        return k == n ? (t == IR_F64 ? QNAN64 : QNAN32) : (t == IR_F64 ? SNAN64 : SNAN32);
    uint64_t u = 0;
    if (t == IR_F64)
        memcpy(&u, &dvals[k], 8);
    else
        memcpy(&u, &fvals[k], 4);
    return u;
}

static double as_d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float as_f(uint64_t u) { float f; uint32_t v = (uint32_t)u; memcpy(&f, &v, 4); return f; }
static uint64_t of_d(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint64_t of_f(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static bool is_nan_bits(ir_type t, uint64_t u) { return t == IR_F64 ? isnan(as_d(u)) : isnan(as_f(u)); }
static bool is_snan_bits(ir_type t, uint64_t u)
{
    return is_nan_bits(t, u) && !(u & (t == IR_F64 ? 1ULL << 51 : 1ULL << 22));
}
static long double as_l(ir_type t, uint64_t u) { return t == IR_F64 ? as_d(u) : as_f(u); }
static uint64_t canon_nan(ir_type t) { return t == IR_F64 ? 0x7ff8000000000000ULL : 0x7fc00000; }

static const int fe_of[IR_NUM_RM] = {
    [IR_RM_RNE] = FE_TONEAREST, [IR_RM_RTZ] = FE_TOWARDZERO,
    [IR_RM_RDN] = FE_DOWNWARD, [IR_RM_RUP] = FE_UPWARD,
};

static unsigned fx_now(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    return (e & FE_INVALID ? IR_FX_INVALID : 0) | (e & FE_DIVBYZERO ? IR_FX_DIVZERO : 0) |
           (e & FE_OVERFLOW ? IR_FX_OVERFLOW : 0) | (e & FE_UNDERFLOW ? IR_FX_UNDERFLOW : 0) |
           (e & FE_INEXACT ? IR_FX_INEXACT : 0);
}

/* x87 long double with round-to-odd: exact enough (64 >= 53 + 2 bits) to
 * be rounded once more, by hand, to nearest with ties away (RMM). */
static long double odd(long double r, bool inexact)
{
    uint64_t m;
    memcpy(&m, &r, 8);
    if (inexact && !(m & 1))
        r = nextafterl(r, r > 0 ? INFINITY : -INFINITY);
    return r;
}

static uint64_t narrow_rmm(long double l, ir_type t, unsigned *fx)
{
    bool d = t == IR_F64;
    fesetround(FE_TOWARDZERO);
    long double tz = d ? (long double)(double)l : (long double)(float)l;
    fesetround(FE_TONEAREST);
    long double dir = l > 0 ? INFINITY : -INFINITY;
    long double next = d ? nextafter((double)tz, (double)dir) : nextafterf((float)tz, (float)dir);
    long double mid;
    if (isinf(next))
        mid = tz + (tz - (d ? nextafter((double)tz, 0) : nextafterf((float)tz, 0))) / 2;
    else
        mid = tz + (next - tz) / 2;
    long double r = fabsl(l) >= fabsl(mid) ? next : tz;
    if (l != r) {
        long double tiny = d ? 0x1p-1022L - 0x1p-1076L : 0x1p-126L - 0x1p-151L;
        *fx |= IR_FX_INEXACT | (fabsl(l) < tiny ? IR_FX_UNDERFLOW : 0) |
               (isinf(r) ? IR_FX_OVERFLOW : 0);
    }
    return d ? of_d((double)r) : of_f((float)r);
}

/* The host's answer for op at rm (standard modes: C on the SSE unit). */
static uint64_t host_op(ir_op op, ir_type t, int rm, uint64_t a, uint64_t b, uint64_t c, unsigned *fx)
{
    volatile double da = as_d(a), db = as_d(b), dc = as_d(c), dr = 0;
    volatile float fa = as_f(a), fb = as_f(b), fc = as_f(c), fr = 0;
    bool d = t == IR_F64;
    fesetround(fe_of[rm]);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case IR_FADD: if (d) dr = da + db; else fr = fa + fb; break;
    case IR_FSUB: if (d) dr = da - db; else fr = fa - fb; break;
    case IR_FMUL: if (d) dr = da * db; else fr = fa * fb; break;
    case IR_FDIV: if (d) dr = da / db; else fr = fa / fb; break;
    case IR_FSQRT: if (d) dr = sqrt(da); else fr = sqrtf(fa); break;
    case IR_FMA: if (d) dr = fma(da, db, dc); else fr = fmaf(fa, fb, fc); break;
    default: cr_assert_fail("no host op");
    }
    *fx = fx_now();
    fesetround(FE_TONEAREST);
    return d ? of_d(dr) : of_f(fr);
}

/* RMM: the long double result with its inexact flag, then rounded by hand. */
static uint64_t rmm_op(ir_op op, ir_type t, uint64_t a, uint64_t b, uint64_t c, unsigned *fx)
{
    bool d = t == IR_F64;
    volatile long double la = d ? as_d(a) : as_f(a), lb = d ? as_d(b) : as_f(b);
    volatile long double lr = 0;
    fesetround(FE_TOWARDZERO);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case IR_FADD: lr = la + lb; break;
    case IR_FSUB: lr = la - lb; break;
    case IR_FMUL: lr = la * lb; break;
    case IR_FDIV: lr = la / lb; break;
    default: lr = sqrtl(la); break;
    }
    bool inexact = fetestexcept(FE_INEXACT);
    fesetround(FE_TONEAREST);
    return narrow_rmm(odd(lr, inexact), t, fx);
}

/* What the IR says op yields: IEEE, and the default NaN for any NaN. */
static uint64_t expect(ir_op op, ir_type t, int rm, uint64_t a, uint64_t b, uint64_t c, unsigned *fx)
{
    uint64_t r = host_op(op, t, rm == IR_RM_RMM ? IR_RM_RNE : rm, a, b, c, fx);
    if (op == IR_FMA) {
        bool az = (t == IR_F64 ? as_d(a) : as_f(a)) == 0, bz = (t == IR_F64 ? as_d(b) : as_f(b)) == 0;
        bool ai = !is_nan_bits(t, a) && isinf(t == IR_F64 ? as_d(a) : as_f(a));
        bool bi = !is_nan_bits(t, b) && isinf(t == IR_F64 ? as_d(b) : as_f(b));
        if ((ai && bz) || (az && bi))
            *fx |= IR_FX_INVALID; /* inf * 0 + qNaN: RISC-V raises it too */
    }
    if (is_nan_bits(t, r))
        return canon_nan(t);
    if (rm == IR_RM_RMM && (*fx & IR_FX_INEXACT) && op != IR_FMA) {
        unsigned keep = *fx & ~(IR_FX_INEXACT | IR_FX_UNDERFLOW | IR_FX_OVERFLOW);
        *fx = keep;
        return rmm_op(op, t, a, b, c, fx);
    }
    return r;
}

/* ---- blocks ---- */

/* flags = 0; rm = dyn; ctx[3] = op(ctx[0], ctx[1], ctx[2]) (operands of
 * type st); ctx[4] = flags */
static const uint8_t *cvt_block(ir_op op, ir_type t, ir_type st, int rm, int dyn, unsigned aux)
{
    ir_block *b = ir_block_new(0x1000);
    ir_emit(b, IR_FP_FLAGS_SET, IR_VOID, ir_const(b, IR_I64, 0), IR_NONE, IR_NONE, 0, 0);
    ir_emit(b, IR_FP_RM_SET, IR_VOID, ir_const(b, IR_I32, dyn), IR_NONE, IR_NONE, 0, 0);
    int n = ir_info(op)->nargs;
    ir_val x = ir_ctx_load(b, st, 0);
    ir_val y = n > 1 ? ir_ctx_load(b, st, 8) : IR_NONE, z = n > 2 ? ir_ctx_load(b, st, 16) : IR_NONE;
    ir_val r = op == IR_FSETCC ? ir_fsetcc(b, t, (ir_cond)rm, x, y)
                               : ir_fop(b, op, t, (ir_round)rm, aux, x, y, z);
    ir_ctx_store(b, r, 24);
    ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0), 32);
    ir_syscall(b, 0x1004);
    const uint8_t *code = lower(b);
    ir_block_free(b);
    return code;
}

static const uint8_t *op_block(ir_op op, ir_type t, int rm, int dyn, unsigned aux)
{
    return cvt_block(op, t, t, rm, dyn, aux);
}

static const char *rm_name(int rm) { return ir_round_name((ir_round)rm); }

static void check_arith(ir_op op, ir_type t)
{
    int n = ir_info(op)->nargs;
    for (int rm = IR_RM_DYN; rm < IR_NUM_RM; rm++)
        for (int dyn = IR_RM_RNE; dyn < IR_NUM_RM; dyn++) { /* RMM too: MXCSR lacks it */
            if (rm != IR_RM_DYN && dyn != IR_RM_RUP && dyn != IR_RM_RDN)
                continue; /* static modes: against two other dynamic ones */
            int eff = rm == IR_RM_DYN ? dyn : rm;
            if (rm == dyn || (op == IR_FMA && eff == IR_RM_RMM))
                continue; /* fma in RMM: by hand below */
            const uint8_t *code = op_block(op, t, rm, dyn, IR_FP_CANON_NAN);
            for (size_t i = 0; i < N_VALS; i++)
                for (size_t j = 0; j < (n > 1 ? N_VALS : 1); j++)
                    for (size_t k = 0; k < (n > 2 ? N_VALS : 1); k += n > 2 ? 3 : 1) {
                        uint64_t a = val(t, i), b = val(t, j), c = val(t, (k + i) % N_VALS);
                        cpu[0] = a, cpu[1] = b, cpu[2] = c, cpu[3] = cpu[4] = 0x5555;
                        run(code);
                        unsigned fx;
                        uint64_t want = expect(op, t, eff, a, b, c, &fx);
                        cr_assert(cpu[3] == want && cpu[4] == fx,
                                  "%s.%s rm %s dyn %s: %#lx, %#lx, %#lx -> %#lx flags %#lx, want %#lx flags %#x",
                                  ir_info(op)->name, ir_type_name(t), rm_name(rm), rm_name(dyn), a, b,
                                  c, cpu[3], cpu[4], want, fx);
                    }
        }
}

Test(x86_fp, add_sub) { for (int t = IR_F32; t <= IR_F64; t++) { check_arith(IR_FADD, (ir_type)t); check_arith(IR_FSUB, (ir_type)t); } }
Test(x86_fp, mul_div) { for (int t = IR_F32; t <= IR_F64; t++) { check_arith(IR_FMUL, (ir_type)t); check_arith(IR_FDIV, (ir_type)t); } }
Test(x86_fp, sqrt) { for (int t = IR_F32; t <= IR_F64; t++) check_arith(IR_FSQRT, (ir_type)t); }

Test(x86_fp, fma_inline_and_helper)
{
    bool has = x86_cpu.fma3;
    for (int t = IR_F32; t <= IR_F64; t++) {
        check_arith(IR_FMA, (ir_type)t);
        x86_cpu.fma3 = false;
        check_arith(IR_FMA, (ir_type)t);
        x86_cpu.fma3 = has;
    }
}

/* Ties where nearest-even goes toward zero and RMM away. */
Test(x86_fp, fma_rmm_by_hand)
{
    static const struct { ir_type t; double a, b, c, want; } cases[] = {
        {IR_F64, 1, 1, 0x1p-53, 1 + 0x1p-52},
        {IR_F64, -1, 1, -0x1p-53, -1 - 0x1p-52},
        {IR_F64, 1 + 0x1p-52, 1 - 0x1p-53, 0, 1}, /* just below a tie */
        {IR_F32, 1, 1, 0x1p-24, 1 + 0x1p-23},
        {IR_F32, 3, 1, 0x1p-23, 3 + 0x1p-22},
        {IR_F64, 1, 1, 0x1p-54, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ir_type t = cases[k].t;
        bool d = t == IR_F64;
        const uint8_t *code = op_block(IR_FMA, t, IR_RM_RMM, IR_RM_RNE, IR_FP_CANON_NAN);
        cpu[0] = d ? of_d(cases[k].a) : of_f((float)cases[k].a);
        cpu[1] = d ? of_d(cases[k].b) : of_f((float)cases[k].b);
        cpu[2] = d ? of_d(cases[k].c) : of_f((float)cases[k].c);
        cpu[3] = 0;
        run(code);
        uint64_t want = d ? of_d(cases[k].want) : of_f((float)cases[k].want);
        cr_assert_eq(cpu[3], want, "case %zu: %#lx", k, cpu[3]);
        cr_assert_eq(cpu[4], IR_FX_INEXACT, "case %zu", k);
    }
}

/* minimumNumber/maximumNumber: -0 < +0, a NaN yields the other operand,
 * two NaNs the default NaN; invalid only for an sNaN. */
Test(x86_fp, fmin_fmax)
{
    enum { Q = 100, S = 101 };
    static const struct { double a, b, min, max; unsigned nv; } cases[] = {
        {1, 2, 1, 2, 0}, {2, 1, 1, 2, 0}, {-0.0, 0.0, -0.0, 0.0, 0}, {0.0, -0.0, -0.0, 0.0, 0},
        {Q, 1, 1, 1, 0}, {1, Q, 1, 1, 0}, {S, 1, 1, 1, 1}, {-1, S, -1, -1, 1},
        {Q, Q, Q, Q, 0}, {S, Q, Q, Q, 1}, {Q, S, Q, Q, 1}, {-INFINITY, INFINITY, -INFINITY, INFINITY, 0},
        {3, 3, 3, 3, 0}, {-1, -0.0, -1, -0.0, 0}, {-0.0, -0.0, -0.0, -0.0, 0}, {5e-324, -5e-324, -5e-324, 5e-324, 0},
        {Q, -0.0, -0.0, -0.0, 0},
    };
    for (int t = IR_F32; t <= IR_F64; t++)
        for (int mx = 0; mx < 2; mx++) {
            const uint8_t *code = op_block(mx ? IR_FMAX : IR_FMIN, (ir_type)t, 0, IR_RM_RNE, IR_FP_CANON_NAN);
            for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
                double v[3] = {cases[k].a, cases[k].b, mx ? cases[k].max : cases[k].min};
                uint64_t u[3];
                for (int j = 0; j < 3; j++)
                    u[j] = v[j] == Q ? (j == 2 ? canon_nan((ir_type)t) : val((ir_type)t, N_VALS - 2))
                         : v[j] == S ? val((ir_type)t, N_VALS - 1)
                         : t == IR_F64 ? of_d(v[j]) : of_f((float)v[j]);
                cpu[0] = u[0], cpu[1] = u[1];
                run(code);
                cr_assert(cpu[3] == u[2] && cpu[4] == (cases[k].nv ? IR_FX_INVALID : 0u),
                          "%s.%s case %zu: %#lx flags %#lx", mx ? "fmax" : "fmin",
                          ir_type_name((ir_type)t), k, cpu[3], cpu[4]);
            }
        }
}

Test(x86_fp, fsetcc_every_cond)
{
    static const ir_cond conds[] = {IR_EQ, IR_NE, IR_LT, IR_LE, IR_GT, IR_GE};
    for (int t = IR_F32; t <= IR_F64; t++)
        for (size_t c = 0; c < 6; c++)
            for (int it = IR_I32; it <= IR_I64; it++) {
                const uint8_t *code = cvt_block(IR_FSETCC, (ir_type)it, (ir_type)t, conds[c], IR_RM_RNE, 0);
                for (size_t i = 0; i < N_VALS; i++)
                    for (size_t j = 0; j < N_VALS; j++) {
                        uint64_t a = val((ir_type)t, i), b = val((ir_type)t, j);
                        long double x = as_l((ir_type)t, a), y = as_l((ir_type)t, b);
                        bool nan = isnan(x) || isnan(y);
                        bool snan = is_snan_bits((ir_type)t, a) || is_snan_bits((ir_type)t, b);
                        bool quiet = conds[c] == IR_EQ || conds[c] == IR_NE;
                        bool want = !nan && (conds[c] == IR_EQ ? x == y : conds[c] == IR_NE ? x != y
                                             : conds[c] == IR_LT ? x < y : conds[c] == IR_LE ? x <= y
                                             : conds[c] == IR_GT ? x > y : x >= y);
                        unsigned fx = (quiet ? snan : nan) ? IR_FX_INVALID : 0;
                        cpu[0] = a, cpu[1] = b, cpu[3] = 0x5555;
                        run(code);
                        cr_assert(cpu[3] == want && cpu[4] == fx, "fsetcc %s %s: %#lx, %#lx -> %lu flags %#lx",
                                  ir_cond_name(conds[c]), ir_type_name((ir_type)t), a, b, cpu[3], cpu[4]);
                    }
            }
}

/* ---- conversions ---- */

static uint64_t expect_fi(ir_type st, ir_type t, bool sign, int rm, unsigned aux, uint64_t a, unsigned *fx)
{
    int w = t == IR_I64 ? 64 : 32;
    long double x = as_l(st, a), lo = sign ? -ldexpl(1, w - 1) : 0;
    long double hi = sign ? ldexpl(1, w - 1) - 1 : ldexpl(1, w) - 1;
    uint64_t mask = w == 64 ? UINT64_MAX : UINT32_MAX;
    uint64_t maxb = sign ? mask >> 1 : mask, minb = sign ? (mask >> 1) + 1 : 0;
    *fx = 0;
    if (isnan(x)) {
        *fx = IR_FX_INVALID;
        return aux & IR_FP_NAN_ZERO ? 0 : maxb;
    }
    long double r = rm == IR_RM_RTZ ? truncl(x) : rm == IR_RM_RDN ? floorl(x)
                  : rm == IR_RM_RUP ? ceill(x) : rm == IR_RM_RMM ? roundl(x) : nearbyintl(x);
    if (r < lo || r > hi) {
        *fx = IR_FX_INVALID;
        return r < lo ? minb : maxb;
    }
    if (r != x)
        *fx = IR_FX_INEXACT;
    return (r < 0 ? (uint64_t)(int64_t)r : (uint64_t)r) & mask;
}

Test(x86_fp, fcvt_fi_saturating)
{
    for (int st = IR_F32; st <= IR_F64; st++)
        for (int t = IR_I32; t <= IR_I64; t++)
            for (int aux = 0; aux < 8; aux += 2)
                for (int rm = IR_RM_DYN; rm < IR_NUM_RM; rm++)
                    for (int dyn = IR_RM_RNE; dyn < IR_NUM_RM - 1; dyn += rm == IR_RM_DYN ? 1 : 3) {
                        int eff = rm == IR_RM_DYN ? dyn : rm;
                        const uint8_t *code = cvt_block(IR_FCVT_FI, (ir_type)t, (ir_type)st, rm, dyn, (unsigned)aux);
                        for (size_t i = 0; i < N_VALS; i++) {
                            uint64_t a = val((ir_type)st, i);
                            cpu[0] = a;
                            run(code);
                            unsigned fx;
                            uint64_t want = expect_fi((ir_type)st, (ir_type)t, aux & IR_FP_SIGNED, eff, (unsigned)aux, a, &fx);
                            cr_assert(cpu[3] == want && cpu[4] == fx,
                                      "fcvt_fi %s->%s aux %d rm %s dyn %s: %#lx -> %#lx flags %#lx, want %#lx flags %#x",
                                      ir_type_name((ir_type)st), ir_type_name((ir_type)t), aux, rm_name(rm),
                                      rm_name(dyn), a, cpu[3], cpu[4], want, fx);
                        }
                    }
}

static const uint64_t ints[] = {
    0, 1, (uint64_t)-1, (1ULL << 53) + 1, INT64_MAX, 1ULL << 63, UINT64_MAX, (1ULL << 63) + 1,
    (1ULL << 24) + 1, 0x80000000, 0x7fffffff, 0xffffffff, 12345678901ULL, (uint64_t)-3,
    0x7fffffc0, (1ULL << 54) + 2, 0xfffffffffffff800ULL, 0x8000000000000400ULL, 0x1000003,
    (uint64_t)-(int64_t)((1ULL << 53) + 1), 0x80000080, 0xffffff7f,
};

Test(x86_fp, fcvt_if_every_mode)
{
    for (int t = IR_F32; t <= IR_F64; t++)
        for (int st = IR_I32; st <= IR_I64; st++)
            for (int sign = 0; sign < 2; sign++)
                for (int rm = IR_RM_DYN; rm < IR_NUM_RM; rm++)
                    for (int dyn = IR_RM_RNE; dyn < IR_NUM_RM - 1; dyn += rm == IR_RM_DYN ? 1 : 3) {
                        int eff = rm == IR_RM_DYN ? dyn : rm;
                        const uint8_t *code = cvt_block(IR_FCVT_IF, (ir_type)t, (ir_type)st, rm, dyn,
                                                        sign ? IR_FP_SIGNED : 0);
                        for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
                            uint64_t a = ints[i];
                            long double l = st == IR_I64 ? (sign ? (long double)(int64_t)a : (long double)a)
                                                         : (sign ? (long double)(int32_t)a : (long double)(uint32_t)a);
                            unsigned fx = 0;
                            uint64_t want;
                            if (eff == IR_RM_RMM) {
                                want = narrow_rmm(l, (ir_type)t, &fx);
                            } else {
                                volatile long double vl = l;
                                fesetround(fe_of[eff]);
                                feclearexcept(FE_ALL_EXCEPT);
                                want = t == IR_F64 ? of_d((double)vl) : of_f((float)vl);
                                fx = fx_now();
                                fesetround(FE_TONEAREST);
                            }
                            cpu[0] = a;
                            run(code);
                            cr_assert(cpu[3] == want && cpu[4] == fx,
                                      "fcvt_if %s->%s sign %d rm %s dyn %s: %#lx -> %#lx flags %#lx, want %#lx flags %#x",
                                      ir_type_name((ir_type)st), ir_type_name((ir_type)t), sign, rm_name(rm),
                                      rm_name(dyn), a, cpu[3], cpu[4], want, fx);
                        }
                    }
}

Test(x86_fp, fcvt_ff_every_mode)
{
    for (int t = IR_F32; t <= IR_F64; t++) {
        ir_type st = t == IR_F32 ? IR_F64 : IR_F32;
        for (int rm = IR_RM_DYN; rm < IR_NUM_RM; rm++)
            for (int dyn = IR_RM_RNE; dyn < IR_NUM_RM - 1; dyn += rm == IR_RM_DYN ? 1 : 3) {
                int eff = rm == IR_RM_DYN ? dyn : rm;
                const uint8_t *code = cvt_block(IR_FCVT_FF, (ir_type)t, st, rm, dyn, IR_FP_CANON_NAN);
                for (size_t i = 0; i < N_VALS; i++) {
                    uint64_t a = val(st, i), want;
                    volatile double d = as_d(a);
                    volatile float f = as_f(a);
                    fesetround(fe_of[eff == IR_RM_RMM ? IR_RM_RNE : eff]);
                    feclearexcept(FE_ALL_EXCEPT);
                    want = t == IR_F64 ? of_d((double)f) : of_f((float)d);
                    unsigned fx = fx_now();
                    fesetround(FE_TONEAREST);
                    if (is_nan_bits(st, a))
                        want = canon_nan((ir_type)t);
                    else if (eff == IR_RM_RMM && (fx & IR_FX_INEXACT)) {
                        fx = 0;
                        want = narrow_rmm(d, IR_F32, &fx);
                    }
                    cpu[0] = a;
                    run(code);
                    cr_assert(cpu[3] == want && cpu[4] == fx,
                              "fcvt_ff ->%s rm %s dyn %s: %#lx -> %#lx flags %#lx, want %#lx flags %#x",
                              ir_type_name((ir_type)t), rm_name(rm), rm_name(dyn), a, cpu[3], cpu[4], want, fx);
                }
            }
    }
}

/* ---- moves, signs, status ---- */

Test(x86_fp, neg_abs_bitcast_const_select)
{
    for (int t = IR_F32; t <= IR_F64; t++) {
        ir_type it = t == IR_F64 ? IR_I64 : IR_I32;
        uint64_t sign = t == IR_F64 ? 1ULL << 63 : 1ULL << 31;
        ir_block *b = ir_block_new(0x1000);
        ir_val x = ir_ctx_load(b, (ir_type)t, 0);
        ir_ctx_store(b, ir_fop(b, IR_FNEG, (ir_type)t, 0, 0, x, IR_NONE, IR_NONE), 24);
        ir_ctx_store(b, ir_fop(b, IR_FABS, (ir_type)t, 0, 0, x, IR_NONE, IR_NONE), 32);
        ir_val bits = ir_bitcast(b, it, x);
        ir_ctx_store(b, bits, 40);
        ir_ctx_store(b, ir_bitcast(b, (ir_type)t, ir_binop(b, IR_XOR, it, bits, ir_const(b, it, 1))), 48);
        ir_val k = ir_const(b, (ir_type)t, t == IR_F64 ? (int64_t)of_d(-2.75) : (int64_t)of_f(-2.75f));
        ir_ctx_store(b, ir_select(b, (ir_type)t, ir_ctx_load(b, IR_I64, 8), x, k), 56);
        ir_syscall(b, 0);
        const uint8_t *code = lower(b);
        ir_block_free(b);
        for (size_t i = 0; i < N_VALS; i++)
            for (int sel = 0; sel < 2; sel++) {
                uint64_t a = val((ir_type)t, i);
                cpu[0] = a | (t == IR_F32 ? 0xdead000000000000ULL : 0);
                cpu[1] = (uint64_t)sel << 40;
                for (int k2 = 3; k2 <= 7; k2++)
                    cpu[k2] = 0;
                run(code);
                uint64_t m = t == IR_F64 ? UINT64_MAX : UINT32_MAX;
                cr_assert_eq(cpu[3] & m, a ^ sign);
                cr_assert_eq(cpu[4] & m, a & ~sign);
                cr_assert_eq(cpu[5], a);
                cr_assert_eq(cpu[6] & m, a ^ 1);
                cr_assert_eq(cpu[7] & m, sel ? a : (t == IR_F64 ? of_d(-2.75) : of_f(-2.75f)));
            }
    }
}

Test(x86_fp, load_store_memory)
{
    static uint64_t mem[4];
    for (int t = IR_F32; t <= IR_F64; t++) {
        ir_block *b = ir_block_new(0x1000);
        ir_memop m = t == IR_F64 ? IR_M64 : IR_M32;
        ir_val p = ir_ctx_load(b, IR_I64, 0);
        ir_val v = ir_load(b, (ir_type)t, m, p);
        ir_val q = ir_binop(b, IR_ADD, IR_I64, p, ir_const(b, IR_I64, 8));
        ir_store(b, m, q, ir_fop(b, IR_FADD, (ir_type)t, IR_RM_DYN, 0, v, v, IR_NONE));
        ir_syscall(b, 0);
        const uint8_t *code = lower(b);
        ir_block_free(b);
        mem[0] = t == IR_F64 ? of_d(1.25) : of_f(1.25f) | 0x1234567800000000ULL;
        mem[1] = 0xeeeeeeeeeeeeeeeeULL;
        cpu[0] = (uint64_t)(uintptr_t)mem;
        run(code);
        cr_assert_eq(mem[1], t == IR_F64 ? of_d(2.5) : of_f(2.5f) | 0xeeeeeeee00000000ULL);
    }
}

Test(x86_fp, flags_set_get_and_accrue)
{
    for (int from_reg = 0; from_reg < 2; from_reg++)
        for (unsigned v = 0; v < 32; v++) {
            ir_block *b = ir_block_new(0x1000);
            ir_val x = from_reg ? ir_ctx_load(b, IR_I64, 0) : ir_const(b, IR_I64, v);
            ir_emit(b, IR_FP_FLAGS_SET, IR_VOID, x, IR_NONE, IR_NONE, 0, 0);
            ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I32, IR_NONE, IR_NONE, IR_NONE, 0, 0), 8);
            ir_val one = ir_const(b, IR_F64, (int64_t)of_d(1.0));
            ir_val z = ir_const(b, IR_F64, 0);
            ir_ctx_store(b, ir_fop(b, IR_FDIV, IR_F64, IR_RM_DYN, 0, one, z, IR_NONE), 24);
            ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0), 16);
            ir_syscall(b, 0);
            cpu[0] = v | 0x40; /* bits past the five are ignored */
            run(lower(b));
            ir_block_free(b);
            cr_assert_eq(cpu[1], v);
            cr_assert_eq(cpu[2], v | IR_FX_DIVZERO);
            cr_assert_eq(cpu[3], of_d(INFINITY));
        }
}

/* FP_FLAGS_RAISE adds flags (IDC, bit 5, too) to those already raised;
 * nothing when there are none to add, from a register or a constant. */
Test(x86_fp, flags_raise_adds)
{
    for (int from_reg = 0; from_reg < 2; from_reg++)
        for (unsigned before = 0; before < 64; before += 9)
            for (unsigned add = 0; add < 64; add++) {
                ir_block *b = ir_block_new(0x1000);
                ir_emit(b, IR_FP_FLAGS_SET, IR_VOID, ir_const(b, IR_I64, before), IR_NONE,
                        IR_NONE, 0, 0);
                ir_val x = from_reg ? ir_ctx_load(b, IR_I64, 0) : ir_const(b, IR_I64, add);
                ir_emit(b, IR_FP_FLAGS_RAISE, IR_VOID, x, IR_NONE, IR_NONE, 0, 0);
                ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0), 8);
                ir_syscall(b, 0);
                cpu[0] = add;
                run(lower(b));
                ir_block_free(b);
                cr_assert_eq(cpu[1], before | add, "before %#x add %#x: %#llx", before, add,
                             (unsigned long long)cpu[1]);
            }
}

/* The dynamic mode from a register, and kept across blocks (MXCSR). */
Test(x86_fp, rm_set_from_register_persists)
{
    ir_block *b = ir_block_new(0x1000);
    ir_emit(b, IR_FP_RM_SET, IR_VOID, ir_ctx_load(b, IR_I64, 0), IR_NONE, IR_NONE, 0, 0);
    ir_syscall(b, 0);
    const uint8_t *set = lower(b);
    ir_block_reset(b, 0x1000);
    ir_val one = ir_const(b, IR_F64, (int64_t)of_d(1.0)), three = ir_const(b, IR_F64, (int64_t)of_d(-3.0));
    ir_ctx_store(b, ir_fop(b, IR_FDIV, IR_F64, IR_RM_DYN, 0, one, three, IR_NONE), 8);
    ir_ctx_store(b, ir_fop(b, IR_FDIV, IR_F64, IR_RM_RUP, 0, one, three, IR_NONE), 16);
    ir_ctx_store(b, ir_fop(b, IR_FDIV, IR_F64, IR_RM_DYN, 0, one, three, IR_NONE), 24);
    ir_syscall(b, 0);
    const uint8_t *div = lower(b);
    ir_block_free(b);
    for (int rm = IR_RM_RNE; rm <= IR_RM_RUP; rm++) {
        uint32_t saved;
        __asm__ volatile("stmxcsr %0" : "=m"(saved));
        cpu[0] = (uint64_t)rm;
        enter(cpu, set);
        enter(cpu, div);
        __asm__ volatile("ldmxcsr %0" : : "m"(saved));
        volatile double o = 1.0, t3 = -3.0;
        fesetround(fe_of[rm]);
        double want = o / t3;
        fesetround(FE_UPWARD);
        double up = o / t3;
        fesetround(FE_TONEAREST);
        cr_assert_eq(cpu[1], of_d(want), "rm %d: %a, want %a", rm, as_d(cpu[1]), want);
        cr_assert_eq(cpu[2], of_d(up));
        cr_assert_eq(cpu[3], of_d(want), "the dynamic mode is back after a static one");
    }
}

/* ---- register pressure, calls, exits ---- */

/* Clobbers every xmm register, as any C function may. */
static uint64_t xmm_trasher(void *c, uint64_t a0, uint64_t a1, uint64_t a2)
{
    __asm__ volatile("pcmpeqd %%xmm0, %%xmm0; pcmpeqd %%xmm1, %%xmm1; pcmpeqd %%xmm2, %%xmm2;"
                     "pcmpeqd %%xmm3, %%xmm3; pcmpeqd %%xmm4, %%xmm4; pcmpeqd %%xmm5, %%xmm5;"
                     "pcmpeqd %%xmm6, %%xmm6; pcmpeqd %%xmm7, %%xmm7; pcmpeqd %%xmm8, %%xmm8;"
                     "pcmpeqd %%xmm9, %%xmm9; pcmpeqd %%xmm10, %%xmm10; pcmpeqd %%xmm11, %%xmm11;"
                     "pcmpeqd %%xmm12, %%xmm12; pcmpeqd %%xmm13, %%xmm13; pcmpeqd %%xmm14, %%xmm14;"
                     "pcmpeqd %%xmm15, %%xmm15" ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
                     "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    return a0 + a1 + a2;
}
static const ir_helper trasher = {"xmm_trasher", xmm_trasher, 3};

/* 20 live doubles (more than the 14 xmm registers), a CALL in the middle,
 * RMM and fmin slow paths (internal helper calls) with everything live. */
Test(x86_fp, spilling_and_calls_keep_floats)
{
    ir_block *b = ir_block_new(0x1000);
    ir_val v[20];
    double want = 0;
    for (int k = 0; k < 20; k++) {
        double d = (k + 1) * 1.25;
        cpu[k] = of_d(d);
        v[k] = ir_ctx_load(b, IR_F64, 8 * k);
    }
    ir_val n = ir_call(b, &trasher, ir_const(b, IR_I64, 1), ir_const(b, IR_I64, 2), ir_const(b, IR_I64, 3));
    ir_val acc = ir_fop(b, IR_FCVT_IF, IR_F64, IR_RM_DYN, IR_FP_SIGNED, n, IR_NONE, IR_NONE);
    want = 6;
    for (int k = 0; k < 20; k++) { /* squares in RMM: the helper, every value live */
        ir_val sq = ir_fop(b, IR_FMUL, IR_F64, IR_RM_RMM, 0, v[k], v[k], IR_NONE);
        acc = ir_fop(b, IR_FADD, IR_F64, IR_RM_DYN, 0, acc, sq, IR_NONE);
        want += as_d(cpu[k]) * as_d(cpu[k]);
    }
    for (int k = 0; k < 20; k++) {
        ir_val m = ir_fop(b, IR_FMIN, IR_F64, 0, 0, v[k], v[19 - k], IR_NONE);
        acc = ir_fop(b, IR_FSUB, IR_F64, IR_RM_DYN, 0, acc, m, IR_NONE);
        want -= fmin(as_d(cpu[k]), as_d(cpu[19 - k]));
    }
    ir_ctx_store(b, acc, 8 * 30);
    ir_syscall(b, 0);
    run(lower(b));
    ir_block_free(b);
    cr_assert_eq(cpu[30], of_d(want), "%g, want %g", as_d(cpu[30]), want);
}

Test(x86_fp, icache_sync_exit)
{
    ir_block *b = ir_block_new(0x1000);
    ir_icache_sync(b, 0x2468);
    x86_ret r = run(lower(b));
    ir_block_free(b);
    cr_assert_eq(r.reason, X86_EXIT_ICACHE);
    cr_assert_eq(cpu[32], 0x2468);
}
