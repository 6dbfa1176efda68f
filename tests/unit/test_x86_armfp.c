/* Arm's floating-point rules in the x86-64 lowering, against the Arm ARM
 * pseudocode written out here: FPProcessNaNs (a signalling NaN first,
 * quieted; then the first quiet NaN; FMA looks at its addend first; the
 * default NaN is positive; FPCR.DN makes every NaN result the default
 * NaN), and FPCR.FZ (FPUnpack flushes a denormal input to zero with IDC;
 * FPRound flushes a result tiny before rounding to zero with UFC alone).
 */
#include <criterion/criterion.h>
#include <fenv.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/x86_64/x86.h"
#include "tests/unit/x86_harness.h"

#define CODE_SIZE (4 << 20)
#define PC_OFF (8 * 32)
#define ENGINE_OFF (8 * 36)

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

TestSuite(x86_armfp, .init = setup);

/* Lower b and run it from a fresh guest FP state (engine bytes zero, the
 * host's default MXCSR), putting the host's MXCSR back after. */
static void run(ir_block *b)
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
    cpu[ENGINE_OFF / 8] = 0;
    uint32_t saved, fresh = 0x1f80;
    __asm__ volatile("stmxcsr %0" : "=m"(saved));
    __asm__ volatile("ldmxcsr %0" : : "m"(fresh));
    enter(cpu, code);
    __asm__ volatile("ldmxcsr %0" : : "m"(saved));
}

enum { IN0 = 0, IN1 = 1, IN2 = 2, OUT = 3, FLAGS = 4, MODE = 5 };
enum { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16, ID = 32 };

typedef struct case_run {
    ir_op op;
    ir_type t, st;     /* result and operand types */
    ir_round rm;
    unsigned mode;     /* IR_FPM_* */
    bool mode_in_reg;  /* FP_MODE_SET from a register, not a constant */
    uint64_t a, b, c;
    ir_round dyn;      /* not DYN: FP_RM_SET to it first */
    bool riscv;        /* IR_FP_CANON_NAN, not IR_FP_ARM_NAN */
} case_run;

/* mode; flags = 0; out = op(in0, in1, in2); flags out */
static void run_case(const case_run *k, uint64_t *res, unsigned *flags)
{
    ir_block *b = ir_block_new(0x1000);
    cpu[MODE] = k->mode;
    ir_val m = k->mode_in_reg ? ir_ctx_load(b, IR_I64, 8 * MODE) : ir_const(b, IR_I64, k->mode);
    ir_emit(b, IR_FP_MODE_SET, IR_VOID, m, IR_NONE, IR_NONE, 0, 0);
    ir_emit(b, IR_FP_FLAGS_SET, IR_VOID, ir_const(b, IR_I64, 0), IR_NONE, IR_NONE, 0, 0);
    if (k->dyn != IR_RM_DYN)
        ir_emit(b, IR_FP_RM_SET, IR_VOID, ir_const(b, IR_I64, k->dyn), IR_NONE, IR_NONE, 0, 0);
    int nargs = ir_info(k->op)->nargs;
    ir_val x = ir_ctx_load(b, k->st, 8 * IN0);
    ir_val y = nargs > 1 ? ir_ctx_load(b, k->t, 8 * IN1) : IR_NONE;
    ir_val z = nargs > 2 ? ir_ctx_load(b, k->t, 8 * IN2) : IR_NONE;
    ir_val r = ir_fop(b, k->op, k->t, k->rm, k->riscv ? IR_FP_CANON_NAN : IR_FP_ARM_NAN, x, y, z);
    ir_ctx_store(b, r, 8 * OUT);
    ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0),
                 8 * FLAGS);
    ir_goto(b, 0x2000);
    cpu[IN0] = k->a;
    cpu[IN1] = k->b;
    cpu[IN2] = k->c;
    run(b);
    ir_block_free(b);
    *res = k->t == IR_F32 ? (uint32_t)cpu[OUT] : cpu[OUT];
    *flags = (unsigned)cpu[FLAGS];
}

/* ---- the Arm ARM model of NaNs ---- */

