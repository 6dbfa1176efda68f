/* NZCV flags values and v128 moves in the x86-64 lowering: small IR blocks
 * run natively (as in test_x86_lower.c) and checked against the Arm ARM's
 * pseudocode: AddWithCarry() for the flags of each operation,
 * ConditionHolds() for FLAGS_TEST, FPCompare's NZCV for FLAGS_FCMP.  Each
 * runs with lahf/sahf and with the pushf/popf fallback.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/engine.h"
#include "backend/x86_64/x86.h"
#include "tests/unit/x86_harness.h"

#define CODE_SIZE (1 << 20)
#define BLOCK_OFF 256
#define PC_OFF (8 * 32)
#define ENGINE_OFF (8 * 36)
#define OUT 64 /* cpu[OUT..]: results */
#define SAVED (OUT + 1 + IR_NUM_CONDS) /* the saved form of the flags */
#define V128_IN 128
#define V128_OUT 192

static uint8_t *rw, *rx;
static x86_enter_fn enter;
static x86_target tgt;
static x86_lowered low;
static uint64_t cpu[256] __attribute__((aligned(16)));
static x86_cpu_features saved_cpu;

static void setup(void)
{
    enter = x86_test_code(CODE_SIZE, &rw, &rx, &tgt, PC_OFF, ENGINE_OFF);
    x86_cpu_init();
    saved_cpu = x86_cpu;
}

TestSuite(x86_flags, .init = setup);

/* lahf = 0: the fallback; 1: lahf/sahf if the host has them. */
static void use_lahf(int on) { x86_cpu.lahf = on && saved_cpu.lahf; }

static x86_ret run(ir_block *b)
{
    char err[128];
    cr_assert(ir_verify(b, err, sizeof err), "bad test block: %s", err);
    int n = x86_lower_block(b, &tgt, rw + BLOCK_OFF, CODE_SIZE - BLOCK_OFF,
                            (uint64_t)rx + BLOCK_OFF, &low);
    cr_assert(n > 0, "lowering failed");
    return enter(cpu, rx + BLOCK_OFF);
}

/* ---- the Arm ARM model ---- */

enum { N = 8, Z = 4, C = 2, V = 1 };

static int64_t sext(int w, uint64_t x) { return w == 32 ? (int32_t)x : (int64_t)x; }

/* AddWithCarry(x, y, carry_in) at width w: its NZCV */
static unsigned add_with_carry(int w, uint64_t x, uint64_t y, unsigned cin)
{
    uint64_t m = w == 32 ? 0xffffffffu : ~UINT64_C(0);
    x &= m;
    y &= m;
    unsigned __int128 usum = (unsigned __int128)x + y + cin;
    __int128 ssum = (__int128)sext(w, x) + sext(w, y) + cin;
    uint64_t r = (uint64_t)usum & m;
    return (r >> (w - 1) & 1 ? N : 0) | (r == 0 ? Z : 0) | (usum != r ? C : 0) |
           (ssum != sext(w, r) ? V : 0);
}

static unsigned model_flags(ir_op op, int w, uint64_t x, uint64_t y, unsigned cin)
{
    switch (op) {
    case IR_FLAGS_ADD: return add_with_carry(w, x, y, 0);
    case IR_FLAGS_SUB: return add_with_carry(w, x, ~y, 1);
    case IR_FLAGS_ADC: return add_with_carry(w, x, y, cin);
    case IR_FLAGS_SBC: return add_with_carry(w, x, ~y, cin);
    default: return (sext(w, x) < 0 ? N : 0) | (sext(w, x) == 0 ? Z : 0); /* LOGIC */
    }
}

/* ConditionHolds(), with the IR's names for AArch64's conditions */
static bool condition_holds(ir_cond c, unsigned f)
{
    bool n = f & N, z = f & Z, cf = f & C, v = f & V;
    switch (c) {
    case IR_EQ: return z;
    case IR_NE: return !z;
    case IR_GEU: return cf;          /* cs / hs */
    case IR_LTU: return !cf;         /* cc / lo */
    case IR_MI: return n;
    case IR_PL: return !n;
    case IR_VS: return v;
    case IR_VC: return !v;
    case IR_GTU: return cf && !z;    /* hi */
    case IR_LEU: return !(cf && !z); /* ls */
    case IR_GE: return n == v;
    case IR_LT: return n != v;
    case IR_GT: return n == v && !z;
    default: return !(n == v && !z); /* le */
    }
}