typedef struct fmt { int mb; uint64_t sign, inf, quiet; } fmt;
static fmt fmt_of(ir_type t)
{
    return t == IR_F32 ? (fmt){23, 1u << 31, 0x7f800000, 1u << 22}
                       : (fmt){52, UINT64_C(1) << 63, UINT64_C(0x7ff) << 52, UINT64_C(1) << 51};
}
static bool is_nan(uint64_t v, fmt f) { return (v & f.inf) == f.inf && (v & (f.quiet * 2 - 1)); }
static bool is_snan(uint64_t v, fmt f) { return is_nan(v, f) && !(v & f.quiet); }
static uint64_t default_nan(fmt f) { return f.inf | f.quiet; }

/* FPProcessNaNs over ops in order; false if none is a NaN */
static bool process_nans(const uint64_t *ops, int n, fmt f, bool dn, uint64_t *r, bool *inv)
{
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < n; k++)
            if (pass == 0 ? is_snan(ops[k], f) : is_nan(ops[k], f)) {
                *inv = pass == 0;
                *r = dn ? default_nan(f) : ops[k] | f.quiet;
                return true;
            }
    return false;
}

static const uint64_t vals64[] = {
    0x3ff8000000000000, 0xfff8aaa000000001, 0x7ff8bbb000000002, 0xfff0aaa000000003,
    0x7ff0bbb000000004, 0x7ff0000000000000, 0xfff0000000000000, 0,
};
static const uint64_t vals32[] = {
    0x3fc00000, 0xffc0aaa1, 0x7fc0bbb2, 0xff80aaa3, 0x7f80bbb4, 0x7f800000, 0xff800000, 0,
};
#define N_VALS 8

static uint64_t val(ir_type t, int k) { return t == IR_F32 ? vals32[k] : vals64[k]; }
static double as_d(uint64_t u, ir_type t)
{
    if (t == IR_F32) {
        float f;
        uint32_t v = (uint32_t)u;
        memcpy(&f, &v, 4);
        return f;
    }
    double d;
    memcpy(&d, &u, 8);
    return d;
}
static uint64_t of_d(double d, ir_type t)
{
    if (t == IR_F32) {
        float f = (float)d;
        uint32_t v;
        memcpy(&v, &f, 4);
        return v;
    }
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

/* The non-NaN answer of op (exact for the table's values): host arithmetic */
static double host(ir_op op, double a, double b, double c)
{
    switch (op) {
    case IR_FADD: return a + b;
    case IR_FSUB: return a - b;
    case IR_FMUL: return a * b;
    case IR_FDIV: return a / b;
    case IR_FSQRT: return sqrt(a);
    case IR_FMA: return fma(a, b, c);
    case IR_FMIN: return fmin(a, b);
    default: return fmax(a, b);
    }
}

/* What Arm gives for op on (a, b, c): result bits and whether invalid. */
static uint64_t arm_model(ir_op op, ir_type t, uint64_t a, uint64_t b, uint64_t c, bool dn,
                          bool rtz, bool *inv)
{
    fmt f = fmt_of(t);
    uint64_t r, ops[3] = {a, b, c}, fma_ops[3] = {c, a, b};
    int n = ir_info(op)->nargs;
    *inv = false;
    if (op == IR_FMA) {
        bool infzero = ((a & ~f.sign) == f.inf && (b & ~f.sign) == 0) ||
                       ((a & ~f.sign) == 0 && (b & ~f.sign) == f.inf);
        bool any_snan = is_snan(a, f) || is_snan(b, f) || is_snan(c, f);
        if (!any_snan && is_nan(c, f) && infzero) {
            *inv = true;
            return default_nan(f);
        }
        if (process_nans(fma_ops, 3, f, dn, &r, inv))
            return r;
    } else if (op == IR_FMIN || op == IR_FMAX) { /* FMINNM / FMAXNM */
        bool qa = is_nan(a, f) && !is_snan(a, f), qb = is_nan(b, f) && !is_snan(b, f);
        if (qa && !is_nan(b, f))
            return b;
        if (qb && !is_nan(a, f))
            return a;
        if (process_nans(ops, 2, f, dn, &r, inv))
            return r;
    } else if (process_nans(ops, n, f, dn, &r, inv)) {
        return r;
    }
    fesetround(rtz ? FE_TOWARDZERO : FE_TONEAREST);
    double h = t == IR_F32 && op == IR_FSQRT ? sqrtf((float)as_d(a, t))
                                              : host(op, as_d(a, t), as_d(b, t), as_d(c, t));
    fesetround(FE_TONEAREST);
    if (isnan(h)) {
        *inv = true;
        return default_nan(f);
    }
    return of_d(h, t);
}

static void check_nan_rules(ir_op op)
{
    int n = ir_info(op)->nargs, nb = n > 1 ? N_VALS : 1, nc = n > 2 ? N_VALS : 1;
    bool has_rm = ir_info(op)->flags & F_USES_RM;
    for (int t = IR_F32; t <= IR_F64; t++)
        for (int dn = 0; dn < 2; dn++)
            for (int rm = 0; rm < (has_rm ? 2 : 1); rm++)
                for (int i = 0; i < N_VALS; i++)
                    for (int j = 0; j < nb; j++)
                        for (int k = 0; k < nc; k++) {
                            case_run cr = {.op = op, .t = (ir_type)t, .st = (ir_type)t,
                                           .rm = rm ? IR_RM_RTZ : IR_RM_DYN,
                                           .mode = dn ? IR_FPM_DEFAULT_NAN : 0,
                                           .mode_in_reg = (i + j) & 1,
                                           .a = val(t, i), .b = val(t, j), .c = val(t, k)};
                            uint64_t got;
                            unsigned fl;
                            bool inv;
                            run_case(&cr, &got, &fl);
                            uint64_t want = arm_model(op, cr.t, cr.a, cr.b, cr.c, dn, rm, &inv);
                            cr_expect_eq(got, want, "%s t%d dn%d rm%d (%lx %lx %lx): %lx, want %lx",
                                         ir_info(op)->name, t, dn, rm, (unsigned long)cr.a,
                                         (unsigned long)cr.b, (unsigned long)cr.c,
                                         (unsigned long)got, (unsigned long)want);
                            cr_expect_eq(!!(fl & NV), inv, "%s invalid (%lx %lx %lx)",
                                         ir_info(op)->name, (unsigned long)cr.a,
                                         (unsigned long)cr.b, (unsigned long)cr.c);
                            cr_expect(!(fl & ID), "no IDC without FZ");
                        }
}

Test(x86_armfp, add_sub_nans) { check_nan_rules(IR_FADD); check_nan_rules(IR_FSUB); }
Test(x86_armfp, mul_div_nans) { check_nan_rules(IR_FMUL); check_nan_rules(IR_FDIV); }
Test(x86_armfp, sqrt_nans) { check_nan_rules(IR_FSQRT); }
Test(x86_armfp, fma_addend_first) { check_nan_rules(IR_FMA); }
Test(x86_armfp, fma_without_fma3)
{
    x86_cpu.fma3 = false;
    check_nan_rules(IR_FMA);
}
Test(x86_armfp, minnum_maxnum_nans) { check_nan_rules(IR_FMIN); check_nan_rules(IR_FMAX); }

/* FPConvertNaN keeps the top fraction bits; FPCR.DN gives the default NaN */
Test(x86_armfp, fcvt_nans)
{
    for (int to = IR_F32; to <= IR_F64; to++)
        for (int dn = 0; dn < 2; dn++)
            for (int rm = 0; rm < 2; rm++)
                for (int i = 0; i < N_VALS; i++) {
                    ir_type t = (ir_type)to, st = t == IR_F32 ? IR_F64 : IR_F32;
                    fmt fs = fmt_of(st), ft = fmt_of(t);
                    case_run cr = {.op = IR_FCVT_FF, .t = t, .st = st,
                                   .rm = rm ? IR_RM_RTZ : IR_RM_DYN,
                                   .mode = dn ? IR_FPM_DEFAULT_NAN : 0, .a = val(st, i)};
                    uint64_t got, want;
                    unsigned fl;
                    run_case(&cr, &got, &fl);
                    bool inv = is_snan(cr.a, fs);
                    if (!is_nan(cr.a, fs)) {
                        want = of_d(as_d(cr.a, st), t);
                    } else if (dn) {
                        want = default_nan(ft);
                    } else {
                        uint64_t frac = cr.a & (fs.quiet * 2 - 1);
                        frac = ft.mb > fs.mb ? frac << (ft.mb - fs.mb) : frac >> (fs.mb - ft.mb);
                        want = (cr.a & fs.sign ? ft.sign : 0) | ft.inf | ft.quiet | frac;
                    }
                    cr_expect_eq(got, want, "fcvt to t%d dn%d (%lx): %lx, want %lx", to, dn,
                                 (unsigned long)cr.a, (unsigned long)got, (unsigned long)want);
                    cr_expect_eq(!!(fl & NV), inv);
                }
}

/* ---- FPCR.FZ ---- */

#define D(x) of_d(x, IR_F64)
#define DENORM 0x0000000000000001ULL
#define NDENORM 0x8000000000000001ULL
#define FDENORM 0x00000001ULL

typedef struct fz_case {
    ir_op op;
    ir_type t, st;
    unsigned mode;
    uint64_t a, b, c;
    uint64_t want;
    unsigned flags;
} fz_case;

static const fz_case fz_cases[] = {
    /* inputs: a denormal is a zero of its sign, with IDC and nothing else */
    {IR_FADD, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, DENORM, 0x3ff0000000000000, 0, 0x3ff0000000000000, ID},
    {IR_FMUL, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, NDENORM, 0x4000000000000000, 0, 0x8000000000000000, ID},
    {IR_FSQRT, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, NDENORM, 0, 0, 0x8000000000000000, ID},
    {IR_FDIV, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, DENORM, DENORM, 0, 0x7ff8000000000000, ID | NV},
    {IR_FMA, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, DENORM, 0x3ff0000000000000, 0x3ff0000000000000,
     0x3ff0000000000000, ID},
    {IR_FADD, IR_F32, IR_F32, IR_FPM_FLUSH_ZERO, FDENORM, 0x3f800000, 0, 0x3f800000, ID},
    /* results tiny before rounding: a zero of their sign, UFC without IXC */
    {IR_FMUL, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, 0x01a56e1fc2f8f359 /* 1e-300 */,
     0x3ddb7cdfd9d7bdbb /* 1e-10 */, 0, 0, UF},
    {IR_FMUL, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, 0x0010000000000000, 0xbfe0000000000000, 0,
     0x8000000000000000, UF}, /* exact -2^-1023 */
    {IR_FMUL, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO, 0x0010000000000000, 0x3fefffffffffffff, 0, 0,
     UF}, /* rounds up to 2^-1022 but is tiny before rounding */
    {IR_FCVT_FF, IR_F32, IR_F64, IR_FPM_FLUSH_ZERO, 0x37a16c262777579c /* 1e-40 */, 0, 0, 0, UF},
    {IR_FADD, IR_F64, IR_F64, IR_FPM_FLUSH_ZERO | IR_FPM_DEFAULT_NAN, 0x3ff0000000000000,
     0x01a56e1fc2f8f359, 0, 0x3ff0000000000000, NX}, /* normal results round as ever */
    /* without FZ: denormals are numbers, and x86's DE is not IDC */
    {IR_FADD, IR_F64, IR_F64, 0, DENORM, 0x3ff0000000000000, 0, 0x3ff0000000000000, NX},
    {IR_FMUL, IR_F64, IR_F64, 0, 0x0010000000000000, 0x3fe0000000000000, 0, 0x0008000000000000, 0},
    {IR_FMUL, IR_F64, IR_F64, 0, DENORM, 0x4000000000000000, 0, 2, 0},
};

Test(x86_armfp, flush_to_zero_table)
{
    for (size_t i = 0; i < sizeof fz_cases / sizeof fz_cases[0]; i++)
        for (int reg = 0; reg < 2; reg++) {
            const fz_case *z = &fz_cases[i];
            case_run cr = {.op = z->op, .t = z->t, .st = z->st, .rm = IR_RM_DYN,
                           .mode = z->mode, .mode_in_reg = reg, .a = z->a, .b = z->b, .c = z->c};
            uint64_t got;
            unsigned fl;
            run_case(&cr, &got, &fl);
            cr_expect_eq(got, z->want, "case %zu reg %d: %lx, want %lx", i, reg,
                         (unsigned long)got, (unsigned long)z->want);
            cr_expect_eq(fl, z->flags, "case %zu reg %d: flags %x, want %x", i, reg, fl, z->flags);
        }
}

/* IDC goes in and out through the flags ops like the others */
Test(x86_armfp, idc_flag_set_and_get)
{
    for (int k = 0; k < 64; k += 5) {
        ir_block *b = ir_block_new(0x1000);
        ir_emit(b, IR_FP_FLAGS_SET, IR_VOID, ir_ctx_load(b, IR_I64, 8 * IN0), IR_NONE, IR_NONE, 0, 0);
        ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0),
                     8 * FLAGS);
        ir_emit(b, IR_FP_FLAGS_SET, IR_VOID, ir_const(b, IR_I64, k ^ 63), IR_NONE, IR_NONE, 0, 0);
        ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0),
                     8 * OUT);
        ir_goto(b, 0x2000);
        cpu[IN0] = (uint64_t)k;
        run(b);
        ir_block_free(b);
        cr_expect_eq(cpu[FLAGS], (uint64_t)k);
        cr_expect_eq(cpu[OUT], (uint64_t)(k ^ 63));
    }
}