static const uint64_t vals[] = {
    0, 1, UINT64_MAX, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xffffffff80000000,
    0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 0x123456789abcdef0,
    0x8000000000000001, 0xfffffffe,
};
#define N_VALS (sizeof vals / sizeof vals[0])

/* ---- integer flags ---- */

/* Operands: all loaded; y (or the carry) a constant; x a constant;
 * all in frame slots (more live values than registers). */
enum { ALL_REG, Y_CONST, X_CONST, SPILLED, N_SHAPES };

/* After the flags op: every test straight after it (EFLAGS reused, the
 * value never made), or TO_NZCV first and each test after a store (the
 * value made, and put back into EFLAGS for each test). */
enum { TESTS_NEXT, TESTS_LATER };

static ir_val load_or_const(ir_block *b, bool konst, ir_type t, int slot, uint64_t v)
{
    return konst ? ir_const(b, t, (int64_t)v) : ir_ctx_load(b, t, 8 * (uint32_t)slot);
}

static ir_val build_flags(ir_block *b, ir_op op, int w, int shape, uint64_t x, uint64_t y,
                          unsigned cin, ir_type t)
{
    cpu[0] = x;
    cpu[1] = y;
    cpu[2] = cin;
    ir_val vx = load_or_const(b, shape == X_CONST, t, 0, x);
    ir_val vy = load_or_const(b, shape == Y_CONST, t, 1, y);
    ir_val vc = load_or_const(b, shape == Y_CONST, IR_I64, 2, cin);
    if (shape == SPILLED) { /* live across 12 others, the operands go to slots */
        ir_val fill[12];
        for (int k = 0; k < 12; k++)
            fill[k] = ir_ctx_load(b, IR_I64, 8 * (3 + (uint32_t)k));
        for (int k = 0; k < 12; k++)
            ir_ctx_store(b, fill[k], 8 * (40 + (uint32_t)k));
    }
    bool carry = op == IR_FLAGS_ADC || op == IR_FLAGS_SBC;
    return ir_flags(b, op, w, vx, op == IR_FLAGS_LOGIC ? IR_NONE : vy, carry ? vc : IR_NONE);
}

static void check_flags(ir_op op, int w, int shape, int order, uint64_t x, uint64_t y,
                        unsigned cin, ir_type t)
{
    ir_block *b = ir_block_new(0x1000);
    ir_val f = build_flags(b, op, w, shape, x, y, cin, t);
    ir_val tests[IR_NUM_CONDS];
    if (order == TESTS_LATER) {
        ir_ctx_store(b, ir_emit(b, IR_FLAGS_TO_NZCV, IR_I64, f, IR_NONE, IR_NONE, 0, 0), 8 * OUT);
        ir_ctx_store(b, ir_emit(b, IR_FLAGS_SAVE, IR_I64, f, IR_NONE, IR_NONE, 0, 0), 8 * SAVED);
    }
    for (int k = 0; k < IR_NUM_CONDS; k++) {
        tests[k] = ir_flags_test(b, (ir_cond)k, f);
        if (order == TESTS_LATER)
            ir_ctx_store(b, tests[k], 8 * (OUT + 1 + (uint32_t)k));
    }
    if (order == TESTS_NEXT)
        for (int k = 0; k < IR_NUM_CONDS; k++)
            ir_ctx_store(b, tests[k], 8 * (OUT + 1 + (uint32_t)k));
    ir_syscall(b, 0x1004);
    memset(&cpu[OUT], 0x55, 8 * (IR_NUM_CONDS + 1));
    cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
    unsigned want = model_flags(op, w, x, y, cin);
    const char *name = ir_info(op)->name;
    if (order == TESTS_LATER) {
        cr_assert_eq(cpu[OUT], (uint64_t)want << 28, "%s.%d shape %d: %#lx, %#lx, c%u: nzcv %#lx, want %#x",
                     name, w, shape, x, y, cin, cpu[OUT], want << 28);
        cr_assert_eq(engine_nzcv_of_saved(cpu[SAVED]), want << 28, "%s.%d: saved form %#lx",
                     name, w, cpu[SAVED]);
    }
    for (int k = 0; k < IR_NUM_CONDS; k++)
        cr_assert_eq(cpu[OUT + 1 + k], condition_holds((ir_cond)k, want),
                     "%s.%d shape %d order %d: %#lx, %#lx, c%u (nzcv %x): %s gave %#lx", name, w,
                     shape, order, x, y, cin, want, ir_cond_name((ir_cond)k), cpu[OUT + 1 + k]);
    ir_block_free(b);
}

static void check_op(ir_op op)
{
    bool carry = op == IR_FLAGS_ADC || op == IR_FLAGS_SBC;
    for (int lahf = 0; lahf < 2; lahf++) {
        use_lahf(lahf);
        for (int w = 32; w <= 64; w += 32)
            for (int shape = 0; shape < N_SHAPES; shape++)
                for (int order = 0; order < 2; order++)
                    for (unsigned cin = 0; cin <= (unsigned)carry; cin++)
                        for (size_t i = 0; i < N_VALS; i++)
                            for (size_t j = 0; j < N_VALS; j++) {
                                /* at width 32 the operands may be i32 or i64 (junk above) */
                                ir_type t = w == 64 || (i + j) % 2 ? IR_I64 : IR_I32;
                                check_flags(op, w, shape, order, vals[i], vals[j], cin, t);
                            }
    }
    x86_cpu = saved_cpu;
}

Test(x86_flags, add) { check_op(IR_FLAGS_ADD); }
Test(x86_flags, sub) { check_op(IR_FLAGS_SUB); }
Test(x86_flags, adc) { check_op(IR_FLAGS_ADC); }
Test(x86_flags, sbc) { check_op(IR_FLAGS_SBC); }
Test(x86_flags, logic) { check_op(IR_FLAGS_LOGIC); }

/* A guest's `cmp; b.cond`: flags, insn boundary, test, constant 0, branch
 * on test != 0 or == 0, which then jumps on EFLAGS directly. */
Test(x86_flags, branch_on_test)
{
    for (int lahf = 0; lahf < 2; lahf++) {
        use_lahf(lahf);
        for (int k = 0; k < IR_NUM_CONDS; k++)
            for (int eq = 0; eq < 2; eq++)
                for (size_t i = 0; i < N_VALS; i++)
                    for (size_t j = 0; j < N_VALS; j += 3) {
                        ir_block *b = ir_block_new(0x1000);
                        ir_val f = build_flags(b, IR_FLAGS_SUB, 64, ALL_REG, vals[i], vals[j], 0, IR_I64);
                        ir_insn_start(b, 0x1004);
                        ir_val t = ir_flags_test(b, (ir_cond)k, f);
                        ir_branch(b, IR_I64, eq ? IR_EQ : IR_NE, t, ir_const(b, IR_I64, 0), 0x2000, 0x1008);
                        x86_ret r = run(b);
                        cr_assert_eq(r.reason, X86_EXIT_CHAIN);
                        bool holds = condition_holds((ir_cond)k, model_flags(IR_FLAGS_SUB, 64, vals[i], vals[j], 0));
                        cr_assert_eq(cpu[32], holds != eq ? 0x2000 : 0x1008, "%s%s on %#lx - %#lx",
                                     eq ? "!" : "", ir_cond_name((ir_cond)k), vals[i], vals[j]);
                        ir_block_free(b);
                    }
    }
    x86_cpu = saved_cpu;
}

/* aarch64's `cmp; cset` and `cmp; b.cond` with NZCV saved in between: the
 * saved image and its store leave EFLAGS alone, so the setcc and the
 * branch on the same operands reuse the compare (lw_compared), also after
 * a side exit on it (side: EXIT_IF on the inverse first); an add in
 * between (clobber) makes them compare again.  Either way the values are
 * C's, the saved form the Arm ARM's. */