/* The RMM byte's two bits are independent: FZ on and off keeps RMM. */
Test(x86_armfp, rmm_survives_mode_changes)
{
    ir_block *b = ir_block_new(0x1000);
    ir_emit(b, IR_FP_RM_SET, IR_VOID, ir_const(b, IR_I64, IR_RM_RMM), IR_NONE, IR_NONE, 0, 0);
    ir_emit(b, IR_FP_MODE_SET, IR_VOID, ir_const(b, IR_I64, IR_FPM_FLUSH_ZERO), IR_NONE, IR_NONE, 0, 0);
    ir_emit(b, IR_FP_MODE_SET, IR_VOID, ir_ctx_load(b, IR_I64, 8 * MODE), IR_NONE, IR_NONE, 0, 0);
    ir_val r = ir_fop(b, IR_FADD, IR_F64, IR_RM_DYN, IR_FP_ARM_NAN, ir_ctx_load(b, IR_F64, 8 * IN0),
                      ir_ctx_load(b, IR_F64, 8 * IN1), IR_NONE);
    ir_ctx_store(b, r, 8 * OUT);
    ir_goto(b, 0x2000);
    cpu[MODE] = 0;
    cpu[IN0] = 0x3ff0000000000000;
    cpu[IN1] = 0x3ca0000000000000; /* 2^-53: a tie */
    run(b);
    ir_block_free(b);
    cr_expect_eq(cpu[OUT], 0x3ff0000000000001, "ties away from zero");
}