/* One case: x, y compared at width w by cond k (how: CLOBBER, SIDE). */
enum { CLOBBER = 1, SIDE = 2 };
static void check_reuse(int w, int how, ir_cond k, uint64_t vx, uint64_t vy)
{
    ir_type t = w == 32 ? IR_I32 : IR_I64;
    ir_block *b = ir_block_new(0x1000);
    ir_val f = build_flags(b, IR_FLAGS_SUB, w, ALL_REG, vx, vy, 0, t);
    ir_val x = b->insns[f].a[0], y = b->insns[f].a[1];
    ir_ctx_store(b, ir_emit(b, IR_FLAGS_SAVE, IR_I64, f, IR_NONE, IR_NONE, 0, 0), 8 * SAVED);
    if (how & CLOBBER)
        ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 8 * 3), ir_const(b, IR_I64, 1)),
                     8 * 4);
    ir_ctx_store(b, ir_setcc(b, t, k, x, y), 8 * OUT);
    ir_insn_start(b, 0x1004);
    if (how & SIDE) {
        ir_val e = ir_emit(b, IR_EXIT_IF, t, x, y, IR_NONE, 0x3000, 0x1008);
        b->insns[e].cc = (uint8_t)ir_cond_inverse(k);
        b->n_side_exits++;
    }
    ir_branch(b, t, k, x, y, 0x2000, 0x1008);
    cpu[OUT] = 0x55;
    cr_assert_eq(run(b).reason, X86_EXIT_CHAIN);
    bool want = model_cond(k, w == 32 ? IR_I32 : IR_I64, (int64_t)vx, (int64_t)vy);
    const char *name = ir_cond_name(k);
    cr_assert_eq(cpu[OUT], want, "setcc %s.%d %#lx, %#lx (how %d)", name, w, vx, vy, how);
    cr_assert_eq(cpu[32], want ? 0x2000 : how & SIDE ? 0x3000 : 0x1008, "branch %s.%d %#lx, %#lx (how %d)",
                 name, w, vx, vy, how);
    cr_assert_eq(engine_nzcv_of_saved(cpu[SAVED]), model_flags(IR_FLAGS_SUB, w, vx, vy, 0) << 28);
    ir_block_free(b);
}

Test(x86_flags, compare_reused_after_its_flags_are_saved)
{
    for (int lahf = 0; lahf < 2; lahf++) {
        use_lahf(lahf);
        for (int w = 32; w <= 64; w += 32)
            for (int how = 0; how <= (CLOBBER | SIDE); how++)
                for (int k = IR_EQ; k <= IR_GTU; k++)
                    for (size_t i = 0; i < N_VALS; i++)
                        for (size_t j = 0; j < N_VALS; j += 2)
                            check_reuse(w, how, (ir_cond)k, vals[i], vals[j]);
    }
    x86_cpu = saved_cpu;
}

/* A guest's `cmp; csel`: select on a test, which then cmovs on EFLAGS;
 * with the chosen values loaded or constant, at i32 and i64, and the
 * test also one of the values (then made as usual). */
Test(x86_flags, select_on_test)
{
    for (int lahf = 0; lahf < 2; lahf++) {
        use_lahf(lahf);
        for (int k = 0; k < IR_NUM_CONDS; k++)
            for (int shape = 0; shape < 4; shape++)
                for (int t = IR_I32; t <= IR_I64; t++)
                    for (size_t i = 0; i < N_VALS; i += 2)
                        for (size_t j = 1; j < N_VALS; j += 3) {
                            ir_block *b = ir_block_new(0x1000);
                            ir_type ty = (ir_type)t;
                            ir_val f = build_flags(b, IR_FLAGS_SUB, 32, ALL_REG, vals[i], vals[j], 0, IR_I64);
                            cpu[3] = 0x1111111122222222ULL;
                            cpu[4] = 0x3333333344444444ULL;
                            ir_val x = shape == 1 ? ir_const(b, ty, 0) : ir_ctx_load(b, ty, 24);
                            ir_val y = shape == 2 ? ir_const(b, ty, -7) : ir_ctx_load(b, ty, 32);
                            ir_insn_start(b, 0x1004);
                            ir_val c = ir_flags_test(b, (ir_cond)k, f);
                            ir_val r = ir_select(b, ty, c, shape == 3 ? c : x, y);
                            ir_ctx_store(b, r, 8 * OUT);
                            ir_ctx_store(b, x, 8 * OUT + 8); /* x and y stay live */
                            ir_ctx_store(b, y, 8 * OUT + 16);
                            ir_syscall(b, 0);
                            cpu[OUT] = 0;
                            run(b);
                            bool holds = condition_holds((ir_cond)k, model_flags(IR_FLAGS_SUB, 32, vals[i], vals[j], 0));
                            uint64_t xv = shape == 1 ? 0 : shape == 3 ? 1 : cpu[3], yv = shape == 2 ? (uint64_t)-7 : cpu[4];
                            uint64_t want = holds ? xv : yv;
                            if (ty == IR_I32)
                                want = (uint32_t)want;
                            cr_assert_eq(cpu[OUT], want, "select on %s shape %d type %d: %#lx - %#lx: %#lx",
                                         ir_cond_name((ir_cond)k), shape, t, vals[i], vals[j], cpu[OUT]);
                            ir_block_free(b);
                        }
    }
    x86_cpu = saved_cpu;
}

/* Two flags values, the first tested after the second was made. */
Test(x86_flags, interleaved_values)
{
    for (int lahf = 0; lahf < 2; lahf++) {
        use_lahf(lahf);
        ir_block *b = ir_block_new(0x1000);
        cpu[0] = 5;
        cpu[1] = 7;
        ir_val x = ir_ctx_load(b, IR_I64, 0), y = ir_ctx_load(b, IR_I64, 8);
        ir_val f1 = ir_flags(b, IR_FLAGS_SUB, 64, x, y, IR_NONE); /* 5 - 7: lt, lo */
        ir_val f2 = ir_flags(b, IR_FLAGS_SUB, 64, y, x, IR_NONE); /* 7 - 5: gt, hi */
        ir_val t1 = ir_flags_test(b, IR_LT, f1), t2 = ir_flags_test(b, IR_GTU, f2);
        ir_val t3 = ir_flags_test(b, IR_LTU, f1), t4 = ir_flags_test(b, IR_GT, f1);
        ir_ctx_store(b, t1, 8 * OUT);
        ir_ctx_store(b, t2, 8 * OUT + 8);
        ir_ctx_store(b, t3, 8 * OUT + 16);
        ir_ctx_store(b, t4, 8 * OUT + 24);
        ir_syscall(b, 0);
        run(b);
        cr_assert_eq(cpu[OUT], 1);
        cr_assert_eq(cpu[OUT + 1], 1);
        cr_assert_eq(cpu[OUT + 2], 1);
        cr_assert_eq(cpu[OUT + 3], 0);
        ir_block_free(b);
    }
    x86_cpu = saved_cpu;
}

/* ---- NZCV in and out ---- */

Test(x86_flags, nzcv_round_trip)
{
    for (int lahf = 0; lahf < 2; lahf++) {
        use_lahf(lahf);
        for (unsigned n = 0; n < 16; n++)
            for (int konst = 0; konst < 2; konst++) {
                ir_block *b = ir_block_new(0x1000);
                /* the other bits of the source do not matter */
                uint64_t src = (uint64_t)n << 28 | 0xabcdef000ffffffULL;
                cpu[0] = src;
                ir_val v = konst ? ir_const(b, IR_I32, (int32_t)(n << 28 | 0x0abcdef)) : ir_ctx_load(b, IR_I64, 0);
                ir_val f = ir_emit(b, IR_FLAGS_FROM_NZCV, IR_I64, v, IR_NONE, IR_NONE, 0, 0);
                ir_val back = ir_emit(b, IR_FLAGS_TO_NZCV, IR_I64, f, IR_NONE, IR_NONE, 0, 0);
                ir_ctx_store(b, back, 8 * OUT);
                for (int k = 0; k < IR_NUM_CONDS; k++)
                    ir_ctx_store(b, ir_flags_test(b, (ir_cond)k, f), 8 * (OUT + 1 + (uint32_t)k));
                ir_syscall(b, 0);
                run(b);
                cr_assert_eq(cpu[OUT], (uint64_t)n << 28, "nzcv %x came back as %#lx", n, cpu[OUT]);
                for (int k = 0; k < IR_NUM_CONDS; k++)
                    cr_assert_eq(cpu[OUT + 1 + k], condition_holds((ir_cond)k, n), "nzcv %x: %s",
                                 n, ir_cond_name((ir_cond)k));
                ir_block_free(b);
            }
    }
    x86_cpu = saved_cpu;
}