/* ---- tininess: Arm before rounding, RISC-V (and x86) after ---- */

/* FPRound: underflow when the exact value is below the smallest normal
 * and the result inexact, whatever the rounding.  IEEE 754's "after
 * rounding" (RISC-V) asks instead whether rounding at full precision with
 * an unbounded exponent stays below it.  They differ only for an exact
 * value just below the smallest normal that rounds up to it. */
#define MIN64 0x0010000000000000ULL
#define MAXD64 0x000fffffffffffffULL
#define MIN32 0x00800000ULL
#define MAXD32 0x007fffffULL
#define NXUF (NX | UF)

typedef struct tiny_case {
    ir_op op;
    ir_type t, st;
    uint64_t a, b, c;
    uint64_t want[5];          /* RNE RTZ RDN RUP RMM (ir_round order) */
    unsigned arm[5], rv[5];    /* flags */
} tiny_case;

#define ROUNDS_UP_TO(min, maxd) {min, maxd, maxd, min, min}
#define ALL(x) {x, x, x, x, x}
static const tiny_case tiny_cases[] = {
    /* (1 - 2^-52) * 2^-1022 (1 + 2^-52) = 2^-1022 (1 - 2^-104) */
    {IR_FMUL, IR_F64, IR_F64, 0x3fefffffffffffff - 1, MIN64 + 1, 0, ROUNDS_UP_TO(MIN64, MAXD64),
     ALL(NXUF), {NX, NXUF, NXUF, NX, NX}},
    /* (1 - 2^-23) * 2^-126 (1 + 2^-23) = 2^-126 (1 - 2^-46) */
    {IR_FMUL, IR_F32, IR_F32, 0x3f7ffffe, MIN32 + 1, 0, ROUNDS_UP_TO(MIN32, MAXD32),
     ALL(NXUF), {NX, NXUF, NXUF, NX, NX}},
    /* 2^-1022 (1 + 2^-53 - 2^-105): above, not tiny for either */
    {IR_FMUL, IR_F64, IR_F64, 0x3fefffffffffffff, MIN64 + 1, 0,
     {MIN64, MIN64, MIN64, MIN64 + 1, MIN64}, ALL(NX), ALL(NX)},
    /* 2^-1022 exactly: no flags */
    {IR_FMUL, IR_F64, IR_F64, 0x3ff0000000000000, MIN64, 0, ALL(MIN64), ALL(0), ALL(0)},
    /* 2^-1022 (1 - 2^-53): representable at full precision, tiny for both */
    {IR_FMUL, IR_F64, IR_F64, 0x3fefffffffffffff, MIN64, 0, ROUNDS_UP_TO(MIN64, MAXD64),
     ALL(NXUF), ALL(NXUF)},
    /* 2^-600 * -2^-500 + 2^-1022 */
    {IR_FMA, IR_F64, IR_F64, 0x1a70000000000000, 0xa0b0000000000000, MIN64,
     ROUNDS_UP_TO(MIN64, MAXD64), ALL(NXUF), {NX, NXUF, NXUF, NX, NX}},
    {IR_FMA, IR_F64, IR_F64, 0x1a70000000000000, 0x20b0000000000000, MIN64,
     {MIN64, MIN64, MIN64, MIN64 + 1, MIN64}, ALL(NX), ALL(NX)},
    /* 2^-80 * -2^-80 + 2^-126 */
    {IR_FMA, IR_F32, IR_F32, 0x17800000, 0x97800000, MIN32, ROUNDS_UP_TO(MIN32, MAXD32),
     ALL(NXUF), {NX, NXUF, NXUF, NX, NX}},
    /* double to single: 2^-126 (1 - 2^-30), (1 + 2^-30), exactly 2^-126 */
    {IR_FCVT_FF, IR_F32, IR_F64, 0x380fffffff800000, 0, 0, ROUNDS_UP_TO(MIN32, MAXD32),
     ALL(NXUF), {NX, NXUF, NXUF, NX, NX}},
    {IR_FCVT_FF, IR_F32, IR_F64, 0x3810000000400000, 0, 0,
     {MIN32, MIN32, MIN32, MIN32 + 1, MIN32}, ALL(NX), ALL(NX)},
    {IR_FCVT_FF, IR_F32, IR_F64, 0x3810000000000000, 0, 0, ALL(MIN32), ALL(0), ALL(0)},
    /* sums near the smallest normal are exact */
    {IR_FADD, IR_F64, IR_F64, MIN64 + 1, 0x8000000000000001, 0, ALL(MIN64), ALL(0), ALL(0)},
    {IR_FADD, IR_F64, IR_F64, MIN64, 0x8000000000000001, 0, ALL(MAXD64), ALL(0), ALL(0)},
    {IR_FADD, IR_F32, IR_F32, MIN32 + 3, 0x80000003, 0, ALL(MIN32), ALL(0), ALL(0)},
    /* 2^-1022 (1 + 2^-52) / (1 + 2^-51) = 2^-1022 (1 - 2^-52 + 2^-103 - ..):
     * tiny after rounding too, even where it rounds up */
    {IR_FDIV, IR_F64, IR_F64, MIN64 + 1, 0x3ff0000000000002, 0,
     {MAXD64, MAXD64, MAXD64, MIN64, MAXD64}, ALL(NXUF), ALL(NXUF)},
    {IR_FDIV, IR_F64, IR_F64, MIN64 + 1, 0x3ff0000000000001, 0, ALL(MIN64), ALL(0), ALL(0)},
};