/* The saved form the CPU state keeps between blocks (opaque: the raw
 * image, whose 0 is C = 1): what engine_saved_of_nzcv makes,
 * FLAGS_RESTORE reads as those flags. */
Test(x86_flags, saved_form_round_trip)
{
    for (int lahf = 0; lahf < 2; lahf++) {
        use_lahf(lahf);
        for (unsigned n = 0; n < 16; n++) {
            cr_assert_eq(engine_nzcv_of_saved(engine_saved_of_nzcv(n << 28)), n << 28);
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = engine_saved_of_nzcv(n << 28);
            ir_val f = ir_emit(b, IR_FLAGS_RESTORE, IR_I64, ir_ctx_load(b, IR_I64, 0), IR_NONE,
                               IR_NONE, 0, 0);
            ir_ctx_store(b, ir_emit(b, IR_FLAGS_TO_NZCV, IR_I64, f, IR_NONE, IR_NONE, 0, 0), 8 * OUT);
            for (int k = 0; k < IR_NUM_CONDS; k++)
                ir_ctx_store(b, ir_flags_test(b, (ir_cond)k, f), 8 * (OUT + 1 + (uint32_t)k));
            ir_ctx_store(b, ir_emit(b, IR_FLAGS_SAVE, IR_I64, f, IR_NONE, IR_NONE, 0, 0), 8 * SAVED);
            ir_syscall(b, 0);
            run(b);
            cr_assert_eq(cpu[OUT], (uint64_t)n << 28, "nzcv %x came back as %#lx", n, cpu[OUT]);
            for (int k = 0; k < IR_NUM_CONDS; k++)
                cr_assert_eq(cpu[OUT + 1 + k], condition_holds((ir_cond)k, n), "nzcv %x: %s", n,
                             ir_cond_name((ir_cond)k));
            cr_assert_eq(engine_nzcv_of_saved(cpu[SAVED]), n << 28);
            ir_block_free(b);
        }
    }
    x86_cpu = saved_cpu;
}

/* ---- floating-point compares ---- */

enum { LESS = N, EQUAL = Z | C, GREATER = C, UNORDERED = C | V };

static const double dvals[] = {0.0, -0.0, 1.0, -1.0, 0x1p-1060, 1.5, INFINITY, -INFINITY,
                               NAN, -NAN, 0x1.fffffffffffffp1023};
#define N_DVALS (sizeof dvals / sizeof dvals[0])
#define N_FVALS (N_DVALS + 2) /* and two sNaNs */

static uint64_t fbits(ir_type t, size_t k)
{
    if (k >= N_DVALS)
        return t == IR_F64 ? (k == N_DVALS ? 0x7ff4000000000000ULL : 0xfff0000000000001ULL)
                           : (k == N_DVALS ? 0x7fa00000u : 0xff800001u);
    if (t == IR_F64) {
        uint64_t u;
        memcpy(&u, &dvals[k], 8);
        return u;
    }
    float f = (float)dvals[k];
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static bool is_nan_bits(ir_type t, uint64_t u)
{
    return t == IR_F64 ? (u & ~(1ULL << 63)) > 0x7ff0000000000000ULL : (u & 0x7fffffff) > 0x7f800000;
}

static bool is_snan_bits(ir_type t, uint64_t u)
{
    return is_nan_bits(t, u) && !(t == IR_F64 ? u >> 51 & 1 : u >> 22 & 1);
}

static double to_double(ir_type t, uint64_t u)
{
    if (t == IR_F64) {
        double d;
        memcpy(&d, &u, 8);
        return d;
    }
    float f;
    uint32_t w = (uint32_t)u;
    memcpy(&f, &w, 4);
    return f;
}

Test(x86_flags, fcmp_special_values)
{
    for (int t = IR_F32; t <= IR_F64; t++)
        for (int signal = 0; signal < 2; signal++)
            for (size_t i = 0; i < N_FVALS; i++)
                for (size_t j = 0; j < N_FVALS; j++) {
                    ir_type ft = (ir_type)t;
                    uint64_t a = fbits(ft, i), bb = fbits(ft, j);
                    use_lahf((int)(i + j) % 2);
                    ir_block *b = ir_block_new(0x1000);
                    cpu[0] = a;
                    cpu[1] = bb;
                    ir_emit(b, IR_FP_FLAGS_SET, IR_VOID, ir_const(b, IR_I64, 0), IR_NONE, IR_NONE, 0, 0);
                    ir_val x = ir_ctx_load(b, ft, 0), y = ir_ctx_load(b, ft, 8);
                    ir_val f = ir_emit(b, IR_FLAGS_FCMP, IR_I64, x, y, IR_NONE, 0, 0);
                    b->insns[f].aux = signal ? IR_FP_SIGNAL : 0;
                    ir_ctx_store(b, ir_emit(b, IR_FLAGS_TO_NZCV, IR_I64, f, IR_NONE, IR_NONE, 0, 0), 8 * OUT);
                    ir_ctx_store(b, ir_flags_test(b, IR_GE, f), 8 * OUT + 8);
                    ir_ctx_store(b, ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0), 8 * OUT + 16);
                    ir_syscall(b, 0);
                    run(b);
                    bool nan = is_nan_bits(ft, a) || is_nan_bits(ft, bb);
                    double da = to_double(ft, a), db = to_double(ft, bb);
                    unsigned want = nan ? UNORDERED : da < db ? LESS : da == db ? EQUAL : GREATER;
                    bool invalid = signal ? nan : is_snan_bits(ft, a) || is_snan_bits(ft, bb);
                    cr_assert_eq(cpu[OUT], (uint64_t)want << 28, "fcmp%s.%s %#lx, %#lx: %#lx, want %x",
                                 signal ? "e" : "", t == IR_F64 ? "f64" : "f32", a, bb, cpu[OUT], want);
                    cr_assert_eq(cpu[OUT + 1], condition_holds(IR_GE, want));
                    cr_assert_eq(cpu[OUT + 2], invalid ? (uint64_t)IR_FX_INVALID : 0,
                                 "fcmp%s %#lx, %#lx raised %#lx", signal ? "e" : "", a, bb, cpu[OUT + 2]);
                    ir_block_free(b);
                }
    x86_cpu = saved_cpu;
}

/* ---- v128 moves ---- */

static void fill_pattern(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t k = 0; k < n; k++)
        p[k] = (uint8_t)(seed * 131 + k * 7 + 1);
}

Test(x86_flags, v128_through_ctx_and_memory)
{
    static uint8_t src[64], dst[64];
    for (int off = 0; off < 3; off++) {
        fill_pattern(src, sizeof src, 3);
        memset(dst, 0xee, sizeof dst);
        fill_pattern((uint8_t *)&cpu[V128_IN], 32, 9);
        memset(&cpu[V128_OUT], 0, 64);
        ir_block *b = ir_block_new(0x1000);
        cpu[0] = (uint64_t)(uintptr_t)(src + off);
        cpu[1] = (uint64_t)(uintptr_t)(dst + 2 * off + 1);
        ir_val m = ir_load(b, IR_V128, IR_M64, ir_ctx_load(b, IR_I64, 0));
        ir_val q = ir_ctx_load(b, IR_V128, 8 * V128_IN);
        ir_store(b, IR_M64, ir_ctx_load(b, IR_I64, 8), q);
        ir_ctx_store(b, m, 8 * V128_OUT);
        ir_syscall(b, 0);
        run(b);
        cr_assert_eq(memcmp(&cpu[V128_OUT], src + off, 16), 0);
        cr_assert_eq(cpu[V128_OUT + 2], 0, "only 16 bytes stored");
        cr_assert_eq(memcmp(dst + 2 * off + 1, &cpu[V128_IN], 16), 0);
        cr_assert_eq(dst[2 * off], 0xee);
        cr_assert_eq(dst[2 * off + 17], 0xee);
        ir_block_free(b);
    }
}