/* The same case with the result's sign flipped: RDN and RUP trade places. */
static void negate_case(case_run *cr, ir_op op)
{
    uint64_t ss = fmt_of(cr->st).sign, s = fmt_of(cr->t).sign;
    cr->a ^= ss;
    if (op == IR_FADD)
        cr->b ^= s;
    if (op == IR_FMA)
        cr->c ^= s;
}

static void check_tiny_table(void)
{
    for (size_t i = 0; i < sizeof tiny_cases / sizeof tiny_cases[0]; i++)
        for (int neg = 0; neg < 2; neg++)
            for (int rm = IR_RM_RNE; rm <= IR_RM_RMM; rm++)
                for (int how = 0; how < 4; how++) { /* static / dyn, Arm / RISC-V */
                    const tiny_case *z = &tiny_cases[i];
                    bool dyn = how & 1, rv = how & 2;
                    case_run cr = {.op = z->op, .t = z->t, .st = z->st, .a = z->a, .b = z->b,
                                   .c = z->c, .rm = dyn ? IR_RM_DYN : (ir_round)rm,
                                   .dyn = dyn ? (ir_round)rm : IR_RM_DYN, .riscv = rv};
                    int k = rm;
                    if (neg) {
                        negate_case(&cr, z->op);
                        k = rm == IR_RM_RDN ? IR_RM_RUP : rm == IR_RM_RUP ? IR_RM_RDN : rm;
                    }
                    uint64_t want = z->want[k - 1] ^ (neg ? fmt_of(z->t).sign : 0), got;
                    unsigned wfl = rv ? z->rv[k - 1] : z->arm[k - 1], fl;
                    run_case(&cr, &got, &fl);
                    cr_expect_eq(got, want, "case %zu neg %d rm %d dyn %d rv %d: %lx, want %lx",
                                 i, neg, rm, dyn, rv, (unsigned long)got, (unsigned long)want);
                    cr_expect_eq(fl, wfl, "case %zu neg %d rm %d dyn %d rv %d: flags %x, want %x",
                                 i, neg, rm, dyn, rv, fl, wfl);
                }
}

Test(x86_armfp, tininess_table) { check_tiny_table(); }
Test(x86_armfp, tininess_table_without_fma3)
{
    x86_cpu.fma3 = false;
    check_tiny_table();
}

/* ---- tininess on random operands near the smallest normal ---- */

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const int fe_of[] = {[IR_RM_RNE] = FE_TONEAREST, [IR_RM_RTZ] = FE_TOWARDZERO,
                            [IR_RM_RDN] = FE_DOWNWARD, [IR_RM_RUP] = FE_UPWARD};

/* op on the host in type t (FCVT_FF: a is a double), in rounding mode rm;
 * *fx gets the host's flags, which judge tininess after rounding. */
static uint64_t host_op(ir_op op, ir_type t, int rm, uint64_t a, uint64_t b, uint64_t c,
                        unsigned *fx)
{
    ir_type st = op == IR_FCVT_FF ? IR_F64 : t;
    volatile double x = as_d(a, st), y = as_d(b, t), z = as_d(c, t), r;
    volatile float xf = (float)x, yf = (float)y, zf = (float)z, rf;
    bool d = t == IR_F64;
    fesetround(fe_of[rm]);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case IR_FADD: if (d) r = x + y; else rf = xf + yf; break;
    case IR_FMUL: if (d) r = x * y; else rf = xf * yf; break;
    case IR_FDIV: if (d) r = x / y; else rf = xf / yf; break;
    case IR_FSQRT: if (d) r = sqrt(x); else rf = sqrtf(xf); break;
    case IR_FMA: if (d) r = fma(x, y, z); else rf = fmaf(xf, yf, zf); break;
    default: rf = (float)x; break; /* FCVT_FF */
    }
    int e = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    *fx = (e & FE_INEXACT ? NX : 0) | (e & FE_UNDERFLOW ? UF : 0) | (e & FE_OVERFLOW ? OF : 0) |
          (e & FE_DIVBYZERO ? DZ : 0) | (e & FE_INVALID ? NV : 0);
    return d ? of_d(r, t) : of_d(rf, t);
}

/* Arm's flags: the exact value is below the smallest normal exactly when
 * its truncation is (both monotonic, the smallest normal representable). */
static unsigned arm_flags(ir_op op, ir_type t, uint64_t a, uint64_t b, uint64_t c, unsigned fx)
{
    unsigned tfx;
    fmt f = fmt_of(t);
    uint64_t tz = host_op(op, t, IR_RM_RTZ, a, b, c, &tfx) & ~f.sign;
    bool tiny = tz < (UINT64_C(1) << f.mb);
    return (fx & ~UF) | ((fx & NX) && tiny ? UF : 0);
}