/* 20 v128 values and 6 f64 values live at once: more than the 14 xmm
 * registers, so some take two-slot spills next to one-slot ones. */
Test(x86_flags, v128_spills)
{
    enum { NQ = 20, ND = 6 };
    fill_pattern((uint8_t *)&cpu[V128_IN], 16 * NQ, 5);
    for (int k = 0; k < ND; k++)
        cpu[k] = 0x4000000000000000ULL + (uint64_t)k;
    memset(&cpu[V128_IN + 2 * NQ], 0, 16 * NQ + 8 * ND);
    ir_block *b = ir_block_new(0x1000);
    ir_val q[NQ], d[ND];
    for (int k = 0; k < NQ; k++) {
        q[k] = ir_ctx_load(b, IR_V128, 8 * (V128_IN + 2 * (uint32_t)k));
        if (k < ND)
            d[k] = ir_ctx_load(b, IR_F64, 8 * (uint32_t)k);
    }
    for (int k = NQ; k-- > 0;) {
        ir_ctx_store(b, q[k], 8 * (V128_IN + 2 * NQ + 2 * (uint32_t)k));
        if (k < ND)
            ir_ctx_store(b, d[k], 8 * (V128_IN + 4 * NQ + (uint32_t)k));
    }
    ir_syscall(b, 0);
    run(b);
    cr_assert_eq(memcmp(&cpu[V128_IN + 2 * NQ], &cpu[V128_IN], 16 * NQ), 0);
    cr_assert_eq(memcmp(&cpu[V128_IN + 4 * NQ], &cpu[0], 8 * ND), 0);
    ir_block_free(b);
}

/* Trashes every xmm register, as a C function may. */
static uint64_t trash_xmm(void *c, uint64_t a0, uint64_t a1, uint64_t a2)
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
static const ir_helper trash_helper = {"trash_xmm", trash_xmm, 3};

/* Live across a guest helper call (in a slot) and across the lowering's
 * own floating-point helper (saved whole around it). */
Test(x86_flags, v128_live_across_calls)
{
    for (int kind = 0; kind < 2; kind++) {
        fill_pattern((uint8_t *)&cpu[V128_IN], 32, 11);
        memset(&cpu[V128_OUT], 0, 32);
        cpu[0] = 0x3ff0000000000000ULL; /* 1.0 */
        ir_block *b = ir_block_new(0x1000);
        ir_val q0 = ir_ctx_load(b, IR_V128, 8 * V128_IN);
        ir_val q1 = ir_ctx_load(b, IR_V128, 8 * V128_IN + 16);
        if (kind == 0) {
            ir_val z = ir_const(b, IR_I64, 0);
            ir_ctx_store(b, ir_call(b, &trash_helper, z, z, z), 8 * OUT);
        } else {
            ir_val one = ir_ctx_load(b, IR_F64, 0);
            ir_ctx_store(b, ir_fop(b, IR_FADD, IR_F64, IR_RM_RMM, 0, one, one, IR_NONE), 8 * OUT);
        }
        ir_ctx_store(b, q1, 8 * V128_OUT + 16);
        ir_ctx_store(b, q0, 8 * V128_OUT);
        ir_syscall(b, 0);
        run(b);
        cr_assert_eq(memcmp(&cpu[V128_OUT], &cpu[V128_IN], 32), 0, "kind %d", kind);
        if (kind == 1)
            cr_assert_eq(cpu[OUT], 0x4000000000000000ULL);
        ir_block_free(b);
    }
}