/* Operands of op whose exact result is near +-2^emin (or 2^emin/2, 2^(emin+1)) */
static void near_min(ir_op op, ir_type t, uint64_t *a, uint64_t *b, uint64_t *c)
{
    fmt f = fmt_of(t);
    uint64_t min = UINT64_C(1) << f.mb, unit;
    unsigned fx;
    int bias = t == IR_F64 ? 1023 : 127;
    uint64_t frac = next() & (min - 1);
    if (next() & 1)
        frac &= ~((UINT64_C(1) << next() % (unsigned)f.mb) - 1); /* short: exact products */
    uint64_t x = (uint64_t)(bias + (int)(next() % 41) - 20) << f.mb | frac;
    uint64_t p = next() % 3 == 0 ? min : next() & 1 ? min << 1 : min >> 1;
    *a = *b = *c = 0;
    unit = next() % 5 - 2;
    switch (op) {
    case IR_FMUL:
    case IR_FMA:
        *a = x;
        *b = host_op(IR_FDIV, t, IR_RM_RNE, p, x, 0, &fx) + unit;
        if (op == IR_FMA) { /* c = 2^emin - p, give or take a few denormal units */
            uint64_t k = next() % 4;
            *c = p == min ? k : p > min ? (min + k) | f.sign : (p - k);
            if (p == min && (next() & 1))
                *c |= f.sign;
        }
        break;
    case IR_FDIV:
        *b = x;
        *a = host_op(IR_FMUL, t, IR_RM_RNE, p, x, 0, &fx) + unit;
        break;
    case IR_FADD:
        *a = min + next() % 5;
        *b = (next() % 5) | f.sign;
        break;
    case IR_FSQRT:
        *a = next() % (min * 4);
        break;
    default: /* FCVT_FF double to single: around 2^-126 */
        *a = 0x3810000000000000 + (next() & ((UINT64_C(1) << next() % 35) - 1)) *
                                  (next() & 1 ? 1 : (uint64_t)-1);
        break;
    }
    if (op != IR_FSQRT && (next() & 1)) { /* the other sign */
        *a ^= op == IR_FCVT_FF ? UINT64_C(1) << 63 : f.sign;
        if (op == IR_FADD)
            *b ^= f.sign;
        if (op == IR_FMA)
            *c ^= f.sign;
    }
}

typedef struct tiny_count { int cases, differ; } tiny_count;

static void check_near_min(ir_op op, ir_type t, int n, tiny_count *cnt)
{
    fmt f = fmt_of(t);
    for (int rm = IR_RM_RNE; rm <= IR_RM_RUP; rm++)
        for (int i = 0; i < n; i++) {
            uint64_t a, b, c, got;
            unsigned fx, fl;
            near_min(op, t, &a, &b, &c);
            uint64_t want = host_op(op, t, rm, a, b, c, &fx);
            unsigned afx = arm_flags(op, t, a, b, c, fx);
            bool rv = i & 2, dyn = i & 1;
            case_run cr = {.op = op, .t = t, .st = op == IR_FCVT_FF ? IR_F64 : t, .a = a, .b = b,
                           .c = c, .rm = dyn ? IR_RM_DYN : (ir_round)rm,
                           .dyn = dyn ? (ir_round)rm : IR_RM_DYN, .riscv = rv};
            run_case(&cr, &got, &fl);
            cnt->cases++;
            cnt->differ += afx != fx && (want & ~f.sign) == (UINT64_C(1) << f.mb);
            cr_expect_eq(got, want, "%s.t%d rm %d (%lx %lx %lx): %lx, want %lx",
                         ir_info(op)->name, t, rm, (unsigned long)a, (unsigned long)b,
                         (unsigned long)c, (unsigned long)got, (unsigned long)want);
            cr_expect_eq(fl, rv ? fx : afx, "%s.t%d rm %d dyn %d rv %d (%lx %lx %lx): flags %x, want %x",
                         ir_info(op)->name, t, rm, dyn, rv, (unsigned long)a, (unsigned long)b,
                         (unsigned long)c, fl, rv ? fx : afx);
        }
}

Test(x86_armfp, tininess_near_min_normal)
{
    static const ir_op ops[] = {IR_FMUL, IR_FMA, IR_FDIV, IR_FADD, IR_FSQRT};
    tiny_count cnt[6] = {{0}};
    for (size_t o = 0; o < 5; o++)
        for (int t = IR_F32; t <= IR_F64; t++)
            check_near_min(ops[o], (ir_type)t, 1000, &cnt[o]);
    check_near_min(IR_FCVT_FF, IR_F32, 1000, &cnt[5]);
    cr_expect(cnt[0].differ > 40 && cnt[1].differ > 40 && cnt[5].differ > 40,
              "the rounding-up case comes up: fmul %d, fma %d, fcvt %d", cnt[0].differ,
              cnt[1].differ, cnt[5].differ);
    cr_expect(cnt[2].differ + cnt[3].differ + cnt[4].differ == 0, "fdiv, fadd, fsqrt never");
}
